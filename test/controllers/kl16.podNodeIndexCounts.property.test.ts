/**
 * PodNodeIndex given the cache's listing counts pods per node until a podsOn
 * needs them, then files them all from the listing: for any sequence of adds,
 * updates (same node, other node, unbinding), deletes and re-creations, with
 * reads at any point (or none), it answers podsOn, hasNode, nodeNames and
 * forEachNode (order included) and calls onNodeAdded exactly as the plain
 * index fed every event.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PodNodeIndex, type PodObj } from '../../src/controllers/podNodeIndex.ts';
import type { Stored } from '../../src/sim/types.ts';
import { feedWrite, podVersion } from './podNodeIndexFeed.ts';

const NODES = ['n1', 'n2', 'n3', 'n4'];

type Step = { op: 'write'; pod: number; node: number } | { op: 'delete'; pod: number } | { op: 'read'; node: number };

const ids = (ps: readonly Stored<PodObj>[]): string[] => ps.map((p) => `${p.metadata.namespace}/${p.metadata.name}:${p.metadata.uid}@${p.metadata.resourceVersion}`);

/** Every observable answer of an index that needs no podsOn (which would end the counting). */
function outline(ix: PodNodeIndex): unknown {
  const order: string[] = [];
  ix.forEachNode((n) => order.push(n));
  return { order, names: ix.nodeNames(), has: NODES.map((n) => ix.hasNode(n)) };
}

describe('PodNodeIndex counting until a podsOn', () => {
  it('answers as the plain index fed every event (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(99), { maxLength: 100 }), fc.array(fc.tuple(fc.nat(7), fc.nat(NODES.length)), { minLength: 100, maxLength: 100 }), (kinds, args) => {
        // Reads are rare (1 in 25 steps on average), so many runs count for a long stretch before filing.
        const steps: Step[] = kinds.map((k, i): Step => {
          const [pod, node] = args[i]!;
          if (k < 4) return { op: 'read', node: node % NODES.length };
          if (k < 25) return { op: 'delete', pod };
          return { op: 'write', pod, node };
        });
        const cache = new Map<string, Stored<PodObj>>();
        const plain = new PodNodeIndex();
        const counted = new PodNodeIndex(
          (ns, name) => cache.get(`${ns}/${name}`),
          () => [...cache.values()],
        );
        const added: [string[], string[]] = [[], []];
        plain.onNodeAdded((n) => added[0].push(n));
        counted.onNodeAdded((n) => added[1].push(n));
        let rv = 0;
        let incarnation = 0;
        for (const s of steps) {
          if (s.op === 'read') {
            const node = NODES[s.node]!;
            expect(ids(counted.podsOn(node))).toEqual(ids(plain.podsOn(node)));
            continue;
          }
          // Pods p0..p7 in two namespaces; a deleted name comes back as a new pod (new uid).
          const ns = s.pod % 2 === 0 ? 'a' : 'b';
          const key = `${ns}/p${s.pod}`;
          const old = cache.get(key);
          if (s.op === 'write') {
            const uid = old?.metadata.uid ?? `uid-${++incarnation}`;
            const nodeName = s.node < NODES.length ? NODES[s.node] : undefined;
            feedWrite(cache, key, old, podVersion(`p${s.pod}`, ns, uid, ++rv, nodeName), [plain, counted]);
          } else {
            if (!old) continue;
            cache.delete(key);
            plain.delete(old);
            counted.delete(old);
          }
          expect(outline(counted)).toEqual(outline(plain));
        }
        expect(added[1]).toEqual(added[0]);
        for (const node of NODES) expect(ids(counted.podsOn(node))).toEqual(ids(plain.podsOn(node)));
        expect(outline(counted)).toEqual(outline(plain));
      }),
      { numRuns: 300 },
    );
  });

  it('refuses to answer from counts the listing does not hold', () => {
    const listed: Stored<PodObj>[] = [];
    const ix = new PodNodeIndex(
      () => undefined,
      () => listed,
    );
    ix.add(Object.freeze({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'a', uid: 'u' }, spec: { containers: [], nodeName: 'n1' } }) as unknown as Stored<PodObj>);
    expect(() => ix.podsOn('n1')).toThrow(/counted 1 pods, the cache holds 0/);
  });
});
