/**
 * Decision equivalence of preemption's fast path (preemption/evaluator.ts
 * fastDryRun, whatIfNodeInfo.ts, dryRunMemo.ts) and of the framework's
 * remembered nominated-pods pass (framework/nominatedPass.ts): on generated
 * small clusters filled by waves of pods of 2-4 priorities, with PDBs (whose
 * budgets change), host ports, pod (anti-)affinity and zone spreading (which
 * take the straightforward path), victims that
 * terminate at once or stay terminating (no kubelets: a graceful delete of a
 * bound pod never completes, so nominations last), and kubelet-like status
 * writes between waves (start times that reorder victims, PodInfos replaced
 * at an unchanged NodeInfo generation), a scheduler built with
 * `fastPath: false` and the default one must write the same bindings, the
 * same nominatedNodeName changes, and the same Scheduled / FailedScheduling
 * / Preempted events word for word, at the same virtual times.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Pod, PodSpec } from 'kubernetes-types/core/v1';
import { Simulation } from '../../src/sim/simulation.ts';
import { startApiServer } from '../../src/components.ts';
import { createScheduler } from '../../src/scheduler/scheduler.ts';
import { assertSameDecisions, schedulerEvents } from './fastPathEquivalence.ts';
import type { KObject } from '../../src/sim/types.ts';

type PodObj = Pod & KObject;
const HOST = 'kubernetes.io/hostname';
const ZONE = 'topology.kubernetes.io/zone';
const RUNS = 200;
const PRIORITIES = ['p0', 'p1', 'p2', 'p3'];

const nodeArb = fc.record({
  cpuMilli: fc.integer({ min: 1000, max: 3000 }),
  maxPods: fc.integer({ min: 2, max: 12 }),
  taint: fc.integer({ min: 0, max: 5 }).map((n) => n === 0),
});
type NodeGen = typeof nodeArb extends fc.Arbitrary<infer T> ? T : never;

const podArb = fc.record({
  cpuMilli: fc.integer({ min: 100, max: 2500 }),
  /** Odd: one class above the wave's (see podSpec). */
  priority: fc.integer({ min: 0, max: 3 }),
  app: fc.constantFrom('a', 'b', 'c'),
  /** 0: no host port; else hostPort 8080 or 9090. */
  port: fc.integer({ min: 0, max: 5 }).map((n) => (n === 1 ? 8080 : n === 2 ? 9090 : 0)),
  /** Constraints that read other pods (InterPodAffinity, PodTopologySpread): the fast path must step aside. */
  affinity: fc.constantFrom('none', 'none', 'none', 'none', 'none', 'antiHost', 'zoneAffinity', 'zoneSpread'),
  tolerate: fc.boolean(),
  grace: fc.constantFrom(0, 0, 30),
  preemptNever: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
  wave: fc.integer({ min: 0, max: 2 }),
});
/** Pods are drawn from a few shapes, so that preemptors share dry-run results (dryRunMemo.ts). */
const pickArb = fc.record({ shape: fc.integer({ min: 0, max: 3 }), wave: fc.integer({ min: 0, max: 2 }) });
type PickGen = typeof pickArb extends fc.Arbitrary<infer T> ? T : never;
type PodGen = typeof podArb extends fc.Arbitrary<infer T> ? T : never;

const pdbArb = fc.record({ app: fc.constantFrom('a', 'b', 'c'), allowed: fc.integer({ min: 0, max: 2 }) });
type PdbGen = typeof pdbArb extends fc.Arbitrary<infer T> ? T : never;

function nodeObject(n: NodeGen, i: number): KObject {
  const name = `node-${i}`;
  const res = { cpu: `${n.cpuMilli}m`, memory: '8Gi', pods: String(n.maxPods) };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { [HOST]: name, [ZONE]: `zone-${i % 2}` } },
    spec: n.taint ? { taints: [{ key: 'dedicated', value: 'x', effect: 'NoSchedule' }] } : {},
    status: { capacity: res, allocatable: res },
  };
}

function podSpec(p: PodGen, classes: number): PodSpec {
  const spec: PodSpec = {
    // preemptionPolicy comes from the class (admission rejects a pod spec that disagrees).
    // Later waves mostly outrank earlier ones, so that they preempt.
    priorityClassName: p.preemptNever ? 'never' : PRIORITIES[Math.min(classes - 1, p.wave + (p.priority % 2))]!,
    terminationGracePeriodSeconds: p.grace,
    containers: [
      {
        name: 'c',
        image: 'registry.k8s.io/pause:3.10',
        resources: { requests: { cpu: `${p.cpuMilli}m`, memory: '100Mi' } },
        ...(p.port > 0 ? { ports: [{ containerPort: 80, hostPort: p.port }] } : {}),
      },
    ],
  };
  if (p.tolerate) spec.tolerations = [{ key: 'dedicated', operator: 'Equal', value: 'x' }];
  const term = (topologyKey: string) => ({ labelSelector: { matchLabels: { app: p.app } }, topologyKey });
  if (p.affinity === 'antiHost') spec.affinity = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term(HOST)] } };
  if (p.affinity === 'zoneAffinity') spec.affinity = { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term(ZONE)] } };
  if (p.affinity === 'zoneSpread') spec.topologySpreadConstraints = [{ maxSkew: 1, topologyKey: ZONE, whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: p.app } } }];
  return spec;
}

interface Decisions {
  bindings: string[];
  nominations: string[];
  events: string[];
}

function run(nodes: NodeGen[], shapes: PodGen[], picks: PickGen[], pdbs: PdbGen[], classes: number, seed: number, fastPath: boolean): Decisions {
  // A shape's own wave applies to half of its pods, the pick's to the others.
  const pods = picks.map((k, i) => {
    const shape = shapes[k.shape % shapes.length]!;
    return i % 2 === 0 ? shape : { ...shape, wave: k.wave };
  });
  const sim = Simulation.create({ seed });
  startApiServer(sim);
  sim.use(createScheduler({ fastPath }));
  for (let c = 0; c < classes; c++) sim.apply({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: PRIORITIES[c]! }, value: 10 * c });
  sim.apply({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'never' }, value: 15, preemptionPolicy: 'Never' });
  nodes.forEach((n, i) => sim.apply(nodeObject(n, i)));
  pdbs.forEach((d, i) =>
    sim.apply({
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: `pdb-${i}`, namespace: 'default' },
      spec: { selector: { matchLabels: { app: d.app } }, maxUnavailable: d.allowed },
      status: { disruptionsAllowed: d.allowed, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 },
    }),
  );
  const bindings: string[] = [];
  const nominations: string[] = [];
  sim.store.watch('Pod', (ev) => {
    const p = ev.object as PodObj;
    const old = ev.oldObject as PodObj | undefined;
    if (p.spec?.nodeName && !old?.spec?.nodeName) bindings.push(`t=${sim.now} ${p.metadata.name} -> ${p.spec.nodeName}`);
    const nnn = p.status?.nominatedNodeName ?? '';
    if (ev.type !== 'DELETED' && nnn !== (old?.status?.nominatedNodeName ?? '')) nominations.push(`t=${sim.now} ${p.metadata.name} nominated '${nnn}'`);
  });
  // Kubelet-like status writes, newest binding first, between preemptions: start times (victim
  // order) and PodInfos replaced and moved to the end of their node at an unchanged NodeInfo generation.
  const startPods = (): void => {
    const bound = sim.store.list<PodObj>('Pod').filter((p) => p.spec?.nodeName && p.status?.phase !== 'Running' && !p.metadata.deletionTimestamp);
    for (const p of bound.reverse()) {
      sim.store.update({ ...p, status: { ...p.status, phase: 'Running', startTime: sim.timestamp() } } as PodObj, { subresource: 'status' });
      sim.runUntil(sim.now + 1_000);
    }
  };
  for (let w = 0; w <= 2; w++) {
    pods.forEach((p, i) => {
      if (p.wave !== w) return;
      sim.apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `p${i}`, namespace: 'default', labels: { app: p.app } }, spec: podSpec(p, classes) } as PodObj);
      if (i % 4 === 3) startPods();
    });
    sim.runUntil(sim.now + 3_000);
    startPods();
    // A PDB's budget changes between waves (as the disruption controller would write it).
    if (pdbs.length > 0) {
      sim.store.patch<KObject>(
        'PodDisruptionBudget',
        'default',
        'pdb-0',
        (d) => {
          const allowed = (d['status'] as { disruptionsAllowed?: number } | undefined)?.disruptionsAllowed ?? 0;
          d['status'] = { disruptionsAllowed: (allowed + 1) % 3, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 };
        },
        { subresource: 'status' },
      );
    }
  }
  sim.runUntil(sim.now + 60_000);
  return { bindings, nominations, events: schedulerEvents(sim) };
}

describe('preemption fast path decides as the straightforward dry run', () => {
  it(`same bindings, nominations and events on generated clusters (${RUNS} runs)`, () => {
    const references = assertSameDecisions(
      [
        fc.array(nodeArb, { minLength: 1, maxLength: 8 }),
        fc.array(podArb, { minLength: 1, maxLength: 5 }),
        fc.array(pickArb, { minLength: 8, maxLength: 60 }),
        fc.array(pdbArb, { maxLength: 3 }),
        fc.integer({ min: 2, max: 4 }),
        fc.integer({ min: 1, max: 1_000_000 }),
      ],
      (fastPath, nodes, shapes, picks, pdbs, classes, seed) => run(nodes, shapes, picks, pdbs, classes, seed, fastPath),
      RUNS,
    );
    const preempted = references.reduce((n, r) => n + r.events.filter((e) => e.startsWith('Preempted')).length, 0);
    const nominated = references.reduce((n, r) => n + r.nominations.filter((x) => !x.endsWith("''")).length, 0);
    // Preemption happens often enough that equal lists are not trivially empty.
    expect(preempted).toBeGreaterThan(RUNS);
    expect(nominated).toBeGreaterThan(RUNS / 2);
  });
});

/**
 * A status write keeps the node's NodeInfo generation (scheduler cache fast
 * path) but replaces the pod's PodInfo, moves it to the end of the node and
 * gives it a start time: a dry-run result remembered before it must not be
 * reused (victim order follows start times).
 */
function statusWriteBetweenPreemptions(fastPath: boolean): Decisions {
  const sim = Simulation.create({ seed: 7 });
  startApiServer(sim);
  sim.use(createScheduler({ fastPath }));
  sim.apply({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'low' }, value: 1 });
  sim.apply({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'high' }, value: 10 });
  for (let n = 0; n < 2; n++) sim.apply(nodeObject({ cpuMilli: 2000, maxPods: 10, taint: false }, n));
  const spec = (cls: string, node?: string): PodSpec => ({
    priorityClassName: cls,
    terminationGracePeriodSeconds: 30,
    ...(node ? { nodeName: node } : {}),
    containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10', resources: { requests: { cpu: cls === 'low' ? '1' : '2' } } }],
  });
  for (let n = 0; n < 2; n++) for (const v of ['x', 'y']) sim.apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `${v}${n}`, namespace: 'default' }, spec: spec('low', `node-${n}`) } as PodObj);
  const events: string[] = [];
  const bindings: string[] = [];
  const nominations: string[] = [];
  sim.store.watch('Pod', (ev) => {
    const p = ev.object as PodObj;
    if (ev.type !== 'DELETED' && p.metadata.deletionTimestamp && !(ev.oldObject as PodObj | undefined)?.metadata.deletionTimestamp) events.push(`t=${sim.now} evicted ${p.metadata.name}`);
    const nnn = p.status?.nominatedNodeName ?? '';
    if (ev.type !== 'DELETED' && nnn !== ((ev.oldObject as PodObj | undefined)?.status?.nominatedNodeName ?? '')) nominations.push(`t=${sim.now} ${p.metadata.name} nominated '${nnn}'`);
    if (p.spec?.nodeName && !(ev.oldObject as PodObj | undefined)?.spec?.nodeName) bindings.push(`${p.metadata.name} -> ${p.spec.nodeName}`);
  });
  sim.runUntil(sim.now + 1_000);
  sim.apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pre-a', namespace: 'default' }, spec: spec('high') } as PodObj);
  sim.runUntil(sim.now + 1_000);
  // Start the untouched node's pods, y before x: y becomes the more important victim.
  const untouched = sim.store.list<PodObj>('Pod').filter((p) => p.spec?.priorityClassName === 'low' && !p.metadata.deletionTimestamp);
  for (const p of untouched.sort((a, b) => (b.metadata.name ?? '').localeCompare(a.metadata.name ?? ''))) {
    sim.store.update({ ...p, status: { ...p.status, phase: 'Running', startTime: sim.timestamp() } } as PodObj, { subresource: 'status' });
    sim.runUntil(sim.now + 1_000);
  }
  sim.apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pre-b', namespace: 'default' }, spec: spec('high') } as PodObj);
  sim.runUntil(sim.now + 5_000);
  for (const e of sim.recorder.events()) if (e.reason === 'Preempted' || e.reason === 'FailedScheduling') events.push(`${e.reason} ${e.involvedObject.name}: ${e.message}`);
  return { bindings, nominations, events };
}

describe('preemption fast path after a status write', () => {
  it('does not reuse a dry-run result across a PodInfo replaced at the same generation', () => {
    const reference = statusWriteBetweenPreemptions(false);
    const optimised = statusWriteBetweenPreemptions(true);
    expect(optimised).toEqual(reference);
    // Both preemptors preempted, each on its own node.
    expect(reference.nominations.filter((n) => n.includes("nominated 'node-"))).toHaveLength(2);
    expect(reference.events.filter((e) => e.includes('evicted'))).toHaveLength(4);
  });
});

/**
 * A PDB's disruptionsAllowed changes between two preemptions of the same
 * shape, the protected node being otherwise unchanged: its remembered PDB
 * violation count must not be reused (it decides between the candidates).
 */
function pdbChangeBetweenPreemptions(fastPath: boolean): Decisions {
  const sim = Simulation.create({ seed: 3 });
  startApiServer(sim);
  sim.use(createScheduler({ fastPath }));
  for (const [name, value] of [['low', 1], ['mid', 5], ['high', 10]] as const) sim.apply({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value });
  for (let n = 0; n < 3; n++) sim.apply(nodeObject({ cpuMilli: 2000, maxPods: 10, taint: false }, n));
  const spec = (cls: string, node?: string): PodSpec => ({
    priorityClassName: cls,
    terminationGracePeriodSeconds: 30,
    ...(node ? { nodeName: node } : {}),
    containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10', resources: { requests: { cpu: '2' } } }],
  });
  const victims: Array<[string, string, string]> = [
    ['db', 'low', 'node-0'],
    ['mid', 'mid', 'node-1'],
    ['other', 'low', 'node-2'],
  ];
  for (const [name, cls, node] of victims) sim.apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels: { app: name } }, spec: spec(cls, node) } as PodObj);
  sim.apply({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'db', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'db' } }, maxUnavailable: 0 } });
  const setAllowed = (n: number): void =>
    void sim.store.patch<KObject>('PodDisruptionBudget', 'default', 'db', (d) => void (d['status'] = { disruptionsAllowed: n, currentHealthy: 1, desiredHealthy: 1, expectedPods: 1 }), { subresource: 'status' });
  setAllowed(0);
  const nominations: string[] = [];
  sim.store.watch('Pod', (ev) => {
    const p = ev.object as PodObj;
    const nnn = p.status?.nominatedNodeName ?? '';
    if (ev.type !== 'DELETED' && nnn !== ((ev.oldObject as PodObj | undefined)?.status?.nominatedNodeName ?? '')) nominations.push(`t=${sim.now} ${p.metadata.name} nominated '${nnn}'`);
  });
  sim.runUntil(sim.now + 1_000);
  sim.apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pre-a', namespace: 'default' }, spec: spec('high') } as PodObj);
  sim.runUntil(sim.now + 1_000);
  setAllowed(1);
  sim.runUntil(sim.now + 1_000);
  sim.apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pre-b', namespace: 'default' }, spec: spec('high') } as PodObj);
  sim.runUntil(sim.now + 5_000);
  const events = sim.recorder
    .events()
    .filter((e) => e.reason === 'Preempted' || e.reason === 'FailedScheduling')
    .map((e) => `${e.reason} ${e.involvedObject.name}: ${e.message}`);
  return { bindings: [], nominations, events };
}

describe('preemption fast path after a PDB change', () => {
  it('does not reuse a dry-run result across a change of disruptionsAllowed', () => {
    const reference = pdbChangeBetweenPreemptions(false);
    const optimised = pdbChangeBetweenPreemptions(true);
    expect(optimised).toEqual(reference);
    // pre-a avoids the PDB (node-2); once the PDB allows it, pre-b takes the lowest-priority victim (node-0).
    expect(reference.nominations).toEqual(expect.arrayContaining([expect.stringContaining("pre-a nominated 'node-2'"), expect.stringContaining("pre-b nominated 'node-0'")]));
  });
});
