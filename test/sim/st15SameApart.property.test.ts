/**
 * sameApartFromVersion's shortcut for keptMeta's metadata (src/sim/store.ts): when the new object's metadata is
 * keptMeta's copy of the stored one, comparing only the rest gives what the full comparison gives, over stored
 * metadata of any shape keptMeta answers for and bodies (spec, status, other fields) the same object, an equal
 * copy, a different value, absent from either.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { keptMeta, sameApartFromVersion } from '../../src/sim/store.ts';
import type { KObject, ObjectMeta } from '../../src/sim/types.ts';

type Obj = Record<string, unknown>;

const sharedLabels = Object.freeze({ app: 'x' });
const metaArb = fc
  .record({
    deleting: fc.constantFrom(undefined, '2026-01-01T00:01:00Z'),
    grace: fc.constantFrom('absent', 0, 30),
    gen: fc.constantFrom(1, 2, 'absent'),
    labels: fc.boolean(),
    finalizers: fc.boolean(),
    reverse: fc.boolean(),
  })
  .map(({ deleting, grace, gen, labels, finalizers, reverse }) => {
    const fields: Array<[string, unknown]> = [['name', 'p'], ['namespace', 'default'], ['uid', 'u1'], ['resourceVersion', '5']];
    if (gen !== 'absent') fields.push(['generation', gen]);
    fields.push(['creationTimestamp', '2026-01-01T00:00:00Z']);
    if (labels) fields.push(['labels', sharedLabels]);
    if (finalizers) fields.push(['finalizers', Object.freeze(['f'])]);
    if (deleting !== undefined) fields.push(['deletionTimestamp', deleting]);
    if (deleting !== undefined && grace !== 'absent') fields.push(['deletionGracePeriodSeconds', grace]);
    if (reverse) fields.reverse();
    const m: Obj = {};
    for (const [k, v] of fields) m[k] = v;
    return Object.freeze(m) as ObjectMeta;
  });

const valueArb = fc.oneof(
  fc.constant(undefined),
  fc.jsonValue({ maxDepth: 3 }),
  fc.constant(Object.freeze({ phase: 'Running', conditions: Object.freeze([Object.freeze({ type: 'Ready', status: 'True' })]) })),
);

/**
 * How the new object's field relates to the stored one's: the same object, an equal copy, another value, absent
 * from the new one, or only in the new one.
 */
const relationArb = fc.constantFrom('same', 'copy', 'other', 'absent', 'added');

describe('sameApartFromVersion with keptMeta metadata', () => {
  it('gives what the full comparison gives (a property)', () => {
    let equal = 0;
    let runs = 0;
    fc.assert(
      fc.property(metaArb, fc.array(fc.tuple(fc.constantFrom('spec', 'status', 'data'), valueArb, relationArb, valueArb), { maxLength: 3 }), (meta, fields) => {
        const kept = keptMeta(meta, 'p', 'default', meta, false, '6');
        expect(kept).toBeDefined(); // the shapes generated are all ones keptMeta answers for
        const a: Obj = { apiVersion: 'v1', kind: 'Pod', metadata: meta };
        const b: Obj = { apiVersion: 'v1', kind: 'Pod', metadata: kept };
        for (const [k, v, rel, other] of fields) {
          a[k] = v;
          if (rel === 'same') b[k] = v;
          else if (rel === 'copy') b[k] = v === undefined ? undefined : JSON.parse(JSON.stringify(v));
          else if (rel === 'other') b[k] = other;
          else if (rel === 'absent') delete b[k];
          else {
            delete a[k];
            b[k] = other;
          }
        }
        const full = sameApartFromVersion(a as KObject, b as KObject, false);
        expect(sameApartFromVersion(a as KObject, b as KObject, true)).toBe(full);
        runs++;
        if (full) equal++;
      }),
      { numRuns: 400 },
    );
    // Both answers occur: with no fields or only 'same'/'copy' ones the objects are equal apart from the version.
    expect(equal).toBeGreaterThan(0);
    expect(equal).toBeLessThan(runs);
  });
});
