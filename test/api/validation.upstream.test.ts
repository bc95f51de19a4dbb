// Exact messages for pod scheduling fields and resources, after
// pkg/apis/core/validation/validation.go (ValidateTolerations, validateTopologySpreadConstraints,
// validateAffinity / validatePodAffinityTerm incl. validateMatchLabelKeysAndMismatchLabelKeys,
// ValidateNodeSelector, validateResourceRequirements) and the strings in validation_test.go.
import { describe, expect, it } from 'vitest';
import type { KObject } from '../../src/sim/types.ts';
import { formatFieldError } from '../../src/api/errors.ts';
import { validateObject } from '../../src/api/validation.ts';

const msgs = (spec: object): string[] =>
  validateObject({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec } as unknown as KObject).map(formatFieldError);
const base = (extra: object = {}, c: object = {}) => ({
  containers: [{ name: 'c', image: 'nginx', imagePullPolicy: 'IfNotPresent', terminationMessagePolicy: 'File', ...c }],
  restartPolicy: 'Always',
  dnsPolicy: 'ClusterFirst',
  ...extra,
});
const res = (resources: object) => msgs(base({}, { resources }));

describe('ValidateTolerations', () => {
  it.each([
    [{ operator: 'Equal', value: 'bar' }, 'spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"'],
    [{ key: 'foo', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 20 }, `spec.tolerations[0].effect: Invalid value: "NoSchedule": effect must be 'NoExecute' when \`tolerationSeconds\` is set`],
    [{ key: 'foo', operator: 'In', value: 'bar' }, 'spec.tolerations[0].operator: Unsupported value: "In": supported values: "Equal", "Exists"'],
    [{ key: 'foo', operator: 'Equal', value: 'bar', effect: 'NoScheduleNoAdmit' }, 'spec.tolerations[0].effect: Unsupported value: "NoScheduleNoAdmit": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"'],
  ])('%j', (t, want) => {
    expect(msgs(base({ tolerations: [t] }))).toContain(want);
  });
  it('valid tolerations pass', () => {
    expect(msgs(base({ tolerations: [{ operator: 'Exists' }, { key: 'k', operator: 'Equal', value: 'v', effect: 'NoExecute', tolerationSeconds: 5 }] }))).toEqual([]);
  });
});

describe('validateTopologySpreadConstraints', () => {
  const tsc = (o: object) => ({ maxSkew: 1, topologyKey: 'k8s.io/zone', whenUnsatisfiable: 'DoNotSchedule', ...o });
  it.each([
    [[tsc({ maxSkew: 0 })], 'spec.topologySpreadConstraints[0].maxSkew: Invalid value: 0: must be greater than zero'],
    [[tsc({ topologyKey: '' })], 'spec.topologySpreadConstraints[0].topologyKey: Required value: can not be empty'],
    [[tsc({ whenUnsatisfiable: 'N/A' })], 'spec.topologySpreadConstraints[0].whenUnsatisfiable: Unsupported value: "N/A": supported values: "DoNotSchedule", "ScheduleAnyway"'],
    [[tsc({}), tsc({})], 'spec.topologySpreadConstraints[0].{topologyKey, whenUnsatisfiable}: Duplicate value: "{k8s.io/zone, DoNotSchedule}"'],
    [[tsc({ minDomains: 0 })], 'spec.topologySpreadConstraints[0].minDomains: Invalid value: 0: must be greater than zero'],
    [[tsc({ minDomains: 3, whenUnsatisfiable: 'ScheduleAnyway' })], 'spec.topologySpreadConstraints[0].minDomains: Invalid value: 3: can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ScheduleAnyway'],
    [[tsc({ nodeAffinityPolicy: 'foo' })], 'spec.topologySpreadConstraints[0].nodeAffinityPolicy: Unsupported value: "foo": supported values: "Honor", "Ignore"'],
    [[tsc({ matchLabelKeys: ['foo'] })], 'spec.topologySpreadConstraints[0].matchLabelKeys: Forbidden: must not be specified when labelSelector is not set'],
    [[tsc({ matchLabelKeys: ['foo'], labelSelector: { matchLabels: { foo: 'bar' } } })], 'spec.topologySpreadConstraints[0].matchLabelKeys[0]: Invalid value: "foo": exists in both matchLabelKeys and labelSelector'],
  ])('%j', (c, want) => {
    expect(msgs(base({ topologySpreadConstraints: c }))).toContain(want);
  });
});

describe('validateAffinity', () => {
  const term = (o: object) => ({ labelSelector: { matchLabels: { app: 'a' } }, topologyKey: 'zone', ...o });
  const pa = (o: object) => base({ affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term(o)] } } });
  const p = 'spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0]';
  it.each([
    [pa({ topologyKey: '' }), `${p}.topologyKey: Required value: can not be empty`],
    [pa({ labelSelector: undefined, matchLabelKeys: ['x'] }), `${p}.matchLabelKeys: Forbidden: must not be specified when labelSelector is not set`],
    [pa({ labelSelector: undefined, mismatchLabelKeys: ['x'] }), `${p}.mismatchLabelKeys: Forbidden: must not be specified when labelSelector is not set`],
    [pa({ matchLabelKeys: ['x'], mismatchLabelKeys: ['x'] }), `${p}.matchLabelKeys[0]: Invalid value: "x": exists in both matchLabelKeys and mismatchLabelKeys`],
    [pa({ matchLabelKeys: ['-bad-'] }), `${p}.matchLabelKeys[0]: Invalid value: "-bad-": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`],
    [
      base({ affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 0, podAffinityTerm: term({}) }] } } }),
      'spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: 0: must be in the range 1-100',
    ],
    [
      base({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } } } }),
      'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: Required value: must have at least one node selector term',
    ],
    [
      base({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'k', operator: 'In' }] }] } } } }),
      "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
    ],
    [
      base({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'k', operator: 'Gt', values: ['1', '2'] }] }] } } } }),
      "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values: Required value: must be specified single value when `operator` is 'Lt' or 'Gt'",
    ],
    [
      base({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['a', 'b'] }] }] } } } }),
      "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].values: Required value: must be only one value when `operator` is 'In' or 'NotIn' for node field selector",
    ],
    [
      base({ affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: { matchFields: [{ key: 'metadata.labels', operator: 'In', values: ['a'] }] } }] } } }),
      'spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].preference.matchFields[0].key: Invalid value: "metadata.labels": not a valid field selector key',
    ],
  ])('%#', (spec, want) => {
    expect(msgs(spec)).toContain(want);
  });
  it('valid matchLabelKeys / mismatchLabelKeys pass', () => {
    expect(msgs(pa({ matchLabelKeys: ['pod-template-hash'], mismatchLabelKeys: ['tenant'] }))).toEqual([]);
  });
});

describe('validateResourceRequirements', () => {
  it.each([
    [{ limits: { cpu: '1' }, requests: { cpu: '2' } }, 'spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1'],
    [{ requests: { 'example.com/gpu': '1' } }, 'spec.containers[0].resources.limits: Required value: Limit must be set for non overcommitable resources'],
    [{ limits: { 'example.com/gpu': '2' }, requests: { 'example.com/gpu': '1' } }, 'spec.containers[0].resources.requests: Invalid value: "1": must be equal to example.com/gpu limit of 2'],
    [{ limits: { 'hugepages-2Mi': '2Mi' }, requests: { 'hugepages-2Mi': '2Mi' } }, 'spec.containers[0].resources: Forbidden: HugePages require cpu or memory'],
    [{ limits: { 'hugepages-2Mi': '3Mi', memory: '1Gi' }, requests: { 'hugepages-2Mi': '3Mi' } }, 'spec.containers[0].resources.limits[hugepages-2Mi]: Invalid value: "3Mi": 3Mi is not positive integer multiple of hugepages-2Mi'],
    [{ requests: { cpu: '-1' } }, 'spec.containers[0].resources.requests[cpu]: Invalid value: "-1": must be greater than or equal to 0'],
    [{ limits: { 'example.com/gpu': '500m' }, requests: { 'example.com/gpu': '500m' } }, 'spec.containers[0].resources.limits[example.com/gpu]: Invalid value: "500m": must be an integer'],
    [{ limits: { 'disk': '1' } }, 'spec.containers[0].resources.limits[disk]: Invalid value: "disk": must be a standard resource type or fully qualified'],
  ])('%j', (r, want) => {
    expect(res(r)).toContain(want);
  });
});
