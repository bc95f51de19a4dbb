/**
 * VersionStrings (src/sim/store.ts), the store's String(rv) for every write's
 * resourceVersion, against String itself: over generated runs of versions as
 * the store asks for them (mostly one more than the last, across thousand
 * boundaries) and with arbitrary jumps, back included (its kept prefix must
 * never leak into another thousand).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { VersionStrings } from '../../src/sim/store.ts';

describe('VersionStrings', () => {
  it('gives String(rv) for every version asked, in any order (a property)', () => {
    const step = fc.oneof(
      { weight: 8, arbitrary: fc.integer({ min: 1, max: 3 }) },
      { weight: 1, arbitrary: fc.integer({ min: -5000, max: 5000 }) },
      { weight: 1, arbitrary: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }).map((n) => ({ to: n })) },
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2_000_000 }), fc.array(step, { maxLength: 400 }), (start, steps) => {
        const v = new VersionStrings();
        let rv = start;
        expect(v.of(rv)).toBe(String(rv));
        for (const s of steps) {
          rv = typeof s === 'number' ? Math.max(0, rv + s) : s.to;
          expect(v.of(rv)).toBe(String(rv));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('crosses every thousand boundary of a run of writes', () => {
    const v = new VersionStrings();
    for (let rv = 0; rv < 25_000; rv++) if (v.of(rv) !== String(rv)) expect(v.of(rv)).toBe(String(rv));
  });
});
