/**
 * gcOrphaned's suspects (orphanSuspects.ts) find exactly the nodes the walk over the spec.nodeName index
 * finds (holding pods, missing from the Node informer), for any sequence of pods bound, moved, unbound and
 * deleted, nodes added to and deleted from the informer, and passes - fed as the pod GC feeds them: every
 * node that joins the index (onNodeAdded) and every node deleted from the informer.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PodNodeIndex, type PodObj } from '../../src/controllers/podNodeIndex.ts';
import { OrphanSuspects } from '../../src/controllers/podgc/orphanSuspects.ts';
import type { Stored } from '../../src/sim/types.ts';

const NODES = ['n1', 'n2', 'n3', 'n4'];

type Step =
  | { op: 'bind'; pod: number; node: number }
  | { op: 'delete'; pod: number }
  | { op: 'addNode'; node: number }
  | { op: 'deleteNode'; node: number }
  | { op: 'pass' };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  // node === NODES.length: unbound (no spec.nodeName).
  { weight: 5, arbitrary: fc.record({ op: fc.constant('bind' as const), pod: fc.nat(5), node: fc.nat(NODES.length) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('delete' as const), pod: fc.nat(5) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('addNode' as const), node: fc.nat(NODES.length - 1) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('deleteNode' as const), node: fc.nat(NODES.length - 1) }) },
  { weight: 3, arbitrary: fc.constant({ op: 'pass' as const }) },
);

function pod(i: number, nodeName: string | undefined): Stored<PodObj> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `p${i}`, namespace: 'a', uid: `uid-${i}` },
    spec: nodeName ? { containers: [], nodeName } : { containers: [] },
  } as unknown as Stored<PodObj>;
}

describe('gcOrphaned suspects', () => {
  it('find the nodes the walk over the index finds (property)', () => {
    fc.assert(
      fc.property(fc.subarray(NODES), fc.array(stepArb, { maxLength: 80 }), (initial, steps) => {
        const index = new PodNodeIndex();
        const informer = new Set<string>(initial);
        const suspects = new OrphanSuspects();
        index.onNodeAdded((n) => suspects.add(n));
        const pods = new Map<number, Stored<PodObj>>();
        for (const s of steps) {
          if (s.op === 'bind') {
            const p = pod(s.pod, NODES[s.node]);
            const old = pods.get(s.pod);
            if (old) index.update(old, p);
            else index.add(p);
            pods.set(s.pod, p);
          } else if (s.op === 'delete') {
            const old = pods.get(s.pod);
            if (old) index.delete(old);
            pods.delete(s.pod);
          } else if (s.op === 'addNode') informer.add(NODES[s.node]!);
          else if (s.op === 'deleteNode') {
            if (informer.delete(NODES[s.node]!)) suspects.add(NODES[s.node]!);
          } else {
            const walk: string[] = [];
            index.forEachNode((n) => {
              if (!informer.has(n)) walk.push(n);
            });
            const found: string[] = [];
            suspects.forEachMissing(
              (n) => index.hasNode(n),
              (n) => informer.has(n),
              (n) => found.push(n),
            );
            expect(found.sort()).toEqual(walk.sort());
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
