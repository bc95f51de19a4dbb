/**
 * KindIndex against a plain map of "namespace/name": set, put (which returns
 * the object replaced), insert (only a new name), entry + replaceEntry, delete,
 * entry + deleteEntry (the store's delete), get and the sorted list
 * views agree after any sequence of writes, including writes after a sorted
 * view was built and namespaces emptied and filled again (the last-bucket
 * memo).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { KindIndex } from '../../src/sim/objectIndex.ts';

const op = fc.record({
  kind: fc.constantFrom('set', 'put', 'insert', 'replace', 'delete', 'deleteEntry', 'list', 'listAll', 'forEach'),
  ns: fc.constantFrom('', 'a', 'b'),
  name: fc.constantFrom('x', 'y', 'z', 'w', 'v'),
});

describe('KindIndex', () => {
  it('agrees with a plain map after any writes and reads (fast-check)', () => {
    fc.assert(
      // size 'max': lengths over the whole range (fast-check's default keeps arrays within ~10 of minLength,
      // too short to build a sorted view, delete from it and read it again).
      fc.property(fc.array(op, { maxLength: 60, size: 'max' }), (ops) => {
        const idx = new KindIndex<{ v: number }>();
        const ref = new Map<string, { v: number }>();
        let n = 0;
        for (const o of ops) {
          const key = `${o.ns}/${o.name}`;
          if (o.kind === 'set' || o.kind === 'put') {
            const obj = { v: n++ };
            const before = ref.get(key);
            if (o.kind === 'set') expect(idx.set(o.ns, o.name, obj)).toBe(before === undefined);
            else expect(idx.put(o.ns, o.name, obj)).toBe(before);
            ref.set(key, obj);
          } else if (o.kind === 'replace') {
            // entry() then replaceEntry(): the store's heartbeat write (a replacement only; no entry, no write).
            const e = idx.entry(o.ns, o.name);
            expect(e?.obj).toBe(ref.get(key));
            if (e !== undefined) {
              const obj = { v: n++ };
              idx.replaceEntry(e, obj);
              ref.set(key, obj);
            }
          } else if (o.kind === 'insert') {
            const obj = { v: n++ };
            expect(idx.insert(o.ns, o.name, obj)).toBe(!ref.has(key));
            if (!ref.has(key)) ref.set(key, obj);
          } else if (o.kind === 'deleteEntry') {
            // entry() then deleteEntry(): the store's delete (the entry read, then removed with no lookup).
            const e = idx.entry(o.ns, o.name);
            expect(e?.obj).toBe(ref.get(key));
            if (e !== undefined) {
              idx.deleteEntry(e);
              expect(e.live).toBe(false);
              ref.delete(key);
            }
          } else if (o.kind === 'forEach') {
            const want = [...ref.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
            const got: Array<[string, { v: number }]> = [];
            idx.forEach((obj, ns, name) => got.push([`${ns}/${name}`, obj]));
            expect(got).toEqual(want);
          } else if (o.kind === 'delete') {
            expect(idx.delete(o.ns, o.name)).toBe(ref.get(key));
            ref.delete(key);
          } else if (o.kind === 'list') {
            const want = [...ref.entries()].filter(([k]) => k.slice(0, k.indexOf('/')) === o.ns).sort(([a], [b]) => (a < b ? -1 : 1)).map(([, v]) => v);
            expect(idx.list(o.ns)).toEqual(want);
          } else {
            const want = [...ref.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, v]) => v);
            expect(idx.list()).toEqual(want);
          }
          expect(idx.size).toBe(ref.size);
          expect(idx.get(o.ns, o.name)).toBe(ref.get(key));
          expect(idx.has(o.ns, o.name)).toBe(ref.has(key));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('agrees with a plain map over many names, deletes and repeated passes in one order (the next-entry guess and its compaction, fast-check)', () => {
    // Passes over a run of names in order (the guess hits), with deletes enough to compact a bucket's order.
    const pass = fc.record({
      kind: fc.constantFrom('put', 'put', 'delete', 'list'),
      from: fc.integer({ min: 0, max: 150 }),
      count: fc.integer({ min: 1, max: 120 }),
      step: fc.constantFrom(1, 1, 2, 3),
    });
    fc.assert(
      fc.property(fc.array(pass, { maxLength: 12 }), (passes) => {
        const idx = new KindIndex<{ v: number }>();
        const ref = new Map<string, { v: number }>();
        let n = 0;
        for (const p of passes) {
          for (let k = 0; k < p.count; k++) {
            const name = `n${(p.from + k * p.step) % 200}`;
            if (p.kind === 'put') {
              const obj = { v: n++ };
              expect(idx.put('ns', name, obj)).toBe(ref.get(name));
              ref.set(name, obj);
            } else if (p.kind === 'delete') {
              expect(idx.delete('ns', name)).toBe(ref.get(name));
              ref.delete(name);
            }
            expect(idx.get('ns', name)).toBe(ref.get(name));
          }
          const want = [...ref.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, v]) => v);
          expect(idx.list('ns')).toEqual(want);
          expect(idx.size).toBe(ref.size);
        }
      }),
      { numRuns: 200 },
    );
  });
});
