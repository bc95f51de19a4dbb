/**
 * sameTree (src/api/sameTree.ts), which stands one tree in for another it equals (interned pod specs,
 * remembered validation results), answers as the reference (identical: isDeepStrictEqual plus the same key
 * order all the way down) over JSON-like trees with the leaves JSON cannot tell apart (undefined, NaN, -0),
 * compared with an equal copy and with copies differing in one place: a leaf, the order of an object's keys,
 * a key fewer or more, an array's length. A guard for any faster walk.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sameTree } from '../../src/api/sameTree.ts';
import { identical } from './identical.ts';

const LEAVES: readonly unknown[] = [undefined, null, 0, -0, NaN, 1, '', 'x', true, false];
const leaf = fc.constantFrom(...LEAVES);
const { tree } = fc.letrec((tie) => ({
  tree: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('object'), tie('array')),
  object: fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd', '1', 'metadata'), tie('tree'), { maxKeys: 5 }),
  array: fc.array(tie('tree'), { maxLength: 4 }),
}));

type Mode = 'copy' | 'leaf' | 'reorder' | 'drop' | 'add' | 'push';

/** Nodes of a tree (leaves, objects, arrays). */
function count(v: unknown): number {
  if (typeof v !== 'object' || v === null) return 1;
  let n = 1;
  for (const c of Object.values(v)) n += count(c);
  return n;
}

/** A copy of `v` (fresh objects and arrays) with one node (pre-order, `at` modulo their count) changed as `mode` says, when it can be. */
function variant(v: unknown, mode: Mode, pickNode: number, pick: number): unknown {
  const at = pickNode % count(v);
  let n = 0;
  const walk = (x: unknown): unknown => {
    const here = n++ === at;
    if (here && mode === 'leaf') return LEAVES[pick % LEAVES.length];
    if (typeof x !== 'object' || x === null) return x;
    if (Array.isArray(x)) {
      const out = x.map(walk);
      if (here && mode === 'push') out.push(LEAVES[pick % LEAVES.length]);
      if (here && mode === 'drop' && out.length > 0) out.pop();
      return out;
    }
    let entries = Object.keys(x).map((k) => [k, walk((x as Record<string, unknown>)[k])] as const);
    if (here && mode === 'reorder') entries = [...entries].reverse();
    if (here && mode === 'drop') entries = entries.slice(1);
    if (here && mode === 'add') entries = [...entries, ['zz', LEAVES[pick % LEAVES.length]] as const];
    const out: Record<string, unknown> = {};
    for (const [k, c] of entries) out[k] = c;
    return out;
  };
  return walk(v);
}

describe('sameTree', () => {
  it('answers as the reference over trees and their one-place variants', () => {
    fc.assert(
      fc.property(
        tree,
        fc.constantFrom<Mode>('copy', 'leaf', 'reorder', 'drop', 'add', 'push'),
        fc.nat(),
        fc.nat(),
        fc.boolean(),
        (a, mode, at, pick, freeze) => {
          const b = variant(a, mode, at, pick);
          if (freeze) Object.freeze(b);
          expect(sameTree(a, b)).toBe(identical(a, b));
          expect(sameTree(b, a)).toBe(identical(b, a));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('answers as the reference over independent trees', () => {
    fc.assert(
      fc.property(tree, tree, (a, b) => {
        expect(sameTree(a, b)).toBe(identical(a, b));
      }),
      { numRuns: 500 },
    );
  });

  it('tells apart what JSON does not, and nested differences after equal members', () => {
    expect(sameTree({ a: 1, b: { c: [1, 2] } }, { a: 1, b: { c: [1, 2] } })).toBe(true);
    expect(sameTree({ a: 1, b: { c: [1, 2] } }, { a: 1, b: { c: [1, 3] } })).toBe(false);
    expect(sameTree({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(false);
    expect(sameTree({ a: 1, b: 1 }, { b: 1, a: 1 })).toBe(false);
    expect(sameTree({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(sameTree({ a: 1, b: undefined }, { a: 1 })).toBe(false);
    expect(sameTree({ a: NaN }, { a: NaN })).toBe(true);
    expect(sameTree({ a: 0 }, { a: -0 })).toBe(false);
    expect(sameTree([{ a: {} }], [{ a: [] }])).toBe(false);
    // A difference deep in the first member ends the walk with the stacks as they were: the next compare is right.
    expect(sameTree({ a: { b: { c: 1 } }, d: 1 }, { a: { b: { c: 2 } }, d: 1 })).toBe(false);
    expect(sameTree({ x: 1, y: 2 }, { x: 1, y: 2 })).toBe(true);
  });
});
