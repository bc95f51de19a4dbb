/** oom_score_adj (pkg/kubelet/qos/policy_test.go TestGetContainerOOMScoreAdjust) and the kernel's choice of victim. */
import { describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1';
import { getContainerOOMScoreAdjust, oomVictim } from '../../src/kubelet/oom.ts';

const standardMemoryAmount = 8_000_000_000;
const pod = (resources: Record<string, Record<string, string>>, priority?: number): Pod => ({ spec: { ...(priority !== undefined ? { priority } : {}), containers: [{ name: 'c', resources }] } });

// [name, pod, memoryCapacity, lowOOMScoreAdj, highOOMScoreAdj] — upstream's table.
const table: Array<[string, Pod, number, number, number]> = [
  ['cpuLimit', pod({ limits: { cpu: '10' } }), 4_000_000_000, 999, 999],
  ['memoryLimitCPURequest', pod({ requests: { cpu: '0' }, limits: { memory: '10G' } }), 8_000_000_000, 999, 999],
  ['zeroMemoryLimit', pod({ limits: { memory: '0' } }), 7_230_457_451, 1000, 1000],
  ['noRequestLimit', pod({}), 4_000_000_000, 1000, 1000],
  ['equalRequestLimitCPUMemory', pod({ requests: { memory: '10G', cpu: '5m' }, limits: { cpu: '5m', memory: '10G' } }), 123_456_789, -997, -997],
  ['cpuUnlimitedMemoryLimitedWithRequests', pod({ requests: { memory: String(standardMemoryAmount / 2), cpu: '5m' }, limits: { memory: '10G' } }), standardMemoryAmount, 495, 505],
  ['requestNoLimit', pod({ requests: { memory: String(standardMemoryAmount - 1), cpu: '5m' } }), standardMemoryAmount, 3, 3],
  ['critical', pod({}, 2_000_000_000), 4_000_000_000, -997, -997],
];

describe('GetContainerOOMScoreAdjust', () => {
  it.each(table)('%s', (_name, p, capacity, lo, hi) => {
    const adj = getContainerOOMScoreAdjust(p, p.spec!.containers[0]!, capacity);
    expect(adj).toBeGreaterThanOrEqual(lo);
    expect(adj).toBeLessThanOrEqual(hi);
  });
});

describe('the kernel OOM killer', () => {
  it('kills the highest oom_badness (usage share in thousandths + oom_score_adj), larger users first on ties', () => {
    const cap = 8 * 2 ** 30;
    const be = pod({});
    const burst = pod({ requests: { memory: '1Gi' } });
    const guar = pod({ requests: { memory: '4Gi', cpu: '1' }, limits: { memory: '4Gi', cpu: '1' } });
    const c = (key: string, p: Pod, usage: number) => ({ key, pod: p, container: p.spec!.containers[0]!, usage });
    expect(oomVictim([c('g', guar, 4 * 2 ** 30), c('b', burst, 2 * 2 ** 30), c('e', be, 1.5 * 2 ** 30)], cap)?.key).toBe('e');
    // Badness adds the share of memory used: a Burstable container using a quarter of the node (250 + 875)
    // outranks a BestEffort one using almost nothing (0 + 1000), as the kernel decides.
    expect(oomVictim([c('b', burst, 2 * 2 ** 30), c('e', be, 2 ** 20)], cap)?.key).toBe('b');
    expect(oomVictim([c('g', guar, 4 * 2 ** 30), c('b', burst, 2 * 2 ** 30)], cap)?.key).toBe('b');
    expect(oomVictim([c('e1', be, 2 ** 20), c('e2', be, 2 ** 30)], cap)?.key).toBe('e2');
  });
});
