/**
 * isQualifiedName remembers its answer by the text. Repeated or not, and
 * whatever a caller did to a list it was given, each answer must be the one a
 * fresh computation gives (the first answer for a text is computed fresh).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isQualifiedName } from '../../src/api/names.ts';

const part = fc.constantFrom('', 'app', 'App_1', 'a.b', '-x', 'x-', 'example.com', 'Example.com', 'a'.repeat(63), 'a'.repeat(64), 'k8s.io', '1.2', 'é');
const text = fc.oneof(part, fc.tuple(part, part).map(([a, b]) => `${a}/${b}`), fc.tuple(part, part, part).map(([a, b, c]) => `${a}/${b}/${c}`), fc.string({ maxLength: 20 }));

describe('isQualifiedName memo', () => {
  it('answers a text the same every time, and a caller changing its list changes no later answer (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 10 }), (texts) => {
        const first = new Map<string, string[]>();
        for (const t of [...texts, ...texts]) {
          const got = isQualifiedName(t);
          const want = first.get(t);
          if (want === undefined) first.set(t, [...got]);
          else expect(got).toEqual(want);
          got.push('changed by the caller');
        }
      }),
      { numRuns: 300 },
    );
  });

  it('gives upstream messages', () => {
    expect(isQualifiedName('app')).toEqual([]);
    expect(isQualifiedName('example.com/app')).toEqual([]);
    expect(isQualifiedName('a/b/c')).toHaveLength(1);
    expect(isQualifiedName('/x')[0]).toMatch(/^prefix part /);
    expect(isQualifiedName('-x')[0]).toMatch(/^name part /);
  });
});
