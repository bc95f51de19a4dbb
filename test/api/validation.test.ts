// API validation: pkg/apis/core/validation, apps/validation, scheduling/validation,
// policy/validation (v1.31). Paths and messages are upstream's.
import { describe, expect, it } from 'vitest';
import type { KObject } from '../../src/sim/types.ts';
import { formatFieldError } from '../../src/api/errors.ts';
import { validateObject } from '../../src/api/validation.ts';
import { applyDefaults } from '../../src/api/defaults.ts';

function msgs(obj: object): string[] {
  return validateObject(obj as KObject).map(formatFieldError);
}
function defaultedMsgs(obj: object): string[] {
  const o = structuredClone(obj) as KObject;
  applyDefaults(o);
  return msgs(o);
}

const pod = (spec: object, meta: object = { name: 'p', namespace: 'default' }) => ({ apiVersion: 'v1', kind: 'Pod', metadata: meta, spec });
const c = (extra: object = {}) => ({ name: 'c', image: 'nginx', ...extra });

describe('metadata', () => {
  it('name required', () => {
    expect(msgs(pod({ containers: [c()] }, { namespace: 'default' }))).toEqual(['metadata.name: Required value: name or generateName is required']);
  });
  it('DNS-1123 subdomain names (Pod)', () => {
    expect(msgs(pod({ containers: [c()] }, { name: 'Bad_Name', namespace: 'default' }))).toEqual([
      `metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    ]);
  });
  it('Namespace names are DNS-1123 labels', () => {
    expect(msgs({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a.b' } })).toEqual(['metadata.name: Invalid value: "a.b": must not contain dots']);
  });
  it('namespace required for namespaced kinds, forbidden for cluster-scoped', () => {
    expect(msgs(pod({ containers: [c()] }, { name: 'p' }))).toEqual(['metadata.namespace: Required value']);
    expect(msgs({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n', namespace: 'x' } })).toEqual(['metadata.namespace: Forbidden: not allowed on this type']);
  });
  it('labels and annotations', () => {
    const out = msgs(pod({ containers: [c()] }, { name: 'p', namespace: 'default', labels: { 'a/b/c': 'x' }, annotations: { '-bad': 'x' } }));
    expect(out.some((m) => m.startsWith('metadata.labels: Invalid value: "a/b/c": a qualified name must consist'))).toBe(true);
    expect(out.some((m) => m.startsWith('metadata.annotations: Invalid value: "-bad": name part must consist'))).toBe(true);
  });
  it('generateName is validated as a prefix', () => {
    expect(msgs(pod({ containers: [c()] }, { generateName: 'web-', namespace: 'default' }))).toEqual([]);
  });
});

describe('Pod spec', () => {
  it('a defaulted valid pod has no errors', () => {
    expect(defaultedMsgs(pod({ containers: [c({ resources: { requests: { cpu: '100m' }, limits: { cpu: '1' } } })] }))).toEqual([]);
  });
  it('containers required', () => {
    expect(msgs(pod({ containers: [] }))).toEqual(['spec.containers: Required value']);
  });
  it('container name and image required; duplicates', () => {
    expect(msgs(pod({ containers: [{ name: '' }, c(), c()] }))).toEqual([
      'spec.containers[0].name: Required value',
      'spec.containers[0].image: Required value',
      'spec.containers[2].name: Duplicate value: "c"',
    ]);
  });
  it('init container names collide with app containers', () => {
    expect(msgs(pod({ containers: [c()], initContainers: [c()] }))).toEqual(['spec.initContainers[0].name: Duplicate value: "c"']);
  });
  it('restartPolicy supported values', () => {
    expect(msgs(pod({ containers: [c()], restartPolicy: 'Sometimes' }))).toEqual([
      'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
    ]);
  });
  it('requests must not exceed limits', () => {
    expect(msgs(pod({ containers: [c({ resources: { requests: { cpu: '2' }, limits: { cpu: '1' } } })] }))).toEqual([
      'spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1',
    ]);
  });
  it('negative quantities', () => {
    expect(msgs(pod({ containers: [c({ resources: { requests: { memory: '-1Gi' } } })] }))).toEqual([
      'spec.containers[0].resources.requests[memory]: Invalid value: "-1Gi": must be greater than or equal to 0',
    ]);
  });
  it('malformed quantities use quantity.ts errors', () => {
    const out = msgs(pod({ containers: [c({ resources: { requests: { cpu: 'abc' } } })] }));
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^spec\.containers\[0\]\.resources\.requests\[cpu\]: Invalid value: "abc": quantities must match/);
  });
  it('extended resources: integers, request == limit, limit required', () => {
    expect(msgs(pod({ containers: [c({ resources: { requests: { 'example.com/gpu': '500m' }, limits: { 'example.com/gpu': '500m' } } })] }))).toEqual([
      'spec.containers[0].resources.limits[example.com/gpu]: Invalid value: "500m": must be an integer',
      'spec.containers[0].resources.requests[example.com/gpu]: Invalid value: "500m": must be an integer',
    ]);
    expect(msgs(pod({ containers: [c({ resources: { requests: { 'example.com/gpu': '1' }, limits: { 'example.com/gpu': '2' } } })] }))).toEqual([
      'spec.containers[0].resources.requests: Invalid value: "1": must be equal to example.com/gpu limit of 2',
    ]);
    expect(msgs(pod({ containers: [c({ resources: { requests: { 'example.com/gpu': '1' } } })] }))).toEqual([
      'spec.containers[0].resources.limits: Required value: Limit must be set for non overcommitable resources',
    ]);
  });
  it('unknown resource names', () => {
    expect(msgs(pod({ containers: [c({ resources: { limits: { gpu: '1' } } })] }))).toEqual([
      'spec.containers[0].resources.limits[gpu]: Invalid value: "gpu": must be a standard resource type or fully qualified',
      'spec.containers[0].resources.limits[gpu]: Invalid value: "gpu": must be a standard resource for containers',
    ]);
  });
  it('hugepages must be a multiple of the page size and need cpu or memory', () => {
    expect(msgs(pod({ containers: [c({ resources: { requests: { 'hugepages-2Mi': '3Mi' }, limits: { 'hugepages-2Mi': '3Mi' } } })] }))).toEqual([
      'spec.containers[0].resources.limits[hugepages-2Mi]: Invalid value: "3Mi": 3Mi is not positive integer multiple of hugepages-2Mi',
      'spec.containers[0].resources.requests[hugepages-2Mi]: Invalid value: "3Mi": 3Mi is not positive integer multiple of hugepages-2Mi',
      'spec.containers[0].resources: Forbidden: HugePages require cpu or memory',
    ]);
  });
  it('tolerations', () => {
    expect(msgs(pod({ containers: [c()], tolerations: [{ key: 'k', operator: 'Exists', value: 'v' }] }))[0]).toMatch(
      /^spec\.tolerations\[0\]\.operator: Invalid value: .*: value must be empty when `operator` is 'Exists'$/,
    );
    expect(msgs(pod({ containers: [c()], tolerations: [{ operator: 'Equal', value: 'v' }] }))).toEqual([
      'spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"',
    ]);
    expect(msgs(pod({ containers: [c()], tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 5 }] }))).toEqual([
      'spec.tolerations[0].effect: Invalid value: "NoSchedule": effect must be \'NoExecute\' when `tolerationSeconds` is set',
    ]);
    expect(msgs(pod({ containers: [c()], tolerations: [{ key: 'k', operator: 'Exists', effect: 'Sometimes' }] }))).toEqual([
      'spec.tolerations[0].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
    ]);
  });
  it('topology spread constraints', () => {
    const out = msgs(pod({
      containers: [c()],
      topologySpreadConstraints: [
        { maxSkew: 0, topologyKey: 'zone', whenUnsatisfiable: 'ScheduleAnyway', minDomains: 2, labelSelector: { matchLabels: { a: 'b' } } },
        { maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'ScheduleAnyway' },
        { maxSkew: 1, topologyKey: '', whenUnsatisfiable: 'Maybe' },
      ],
    }));
    expect(out).toEqual([
      'spec.topologySpreadConstraints[0].maxSkew: Invalid value: 0: must be greater than zero',
      'spec.topologySpreadConstraints[0].{topologyKey, whenUnsatisfiable}: Duplicate value: "{zone, ScheduleAnyway}"',
      'spec.topologySpreadConstraints[0].minDomains: Invalid value: 2: can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ScheduleAnyway',
      'spec.topologySpreadConstraints[2].topologyKey: Required value: can not be empty',
      'spec.topologySpreadConstraints[2].whenUnsatisfiable: Unsupported value: "Maybe": supported values: "DoNotSchedule", "ScheduleAnyway"',
    ]);
  });
  it('node affinity', () => {
    const out = msgs(pod({
      containers: [c()],
      affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: [] }] }] }, preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 0, preference: {} }] } },
    }));
    expect(out).toEqual([
      "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
      'spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: 0: must be in the range 1-100',
    ]);
  });
  it('nodeSelector labels and priorityClassName', () => {
    const out = msgs(pod({ containers: [c()], nodeSelector: { 'bad key!': 'x' }, priorityClassName: 'Hi' }));
    expect(out[0]).toMatch(/^spec\.nodeSelector: Invalid value: "bad key!": name part must consist/);
    expect(out[1]).toMatch(/^spec\.priorityClassName: Invalid value: "Hi": a lowercase RFC 1123 subdomain/);
  });
});

describe('workloads', () => {
  const deploy = (spec: object) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'default' }, spec });
  const template = (labels: Record<string, string>) => ({ metadata: { labels }, spec: { containers: [c()] } });
  it('selector required', () => {
    expect(defaultedMsgs(deploy({ template: template({ app: 'a' }) }))).toEqual(['spec.selector: Required value']);
  });
  it('selector must match template labels', () => {
    expect(defaultedMsgs(deploy({ selector: { matchLabels: { app: 'a' } }, template: template({ app: 'b' }) }))).toEqual([
      'spec.template.metadata.labels: Invalid value: {"app":"b"}: `selector` does not match template `labels`',
    ]);
  });
  it('empty selector is invalid', () => {
    expect(defaultedMsgs(deploy({ selector: {}, template: template({ app: 'a' }) }))).toEqual(['spec.selector: Invalid value: {}: empty selector is invalid for deployment']);
  });
  it('template restartPolicy must be Always', () => {
    const d = deploy({ selector: { matchLabels: { app: 'a' } }, template: { metadata: { labels: { app: 'a' } }, spec: { restartPolicy: 'Never', containers: [c()] } } });
    expect(defaultedMsgs(d)).toEqual(['spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"']);
  });
  it('maxSurge and maxUnavailable may not both be 0', () => {
    const d = deploy({ selector: { matchLabels: { app: 'a' } }, template: template({ app: 'a' }), strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } } });
    expect(defaultedMsgs(d)).toEqual(['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0']);
  });
  it('ReplicaSet negative replicas', () => {
    const rs = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'r', namespace: 'default' }, spec: { replicas: -1, selector: { matchLabels: { app: 'a' } }, template: template({ app: 'a' }) } };
    expect(defaultedMsgs(rs)).toEqual(['spec.replicas: Invalid value: -1: must be greater than or equal to 0']);
  });
  it('DaemonSet: exactly one of maxSurge / maxUnavailable is non-zero', () => {
    const ds = (ru: object) => ({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'ds', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'a' } }, template: template({ app: 'a' }), updateStrategy: { type: 'RollingUpdate', rollingUpdate: ru } } });
    expect(defaultedMsgs(ds({ maxUnavailable: 1, maxSurge: 1 }))).toEqual(['spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: 1: may not be set when maxUnavailable is non-zero']);
    expect(defaultedMsgs(ds({ maxUnavailable: 0, maxSurge: 0 }))).toEqual(['spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: 0: cannot be 0 when maxSurge is 0']);
    expect(defaultedMsgs(ds({ maxUnavailable: '10%' }))).toEqual([]);
  });
  it('Job template restartPolicy must be OnFailure or Never', () => {
    const j = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j', namespace: 'default' }, spec: { template: { spec: { containers: [c()] } } } };
    expect(defaultedMsgs(j)).toEqual(['spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"']);
  });
});

describe('PriorityClass', () => {
  const pc = (name: string, value: number, extra: object = {}) => ({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value, ...extra });
  it('user classes are capped at 1e9', () => {
    expect(msgs(pc('high', 1000000000))).toEqual([]);
    expect(msgs(pc('higher', 1000000001))).toEqual(['value: Forbidden: maximum allowed value of a user defined priority is 1000000000']);
  });
  it('the system- prefix is reserved', () => {
    expect(msgs(pc('system-mine', 10))).toEqual([
      "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-mine is not a known system priority class",
    ]);
    expect(msgs(pc('system-node-critical', 2000001000))).toEqual([]);
    expect(msgs(pc('system-node-critical', 5))).toEqual([
      "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: value of system-node-critical PriorityClass must be 2000001000",
    ]);
  });
  it('preemptionPolicy values', () => {
    expect(msgs(pc('p', 1, { preemptionPolicy: 'Sometimes' }))).toEqual(['preemptionPolicy: Unsupported value: "Sometimes": supported values: "PreemptLowerPriority", "Never"']);
  });
});

describe('PodDisruptionBudget', () => {
  const pdb = (spec: object) => ({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'b', namespace: 'default' }, spec });
  it('minAvailable and maxUnavailable are exclusive', () => {
    const out = msgs(pdb({ minAvailable: 1, maxUnavailable: 1, selector: { matchLabels: { a: 'b' } } }));
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^spec: Invalid value: .*: minAvailable and maxUnavailable cannot be both set$/);
  });
  it('percentages', () => {
    expect(msgs(pdb({ minAvailable: '150%' }))).toEqual(['spec.minAvailable: Invalid value: "150%": must not be greater than 100%']);
    expect(msgs(pdb({ maxUnavailable: 'half' }))[0]).toMatch(/^spec\.maxUnavailable: Invalid value: "half": a valid percent string must be/);
  });
});

describe('Node', () => {
  it('taints: effect required, duplicates by key and effect', () => {
    const n = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n' }, spec: { taints: [{ key: 'a', effect: 'NoSchedule' }, { key: 'a', effect: 'NoSchedule' }, { key: 'b' }] } };
    expect(msgs(n)).toEqual([
      'spec.taints[1]: Duplicate value: {"key":"a","effect":"NoSchedule"}: taints must be unique by key and effect pair',
      'spec.taints[2].effect: Required value',
    ]);
  });
  it('capacity quantities (paths built with Child, as upstream)', () => {
    const n = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n' }, status: { capacity: { cpu: '-1', pods: '1.5' } } };
    expect(msgs(n)).toEqual([
      'status.capacity.cpu: Invalid value: "-1": must be greater than or equal to 0',
      'status.capacity.pods: Invalid value: "1500m": must be an integer',
    ]);
  });
});
