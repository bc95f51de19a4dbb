/**
 * deepFreeze tests each child once, in its parent's walk, and not again on
 * entering it (freezeTree). For any JSON-like tree, some of whose subtrees
 * are already frozen, the result must be what the plain recursive freeze
 * gives: the same object, every object and array in it frozen, the content
 * unchanged, and the frozen subtrees it was given left as they were (the same
 * objects).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { deepFreeze } from '../../src/sim/store.ts';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** A tree node that may be frozen before deepFreeze sees it (a frozen shared subtree). */
type Spec = { leaf: Json } | { arr: Spec[]; frozen: boolean } | { obj: Array<[string, Spec]>; frozen: boolean };

const leaf = fc.oneof(fc.constantFrom<Json>(null, true, false, 0, 'a', 'b'), fc.integer({ min: -3, max: 3 }));
const spec: fc.Arbitrary<Spec> = fc.letrec<{ s: Spec }>((tie) => ({
  s: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf.map((l) => ({ leaf: l })),
    fc.record({ arr: fc.array(tie('s'), { maxLength: 4 }), frozen: fc.boolean() }),
    fc.record({ obj: fc.uniqueArray(fc.tuple(fc.constantFrom('a', 'b', 'c', 'd', 'e'), tie('s')), { maxLength: 4, selector: (e) => e[0] }), frozen: fc.boolean() }),
  ),
})).s;

/** The tree a spec describes, and the subtrees it froze (deeply: a frozen part is deeply frozen, as in the store). */
function build(s: Spec, frozen: object[]): Json {
  if ('leaf' in s) return s.leaf;
  const v: Json = 'arr' in s ? s.arr.map((c) => build(c, frozen)) : Object.fromEntries(s.obj.map(([k, c]) => [k, build(c, frozen)]));
  if (s.frozen) {
    reference(v);
    frozen.push(v as object);
  }
  return v;
}

/** The plain recursive freeze deepFreeze must equal. */
function reference(v: Json): void {
  if (typeof v !== 'object' || v === null || Object.isFrozen(v)) return;
  for (const c of Array.isArray(v) ? v : Object.values(v)) reference(c);
  Object.freeze(v);
}

function allFrozen(v: Json): boolean {
  if (typeof v !== 'object' || v === null) return true;
  if (!Object.isFrozen(v)) return false;
  return (Array.isArray(v) ? v : Object.values(v)).every(allFrozen);
}

/** The objects of a tree, in walk order (identity). */
function objects(v: Json, out: object[] = []): object[] {
  if (typeof v !== 'object' || v === null) return out;
  out.push(v);
  for (const c of Array.isArray(v) ? v : Object.values(v)) objects(c, out);
  return out;
}

describe('deepFreeze', () => {
  it('freezes every part, changes nothing and keeps frozen parts, as the plain recursive freeze', () => {
    fc.assert(
      fc.property(spec, (s) => {
        const frozenA: object[] = [];
        const frozenB: object[] = [];
        const a = build(s, frozenA);
        const b = build(s, frozenB);
        const before = JSON.stringify(a);
        const aObjects = objects(a);
        expect(deepFreeze(a)).toBe(a);
        reference(b);
        expect(JSON.stringify(a)).toBe(before);
        expect(JSON.stringify(a)).toBe(JSON.stringify(b));
        expect(allFrozen(a)).toBe(true);
        // The same objects, in the same places: nothing was copied or replaced.
        expect(objects(a)).toEqual(aObjects);
        expect(objects(a).every((o, i) => o === aObjects[i])).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
