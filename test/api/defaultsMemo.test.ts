/**
 * Defaulting remembers two answers that are functions of a string alone: the
 * canonical milli-rounded form of a quantity (SetDefaults_ResourceList) and the
 * pull policy of an image reference. Whatever came before, each must equal the
 * straightforward computation.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { defaultImagePullPolicy, defaultResourceList, parseImageName } from '../../src/api/defaults.ts';
import { Quantity } from '../../src/api/quantity.ts';

/** SetDefaults_ResourceList written out without any memo. */
function reference(list: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, raw] of Object.entries(list)) {
    const q = Quantity.tryParse(raw);
    if (q === undefined) {
      out[k] = raw;
      continue;
    }
    const rounded = q.roundUp(-3);
    out[k] = (rounded.cmp(q) === 0 ? q : rounded).toString();
  }
  return out;
}

const number = fc.oneof(fc.integer({ min: 0, max: 5000 }).map(String), fc.constantFrom('0.5', '1.0001', '.1', '1e3', '12e-4', '0.0001', '-1', '+2'));
const suffix = fc.constantFrom('', 'm', 'u', 'n', 'k', 'M', 'G', 'Ki', 'Mi', 'Gi', 'E', 'e2', 'x', ' ');
const quantity = fc.oneof({ weight: 5, arbitrary: fc.tuple(number, suffix).map(([n, s]) => n + s) }, { weight: 1, arbitrary: fc.constantFrom<unknown>('', 'abc', null, 3, 0.25, 1e21, true) });

describe('defaulting memos', () => {
  it('a resource list is canonicalised exactly as without the memo, repeated or not (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(fc.dictionary(fc.constantFrom('cpu', 'memory', 'pods', 'example.com/gpu'), quantity), { minLength: 1, maxLength: 6 }), (lists) => {
        for (const l of [...lists, ...lists]) {
          const got = { ...l };
          defaultResourceList(got);
          expect(got).toStrictEqual(reference(l));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('the pull policy of an image is the straightforward one, repeated or not (fast-check)', () => {
    const image = fc.tuple(fc.constantFrom('nginx', 'registry.k8s.io/pause', 'Bad_Name', 'a/b/c', ''), fc.constantFrom('', ':latest', ':1.0', ':', '@sha256:' + 'a'.repeat(64))).map(([n, t]) => n + t);
    fc.assert(
      fc.property(fc.array(image, { minLength: 1, maxLength: 8 }), (images) => {
        for (const i of [...images, ...images]) expect(defaultImagePullPolicy(i)).toBe(parseImageName(i)?.tag === 'latest' ? 'Always' : 'IfNotPresent');
      }),
      { numRuns: 300 },
    );
  });
});
