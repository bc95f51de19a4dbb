/**
 * Main-resource patches edit a private copy (thaw) and freeze it sharing
 * what came out equal (reshare) instead of going through an immer draft:
 * for any tree and any edits, the result must be the draft's result (same
 * JSON, same key order), deeply frozen, sharing every subtree the draft
 * shares with the base (and the base itself when nothing changed), and the
 * base must be untouched.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Immer } from 'immer';
import { deepFreeze, reshare, thaw } from '../../src/sim/store.ts';

const immer = new Immer({ autoFreeze: false });

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const leaf = fc.oneof(fc.constantFrom<Json>(null, true, false, 0, 1, 'a', 'b'), fc.integer({ min: -3, max: 3 }));
const tree: fc.Arbitrary<Json> = fc.letrec<{ t: Json }>((tie) => ({
  t: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('t'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd'), tie('t'), { maxKeys: 4 }),
  ),
})).t;

/** An edit: walk `path` (indexes into the keys met), then set, delete, push, or set back the value found. */
const edit = fc.record({
  path: fc.array(fc.nat(5), { maxLength: 4 }),
  op: fc.constantFrom('set', 'delete', 'push', 'same', 'setObject', 'move'),
  key: fc.constantFrom('a', 'b', 'e'),
  value: leaf,
});

type Edit = { path: number[]; op: string; key: string; value: Json };

function apply(root: Record<string, Json>, e: Edit): void {
  let cur: Json = root;
  for (const i of e.path) {
    if (typeof cur !== 'object' || cur === null) return;
    const keys: string[] = Object.keys(cur);
    if (keys.length === 0) break;
    const next: Json = (cur as Record<string, Json>)[keys[i % keys.length]!]!;
    if (typeof next !== 'object' || next === null) break;
    cur = next;
  }
  if (typeof cur !== 'object' || cur === null) return;
  if (Array.isArray(cur)) {
    if (e.op === 'push') cur.push(e.value);
    else if (e.op === 'delete') cur.pop();
    else if (cur.length > 0) cur[0] = e.op === 'same' ? cur[0]! : e.op === 'setObject' ? { x: e.value } : e.value;
    return;
  }
  const o = cur as Record<string, Json>;
  if (e.op === 'delete') delete o[e.key];
  else if (e.op === 'move') {
    // Delete and add back the same value: only the key order changes.
    const k = Object.keys(o)[0];
    if (k !== undefined) {
      const v = o[k]!;
      delete o[k];
      o[k] = v;
    }
  } else if (e.op === 'same') {
    if (e.key in o) o[e.key] = o[e.key]!;
  } else if (e.op === 'setObject') o[e.key] = { x: e.value };
  else o[e.key] = e.value;
}

function deeplyFrozen(v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return true;
  if (!Object.isFrozen(v)) return false;
  return Object.values(v).every(deeplyFrozen);
}

/** Every path where `a` shares the base's object, `b` shares it too. */
function sharesAtLeast(a: unknown, b: unknown, base: unknown): boolean {
  if (typeof a !== 'object' || a === null || typeof base !== 'object' || base === null) return true;
  if (a === base && b !== base) return false;
  if (typeof b !== 'object' || b === null) return true;
  for (const k of Object.keys(a)) {
    if (!sharesAtLeast((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], (base as Record<string, unknown>)[k])) return false;
  }
  return true;
}

describe('thaw + reshare', () => {
  it('gives the copy-on-write draft result, frozen, sharing at least what the draft shares', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd'), tree, { maxKeys: 4 }), fc.array(edit, { maxLength: 4 }), (raw, edits) => {
        const base = deepFreeze(structuredClone(raw) as Record<string, Json>);
        const before = JSON.stringify(base);
        const viaDraft: unknown = deepFreeze(
          immer.produce(base as object, (d: object) => {
            for (const e of edits) apply(d as Record<string, Json>, e);
          }),
        );
        const copy = thaw(base);
        for (const e of edits) apply(copy, e);
        const viaCopy = reshare(copy, base);
        expect(JSON.stringify(viaCopy)).toBe(JSON.stringify(viaDraft));
        expect(deeplyFrozen(viaCopy)).toBe(true);
        expect(sharesAtLeast(viaDraft, viaCopy, base)).toBe(true);
        if (JSON.stringify(viaCopy) === before) expect(viaCopy).toBe(base);
        expect(JSON.stringify(base)).toBe(before);
      }),
      { numRuns: 500 },
    );
  });
});
