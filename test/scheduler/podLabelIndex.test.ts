// The cache's pod label index (framework/podLabelIndex.ts): after any adds and removes of
// pods on NodeInfos in the cache's table, each (namespace, label pair) bucket holds exactly
// the pods there, and countOn and podsOn give, per node, how many and which of them it holds
// (PodTopologySpread counts a node's matching pods from podsOn, so a missing or stale pod there
// would change decisions).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Node, Pod } from 'kubernetes-types/core/v1';
import { NodeInfoImpl } from '../../src/scheduler/framework/nodeInfo.ts';
import { NodeResourceTable } from '../../src/scheduler/framework/resourceTable.ts';
import { PARTIAL_VALUES } from '../../src/scheduler/framework/podLabelIndex.ts';
import { newPodInfo } from '../../src/scheduler/framework/podInfo.ts';
import type { PodInfo } from '../../src/scheduler/framework/types.ts';

const node = (name: string): Node => ({ metadata: { name }, status: { allocatable: { cpu: '4', memory: '1Gi', pods: '110' } } });

/** An add (a new pod, or with `status` a status write of a placed one) or a removal, of pod `uid`. */
interface Op {
  add: boolean;
  status: boolean;
  node: number;
  uid: number;
  app: string;
  ns?: string;
  tier?: string | undefined;
}

/** NodeInfos in one cache table, and a way to apply ops to them while tracking where each pod is. */
function cluster(nodeCount: number) {
  const table = new NodeResourceTable();
  const nodes = Array.from({ length: nodeCount }, (_, i) => {
    const ni = new NodeInfoImpl(node(`n${i}`), i);
    ni.attachTable(table);
    return ni;
  });
  const placed = new Map<number, { pi: PodInfo; node: number }>();
  let incarnation = 0;
  const apply = (o: Op): void => {
    const was = placed.get(o.uid);
    if (o.add && was === undefined) {
      const labels: Record<string, string> = { app: o.app, ...(o.tier ? { tier: o.tier } : {}) };
      // The uid names the incarnation: a pod removed and added again is another pod.
      const pod: Pod = { metadata: { name: `p${o.uid}`, namespace: o.ns ?? 'x', uid: `u${o.uid}.${incarnation++}`, labels }, spec: { containers: [{ name: 'c', image: 'i' }] } };
      const pi = newPodInfo(pod);
      nodes[o.node]!.addPod(pi);
      placed.set(o.uid, { pi, node: o.node });
    } else if (o.add && o.status && was !== undefined) {
      // A status write: the same metadata, a new pod object and PodInfo.
      const pi: PodInfo = { ...was.pi, pod: { ...was.pi.pod, status: { phase: 'Running' } } };
      expect(nodes[was.node]!.replaceUnchangedPod(was.pi.pod, pi)).toBe(true);
      placed.set(o.uid, { pi, node: was.node });
    } else if (!o.add && was !== undefined) {
      nodes[was.node]!.removePod(was.pi);
      placed.delete(o.uid);
    }
  };
  return { table, nodes, placed, apply };
}

describe('PodLabelIndex', () => {
  // `manyKeys`: four other keys are asked for first, so that with `app` more keys are kept than
  // the index looks up one by one in each pod's labels (FEW_KEYS) and it walks the labels instead.
  it('buckets and per-node counts match the pods on the nodes, whenever a key is first asked for, with few or many keys kept (300 runs)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ add: fc.boolean(), status: fc.boolean(), node: fc.nat(3), uid: fc.nat(15), app: fc.constantFrom('a', 'b'), ns: fc.constantFrom('x', 'y'), tier: fc.option(fc.constantFrom('web', 'db'), { nil: undefined }) }),
          { maxLength: 80 },
        ),
        fc.nat(80),
        fc.nat(120),
        fc.boolean(),
        (ops, askAppAt, askTierAt, manyKeys) => {
          const { table, nodes, placed, apply } = cluster(4);
          if (manyKeys) for (const k of ['k0', 'k1', 'k2', 'constructor']) table.podLabels.countOn('x', k, 'v', 0);
          // The index keeps a key from the first question about it: `app` is asked for after
          // askAppAt ops (then kept through the rest), `tier` after askTierAt ops or, when that is
          // past the last op, only at the end (filed from the nodes' pods).
          ops.forEach((o, i) => {
            if (i === askAppAt) table.podLabels.countOn('x', 'app', 'a', 0);
            if (i === askTierAt) table.podLabels.countOn('y', 'tier', 'db', 1);
            apply(o);
          });
          for (const ns of ['x', 'y'])
            for (const [k, v] of [['app', 'a'], ['app', 'b'], ['tier', 'web'], ['tier', 'db']] as const) {
              const expected = [...placed.values()].filter((p) => p.pi.pod.metadata.namespace === ns && p.pi.pod.metadata.labels?.[k] === v);
              expect(new Set(table.podLabels.podsWith(ns, k, v).keys())).toEqual(new Set(expected.map((p) => p.pi)));
              nodes.forEach((ni, i) => {
                const here = expected.filter((p) => p.node === i).map((p) => p.pi);
                expect(table.podLabels.countOn(ns, k, v, ni.resourceSlot)).toBe(here.length);
                // podsOn: exactly the node's pods carrying the pair (any order), the current PodInfos after status writes.
                expect(new Set(table.podLabels.podsOn(ns, k, v, ni.resourceSlot))).toEqual(new Set(here));
                expect(table.podLabels.podsOn(ns, k, v, ni.resourceSlot).length).toBe(here.length);
              });
            }
        },
      ),
      { numRuns: 300 },
    );
  });

  // A key is kept one (namespace, value) pair at a time, each filed from the nodes' pods when
  // first asked about, and kept whole once more than PARTIAL_VALUES pairs were asked about: the
  // answers must be the same whichever pairs were asked about when, and pods of pairs never
  // asked about must show up when they are.
  it('pairs asked about one by one, and past PARTIAL_VALUES the whole key, answer as the pods on the nodes (300 runs)', () => {
    const apps = ['a', 'b', 'c', 'd', 'e', 'f'];
    const values = { app: apps, tier: ['web', 'db'] } as const;
    expect(apps.length * 2).toBeGreaterThan(PARTIAL_VALUES + 1);
    const expectAnswers = (c: ReturnType<typeof cluster>, ns: string, k: 'app' | 'tier', v: string) => {
      const expected = [...c.placed.values()].filter((p) => p.pi.pod.metadata.namespace === ns && p.pi.pod.metadata.labels?.[k] === v);
      expect(new Set(c.table.podLabels.podsWith(ns, k, v).keys())).toEqual(new Set(expected.map((p) => p.pi)));
      c.nodes.forEach((ni, i) => {
        const here = expected.filter((p) => p.node === i).map((p) => p.pi);
        expect(c.table.podLabels.countOn(ns, k, v, ni.resourceSlot)).toBe(here.length);
        // The very PodInfos (a status write's new one, not the one it replaced).
        const got = c.table.podLabels.podsOn(ns, k, v, ni.resourceSlot);
        expect(got.length).toBe(here.length);
        for (const pi of got) expect(here.includes(pi)).toBe(true);
      });
    };
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ add: fc.boolean(), status: fc.boolean(), node: fc.nat(3), uid: fc.nat(15), app: fc.constantFrom(...apps), ns: fc.constantFrom('x', 'y'), tier: fc.option(fc.constantFrom('web', 'db'), { nil: undefined }) }),
          { maxLength: 80 },
        ),
        fc.array(fc.record({ at: fc.nat(80), ns: fc.constantFrom('x', 'y'), key: fc.constantFrom('app' as const, 'tier' as const), value: fc.nat(5) }), { maxLength: 14 }),
        (ops, asks) => {
          const c = cluster(4);
          const asked: Array<[string, 'app' | 'tier', string]> = [];
          ops.forEach((o, i) => {
            for (const a of asks) if (a.at === i) asked.push([a.ns, a.key, values[a.key][a.value % values[a.key].length]!]);
            // Every pair asked about so far answers right, before and after each change.
            for (const [ns, k, v] of asked) expectAnswers(c, ns, k, v);
            c.apply(o);
          });
          for (const ns of ['x', 'y']) for (const k of ['app', 'tier'] as const) for (const v of values[k]) expectAnswers(c, ns, k, v);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a stamp that stays the same means the very same pods with the pair on the node, status writes aside (300 runs)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ add: fc.boolean(), status: fc.boolean(), node: fc.nat(2), uid: fc.nat(9), app: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f') }), { maxLength: 60 }),
        fc.nat(12),
        (ops, every) => {
          const { table, nodes, placed, apply } = cluster(3);
          // The pods by uid and incarnation (a pod removed and added again is another pod).
          const podsWith = (app: string, n: number) => new Set([...placed.values()].filter((p) => p.node === n && p.pi.pod.metadata.labels?.app === app).map((p) => p.pi.pod.metadata.uid));
          // Every (stamp, pods) pair seen per (app, node): one stamp never stands for two pod sets.
          const seen = new Map<string, Set<string | undefined>>();
          // Values are asked about one more every `every + 1` ops: the key is kept pair by pair, then whole.
          let op = 0;
          const check = () => {
            for (const app of ['a', 'b', 'c', 'd', 'e', 'f'].slice(0, 1 + Math.floor(op++ / (every + 1))))
              nodes.forEach((ni, n) => {
                const key = `${app}/${n}/${table.podLabels.stampOn('x', 'app', app, ni.resourceSlot)}`;
                const now = podsWith(app, n);
                const before = seen.get(key);
                if (before === undefined) seen.set(key, now);
                else expect(now).toEqual(before);
              });
          };
          for (const o of ops) {
            apply(o);
            check();
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
