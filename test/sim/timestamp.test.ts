/**
 * Timestamps are formatted once per whole second and built as one flat string:
 * the text must be what the straightforward template gives, for any virtual
 * time and in any order of asking.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatRFC3339 } from '../../src/sim/time.ts';
import { Simulation } from '../../src/sim/simulation.ts';

/**
 * An independent reference: JavaScript's own ISO-8601 text of the instant, cut
 * to whole seconds (metav1.Time). Only for years 0000-9999, which toISOString
 * writes with four digits (a test may use Date; the engine may not).
 */
function reference(unixMs: number): string {
  return new Date(unixMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
const YEAR_0 = -62_167_219_200_000;
const YEAR_10000 = 253_402_300_800_000;

describe('timestamps', () => {
  it('formatRFC3339 is the instant in UTC to the second, as toISOString gives it (fast-check)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: YEAR_0, max: YEAR_10000 - 1 }), fc.integer({ min: -5_000, max: 5_000 })), (ms) => {
        expect(formatRFC3339(ms)).toBe(reference(ms));
      }),
      { numRuns: 500 },
    );
  });

  it('writes years past 9999 with all their digits (as Go time.Format does)', () => {
    expect(formatRFC3339(YEAR_10000)).toBe('10000-01-01T00:00:00Z');
    expect(formatRFC3339(YEAR_10000 - 1)).toBe('9999-12-31T23:59:59Z');
    expect(formatRFC3339(YEAR_0)).toBe('0000-01-01T00:00:00Z');
  });

  it('Simulation.timestamp(t) is formatRFC3339 of epoch + t whatever was asked before (fast-check)', () => {
    const sim = Simulation.create({ seed: 1, startTime: '2025-01-01T00:00:00Z' });
    const t = fc.oneof(fc.integer({ min: 0, max: 5_000 }), fc.integer({ min: -2_000, max: 100_000_000 }), fc.constantFrom(999, 1000, 1001, -1, -1000, -1001));
    fc.assert(
      fc.property(fc.array(t, { minLength: 1, maxLength: 20 }), (ts) => {
        for (const x of ts) expect(sim.timestamp(x)).toBe(reference(sim.epochMs + x));
      }),
      { numRuns: 300 },
    );
  });
});
