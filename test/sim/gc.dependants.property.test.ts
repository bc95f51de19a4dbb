/**
 * The garbage collector's dependants index keeps an owner's only dependant as its key and a set once there
 * are more: over any sequence of reference changes, each owner's dependants must be what a plain map of
 * sets (the general representation) holds, in the same order (the order deletions are scheduled in).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Simulation } from '../../src/sim/simulation.ts';
import type { OwnerReference } from '../../src/sim/types.ts';

interface Index {
  index(key: string, oldRefs: readonly OwnerReference[], newRefs: readonly OwnerReference[]): void;
  dependantsOf(uid: string): string[];
  dependantCount(uid: string): number;
}

const ref = (uid: string): OwnerReference => ({ apiVersion: 'v1', kind: 'ConfigMap', name: uid, uid });

describe('GarbageCollector dependants index', () => {
  it('matches a map of sets under any sequence of reference changes', () => {
    const owners = ['o0', 'o1', 'o2'];
    const refsArb = fc.array(fc.constantFrom(...owners), { maxLength: 3 });
    fc.assert(
      fc.property(fc.array(fc.record({ key: fc.integer({ min: 0, max: 4 }), refs: refsArb }), { maxLength: 60 }), (ops) => {
        const gc = Simulation.create().gc as unknown as Index;
        const model = new Map<string, Set<string>>();
        // Each dependant's current references, as the store would hand them over as oldRefs.
        const current = new Map<string, string[]>();
        for (const { key: k, refs } of ops) {
          const key = `ConfigMap/default/d${k}`;
          const old = current.get(key) ?? [];
          gc.index(key, old.map(ref), refs.map(ref));
          for (const u of old) {
            const set = model.get(u);
            if (!set) continue;
            set.delete(key);
            if (set.size === 0) model.delete(u);
          }
          for (const u of refs) {
            let set = model.get(u);
            if (!set) model.set(u, (set = new Set()));
            set.add(key);
          }
          current.set(key, refs);
          for (const u of owners) {
            expect(gc.dependantsOf(u)).toEqual([...(model.get(u) ?? [])]);
            expect(gc.dependantCount(u)).toBe(model.get(u)?.size ?? 0);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
