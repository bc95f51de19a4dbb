// Per-release behaviour of kube-scheduler found by the v1.32 → v1.35 release-notes
// audit (docs/release-audit-1.32-1.35.md): each case runs under two emulated
// versions and expects what that release does.
import { describe, expect, it } from 'vitest';
import type { ContainerPort, Pod } from 'kubernetes-types/core/v1';
import type { KObject } from '../../src/sim/types.ts';
import { FeatureGates } from '../../src/api/featureGates.ts';
import { ActionType, Code } from '../../src/scheduler/framework/types.ts';
import type { EnqueueExtensions } from '../../src/scheduler/framework/types.ts';
import type { Stored } from '../../src/sim/types.ts';
import { fakeHandle } from '../../src/scheduler/framework/testing.ts';
import { Events } from '../../src/scheduler/queue/events.ts';
import * as NodePorts from '../../src/scheduler/plugins/NodePorts.ts';
import * as VolumeBinding from '../../src/scheduler/plugins/VolumeBinding.ts';
import { container, makeNode, makePod, nodeInfo, runFilter } from './plugins/pluginTestUtil.ts';
import { env, node, pod, runFilter as runVolumeFilter } from './plugins/h8util.ts';
import { claimVol, pv, pvc, sc } from './plugins/volumeObjs.ts';
import { Simulation } from '../../src/sim/simulation.ts';
import { createScheduler } from '../../src/scheduler/scheduler.ts';
import { nodeWatcherQueue } from './nodeWatcherQueue.ts';

const gates = (version: string, settings?: Record<string, boolean>) => FeatureGates.resolve({ emulatedVersion: version, ...(settings ? { settings } : {}) });

describe('VolumeBinding: the bound-PV node-affinity reason was reworded in v1.33 (kubernetes#129887)', () => {
  const Z = 'topology.kubernetes.io/zone';
  const objs: KObject[] = [
    sc('wait-sc', 'WaitForFirstConsumer', 'kubernetes.io/no-provisioner'),
    pvc('pvc-a', { volumeName: 'pv-a', bound: true, sc: 'wait-sc' }),
    pv('pv-a', { sc: 'wait-sc', zones: ['zone-b'], claimRef: { name: 'pvc-a', namespace: 'default' } }),
  ];
  it.each([
    ['1.32', 'node(s) had volume node affinity conflict'],
    ['1.33', "node(s) didn't match PersistentVolume's node affinity"],
    ['1.35', "node(s) didn't match PersistentVolume's node affinity"],
  ])('emulated %s: %s', (version, reason) => {
    const e = env(VolumeBinding.factory, undefined, [node('node-a', { [Z]: 'zone-a' }), node('node-b', { [Z]: 'zone-b' })], [], objs, { featureGates: gates(version) });
    const r = runVolumeFilter(e, pod('p', { volumes: [claimVol('pvc-a')] }));
    expect(r.byNode['node-a']).toEqual({ code: Code.UnschedulableAndUnresolvable, reasons: [reason] });
    expect(r.byNode['node-b']!.code).toBe(Code.Success);
  });
});

describe('NodePorts: host ports of restartable init containers count since v1.34 (kubernetes#132040)', () => {
  const port = (p: number): ContainerPort => ({ containerPort: p, hostPort: p, protocol: 'TCP' });
  /** A pod whose only host port is on a sidecar (restartPolicy: Always init container). */
  const sidecarPod = (p: number): Pod => makePod({ initContainers: [{ name: 'side', image: 'i', restartPolicy: 'Always', ports: [port(p)] }], containers: [container()] });
  /** A pod whose host port is on a plain (run-to-completion) init container: never counted. */
  const initPod = (p: number): Pod => makePod({ initContainers: [{ name: 'init', image: 'i', ports: [port(p)] }], containers: [container()] });
  const holder = makePod({ containers: [container(undefined, { ports: [port(8080)] })] });
  it.each([
    ['1.33', 'sidecar', Code.Success],
    ['1.34', 'sidecar', Code.Unschedulable],
    ['1.35', 'sidecar', Code.Unschedulable],
    ['1.33', 'init', Code.Success],
    ['1.35', 'init', Code.Success],
  ] as Array<[string, 'sidecar' | 'init', Code]>)('emulated %s, port 8080 wanted by a %s container on a node using it: %s', (version, kind, code) => {
    const plugin = NodePorts.factory(undefined, fakeHandle({ featureGates: gates(version) }));
    const wanting = kind === 'sidecar' ? sidecarPod(8080) : initPod(8080);
    const v = runFilter(plugin, wanting, nodeInfo(makeNode('n1'), [holder]));
    expect(v.code).toBe(code);
    if (code === Code.Unschedulable) expect(v.reasons).toEqual([NodePorts.ErrReason]);
  });
  it.each([
    ['1.33', 'QueueSkip'],
    ['1.35', 'Queue'],
  ])('emulated %s: deleting a pod whose sidecar held the wanted port answers %s', (version, hint) => {
    const deleted = { ...sidecarPod(8080), spec: { ...sidecarPod(8080).spec!, nodeName: 'n1' } };
    const wanting = makePod({ containers: [container(undefined, { ports: [port(8080)] })] });
    expect(NodePorts.isSchedulableAfterPodDeleted(wanting as never, deleted as never, undefined, version >= '1.34')).toBe(hint);
  });
});

describe('NodePorts: node update events only with queueing hints off (kubernetes#109437)', () => {
  const nodeActions = (g: FeatureGates): number => {
    const plugin = NodePorts.factory(undefined, fakeHandle({ featureGates: g })) as unknown as EnqueueExtensions;
    const ev = plugin.eventsToRegister().find((e) => e.event.resource === 'Node');
    return ev!.event.actionType;
  };
  it.each([
    ['1.33, SchedulerQueueingHints=false', gates('1.33', { SchedulerQueueingHints: false }), ActionType.Add | ActionType.UpdateNodeTaint | ActionType.UpdateNodeLabel],
    ['1.33', gates('1.33'), ActionType.Add],
    ['1.35', gates('1.35'), ActionType.Add],
  ] as Array<[string, FeatureGates, number]>)('%s', (_name, g, actions) => {
    expect(nodeActions(g)).toBe(actions);
  });
});

describe('the binding subresource, per release', () => {
  type Obj = KObject & Record<string, unknown>;
  const ZONE = 'topology.kubernetes.io/zone';
  const REGION = 'topology.kubernetes.io/region';
  function cluster(version: string): Simulation {
    const sim = Simulation.create({ seed: 1 });
    sim.use(createScheduler({ featureGates: gates(version) }));
    sim.apply({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'n1', labels: { 'kubernetes.io/hostname': 'n1', [ZONE]: 'zone-a', [REGION]: 'region-1', 'topology.k8s.io/zone': 'old-key' } },
      status: { capacity: { cpu: '2', memory: '4Gi', pods: '10' }, allocatable: { cpu: '2', memory: '4Gi', pods: '10' }, conditions: [{ type: 'Ready', status: 'True' }] },
    } as Obj);
    return sim;
  }
  const podObj = (name: string, cpu: string, priority: number, labels?: Record<string, string>): Obj =>
    ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'default', ...(labels ? { labels } : {}) },
      spec: { priority, terminationGracePeriodSeconds: 0, containers: [{ name: 'c', image: 'x', resources: { requests: { cpu } } }] },
    }) as Obj;
  const get = (sim: Simulation, name: string) => sim.store.get<Pod & KObject>('Pod', 'default', name);

  // PodTopologyLabelsAdmission: alpha (off) in 1.33-1.34, beta and on in 1.35.
  it.each([
    ['1.34', {}],
    ['1.35', { [ZONE]: 'zone-a', [REGION]: 'region-1' }],
  ] as Array<[string, Record<string, string>]>)('emulated %s: topology labels the pod gets at binding: %j', (version, copied) => {
    const sim = cluster(version);
    sim.apply(podObj('p', '1', 0, { app: 'a', [ZONE]: 'stale' }));
    sim.runUntil(2_000);
    const p = get(sim, 'p')!;
    expect(p.spec?.nodeName).toBe('n1');
    // Only the two default keys are copied, overwriting what the pod had.
    expect(p.metadata.labels).toEqual({ app: 'a', [ZONE]: 'stale', ...copied });
  });

  // ClearingNominatedNodeNameAfterBinding: alpha (off) in 1.34, beta and on in 1.35.
  it.each([
    ['1.34', 'n1'],
    ['1.35', undefined],
  ] as Array<[string, string | undefined]>)('emulated %s: a preemptor bound to its nominated node keeps nominatedNodeName %s', (version, nnn) => {
    const sim = cluster(version);
    sim.apply(podObj('low', '2', 0));
    sim.runUntil(2_000);
    expect(get(sim, 'low')?.spec?.nodeName).toBe('n1');
    sim.apply(podObj('high', '2', 1000));
    sim.runUntil(60_000);
    expect(get(sim, 'low')).toBeUndefined();
    const high = get(sim, 'high')!;
    expect(high.spec?.nodeName).toBe('n1');
    expect(high.status?.nominatedNodeName).toBe(nnn);
  });
});

describe('SchedulerPopFromBackoffQ (beta, on since v1.33): an empty activeQ pops from podBackoffQ', () => {
  type Obj = KObject & Record<string, unknown>;
  /** When (ms) the second pod is bound: it was rejected at t≈0 and its blocker deleted at t=200, inside its 1 s backoff. */
  function boundAt(g: FeatureGates): number | undefined {
    const sim = Simulation.create({ seed: 1 });
    sim.use(createScheduler({ featureGates: g }));
    sim.apply({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'n1', labels: { 'kubernetes.io/hostname': 'n1' } },
      status: { capacity: { cpu: '1', memory: '4Gi', pods: '10' }, allocatable: { cpu: '1', memory: '4Gi', pods: '10' }, conditions: [{ type: 'Ready', status: 'True' }] },
    } as Obj);
    const podObj = (name: string): Obj =>
      ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { terminationGracePeriodSeconds: 0, containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: '1' } } }] } }) as Obj;
    sim.apply(podObj('a'));
    sim.runUntil(50);
    sim.apply(podObj('b'));
    sim.runUntil(200);
    expect(sim.store.get<Pod & KObject>('Pod', 'default', 'b')?.spec?.nodeName).toBeUndefined();
    sim.store.delete('Pod', 'default', 'a');
    for (let t = 210; t <= 3000; t += 10) {
      sim.runUntil(t);
      if (sim.store.get<Pod & KObject>('Pod', 'default', 'b')?.spec?.nodeName) return t;
    }
    return undefined;
  }
  it.each([
    // Off: b waits out its backoff (1 s from its failure at ≈51 ms) and the next 1 s flush (2000).
    ['1.32', gates('1.32'), 2000, 2100],
    ['1.33, SchedulerPopFromBackoffQ=false', gates('1.33', { SchedulerPopFromBackoffQ: false }), 2000, 2100],
    // On: the deletion moves b to podBackoffQ and the idle scheduler pops it at once.
    ['1.33', gates('1.33'), 200, 300],
    ['1.35', gates('1.35'), 200, 300],
  ] as Array<[string, FeatureGates, number, number]>)('emulated %s: bound between %s and %s ms', (_name, g, from, to) => {
    const t = boundAt(g)!;
    expect(t).toBeGreaterThanOrEqual(from);
    expect(t).toBeLessThanOrEqual(to);
  });
});

describe('SchedulerPopFromBackoffQ in the queue: ordering windows and the error backoff queue', () => {
  type P = Stored<Pod & KObject>;
  const mk = (name: string, priority = 0): P =>
    ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'd', uid: name, resourceVersion: '1' }, spec: { priority, containers: [{ name: 'c' }] } }) as P;
  function queue(popFromBackoffQ: boolean) {
    let now = 0;
    const q = nodeWatcherQueue({ now: () => now, popFromBackoffQ });
    return { q, at: (t: number) => (now = t) };
  }
  /** Pop `name`, fail it at `t` (rejected by NodeWatcher, or an error), then a Node/Add event moves it. */
  function failAndMove(h: ReturnType<typeof queue>, p: P, t: number, rejected: boolean): void {
    h.q.add(p);
    const qp = h.q.pop()!;
    h.at(t);
    if (rejected) qp.unschedulablePlugins.add('NodeWatcher');
    h.q.addUnschedulableIfNotPresent(qp);
    h.q.moveAllToActiveOrBackoffQueue(Events.nodeAdd);
  }

  it.each([
    // expiry 1500+1000 = 2500; with windows it is truncated to 2000 and the pod backs off until 3000.
    [false, 2600, false],
    [true, 2600, true],
    [true, 2999, true],
    [true, 3000, false],
  ])('PopFromBackoffQ=%s: a pod failed at 1500 (1st attempt) still backs off at %i: %s', (on, t, backingOff) => {
    const h = queue(on);
    failAndMove(h, mk('a'), 1500, true);
    expect(h.q.whereIs(mk('a'))).toBe('backoffQ');
    h.at(t);
    expect(h.q.isPodBackingOff(h.q.get(mk('a'))!)).toBe(backingOff);
  });

  it.each([
    [false, undefined],
    [true, 'rejected'],
  ])('PopFromBackoffQ=%s: with activeQ empty, pop() during backoff gives %s (never the error retry)', (on, want) => {
    const h = queue(on);
    failAndMove(h, mk('errored'), 100, false);
    failAndMove(h, mk('rejected'), 100, true);
    h.at(200);
    expect(h.q.stats().backoff).toBe(2);
    expect(h.q.pop()?.podInfo.pod.metadata?.name).toBe(want);
    expect(h.q.pop()).toBeUndefined();
  });

  it('within one window podBackoffQ pops in activeQ order (priority first), not by exact expiry', () => {
    const h = queue(true);
    failAndMove(h, mk('low-early', 0), 100, true);
    failAndMove(h, mk('high-late', 10), 900, true);
    h.at(950);
    expect(h.q.pop()?.podInfo.pod.metadata?.name).toBe('high-late');
    expect(h.q.pop()?.podInfo.pod.metadata?.name).toBe('low-early');
  });
});
