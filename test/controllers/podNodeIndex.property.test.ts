/**
 * PodNodeIndex with the informer cache (updates that keep a pod on its node
 * are not filed; podsOn reads each pod's newest version from the cache)
 * answers podsOn and nodeNames exactly as the plain index fed every event,
 * for any sequence of adds, updates (same node, other node, unbinding),
 * deletes and re-creations under a reused name.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PodNodeIndex, type PodObj } from '../../src/controllers/podNodeIndex.ts';
import type { Stored } from '../../src/sim/types.ts';
import { feedWrite, podVersion } from './podNodeIndexFeed.ts';

const NODES = ['n1', 'n2', 'n3'];

type Step = { op: 'write'; pod: number; node: number } | { op: 'delete'; pod: number } | { op: 'read'; node: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant('write' as const), pod: fc.nat(7), node: fc.nat(NODES.length) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('delete' as const), pod: fc.nat(7) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('read' as const), node: fc.nat(NODES.length - 1) }) },
);

const ids = (ps: readonly Stored<PodObj>[]): string[] => ps.map((p) => `${p.metadata.namespace}/${p.metadata.name}:${p.metadata.uid}@${p.metadata.resourceVersion}`);

describe('PodNodeIndex with the informer cache', () => {
  it('answers as the index fed every event (property)', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 80 }), (steps) => {
        const cache = new Map<string, Stored<PodObj>>();
        const plain = new PodNodeIndex();
        const lazy = new PodNodeIndex((ns, name) => cache.get(`${ns}/${name}`));
        let rv = 0;
        let incarnation = 0;
        for (const s of steps) {
          // Pods p0..p7 in two namespaces; a deleted name comes back as a new pod (new uid).
          const ns = s.op === 'read' ? '' : s.pod % 2 === 0 ? 'a' : 'b';
          const key = s.op === 'read' ? '' : `${ns}/p${s.pod}`;
          if (s.op === 'write') {
            const old = cache.get(key);
            const uid = old?.metadata.uid ?? `uid-${++incarnation}`;
            const nodeName = s.node < NODES.length ? NODES[s.node] : undefined;
            feedWrite(cache, key, old, podVersion(`p${s.pod}`, ns, uid, ++rv, nodeName), [plain, lazy]);
          } else if (s.op === 'delete') {
            const old = cache.get(key);
            if (!old) continue;
            cache.delete(key);
            plain.delete(old);
            lazy.delete(old);
          } else {
            const node = NODES[s.node]!;
            expect(ids(lazy.podsOn(node))).toEqual(ids(plain.podsOn(node)));
          }
        }
        expect(lazy.nodeNames()).toEqual(plain.nodeNames());
        for (const node of NODES) expect(ids(lazy.podsOn(node))).toEqual(ids(plain.podsOn(node)));
      }),
      { numRuns: 300 },
    );
  });
});
