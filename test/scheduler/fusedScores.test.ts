/**
 * FusedNodeLocalScores (fast path) against plugin-by-plugin scoring: the
 * totals of the plugins without NormalizeScore and the raw columns handed to
 * normalisation, for several normalised plugins at once, over calls that
 * reuse the pass's row buffers (a row is written in place, never emptied, so
 * values left from an earlier node or pod must never show through).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Node, Pod } from 'kubernetes-types/core/v1';
import { FusedNodeLocalScores, fusedSet, type FusedPlugin } from '../../src/scheduler/framework/fusedScores.ts';
import { NodeInfoImpl } from '../../src/scheduler/framework/nodeInfo.ts';
import { NodeResourceTable } from '../../src/scheduler/framework/resourceTable.ts';
import { newPodInfo } from '../../src/scheduler/framework/podInfo.ts';
import { newCycleState } from '../../src/scheduler/framework/cycleState.ts';
import type { NodeInfo, PodInfo, ScorePlugin } from '../../src/scheduler/framework/types.ts';

/** A Score plugin whose score depends on the plugin, the pod and the node. */
function plugin(name: string, f: (pod: PodInfo, ni: NodeInfo) => number): ScorePlugin {
  return { name, score: (_s, pod, ni) => f(pod, ni) } as ScorePlugin;
}

const nodes = Array.from({ length: 7 }, (_, i) => new NodeInfoImpl({ metadata: { name: `n${i}` } } as Node));
const idx = (ni: NodeInfo) => Number(ni.node.metadata!.name!.slice(1));
const uidNum = (p: PodInfo) => Number((p.pod.metadata.uid ?? 'u0').slice(1));
const podOf = (k: number): PodInfo => newPodInfo({ metadata: { name: `p${k}`, namespace: 'd', uid: `u${k}` }, spec: { containers: [] } } as Pod);

const plugins: FusedPlugin[] = [
  { index: 0, plugin: plugin('A', (p, ni) => (idx(ni) * 7 + uidNum(p)) % 101), weight: 1, normalized: true },
  { index: 1, plugin: plugin('B', (_p, ni) => (idx(ni) * 13) % 50), weight: 2, normalized: false },
  { index: 2, plugin: plugin('C', (p, ni) => (idx(ni) * 3 + 5 * uidNum(p)) % 97), weight: 3, normalized: true },
  { index: 3, plugin: plugin('D', (p, ni) => (idx(ni) + uidNum(p)) % 11), weight: 1, normalized: true },
];

describe('FusedNodeLocalScores', () => {
  it.each([
    ['three normalised plugins and one summed', plugins],
    ['two normalised plugins', [plugins[0]!, plugins[2]!]],
    ['normalised plugins around a summed one', [plugins[3]!, plugins[1]!, plugins[0]!]],
  ])('gives plugin-by-plugin sums and raw columns (%s), call after call', (_what, list) => {
    const fused = new FusedNodeLocalScores();
    const set = fusedSet(list, list.reduce((m, p) => m | (1 << p.index), 0));
    // Different pods and node subsets, so that rows of an earlier call differ from the current one.
    for (const [k, subset] of [
      [1, nodes],
      [2, nodes.slice(2)],
      [3, [nodes[6]!, nodes[0]!]],
      [4, nodes],
    ] as const) {
      const pod = podOf(k);
      const state = newCycleState();
      const totals = new Float64Array(subset.length);
      const columns = new Map<number, number[]>();
      const ok = fused.run(set, state, pod, { spec: `s${k}`, meta: '' }, subset, null, totals, (index, raw) => {
        columns.set(index, Array.from(raw.subarray(0, subset.length)));
        return true;
      });
      expect(ok).toBe(true);
      const wantTotals = subset.map((ni) => list.filter((p) => !p.normalized).reduce((s, p) => s + (p.plugin.score(state, pod, ni) as number) * p.weight, 0));
      expect(Array.from(totals)).toEqual(wantTotals);
      for (const p of list.filter((q) => q.normalized)) {
        expect(columns.get(p.index)).toEqual(subset.map((ni) => p.plugin.score(state, pod, ni)));
      }
    }
  });
});

/**
 * The memoised rows (nodes in the cache's table, with slots): over calls
 * where pods land on nodes between calls (new local generations), the pass
 * gives the plugin-by-plugin totals and raw columns, and reports an anomaly
 * exactly when a summed plugin scores out of range on one of the nodes.
 * Fails when a row is reused for a changed node, another shape's row shows
 * through, or an invalid score is remembered as valid.
 */
describe('FusedNodeLocalScores with table slots', () => {
  const tableNodes = (n: number) => {
    const table = new NodeResourceTable();
    return Array.from({ length: n }, (_, i) => {
      const ni = new NodeInfoImpl({ metadata: { name: `n${i}` }, status: { allocatable: { cpu: '4', memory: '1Gi', pods: '110' } } } as Node);
      ni.attachTable(table);
      return ni;
    });
  };
  /** Scores that depend on the shape (pod k), the node and how many pods it holds; `bad` makes some out of range. */
  const setFor = (normalized: number, bad: boolean): FusedPlugin[] => {
    const f = (salt: number) => (p: PodInfo, ni: NodeInfo) => (idx(ni) * 7 + ni.pods.length * salt + uidNum(p) * 3) % 101;
    const list: FusedPlugin[] = [
      { index: 0, plugin: plugin('S', (p, ni) => (bad && (idx(ni) + ni.pods.length + uidNum(p)) % 9 === 0 ? 101 : f(5)(p, ni))), weight: 2, normalized: false },
    ];
    for (let k = 0; k < normalized; k++) list.push({ index: k + 1, plugin: plugin(`N${k}`, f(11 + k)), weight: 1, normalized: true });
    list.push({ index: normalized + 1, plugin: plugin('T', f(17)), weight: 3, normalized: false });
    return list;
  };

  it('gives plugin-by-plugin totals, raw columns and anomalies as pods land on nodes (300 runs)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(1, 2),
        fc.boolean(),
        fc.array(fc.record({ shape: fc.nat(2), start: fc.nat(11), len: fc.integer({ min: 1, max: 12 }), land: fc.array(fc.nat(11), { maxLength: 3 }) }), { minLength: 1, maxLength: 12 }),
        (normalized, bad, calls) => {
          const all = tableNodes(12);
          const list = setFor(normalized, bad);
          const set = fusedSet(list, list.reduce((m, p) => m | (1 << p.index), 0));
          const fused = new FusedNodeLocalScores();
          let placed = 0;
          for (const c of calls) {
            const subset = Array.from({ length: c.len }, (_, i) => all[(c.start + i) % all.length]!);
            const slots = Int32Array.from(subset, (ni) => ni.resourceSlot ?? -1);
            const pod = podOf(c.shape + 1);
            const state = newCycleState();
            const totals = new Float64Array(subset.length);
            const columns = new Map<number, number[]>();
            const ok = fused.run(set, state, pod, { spec: `s${c.shape}`, meta: '' }, subset, slots, totals, (index, raw) => {
              columns.set(index, Array.from(raw.subarray(0, subset.length)));
              return true;
            });
            const summed = list.filter((p) => !p.normalized);
            const valid = subset.every((ni) => summed.every((p) => (p.plugin.score(state, pod, ni) as number) <= 100));
            expect(ok).toBe(valid);
            if (valid) {
              expect(Array.from(totals)).toEqual(subset.map((ni) => summed.reduce((s, p) => s + (p.plugin.score(state, pod, ni) as number) * p.weight, 0)));
              for (const p of list.filter((q) => q.normalized)) {
                // An equal column everywhere is not normalised (normalizesEqualToEqual is unset here, so every column is).
                expect(columns.get(p.index)).toEqual(subset.map((ni) => p.plugin.score(state, pod, ni)));
              }
            }
            for (const n of c.land) all[n]!.addPod(newPodInfo({ metadata: { name: `x${placed}`, namespace: 'd', uid: `x${placed++}` }, spec: { containers: [] } } as Pod));
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
