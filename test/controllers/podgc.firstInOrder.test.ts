/**
 * The pod GC picks the first pods to delete with a bounded heap instead of
 * sorting every terminated pod: the choice must be exactly that of a stable
 * sort followed by a slice, ties included (equal keys keep input order).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { byEvictionAndCreationTimestamp, firstInOrder, terminatedPodsToDelete } from '../../src/controllers/podgc/podGCController.ts';

const pod = fc.record({
  name: fc.constantFrom('a', 'b', 'c', 'd'),
  ns: fc.constantFrom('x', 'y'),
  ts: fc.integer({ min: 0, max: 5 }),
  evicted: fc.boolean(),
  waiting: fc.boolean(),
});

function toPod(p: { name: string; ns: string; ts: number; evicted: boolean; waiting: boolean }, i: number): Pod & { id: number } {
  return {
    id: i,
    metadata: {
      name: p.name,
      namespace: p.ns,
      creationTimestamp: `2025-01-01T00:00:0${p.ts}Z`,
      ...(p.waiting ? { deletionTimestamp: '2025-01-01T00:00:09Z', deletionGracePeriodSeconds: 0, finalizers: ['f'] } : {}),
    },
    status: p.evicted ? { phase: 'Failed', reason: 'Evicted' } : { phase: 'Succeeded' },
  };
}

describe('firstInOrder', () => {
  it('equals a stable sort then slice, ties in input order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 6 }), { maxLength: 60 }), fc.integer({ min: 0, max: 70 }), (xs, k) => {
        const items = xs.map((v, i) => ({ v, i }));
        const cmp = (a: { v: number }, b: { v: number }): number => a.v - b.v;
        expect(firstInOrder(items, k, cmp).map((x) => x.i)).toEqual([...items].sort(cmp).slice(0, k).map((x) => x.i));
      }),
      { numRuns: 300 },
    );
  });

  it('terminatedPodsToDelete picks what sorting every candidate picked', () => {
    fc.assert(
      fc.property(fc.array(pod, { maxLength: 80 }), fc.integer({ min: 1, max: 80 }), (raw, threshold) => {
        const pods = raw.map(toPod);
        const deleteCount = pods.length - threshold;
        const expected =
          deleteCount <= 0
            ? []
            : pods
                .filter((p) => !(p.metadata?.deletionTimestamp && p.metadata.finalizers?.length))
                .sort(byEvictionAndCreationTimestamp)
                .slice(0, deleteCount);
        expect(terminatedPodsToDelete(pods, threshold).map((p) => p.id)).toEqual(expected.map((p) => p.id));
      }),
      { numRuns: 300 },
    );
  });
});
