// Cases ported from kube-scheduler v1.31 tests during an audit of message
// assembly and framework edge cases:
//  - pkg/scheduler/framework/types_test.go TestFitError_Error (punctuation since
//    v1.28: PreFilter and Filter parts end with ".", the PostFilter message is
//    appended after a space as is);
//  - pkg/scheduler/framework/runtime/framework_test.go TestRunPreFilterPlugins
//    (plugin names in the "didn't satisfy" message come from a sorted set;
//    an UnschedulableAndUnresolvable PreFilter returns no plugin set);
//  - pkg/scheduler/schedule_one.go schedulingCycle (no PostFilter plugins: the
//    empty ScheduleResult carries a nil NominatingInfo, i.e. ModeNoop);
//  - pkg/scheduler/schedule_one_test.go TestNumFeasibleNodesToFind.
import { FeatureGates } from '../../src/api/featureGates.ts';
import { describe, expect, it } from 'vitest';
import type { Node, Pod } from 'kubernetes-types/core/v1';
import type { KObject, Stored } from '../../src/sim/types.ts';
import { Simulation } from '../../src/sim/simulation.ts';
import { createScheduler } from '../../src/scheduler/scheduler.ts';
import { loadSchedulerConfig } from '../../src/scheduler/config.ts';
import { buildFramework } from '../../src/scheduler/profile.ts';
import { fitErrorMessage, newDiagnosis } from '../../src/scheduler/framework/fitError.ts';
import { numFeasibleNodesToFind } from '../../src/scheduler/framework/algorithm.ts';
import { ActionType, Code, Status, type NodeInfo, type Plugin, type PluginFactory } from '../../src/scheduler/framework/types.ts';
import { NodeInfoImpl } from '../../src/scheduler/framework/nodeInfo.ts';
import { newPodInfo } from '../../src/scheduler/framework/podInfo.ts';
import { newCycleState } from '../../src/scheduler/framework/cycleState.ts';
import { Snapshot } from '../../src/scheduler/framework/snapshot.ts';
import { fakeStoreReader } from '../../src/scheduler/framework/testing.ts';
import { PrioritySort } from '../../src/scheduler/plugins/PrioritySort.ts';
import { DefaultBinder } from '../../src/scheduler/plugins/DefaultBinder.ts';
import { SchedulingGates } from '../../src/scheduler/plugins/SchedulingGates.ts';
import { PriorityQueue } from '../../src/scheduler/queue/schedulingQueue.ts';
import { Events } from '../../src/scheduler/queue/events.ts';

describe('FitError.Error (upstream TestFitError_Error)', () => {
  const three = (msg: string, m3 = msg): Map<string, Status> =>
    new Map([
      ['node1', Status.unschedulable(msg)],
      ['node2', Status.unschedulable(msg)],
      ['node3', Status.unschedulable(m3)],
    ]);
  const cases: Array<{ name: string; numAllNodes: number; pre?: string; statuses: Map<string, Status>; post?: string; want: string }> = [
    {
      name: 'nodes failed Prefilter plugin',
      numAllNodes: 3,
      pre: 'Node(s) failed PreFilter plugin FalsePreFilter',
      // The framework copies the PreFilter status to every node; it is not counted again.
      statuses: three('Node(s) failed PreFilter plugin FalsePreFilter'),
      want: '0/3 nodes are available: Node(s) failed PreFilter plugin FalsePreFilter.',
    },
    {
      name: 'nodes failed Prefilter plugin and the preemption also failed',
      numAllNodes: 3,
      pre: 'Node(s) failed PreFilter plugin FalsePreFilter',
      statuses: three('Node(s) failed PreFilter plugin FalsePreFilter'),
      post: 'Error running PostFilter plugin FailedPostFilter',
      want: '0/3 nodes are available: Node(s) failed PreFilter plugin FalsePreFilter. Error running PostFilter plugin FailedPostFilter',
    },
    {
      name: 'nodes failed one Filter plugin with an empty PostFilterMsg',
      numAllNodes: 3,
      statuses: three('Node(s) failed Filter plugin FalseFilter-1'),
      want: '0/3 nodes are available: 3 Node(s) failed Filter plugin FalseFilter-1.',
    },
    {
      name: 'nodes failed one Filter plugin with a non-empty PostFilterMsg',
      numAllNodes: 3,
      statuses: three('Node(s) failed Filter plugin FalseFilter-1'),
      post: 'Error running PostFilter plugin FailedPostFilter',
      want: '0/3 nodes are available: 3 Node(s) failed Filter plugin FalseFilter-1. Error running PostFilter plugin FailedPostFilter',
    },
    {
      name: 'nodes failed two Filter plugins with an empty PostFilterMsg',
      numAllNodes: 3,
      statuses: three('Node(s) failed Filter plugin FalseFilter-1', 'Node(s) failed Filter plugin FalseFilter-2'),
      want: '0/3 nodes are available: 1 Node(s) failed Filter plugin FalseFilter-2, 2 Node(s) failed Filter plugin FalseFilter-1.',
    },
    {
      name: 'nodes failed two Filter plugins with a non-empty PostFilterMsg',
      numAllNodes: 3,
      statuses: three('Node(s) failed Filter plugin FalseFilter-1', 'Node(s) failed Filter plugin FalseFilter-2'),
      post: 'Error running PostFilter plugin FailedPostFilter',
      want: '0/3 nodes are available: 1 Node(s) failed Filter plugin FalseFilter-2, 2 Node(s) failed Filter plugin FalseFilter-1. Error running PostFilter plugin FailedPostFilter',
    },
    {
      name: 'failed to Permit on node',
      numAllNodes: 1,
      statuses: new Map([['node1', Status.unschedulable('Node failed Permit plugin Permit-1')]]),
      want: '0/1 nodes are available: 1 Node failed Permit plugin Permit-1.',
    },
    {
      name: 'failed to Reserve on node',
      numAllNodes: 1,
      statuses: new Map([['node1', Status.unschedulable('Node failed Reserve plugin Reserve-1')]]),
      want: '0/1 nodes are available: 1 Node failed Reserve plugin Reserve-1.',
    },
    {
      name: 'a status with several reasons counts each reason once per node',
      numAllNodes: 2,
      statuses: new Map([
        ['node1', Status.unschedulable('Insufficient cpu', 'Insufficient memory')],
        ['node2', Status.unschedulable('Insufficient cpu')],
      ]),
      want: '0/2 nodes are available: 1 Insufficient memory, 2 Insufficient cpu.',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const d = newDiagnosis();
      d.preFilterMsg = c.pre ?? '';
      d.postFilterMsg = c.post ?? '';
      for (const [n, s] of c.statuses) d.nodeToStatus.set(n, s);
      expect(fitErrorMessage(c.numAllNodes, d)).toBe(c.want);
    });
  }
});

describe('numFeasibleNodesToFind (upstream TestNumFeasibleNodesToFind)', () => {
  // [name, global percentage, profile percentage (undefined = unset), nodes, want]
  const cases: Array<[string, number, number | undefined, number, number]> = [
    ['not set percentageOfNodesToScore and nodes number not more than 50', 0, undefined, 10, 10],
    ['set profile percentageOfNodesToScore and nodes number not more than 50', 0, 40, 10, 10],
    ['not set percentageOfNodesToScore and nodes number more than 50', 0, undefined, 1000, 420],
    ['set profile percentageOfNodesToScore and nodes number more than 50', 0, 40, 1000, 400],
    ['set global and profile percentageOfNodesToScore and nodes number more than 50', 100, 40, 1000, 400],
    ['set global percentageOfNodesToScore and nodes number more than 50', 40, undefined, 1000, 400],
    ['not set profile percentageOfNodesToScore and nodes number more than 50*125', 0, undefined, 6000, 300],
    ['set profile percentageOfNodesToScore and nodes number more than 50*125', 0, 40, 6000, 2400],
  ];
  it.each(cases)('%s', (_name, global, profile, nodes, want) => {
    // The scheduler passes the profile value when set, the global one otherwise (algorithm.ts schedulePod).
    expect(numFeasibleNodesToFind(profile ?? global, nodes)).toBe(want);
  });
});

describe('RunPreFilterPlugins (upstream framework_test.go TestRunPreFilterPlugins)', () => {
  const node = (name: string): Node => ({ apiVersion: 'v1', kind: 'Node', metadata: { name }, status: { allocatable: { cpu: '4', memory: '8Gi', pods: '110' } } });
  const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'd', uid: 'p' }, spec: { containers: [{ name: 'c' }] } };
  const nodes = (): NodeInfo[] => ['n0', 'n1', 'n2'].map((n, i) => new NodeInfoImpl(node(n), i));
  const withNodes = (name: string, names: string[] | null, status: Status | null = null): PluginFactory => () =>
    ({ name, preFilter: () => ({ result: names ? { nodeNames: new Set(names) } : null, status }), filter: () => null }) as unknown as Plugin;
  function framework(plugins: Array<[string, PluginFactory]>) {
    const reg = new Map<string, PluginFactory>([
      ['PrioritySort', () => new PrioritySort()],
      ['DefaultBinder', (_a, h) => new DefaultBinder(h)],
      ...plugins,
    ]);
    const prof = loadSchedulerConfig({
      profiles: [
        {
          schedulerName: 'default-scheduler',
          plugins: { multiPoint: { disabled: [{ name: '*' }], enabled: [{ name: 'PrioritySort' }, ...plugins.map(([n]) => ({ name: n })), { name: 'DefaultBinder' }] } },
        },
      ],
    }).profiles[0]!;
    const snap = new Snapshot(nodes());
    return buildFramework(prof, 0, reg, { snapshot: () => snap, store: () => fakeStoreReader([]), nominator: () => ({ nominatedPodsForNode: () => [] }), now: () => 0 });
  }

  it('names the plugins of an empty intersection in sorted order, not plugin order', () => {
    const fw = framework([
      ['Zeta', withNodes('Zeta', ['n0'])],
      ['Alpha', withNodes('Alpha', ['n1'])],
    ]);
    const out = fw.runPreFilterPlugins(newCycleState(), newPodInfo(pod), nodes());
    expect(out.status!.code).toBe(Code.UnschedulableAndUnresolvable);
    expect(out.status!.reasons).toEqual(["node(s) didn't satisfy plugin(s) [Alpha Zeta] simultaneously"]);
  });

  it('a single plugin filtering out every node is named alone', () => {
    const fw = framework([['Only', withNodes('Only', [])]]);
    const out = fw.runPreFilterPlugins(newCycleState(), newPodInfo(pod), nodes());
    expect(out.status!.reasons).toEqual(["node(s) didn't satisfy plugin Only"]);
    expect([...out.unschedulablePlugins]).toEqual(['Only']);
  });

  it('an UnschedulableAndUnresolvable PreFilter returns no plugin set (only the rejector is recorded later)', () => {
    const fw = framework([
      ['Narrow', withNodes('Narrow', ['n0', 'n1'])],
      ['Reject', withNodes('Reject', null, Status.unresolvable('nope'))],
    ]);
    const out = fw.runPreFilterPlugins(newCycleState(), newPodInfo(pod), nodes());
    expect(out.status!.code).toBe(Code.UnschedulableAndUnresolvable);
    expect(out.status!.plugin).toBe('Reject');
    expect([...out.unschedulablePlugins]).toEqual([]);
  });

  it('an Unschedulable PreFilter lets the others run and keeps their plugin set', () => {
    const fw = framework([
      ['Soft', withNodes('Soft', null, Status.unschedulable('soft no'))],
      ['Narrow', withNodes('Narrow', ['n0', 'n1'])],
    ]);
    const out = fw.runPreFilterPlugins(newCycleState(), newPodInfo(pod), nodes());
    expect(out.status!.code).toBe(Code.Unschedulable);
    expect(out.status!.plugin).toBe('Soft');
    expect([...out.unschedulablePlugins]).toEqual(['Narrow']);
  });
});

describe('schedulingCycle nominating info (upstream schedule_one.go)', () => {
  const node = (name: string): Node & KObject => ({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name } },
    status: { capacity: { cpu: '4', memory: '16Gi', pods: '110' }, allocatable: { cpu: '4', memory: '16Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] },
  });
  const bigPod = (): Pod & KObject => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'big', namespace: 'default' },
    spec: { containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu: '8' } } }] },
    status: { nominatedNodeName: 'n1' },
  });

  it('without PostFilter plugins a FitError leaves status.nominatedNodeName alone (nil NominatingInfo = Noop)', () => {
    const sim = Simulation.create({ seed: 1 });
    const config = { profiles: [{ schedulerName: 'default-scheduler', plugins: { multiPoint: { disabled: [{ name: 'DefaultPreemption' }] } } }] };
    sim.use(createScheduler({ config }));
    sim.apply([node('n1'), node('n2')]);
    sim.apply(bigPod());
    sim.runUntilQuiet();
    const p = sim.store.get<Pod & KObject>('Pod', 'default', 'big')!;
    expect(p.spec!.nodeName).toBeUndefined();
    const c = p.status!.conditions!.find((x) => x.type === 'PodScheduled')!;
    expect(c.reason).toBe('Unschedulable');
    expect(c.message).toBe('0/2 nodes are available: 2 Insufficient cpu.');
    expect(p.status!.nominatedNodeName).toBe('n1');
  });
});

// ---------------------------------------------------------------------------
// PriorityQueue cases after upstream backend/queue/scheduling_queue_test.go
// (TestBackOffFlow, TestPriorityQueue_Activate, wildcard moves, gated pods).
// ---------------------------------------------------------------------------

type QP = Stored<Pod & KObject>;
const qpod = (name: string, extra: Partial<NonNullable<Pod['spec']>> = {}): QP =>
  ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'd', uid: name, resourceVersion: '1' }, spec: { containers: [{ name: 'c' }], ...extra } }) as QP;

function queue() {
  let now = 0;
  const reg = new Map<string, PluginFactory>([
    ['PrioritySort', () => new PrioritySort()],
    ['DefaultBinder', (_a, h) => new DefaultBinder(h)],
    ['SchedulingGates', () => new SchedulingGates()],
    // Interested in node adds, always Queue.
    ['NodeWatcher', () => ({ name: 'NodeWatcher', filter: () => null, eventsToRegister: () => [{ event: { resource: 'Node', actionType: ActionType.Add } }] }) as unknown as Plugin],
  ]);
  const prof = loadSchedulerConfig({
    profiles: [
      {
        schedulerName: 'default-scheduler',
        plugins: { multiPoint: { disabled: [{ name: '*' }], enabled: [{ name: 'SchedulingGates' }, { name: 'PrioritySort' }, { name: 'NodeWatcher' }, { name: 'DefaultBinder' }] } },
      },
    ],
  }).profiles[0]!;
  const snap = new Snapshot([]);
  const fw = buildFramework(prof, 0, reg, { snapshot: () => snap, store: () => fakeStoreReader([]), nominator: () => ({ nominatedPodsForNode: () => [] }), now: () => now });
  const q = new PriorityQueue({ profiles: new Map([['default-scheduler', fw]]), now: () => now });
  return { q, setNow: (t: number) => (now = t) };
}

describe('PriorityQueue (upstream scheduling_queue_test.go)', () => {
  it('TestBackOffFlow: each failed attempt backs off 1s, 2s, 4s, 8s, then 10s', () => {
    const { q, setNow } = queue();
    q.add(qpod('a'));
    let t = 0;
    const want = [1000, 2000, 4000, 8000, 10000, 10000];
    for (let attempt = 1; attempt <= want.length; attempt++) {
      const qp = q.pop()!;
      expect(qp.attempts).toBe(attempt);
      // An error (no rejecting plugin) sends the pod to backoffQ, timestamped now.
      expect(q.addUnschedulableIfNotPresent(qp)).toBe('backoffQ');
      expect(q.nextBackoffExpiry()).toBe(t + want[attempt - 1]!);
      setNow(t + want[attempt - 1]! - 1);
      q.flushBackoffQCompleted();
      expect(q.whereIs(qp.podInfo.pod)).toBe('backoffQ');
      t += want[attempt - 1]!;
      setNow(t);
      q.flushBackoffQCompleted();
      expect(q.whereIs(qp.podInfo.pod)).toBe('activeQ');
    }
  });

  it('TestPriorityQueue_Activate: pods in unschedulablePods or backoffQ move to activeQ; unknown pods are ignored', () => {
    const { q } = queue();
    q.add(qpod('u'));
    q.add(qpod('b'));
    const u = q.pop()!;
    const b = q.pop()!;
    u.unschedulablePlugins.add('NodeWatcher');
    expect(q.addUnschedulableIfNotPresent(u)).toBe('unschedulablePods');
    expect(q.addUnschedulableIfNotPresent(b)).toBe('backoffQ');
    q.activate([u.podInfo.pod, b.podInfo.pod, qpod('unknown')]);
    expect(q.whereIs(u.podInfo.pod)).toBe('activeQ');
    expect(q.whereIs(b.podInfo.pod)).toBe('activeQ');
    expect(q.whereIs(qpod('unknown'))).toBeUndefined();
    expect(q.stats().active).toBe(2);
  });

  it('a wildcard event (UnschedulableTimeout) requeues regardless of the rejecting plugins, respecting backoff', () => {
    const { q, setNow } = queue();
    q.add(qpod('a'));
    const qp = q.pop()!;
    qp.unschedulablePlugins.add('SomePluginWithoutEvents');
    expect(q.addUnschedulableIfNotPresent(qp)).toBe('unschedulablePods');
    // A specific event no rejecting plugin registered for: skipped.
    q.moveAllToActiveOrBackoffQueue(Events.nodeAdd, undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n' } } as Stored);
    expect(q.whereIs(qp.podInfo.pod)).toBe('unschedulablePods');
    setNow(500);
    q.moveAllToActiveOrBackoffQueue(Events.unschedulableTimeout);
    expect(q.whereIs(qp.podInfo.pod)).toBe('backoffQ');
  });

  it('a gated pod is never backing off (upstream isPodBackingoff)', () => {
    const { q } = queue();
    const g = qpod('g', { schedulingGates: [{ name: 'x' }] });
    q.add(g);
    const qp = q.get(g)!;
    expect(qp.gated).toBe(true);
    qp.attempts = 3;
    expect(q.isPodBackingOff(qp)).toBe(false);
    qp.gated = false;
    expect(q.isPodBackingOff(qp)).toBe(true);
  });
});

describe('FailedScheduling with a PreFilterResult (schedule_one.go + FitError.Error)', () => {
  const node = (name: string): Node & KObject => ({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name } },
    status: { capacity: { cpu: '4', memory: '16Gi', pods: '110' }, allocatable: { cpu: '4', memory: '16Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] },
  });

  it.each([
    // v1.32/v1.33: absent nodes counted; the short node (8 cpu asked, 4 allocatable) is Unschedulable, so preemption tries it.
    ['1.33', "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't satisfy plugin(s) [NodeAffinity]. preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling."],
    // v1.34+: a request beyond the node's whole allocatable is UnschedulableAndUnresolvable: preemption is not helpful anywhere.
    ['1.35', "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't satisfy plugin(s) [NodeAffinity]. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."],
  ])('nodes outside the PreFilterResult are counted with the absent-nodes status (emulated %s)', (version, want) => {
    const sim = Simulation.create({ seed: 1 });
    sim.use(createScheduler({ featureGates: FeatureGates.resolve({ emulatedVersion: version }) }));
    sim.apply([node('n1'), node('n2'), node('n3')]);
    // NodeAffinity's PreFilter narrows the cycle to n1 (matchFields metadata.name).
    sim.apply({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'default' },
      spec: {
        containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu: '8' } } }],
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }] },
          },
        },
      },
    } as Pod & KObject);
    sim.runUntilQuiet();
    const p = sim.store.get<Pod & KObject>('Pod', 'default', 'p')!;
    const c = p.status!.conditions!.find((x) => x.type === 'PodScheduled')!;
    expect(c.message).toBe(want);
    const ev = sim.events().filter((e) => e.reason === 'FailedScheduling' && e.involvedObject.name === 'p');
    expect(ev[0]!.message).toBe(c.message);
  });
});

describe('handleSchedulingFailure: event vs condition (upstream schedule_one.go truncateMessage)', () => {
  it('the FailedScheduling event is truncated to 1024 characters with " ...", the PodScheduled condition keeps the full message', () => {
    const sim = Simulation.create({ seed: 1 });
    sim.use(createScheduler());
    const nodes: Array<Node & KObject> = [];
    for (let i = 0; i < 40; i++) {
      const name = `node-${String(i).padStart(2, '0')}`;
      nodes.push({
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name, labels: { 'kubernetes.io/hostname': name } },
        spec: { taints: [{ key: `dedicated-${i}`, value: 'x'.repeat(20), effect: 'NoSchedule' }] },
        status: { capacity: { cpu: '4', memory: '16Gi', pods: '110' }, allocatable: { cpu: '4', memory: '16Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] },
      });
    }
    sim.apply(nodes);
    sim.apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } as Pod & KObject);
    sim.runUntilQuiet();
    const p = sim.store.get<Pod & KObject>('Pod', 'default', 'p')!;
    const full = p.status!.conditions!.find((x) => x.type === 'PodScheduled')!.message!;
    expect(full.length).toBeGreaterThan(1024);
    expect(full.startsWith('0/40 nodes are available: 1 node(s) had untolerated taint {dedicated-0: xxxxxxxxxxxxxxxxxxxx}, ')).toBe(true);
    const ev = sim.events().find((e) => e.reason === 'FailedScheduling' && e.involvedObject.name === 'p')!;
    expect(ev.message.length).toBe(1024);
    expect(ev.message).toBe(full.slice(0, 1020) + ' ...');
  });
});
