/**
 * The pod GC keeps its terminated pods in deletion order as they come and go
 * (TerminatedPods) instead of choosing from a listing every pass: after any
 * sequence of informer adds, updates (a pod's eviction reason may change) and
 * deletes, its choice must be the one terminatedPodsToDelete makes over the
 * listing a Map in insertion order gives (the informer's), ties included.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { isOnlyWaitingForFinalizers, terminatedPodsToDelete } from '../../src/controllers/podgc/podGCController.ts';
import { TerminatedPods } from '../../src/controllers/podgc/terminatedPods.ts';

type P = Pod & { id: number };

const podFields = fc.record({
  name: fc.constantFrom('a', 'b', 'c'),
  ts: fc.integer({ min: 0, max: 4 }),
  evicted: fc.boolean(),
  waiting: fc.boolean(),
});

const op = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), key: fc.integer({ min: 0, max: 11 }), pod: podFields }),
  fc.record({ kind: fc.constant('delete' as const), key: fc.integer({ min: 0, max: 11 }) }),
  fc.record({ kind: fc.constant('check' as const), threshold: fc.integer({ min: 0, max: 12 }) }),
);

function toPod(key: number, p: { name: string; ts: number; evicted: boolean; waiting: boolean }, id: number): P {
  return {
    id,
    metadata: {
      // Keys stand for uids; the name repeats across keys, as pods of two namespaces may.
      name: p.name,
      namespace: `ns-${key % 3}`,
      creationTimestamp: `2025-01-01T00:00:0${p.ts}Z`,
      ...(p.waiting ? { deletionTimestamp: '2025-01-01T00:00:09Z', deletionGracePeriodSeconds: 0, finalizers: ['f'] } : {}),
    },
    status: p.evicted ? { phase: 'Failed', reason: 'Evicted' } : { phase: 'Failed', reason: 'Other' },
  };
}

describe('TerminatedPods', () => {
  it('chooses what terminatedPodsToDelete chooses from an insertion-ordered listing, after any adds, updates and deletes', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 80 }), fc.constantFrom(0, 2, 5, 1024), (ops, compactAfter) => {
        const listing = new Map<string, P>();
        // Small compaction limits make the dead entries' compaction happen within a short sequence.
        const ordered = new TerminatedPods<P>(compactAfter);
        let id = 0;
        const check = (threshold: number): void => {
          const want = threshold > 0 ? terminatedPodsToDelete([...listing.values()], threshold).map((p) => p.id) : [];
          expect(ordered.toDelete(threshold, isOnlyWaitingForFinalizers).map((p) => p.id)).toEqual(want);
          expect(ordered.size).toBe(listing.size);
        };
        for (const o of ops) {
          if (o.kind === 'set') {
            const pod = toPod(o.key, o.pod, id++);
            listing.set(String(o.key), pod);
            ordered.set(String(o.key), pod);
          } else if (o.kind === 'delete') {
            listing.delete(String(o.key));
            ordered.delete(String(o.key));
          } else {
            check(o.threshold);
          }
        }
        for (let t = 0; t <= 12; t++) check(t);
      }),
      { numRuns: 400 },
    );
  });
});
