/**
 * withTop (src/sim/store.ts) builds `{ ...o, [key]: value }` member by member (no spread) for the usual top-level layout
 * (apiVersion, kind, metadata, spec[, status]): over objects of any layout (the usual ones, their members in
 * other orders, some missing, others added, undefined members), frozen or not, the result has the spread's
 * keys in the spread's order and the same values (Object.is).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { withTop } from '../../src/sim/store.ts';
import type { KObject } from '../../src/sim/types.ts';

const USUAL = ['apiVersion', 'kind', 'metadata', 'spec', 'status'] as const;
const value = fc.constantFrom<unknown>(undefined, null, 0, 'v1', { a: 1 }, Object.freeze({ b: [1] }));

/** An object with the usual layout, or one changed: members swapped, dropped (from the end or not), added. */
const objectArb = fc
  .record({
    keep: fc.integer({ min: 0, max: 5 }),
    swap: fc.option(fc.tuple(fc.nat({ max: 4 }), fc.nat({ max: 4 })), { nil: undefined }),
    dropAt: fc.option(fc.nat({ max: 4 }), { nil: undefined }),
    extra: fc.option(fc.constantFrom('data', 'zz', 'status', 'metadata'), { nil: undefined }),
    values: fc.array(value, { minLength: 7, maxLength: 7 }),
    freeze: fc.boolean(),
  })
  .map(({ keep, swap, dropAt, extra, values, freeze }) => {
    const keys: string[] = USUAL.slice(0, keep);
    if (swap !== undefined && swap[0] < keys.length && swap[1] < keys.length) {
      const t = keys[swap[0]]!;
      keys[swap[0]] = keys[swap[1]]!;
      keys[swap[1]] = t;
    }
    if (dropAt !== undefined && dropAt < keys.length) keys.splice(dropAt, 1);
    if (extra !== undefined && !keys.includes(extra)) keys.push(extra);
    const o: Record<string, unknown> = {};
    keys.forEach((k, i) => (o[k] = values[i]));
    return freeze ? Object.freeze(o) : o;
  });

describe('withTop', () => {
  it('gives what the spread gives, over every layout', () => {
    let usual = 0;
    fc.assert(
      fc.property(objectArb, fc.constantFrom<'metadata' | 'status'>('metadata', 'status'), value, (o, key, v) => {
        const want = { ...o, [key]: v };
        const got = withTop(o as unknown as KObject, key, v);
        expect(Object.keys(got)).toEqual(Object.keys(want));
        for (const k of Object.keys(want)) expect(Object.is(got[k], want[k])).toBe(true);
        expect(Object.isFrozen(got)).toBe(false);
        if (Object.keys(o).join() === USUAL.join() || Object.keys(o).join() === USUAL.slice(0, 4).join()) usual++;
      }),
      { numRuns: 1000 },
    );
    // The usual layouts were among the inputs (not only other ones): keep is 4 or 5 with no change in about 1 in 20.
    expect(usual).toBeGreaterThan(0);
  });

  it('builds the usual layouts as the spread does', () => {
    const meta = Object.freeze({ name: 'p' });
    const o = Object.freeze({ apiVersion: 'v1', kind: 'Pod', metadata: meta, spec: Object.freeze({}), status: Object.freeze({ phase: 'Pending' }) });
    const s = { phase: 'Running' };
    expect(Object.entries(withTop(o as KObject, 'status', s))).toEqual(Object.entries({ ...o, status: s }));
    const noStatus = Object.freeze({ apiVersion: 'v1', kind: 'Pod', metadata: meta, spec: Object.freeze({}) });
    expect(Object.entries(withTop(noStatus as KObject, 'status', s))).toEqual(Object.entries({ ...noStatus, status: s }));
    expect(Object.entries(withTop(noStatus as KObject, 'metadata', meta))).toEqual(Object.entries({ ...noStatus, metadata: meta }));
  });
});
