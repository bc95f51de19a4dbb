/**
 * LeaseSlotIndex (the node lifecycle controller's Lease slots by name) finds
 * exactly what a plain Map of the same adds and deletes holds: its guess of
 * the next slot (creation order, after the last one found) is only taken for a
 * slot of the name asked that is still in the index. Generated runs mix bursts
 * in creation order (the guess right), shuffled lookups, missing names,
 * deletions (holes, and compaction once they are many) and re-adds.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LeaseSlotIndex, type LeaseSlot } from '../../src/controllers/nodelifecycle/nodeLifecycleController.ts';

type Op =
  | { t: 'add'; n: number }
  | { t: 'delete'; n: number }
  | { t: 'get'; n: number }
  | { t: 'burst'; from: number }
  | { t: 'deleteRange'; n: number; count: number }
  | { t: 'addRange'; n: number; count: number };

const NAMES = 120;
const nameIx = fc.integer({ min: 0, max: NAMES - 1 });
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ t: fc.constant('add' as const), n: nameIx }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('delete' as const), n: nameIx }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('get' as const), n: nameIx }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('burst' as const), from: nameIx }) },
  // Nodes leaving and coming back in numbers: holes enough for a compaction, then slots made again.
  { weight: 1, arbitrary: fc.record({ t: fc.constant('deleteRange' as const), n: nameIx, count: fc.integer({ min: 1, max: NAMES }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('addRange' as const), n: nameIx, count: fc.integer({ min: 1, max: NAMES }) }) },
);

function slot(name: string): LeaseSlot {
  return { name, order: -1, lease: undefined, renew: '', seen: false, pos: -1, obsLease: undefined, obsRenew: '', obsPass: 0 };
}

describe('LeaseSlotIndex', () => {
  it('finds what a Map of the same adds and deletes holds', () => {
    let guessed = 0;
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 400, size: 'max' }), (ops) => {
        const idx = new LeaseSlotIndex();
        const ref = new Map<string, LeaseSlot>();
        // Names made anew for each lookup (other string objects): the guess compares contents, not identity.
        const nm = (i: number): string => `node-${String(i)}`;
        const check = (i: number): void => {
          expect(idx.get(nm(i))).toBe(ref.get(nm(i)));
        };
        const add = (i: number): void => {
          if (ref.has(nm(i))) return;
          const s = slot(nm(i));
          idx.add(s);
          ref.set(s.name, s);
        };
        for (const o of ops) {
          if (o.t === 'add') {
            add(o.n);
          } else if (o.t === 'addRange' || o.t === 'deleteRange') {
            for (let i = o.n; i < Math.min(NAMES, o.n + o.count); i++) {
              if (o.t === 'addRange') add(i);
              else {
                idx.delete(nm(i));
                ref.delete(nm(i));
              }
            }
            continue;
          } else if (o.t === 'delete') {
            idx.delete(nm(o.n));
            ref.delete(nm(o.n));
          } else if (o.t === 'get') check(o.n);
          else {
            // A burst in creation order from some slot on: the guess is right for each live slot after the first.
            const names = [...ref.keys()];
            for (let k = Math.min(o.from, names.length); k < names.length; k++) {
              expect(idx.get(names[k]!)).toBe(ref.get(names[k]!));
              guessed++;
            }
          }
          if (o.t !== 'burst') check(o.n);
        }
        for (let i = 0; i < NAMES; i++) check(i);
      }),
      { numRuns: 300 },
    );
    expect(guessed).toBeGreaterThan(0);
  });

  it('refuses a second slot for a name', () => {
    const idx = new LeaseSlotIndex();
    idx.add(slot('a'));
    expect(() => idx.add(slot('a'))).toThrow(/added twice/);
  });
});
