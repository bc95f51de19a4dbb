/**
 * ShallowCopier.copy (src/api/shallowCopy.ts) stands in for `{ ...o }` on
 * the store's frozen objects: over any sequence of JSON-like objects — frozen
 * or not, with layouts that repeat, share a prefix, differ in one key or in
 * key order, integer-like keys, a "__proto__" own key, undefined values — one
 * copier must give exactly what the spread gives: the same own keys in the
 * same order, the same values (Object.is), a plain unfrozen object.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ShallowCopier } from '../../src/api/shallowCopy.ts';

type Obj = Record<string, unknown>;

/** Few key names, so that layouts repeat and share prefixes across a sequence. */
const keyArb = fc.constantFrom('name', 'namespace', 'uid', 'labels', 'status', 'spec', '0', '7', '10', 'a-b', '__proto__', '', 'constructor');
const valueArb = fc.oneof(
  fc.constantFrom(undefined, null, 0, -0, NaN, '', 'x', true),
  fc.integer(),
  fc.string(),
  fc.constant(Object.freeze({ shared: true })),
  fc.array(fc.integer(), { maxLength: 2 }),
);

/** An object built by definition (a "__proto__" key is an own data property, as JSON.parse makes it). */
const objArb = fc.tuple(fc.array(fc.tuple(keyArb, valueArb), { maxLength: 8 }), fc.boolean()).map(([entries, freeze]) => {
  const o: Obj = {};
  for (const [k, v] of entries) Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  return freeze ? Object.freeze(o) : o;
});

function expectSameCopy(got: Obj, o: Obj): void {
  const want: Obj = { ...o };
  expect(Reflect.ownKeys(got)).toEqual(Reflect.ownKeys(want));
  for (const k of Reflect.ownKeys(want)) {
    const g = Object.getOwnPropertyDescriptor(got, k)!;
    const w = Object.getOwnPropertyDescriptor(want, k)!;
    expect(Object.is(g.value, w.value)).toBe(true);
    expect([g.enumerable, g.writable, g.configurable]).toEqual([w.enumerable, w.writable, w.configurable]);
  }
  expect(Object.getPrototypeOf(got)).toBe(Object.getPrototypeOf(want));
  expect(Object.isFrozen(got)).toBe(false);
  expect(got).not.toBe(o);
}

describe('ShallowCopier', () => {
  it('copies as the spread does, over sequences of objects (a property)', () => {
    fc.assert(
      fc.property(fc.array(objArb, { minLength: 1, maxLength: 30 }), (objs) => {
        const c = new ShallowCopier();
        // Each object twice: the second time its layout is among the copier's recent ones.
        for (const o of [...objs, ...objs]) expectSameCopy(c.copy(o), o);
      }),
      { numRuns: 400 },
    );
  });

  it('a copy edited leaves the original and later copies alone', () => {
    const c = new ShallowCopier();
    const o = Object.freeze({ name: 'a', resourceVersion: '1', labels: Object.freeze({ app: 'x' }) });
    const first: { resourceVersion: string } = c.copy(o as { resourceVersion: string });
    first.resourceVersion = '2';
    const second = c.copy(o);
    expect(o.resourceVersion).toBe('1');
    expect(second).toEqual({ name: 'a', resourceVersion: '1', labels: { app: 'x' } });
    expect(second.labels).toBe(o.labels);
  });

  it('spreads what is not an object', () => {
    const c = new ShallowCopier();
    expect(c.copy(undefined as unknown as object)).toEqual({});
    expect(c.copy(null as unknown as object)).toEqual({});
  });
});
