/**
 * Timestamps are formatted once per whole second and built as one flat string:
 * the text must be what the straightforward template gives, for any virtual
 * time and in any order of asking.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { civilFromDays, formatRFC3339 } from '../../src/sim/time.ts';
import { Simulation } from '../../src/sim/simulation.ts';

/** formatRFC3339 as a template literal, without anything remembered. */
function reference(unixMs: number): string {
  const secs = Math.floor(unixMs / 1000);
  const days = Math.floor(secs / 86400);
  let rem = secs - days * 86400;
  const [y, mo, d] = civilFromDays(days);
  const h = Math.floor(rem / 3600);
  rem -= h * 3600;
  const mi = Math.floor(rem / 60);
  const se = rem - mi * 60;
  const p = (n: number) => String(n).padStart(2, '0');
  const ys = y >= 0 && y < 10000 ? String(y).padStart(4, '0') : String(y);
  return `${ys}-${p(mo)}-${p(d)}T${p(h)}:${p(mi)}:${p(se)}Z`;
}

describe('timestamps', () => {
  it('formatRFC3339 gives the template text (fast-check)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -70_000_000_000_000, max: 300_000_000_000_000 }), (ms) => {
        expect(formatRFC3339(ms)).toBe(reference(ms));
      }),
      { numRuns: 500 },
    );
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
