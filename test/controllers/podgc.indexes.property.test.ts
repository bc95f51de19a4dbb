/**
 * The pod GC's indexes skip the deletes that `old` shows would find nothing (an update of a pod that was
 * neither terminated nor being deleted, and still is not); over any sequence of pod versions, as the
 * informer delivers them, they must hold what the general path (every update deletes from the index it
 * does not belong in) holds.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PodGCIndexes } from '../../src/controllers/podgc/podGCController.ts';
import type { PodObj } from '../../src/controllers/podNodeIndex.ts';
import type { Stored } from '../../src/sim/types.ts';

type Op =
  | { kind: 'write'; pod: number; phase: string | undefined; deleting: boolean; evicted: boolean }
  | { kind: 'delete'; pod: number; finalPhase: string | undefined; finalDeleting: boolean };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('write' as const), pod: fc.integer({ min: 0, max: 5 }), phase: fc.constantFrom(undefined, '', 'Pending', 'Running', 'Unknown', 'Succeeded', 'Failed'), deleting: fc.boolean(), evicted: fc.boolean() }) },
  // The delete event's object may be ahead of the last version delivered (a write the informer has not
  // delivered on its own): a terminal phase or a deletionTimestamp, never one taken away.
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('delete' as const), pod: fc.integer({ min: 0, max: 5 }), finalPhase: fc.constantFrom(undefined, 'Succeeded', 'Failed'), finalDeleting: fc.boolean() }),
  },
);

describe('PodGCIndexes', () => {
  it('skipping the deletes that find nothing leaves the indexes as the general path does', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), fc.boolean(), (ops, withoutUid) => {
        const fast = new PodGCIndexes();
        const general = new PodGCIndexes(false);
        // What the informer last delivered of each pod; a deleted pod comes back with a new uid (a new pod of that name).
        const current = new Map<number, Stored<PodObj>>();
        const generation = new Map<number, number>();
        ops.forEach((o, i) => {
          const prev = current.get(o.pod);
          if (o.kind === 'delete') {
            if (!prev) return;
            const terminal = prev.status?.phase === 'Succeeded' || prev.status?.phase === 'Failed';
            const phase = terminal || o.finalPhase === undefined ? prev.status : { ...prev.status, phase: o.finalPhase };
            const deleting = prev.metadata.deletionTimestamp === undefined && o.finalDeleting ? { deletionTimestamp: '2025-01-01T00:02:00Z' } : {};
            const last = { ...prev, metadata: { ...prev.metadata, ...deleting }, status: phase } as Stored<PodObj>;
            fast.untrack(last);
            general.untrack(last);
            current.delete(o.pod);
            generation.set(o.pod, (generation.get(o.pod) ?? 0) + 1);
            return;
          }
          const g = generation.get(o.pod) ?? 0;
          const pod = {
            apiVersion: 'v1',
            kind: 'Pod',
            metadata: {
              name: `p${o.pod}`,
              namespace: 'ns',
              // Pods without a uid are keyed by namespace/name.
              ...(withoutUid ? {} : { uid: `u${o.pod}-${g}` }),
              creationTimestamp: `2025-01-01T00:00:0${o.pod}Z`,
              ...(o.deleting ? { deletionTimestamp: `2025-01-01T00:01:${String(i % 60).padStart(2, '0')}Z` } : {}),
            },
            status: { ...(o.phase === undefined ? {} : { phase: o.phase }), ...(o.evicted ? { reason: 'Evicted' } : {}) },
          } as unknown as Stored<PodObj>;
          fast.track(prev, pod);
          general.track(prev, pod);
          current.set(o.pod, pod);
        });
        expect(fast.terminated.size).toBe(general.terminated.size);
        expect(fast.terminated.toDelete(1, () => false)).toEqual(general.terminated.toDelete(1, () => false));
        expect([...fast.terminating]).toEqual([...general.terminating]);
      }),
      { numRuns: 400 },
    );
  });
});
