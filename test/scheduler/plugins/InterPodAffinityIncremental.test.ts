/**
 * InterPodAffinity's cross-cycle per-node caches (interpodaffinity/incremental.ts)
 * must give exactly what upstream's full recount gives (PreFilter's
 * topologyToMatchedTermCount maps, PreScore's topologyScore): after any
 * sequence of pod additions, removals and node relabelling, a caching plugin
 * and a plugin recounting from scratch agree on every PreFilter status,
 * Filter verdict and (raw and normalized) score.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Affinity, Pod } from 'kubernetes-types/core/v1';
import type { KObject } from '../../../src/sim/types.ts';
import { factory } from '../../../src/scheduler/plugins/InterPodAffinity.ts';
import type { NodeInfo, Result, Status } from '../../../src/scheduler/framework/types.ts';
import { env, inSel, newCycleState, newPodInfo, node, pod, runFilter, runScore, term, verdict, weighted, type Env } from './h8util.ts';

const HOST = 'kubernetes.io/hostname';
const keys = ['zone', HOST] as const;
const apps = ['a', 'b', 'c'] as const;

const arbTerm = fc.record({ key: fc.constantFrom(...keys), apps: fc.subarray([...apps], { minLength: 1 }), otherNs: fc.boolean() });
const arbSpec = fc.record({
  app: fc.constantFrom(...apps),
  ns: fc.constantFrom('default', 'other'),
  reqAff: fc.array(arbTerm, { maxLength: 1 }),
  reqAnti: fc.array(arbTerm, { maxLength: 2 }),
  prefAff: fc.array(fc.record({ w: fc.integer({ min: 1, max: 5 }), t: arbTerm }), { maxLength: 2 }),
  prefAnti: fc.array(fc.record({ w: fc.integer({ min: 1, max: 5 }), t: arbTerm }), { maxLength: 1 }),
});
type Spec = typeof arbSpec extends fc.Arbitrary<infer T> ? T : never;
type T = Spec['reqAff'][number];

function affinityTerm(t: T) {
  return term(t.key, inSel('app', t.apps), t.otherNs ? { namespaces: ['default', 'other'] } : {});
}

function affinityOf(s: Spec): Affinity | undefined {
  const a: Affinity = {};
  if (s.reqAff.length || s.prefAff.length) {
    a.podAffinity = {
      ...(s.reqAff.length ? { requiredDuringSchedulingIgnoredDuringExecution: s.reqAff.map(affinityTerm) } : {}),
      ...(s.prefAff.length ? { preferredDuringSchedulingIgnoredDuringExecution: s.prefAff.map((p) => weighted(p.w, affinityTerm(p.t))) } : {}),
    };
  }
  if (s.reqAnti.length || s.prefAnti.length) {
    a.podAntiAffinity = {
      ...(s.reqAnti.length ? { requiredDuringSchedulingIgnoredDuringExecution: s.reqAnti.map(affinityTerm) } : {}),
      ...(s.prefAnti.length ? { preferredDuringSchedulingIgnoredDuringExecution: s.prefAnti.map((p) => weighted(p.w, affinityTerm(p.t))) } : {}),
    };
  }
  return a.podAffinity || a.podAntiAffinity ? a : undefined;
}

function podOf(name: string, s: Spec, nodeName?: string): Pod & KObject {
  const aff = affinityOf(s);
  return pod(name, { ns: s.ns, labels: { app: s.app }, ...(nodeName ? { node: nodeName } : {}), ...(aff ? { affinity: aff } : {}) });
}

const arbOp = fc.oneof(
  fc.record({ kind: fc.constant('add' as const), node: fc.nat(5), spec: arbSpec }),
  fc.record({ kind: fc.constant('remove' as const), node: fc.nat(5), i: fc.nat(5) }),
  fc.record({ kind: fc.constant('relabel' as const), node: fc.nat(5), zone: fc.option(fc.constantFrom('z1', 'z2', 'z3'), { nil: undefined }) }),
);

function verdicts(e: Env, incoming: Pod, cacheable: boolean) {
  (e.plugin as unknown as { cacheable: boolean }).cacheable = cacheable;
  const f = runFilter(e, incoming);
  const s = runScore(e, incoming);
  return { f, s };
}

describe('InterPodAffinity incremental counts equal a full recount', () => {
  it('after random pod and node changes, PreFilter/Filter/Score agree with recounting', () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.constantFrom('z1', 'z2', 'z3'), { nil: undefined }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.record({ node: fc.nat(5), spec: arbSpec }), { maxLength: 12 }),
        fc.array(fc.record({ op: arbOp, incoming: fc.nat(3) }), { minLength: 1, maxLength: 10 }),
        fc.array(arbSpec, { minLength: 4, maxLength: 4 }),
        (zones, initial, steps, incomings) => {
          const nodes = zones.map((z, i) => node(`n${i}`, { ...(z ? { zone: z } : {}), [HOST]: `n${i}` }));
          const pods = initial.filter((p) => p.node < nodes.length).map((p, i) => podOf(`e${i}`, p.spec, `n${p.node}`));
          const e = env(factory, undefined, nodes, pods);
          let seq = 0;
          for (const step of steps) {
            const op = step.op;
            const ni = e.infos[op.node % e.infos.length]!;
            if (op.kind === 'add') ni.addPod(newPodInfo(podOf(`x${seq++}`, op.spec, ni.node.metadata.name)));
            else if (op.kind === 'remove') {
              if (ni.pods.length > 0) ni.removePod(ni.pods[op.i % ni.pods.length]!);
            } else {
              const old = ni.node;
              const labels: Record<string, string> = { [HOST]: old.metadata.name! };
              if (op.zone) labels['zone'] = op.zone;
              ni.setNode({ ...old, metadata: { ...old.metadata, labels } });
            }
            const incoming = podOf(`in${seq++}`, incomings[step.incoming]!);
            const cached = verdicts(e, incoming, true);
            const full = verdicts(e, incoming, false);
            expect(cached).toEqual(full);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it("a cycle's state keeps its counts after later cycles change the cached sums", () => {
    interface Cycle {
      preFilter(s: ReturnType<typeof newCycleState>, p: ReturnType<typeof newPodInfo>, n: readonly NodeInfo[]): { status: Result };
      filter(s: ReturnType<typeof newCycleState>, p: ReturnType<typeof newPodInfo>, n: NodeInfo): Result;
      preScore(s: ReturnType<typeof newCycleState>, p: ReturnType<typeof newPodInfo>, n: readonly NodeInfo[]): Result;
      score(s: ReturnType<typeof newCycleState>, p: ReturnType<typeof newPodInfo>, n: NodeInfo): number | Status;
    }
    fc.assert(
      fc.property(
        fc.array(fc.record({ node: fc.nat(3), spec: arbSpec }), { maxLength: 8 }),
        fc.array(fc.record({ node: fc.nat(3), spec: arbSpec, remove: fc.boolean() }), { minLength: 1, maxLength: 4 }),
        arbSpec,
        (initial, changes, incomingSpec) => {
          const nodes = ['z1', 'z2', 'z1', 'z2'].map((z, i) => node(`n${i}`, { zone: z, [HOST]: `n${i}` }));
          const e = env(factory, undefined, nodes, initial.map((p, i) => podOf(`e${i}`, p.spec, `n${p.node}`)));
          const pl = e.plugin as unknown as Cycle;
          const pi = newPodInfo(podOf('in', incomingSpec));
          const state = newCycleState();
          const pre = pl.preFilter(state, pi, e.infos);
          const ps = pl.preScore(state, pi, e.infos);
          const look = () =>
            e.infos.map((ni) => ({
              f: pre.status ? null : verdict(pl.filter(state, pi, ni)),
              s: ps ? null : pl.score(state, pi, ni),
            }));
          const before = look();
          let seq = 0;
          for (const c of changes) {
            const ni = e.infos[c.node]!;
            if (c.remove && ni.pods.length > 0) ni.removePod(ni.pods[0]!);
            else ni.addPod(newPodInfo(podOf(`x${seq++}`, c.spec, ni.node.metadata.name)));
            // Another cycle for the same incoming pod syncs the shared sums.
            const other = newCycleState();
            pl.preFilter(other, pi, e.infos);
            pl.preScore(other, pi, e.infos);
          }
          expect(look()).toEqual(before);
        },
      ),
      { numRuns: 200 },
    );
  });
});
