/**
 * InterPodAffinity's fast path must decide exactly as the straightforward
 * evaluation (upstream's shape: PreFilter's topologyToMatchedTermCount maps
 * and PreScore's topologyScore recounted every cycle, Filter and Score
 * looking node label values up in them):
 *
 * - the cross-cycle sums (interpodaffinity/incremental.ts), including the
 *   score share of a node that only gained pods being added to instead of
 *   recounted (appendOnlyDelta);
 * - Filter and Score reading those sums by node slot and value id
 *   (interpodaffinity/topologyIndex.ts, slotLookups), Filter's shared
 *   rejection statuses, scoreAll / normalizeAll.
 *
 * First at the plugin level, on NodeInfos in a scheduler cache table (so the
 * slot lookups run), after random pod additions and removals and node
 * relabelling; then a whole scheduler with `fastPath: false` against the
 * default one on small clusters with pods carrying required and preferred
 * (anti-)affinity over hostname and zone, namespaces, namespaceSelector,
 * matchLabelKeys, and nodes lacking the topology labels.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Node, Pod, PodAffinityTerm, PodSpec } from 'kubernetes-types/core/v1';
import type { KObject } from '../../src/sim/types.ts';
import { Simulation } from '../../src/sim/simulation.ts';
import { startApiServer } from '../../src/components.ts';
import { createScheduler } from '../../src/scheduler/scheduler.ts';
import { factory, InterPodAffinity } from '../../src/scheduler/plugins/InterPodAffinity.ts';
import { NodeResourceTable } from '../../src/scheduler/framework/resourceTable.ts';
import { NodeInfoImpl } from '../../src/scheduler/framework/nodeInfo.ts';
import { Code, type NodeInfo, type NodeScore, type Result } from '../../src/scheduler/framework/types.ts';
import { fakeHandle } from '../../src/scheduler/framework/testing.ts';
import { newCycleState } from '../../src/scheduler/framework/cycleState.ts';
import { newPodInfo } from '../../src/scheduler/framework/podInfo.ts';
import { assertSameDecisions, recordBindings, schedulerEvents } from './fastPathEquivalence.ts';

type PodObj = Pod & KObject;
const ZONE = 'topology.kubernetes.io/zone';
const HOST = 'kubernetes.io/hostname';
const NAMESPACES = ['default', 'team'] as const;

const termArb = fc.record({
  key: fc.constantFrom(HOST, ZONE),
  apps: fc.subarray(['a', 'b', 'c'], { minLength: 1 }),
  /** own: the pod's namespace; both: both listed; selector: namespaceSelector team=x; all: empty namespaceSelector. */
  ns: fc.constantFrom('own', 'both', 'selector', 'all'),
  matchTier: fc.integer({ min: 0, max: 3 }).map((n) => n === 0),
});
type TermGen = typeof termArb extends fc.Arbitrary<infer T> ? T : never;
const weightedArb = fc.record({ w: fc.integer({ min: 1, max: 100 }), t: termArb });

const podArb = fc.record({
  app: fc.constantFrom('a', 'b', 'c'),
  tier: fc.constantFrom('x', 'y'),
  ns: fc.constantFrom(...NAMESPACES),
  reqAff: fc.array(termArb, { maxLength: 1 }),
  reqAnti: fc.array(termArb, { maxLength: 2 }),
  prefAff: fc.array(weightedArb, { maxLength: 2 }),
  prefAnti: fc.array(weightedArb, { maxLength: 1 }),
  late: fc.boolean(),
});
type PodGen = typeof podArb extends fc.Arbitrary<infer T> ? T : never;

const nodeArb = fc.record({
  /** -1: no zone label. */
  zone: fc.integer({ min: -1, max: 2 }),
  hostless: fc.integer({ min: 0, max: 7 }).map((n) => n === 0),
  maxPods: fc.integer({ min: 1, max: 12 }),
});
type NodeGen = typeof nodeArb extends fc.Arbitrary<infer T> ? T : never;

function affinityTerm(t: TermGen, ns: string): PodAffinityTerm {
  return {
    labelSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: t.apps }] },
    topologyKey: t.key,
    ...(t.ns === 'both' ? { namespaces: [...NAMESPACES] } : t.ns === 'selector' ? { namespaceSelector: { matchLabels: { team: 'x' } } } : t.ns === 'all' ? { namespaceSelector: {} } : { namespaces: [ns] }),
    ...(t.matchTier ? { matchLabelKeys: ['tier'] } : {}),
  };
}

function affinityOf(p: PodGen): PodSpec['affinity'] {
  const a: NonNullable<PodSpec['affinity']> = {};
  if (p.reqAff.length || p.prefAff.length) {
    a.podAffinity = {
      ...(p.reqAff.length ? { requiredDuringSchedulingIgnoredDuringExecution: p.reqAff.map((t) => affinityTerm(t, p.ns)) } : {}),
      ...(p.prefAff.length ? { preferredDuringSchedulingIgnoredDuringExecution: p.prefAff.map((w) => ({ weight: w.w, podAffinityTerm: affinityTerm(w.t, p.ns) })) } : {}),
    };
  }
  if (p.reqAnti.length || p.prefAnti.length) {
    a.podAntiAffinity = {
      ...(p.reqAnti.length ? { requiredDuringSchedulingIgnoredDuringExecution: p.reqAnti.map((t) => affinityTerm(t, p.ns)) } : {}),
      ...(p.prefAnti.length ? { preferredDuringSchedulingIgnoredDuringExecution: p.prefAnti.map((w) => ({ weight: w.w, podAffinityTerm: affinityTerm(w.t, p.ns) })) } : {}),
    };
  }
  return a.podAffinity || a.podAntiAffinity ? a : undefined;
}

function podObject(name: string, p: PodGen, nodeName?: string): PodObj {
  const affinity = affinityOf(p);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: p.ns, uid: `uid-${name}`, labels: { app: p.app, tier: p.tier } },
    spec: {
      ...(nodeName ? { nodeName } : {}),
      terminationGracePeriodSeconds: 0,
      containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10', resources: { requests: { cpu: '10m', memory: '10Mi' } } }],
      ...(affinity ? { affinity } : {}),
    },
  } as PodObj;
}

function nodeLabels(n: NodeGen, name: string): Record<string, string> {
  return { ...(n.hostless ? {} : { [HOST]: name }), ...(n.zone >= 0 ? { [ZONE]: `zone-${n.zone}` } : {}) };
}

function nodeObject(n: NodeGen, i: number): Node & KObject {
  const name = `node-${i}`;
  const res = { cpu: '8', memory: '16Gi', pods: String(n.maxPods) };
  return { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: nodeLabels(n, name) }, spec: {}, status: { capacity: res, allocatable: res } } as Node & KObject;
}

const namespaceObjects: KObject[] = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default', labels: { team: 'y' } } },
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team', labels: { team: 'x' } } },
];

// ---- Plugin level -----------------------------------------------------------

interface Plugin {
  preFilter(s: ReturnType<typeof newCycleState>, p: ReturnType<typeof newPodInfo>, n: readonly NodeInfo[]): { status: Result };
  filter(s: ReturnType<typeof newCycleState>, p: ReturnType<typeof newPodInfo>, n: NodeInfo): Result;
  preScore(s: ReturnType<typeof newCycleState>, p: ReturnType<typeof newPodInfo>, n: readonly NodeInfo[]): Result;
  score(s: ReturnType<typeof newCycleState>, p: ReturnType<typeof newPodInfo>, n: NodeInfo): number | { message(): string };
  normalizeScore(s: ReturnType<typeof newCycleState>, p: ReturnType<typeof newPodInfo>, scores: NodeScore[]): Result;
  scoreAll(s: ReturnType<typeof newCycleState>, p: ReturnType<typeof newPodInfo>, n: readonly NodeInfo[], slots: Int32Array | null, out: Float64Array): Result;
  normalizeAll(s: ReturnType<typeof newCycleState>, p: ReturnType<typeof newPodInfo>, scores: Float64Array, n: number): boolean | { message(): string };
}

const show = (r: Result): string => (r === null ? 'ok' : `${Code[r.code]}: ${r.reasons.join(', ')}`);

/** What the framework would see: PreFilter's status, each node's Filter verdict, raw and normalised scores. */
function decide(pl: Plugin, infos: readonly NodeInfo[], incoming: Pod, fast: boolean): unknown {
  const pi = newPodInfo(incoming);
  const state = newCycleState();
  const pre = pl.preFilter(state, pi, infos);
  const filter = pre.status ? [show(pre.status)] : infos.map((ni) => show(pl.filter(state, pi, ni)));
  const ps = pl.preScore(state, pi, infos);
  if (ps) return { filter, preScore: show(ps) };
  let raw: number[];
  let normalized: number[];
  if (fast) {
    const out = new Float64Array(infos.length);
    expect(pl.scoreAll(state, pi, infos, null, out)).toBeNull();
    raw = [...out];
    expect(pl.normalizeAll(state, pi, out, infos.length)).toBe(true);
    normalized = [...out];
  } else {
    raw = infos.map((ni) => pl.score(state, pi, ni) as number);
    const list = raw.map((score, i) => ({ name: infos[i]!.node.metadata.name!, score }));
    expect(pl.normalizeScore(state, pi, list)).toBeNull();
    normalized = list.map((s) => s.score);
  }
  return { filter, raw, normalized };
}

const opArb = fc.oneof(
  fc.record({ kind: fc.constant('add' as const), node: fc.nat(7), pod: podArb, count: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant('remove' as const), node: fc.nat(7), i: fc.nat(9) }),
  fc.record({ kind: fc.constant('relabel' as const), node: fc.nat(7), to: nodeArb }),
);

describe('InterPodAffinity fast path (plugin level, NodeInfos in a cache table)', () => {
  it('Filter statuses and raw/normalised scores equal the full recount read by label value (200 runs)', () => {
    let rejected = 0;
    let scored = 0;
    fc.assert(
      fc.property(
        fc.array(nodeArb, { minLength: 1, maxLength: 8 }),
        fc.array(fc.record({ node: fc.nat(7), pod: podArb }), { maxLength: 12 }),
        fc.array(fc.record({ op: opArb, incoming: fc.nat(3) }), { minLength: 1, maxLength: 8 }),
        fc.array(podArb, { minLength: 4, maxLength: 4 }),
        (nodeGens, initial, steps, incomings) => {
          const table = new NodeResourceTable();
          const infos = nodeGens.map((n, i) => {
            const ni = new NodeInfoImpl(nodeObject(n, i));
            ni.attachTable(table);
            return ni;
          });
          let seq = 0;
          for (const p of initial) {
            const ni = infos[p.node % infos.length]!;
            ni.addPod(newPodInfo(podObject(`e${seq++}`, p.pod, ni.node.metadata.name)));
          }
          const handle = fakeHandle({ nodes: infos, objects: namespaceObjects });
          const fast = factory(undefined, handle) as unknown as Plugin;
          const plain = factory(undefined, handle) as unknown as Plugin & InterPodAffinity;
          plain.cacheable = false;
          for (const step of steps) {
            const op = step.op;
            const ni = infos[op.node % infos.length]!;
            if (op.kind === 'add') {
              for (let k = 0; k < op.count; k++) ni.addPod(newPodInfo(podObject(`x${seq++}`, op.pod, ni.node.metadata.name)));
            } else if (op.kind === 'remove') {
              if (ni.pods.length > 0) ni.removePod(ni.pods[op.i % ni.pods.length]!);
            } else {
              const name = ni.node.metadata.name!;
              ni.setNode({ ...ni.node, metadata: { ...ni.node.metadata, labels: nodeLabels(op.to, name) } });
            }
            const incoming = podObject(`in${seq++}`, incomings[step.incoming]!);
            const got = decide(fast, infos, incoming, true) as { filter: string[]; raw?: number[] };
            expect(got).toEqual(decide(plain, infos, incoming, false));
            rejected += got.filter.filter((f) => f !== 'ok').length;
            if (got.raw?.some((r) => r !== 0)) scored++;
          }
        },
      ),
      { numRuns: 200 },
    );
    // Both Filter outcomes and non-zero scores occur, so equal answers are not trivially empty.
    expect(rejected).toBeGreaterThan(200);
    expect(scored).toBeGreaterThan(50);
  });
});

// ---- Scheduler level ----------------------------------------------------------

type Change = { kind: 'deletePod' | 'relabelNode'; index: number; to: NodeGen };
const changeArb: fc.Arbitrary<Change> = fc.record({ kind: fc.constantFrom('deletePod', 'relabelNode'), index: fc.nat(39), to: nodeArb });

function run(nodes: NodeGen[], pods: PodGen[], changes: Change[], seed: number, fastPath: boolean): { bindings: string[]; events: string[] } {
  const sim = Simulation.create({ seed });
  startApiServer(sim);
  sim.use(createScheduler({ fastPath }));
  for (const ns of namespaceObjects) if (!sim.store.get('Namespace', '', ns.metadata.name!)) sim.apply(ns);
  nodes.forEach((n, i) => sim.apply(nodeObject(n, i)));
  const bindings = recordBindings(sim);
  const create = (p: PodGen, i: number) => {
    const o = podObject(`p${i}`, p);
    delete (o.metadata as { uid?: string }).uid;
    sim.apply(o);
  };
  pods.forEach((p, i) => !p.late && create(p, i));
  sim.runUntil(sim.now + 2_000);
  for (const c of changes) {
    if (c.kind === 'deletePod') {
      const p = pods[c.index % pods.length]!;
      if (sim.store.get('Pod', p.ns, `p${c.index % pods.length}`)) sim.store.delete('Pod', p.ns, `p${c.index % pods.length}`, { gracePeriodSeconds: 0 });
    } else {
      const name = `node-${c.index % nodes.length}`;
      sim.store.patch<KObject>('Node', '', name, (d) => void (d.metadata.labels = nodeLabels(c.to, name)));
    }
  }
  pods.forEach((p, i) => p.late && create(p, i));
  sim.runUntil(sim.now + 60_000);
  return { bindings, events: schedulerEvents(sim, ['FailedScheduling', 'Scheduled']) };
}

describe('InterPodAffinity fast path (whole scheduler)', () => {
  it('same bindings and FailedScheduling messages as fastPath: false (200 runs)', () => {
    const references = assertSameDecisions(
      [fc.array(nodeArb, { minLength: 1, maxLength: 6 }), fc.array(podArb, { minLength: 1, maxLength: 16 }), fc.array(changeArb, { maxLength: 4 }), fc.integer({ min: 1, max: 1_000_000 })],
      (fastPath, nodes, pods, changes, seed) => run(nodes, pods, changes, seed, fastPath),
      200,
    );
    const bound = references.reduce((n, r) => n + r.bindings.length, 0);
    const failed = references.reduce((n, r) => n + r.events.filter((e) => e.startsWith('FailedScheduling')).length, 0);
    expect(bound).toBeGreaterThan(200);
    expect(failed).toBeGreaterThan(20);
  });
});
