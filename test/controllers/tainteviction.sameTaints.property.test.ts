/**
 * The taint eviction controller's Node-update check without arrays
 * (sameNoExecuteTaints) answers as the plain one, sameJSON of the two
 * filtered NoExecute lists, on generated taint lists: shared or separate
 * lists, missing ones, and NoExecute taints among others, equal or not.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Taint } from 'kubernetes-types/core/v1';
import { noExecuteTaints, sameNoExecuteTaints } from '../../src/controllers/tainteviction/taintEvictionController.ts';

const taint: fc.Arbitrary<Taint> = fc.record(
  {
    key: fc.constantFrom('a', 'b', 'node.kubernetes.io/unreachable'),
    effect: fc.constantFrom('NoExecute', 'NoSchedule', 'PreferNoSchedule'),
    value: fc.constantFrom('x', 'y'),
    timeAdded: fc.constantFrom('2025-01-01T00:00:00Z', '2025-01-01T00:00:05Z'),
  },
  { requiredKeys: ['key', 'effect'] },
);
const list = fc.option(fc.array(taint, { maxLength: 4 }), { nil: undefined });

function plain(a: readonly Taint[] | undefined, b: readonly Taint[] | undefined): boolean {
  const x = noExecuteTaints(a);
  const y = noExecuteTaints(b);
  return JSON.stringify(x) === JSON.stringify(y);
}

describe('sameNoExecuteTaints', () => {
  it('answers as sameJSON of the filtered lists (fast-check)', () => {
    fc.assert(
      fc.property(list, list, fc.boolean(), (a, b, shared) => {
        const second = shared ? a : b;
        expect(sameNoExecuteTaints(a, second)).toBe(plain(a, second));
        // A copy of the same list is a separate array with the same content.
        expect(sameNoExecuteTaints(a, a === undefined ? undefined : [...a])).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
