// Device Manager hints (devicemanager/topology_hints.go generateDeviceTopologyHints) and allocation,
// and the NUMA layout's socket rule.
import { describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1';
import { DeviceManager } from '../../../src/kubelet/cm/devicemanager/topologyHints.ts';
import { BitMask } from '../../../src/kubelet/cm/topologymanager/bitmask.ts';
import { validateNumaLayout } from '../../../src/api/numa.ts';

const layout = {
  nodes: [
    { id: 0, cpus: [0, 1], memory: '1Gi', devices: { 'nvidia.com/gpu': 2 } },
    { id: 1, cpus: [2, 3], memory: '1Gi', devices: { 'nvidia.com/gpu': 1 } },
  ],
};
const gpus = (n: number, init?: number): Pod => ({
  metadata: { uid: `u${n}${init ?? ''}`, name: 'p' },
  spec: {
    ...(init ? { initContainers: [{ name: 'init', resources: { limits: { 'nvidia.com/gpu': String(init) } } }] } : {}),
    containers: [{ name: 'c', resources: { limits: { 'nvidia.com/gpu': String(n) } } }],
  },
});
const show = (hints: ReturnType<DeviceManager['containerHints']>) => hints && Object.fromEntries([...hints].map(([k, v]) => [k, v?.map((h) => `${h.numaNodeAffinity!.getBits().join('')}:${h.preferred}`)]));

describe('Device Manager', () => {
  it('hints: every NUMA mask with enough available devices, preferred when minimal for the total devices', () => {
    const m = new DeviceManager(layout);
    const p1 = gpus(1);
    expect(show(m.containerHints(p1, p1.spec!.containers[0]!))).toEqual({ 'nvidia.com/gpu': ['0:true', '1:true', '01:false'] });
    const p2 = gpus(2);
    expect(show(m.containerHints(p2, p2.spec!.containers[0]!))).toEqual({ 'nvidia.com/gpu': ['0:true', '01:false'] });
    const p3 = gpus(3);
    expect(show(m.containerHints(p3, p3.spec!.containers[0]!))).toEqual({ 'nvidia.com/gpu': ['01:true'] });
    const p4 = gpus(4);
    expect(show(m.containerHints(p4, p4.spec!.containers[0]!))).toEqual({ 'nvidia.com/gpu': [] });
    // After NUMA 0 loses a device, 2 GPUs only fit across both nodes: not preferred (minimum is 1 node).
    m.allocate(p1, p1.spec!.containers[0]!, BitMask.of(0));
    expect(show(m.containerHints(p2, p2.spec!.containers[0]!))).toEqual({ 'nvidia.com/gpu': ['01:false'] });
  });

  it('allocates on the hint first; too few devices is the device manager error; init devices are reused', () => {
    const m = new DeviceManager(layout);
    const p = gpus(1);
    expect(m.allocate(p, p.spec!.containers[0]!, BitMask.of(1))).toEqual(new Map([['nvidia.com/gpu', ['nvidia.com/gpu-2']]]));
    const big = gpus(3);
    expect(() => m.allocate(big, big.spec!.containers[0]!, undefined)).toThrow('requested number of devices unavailable for nvidia.com/gpu. Requested: 3, Available: 2');
    const withInit = gpus(2, 2);
    m.allocate(withInit, withInit.spec!.initContainers![0]!, undefined);
    expect(m.allocate(withInit, withInit.spec!.containers[0]!, undefined)?.get('nvidia.com/gpu')).toEqual(['nvidia.com/gpu-0', 'nvidia.com/gpu-1']);
  });
});

describe('NUMA layout sockets', () => {
  it('every socket must hold the same number of CPUs', () => {
    const bad = { nodes: [{ id: 0, cpus: [0, 1], memory: '1Gi', socket: 0 }, { id: 1, cpus: [2, 3], memory: '1Gi', socket: 0 }, { id: 2, cpus: [4, 5], memory: '1Gi', socket: 1 }] };
    expect(validateNumaLayout(bad, 'numa').map((e) => e.detail)).toEqual(['every socket must hold the same number of CPUs']);
    expect(validateNumaLayout({ nodes: [{ id: 0, cpus: [0, 1], memory: '1Gi', socket: 0 }, { id: 1, cpus: [2, 3], memory: '1Gi', socket: 1 }] }, 'numa')).toEqual([]);
  });
});
