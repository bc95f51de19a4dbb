/**
 * FusedNodeLocalScores (fast path) against plugin-by-plugin scoring: the
 * totals of the plugins without NormalizeScore and the raw columns handed to
 * normalisation, for several normalised plugins at once, over calls that
 * reuse the pass's row buffers (a row is written in place, never emptied, so
 * values left from an earlier node or pod must never show through).
 */
import { describe, expect, it } from 'vitest';
import type { Node, Pod } from 'kubernetes-types/core/v1';
import { FusedNodeLocalScores, fusedSet, type FusedPlugin } from '../../src/scheduler/framework/fusedScores.ts';
import { NodeInfoImpl } from '../../src/scheduler/framework/nodeInfo.ts';
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
