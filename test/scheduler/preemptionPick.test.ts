/**
 * Candidate choice (preemption/evaluator.ts pickOneNodeForPreemption): with
 * the default criteria it filters over scores taken once per victim list
 * (kept on the victim selection for frozen lists of frozen pods,
 * victimScoresOf); it must pick the same candidate as running upstream's
 * five score functions (defaultScoreFuncs) one after the other, on generated
 * candidates: shared victim lists and selections (as the dry-run memo hands
 * out), frozen and unfrozen ones, equal and negative priorities, start times
 * that tie or are missing, and unfrozen pods changed between two picks.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Pod } from 'kubernetes-types/core/v1';
import { deepFreeze } from '../../src/sim/store.ts';
import { newPodInfo } from '../../src/scheduler/framework/podInfo.ts';
import type { PodInfo } from '../../src/scheduler/framework/types.ts';
import { defaultScoreFuncs, pickOneNodeForPreemption, victimScoresOf, type Candidate, type VictimSelection } from '../../src/scheduler/preemption/evaluator.ts';

const RUNS = 300;
const TIMES = [undefined, '2025-01-01T00:00:00Z', '2025-01-01T00:00:01Z', '2025-01-01T00:01:00Z'];

const podArb = fc.record({ priority: fc.integer({ min: -3, max: 3 }), start: fc.integer({ min: 0, max: TIMES.length - 1 }) });
const listArb = fc.record({ pods: fc.array(fc.integer({ min: 0, max: 11 }), { minLength: 1, maxLength: 4 }), frozen: fc.boolean() });
const candArb = fc.record({ list: fc.integer({ min: 0, max: 5 }), violations: fc.integer({ min: 0, max: 2 }), viaSelection: fc.boolean() });

function podObject(i: number, g: { priority: number; start: number }): Pod {
  const t = TIMES[g.start];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `v${i}`, namespace: 'default', uid: `uid-v${i}` },
    spec: { priority: g.priority, containers: [{ name: 'c', image: 'x' }] },
    ...(t ? { status: { startTime: t } } : {}),
  };
}

/** The reference: upstream's score functions run one after the other (the generic path). */
function reference(candidates: readonly Candidate[]): string | undefined {
  return pickOneNodeForPreemption(candidates, [...defaultScoreFuncs])?.name;
}

describe('pickOneNodeForPreemption default criteria', () => {
  it(`picks as upstream's score functions on generated candidates (${RUNS} runs)`, () => {
    let decidedLate = 0;
    fc.assert(
      fc.property(
        fc.array(podArb, { minLength: 12, maxLength: 12 }),
        fc.array(listArb, { minLength: 6, maxLength: 6 }),
        fc.array(candArb, { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 0, max: 11 }),
        (podGens, listGens, candGens, changed) => {
          // Each pod exists as a frozen (stored) object and as a plain one.
          const frozenPods = podGens.map((g, i) => newPodInfo(deepFreeze(podObject(i, g))));
          const plainPods = podGens.map((g, i) => newPodInfo(podObject(i, g)));
          const lists: PodInfo[][] = listGens.map((l) => {
            const pods = l.pods.map((i) => (l.frozen ? frozenPods[i]! : plainPods[i]!));
            return l.frozen ? (Object.freeze(pods) as PodInfo[]) : pods;
          });
          // One selection per list, reused as the dry-run memo reuses them; candidates made as the evaluator makes them, or bare.
          const selections: VictimSelection[] = lists.map((victims) => ({ victims, numPDBViolations: 0, status: null }));
          const make = (): Candidate[] =>
            candGens.map((c, i) => {
              const victims = lists[c.list]!;
              if (!c.viaSelection) return { name: `node-${i}`, victims, numPDBViolations: c.violations };
              return { name: `node-${i}`, victims, numPDBViolations: c.violations, scores: victimScoresOf(selections[c.list]!) };
            });
          const candidates = make();
          const want = reference(candidates);
          expect(pickOneNodeForPreemption(candidates, null)?.name).toBe(want);
          // Again, with the frozen selections' scores kept.
          expect(pickOneNodeForPreemption(make(), null)?.name).toBe(want);
          // An unfrozen pod changes: its lists are scored afresh.
          const p = plainPods[changed]!.pod as Pod;
          p.spec!.priority = (p.spec!.priority ?? 0) + 2;
          Object.assign(p, { status: { startTime: TIMES[3] } });
          const after = make();
          expect(pickOneNodeForPreemption(after, null)?.name).toBe(reference(after));
          if (candidates.length > 1 && new Set(candidates.map((c) => c.victims)).size < candidates.length) decidedLate++;
        },
      ),
      { numRuns: RUNS },
    );
    // Shared victim lists (ties past the first criteria) are common, not an accident of the generator.
    expect(decidedLate).toBeGreaterThan(RUNS / 4);
  });
});
