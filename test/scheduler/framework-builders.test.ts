// Tests for the framework builders (PodInfo, NodeInfo, Snapshot, CycleState)
// against upstream pkg/scheduler/framework/types.go semantics.
import { describe, expect, it } from 'vitest';
import type { Node, Pod } from 'kubernetes-types/core/v1';
import { newPodInfo, DefaultMemoryRequest } from '../../src/scheduler/framework/podInfo.ts';
import { NodeInfoImpl } from '../../src/scheduler/framework/nodeInfo.ts';
import { Snapshot } from '../../src/scheduler/framework/snapshot.ts';
import { newCycleState } from '../../src/scheduler/framework/cycleState.ts';
import { fakeHandle } from '../../src/scheduler/framework/testing.ts';

function pod(name: string, spec: Partial<NonNullable<Pod['spec']>> = {}, extra: Partial<Pod['metadata']> = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'ns1', uid: `uid-${name}`, ...extra },
    spec: { containers: [{ name: 'c' }], ...spec },
  };
}

function node(name: string, alloc: Record<string, string>, images: Array<{ names: string[]; sizeBytes: number }> = []): Node {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: {} }, status: { allocatable: alloc, images } };
}

describe('newPodInfo', () => {
  it('sums requests and applies non-zero defaults only to containers missing them (upstream calculateResource)', () => {
    const p = pod('a', {
      containers: [
        { name: 'x', resources: { requests: { cpu: '250m' } } },
        { name: 'y', resources: { requests: { cpu: '0', memory: '0' } } },
        { name: 'z', resources: { requests: { 'example.com/gpu': '2', memory: '1Gi' } } },
      ],
    });
    const pi = newPodInfo(p);
    expect(pi.requests.milliCPU).toBe(250);
    expect(pi.requests.memory).toBe(1024 ** 3);
    expect(pi.requests.scalar.get('example.com/gpu')).toBe(2);
    // x misses memory (+200Mi), y has explicit zeros (stay 0), z misses cpu (+100m)
    expect(pi.nonZeroMilliCPU).toBe(350);
    expect(pi.nonZeroMemory).toBe(DefaultMemoryRequest + 1024 ** 3);
  });

  it('defaults affinity term namespaces to the pod namespace only without namespaceSelector', () => {
    const p = pod('a', {
      affinity: {
        podAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [
            { topologyKey: 'zone', labelSelector: { matchLabels: { app: 'x' } } },
            { topologyKey: 'zone', labelSelector: { matchLabels: { app: 'x' } }, namespaceSelector: {} },
          ],
        },
        podAntiAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 5, podAffinityTerm: { topologyKey: 'h', namespaces: ['n2'] } }],
        },
      },
    });
    const pi = newPodInfo(p);
    expect([...pi.requiredAffinityTerms[0]!.namespaces]).toEqual(['ns1']);
    expect(pi.requiredAffinityTerms[0]!.namespaceSelector).toBeNull();
    expect(pi.requiredAffinityTerms[0]!.selector.matches({ app: 'x' })).toBe(true);
    expect([...pi.requiredAffinityTerms[1]!.namespaces]).toEqual([]);
    expect(pi.requiredAffinityTerms[1]!.namespaceSelector!.matches({ any: 'thing' })).toBe(true);
    expect(pi.preferredAntiAffinityTerms[0]!.weight).toBe(5);
    // nil labelSelector matches nothing
    expect(pi.preferredAntiAffinityTerms[0]!.selector.matches({})).toBe(false);
  });
});

describe('NodeInfoImpl', () => {
  it('tracks requested, non-zero, ports and affinity lists on add/remove', () => {
    const ni = new NodeInfoImpl(node('n1', { cpu: '4', memory: '8Gi', pods: '110', 'hugepages-2Mi': '1Gi' }));
    expect(ni.allocatable.milliCPU).toBe(4000);
    expect(ni.allocatable.allowedPodNumber).toBe(110);
    expect(ni.allocatable.scalar.get('hugepages-2Mi')).toBe(1024 ** 3);
    const a = newPodInfo(pod('a', { containers: [{ name: 'c', ports: [{ containerPort: 80, hostPort: 8080 }], resources: { requests: { cpu: '1' } } }] }));
    const b = newPodInfo(pod('b', { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'h' }] } } }));
    const g0 = ni.generation;
    ni.addPod(a);
    ni.addPod(b);
    expect(ni.generation).toBeGreaterThan(g0);
    expect(ni.requested.milliCPU).toBe(1000);
    expect(ni.nonZeroRequested.milliCPU).toBe(1100);
    expect(ni.usedPorts.conflicts('0.0.0.0', 'TCP', 8080)).toBe(true);
    expect(ni.usedPorts.conflicts('10.0.0.1', 'TCP', 8080)).toBe(true);
    expect(ni.usedPorts.conflicts('0.0.0.0', 'UDP', 8080)).toBe(false);
    expect(ni.podsWithAffinity.map((p) => p.pod.metadata.name)).toEqual(['b']);
    expect(ni.podsWithRequiredAntiAffinity.length).toBe(1);
    const c = ni.clone();
    expect(ni.removePod(a.pod)).toBe(true);
    expect(ni.requested.milliCPU).toBe(0);
    expect(ni.usedPorts.conflicts('0.0.0.0', 'TCP', 8080)).toBe(false);
    expect(c.requested.milliCPU).toBe(1000);
    expect(c.pods.length).toBe(2);
    expect(ni.removePod(a.pod)).toBe(false);
  });

  it('removes pods by swapping the last one in, as upstream removeFromSlice', () => {
    const ni = new NodeInfoImpl(node('n1', { cpu: '4' }));
    for (const n of ['a', 'b', 'c', 'd']) ni.addPod(newPodInfo(pod(n)));
    ni.removePod(newPodInfo(pod('b')));
    expect(ni.pods.map((p) => p.pod.metadata.name)).toEqual(['a', 'd', 'c']);
  });
});

describe('Snapshot', () => {
  it('counts nodes per image across the snapshot', () => {
    const n1 = new NodeInfoImpl(node('n1', {}, [{ names: ['img:1', 'img@sha'], sizeBytes: 100 }]));
    const n2 = new NodeInfoImpl(node('n2', {}, [{ names: ['img:1'], sizeBytes: 100 }]));
    const s = new Snapshot([n1, n2]);
    expect(s.get('n1')!.imageStates.get('img:1')).toEqual({ size: 100, numNodes: 2 });
    expect(s.get('n1')!.imageStates.get('img@sha')).toEqual({ size: 100, numNodes: 1 });
    expect(s.list().length).toBe(2);
  });
  it('lists nodes having pods with affinity', () => {
    const n1 = new NodeInfoImpl(node('n1', {}));
    const n2 = new NodeInfoImpl(node('n2', {}));
    n2.addPod(newPodInfo(pod('x', { affinity: { podAffinity: {} } })));
    const h = fakeHandle({ nodes: [n1, n2] });
    expect(h.snapshot().havePodsWithAffinityList().map((n) => n.node.metadata.name)).toEqual(['n2']);
    expect(n2.index).toBe(1);
  });
});

describe('CycleState', () => {
  it('clones entries that implement clone()', () => {
    const s = newCycleState();
    const data = { v: 1, clone() { return { v: this.v, clone: this.clone }; } };
    s.write('k', data);
    s.write('plain', 5);
    s.skipFilterPlugins.add('X');
    const c = s.clone();
    expect(c.read<{ v: number }>('k')).not.toBe(data);
    expect(c.read<{ v: number }>('k')!.v).toBe(1);
    expect(c.read('plain')).toBe(5);
    expect(c.skipFilterPlugins.has('X')).toBe(true);
    s.delete('k');
    expect(s.read('k')).toBeUndefined();
  });
});
