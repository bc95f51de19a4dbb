// Memory Manager Static policy hints and allocation, after the cases of upstream's
// pkg/kubelet/cm/memorymanager/policy_static_test.go (TestStaticPolicyGetTopologyHints, TestStaticPolicyAllocate).
import { describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1';
import { MemoryStaticPolicy } from '../../../src/kubelet/cm/memorymanager/policyStatic.ts';
import { BitMask } from '../../../src/kubelet/cm/topologymanager/bitmask.ts';
import type { TopologyHint } from '../../../src/kubelet/cm/topologymanager/policy.ts';

const layout = {
  nodes: [
    { id: 0, cpus: [0, 1], memory: '10Gi', hugepages: { 'hugepages-1Gi': '2Gi' } },
    { id: 1, cpus: [2, 3], memory: '10Gi', hugepages: { 'hugepages-1Gi': '2Gi' } },
  ],
};

function pod(uid: string, memory: string, opts: { guaranteed?: boolean; hugepages?: string } = {}): Pod {
  const r: Record<string, string> = { cpu: '1', memory };
  if (opts.hugepages) r['hugepages-1Gi'] = opts.hugepages;
  return { metadata: { uid, name: uid }, spec: { containers: [{ name: 'c', resources: opts.guaranteed === false ? { requests: r } : { requests: r, limits: r } }] } };
}

const show = (hints: Map<string, TopologyHint[] | undefined> | undefined) =>
  hints === undefined ? undefined : Object.fromEntries([...hints].map(([k, v]) => [k, (v ?? []).map((h) => `${h.numaNodeAffinity?.getBits().join('')}:${h.preferred}`)]));

describe('Memory Manager Static policy', () => {
  it('should not provide topology hints for non-guaranteed pods', () => {
    const p = new MemoryStaticPolicy(layout);
    const bp = pod('a', '1Gi', { guaranteed: false });
    expect(p.containerHints(bp, bp.spec!.containers[0]!)).toBeUndefined();
  });

  it('should calculate new topology hints when the container has no assignment: every fitting mask, the narrowest preferred', () => {
    const p = new MemoryStaticPolicy(layout, [{ numaNode: 0, limits: { memory: '1Gi' } }]);
    const gp = pod('a', '1Gi', { hugepages: '1Gi' });
    expect(show(p.containerHints(gp, gp.spec!.containers[0]!))).toEqual({ 'hugepages-1Gi': ['0:true', '1:true', '01:false'], memory: ['0:true', '1:true', '01:false'] });
    const big = pod('b', '12Gi');
    expect(show(p.containerHints(big, big.spec!.containers[0]!))).toEqual({ memory: ['01:true'] });
    const tooBig = pod('c', '20Gi');
    expect(show(p.containerHints(tooBig, tooBig.spec!.containers[0]!))).toEqual({ memory: [] });
  });

  it('should provide topology hints based on the existing memory assignment', () => {
    const p = new MemoryStaticPolicy(layout);
    const gp = pod('a', '1Gi');
    p.allocate(gp, gp.spec!.containers[0]!, BitMask.of(1));
    expect(show(p.containerHints(gp, gp.spec!.containers[0]!))).toEqual({ memory: ['1:true'] });
  });

  it('a NUMA node used for a single-NUMA allocation cannot join a multi-NUMA group, and a group is not split', () => {
    const p = new MemoryStaticPolicy(layout);
    const small = pod('a', '1Gi');
    p.allocate(small, small.spec!.containers[0]!, BitMask.of(0));
    const big = pod('b', '12Gi');
    // Node 0 already serves a single-NUMA allocation: {0,1} is not offered.
    expect(show(p.containerHints(big, big.spec!.containers[0]!))).toEqual({ memory: [] });
    const q = new MemoryStaticPolicy(layout);
    q.allocate(big, big.spec!.containers[0]!, BitMask.of(0, 1));
    expect(q.state.get(0)!.cells).toEqual([0, 1]);
    const next = pod('c', '1Gi');
    // Both nodes are grouped: only the group itself is offered.
    expect(show(q.containerHints(next, next.spec!.containers[0]!))).toEqual({ memory: ['01:false'] });
  });

  it('allocate extends a hint that cannot hold the request, and fails when no group can', () => {
    const p = new MemoryStaticPolicy(layout);
    const big = pod('a', '12Gi');
    expect(p.allocate(big, big.spec!.containers[0]!, BitMask.of(0))).toEqual([{ numaAffinity: [0, 1], type: 'memory', size: 12 * 1024 ** 3 }]);
    const more = pod('b', '9Gi');
    expect(() => p.allocate(more, more.spec!.containers[0]!, BitMask.of(0))).toThrow('[memorymanager] failed to find NUMA nodes to extend the current topology hint');
    p.removePod('a');
    expect(p.state.get(0)!.memoryMap.get('memory')!.free).toBe(10 * 1024 ** 3);
    expect(p.state.get(0)!.cells).toEqual([0]);
  });
});
