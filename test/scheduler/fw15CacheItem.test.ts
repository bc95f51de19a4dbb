/**
 * SchedulerCache keeps each cached pod's node entry in its state
 * (PodState.item) instead of looking the node up by name on every
 * confirmation, update and removal. That is exact only while the kept entry
 * is the one `nodes` holds for the pod's node: generated sequences of node
 * additions, updates and removals (a deleted node keeps its entry while pods
 * are on it) and pod assumptions, confirmations, updates, forgets and
 * removals check it after every step, on both the fast path and the plain
 * one, and that the two caches hold the same pods per node with the same
 * figures and throw on the same steps.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Node, Pod } from 'kubernetes-types/core/v1';
import type { KObject, Stored } from '../../src/sim/types.ts';
import { SchedulerCache, assumedPodInfo } from '../../src/scheduler/cache/cache.ts';
import { newPodInfo } from '../../src/scheduler/framework/podInfo.ts';
import type { NodeInfo, PodInfo } from '../../src/scheduler/framework/types.ts';

type N = Stored<Node & KObject>;
type P = Stored<Pod & KObject>;
const NODES = ['n0', 'n1', 'n2'];
const node = (name: string, zone: number): N =>
  ({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'topology.kubernetes.io/zone': `z${zone}` } },
    status: { allocatable: { cpu: '4', memory: '8Gi', pods: '110' } },
  }) as N;
const pod = (name: string, nodeName: string, cpu: number, phase: string): P =>
  ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'd', uid: name },
    spec: { nodeName, containers: [{ name: 'c', resources: { requests: { cpu: `${cpu}m` } } }] },
    status: { phase },
  }) as P;

const opArb = fc.oneof(
  fc.record({ kind: fc.constant('addNode' as const), node: fc.nat(NODES.length - 1), zone: fc.nat(1) }),
  fc.record({ kind: fc.constant('removeNode' as const), node: fc.nat(NODES.length - 1) }),
  fc.record({ kind: fc.constant('assume' as const), pod: fc.nat(5), node: fc.nat(NODES.length - 1), cpu: fc.constantFrom(100, 200) }),
  fc.record({ kind: fc.constant('add' as const), pod: fc.nat(5), node: fc.nat(NODES.length - 1), cpu: fc.constantFrom(100, 200) }),
  fc.record({ kind: fc.constant('update' as const), pod: fc.nat(5), node: fc.nat(NODES.length - 1), cpu: fc.constantFrom(100, 200), phase: fc.constantFrom('Pending', 'Running') }),
  fc.record({ kind: fc.constant('forget' as const), pod: fc.nat(5), node: fc.nat(NODES.length - 1) }),
  fc.record({ kind: fc.constant('remove' as const), pod: fc.nat(5) }),
);
type Op = typeof opArb extends fc.Arbitrary<infer T> ? T : never;

interface Internals {
  podStates: Map<string, { info: PodInfo; nodeName: string; item: { info: NodeInfo } }>;
  nodes: Map<string, { info: NodeInfo; hasNode: boolean }>;
}

/** The last object each cache was given for a pod (what the informer would pass as the old object). */
class Run {
  readonly cache: SchedulerCache;
  private readonly last = new Map<string, P>();
  constructor(fastPath: boolean) {
    this.cache = new SchedulerCache(fastPath);
  }
  step(op: Op): string {
    const c = this.cache;
    try {
      switch (op.kind) {
        case 'addNode':
          c.updateNode(undefined, node(NODES[op.node]!, op.zone));
          break;
        case 'removeNode':
          c.removeNode(node(NODES[op.node]!, 0));
          break;
        case 'assume': {
          const p = pod(`p${op.pod}`, '', op.cpu, 'Pending');
          c.assumePod(assumedPodInfo(newPodInfo(p), NODES[op.node]!));
          this.last.set(p.metadata.name!, { ...p, spec: { ...p.spec!, nodeName: NODES[op.node]! } } as P);
          break;
        }
        case 'add': {
          const p = pod(`p${op.pod}`, NODES[op.node]!, op.cpu, 'Pending');
          c.addPod(p);
          this.last.set(p.metadata.name!, p);
          break;
        }
        case 'update': {
          const old = this.last.get(`p${op.pod}`) ?? pod(`p${op.pod}`, NODES[op.node]!, op.cpu, 'Pending');
          // Half of the updates keep the spec object (a status write), the others change it.
          const p = (op.phase === 'Running' ? { ...old, status: { phase: 'Running' } } : pod(`p${op.pod}`, NODES[op.node]!, op.cpu, op.phase)) as P;
          c.updatePod(old, p);
          this.last.set(p.metadata.name!, p);
          break;
        }
        case 'forget':
          c.forgetPod(pod(`p${op.pod}`, NODES[op.node]!, 100, 'Pending'));
          break;
        case 'remove':
          c.removePodIfPresent(pod(`p${op.pod}`, '', 100, 'Pending'));
          break;
      }
      return 'ok';
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  }
  /** Every cached pod's kept entry is the one the cache holds for its node, and holds it. */
  check(): void {
    const { podStates, nodes } = this.cache as unknown as Internals;
    for (const [key, st] of podStates) {
      expect(nodes.get(st.nodeName), `${key} on ${st.nodeName}`).toBe(st.item);
      expect(st.item.info.pods.includes(st.info)).toBe(true);
    }
  }
  /**
   * Pods per node (names in order) and requested CPU, by node name, for comparing the two paths
   * (not in map order: the plain path drops and re-creates a pod-only entry on an update, moving it).
   */
  figures(): unknown {
    const { nodes } = this.cache as unknown as Internals;
    return [...nodes]
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .map(([name, it]) => [name, it.hasNode, it.info.pods.map((p) => p.pod.metadata?.name), it.info.requested.milliCPU]);
  }
}

describe('scheduler cache: the node entry kept in each pod state', () => {
  it('is the entry the cache holds for the pod node after every step; both paths agree (300 runs)', () => {
    let removedWithPods = 0;
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 60 }), (ops) => {
        const fast = new Run(true);
        const plain = new Run(false);
        for (const op of ops) {
          const a = fast.step(op);
          const b = plain.step(op);
          expect(a).toBe(b);
          fast.check();
          plain.check();
          expect(fast.figures()).toEqual(plain.figures());
          const { nodes } = fast.cache as unknown as Internals;
          for (const it of nodes.values()) if (!it.hasNode && it.info.pods.length > 0) removedWithPods++;
        }
      }),
      { numRuns: 300 },
    );
    // Not trivially easy: entries of deleted nodes kept for their pods occurred.
    expect(removedWithPods).toBeGreaterThan(0);
  });
});
