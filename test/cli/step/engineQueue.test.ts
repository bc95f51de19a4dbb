import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventEngine } from '../../../src/sim/engine.ts';

/** What `ksim step` reads from the engine: the next events before they run, and the source of the one that ran. */
describe('engine queue as the step prompt sees it', () => {
  it('upcoming(n) lists exactly the events step() runs next, in order, and lastSource names each', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ at: fc.integer({ min: 0, max: 20 }), priority: fc.integer({ min: 0, max: 3 }), cancel: fc.boolean(), periodic: fc.boolean() }), { maxLength: 30 }),
        fc.integer({ min: 1, max: 6 }),
        (specs, n) => {
          const e = new EventEngine();
          const ids = specs.map((s, i) => e.at(s.at, () => undefined, { priority: s.priority, source: `src-${i}`, periodic: s.periodic }));
          specs.forEach((s, i) => s.cancel && e.cancel(ids[i]!));
          expect(e.lastSource).toBeUndefined();
          for (;;) {
            const next = e.upcoming(n);
            const one = e.upcoming(1);
            expect(one).toEqual(next.slice(0, 1));
            const ran: Array<{ time: number; source: string; periodic: boolean }> = [];
            for (let k = 0; k < next.length; k++) {
              expect(e.step()).toBe(true);
              const i = Number(e.lastSource!.slice(4));
              ran.push({ time: e.now, source: e.lastSource!, periodic: specs[i]!.periodic });
            }
            expect(ran).toEqual(next);
            if (next.length < n) {
              expect(e.step()).toBe(false);
              break;
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
