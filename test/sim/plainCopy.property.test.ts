/**
 * plainCopy must give exactly what `{ ...o }` gives: the same own keys in the same order (integer-like
 * keys, `__proto__` and odd spellings included), the same values (identity), the same property
 * attributes, the same prototype, unfrozen. Generated objects with varied key sets, orders, prototypes
 * and frozenness, each copied several times so that the literal made for its layout is used, not only
 * the first call's spread.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { plainCopy } from '../../src/sim/plainCopy.ts';

const KEYS = ['apiVersion', 'kind', 'metadata', 'spec', 'status', 'name', 'namespace', 'uid', 'resourceVersion', '0', '7', '10', '__proto__', 'constructor', 'a b', '"q"', 'x\u2028y'];

const value = fc.oneof(fc.constantFrom<unknown>(undefined, null, true, 0, -0, NaN, 'v', ''), fc.integer(), fc.constant({}), fc.constant([]));

const shape = fc.record({
  entries: fc.uniqueArray(fc.tuple(fc.constantFrom(...KEYS), value), { maxLength: 9, selector: (e) => e[0] }),
  proto: fc.constantFrom<'object' | 'null' | 'other'>('object', 'object', 'object', 'null', 'other'),
  frozen: fc.boolean(),
  hidden: fc.option(fc.constantFrom(...KEYS), { nil: undefined }),
});

type Shape = typeof shape extends fc.Arbitrary<infer S> ? S : never;

class Other {
  inherited = 1;
}

function build(s: Shape): object {
  const o: object = s.proto === 'object' ? {} : s.proto === 'null' ? Object.create(null) : Object.create(new Other());
  for (const [k, v] of s.entries) Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  // A non-enumerable own key: neither the spread nor the copy takes it.
  if (s.hidden !== undefined && !s.entries.some(([k]) => k === s.hidden)) Object.defineProperty(o, s.hidden, { value: 'hidden', enumerable: false });
  return s.frozen ? Object.freeze(o) : o;
}

function same(a: object, b: object): void {
  expect(Reflect.ownKeys(a)).toEqual(Reflect.ownKeys(b));
  const da = Object.getOwnPropertyDescriptors(a);
  const db = Object.getOwnPropertyDescriptors(b);
  for (const k of Reflect.ownKeys(b) as string[]) {
    expect(Object.is(da[k]?.value, db[k]?.value)).toBe(true);
    expect({ ...da[k], value: 0 }).toEqual({ ...db[k], value: 0 });
  }
  expect(Object.getPrototypeOf(a)).toBe(Object.getPrototypeOf(b));
  expect(Object.isFrozen(a)).toBe(Object.isFrozen(b));
  expect(JSON.stringify(a)).toBe(JSON.stringify(b));
}

describe('plainCopy', () => {
  it('gives what the spread gives, on every call for a layout (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(shape, { minLength: 1, maxLength: 6 }), (shapes) => {
        // Objects of a few layouts, each copied three times (the first call of a layout learns it).
        for (let round = 0; round < 3; round++) {
          for (const s of shapes) {
            const o = build(s);
            same(plainCopy(o), { ...o });
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it('copies a stored-looking object through its literal, keys in the stored order', () => {
    const meta: Readonly<Record<string, unknown>> = Object.freeze({ name: 'p', namespace: 'default', labels: Object.freeze({ a: 'b' }), uid: 'u', resourceVersion: '3', creationTimestamp: 't' });
    for (let i = 0; i < 3; i++) {
      const c = plainCopy(meta);
      expect(Object.keys(c)).toEqual(['name', 'namespace', 'labels', 'uid', 'resourceVersion', 'creationTimestamp']);
      expect(c['labels']).toBe(meta['labels']);
      c['resourceVersion'] = '4';
      expect(meta['resourceVersion']).toBe('3');
    }
  });
});
