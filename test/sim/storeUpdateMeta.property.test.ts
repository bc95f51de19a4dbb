/**
 * Two fast paths of the store's update (src/sim/store.ts), each against the
 * general path it stands in for, over generated inputs:
 *  - keptMeta: when it answers, exactly updatedMeta's metadata (same keys in
 *    the same order, same values), for stored metadata with any subset of the
 *    system fields, undefined members, any key order, being deleted or not,
 *    and any name / namespace / bump the write brings;
 *  - frozenCopy: exactly deepFreeze(copyUnfrozen(v)), sharing the same frozen
 *    subtrees, holes kept.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { copyUnfrozen, deepFreeze, frozenCopy, keptMeta, updatedMeta } from '../../src/sim/store.ts';
import type { ObjectMeta } from '../../src/sim/types.ts';

type Obj = Record<string, unknown>;

const shared = Object.freeze({ app: 'x' });
const fieldArb: fc.Arbitrary<[string, unknown]> = fc.oneof(
  fc.tuple(fc.constant('name'), fc.constantFrom('p', 'q', undefined)),
  fc.tuple(fc.constant('generateName'), fc.constantFrom('p-', undefined)),
  fc.tuple(fc.constant('namespace'), fc.constantFrom('default', 'other', '', undefined)),
  fc.tuple(fc.constant('uid'), fc.constantFrom('u1', undefined)),
  fc.tuple(fc.constant('resourceVersion'), fc.constantFrom('5', undefined)),
  fc.tuple(fc.constant('generation'), fc.constantFrom(1, 3, 0, undefined)),
  fc.tuple(fc.constant('creationTimestamp'), fc.constantFrom('2026-01-01T00:00:00Z', undefined)),
  fc.tuple(fc.constant('deletionTimestamp'), fc.constantFrom('2026-01-01T00:01:00Z', '', undefined)),
  fc.tuple(fc.constant('deletionGracePeriodSeconds'), fc.constantFrom(0, 30, undefined)),
  fc.tuple(fc.constant('labels'), fc.constant(shared)),
  fc.tuple(fc.constant('finalizers'), fc.constant(Object.freeze(['f']))),
);

/** Metadata with the generated fields in the generated order (a later duplicate overwrites in place). */
const metaArb = fc.tuple(fc.array(fieldArb, { maxLength: 12 }), fc.boolean()).map(([fields, freeze]) => {
  const m: Obj = {};
  for (const [k, v] of fields) m[k] = v;
  return (freeze ? Object.freeze(m) : m) as ObjectMeta;
});

/**
 * A stored object's usual metadata (the case the fast path is for), with the edge cases one at a
 * time or together: deletion fields with or without a timestamp, an undefined generation member,
 * no uid, no namespace, fields in another order.
 */
const storedMetaArb = fc
  .record({
    deleting: fc.constantFrom(undefined, '', '2026-01-01T00:01:00Z', '2026-01-01T00:01:00Z'),
    grace: fc.constantFrom(undefined, 'absent', 'absent', 0, 30),
    gen: fc.constantFrom(1, 2, undefined, 'absent'),
    uid: fc.constantFrom('u1', 'u1', 'u1', 'absent'),
    ns: fc.constantFrom('default', 'absent'),
    reverse: fc.boolean(),
  })
  .map(({ deleting, grace, gen, uid, ns, reverse }) => {
    const fields: Array<[string, unknown]> = [['name', 'p']];
    if (ns !== 'absent') fields.push(['namespace', ns]);
    if (uid !== 'absent') fields.push(['uid', uid]);
    fields.push(['resourceVersion', '5']);
    if (gen !== 'absent') fields.push(['generation', gen]);
    fields.push(['creationTimestamp', '2026-01-01T00:00:00Z'], ['labels', shared]);
    if (deleting !== undefined) fields.push(['deletionTimestamp', deleting]);
    if (grace !== 'absent') fields.push(['deletionGracePeriodSeconds', grace]);
    if (reverse) fields.reverse();
    const m: Obj = {};
    for (const [k, v] of fields) m[k] = v;
    return Object.freeze(m) as ObjectMeta;
  });

function expectSame(got: unknown, want: unknown): void {
  const g = got as Obj;
  const w = want as Obj;
  expect(Reflect.ownKeys(g)).toEqual(Reflect.ownKeys(w));
  for (const k of Object.keys(w)) expect(Object.is(g[k], w[k])).toBe(true);
}

describe('keptMeta', () => {
  it('gives what updatedMeta gives whenever it answers (a property)', () => {
    let answered = 0;
    fc.assert(
      fc.property(
        fc.oneof({ arbitrary: metaArb, weight: 1 }, { arbitrary: storedMetaArb, weight: 3 }),
        fc.constantFrom('p', 'p', 'q'),
        fc.constantFrom('', 'default', 'default', 'other'),
        fc.constantFrom(false, false, false, true),
        fc.constantFrom(true, true, true, false),
        (oldMeta, name, ns, bump, same) => {
          const meta = same ? oldMeta : ({ ...oldMeta } as ObjectMeta);
          const got = keptMeta(meta, name, ns, oldMeta, bump, '6');
          if (got === undefined) return;
          answered++;
          expectSame(got, updatedMeta(meta, name, ns, oldMeta, bump, '6'));
          expect(Object.isFrozen(got)).toBe(true);
        },
      ),
      { numRuns: 3000 },
    );
    // The fast path must actually be exercised, not only declined.
    expect(answered).toBeGreaterThan(40);
  });
});

/** JSON-like trees mixing unfrozen parts, shared frozen subtrees, holes and undefined members. */
const frozenLeaf = deepFreeze({ k: [1, 2], s: 'x' });
const treeArb: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(1, 'a', null, undefined, true, -0),
    fc.constant(frozenLeaf),
    fc.dictionary(fc.constantFrom('a', 'b', '0', '2', 'z'), tie('node'), { maxKeys: 4 }),
    fc.array(tie('node'), { maxLength: 3 }),
    fc.array(tie('node'), { maxLength: 3 }).map((a) => {
      const holed = [...a];
      holed.length += 1; // a trailing hole
      return holed;
    }),
    tie('node').map((v) => deepFreeze(v)),
  ),
})).node;

function expectSameTree(got: unknown, want: unknown): void {
  if (typeof want !== 'object' || want === null) {
    expect(Object.is(got, want)).toBe(true);
    return;
  }
  expect(Object.isFrozen(got)).toBe(true);
  expect(Array.isArray(got)).toBe(Array.isArray(want));
  expect(Reflect.ownKeys(got as object)).toEqual(Reflect.ownKeys(want));
  for (const k of Object.keys(want)) expectSameTree((got as Obj)[k], (want as Obj)[k]);
}

describe('frozenCopy', () => {
  it('is deepFreeze(copyUnfrozen(v)) (a property)', () => {
    fc.assert(
      fc.property(treeArb, (v) => {
        const got = frozenCopy(v);
        expectSameTree(got, deepFreeze(copyUnfrozen(v)));
        if (typeof v === 'object' && v !== null && Object.isFrozen(v)) expect(got).toBe(v);
        if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) expect(Object.isFrozen(v)).toBe(false); // the input is left alone
        // Frozen parts are shared, not copied.
        const walk = (a: unknown, b: unknown): void => {
          if (typeof b !== 'object' || b === null) return;
          if (Object.isFrozen(b)) {
            expect(a).toBe(b);
            return;
          }
          for (const k of Object.keys(b)) walk((a as Obj)[k], (b as Obj)[k]);
        };
        walk(got, v);
      }),
      { numRuns: 500 },
    );
  });
});
