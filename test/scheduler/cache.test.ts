// Scheduler cache and node tree after upstream pkg/scheduler/backend/cache/{cache,node_tree}_test.go.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Node, Pod } from 'kubernetes-types/core/v1';
import type { KObject, Stored } from '../../src/sim/types.ts';
import { NodeTree, getZoneKey } from '../../src/scheduler/cache/nodeTree.ts';
import { SchedulerCache, assumedPodInfo } from '../../src/scheduler/cache/cache.ts';
import { newPodInfo } from '../../src/scheduler/framework/podInfo.ts';
import { numFeasibleNodesToFind } from '../../src/scheduler/framework/algorithm.ts';
import { fitErrorMessage, newDiagnosis, truncateMessage } from '../../src/scheduler/framework/fitError.ts';
import { Status } from '../../src/scheduler/framework/types.ts';

type N = Stored<Node & KObject>;
type P = Stored<Pod & KObject>;
const node = (name: string, region?: string, zone?: string, images: Array<{ names: string[]; sizeBytes: number }> = []): N =>
  ({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { ...(region ? { 'topology.kubernetes.io/region': region } : {}), ...(zone ? { 'topology.kubernetes.io/zone': zone } : {}) } },
    status: { allocatable: { cpu: '4', memory: '8Gi', pods: '110' }, images },
  }) as N;
const pod = (name: string, nodeName = '', cpu = '1'): P =>
  ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'd', uid: name }, spec: { nodeName, containers: [{ name: 'c', resources: { requests: { cpu } } }] } }) as P;

describe('nodeTree (upstream node_tree_test.go)', () => {
  it('zips zones in insertion order', () => {
    const t = new NodeTree();
    const nodes = [node('n1', 'r1', 'z1'), node('n2', 'r1', 'z2'), node('n3', 'r1', 'z1'), node('n4', 'r1', 'z3'), node('n5', 'r1', 'z1'), node('n6', 'r1', 'z2'), node('n7')];
    for (const n of nodes) t.addNode(n);
    expect(t.list()).toEqual(['n1', 'n2', 'n4', 'n7', 'n3', 'n6', 'n5']);
    t.removeNode(nodes[3]!); // z3 empties and disappears
    expect(t.list()).toEqual(['n1', 'n2', 'n7', 'n3', 'n6', 'n5']);
    t.updateNode(nodes[0]!, node('n1', 'r1', 'z2')); // moves to the end of z2
    expect(t.list()).toEqual(['n3', 'n2', 'n7', 'n5', 'n6', 'n1']);
    t.addNode(nodes[1]!); // duplicate ignored
    expect(t.numNodes).toBe(6);
  });
  it('keeps the list order of the plain-list tree (includes/indexOf) under any add/remove/update sequence', () => {
    // The reference: the tree as it was before the per-zone name sets (duplicate check by includes).
    class ListTree {
      tree = new Map<string, string[]>();
      zones: string[] = [];
      add(n: Node): void {
        const name = n.metadata!.name!;
        const z = getZoneKey(n);
        const na = this.tree.get(z);
        if (na) {
          if (na.includes(name)) return;
          na.push(name);
        } else {
          this.zones.push(z);
          this.tree.set(z, [name]);
        }
      }
      remove(n: Node): void {
        const z = getZoneKey(n);
        const na = this.tree.get(z);
        const i = na ? na.indexOf(n.metadata!.name!) : -1;
        if (!na || i < 0) return;
        na.splice(i, 1);
        if (na.length === 0) {
          this.tree.delete(z);
          this.zones = this.zones.filter((x) => x !== z);
        }
      }
      list(): string[] {
        const out: string[] = [];
        const lists = this.zones.map((z) => this.tree.get(z)!);
        for (let i = 0; lists.some((l) => i < l.length); i++) for (const l of lists) if (i < l.length) out.push(l[i]!);
        return out;
      }
    }
    const arbNode = fc.tuple(fc.integer({ min: 0, max: 7 }), fc.constantFrom(undefined, 'z1', 'z2', 'z3')).map(([i, z]) => node(`n${i}`, z ? 'r' : undefined, z));
    const arbOp = fc.tuple(fc.constantFrom('add', 'remove', 'update'), arbNode, arbNode);
    fc.assert(
      fc.property(fc.array(arbOp, { maxLength: 40 }), (ops) => {
        const t = new NodeTree();
        const ref = new ListTree();
        for (const [op, a, b] of ops) {
          if (op === 'add') {
            t.addNode(a);
            ref.add(a);
          } else if (op === 'remove') {
            t.removeNode(a);
            ref.remove(a);
          } else {
            t.updateNode(a, b);
            if (getZoneKey(a) !== getZoneKey(b)) {
              ref.remove(a);
              ref.add(b);
            }
          }
          expect(t.list()).toEqual(ref.list());
        }
      }),
      { numRuns: 300 },
    );
  });
  it('zone keys read the deprecated beta labels first, then the GA ones (component-helpers GetZoneKey)', () => {
    expect(getZoneKey(node('a'))).toBe('');
    expect(getZoneKey(node('a', 'r', 'z'))).toBe('r:\x00:z');
    const withLabels = (labels: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'b', labels } }) as Node;
    expect(getZoneKey(withLabels({ 'failure-domain.beta.kubernetes.io/zone': 'bz' }))).toBe(':\x00:bz');
    // Both present: beta wins for zone and region, as upstream (a node relabelled GA-only keeps old beta labels).
    const both = withLabels({
      'topology.kubernetes.io/zone': 'gz',
      'topology.kubernetes.io/region': 'gr',
      'failure-domain.beta.kubernetes.io/zone': 'bz',
      'failure-domain.beta.kubernetes.io/region': 'br',
    });
    expect(getZoneKey(both)).toBe('br:\x00:bz');
    // A present but empty beta label still wins (Go's comma-ok read), so only the GA region is left.
    expect(getZoneKey(withLabels({ 'failure-domain.beta.kubernetes.io/zone': '', 'topology.kubernetes.io/zone': 'gz', 'topology.kubernetes.io/region': 'gr' }))).toBe('gr:\x00:');
  });
});

describe('SchedulerCache', () => {
  it('assumes, confirms and forgets pods', () => {
    const c = new SchedulerCache();
    c.addNode(node('n1'));
    const p = pod('p');
    const a = assumedPodInfo(newPodInfo(p), 'n1');
    c.assumePod(a);
    expect(c.isAssumedPod(p)).toBe(true);
    expect(c.get('n1')!.requested.milliCPU).toBe(1000);
    expect(() => c.assumePod(a)).toThrow(/is in the cache, so can't be assumed/);
    c.forgetPod(a.pod);
    expect(c.get('n1')!.requested.milliCPU).toBe(0);
    expect(() => c.forgetPod(a.pod)).toThrow(/wasn't assumed so cannot be forgotten/);
    // Assume again, then the informer confirms with the bound pod.
    c.assumePod(a);
    c.addPod(pod('p', 'n1'));
    expect(c.isAssumedPod(p)).toBe(false);
    expect(c.get('n1')!.pods.length).toBe(1);
    expect(() => c.addPod(pod('p', 'n1'))).toThrow(/was already in added state/);
    c.updatePod(pod('p', 'n1'), pod('p', 'n1', '2'));
    expect(c.get('n1')!.requested.milliCPU).toBe(2000);
    c.removePod(pod('p', 'n1'));
    expect(c.get('n1')!.pods.length).toBe(0);
  });

  it('keeps pods of a deleted node out of the node list, and lists nodes in tree order', () => {
    const c = new SchedulerCache();
    c.addNode(node('a', 'r', 'z1'));
    c.addNode(node('b', 'r', 'z1'));
    c.addNode(node('c', 'r', 'z2'));
    expect(c.list().map((n) => n.node.metadata.name)).toEqual(['a', 'c', 'b']);
    expect(c.list().map((n) => n.index)).toEqual([0, 1, 2]);
    c.addPod(pod('p', 'b'));
    c.removeNode(node('b', 'r', 'z1'));
    expect(c.list().map((n) => n.node.metadata.name)).toEqual(['a', 'c']);
    expect(c.get('b')).toBeUndefined();
    c.removePod(pod('p', 'b'));
    // A pod whose node is not known yet is accounted once the node arrives.
    c.addPod(pod('q', 'late'));
    c.addNode(node('late'));
    expect(c.get('late')!.pods.length).toBe(1);
  });

  it('tracks image spread across nodes', () => {
    const c = new SchedulerCache();
    c.addNode(node('a', undefined, undefined, [{ names: ['img:1'], sizeBytes: 10 }]));
    c.addNode(node('b', undefined, undefined, [{ names: ['img:1'], sizeBytes: 10 }]));
    expect(c.get('a')!.imageStates.get('img:1')!.numNodes).toBe(2);
    c.removeNode(node('b', undefined, undefined, [{ names: ['img:1'], sizeBytes: 10 }]));
    expect(c.get('a')!.imageStates.get('img:1')!.numNodes).toBe(1);
  });

  it('maintains the pods-with-affinity node list', () => {
    const c = new SchedulerCache();
    c.addNode(node('a'));
    c.addNode(node('b'));
    expect(c.havePodsWithAffinityList().length).toBe(0);
    const ap = { ...pod('x', 'b'), spec: { ...pod('x', 'b').spec, affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'k' }] } } } } as P;
    c.addPod(ap);
    expect(c.havePodsWithAffinityList().map((n) => n.node.metadata.name)).toEqual(['b']);
    expect(c.havePodsWithRequiredAntiAffinityList().map((n) => n.node.metadata.name)).toEqual(['b']);
    c.removePod(ap);
    expect(c.havePodsWithAffinityList().length).toBe(0);
  });
});

describe('numFeasibleNodesToFind (upstream schedule_one_test.go)', () => {
  it.each([
    [0, 10, 10],
    [0, 100, 100],
    [0, 1000, 420],
    [40, 1000, 400],
    [0, 6000, 300],
    [0, 5000, 500],
    [20, 6000, 1200],
    [0, 10000, 500],
    [1, 1000, 100],
  ])('percentage %i of %i nodes -> %i', (pct, n, want) => {
    expect(numFeasibleNodesToFind(pct, n)).toBe(want);
  });
});

describe('FitError message (upstream framework/types.go FitError.Error)', () => {
  it('sorts the reasons histogram as strings and appends the PostFilter message', () => {
    const d = newDiagnosis();
    d.nodeToStatus.set('a', Status.unschedulable('Insufficient cpu'));
    d.nodeToStatus.set('b', Status.unschedulable('Insufficient cpu'));
    for (const n of ['c', 'd', 'e']) d.nodeToStatus.set(n, Status.unresolvable('node(s) had untolerated taint {dedicated: gpu}'));
    expect(fitErrorMessage(5, d)).toBe('0/5 nodes are available: 2 Insufficient cpu, 3 node(s) had untolerated taint {dedicated: gpu}.');
    d.postFilterMsg = 'preemption: 0/5 nodes are available: 5 Preemption is not helpful for scheduling.';
    expect(fitErrorMessage(5, d)).toBe(
      '0/5 nodes are available: 2 Insufficient cpu, 3 node(s) had untolerated taint {dedicated: gpu}. preemption: 0/5 nodes are available: 5 Preemption is not helpful for scheduling.',
    );
  });
  it('sorts counts as strings ("10 x" before "2 y")', () => {
    const d = newDiagnosis();
    for (let i = 0; i < 10; i++) d.nodeToStatus.set(`x${i}`, Status.unschedulable('x'));
    d.nodeToStatus.set('y0', Status.unschedulable('a'));
    d.nodeToStatus.set('y1', Status.unschedulable('a'));
    expect(fitErrorMessage(12, d)).toBe('0/12 nodes are available: 10 x, 2 a.');
  });
  it('shows the PreFilter message once, and counts absent nodes with the absent-nodes status (v1.32+)', () => {
    const d = newDiagnosis();
    d.preFilterMsg = "node(s) didn't match Pod's node affinity/selector";
    expect(fitErrorMessage(3, d)).toBe("0/3 nodes are available: node(s) didn't match Pod's node affinity/selector.");
    const e = newDiagnosis();
    e.nodeToStatus.set('a', Status.unschedulable('Insufficient cpu'));
    e.absentNodesStatus = Status.unresolvable("node(s) didn't satisfy plugin(s) [NodeAffinity]");
    // v1.32+ (NodeToStatus.AbsentNodesStatus): the two nodes outside the PreFilterResult are counted.
    expect(fitErrorMessage(3, e)).toBe("0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't satisfy plugin(s) [NodeAffinity].");
  });
  it('truncates event messages to 1024 characters', () => {
    const m = truncateMessage('x'.repeat(2000));
    expect(m.length).toBe(1024);
    expect(m.endsWith(' ...')).toBe(true);
  });
});

describe('pod updates on a node (fast path keeps the generation only when nothing scheduling reads changed)', () => {
  const setup = (fastPath: boolean) => {
    const c = new SchedulerCache(fastPath);
    c.addNode(node('n1'));
    const p0 = { ...pod('a', 'n1'), metadata: { name: 'a', namespace: 'd', uid: 'a', labels: { app: 'x' } } } as P;
    const other = pod('b', 'n1');
    c.addPod(p0);
    c.addPod(other);
    return { c, p0 };
  };
  const ni = (c: SchedulerCache) => c.get('n1')!;
  it('a status-only write keeps the generation and figures, and moves the pod to the end as remove+add would', () => {
    const { c, p0 } = setup(true);
    const before = ni(c).generation;
    const next = { ...p0, metadata: { ...p0.metadata }, status: { phase: 'Running', startTime: '2026-01-01T00:00:00Z' } } as P;
    c.updatePod(p0, next);
    expect(ni(c).generation).toBe(before);
    expect(ni(c).pods.map((p) => p.pod.metadata.name)).toEqual(['b', 'a']);
    expect(ni(c).pods[1]!.pod).toBe(next);
    expect(ni(c).requested.milliCPU).toBe(2000);
    // The cache's own record of the pod is the NodeInfo's new PodInfo (updated in place).
    expect(c.getPod(next)).toBe(ni(c).pods[1]);
  });
  it.each([
    ['labels', (p: P) => ({ ...p, metadata: { ...p.metadata, labels: { app: 'y' } } })],
    ['spec', (p: P) => ({ ...p, spec: { ...p.spec!, containers: [{ name: 'c', resources: { requests: { cpu: '2' } } }] } })],
    ['deletionTimestamp', (p: P) => ({ ...p, metadata: { ...p.metadata, deletionTimestamp: '2026-01-01T00:00:00Z' } })],
    ['annotations', (p: P) => ({ ...p, metadata: { ...p.metadata, annotations: { k: 'v' } } })],
  ])('a change of %s is a new generation', (_what, change) => {
    const { c, p0 } = setup(true);
    const before = ni(c).generation;
    c.updatePod(p0, change(p0) as P);
    expect(ni(c).generation).not.toBe(before);
  });
  it('with the fast path off every update is a new generation', () => {
    const { c, p0 } = setup(false);
    const before = ni(c).generation;
    c.updatePod(p0, { ...p0, status: { phase: 'Running' } } as P);
    expect(ni(c).generation).not.toBe(before);
  });
});

describe('binding confirmation (fast path keeps the generation only when the bound pod is the assumed one)', () => {
  // The queued pod, its assumed copy on n1, and the store's bound object as a binding makes it
  // (the same metadata object, a new spec with nodeName set, a PodScheduled condition).
  const setup = (fastPath: boolean) => {
    const c = new SchedulerCache(fastPath);
    c.addNode(node('n1'));
    c.addPod(pod('b', 'n1'));
    const queued = { ...pod('a'), metadata: { name: 'a', namespace: 'd', uid: 'a', labels: { app: 'x' } } } as P;
    const assumed = assumedPodInfo(newPodInfo(queued), 'n1');
    c.assumePod(assumed);
    const bound = { ...queued, spec: { ...queued.spec!, nodeName: 'n1' }, status: { conditions: [{ type: 'PodScheduled', status: 'True' }] } } as P;
    return { c, queued, bound };
  };
  const ni = (c: SchedulerCache) => c.get('n1')!;
  it('an unchanged pod keeps the node generation and figures, is no longer assumed, and is the bound object at the end of the list', () => {
    const { c, bound } = setup(true);
    c.addPod(pod('z', 'n1'));
    const before = ni(c).generation;
    c.addPod(bound);
    expect(ni(c).generation).toBe(before);
    expect(c.isAssumedPod(bound)).toBe(false);
    expect(ni(c).pods.map((p) => p.pod.metadata.name)).toEqual(['b', 'z', 'a']);
    expect(ni(c).pods[2]!.pod).toBe(bound);
    expect(c.getPod(bound)).toBe(ni(c).pods[2]);
    expect(ni(c).requested.milliCPU).toBe(3000);
    expect(() => c.forgetPod(bound)).toThrow(/wasn't assumed/);
  });
  it.each([
    ['labels', (p: P) => ({ ...p, metadata: { ...p.metadata, labels: { app: 'y' } } }), 2000],
    ['annotations', (p: P) => ({ ...p, metadata: { ...p.metadata, annotations: { k: 'v' } } }), 2000],
    ['deletionTimestamp', (p: P) => ({ ...p, metadata: { ...p.metadata, deletionTimestamp: '2026-01-01T00:00:00Z' } }), 2000],
    ['a spec field', (p: P) => ({ ...p, spec: { ...p.spec!, containers: [{ name: 'c', resources: { requests: { cpu: '2' } } }] } }), 3000],
    ['an added spec field', (p: P) => ({ ...p, spec: { ...p.spec!, priority: 5 } }), 2000],
  ])('a change of %s between assume and bind re-adds the pod (new generation, figures from the bound pod)', (_what, change, cpu) => {
    const { c, bound } = setup(true);
    const before = ni(c).generation;
    const changed = change(bound) as P;
    c.addPod(changed);
    expect(ni(c).generation).not.toBe(before);
    expect(ni(c).pods[1]!.pod).toBe(changed);
    expect(ni(c).requested.milliCPU).toBe(cpu);
    expect(c.isAssumedPod(changed)).toBe(false);
  });
  it.each([
    ['labels copied from the node', (p: P) => ({ ...p, metadata: { ...p.metadata, labels: { app: 'x', 'topology.kubernetes.io/zone': 'z1' } } })],
    ['labels and a spec field', (p: P) => ({ ...p, metadata: { ...p.metadata, labels: { app: 'y' } }, spec: { ...p.spec!, containers: [{ name: 'c', resources: { requests: { cpu: '3' } } }] } })],
    ['the namespace', (p: P) => ({ ...p, metadata: { ...p.metadata, namespace: 'e', labels: { app: 'y' } } })],
  ])('a re-add on the fast path (%s) leaves the node as upstream remove-then-add does', (_what, change) => {
    // The fast path replaces the pod on its NodeInfo without looking it up again and reuses
    // the assumed PodInfo when the spec holds the same values; the fast path off is the plain
    // removePod + addPod with a new PodInfo.
    const shape = (c: SchedulerCache, before: number) => {
      const n = c.get('n1')!;
      return {
        generations: n.generation - before,
        pods: n.pods.map((p) => [p.pod.metadata.name, p.pod.metadata.labels, p.pod.metadata.namespace, p.requests, p.nonZeroMilliCPU, p.nonZeroMemory, p.requiredAntiAffinityTerms.map((t) => [...t.namespaces]), p.hostPorts]),
        requested: n.requested,
        nonZero: n.nonZeroRequested,
        anti: n.podsWithRequiredAntiAffinity.map((p) => p.pod.metadata.name),
        antiList: c.havePodsWithRequiredAntiAffinityList().map((x) => x.node.metadata?.name),
        assumed: c.isAssumedPod(n.pods[n.pods.length - 1]!.pod),
        count: c.podCount,
      };
    };
    const run = (fastPath: boolean) => {
      const c = new SchedulerCache(fastPath);
      c.addNode(node('n1'));
      c.addPod(pod('b', 'n1'));
      const queued = {
        ...pod('a'),
        metadata: { name: 'a', namespace: 'd', uid: 'a', labels: { app: 'x' } },
        spec: {
          containers: [{ name: 'c', resources: { requests: { cpu: '1' } }, ports: [{ containerPort: 80, hostPort: 8080 }] }],
          affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'x' } } }] } },
        },
      } as P;
      const assumed = assumedPodInfo(newPodInfo(queued), 'n1');
      c.assumePod(assumed);
      c.addPod(pod('z', 'n1'));
      expect(c.havePodsWithRequiredAntiAffinityList().length).toBe(1);
      const bound = change({ ...queued, spec: { ...queued.spec!, nodeName: 'n1' }, status: { conditions: [{ type: 'PodScheduled', status: 'True' }] } } as P) as P;
      const before = c.get('n1')!.generation;
      c.addPod(bound);
      const n = c.get('n1')!;
      expect(n.pods[n.pods.length - 1]!.pod).toBe(bound);
      return { shape: shape(c, before), info: n.pods[n.pods.length - 1]!, assumed, c, bound };
    };
    const fast = run(true);
    const plain = run(false);
    expect(fast.shape).toEqual(plain.shape);
    expect(fast.shape.generations).toBe(2);
    // The cache goes on as one holding the bound pod: its removal frees the node.
    fast.c.removePod(fast.bound);
    expect(fast.c.get('n1')!.requested.milliCPU).toBe(2000);
    expect(fast.c.havePodsWithRequiredAntiAffinityList().length).toBe(0);
  });
  it('a relabelled bound pod keeps the assumed PodInfo parts (same spec values and namespace)', () => {
    const { c, queued, bound } = setup(true);
    const assumed = c.getPod(queued)!;
    const relabelled = { ...bound, metadata: { ...bound.metadata, labels: { app: 'x', 'topology.kubernetes.io/zone': 'z1' } } } as P;
    c.addPod(relabelled);
    const info = c.getPod(relabelled)!;
    expect(info.pod).toBe(relabelled);
    expect(info).toBe(ni(c).pods[1]);
    expect(info.requests).toBe(assumed.requests);
    expect(info.requiredAffinityTerms).toBe(assumed.requiredAffinityTerms);
    expect(c.isAssumedPod(relabelled)).toBe(false);
  });
  it('with the fast path off the confirmation is a new generation', () => {
    const { c, bound } = setup(false);
    const before = ni(c).generation;
    c.addPod(bound);
    expect(ni(c).generation).not.toBe(before);
    expect(ni(c).requested.milliCPU).toBe(2000);
  });
});
