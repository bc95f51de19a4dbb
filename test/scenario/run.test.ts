/**
 * Timeline actions and expectations on a running simulation: kubectl
 * cordon/uncordon/drain semantics, nodeDown/nodeUp through the kubelet
 * annotation, scale/patch/delete/apply through the store, and the
 * expectation operators.
 */
import { describe, expect, it } from 'vitest';
import { loadScenarioFromText } from '../../src/scenario/load.ts';
import { runScenario } from '../../src/scenario/run.ts';
import { MemoryRunLogSink } from '../../src/sim/runLog.ts';
import type { KObject, RunLogRecord } from '../../src/sim/types.ts';
import { Simulation } from '../../src/sim/simulation.ts';
import { podsToDrain } from '../../src/scenario/actions.ts';

const load = (text: string) => loadScenarioFromText([{ file: 't.yaml', text }]);

const pod = (name: string, node: string, extra = ''): string => `    - apiVersion: v1
      kind: Pod
      metadata: {name: ${name}${extra}}
      spec:
        nodeName: ${node}
        terminationGracePeriodSeconds: 0
        containers: [{name: c, image: nginx, resources: {requests: {cpu: 100m}}}]
`;

describe('timeline actions', () => {
  it('drain (with force, for bare pods) cordons the node and evicts its pods except mirror pods; uncordon reverts', () => {
    const s = load(`apiVersion: ksim.dev/v1alpha1
kind: Scenario
metadata: {name: drain}
spec:
  until: 3m
  nodes: [{count: 2, capacity: {cpu: "4", memory: 8Gi}}]
  objects:
${pod('a', 'node-0')}${pod('b', 'node-0')}${pod('mirror', 'node-0', ', annotations: {kubernetes.io/config.mirror: abc}')}${pod('other', 'node-1')}
  timeline:
    - {at: 1m, drain: {nodes: node-0, force: true}}
    - {at: 2m, uncordon: node-0}
  expect:
    - {at: 90s, kind: Node, name: node-0, path: spec.unschedulable, equals: true}
    - {at: 90s, kind: Pod, name: a, path: metadata.name, exists: false}
    - {at: 90s, kind: Pod, name: mirror, path: spec.nodeName, equals: node-0}
    - {at: 90s, kind: Pod, name: other, path: status.phase, equals: Running}
    - {at: 150s, kind: Node, name: node-0, path: spec.unschedulable, exists: false}
`);
    const log = new MemoryRunLogSink();
    const r = runScenario(s, { log });
    expect(r.expectations.map((e) => [e.expectation, e.passed, e.actual])).toEqual([
      ['Node node-0 spec.unschedulable equals true', true, 'true'],
      ['Pod default/a metadata.name does not exist', true, '<object not found>'],
      ['Pod default/mirror spec.nodeName equals "node-0"', true, '"node-0"'],
      ['Pod default/other status.phase equals "Running"', true, '"Running"'],
      ['Node node-0 spec.unschedulable does not exist', true, '<none>'],
    ]);
    const actions = log.records.filter((x): x is Extract<RunLogRecord, { type: 'action' }> => x.type === 'action');
    expect(actions.filter((a) => a.action === 'uncordon').map((a) => a.t)).toEqual([120_000]);
    expect(actions.filter((a) => a.action === 'drain').map((a) => a.detail)).toEqual([
      { drain: 'spec.timeline[0] at 1m', node: 'node-0', evicting: ['default/a', 'default/b'] },
      { drain: 'spec.timeline[0] at 1m', node: 'node-0', evicted: 'default/a' },
      { drain: 'spec.timeline[0] at 1m', node: 'node-0', evicted: 'default/b' },
      { nodes: ['node-0'], index: 0 },
    ]);
    expect(r.passed).toBe(true);
  });

  it('nodeDown/nodeUp set and remove the kubelet annotation; selectors resolve when the action runs', () => {
    const s = load(`apiVersion: ksim.dev/v1alpha1
kind: Scenario
metadata: {name: down}
spec:
  until: 3m
  nodes: [{count: 4, capacity: {cpu: "4", memory: 8Gi}, labels: {zone: 'z{{ index % 2 }}'}}]
  timeline:
    - {at: 1m, nodeDown: {selector: zone=z0}}
    - {at: 2m, nodeUp: node-2}
  expect:
    - {at: 90s, kind: Node, name: node-0, path: "metadata.annotations[ksim.dev/kubelet]", equals: stopped}
    - {at: 90s, kind: Node, name: node-2, path: "metadata.annotations[ksim.dev/kubelet]", equals: stopped}
    - {at: 90s, kind: Node, name: node-1, path: "metadata.annotations[ksim.dev/kubelet]", exists: false}
    - {at: 150s, kind: Node, name: node-2, path: "metadata.annotations[ksim.dev/kubelet]", exists: false}
    - {at: 150s, kind: Node, name: node-0, path: "metadata.annotations[ksim.dev/kubelet]", equals: stopped}
`);
    const r = runScenario(s);
    expect(r.expectations.filter((e) => !e.passed)).toEqual([]);
  });

  it('scale, patch, delete and apply-as-update go through the store; API errors become warnings', () => {
    const s = load(`apiVersion: ksim.dev/v1alpha1
kind: Scenario
metadata: {name: edits}
spec:
  until: 5m
  nodes: [{count: 1, capacity: {cpu: "4", memory: 8Gi}}]
  objects:
    - apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web}
      spec:
        replicas: 1
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec: {containers: [{name: c, image: nginx}]}
    - apiVersion: v1
      kind: ConfigMap
      metadata: {name: cfg}
      data: {a: "1"}
  timeline:
    - {at: 1m, scale: {kind: Deployment, name: web, replicas: 4}}
    - {at: 1m, patch: {kind: ConfigMap, name: cfg, patch: {data: {a: null, b: "2"}}}}
    - at: 2m
      apply: {apiVersion: v1, kind: ConfigMap, metadata: {name: cfg, labels: {v: "2"}}, data: {c: "3"}}
    - {at: 3m, delete: {kind: ConfigMap, name: cfg}}
    - {at: 4m, delete: {kind: ConfigMap, name: cfg}}
  expect:
    - {at: 90s, kind: Deployment, name: web, path: spec.replicas, equals: 4}
    - {at: 90s, kind: Deployment, name: web, path: spec.replicas, greaterThan: 3}
    - {at: 90s, kind: Deployment, name: web, path: spec.replicas, lessThan: "4500m"}
    - {at: 90s, kind: ConfigMap, name: cfg, path: data, equals: {b: "2"}}
    - {at: 150s, kind: ConfigMap, name: cfg, path: "metadata.labels[v]", equals: "2"}
    - {at: 150s, kind: ConfigMap, name: cfg, path: data.c, notEquals: "4"}
    - {at: 200s, kind: ConfigMap, selector: v=2, count: 0}
    - {at: 10m, kind: Deployment, name: web, path: spec.replicas, equals: 4}
`);
    const r = runScenario(s);
    expect(r.expectations.map((e) => [e.expectation, e.passed])).toEqual([
      ['Deployment default/web spec.replicas equals 4', true],
      ['Deployment default/web spec.replicas greaterThan 3', true],
      ['Deployment default/web spec.replicas lessThan "4500m"', true],
      ['ConfigMap default/cfg data equals {"b":"2"}', true],
      ['ConfigMap default/cfg metadata.labels[v] equals "2"', true],
      ['ConfigMap default/cfg data.c notEquals "4"', true],
      ['count of ConfigMap with labels v=2 equals 0', true],
      ['Deployment default/web spec.replicas equals 4', true],
    ]);
    expect(r.expectations[7]!.note).toBe('evaluated at the end of the run (5m0s): 10m is past the end');
    expect(r.warnings).toEqual(['1 ConfigMap (default/cfg) stored but not reconciled: kept as data; ksim runs no containers to mount or read them', 'spec.timeline[4] (delete at 4m): delete ConfigMap default/cfg: configmaps "cfg" not found']);
    expect(r.endTimeMs).toBe(300_000);
    expect(r.endTime).toBe('2025-01-01T00:05:00Z');
  });

  it('a failing expectation reports the actual value', () => {
    const s = load(`apiVersion: ksim.dev/v1alpha1
kind: Scenario
metadata: {name: f}
spec:
  until: 1m
  nodes: [{count: 2, capacity: {cpu: "4", memory: 8Gi}}]
  expect:
    - {at: 30s, kind: Node, count: 3}
    - {at: 30s, kind: Node, name: node-0, path: status.allocatable.cpu, greaterThan: 4}
    - {at: 30s, kind: Node, name: node-9, path: metadata.name, equals: node-9}
`);
    const r = runScenario(s);
    expect(r.passed).toBe(false);
    expect(r.expectations.map((e) => [e.passed, e.actual])).toEqual([
      [false, '2'],
      [false, '"4"'],
      [false, '<object not found>'],
    ]);
  });

  it('the seed from the command line overrides spec.seed', () => {
    const s = load(`apiVersion: ksim.dev/v1alpha1\nkind: Scenario\nmetadata: {name: s}\nspec:\n  seed: 5\n  until: 1s\n`);
    expect(runScenario(s).seed).toBe(5);
    expect(runScenario(s, { seed: 8 }).seed).toBe(8);
  });
});

describe('kubectl drain pod selection', () => {
  it('skips DaemonSet-owned, mirror and terminating pods', () => {
    const sim = Simulation.create({ seed: 1 });
    const ds = sim.apply({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: 'default' }, spec: {} })[0]!;
    const mk = (name: string, meta: Record<string, unknown> = {}): KObject => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'default', ...meta },
      spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'x' }] },
    });
    sim.apply([
      mk('plain'),
      mk('ds-pod', { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: ds.metadata.uid!, controller: true }] }),
      mk('rs-pod', { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'x', uid: 'u', controller: true }] }),
      mk('mirror', { annotations: { 'kubernetes.io/config.mirror': 'hash' } }),
      { ...mk('elsewhere'), spec: { nodeName: 'n2', containers: [{ name: 'c', image: 'x' }] } },
    ]);
    expect(podsToDrain(sim, 'n1').map((p) => p.metadata!.name)).toEqual(['plain', 'rs-pod']);
  });
});
