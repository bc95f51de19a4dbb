// selectHost's pick (framework/algorithm.ts): the branch-free fast path (selectBest) against the
// straight loop (selectBestStraight) on generated totals: the same node and the same draws from the
// rng (a different draw count would shift every later random choice of the run).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { selectBest, selectBestStraight } from '../../src/scheduler/framework/algorithm.ts';
import { scripted } from './scriptedRng.ts';


// Mostly a few integral levels (many ties, as on a uniform cluster), sometimes values that must take
// the straight path: fractions, negatives, totals past int32, non-finite ones, -0; and int32 extremes.
const total = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(0, 100, 200, 300, 400) },
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 1000 }) },
  { weight: 1, arbitrary: fc.constantFrom(0.5, 299.5, -1, -0, -(2 ** 31), 2 ** 31 - 1, 2 ** 31, 2 ** 53, Infinity, -Infinity, Number.NaN) },
);

describe('selectBest', () => {
  it('picks the node selectBestStraight picks, with the same draws (1000 runs)', () => {
    fc.assert(
      fc.property(fc.array(total, { minLength: 1, maxLength: 300 }), fc.array(fc.nat(1000), { maxLength: 3 }), fc.boolean(), (values, answers, withRng) => {
        const totals = Float64Array.from(values);
        const a = scripted(answers);
        const b = scripted(answers);
        const fast = selectBest(totals, totals.length, withRng ? a.rng : undefined);
        const straight = selectBestStraight(totals, totals.length, withRng ? b.rng : undefined);
        expect(fast).toBe(straight);
        expect(a.asked).toEqual(b.asked);
      }),
      { numRuns: 1000 },
    );
  });

  it('reads only the first n totals', () => {
    const totals = Float64Array.from([5, 7, 7, 9, 9]);
    const { rng, asked } = scripted([1]);
    expect(selectBest(totals, 3, rng)).toBe(2);
    expect(asked).toEqual([2]);
  });
});
