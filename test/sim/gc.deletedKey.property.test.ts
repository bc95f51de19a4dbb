/**
 * The garbage collector finds a deleted object's key by its uid (the key it kept when the object was added)
 * instead of building it again from kind, namespace and name: over any sequence of creates (owned by live or
 * gone objects) and deletes, its uid table must hold exactly the live objects under the key the general way
 * builds, and its dependants index exactly the live objects' references (nothing left behind by a delete).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Simulation } from '../../src/sim/simulation.ts';
import { objectKey } from '../../src/sim/store.ts';
import type { KObject, OwnerReference } from '../../src/sim/types.ts';

interface GcState {
  readonly keyByUid: Map<string, string>;
  dependantsOf(uid: string): string[];
}

describe('GarbageCollector keys of deleted objects', () => {
  it('keeps its uid table and dependants index as the live objects say (fast-check)', () => {
    const step = fc.record({
      del: fc.boolean(),
      kind: fc.constantFrom('ConfigMap', 'Secret', 'Namespace'),
      ns: fc.constantFrom('default', 'other'),
      name: fc.integer({ min: 0, max: 3 }),
      owners: fc.array(fc.integer({ min: 0, max: 7 }), { maxLength: 2 }),
    });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        const sim = Simulation.create();
        const store = sim.store;
        const gc = sim.gc as unknown as GcState;
        // Every uid ever made, live or not, so references may name gone owners too.
        const uids: string[] = [];
        const live = new Map<string, KObject>();
        for (const s of steps) {
          const ns = s.kind === 'Namespace' ? '' : s.ns;
          const name = `o${s.name}`;
          const key = objectKey(s.kind, ns, name);
          if (s.del) {
            if (!live.has(key)) continue;
            store.delete(s.kind, ns, name);
            if (store.get(s.kind, ns, name) === undefined) live.delete(key);
            else live.set(key, store.get(s.kind, ns, name)!);
            continue;
          }
          if (live.has(key) || (s.kind === 'Namespace' && name === 'default')) continue;
          const ownerReferences: OwnerReference[] = [];
          for (const i of s.owners) if (i < uids.length) ownerReferences.push({ apiVersion: 'v1', kind: 'ConfigMap', name: `gone${i}`, uid: uids[i]! });
          const meta = ownerReferences.length > 0 ? { name, namespace: ns, ownerReferences } : { name, namespace: ns };
          const created = store.create({ apiVersion: 'v1', kind: s.kind, metadata: meta } as KObject);
          uids.push(created.metadata.uid!);
          live.set(key, created);
        }
        const want = new Map<string, string>();
        for (const o of store.kinds().flatMap((k) => store.list(k))) want.set(o.metadata.uid!, objectKey(o.kind, o.metadata.namespace ?? '', o.metadata.name!));
        expect(new Map([...gc.keyByUid].sort())).toEqual(new Map([...want].sort()));
        for (const uid of uids) {
          const deps: string[] = [];
          for (const o of store.kinds().flatMap((k) => store.list(k))) {
            if ((o.metadata.ownerReferences ?? []).some((r) => r.uid === uid)) deps.push(objectKey(o.kind, o.metadata.namespace ?? '', o.metadata.name!));
          }
          expect(gc.dependantsOf(uid).sort()).toEqual(deps.sort());
        }
      }),
      { numRuns: 500 },
    );
  });
});
