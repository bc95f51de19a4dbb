/**
 * jsonEqual against a plain reference: two JSON-like values are equal when their canonical JSON (members
 * sorted by key, undefined members dropped) is the same text. Pairs are made equal, reordered, padded with
 * undefined members, or changed in one place (a leaf, an added or a removed member), so that both answers
 * occur often and unequal pairs differ anywhere, including only in b's extra members.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { jsonEqual } from '../../src/sim/runLog.ts';

/** JSON text with every object's members sorted by key (undefined members dropped, as JSON.stringify does). */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map((x) => (x === undefined ? 'null' : canonical(x))).join(',')}]`;
  if (typeof v === 'object' && v !== null) {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

const KEYS = ['a', 'b', 'c', 'd', 'e'];
const leaf = fc.oneof(fc.constantFrom(0, 1, 2, '', 'x', 'y', true, false, null), fc.integer({ min: -3, max: 3 }));
const value: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom(...KEYS), tie('v'), { maxKeys: 5 }),
  ),
})).v;

/** A copy of `v` with object members in reverse order and, per `pad`, undefined members added. */
function reordered(v: unknown, pad: boolean): unknown {
  if (Array.isArray(v)) return v.map((x) => reordered(x, pad));
  if (typeof v === 'object' && v !== null) {
    const o = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(o).reverse()) out[k] = reordered(o[k], pad);
    if (pad) for (const k of KEYS) if (!(k in out)) out[k] = undefined;
    return out;
  }
  return v;
}

/** `v` changed at the path chosen by `choice`: a leaf replaced, or a member added or removed. */
function changed(v: unknown, choice: number[], replacement: unknown): unknown {
  const step = choice[0] ?? 0;
  if (Array.isArray(v) && v.length > 0 && choice.length > 1) {
    const i = step % v.length;
    return v.map((x, j) => (j === i ? changed(x, choice.slice(1), replacement) : x));
  }
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length > 0 && choice.length > 1 && step % 3 !== 0) {
      const k = keys[step % keys.length]!;
      return { ...o, [k]: changed(o[k], choice.slice(1), replacement) };
    }
    const k = KEYS[step % KEYS.length]!;
    if (k in o && step % 2 === 0) {
      const { [k]: _dropped, ...rest } = o;
      return rest;
    }
    return { ...o, [k]: replacement };
  }
  return replacement;
}

const pair = fc.oneof(
  value.map((v) => [v, structuredClone(v)] as const),
  fc.tuple(value, fc.boolean()).map(([v, pad]) => [v, reordered(v, pad)] as const),
  fc.tuple(value, fc.array(fc.nat(11), { minLength: 1, maxLength: 5 }), value).map(([v, c, r]) => [v, changed(v, c, r)] as const),
  fc.tuple(value, value),
);

describe('jsonEqual', () => {
  it('answers as canonical JSON text does, both ways round', () => {
    let equal = 0;
    let unequal = 0;
    fc.assert(
      fc.property(pair, ([a, b]) => {
        const want = canonical(a) === canonical(b);
        if (want) equal++;
        else unequal++;
        expect(jsonEqual(a, b)).toBe(want);
        expect(jsonEqual(b, a)).toBe(want);
      }),
      { numRuns: 1000 },
    );
    // Both answers are common for any seed: a quarter of the pairs are copies, a quarter single changes.
    expect(equal).toBeGreaterThan(100);
    expect(unequal).toBeGreaterThan(100);
  });

  it('tells apart a b with extra members only', () => {
    expect(jsonEqual({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(jsonEqual({ a: 1, b: 2 }, { a: 1 })).toBe(false);
    expect(jsonEqual({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(jsonEqual({ a: 1 }, { b: undefined, a: 1 })).toBe(true);
    expect(jsonEqual({}, { a: undefined, b: null })).toBe(false);
  });
});
