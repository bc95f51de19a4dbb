// TestComputePodQOS (pkg/apis/core/v1/helper/qos/qos_test.go), container-level cases
// only: pod-level resources (spec.resources) are v1.32+ and not modelled.
import { describe, expect, it } from 'vitest';
import type { Container, Pod } from 'kubernetes-types/core/v1';
import { computePodQOS, type QOSClass } from '../../src/api/qos.ts';

function rl(cpu: string, memory: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (cpu !== '') out['cpu'] = cpu;
  if (memory !== '') out['memory'] = memory;
  return out;
}
const ctr = (name: string, requests: Record<string, string>, limits: Record<string, string>): Container => ({ name, resources: { requests, limits } });
const pod = (containers: Container[], initContainers?: Container[]): Pod => ({ spec: { containers, ...(initContainers ? { initContainers } : {}) } });

const cases: Array<[string, Pod, QOSClass]> = [
  ['guaranteed', pod([ctr('guaranteed', rl('100m', '100Mi'), rl('100m', '100Mi'))]), 'Guaranteed'],
  ['guaranteed-guaranteed', pod([ctr('a', rl('100m', '100Mi'), rl('100m', '100Mi')), ctr('b', rl('100m', '100Mi'), rl('100m', '100Mi'))]), 'Guaranteed'],
  ['best-effort-best-effort', pod([ctr('a', rl('', ''), rl('', '')), ctr('b', rl('', ''), rl('', ''))]), 'BestEffort'],
  ['best-effort', pod([ctr('a', rl('', ''), rl('', ''))]), 'BestEffort'],
  ['best-effort-burstable', pod([ctr('a', rl('', ''), rl('', '')), ctr('b', rl('1', ''), rl('2', ''))]), 'Burstable'],
  ['best-effort-guaranteed', pod([ctr('a', rl('', ''), rl('', '')), ctr('b', rl('10m', '100Mi'), rl('10m', '100Mi'))]), 'Burstable'],
  ['burstable-cpu-guaranteed-memory', pod([ctr('a', rl('', '100Mi'), rl('', '100Mi'))]), 'Burstable'],
  ['burstable-no-limits', pod([ctr('a', rl('100m', '100Mi'), rl('', ''))]), 'Burstable'],
  ['burstable-guaranteed', pod([ctr('a', rl('1', '100Mi'), rl('2', '100Mi')), ctr('b', rl('100m', '100Mi'), rl('100m', '100Mi'))]), 'Burstable'],
  ['burstable-unbounded-but-requests-match-limits', pod([ctr('a', rl('100m', '100Mi'), rl('200m', '200Mi')), ctr('b', rl('100m', '100Mi'), rl('', ''))]), 'Burstable'],
  ['burstable-1', pod([ctr('a', rl('10m', '100Mi'), rl('100m', '200Mi'))]), 'Burstable'],
  ['burstable-2', pod([ctr('a', rl('0', '0'), rl('100m', '200Mi'))]), 'Burstable'],
  ['best-effort-hugepages', pod([ctr('a', { ...rl('0', '0'), 'hugepages-2Mi': '1Gi' }, { ...rl('0', '0'), 'hugepages-2Mi': '1Gi' })]), 'BestEffort'],
  ['init-container', pod([ctr('a', rl('', ''), rl('', ''))], [ctr('i', rl('10m', '100Mi'), rl('100m', '200Mi'))]), 'Burstable'],
];

describe('TestComputePodQOS (upstream table)', () => {
  for (const [name, p, want] of cases) it(name, () => expect(computePodQOS(p)).toBe(want));
});
