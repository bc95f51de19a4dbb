/**
 * NodeInfo.removePod finds pods through a key index (perf). Upstream
 * (framework/types.go RemovePod + removeFromSlice) scans for the first pod
 * with the key and swaps the last pod into its place; pod order on a node is
 * visible to plugins, so after any sequence of additions (duplicate keys
 * included), removals (unknown keys included) and clones, the order must be
 * exactly the scanning model's.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Node, Pod } from 'kubernetes-types/core/v1';
import { NodeInfoImpl, PodIndexMinPods } from '../../src/scheduler/framework/nodeInfo.ts';
import { newPodInfo } from '../../src/scheduler/framework/podInfo.ts';

const node: Node = { metadata: { name: 'n' }, status: { allocatable: { cpu: '4', memory: '1Gi', pods: '110' } } };
const podOf = (uid: number, tag: number): Pod => ({
  metadata: { name: `p${uid}-${tag}`, namespace: 'default', uid: `u${uid}` },
  spec: { containers: [{ name: 'c', image: 'i', resources: { requests: { cpu: `${uid + 1}m` } } }] },
});

describe('NodeInfo pod removal order (upstream removeFromSlice)', () => {
  // Lists shorter than PodIndexMinPods are scanned, longer ones indexed: both cases, and
  // lists growing past the threshold with duplicate keys already in them (the second case's
  // wider key range and longer runs keep the lists above the threshold for longer).
  it.each([
    [12, 60],
    [30, 160],
  ])('matches a first-match swap-remove scan after any adds, removes and clones (keys 0..%i, %i ops)', (maxUid, maxOps) => {
    expect(maxOps).toBeGreaterThan(PodIndexMinPods);
    fc.assert(
      fc.property(
        fc.array(fc.record({ op: fc.constantFrom('add', 'add', 'remove', 'clone'), uid: fc.nat(maxUid) }), { maxLength: maxOps }),
        (ops) => {
          let ni = new NodeInfoImpl(node);
          let model: string[] = [];
          let tag = 0;
          for (const o of ops) {
            if (o.op === 'add') {
              const p = podOf(o.uid, tag++);
              ni.addPod(newPodInfo(p));
              model.push(p.metadata!.name!);
            } else if (o.op === 'remove') {
              const found = ni.removePod(podOf(o.uid, -1));
              const i = model.findIndex((n) => n.startsWith(`p${o.uid}-`));
              expect(found).toBe(i >= 0);
              if (i >= 0) {
                model[i] = model[model.length - 1]!;
                model.pop();
              }
            } else {
              ni = ni.clone();
              model = [...model];
            }
            expect(ni.pods.map((p) => p.pod.metadata!.name)).toEqual(model);
          }
          expect(ni.requested.milliCPU).toBe(ni.pods.reduce((s, p) => s + p.requests.milliCPU, 0));
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('NodeInfo pod index built on a list that already holds a key twice', () => {
  it('removes the first pod with the key, as the scan does', () => {
    // Short lists are scanned without an index: a key added twice then is only
    // found when the index is first built, which must fall back to scanning.
    const ni = new NodeInfoImpl(node);
    const model: string[] = [];
    const add = (uid: number, tag: number) => {
      ni.addPod(newPodInfo(podOf(uid, tag)));
      model.push(`p${uid}-${tag}`);
    };
    add(1, 0);
    add(1, 1);
    for (let i = 2; i < PodIndexMinPods + 2; i++) add(i, i);
    for (const uid of [1, 1, 3]) {
      ni.removePod(podOf(uid, -1));
      const i = model.findIndex((n) => n.startsWith(`p${uid}-`));
      model[i] = model[model.length - 1]!;
      model.pop();
      expect(ni.pods.map((p) => p.pod.metadata!.name)).toEqual(model);
    }
  });
});
