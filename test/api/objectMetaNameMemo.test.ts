/**
 * validateObjectMeta remembers a name validator's messages for the generateName
 * and the namespace it checked last (objects of a burst share both). For any
 * sequence of objects, valid or not, repeated or not, and any of the name
 * validators, its generateName and namespace errors must be exactly the ones
 * the validators give for that object.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { validateObjectMeta } from '../../src/api/validation.ts';
import { nameIsDNS1035Label, nameIsDNSLabel, nameIsDNSSubdomain, type NameValidator } from '../../src/api/names.ts';

const VALIDATORS: NameValidator[] = [nameIsDNSSubdomain, nameIsDNSLabel, nameIsDNS1035Label];
const text = fc.constantFrom('default', 'kube-system', 'web-', 'web', 'Bad_Name', 'a.b', '-x', 'x-', '1abc', '', 'a'.repeat(70) + '-');

describe('validateObjectMeta name memo', () => {
  it('gives each object the generateName and namespace messages of the validators (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ fn: fc.nat(VALIDATORS.length - 1), generateName: text, namespace: text }), { minLength: 1, maxLength: 12 }), (objs) => {
        for (const o of objs) {
          const fn = VALIDATORS[o.fn]!;
          const meta: Record<string, unknown> = { generateName: o.generateName, namespace: o.namespace };
          const errs = validateObjectMeta(meta, true, fn);
          const got = (field: string) => errs.filter((e) => e.path === `metadata.${field}`).map((e) => `${e.type}:${e.detail ?? ''}`);
          const want = (msgs: string[], type: string) => msgs.map((m) => `${type}:${m}`);
          expect(got('generateName')).toEqual(o.generateName ? want(fn(o.generateName, true), 'Invalid') : []);
          expect(got('namespace')).toEqual(o.namespace ? want(nameIsDNSLabel(o.namespace, false), 'Invalid') : ['Required:']);
        }
      }),
      { numRuns: 300 },
    );
  });
});
