/**
 * OwnerIndex with lazyOrphans (orphans filed only in namespaces asked about,
 * filled then from the informer cache) answers owned() and orphansIn() exactly
 * as the eager index does, for any sequence of adds, owner changes and deletes
 * interleaved with queries, and owned() lists what a straightforward model
 * lists, in the order the objects came under their controller; a lazy index (nothing filed until first asked)
 * holds the same objects in each bucket.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { OwnerIndex, OwnerNamespaces } from '../../src/workloads/controllerutils/index.ts';
import type { KObject, OwnerReference, Stored, WatchEvent } from '../../src/sim/types.ts';

const NAMESPACES = ['a', 'b', 'c'];
const OWNERS = ['uid-1', 'uid-2', 'uid-3'];

type Step =
  | { op: 'write'; pod: number; ns: number; owner: number; extraRef: boolean; keepRefs: boolean }
  | { op: 'delete'; pod: number }
  | { op: 'orphans'; ns: number }
  | { op: 'owned'; owner: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant('write' as const), pod: fc.nat(11), ns: fc.nat(2), owner: fc.nat(OWNERS.length), extraRef: fc.boolean(), keepRefs: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('delete' as const), pod: fc.nat(11) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('orphans' as const), ns: fc.nat(2) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('owned' as const), owner: fc.nat(OWNERS.length - 1) }) },
);

function refsFor(owner: number, extraRef: boolean): OwnerReference[] | undefined {
  const refs: OwnerReference[] = [];
  // A non-controller reference does not make an object owned.
  if (extraRef) refs.push({ apiVersion: 'v1', kind: 'ConfigMap', name: 'cm', uid: 'uid-cm' });
  if (owner < OWNERS.length) refs.push({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `rs-${owner}`, uid: OWNERS[owner]!, controller: true });
  return refs.length > 0 ? refs : undefined;
}

/** The pod a write step stores: it keeps its namespace, and keeps its reference array (a status write) or gets a new one. */
function writtenPod(s: Extract<Step, { op: 'write' }>, old: Stored | undefined, rv: number): Stored<KObject> {
  const ns = old ? (old.metadata.namespace ?? '') : NAMESPACES[s.ns]!;
  const refs = old && s.keepRefs ? old.metadata.ownerReferences : refsFor(s.owner, s.extraRef);
  const meta: Record<string, unknown> = { name: `p${s.pod}`, namespace: ns, uid: `pod-${s.pod}`, resourceVersion: String(rv) };
  if (refs) meta['ownerReferences'] = refs;
  return Object.freeze({ apiVersion: 'v1', kind: 'Pod', metadata: Object.freeze(meta) }) as unknown as Stored<KObject>;
}

/** Apply a watch event to an informer cache of objects by namespace, then name. */
function toCache(cache: Map<string, Map<string, Stored>>, ev: WatchEvent): void {
  const o = ev.object;
  const ns = o.metadata.namespace ?? '';
  let m = cache.get(ns);
  if (!m) cache.set(ns, (m = new Map()));
  if (ev.type === 'DELETED') m.delete(o.metadata.name ?? '');
  else m.set(o.metadata.name ?? '', o);
}

const names = (os: readonly Stored[]): string[] => os.map((o) => `${o.metadata.namespace}/${o.metadata.name}@${o.metadata.resourceVersion}`);

/** The pods written so far (by step pod number) and the last resourceVersion given. */
interface Cluster {
  live: Map<number, Stored>;
  rv: number;
}

/** Plays a write or delete step into `c` and through `deliver`; false for a question step, which it leaves to the caller. */
function playChange(s: Step, c: Cluster, deliver: (ev: WatchEvent) => void): s is Extract<Step, { op: 'write' | 'delete' }> {
  if (s.op === 'write') {
    const old = c.live.get(s.pod);
    const o = writtenPod(s, old, ++c.rv);
    c.live.set(s.pod, o);
    deliver(old ? { type: 'MODIFIED', object: o, oldObject: old } : { type: 'ADDED', object: o });
    return true;
  }
  if (s.op === 'delete') {
    const old = c.live.get(s.pod);
    if (!old) return true;
    c.live.delete(s.pod);
    deliver({ type: 'DELETED', object: old });
    return true;
  }
  return false;
}

describe('OwnerIndex lazyOrphans', () => {
  it('answers as the eager index for any event sequence (property)', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 60 }), (steps) => {
        const eager = new OwnerIndex();
        const lazy = new OwnerIndex({ lazyOrphans: true });
        // The informer cache both indexes are fed from: namespace -> name -> object.
        const cache = new Map<string, Map<string, Stored>>();
        const live = new Map<number, Stored>();
        const source = { list: (ns: string): Stored[] => [...(cache.get(ns)?.values() ?? [])] };
        // The straightforward model of owned(): per controller uid, the pods in the order they came under it
        // (a pod keeps its place while its controller stays the same).
        const model = new Map<string, number[]>();
        const controllerUid = (o: Stored | undefined): string | undefined => o?.metadata.ownerReferences?.find((r) => r.controller === true)?.uid;
        let rv = 0;
        const deliver = (ev: WatchEvent, pod: number): void => {
          const o = ev.object;
          toCache(cache, ev);
          const before = ev.type === 'ADDED' ? undefined : controllerUid(ev.type === 'DELETED' ? o : ev.oldObject);
          const after = ev.type === 'DELETED' ? undefined : controllerUid(o);
          if (ev.type === 'DELETED' || before !== after) {
            if (before !== undefined) model.set(before, (model.get(before) ?? []).filter((p) => p !== pod));
            if (after !== undefined) model.set(after, [...(model.get(after) ?? []), pod]);
          }
          eager.observe(ev);
          lazy.observe(ev);
        };
        const ownedNames = (uid: string): string[] => (model.get(uid) ?? []).map((p) => `${live.get(p)!.metadata.namespace}/p${p}@${live.get(p)!.metadata.resourceVersion}`);
        for (const s of steps) {
          if (s.op === 'write') {
            const old = live.get(s.pod);
            const o = writtenPod(s, old, ++rv);
            live.set(s.pod, o);
            deliver(old ? { type: 'MODIFIED', object: o, oldObject: old } : { type: 'ADDED', object: o }, s.pod);
          } else if (s.op === 'delete') {
            const old = live.get(s.pod);
            if (!old) continue;
            deliver({ type: 'DELETED', object: old }, s.pod);
            live.delete(s.pod);
          } else if (s.op === 'orphans') {
            const ns = NAMESPACES[s.ns]!;
            expect(names(lazy.orphansIn(ns, source))).toEqual(names(eager.orphansIn(ns)));
          } else {
            const uid = OWNERS[s.owner]!;
            expect(names(eager.owned(uid))).toEqual(ownedNames(uid));
            expect(names(lazy.owned(uid))).toEqual(names(eager.owned(uid)));
            expect(lazy.ownedCount(uid)).toBe(eager.ownedCount(uid));
          }
        }
        for (const ns of NAMESPACES) expect(names(lazy.orphansIn(ns, source))).toEqual(names(eager.orphansIn(ns)));
        for (const uid of OWNERS) {
          expect(names(eager.owned(uid))).toEqual(ownedNames(uid));
          expect(names(lazy.owned(uid))).toEqual(names(eager.owned(uid)));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a lazy (dormant until asked) index holds what the eager one holds, bucket order aside (property)', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 60 }), fc.boolean(), (steps, lazyOrphans) => {
        const eager = new OwnerIndex();
        const lazy = new OwnerIndex({ lazyOrphans, lazy: true });
        const cache = new Map<string, Map<string, Stored>>();
        const cluster: Cluster = { live: new Map(), rv: 0 };
        // The informer cache: one namespace's objects, or all (namespace, then name order, as KindIndex.list).
        const source = {
          list: (ns?: string): Stored[] =>
            ns !== undefined ? [...(cache.get(ns)?.values() ?? [])] : [...cache.keys()].sort().flatMap((n) => [...cache.get(n)!.values()]),
        };
        const sortedNames = (os: readonly Stored[]): string[] => names(os).sort();
        let asked = false;
        const deliver = (ev: WatchEvent): void => {
          toCache(cache, ev);
          eager.observe(ev);
          lazy.observe(ev);
        };
        for (const s of steps) {
          if (playChange(s, cluster, deliver)) continue;
          if (s.op === 'orphans') {
            asked = true;
            const ns = NAMESPACES[s.ns]!;
            expect(names(lazy.orphansIn(ns, source))).toEqual(names(eager.orphansIn(ns)));
          } else {
            asked = true;
            const uid = OWNERS[s.owner]!;
            expect(sortedNames(lazy.owned(uid, source))).toEqual(sortedNames(eager.owned(uid)));
            expect(lazy.ownedCount(uid, source)).toBe(eager.ownedCount(uid));
          }
        }
        if (!asked) {
          // Never asked: it filed nothing (the saving), and the first question still gets the full answer.
          expect((lazy as unknown as { where: Map<string, unknown> }).where.size).toBe(0);
        }
        for (const uid of OWNERS) expect(sortedNames(lazy.owned(uid, source))).toEqual(sortedNames(eager.owned(uid)));
        for (const ns of NAMESPACES) expect(names(lazy.orphansIn(ns, source))).toEqual(names(eager.orphansIn(ns)));
      }),
      { numRuns: 300 },
    );
  });

  it('a lazy index needs the informer cache the first time it is asked', () => {
    expect(() => new OwnerIndex({ lazy: true }).owned('uid-1')).toThrow(/informer cache/);
  });

  it('needs the informer cache the first time a namespace is asked about', () => {
    expect(() => new OwnerIndex({ lazyOrphans: true }).orphansIn('default')).toThrow(/informer cache/);
  });

  it('ignores() only events that observe() would not change: an index shown only the others answers the same (property)', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 60 }), (steps) => {
        // Both lazyOrphans, fed from one cache: `full` observes every event, `skipping` only those it does not ignore.
        const full = new OwnerIndex({ lazyOrphans: true });
        const skipping = new OwnerIndex({ lazyOrphans: true });
        const cache = new Map<string, Map<string, Stored>>();
        const cluster: Cluster = { live: new Map(), rv: 0 };
        const source = { list: (ns: string): Stored[] => [...(cache.get(ns)?.values() ?? [])] };
        const deliver = (ev: WatchEvent): void => {
          toCache(cache, ev);
          full.observe(ev);
          if (!skipping.ignores(ev)) skipping.observe(ev);
          else expect(ev.object.metadata.ownerReferences).toBeUndefined();
        };
        const same = (): void => {
          for (const uid of OWNERS) expect(names(skipping.owned(uid))).toEqual(names(full.owned(uid)));
        };
        for (const s of steps) {
          if (playChange(s, cluster, deliver)) continue;
          if (s.op === 'orphans') {
            const ns = NAMESPACES[s.ns]!;
            expect(names(skipping.orphansIn(ns, source))).toEqual(names(full.orphansIn(ns, source)));
          } else same();
        }
        same();
        for (const ns of NAMESPACES) expect(names(skipping.orphansIn(ns, source))).toEqual(names(full.orphansIn(ns, source)));
      }),
      { numRuns: 400 },
    );
  });

  it('OwnerNamespaces.has(ns) is whether the cache holds an object in ns (property)', () => {
    const ownerStep = fc.record({ owner: fc.nat(5), ns: fc.nat(2), del: fc.boolean() });
    fc.assert(
      fc.property(fc.array(ownerStep, { maxLength: 40 }), (steps) => {
        const seen = new OwnerNamespaces();
        const cache = new Map<string, Map<string, Stored>>();
        const live = new Map<number, Stored>();
        let rv = 0;
        for (const s of steps) {
          const old = live.get(s.owner);
          let ev: WatchEvent;
          if (s.del) {
            if (!old) continue;
            live.delete(s.owner);
            ev = { type: 'DELETED', object: old };
          } else {
            // An owner keeps its namespace; a deleted one comes back with a new uid.
            const ns = old ? (old.metadata.namespace ?? '') : NAMESPACES[s.ns]!;
            const o = Object.freeze({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: Object.freeze({ name: `rs${s.owner}`, namespace: ns, uid: `rs-${s.owner}-${old ? old.metadata.uid : ++rv}`, resourceVersion: String(++rv) }) }) as unknown as Stored;
            const kept = old ? Object.freeze({ ...o, metadata: Object.freeze({ ...o.metadata, uid: old.metadata.uid }) }) as unknown as Stored : o;
            live.set(s.owner, kept);
            ev = old ? { type: 'MODIFIED', object: kept, oldObject: old } : { type: 'ADDED', object: kept };
          }
          toCache(cache, ev);
          seen.observe(ev);
          for (const ns of NAMESPACES) expect(seen.has(ns)).toBe((cache.get(ns)?.size ?? 0) > 0);
        }
      }),
      { numRuns: 300 },
    );
  });
});
