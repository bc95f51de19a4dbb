// Node allocatable (pkg/kubelet/cm GetNodeAllocatableReservation + nodestatus MachineInfo) and the
// kubelet's initial node status, v1.31.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Node } from 'kubernetes-types/core/v1';
import { computeAllocatable, defaultNode } from '../../src/api/node.ts';
import { defaultKubeletConfiguration } from '../../src/api/kubeletConfig.ts';
import { Quantity } from '../../src/api/quantity.ts';

const eq = (a: string | undefined, b: string) => expect(Quantity.parse(a ?? 'NaN').cmp(Quantity.parse(b))).toBe(0);

describe('computeAllocatable', () => {
  // The reserve-compute-resources example: 32Gi / 16 CPU / 100Gi, kube-reserved cpu=1,memory=2Gi,
  // ephemeral-storage=1Gi, system-reserved cpu=500m,memory=1Gi,ephemeral-storage=1Gi,
  // eviction-hard memory.available<500Mi,nodefs.available<10%  =>  the docs say 14.5 CPU, 28.5Gi, 88Gi.
  // Those are rounded: the kubelet's exact arithmetic gives 32768Mi-2048Mi-1024Mi-500Mi = 29196Mi
  // (28.51Gi), and 10% (a float32 upstream) of 100Gi is 10737418400 bytes, so 94489280352 bytes
  // (87.99999985Gi) of ephemeral storage.
  it('reference example from the docs', () => {
    const kc = defaultKubeletConfiguration({
      kubeReserved: { cpu: '1', memory: '2Gi', 'ephemeral-storage': '1Gi' },
      systemReserved: { cpu: '500m', memory: '1Gi', 'ephemeral-storage': '1Gi' },
      evictionHard: { 'memory.available': '500Mi', 'nodefs.available': '10%' },
    });
    const a = computeAllocatable({ cpu: '16', memory: '32Gi', 'ephemeral-storage': '100Gi' }, kc);
    expect(a['cpu']).toBe('14500m');
    expect(a['memory']).toBe('29196Mi');
    expect(a['ephemeral-storage']).toBe('94489280352');
    // within the docs' rounding of 28.5Gi and 88Gi
    const near = (got: string | undefined, doc: string, tol: number) =>
      expect(Math.abs(Quantity.parse(got!).value() - Quantity.parse(doc).value()) / Quantity.parse(doc).value()).toBeLessThan(tol);
    near(a['memory'], '28.5Gi', 0.001);
    near(a['ephemeral-storage'], '88Gi', 0.000001);
    expect(a['pods']).toBe('110');
    expect(Object.keys(a)).toEqual(['cpu', 'ephemeral-storage', 'memory', 'pods']);
  });

  it('default kubelet: only the 100Mi memory and 10% nodefs hard thresholds reserve anything', () => {
    const a = computeAllocatable({ cpu: '2', memory: '4Gi', 'ephemeral-storage': '10Gi', pods: '110' }, defaultKubeletConfiguration());
    expect(a['cpu']).toBe('2');
    expect(a['memory']).toBe('3996Mi');
    // 10% as float32 of 10Gi: 1073741840 bytes, 16 more than 1Gi
    expect(a['ephemeral-storage']).toBe(String(10 * 2 ** 30 - 1073741840));
    expect(a['pods']).toBe('110');
  });

  it('an explicit evictionHard replaces the defaults (v1.31: no merge)', () => {
    const a = computeAllocatable({ memory: '4Gi', 'ephemeral-storage': '10Gi' }, defaultKubeletConfiguration({ evictionHard: { 'memory.available': '200Mi' } }));
    expect(a['memory']).toBe('3896Mi');
    expect(a['ephemeral-storage']).toBe('10Gi');
  });

  it('percentage memory threshold is a share of memory capacity', () => {
    const a = computeAllocatable({ memory: '10Gi' }, defaultKubeletConfiguration({ evictionHard: { 'memory.available': '25%' } }));
    eq(a['memory'], '7.5Gi'); // 0.25 is exact in float32
  });

  it('reservations larger than capacity floor at zero', () => {
    const a = computeAllocatable({ cpu: '1', memory: '1Gi' }, defaultKubeletConfiguration({ kubeReserved: { cpu: '2', memory: '2Gi' } }));
    expect(a['cpu']).toBe('0');
    expect(a['memory']).toBe('0');
  });

  it('hugepages capacity comes out of allocatable memory', () => {
    const a = computeAllocatable({ memory: '8Gi', 'hugepages-2Mi': '1Gi' }, defaultKubeletConfiguration({ evictionHard: {} }));
    eq(a['memory'], '7Gi');
    eq(a['hugepages-2Mi'], '1Gi');
  });

  it('pods: maxPods, or podsPerCore × cores when smaller', () => {
    expect(computeAllocatable({ cpu: '4' }, defaultKubeletConfiguration({ maxPods: 50 }))['pods']).toBe('50');
    expect(computeAllocatable({ cpu: '4' }, defaultKubeletConfiguration({ podsPerCore: 10 }))['pods']).toBe('40');
  });

  it('extended resources pass through unreserved', () => {
    expect(computeAllocatable({ 'example.com/gpu': '4' }, defaultKubeletConfiguration())['example.com/gpu']).toBe('4');
  });

  it('property: allocatable is never negative and never above capacity', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 64000 }),
        fc.integer({ min: 0, max: 1 << 20 }),
        fc.integer({ min: 0, max: 64000 }),
        fc.integer({ min: 0, max: 1 << 20 }),
        fc.integer({ min: 0, max: 100 }),
        (cpuM, memMi, resCpuM, resMemMi, pct) => {
          const kc = defaultKubeletConfiguration({ kubeReserved: { cpu: `${resCpuM}m`, memory: `${resMemMi}Mi` }, evictionHard: { 'memory.available': `${pct}%` } });
          const cap = { cpu: `${cpuM}m`, memory: `${memMi}Mi` };
          const a = computeAllocatable(cap, kc);
          for (const r of ['cpu', 'memory'] as const) {
            const q = Quantity.parse(a[r]!);
            expect(q.sign()).toBeGreaterThanOrEqual(0);
            expect(q.cmp(Quantity.parse(cap[r]))).toBeLessThanOrEqual(0);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('defaultNode', () => {
  const now = '2024-01-01T00:00:00Z';
  it('fills labels, pod capacity, allocatable and healthy conditions', () => {
    const n: Node = { metadata: { name: 'node-1' }, status: { capacity: { cpu: '4', memory: '8Gi' } } };
    const out = defaultNode(n, defaultKubeletConfiguration(), now);
    expect(out.metadata!.labels).toEqual({
      'kubernetes.io/hostname': 'node-1',
      'kubernetes.io/os': 'linux',
      'kubernetes.io/arch': 'amd64',
      'beta.kubernetes.io/os': 'linux',
      'beta.kubernetes.io/arch': 'amd64',
    });
    expect(out.status!.capacity).toEqual({ cpu: '4', memory: '8Gi', pods: '110' });
    expect(out.status!.allocatable).toEqual({ cpu: '4', memory: '8092Mi', pods: '110' });
    expect(out.status!.conditions!.map((c) => [c.type, c.status, c.reason, c.message])).toEqual([
      ['MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
      ['DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
      ['PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
      ['Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'],
    ]);
    expect(out.status!.conditions![0]!.lastHeartbeatTime).toBe(now);
    // the input is not mutated
    expect(n.metadata!.labels).toBeUndefined();
  });
  it('keeps what is already there', () => {
    const n: Node = { metadata: { name: 'n', labels: { 'kubernetes.io/arch': 'arm64' } }, status: { capacity: { cpu: '4', pods: '20' }, allocatable: { cpu: '3', pods: '20' } } };
    const out = defaultNode(n, defaultKubeletConfiguration(), now);
    expect(out.metadata!.labels!['kubernetes.io/arch']).toBe('arm64');
    expect(out.metadata!.labels!['beta.kubernetes.io/arch']).toBe('arm64');
    expect(out.status!.allocatable).toEqual({ cpu: '3', pods: '20' });
  });
});
