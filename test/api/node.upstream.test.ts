// Node allocatable reservation tables from pkg/kubelet/cm/node_container_manager_linux_test.go
// (TestNodeAllocatableReservationForScheduling, TestNodeAllocatableForEnforcement) and the
// allocatable rules of pkg/kubelet/nodestatus/setters.go MachineInfo, ported as data.
import { describe, expect, it } from 'vitest';
import { computeAllocatable, nodeAllocatableReservation } from '../../src/api/node.ts';
import { defaultKubeletConfiguration } from '../../src/api/kubeletConfig.ts';
import { Quantity } from '../../src/api/quantity.ts';

type RL = Record<string, string>;
const rl = (cpu: string, memory: string): RL => ({ ...(cpu ? { cpu } : {}), ...(memory ? { memory } : {}) });
const eph = (s: string): RL => (s ? { 'ephemeral-storage': s } : {});
const toMap = (r: RL) => new Map(Object.entries(r).map(([k, v]) => [k, Quantity.parse(v)]));

interface Case { kube: RL; sys?: RL; cap: RL; hard?: string; want: RL }

function check(tc: Case, signal: 'memory.available' | 'nodefs.available'): void {
  const kc = defaultKubeletConfiguration({ kubeReserved: tc.kube, systemReserved: tc.sys ?? {}, evictionHard: tc.hard ? { [signal]: tc.hard } : {} });
  const got = nodeAllocatableReservation(toMap(tc.cap), kc);
  // upstream compares MilliValue of every reserved resource, and every reserved resource must be expected
  for (const [k, v] of got) {
    expect(tc.want[k], `unexpected reservation for ${k}`).toBeDefined();
    expect(v.milliValue()).toBe(Quantity.parse(tc.want[k]!).milliValue());
  }
  expect([...got.keys()].sort()).toEqual(Object.keys(tc.want).sort());
}

describe('TestNodeAllocatableReservationForScheduling', () => {
  const cpuMem: Case[] = [
    { kube: rl('100m', '100Mi'), sys: rl('50m', '50Mi'), cap: rl('10', '10Gi'), want: rl('150m', '150Mi') },
    { kube: rl('100m', '100Mi'), sys: rl('50m', '50Mi'), cap: rl('10', '10Gi'), hard: '100Mi', want: rl('150m', '250Mi') },
    // 5% as a float32 of 10Gi is 536870920 bytes (+150Mi)
    { kube: rl('100m', '100Mi'), sys: rl('50m', '50Mi'), cap: rl('10', '10Gi'), hard: '5%', want: rl('150m', '694157320') },
    { kube: {}, sys: {}, cap: rl('10', '10Gi'), want: {} },
    { kube: rl('', '100Mi'), sys: rl('50m', '50Mi'), cap: rl('10', '10Gi'), want: rl('50m', '150Mi') },
    { kube: rl('50m', '100Mi'), sys: rl('', '50Mi'), cap: rl('10', '10Gi'), want: rl('50m', '150Mi') },
    // only resources in capacity are reserved
    { kube: rl('', '100Mi'), sys: rl('', '50Mi'), cap: rl('10', ''), want: {} },
  ];
  cpuMem.forEach((tc, i) => it(`cpu/memory case ${i + 1}`, () => check(tc, 'memory.available')));

  const storage: Case[] = [
    { kube: eph('100Mi'), cap: eph('10Gi'), want: eph('100Mi') },
    { kube: eph('100Mi'), cap: eph('10Gi'), hard: '100Mi', want: eph('200Mi') },
    { kube: eph('150Mi'), cap: eph('10Gi'), hard: '5%', want: eph('694157320') },
    { kube: {}, cap: eph('10Gi'), want: {} },
  ];
  storage.forEach((tc, i) => it(`ephemeral-storage case ${i + 1}`, () => check(tc, 'nodefs.available')));
});

describe('allocatable = capacity - reservation (TestNodeAllocatableForEnforcement without eviction, MachineInfo)', () => {
  it.each([
    [rl('100m', '100Mi'), rl('50m', '50Mi'), rl('10', '10Gi'), rl('9850m', '10090Mi')],
    [{}, {}, rl('10', '10Gi'), rl('10', '10Gi')],
    [rl('', '100Mi'), rl('50m', '50Mi'), rl('10', '10Gi'), rl('9950m', '10090Mi')],
    [rl('50m', '100Mi'), rl('', '50Mi'), rl('10', '10Gi'), rl('9950m', '10090Mi')],
  ])('kube %j sys %j cap %j', (kube, sys, cap, want) => {
    const a = computeAllocatable(cap, defaultKubeletConfiguration({ kubeReserved: kube, systemReserved: sys, evictionHard: {} }));
    for (const [k, v] of Object.entries(want)) expect(Quantity.parse(a[k]!).milliValue()).toBe(Quantity.parse(v).milliValue());
  });

  it('hugepages without a memory capacity still set memory allocatable to 0 (zero Quantity, clamped)', () => {
    const a = computeAllocatable({ cpu: '2', 'hugepages-1Gi': '2Gi' }, defaultKubeletConfiguration({ evictionHard: {} }));
    expect(a['memory']).toBe('0');
    expect(a['hugepages-1Gi']).toBe('2Gi');
  });
});
