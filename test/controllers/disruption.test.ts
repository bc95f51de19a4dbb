/**
 * The disruption controller: PDB arithmetic from upstream's
 * pkg/controller/disruption/disruption_test.go (TestUnavailable,
 * TestIntegerMaxUnavailable, TestReplicaSet, TestMultipleControllers,
 * TestReplicationController, TestStatefulSetController, TestTwoControllers,
 * percentages rounded up), and the controller in a running cluster: status
 * fields, the DisruptionAllowed condition, events and disruptedPods expiry.
 */
import { describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1';
import { countHealthyPods, createDisruptionController, expectedPodCount, scaledValue } from '../../src/controllers/disruption/disruptionController.ts';
import { Simulation } from '../../src/sim/simulation.ts';
import { startApiServer, startComponents } from '../../src/components.ts';
import type { KObject, Stored } from '../../src/sim/types.ts';

function owner(kind: string, name: string, uid: string, apiVersion = 'apps/v1') {
  return { apiVersion, kind, name, uid, controller: true };
}
function podWith(name: string, ref?: ReturnType<typeof owner>, ready = true): Pod {
  return {
    metadata: { name, namespace: 'default', ...(ref ? { ownerReferences: [ref] } : {}) },
    spec: { containers: [] },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  };
}
function store(objs: KObject[]) {
  return <T extends KObject>(kind: string, ns: string, name: string): Stored<T> | undefined =>
    objs.find((o) => o.kind === kind && (o.metadata.namespace ?? 'default') === ns && o.metadata.name === name) as Stored<T> | undefined;
}
const rs = (name: string, uid: string, replicas: number, ownerRef?: ReturnType<typeof owner>): KObject => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name, namespace: 'default', uid, ...(ownerRef ? { ownerReferences: [ownerRef] } : {}) }, spec: { replicas } });
const workload = (kind: string, name: string, uid: string, replicas: number, apiVersion = 'apps/v1'): KObject => ({ apiVersion, kind, metadata: { name, namespace: 'default', uid }, spec: { replicas } });
const pdb = (spec: PodDisruptionBudget['spec']): PodDisruptionBudget => ({ metadata: { name: 'pdb', namespace: 'default' }, spec });

describe('GetScaledValueFromIntOrPercent (round up)', () => {
  it.each([
    [3, 10, 3],
    ['20%', 10, 2],
    ['34%', 3, 2],
    ['1%', 2, 1],
    ['50%', 5, 3],
    ['0%', 5, 0],
    ['100%', 7, 7],
  ] as Array<[number | string, number, number]>)('%s of %d is %d', (v, total, want) => expect(scaledValue(v, total, true)).toBe(want));
  it('a string without % is an error', () => expect(() => scaledValue('5', 10, true)).toThrow('invalid type: string is not a percentage'));
});

describe('getExpectedPodCount (disruption_test.go)', () => {
  it('TestUnavailable: integer minAvailable counts the matching pods', () => {
    const pods = [1, 2, 3, 4].map((i) => podWith(`p${i}`));
    expect(expectedPodCount(pdb({ minAvailable: 3 }), pods, store([]))).toEqual({ expectedCount: 4, desiredHealthy: 3, unmanagedPods: [] });
  });
  it('TestIntegerMaxUnavailable: pods without a controller count nothing and are reported', () => {
    const pods = [podWith('naked')];
    expect(expectedPodCount(pdb({ maxUnavailable: 1 }), pods, store([]))).toEqual({ expectedCount: 0, desiredHealthy: 0, unmanagedPods: ['naked'] });
  });
  it('TestReplicaSet: 20% of a 10-replica ReplicaSet', () => {
    const r = rs('rs', 'rs-uid', 10);
    const pods = [1, 2, 3].map((i) => podWith(`p${i}`, owner('ReplicaSet', 'rs', 'rs-uid')));
    expect(expectedPodCount(pdb({ minAvailable: '20%' }), pods, store([r]))).toEqual({ expectedCount: 10, desiredHealthy: 2, unmanagedPods: [] });
  });
  it('TestMultipleControllers: 1% of two controllers of one replica each rounds up to 1', () => {
    const objs = [workload('ReplicationController', 'rc1', 'u1', 1, 'v1'), workload('ReplicationController', 'rc2', 'u2', 1, 'v1')];
    const pods = [podWith('a', owner('ReplicationController', 'rc1', 'u1', 'v1')), podWith('b', owner('ReplicationController', 'rc2', 'u2', 'v1'))];
    expect(expectedPodCount(pdb({ minAvailable: '1%' }), pods, store(objs))).toEqual({ expectedCount: 2, desiredHealthy: 1, unmanagedPods: [] });
  });
  it('TestReplicationController and TestStatefulSetController: 34% of 3 is 2', () => {
    for (const [kind, apiVersion] of [['ReplicationController', 'v1'], ['StatefulSet', 'apps/v1']] as const) {
      const w = workload(kind, 'w', 'wu', 3, apiVersion);
      const pods = [0, 1, 2].map((i) => podWith(`w-${i}`, owner(kind, 'w', 'wu', apiVersion)));
      expect(expectedPodCount(pdb({ minAvailable: '34%' }), pods, store([w]))).toEqual({ expectedCount: 3, desiredHealthy: 2, unmanagedPods: [] });
    }
  });
  it('TestTwoControllers: a Deployment through its ReplicaSet plus a ReplicationController; maxUnavailable 28% rounds up', () => {
    const d = workload('Deployment', 'dep', 'du', 11);
    const r = rs('dep-abc', 'ru', 11, owner('Deployment', 'dep', 'du'));
    const rc = workload('ReplicationController', 'rc', 'cu', 11, 'v1');
    const pods = [podWith('d1', owner('ReplicaSet', 'dep-abc', 'ru')), podWith('d2', owner('ReplicaSet', 'dep-abc', 'ru')), podWith('c1', owner('ReplicationController', 'rc', 'cu', 'v1'))];
    expect(expectedPodCount(pdb({ minAvailable: '28%' }), pods, store([d, r, rc]))).toEqual({ expectedCount: 22, desiredHealthy: 7, unmanagedPods: [] });
    expect(expectedPodCount(pdb({ maxUnavailable: '28%' }), pods, store([d, r, rc]))).toEqual({ expectedCount: 22, desiredHealthy: 15, unmanagedPods: [] });
  });
  it('a missing controller and a kind without a scale subresource are sync errors', () => {
    expect(() => expectedPodCount(pdb({ maxUnavailable: 1 }), [podWith('p', owner('ReplicaSet', 'gone', 'x'))], store([]))).toThrow('found no controllers for pod "p"');
    expect(() => expectedPodCount(pdb({ maxUnavailable: 1 }), [podWith('p', owner('DaemonSet', 'ds', 'x'))], store([]))).toThrow('daemonsets.apps does not implement the scale subresource');
    expect(() => expectedPodCount(pdb({ minAvailable: '50%' }), [podWith('p', owner('Job', 'j', 'x', 'batch/v1'))], store([]))).toThrow('jobs.batch does not implement the scale subresource');
  });
  it('countHealthyPods: Ready pods, not terminating, not recently disrupted', () => {
    const now = Date.UTC(2025, 0, 1, 0, 10);
    const pods = [podWith('a'), podWith('b', undefined, false), { ...podWith('c'), metadata: { name: 'c', deletionTimestamp: '2025-01-01T00:09:00Z' } }, podWith('d'), podWith('e')];
    expect(countHealthyPods(pods, { d: '2025-01-01T00:09:30Z', e: '2025-01-01T00:07:00Z' }, now)).toBe(2);
  });
});

describe('disruption-controller in a cluster', () => {
  function cluster(pods: number, extra: KObject[] = []): Simulation {
    const sim = Simulation.create({ seed: 11 });
    startComponents(sim, {});
    sim.apply({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, status: { capacity: { cpu: '8', memory: '16Gi', pods: '110' } } });
    for (let i = 0; i < pods; i++) sim.apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `web-${i}`, namespace: 'default', labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } });
    sim.apply(extra);
    return sim;
  }
  const pdbObj = (spec: Record<string, unknown>, name = 'web'): KObject => ({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name, namespace: 'default' }, spec: { selector: { matchLabels: { app: 'web' } }, ...spec } });

  it('writes upstream status and the SufficientPods / InsufficientPods condition', () => {
    const sim = cluster(3, [pdbObj({ minAvailable: 2 })]);
    sim.runUntil(30_000);
    expect(sim.get('PodDisruptionBudget', 'default', 'web')!['status']).toEqual({
      observedGeneration: 1,
      disruptionsAllowed: 1,
      currentHealthy: 3,
      desiredHealthy: 2,
      expectedPods: 3,
      conditions: [{ type: 'DisruptionAllowed', status: 'True', observedGeneration: 1, lastTransitionTime: expect.any(String), reason: 'SufficientPods', message: '' }],
    });
    sim.store.delete('Pod', 'default', 'web-0', { gracePeriodSeconds: 0 });
    sim.runUntil(40_000);
    expect(sim.get('PodDisruptionBudget', 'default', 'web')!['status']).toMatchObject({
      disruptionsAllowed: 0,
      currentHealthy: 2,
      expectedPods: 2,
      conditions: [{ type: 'DisruptionAllowed', status: 'False', reason: 'InsufficientPods' }],
    });
  });

  it('NoPods, and SyncFailed with CalculateExpectedPodCountFailed for unscalable owners', () => {
    // Only the API server and this controller: no DaemonSet controller to remove the pod.
    const sim = Simulation.create({ seed: 11 });
    startApiServer(sim);
    sim.runtime.register(createDisruptionController({ epochMs: sim.epochMs, timestamp: (t) => sim.timestamp(t), lister: (kind) => sim.runtime.lister(kind) }));
    sim.apply(pdbObj({ minAvailable: 1 }, 'empty'));
    sim.runUntil(5_000);
    expect(sim.events().filter((e) => e.reason === 'NoPods').map((e) => [e.type, e.message, e.source.component])).toEqual([['Normal', 'No matching pods found', 'controllermanager']]);
    // The DaemonSet exists (its pods would be garbage-collected otherwise).
    const [ds] = sim.apply({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'ds', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'a', image: 'b' }] } } } });
    sim.apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'ds-pod', namespace: 'default', labels: { app: 'web' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'ds', uid: ds!.metadata.uid!, controller: true }] }, spec: { containers: [{ name: 'a', image: 'b' }] } });
    sim.apply(pdbObj({ maxUnavailable: 1 }, 'ds'));
    sim.runUntil(10_000);
    expect(sim.events().filter((e) => e.reason === 'CalculateExpectedPodCountFailed').map((e) => e.message)[0]).toBe('Failed to calculate the number of expected pods: daemonsets.apps does not implement the scale subresource');
    expect(sim.get('PodDisruptionBudget', 'default', 'ds')!['status']).toMatchObject({
      disruptionsAllowed: 0,
      conditions: [{ type: 'DisruptionAllowed', status: 'False', reason: 'SyncFailed', message: 'daemonsets.apps does not implement the scale subresource' }],
    });
  });

  it('an evicted pod that is not deleted within 2 minutes counts again, with NotDeleted', () => {
    const sim = cluster(3, [pdbObj({ minAvailable: 1 })]);
    sim.runUntil(10_000);
    // What the Eviction subresource records, without the pod's deletion.
    sim.store.patch('PodDisruptionBudget', 'default', 'web', (d) => {
      const st = (d as unknown as { status: { disruptedPods?: Record<string, string>; disruptionsAllowed: number } }).status;
      st.disruptedPods = { 'web-0': sim.timestamp() };
      st.disruptionsAllowed = 1;
    }, { subresource: 'status' });
    sim.runUntil(20_000);
    expect(sim.get('PodDisruptionBudget', 'default', 'web')!['status']).toMatchObject({ currentHealthy: 2, disruptionsAllowed: 1, disruptedPods: { 'web-0': '2025-01-01T00:00:10Z' } });
    sim.runUntil(131_000);
    const st = sim.get('PodDisruptionBudget', 'default', 'web')!['status'] as Record<string, unknown>;
    expect(st['disruptedPods']).toBeUndefined();
    expect(st).toMatchObject({ currentHealthy: 3, disruptionsAllowed: 2 });
    expect(sim.events().filter((e) => e.reason === 'NotDeleted').map((e) => [e.involvedObject.name, e.message])).toEqual([['web-0', "Pod was expected by PDB default/default to be deleted but it wasn't"]]);
  });

  it('a pod under two budgets gets MultiplePodDisruptionBudgets', () => {
    const sim = cluster(1, [pdbObj({ minAvailable: 1 }, 'a'), pdbObj({ minAvailable: 1 }, 'b')]);
    sim.runUntil(10_000);
    expect(sim.events().some((e) => e.reason === 'MultiplePodDisruptionBudgets' && e.message === 'Pod "default"/"web-0" matches multiple PodDisruptionBudgets.  Chose "a" arbitrarily.')).toBe(true);
  });

  it('a DisruptionTarget mark on a pod that is never deleted goes False after 2 minutes', () => {
    const sim = cluster(1);
    sim.runUntil(10_000);
    sim.store.patch('Pod', 'default', 'web-0', (d) => {
      const st = (d as unknown as { status: { conditions: Array<Record<string, unknown>> } }).status;
      st.conditions.push({ type: 'DisruptionTarget', status: 'True', reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting', lastTransitionTime: sim.timestamp() });
    }, { subresource: 'status' });
    const cond = () => ((sim.get('Pod', 'default', 'web-0')!['status'] as { conditions: Array<Record<string, unknown>> }).conditions.find((c) => c['type'] === 'DisruptionTarget'));
    sim.runUntil(129_000);
    expect(cond()).toMatchObject({ status: 'True' });
    sim.runUntil(131_000);
    expect(cond()).toMatchObject({ status: 'False', reason: 'EvictionByEvictionAPI', lastTransitionTime: '2025-01-01T00:02:10Z' });
  });
});
