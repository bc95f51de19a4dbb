/**
 * DefaultPreemption, following kube-scheduler v1.31
 * pkg/scheduler/framework/plugins/defaultpreemption and
 * pkg/scheduler/framework/preemption: candidate choice criteria, PDBs,
 * victim selection (reprieve order), eligibility, messages, and the effect
 * on the cluster (nomination, DisruptionTarget condition, graceful delete,
 * Preempted event).
 */
import { describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1';
import { Simulation } from '../../src/sim/simulation.ts';
import { startComponents } from '../../src/components.ts';
import type { KObject } from '../../src/sim/types.ts';
import { newPodInfo } from '../../src/scheduler/framework/podInfo.ts';
import { NodeInfoImpl } from '../../src/scheduler/framework/nodeInfo.ts';
import { newCycleState } from '../../src/scheduler/framework/cycleState.ts';
import { fakeHandle } from '../../src/scheduler/framework/testing.ts';
import { Status, type CycleState, type NodeInfo, type PodInfo } from '../../src/scheduler/framework/types.ts';
import { pickOneNodeForPreemption, type Candidate } from '../../src/scheduler/preemption/evaluator.ts';
import { compilePDBs, filterPodsWithPDBViolation, type PDB } from '../../src/scheduler/preemption/pdb.ts';
import { DefaultPreemption, defaultPreemptionArgs } from '../../src/scheduler/plugins/DefaultPreemption.ts';

// ---------------------------------------------------------------- builders

let seq = 0;
function pod(name: string, priority: number, opts: { cpu?: string; startTime?: string; labels?: Record<string, string>; node?: string; ns?: string } = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: opts.ns ?? 'default', uid: `uid-${name}-${++seq}`, ...(opts.labels ? { labels: opts.labels } : {}) },
    spec: {
      priority,
      ...(opts.node ? { nodeName: opts.node } : {}),
      containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: opts.cpu ?? '1' } } }],
    },
    ...(opts.startTime ? { status: { startTime: opts.startTime } } : {}),
  };
}

function cand(name: string, victims: Pod[], numPDBViolations = 0): Candidate {
  return { name, victims: victims.map((p) => newPodInfo(p)), numPDBViolations };
}

const T0 = '2025-01-01T00:00:00Z';
const T1 = '2025-01-01T00:01:00Z';
const T2 = '2025-01-01T00:02:00Z';

// ---------------------------------------------------------------- pickOneNodeForPreemption

describe('pickOneNodeForPreemption (upstream criteria, in order)', () => {
  const cases: Array<{ name: string; candidates: Candidate[]; want: string }> = [
    {
      // 1. fewest PDB violations wins even with higher-priority victims.
      name: 'fewest PDB violations',
      candidates: [cand('a', [pod('a1', 1)], 1), cand('b', [pod('b1', 100)], 0)],
      want: 'b',
    },
    {
      // 2. the lowest priority of the most important victim.
      name: 'lowest highest-priority victim',
      candidates: [cand('a', [pod('a1', 50), pod('a2', 1)]), cand('b', [pod('b1', 40), pod('b2', 39), pod('b3', 38)])],
      want: 'b',
    },
    {
      // 3. smallest sum of priorities (highest priorities tie at 10).
      name: 'smallest sum of priorities',
      candidates: [cand('a', [pod('a1', 10), pod('a2', 9)]), cand('b', [pod('b1', 10), pod('b2', 5)])],
      want: 'b',
    },
    {
      // 3'. negative priorities: each victim adds MaxInt32+1, so fewer victims of the same negative priority sum lower.
      name: 'sum with negative priorities uses MaxInt32+1 shift',
      candidates: [cand('a', [pod('a1', -5), pod('a2', -5), pod('a3', -5)]), cand('b', [pod('b1', -5)])],
      want: 'b',
    },
    {
      // 4. fewest victims (equal sums: 10+0 vs 10 -> sums differ by the shift, so make sums equal via counts).
      name: 'fewest victims when the sum ties',
      candidates: [cand('a', [pod('a1', 10)]), cand('b', [pod('b1', 10)])],
      want: 'a',
    },
    {
      // 5. latest earliest start time among the highest-priority victims.
      name: 'latest start time of highest-priority victims',
      candidates: [cand('a', [pod('a1', 10, { startTime: T0 })]), cand('b', [pod('b1', 10, { startTime: T2 })]), cand('c', [pod('c1', 10, { startTime: T1 })])],
      want: 'b',
    },
    {
      // 5'. only the highest-priority victims' start times count.
      name: 'start time of lower-priority victims ignored',
      candidates: [
        cand('a', [pod('a1', 10, { startTime: T1 }), pod('a2', 5, { startTime: T0 })]),
        cand('b', [pod('b1', 10, { startTime: T0 }), pod('b2', 5, { startTime: T2 })]),
      ],
      want: 'a',
    },
    {
      // 6. all equal: the first candidate.
      name: 'first on a full tie',
      candidates: [cand('x', [pod('x1', 10, { startTime: T0 })]), cand('y', [pod('y1', 10, { startTime: T0 })])],
      want: 'x',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(pickOneNodeForPreemption(c.candidates, null)?.name).toBe(c.want);
    });
  }
  it('no candidates gives none', () => {
    expect(pickOneNodeForPreemption([], null)).toBeUndefined();
  });
});

// ---------------------------------------------------------------- PDBs

function pdb(name: string, matchLabels: Record<string, string> | undefined, disruptionsAllowed: number, disruptedPods?: Record<string, string>): PDB {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name, namespace: 'default' },
    spec: matchLabels === undefined ? {} : { selector: { matchLabels } },
    status: { disruptionsAllowed, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0, ...(disruptedPods ? { disruptedPods } : {}) },
  } as PDB;
}

describe('filterPodsWithPDBViolation (upstream rules)', () => {
  const names = (l: PodInfo[]): string[] => l.map((p) => p.pod.metadata?.name ?? '');
  it('counts down disruptionsAllowed in order; the pod that takes it below zero violates', () => {
    const pods = [pod('p1', 1, { labels: { app: 'a' } }), pod('p2', 1, { labels: { app: 'a' } }), pod('p3', 1, { labels: { app: 'b' } })].map((p) => newPodInfo(p));
    const r = filterPodsWithPDBViolation(pods, compilePDBs([pdb('a', { app: 'a' }, 1)]));
    expect(names(r.violating)).toEqual(['p2']);
    expect(names(r.nonViolating)).toEqual(['p1', 'p3']);
  });
  it('a pod in several PDBs violates when any of them goes below zero', () => {
    const pods = [pod('p1', 1, { labels: { app: 'a', tier: 'x' } })].map((p) => newPodInfo(p));
    const r = filterPodsWithPDBViolation(pods, compilePDBs([pdb('a', { app: 'a' }, 5), pdb('t', { tier: 'x' }, 0)]));
    expect(names(r.violating)).toEqual(['p1']);
  });
  it('pods without labels, empty/nil selectors, other namespaces and already-disrupted pods do not count', () => {
    const pods = [pod('nolabels', 1), pod('other', 1, { labels: { app: 'a' }, ns: 'other' }), pod('done', 1, { labels: { app: 'a' } })].map((p) => newPodInfo(p));
    const r = filterPodsWithPDBViolation(pods, compilePDBs([pdb('empty', {}, 0), pdb('nil', undefined, 0), pdb('a', { app: 'a' }, 0, { done: T0 })]));
    expect(names(r.violating)).toEqual([]);
    expect(names(r.nonViolating)).toEqual(['nolabels', 'other', 'done']);
  });
});

// ---------------------------------------------------------------- args, candidates count

describe('DefaultPreemption args and candidate count', () => {
  it('defaults 10% / 100 and validates as upstream', () => {
    expect(defaultPreemptionArgs(undefined)).toEqual({ minCandidateNodesPercentage: 10, minCandidateNodesAbsolute: 100 });
    expect(() => defaultPreemptionArgs({ minCandidateNodesPercentage: 0, minCandidateNodesAbsolute: 0 })).toThrow(/cannot be zero at the same time/);
    expect(() => defaultPreemptionArgs({ minCandidateNodesPercentage: 101 })).toThrow(/not in valid range \[0, 100\]/);
  });
  it('calculateNumCandidates: max(pct share, absolute), at most the node count', () => {
    const dp = new DefaultPreemption({ minCandidateNodesPercentage: 10, minCandidateNodesAbsolute: 100 }, fakeHandle());
    expect(dp.calculateNumCandidates(50)).toBe(50);
    expect(dp.calculateNumCandidates(500)).toBe(100);
    expect(dp.calculateNumCandidates(5000)).toBe(500);
    const dp2 = new DefaultPreemption({ minCandidateNodesPercentage: 15, minCandidateNodesAbsolute: 0 }, fakeHandle());
    expect(dp2.calculateNumCandidates(99)).toBe(14); // int32 arithmetic truncates
  });
});

// ---------------------------------------------------------------- selectVictimsOnNode

/** A CPU-only fit filter (the role NodeResourcesFit plays upstream). */
const cpuFit = {
  name: 'CPUFit',
  filter(_s: CycleState, p: PodInfo, n: NodeInfo) {
    return p.requests.milliCPU > n.allocatable.milliCPU - n.requested.milliCPU ? Status.unschedulable('Insufficient cpu') : null;
  },
};

function nodeWith(name: string, cpu: string, pods: Pod[]): NodeInfoImpl {
  const ni = new NodeInfoImpl({ apiVersion: 'v1', kind: 'Node', metadata: { name }, status: { allocatable: { cpu, pods: '110' } } });
  for (const p of pods) ni.addPod(newPodInfo({ ...p, spec: { ...p.spec!, nodeName: name } }));
  return ni;
}

describe('selectVictimsOnNode (reprieve order)', () => {
  it('keeps the most important pods and evicts only what is needed, most important victim first', () => {
    const ni = nodeWith('n', '4', [pod('p10', 10), pod('p30', 30), pod('p20', 20), pod('p40', 40)]);
    const dp = new DefaultPreemption({ minCandidateNodesPercentage: 10, minCandidateNodesAbsolute: 100 }, fakeHandle({ nodes: [ni], filterPlugins: [cpuFit] }));
    const r = dp.selectVictimsOnNode(newCycleState(), newPodInfo(pod('pre', 100, { cpu: '2' })), ni.clone(), []);
    expect(r.status).toBeNull();
    expect(r.victims.map((v) => v.pod.metadata?.name)).toEqual(['p20', 'p10']);
    expect(r.numPDBViolations).toBe(0);
  });
  it('reprieves PDB-protected pods first, so unprotected lower-importance pods go instead', () => {
    const ni = nodeWith('n', '2', [pod('prot', 10, { labels: { app: 'a' } }), pod('free', 20)]);
    const dp = new DefaultPreemption({ minCandidateNodesPercentage: 10, minCandidateNodesAbsolute: 100 }, fakeHandle({ nodes: [ni], filterPlugins: [cpuFit] }));
    const r = dp.selectVictimsOnNode(newCycleState(), newPodInfo(pod('pre', 100, { cpu: '1' })), ni.clone(), compilePDBs([pdb('a', { app: 'a' }, 0)]));
    expect(r.victims.map((v) => v.pod.metadata?.name)).toEqual(['free']);
    expect(r.numPDBViolations).toBe(0);
  });
  it('counts PDB violations when a protected pod must go', () => {
    const ni = nodeWith('n', '2', [pod('prot', 10, { labels: { app: 'a' } }), pod('free', 20)]);
    const dp = new DefaultPreemption({ minCandidateNodesPercentage: 10, minCandidateNodesAbsolute: 100 }, fakeHandle({ nodes: [ni], filterPlugins: [cpuFit] }));
    const r = dp.selectVictimsOnNode(newCycleState(), newPodInfo(pod('pre', 100, { cpu: '2' })), ni.clone(), compilePDBs([pdb('a', { app: 'a' }, 0)]));
    expect(r.victims.map((v) => v.pod.metadata?.name)).toEqual(['free', 'prot']);
    expect(r.numPDBViolations).toBe(1);
  });
  it('no lower-priority pods: UnschedulableAndUnresolvable "No preemption victims found for incoming pod"', () => {
    const ni = nodeWith('n', '2', [pod('same', 100, { cpu: '2' })]);
    const dp = new DefaultPreemption({ minCandidateNodesPercentage: 10, minCandidateNodesAbsolute: 100 }, fakeHandle({ nodes: [ni], filterPlugins: [cpuFit] }));
    const r = dp.selectVictimsOnNode(newCycleState(), newPodInfo(pod('pre', 100, { cpu: '1' })), ni.clone(), []);
    expect(r.status?.code).toBe(3);
    expect(r.status?.reasons).toEqual(['No preemption victims found for incoming pod']);
  });
  it('does not change the NodeInfo it was given a copy of', () => {
    const ni = nodeWith('n', '2', [pod('low', 1, { cpu: '2' })]);
    const dp = new DefaultPreemption({ minCandidateNodesPercentage: 10, minCandidateNodesAbsolute: 100 }, fakeHandle({ nodes: [ni], filterPlugins: [cpuFit] }));
    dp.selectVictimsOnNode(newCycleState(), newPodInfo(pod('pre', 100, { cpu: '1' })), ni.clone(), []);
    expect(ni.pods.length).toBe(1);
    expect(ni.requested.milliCPU).toBe(2000);
  });
});

// ---------------------------------------------------------------- whole cluster

type PodObj = Pod & KObject;

function cluster(nodes: Array<{ name: string; cpu: string; taint?: boolean }>, seed = 1): Simulation {
  const sim = Simulation.create({ seed });
  startComponents(sim, {});
  for (const [name, value, policy] of [
    ['low', 10, undefined],
    ['mid', 100, undefined],
    ['high', 1000, undefined],
    ['high-never', 1000, 'Never'],
  ] as const) {
    sim.apply({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value, ...(policy ? { preemptionPolicy: policy } : {}) });
  }
  for (const n of nodes) {
    const res = { cpu: n.cpu, memory: '8Gi', pods: '110' };
    sim.apply({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: n.name, labels: { 'kubernetes.io/hostname': n.name } },
      ...(n.taint ? { spec: { taints: [{ key: 'dedicated', value: 'x', effect: 'NoSchedule' }] } } : {}),
      status: { capacity: res, allocatable: res },
    });
  }
  return sim;
}

function podObj(name: string, pc: string, cpu: string, opts: { node?: string; grace?: number; labels?: Record<string, string>; shutdown?: string } = {}): PodObj {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      ...(opts.labels ? { labels: opts.labels } : {}),
      // How long the kubelet stand-in takes to stop the containers once deleted.
      ...(opts.shutdown ? { annotations: { 'ksim.dev/shutdown-duration': opts.shutdown } } : {}),
    },
    spec: {
      priorityClassName: pc,
      ...(opts.node ? { nodeName: opts.node } : {}),
      ...(opts.grace !== undefined ? { terminationGracePeriodSeconds: opts.grace } : {}),
      containers: [{ name: 'c', image: 'x', resources: { requests: { cpu } } }],
    },
  };
}

const get = (sim: Simulation, name: string): PodObj | undefined => sim.get<PodObj>('Pod', 'default', name);
const failedMsgs = (sim: Simulation, name: string): string[] =>
  sim
    .events()
    .filter((e) => e.involvedObject.name === name && e.reason === 'FailedScheduling')
    .map((e) => e.message);

describe('preemption in a running cluster', () => {
  it('nominates the node, marks and gracefully deletes the victim, then binds the preemptor there', () => {
    const sim = cluster([{ name: 'n1', cpu: '2' }]);
    sim.apply(podObj('victim', 'low', '2', { grace: 20, shutdown: '10s' }));
    sim.runUntil(5000);
    expect(get(sim, 'victim')?.spec?.nodeName).toBe('n1');
    sim.apply(podObj('pre', 'high', '1'));
    sim.runUntil(5100);

    const pre = get(sim, 'pre')!;
    expect(pre.status?.nominatedNodeName).toBe('n1');
    expect(pre.spec?.nodeName).toBeUndefined();
    // The preemptor's own attempt still failed: the message is the plain FitError (PostFilter succeeded, no message).
    expect(failedMsgs(sim, 'pre')).toEqual(['0/1 nodes are available: 1 Insufficient cpu.']);

    const victim = get(sim, 'victim')!;
    expect(victim.metadata.deletionTimestamp).toBeDefined();
    expect(victim.metadata.deletionGracePeriodSeconds).toBe(20);
    const dt = victim.status?.conditions?.find((c) => c.type === 'DisruptionTarget');
    expect(dt).toMatchObject({ status: 'True', reason: 'PreemptionByScheduler', message: 'default-scheduler: preempting to accommodate a higher priority pod' });
    const ev = sim.events().find((e) => e.reason === 'Preempted');
    expect(ev).toMatchObject({ type: 'Normal', message: `Preempted by pod ${pre.metadata.uid} on node n1`, source: { component: 'default-scheduler' } });
    expect(ev?.involvedObject.name).toBe('victim');

    sim.runUntil(60_000);
    expect(get(sim, 'victim')).toBeUndefined();
    expect(get(sim, 'pre')?.spec?.nodeName).toBe('n1');
  });

  it('preemptionPolicy Never: no preemption, exact message', () => {
    const sim = cluster([{ name: 'n1', cpu: '2' }]);
    sim.apply(podObj('victim', 'low', '2'));
    sim.runUntil(5000);
    sim.apply(podObj('pre', 'high-never', '1'));
    sim.runUntil(5100);
    expect(failedMsgs(sim, 'pre')).toEqual(['0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.']);
    expect(get(sim, 'victim')?.metadata.deletionTimestamp).toBeUndefined();
    expect(get(sim, 'pre')?.status?.nominatedNodeName).toBeUndefined();
  });

  it('no candidates: the nested FitError with "No preemption victims found" and "Preemption is not helpful"', () => {
    const sim = cluster([
      { name: 'n1', cpu: '2' },
      { name: 'n2', cpu: '2', taint: true },
      { name: 'n3', cpu: '2', taint: true },
    ]);
    sim.apply(podObj('peer', 'high', '2', { node: 'n1' }));
    sim.runUntil(5000);
    sim.apply(podObj('pre', 'high', '1'));
    sim.runUntil(5100);
    expect(failedMsgs(sim, 'pre')).toEqual([
      '0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint {dedicated: x}. ' +
        'preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.',
    ]);
  });

  it('every node unresolvable: "N Preemption is not helpful for scheduling"', () => {
    const sim = cluster([
      { name: 'n1', cpu: '2', taint: true },
      { name: 'n2', cpu: '2', taint: true },
    ]);
    sim.apply(podObj('pre', 'high', '1'));
    sim.runUntil(100);
    expect(failedMsgs(sim, 'pre')).toEqual([
      '0/2 nodes are available: 2 node(s) had untolerated taint {dedicated: x}. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.',
    ]);
  });

  it('prefers the node whose victims have the lowest priority', () => {
    const sim = cluster([
      { name: 'n1', cpu: '2' },
      { name: 'n2', cpu: '2' },
    ]);
    sim.apply(podObj('mid-on-1', 'mid', '2', { node: 'n1' }));
    sim.apply(podObj('low-on-2', 'low', '2', { node: 'n2', shutdown: '10s' }));
    sim.runUntil(5000);
    sim.apply(podObj('pre', 'high', '1'));
    sim.runUntil(5100);
    expect(get(sim, 'pre')?.status?.nominatedNodeName).toBe('n2');
    expect(get(sim, 'low-on-2')?.metadata.deletionTimestamp).toBeDefined();
    expect(get(sim, 'mid-on-1')?.metadata.deletionTimestamp).toBeUndefined();
  });

  it('respects a PodDisruptionBudget when another node does not need to violate one', () => {
    const sim = cluster([
      { name: 'n1', cpu: '2' },
      { name: 'n2', cpu: '2' },
    ]);
    // The protected victim has the lower priority: without the PDB, n1 would win on criterion 2.
    sim.apply(podObj('protected', 'low', '2', { node: 'n1', labels: { app: 'db' } }));
    sim.apply(podObj('unprotected', 'mid', '2', { node: 'n2' }));
    sim.apply({
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'db', namespace: 'default' },
      spec: { selector: { matchLabels: { app: 'db' } }, maxUnavailable: 0 },
      status: { disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 1, expectedPods: 1 },
    });
    sim.runUntil(5000);
    sim.apply(podObj('pre', 'high', '1'));
    sim.runUntil(5100);
    // The victim goes at once, and since v1.33 (SchedulerPopFromBackoffQ) the
    // preemptor is retried without waiting out its backoff: it may already be
    // bound to n2 (and, since v1.35, its nominatedNodeName cleared).
    const pre = get(sim, 'pre');
    expect(pre?.spec?.nodeName ?? pre?.status?.nominatedNodeName).toBe('n2');
    expect(get(sim, 'protected')?.metadata.deletionTimestamp).toBeUndefined();
  });

  it('a nominated pod whose victims are still terminating is not eligible to preempt again', () => {
    const sim = cluster([{ name: 'n1', cpu: '2' }]);
    sim.apply(podObj('victim', 'low', '2', { grace: 600, shutdown: '500s' }));
    sim.runUntil(5000);
    sim.apply(podObj('pre', 'high', '1'));
    sim.runUntil(5100);
    expect(get(sim, 'pre')?.status?.nominatedNodeName).toBe('n1');
    expect(get(sim, 'victim')?.metadata.deletionTimestamp).toBeDefined();
    // A new (cordoned) node is a cluster event that retries the preemptor while the victim still terminates.
    sim.apply({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'n9', labels: { 'kubernetes.io/hostname': 'n9' } },
      spec: { unschedulable: true },
      status: { capacity: { cpu: '1', pods: '110' }, allocatable: { cpu: '1', pods: '110' } },
    });
    sim.runUntil(20_000);
    const msgs = failedMsgs(sim, 'pre');
    expect(msgs.length).toBeGreaterThan(1);
    expect(msgs[msgs.length - 1]).toBe(
      '0/2 nodes are available: 1 Insufficient cpu, 1 node(s) were unschedulable. preemption: not eligible due to a terminating pod on the nominated node.',
    );
    // The nomination is kept (PostFilter returned no result) and only one victim was ever preempted.
    expect(get(sim, 'pre')?.status?.nominatedNodeName).toBe('n1');
    expect(sim.events().filter((e) => e.reason === 'Preempted').length).toBe(1);
  });

  it('clears the nomination of lower-priority pods nominated to the chosen node', () => {
    const sim = cluster([{ name: 'n1', cpu: '2' }]);
    sim.apply(podObj('victim', 'low', '2', { grace: 600, shutdown: '500s' }));
    sim.runUntil(5000);
    sim.apply(podObj('middle', 'mid', '2'));
    sim.runUntil(5100);
    expect(get(sim, 'middle')?.status?.nominatedNodeName).toBe('n1');
    // A higher-priority pod needs the same room: it preempts on n1 (the victim is already terminating,
    // so it is not deleted again) and takes the node from the lower-priority nominee.
    sim.apply(podObj('top', 'high', '2'));
    sim.runUntil(5200);
    expect(get(sim, 'top')?.status?.nominatedNodeName).toBe('n1');
    expect(get(sim, 'middle')?.status?.nominatedNodeName).toBeUndefined();
    expect(sim.events().filter((e) => e.reason === 'Preempted').map((e) => e.involvedObject.name)).toEqual(['victim']);
  });

  it('is deterministic: same seed, same victims and nomination', () => {
    const run = (): string[] => {
      const sim = cluster(
        Array.from({ length: 6 }, (_, i) => ({ name: `n${i}`, cpu: '2' })),
        7,
      );
      for (let i = 0; i < 6; i++) sim.apply(podObj(`low-${i}`, 'low', '2', { node: `n${i}` }));
      sim.runUntil(5000);
      sim.apply(podObj('pre', 'high', '1'));
      sim.runUntil(5100);
      return [get(sim, 'pre')?.status?.nominatedNodeName ?? '', ...sim.events().filter((e) => e.reason === 'Preempted').map((e) => e.involvedObject.name)];
    };
    expect(run()).toEqual(run());
  });
});
