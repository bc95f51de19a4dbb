/**
 * The best nodes FusedNodeLocalScores gathers in its node loop (bestCount,
 * pickBest) against selectBest over the totals the pass leaves: whenever the
 * pass says it knows them, the same node with the same rng draws. Totals
 * start from earlier plugins' contributions (including fractions, negatives
 * and values past int32, which selectBest sends down its straight path), and
 * the normalised plugin's column is sometimes equal everywhere (no
 * normalisation: the gathered nodes stand) and sometimes not (normalisation
 * rewrites the totals: the pass must not claim to know them).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Node, Pod } from 'kubernetes-types/core/v1';
import { FusedNodeLocalScores, fusedSet, type FusedPlugin } from '../../src/scheduler/framework/fusedScores.ts';
import { NodeInfoImpl } from '../../src/scheduler/framework/nodeInfo.ts';
import { NodeResourceTable } from '../../src/scheduler/framework/resourceTable.ts';
import { newPodInfo } from '../../src/scheduler/framework/podInfo.ts';
import { newCycleState } from '../../src/scheduler/framework/cycleState.ts';
import { selectBest } from '../../src/scheduler/framework/algorithm.ts';
import type { NodeInfo, PodInfo, ScorePlugin } from '../../src/scheduler/framework/types.ts';
import { scripted } from './scriptedRng.ts';


const idx = (ni: NodeInfo) => Number(ni.node.metadata!.name!.slice(1));

describe('FusedNodeLocalScores best nodes', () => {
  it('are selectBest’s over the totals it leaves, with the same draws (400 runs)', () => {
    const earlier = fc.oneof(
      { weight: 10, arbitrary: fc.constant(0) },
      { weight: 3, arbitrary: fc.constantFrom(0, 50, 100) },
      { weight: 1, arbitrary: fc.constantFrom(0.5, -1, -300, 2 ** 31, Number.NaN) },
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        // Per node: a level of the summed plugin (few levels: many ties) and the normalised plugin's raw score.
        fc.array(fc.record({ level: fc.nat(3), raw: fc.constantFrom(0, 0, 0, 7) }), { minLength: 40, maxLength: 40 }),
        fc.array(earlier, { minLength: 40, maxLength: 40 }),
        fc.boolean(),
        fc.array(fc.nat(1000), { maxLength: 3 }),
        fc.boolean(),
        (n, perNode, before, equalToEqual, answers, withRng) => {
          const table = new NodeResourceTable();
          const nodes = Array.from({ length: n }, (_, i) => {
            const ni = new NodeInfoImpl({ metadata: { name: `n${i}` }, status: { allocatable: { cpu: '4', memory: '1Gi', pods: '110' } } } as Node);
            ni.attachTable(table);
            return ni;
          });
          const summed = { name: 'S', score: (_s: unknown, _p: PodInfo, ni: NodeInfo) => perNode[idx(ni)]!.level * 25 } as unknown as ScorePlugin;
          const norm = {
            name: 'N',
            score: (_s: unknown, _p: PodInfo, ni: NodeInfo) => perNode[idx(ni)]!.raw,
            normalizeScore: () => null,
            normalizesEqualToEqual: equalToEqual,
          } as unknown as ScorePlugin;
          const list: FusedPlugin[] = [
            { index: 0, plugin: summed, weight: 2, normalized: false },
            { index: 1, plugin: norm, weight: 1, normalized: true },
          ];
          const set = fusedSet(list, 3);
          const fused = new FusedNodeLocalScores();
          const pod = newPodInfo({ metadata: { name: 'p', namespace: 'd', uid: 'u1' }, spec: { containers: [] } } as Pod);
          const totals = Float64Array.from(before.slice(0, n));
          const slots = Int32Array.from(nodes, (ni) => ni.resourceSlot);
          let normalised = false;
          // The normalisation adds the raw column (weight 1), as a plugin keeping its scores would.
          const ok = fused.run(set, newCycleState(), pod, { spec: 's', meta: '' }, nodes, slots, totals, (_i, raw, _st, _p, ns, t) => {
            normalised = true;
            for (let i = 0; i < ns.length; i++) t[i] = t[i]! + raw[i]!;
            return true;
          });
          expect(ok).toBe(true);
          const allEqual = perNode.slice(0, n).every((x) => x.raw === perNode[0]!.raw);
          expect(normalised).toBe(!(equalToEqual && allEqual));
          const exact = Array.from(totals).every((t) => (t | 0) === t && t >= 0);
          // Known exactly when selectBest would not take its straight path and no normalisation ran.
          expect(fused.bestCount >= 1).toBe(exact && !normalised);
          if (fused.bestCount < 1) return;
          const a = scripted(answers);
          const b = scripted(answers);
          expect(fused.pickBest(withRng ? a.rng : undefined)).toBe(selectBest(totals, n, withRng ? b.rng : undefined));
          expect(a.asked).toEqual(b.asked);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('is not known after a pass over several normalised plugins (the general loop)', () => {
    const table = new NodeResourceTable();
    const nodes = Array.from({ length: 3 }, (_, i) => {
      const ni = new NodeInfoImpl({ metadata: { name: `n${i}` } } as Node);
      ni.attachTable(table);
      return ni;
    });
    const p = (name: string): ScorePlugin => ({ name, score: () => 5, normalizeScore: () => null, normalizesEqualToEqual: true }) as unknown as ScorePlugin;
    const list: FusedPlugin[] = [
      { index: 0, plugin: p('A'), weight: 1, normalized: true },
      { index: 1, plugin: p('B'), weight: 1, normalized: true },
    ];
    const fused = new FusedNodeLocalScores();
    const pod = newPodInfo({ metadata: { name: 'p', namespace: 'd', uid: 'u1' }, spec: { containers: [] } } as Pod);
    const ok = fused.run(fusedSet(list, 3), newCycleState(), pod, { spec: 's', meta: '' }, nodes, Int32Array.from(nodes, (ni) => ni.resourceSlot), new Float64Array(3), () => true);
    expect(ok).toBe(true);
    expect(fused.bestCount).toBe(-1);
  });
});
