/**
 * The eviction manager's rules against upstream's own tables
 * (pkg/kubelet/eviction/helpers_test.go): ranking, thresholds met with and
 * without minimum reclaim (quantities and percentages), grace periods, node
 * conditions and their transition period, eviction priority of thresholds,
 * the allocatable threshold, and the eviction message.
 */
import { describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1';
import { Quantity } from '../../src/api/quantity.ts';
import { float32Percentage, parseEvictionThresholds, defaultKubeletConfiguration, type EvictionThreshold } from '../../src/api/kubeletConfig.ts';
import {
  addAllocatableThresholds,
  evictionMessage,
  nodeConditions,
  nodeConditionsLastObservedAt,
  nodeConditionsObservedSince,
  rankMemoryPressure,
  rankPIDPressure,
  rankDiskPressure,
  sortByEvictionPriority,
  thresholdsFirstObservedAt,
  thresholdsMet,
  thresholdsMetGracePeriod,
  type SignalObservations,
} from '../../src/kubelet/eviction/helpers.ts';
import type { PodStats } from '../../src/kubelet/stats.ts';

const Mi = 2 ** 20;
const Gi = 2 ** 30;
const q = (s: string) => Quantity.parse(s).value();
const lowPriority = -1;
const defaultPriority = 0;
const highPriority = 1;

function pod(name: string, priority: number, requests: Record<string, string> = {}): Pod {
  return { metadata: { name, namespace: 'default', uid: name }, spec: { priority, containers: [{ name, resources: { requests } }] } };
}

function stats(p: Pod, memory: number, opts: { disk?: number; procs?: number } = {}): PodStats {
  const name = p.metadata!.name!;
  return {
    modelled: true,
    namespace: 'default',
    name,
    uid: name,
    startTime: 0,
    containers: [{ name, startTime: 0, cpu: 0, workingSetBytes: memory, ephemeralBytes: opts.disk ?? 0, processes: opts.procs ?? 0 }],
    cpu: 0,
    workingSetBytes: memory,
    ephemeralBytes: opts.disk ?? 0,
    processes: opts.procs ?? 0,
  };
}

function statsFn(entries: Array<[Pod, PodStats]>) {
  const m = new Map(entries.map(([p, s]) => [p, s]));
  return (p: Pod) => m.get(p);
}

const names = (pods: Pod[]) => pods.map((p) => p.metadata!.name);

function threshold(signal: string, value: string, extra: Partial<EvictionThreshold> = {}): EvictionThreshold {
  const v = value.endsWith('%') ? { percent: value.slice(0, -1), fraction: float32Percentage(value.slice(0, -1)) } : { quantity: Quantity.parse(value) };
  return { signal, operator: 'LessThan', value: v, gracePeriodMs: 0, hard: true, ...extra };
}

function obs(entries: Record<string, [string, string?]>): SignalObservations {
  const m: SignalObservations = new Map();
  for (const [signal, [available, capacity]] of Object.entries(entries)) m.set(signal, { available: q(available), capacity: capacity ? q(capacity) : 0, time: 0 });
  return m;
}

describe('ranking (helpers_test.go)', () => {
  it('TestOrderedByPriorityMemory: exceeds requests, then priority, then usage above requests', () => {
    const p = [
      pod('above-requests-low-priority-high-usage', lowPriority),
      pod('above-requests-low-priority-low-usage', lowPriority),
      pod('above-requests-high-priority-high-usage', highPriority, { memory: '100Mi' }),
      pod('above-requests-high-priority-low-usage', highPriority, { memory: '100Mi' }),
      pod('below-requests-low-priority-high-usage', lowPriority, { memory: '1Gi' }),
      pod('below-requests-low-priority-low-usage', lowPriority, { memory: '1Gi' }),
      pod('below-requests-high-priority-high-usage', highPriority, { memory: '1Gi' }),
      pod('below-requests-high-priority-low-usage', highPriority, { memory: '1Gi' }),
    ];
    const usage = [500, 50, 600, 150, 800, 200, 800, 200];
    const fn = statsFn(p.map((x, i) => [x, stats(x, usage[i]! * Mi)]));
    expect(names(rankMemoryPressure([...p].reverse(), fn))).toEqual(names(p));
  });

  it('TestOrderedByMemory: the greediest consumer relative to its request first', () => {
    const p = [
      pod('best-effort-high', defaultPriority),
      pod('best-effort-low', defaultPriority),
      pod('burstable-high', defaultPriority, { memory: '100Mi' }),
      pod('burstable-low', defaultPriority, { memory: '100Mi' }),
      pod('guaranteed-high', defaultPriority, { memory: '1Gi' }),
      pod('guaranteed-low', defaultPriority, { memory: '1Gi' }),
    ];
    const usage = [500, 300, 800, 300, 800, 200];
    const fn = statsFn(p.map((x, i) => [x, stats(x, usage[i]! * Mi)]));
    // Same priority: exceeding pods (all but the guaranteed ones) first, each group by usage above request.
    expect(names(rankMemoryPressure([...p], fn))).toEqual(['burstable-high', 'best-effort-high', 'best-effort-low', 'burstable-low', 'guaranteed-high', 'guaranteed-low']);
  });

  it('pods without stats are evicted first', () => {
    const a = pod('with-stats', defaultPriority);
    const b = pod('no-stats', highPriority, { memory: '1Gi' });
    expect(names(rankMemoryPressure([a, b], statsFn([[a, stats(a, 500 * Mi)]])))).toEqual(['no-stats', 'with-stats']);
  });

  it('TestOrderedByPriorityProcess: priority, then the most processes', () => {
    const p = [pod('low-priority-high-usage', lowPriority), pod('low-priority-low-usage', lowPriority), pod('high-priority-high-usage', highPriority), pod('high-priority-low-usage', highPriority)];
    const procs = [20, 6, 20, 5];
    const fn = statsFn(p.map((x, i) => [x, stats(x, 0, { procs: procs[i] })]));
    expect(names(rankPIDPressure([...p].reverse(), fn))).toEqual(names(p));
  });

  it('disk: exceeds its ephemeral-storage request, then priority, then usage above the request', () => {
    const p = [pod('above-low', lowPriority), pod('above-high', highPriority, { 'ephemeral-storage': '100Mi' }), pod('below-low', lowPriority, { 'ephemeral-storage': '1Gi' }), pod('below-high', highPriority, { 'ephemeral-storage': '1Gi' })];
    const disk = [300, 400, 900, 100];
    const fn = statsFn(p.map((x, i) => [x, stats(x, 0, { disk: disk[i]! * Mi })]));
    expect(names(rankDiskPressure('ephemeral-storage')([...p].reverse(), fn))).toEqual(names(p));
  });
});

describe('thresholds (helpers_test.go)', () => {
  const hard = threshold('memory.available', '1Gi', { minReclaim: { quantity: Quantity.parse('500Mi') } });
  const table: Array<[string, boolean, EvictionThreshold[], SignalObservations, EvictionThreshold[]]> = [
    ['empty', false, [], obs({}), []],
    ['threshold-met-memory', false, [hard], obs({ 'memory.available': ['500Mi'] }), [hard]],
    ['threshold-not-met', false, [hard], obs({ 'memory.available': ['2Gi'] }), []],
    ['threshold-met-with-min-reclaim', true, [hard], obs({ 'memory.available': ['1.05Gi'] }), [hard]],
    ['threshold-not-met-with-min-reclaim', true, [hard], obs({ 'memory.available': ['2Gi'] }), []],
  ];
  it.each(table)('TestThresholdsMet %s', (_n, enforce, thresholds, o, want) => {
    expect(thresholdsMet(thresholds, o, enforce)).toEqual(want);
  });

  const pct = [threshold('memory.available', '20%', { minReclaim: { percent: '5', fraction: float32Percentage('5') } }), threshold('nodefs.available', '30%')];
  const pctTable: Array<[string, boolean, SignalObservations, EvictionThreshold[]]> = [
    ['BothMet', false, obs({ 'memory.available': ['100Mi', '1000Mi'], 'nodefs.available': ['100Gi', '1000Gi'] }), pct],
    ['NoneMet', false, obs({ 'memory.available': ['300Mi', '1000Mi'], 'nodefs.available': ['400Gi', '1000Gi'] }), []],
    ['DiskMet', false, obs({ 'memory.available': ['300Mi', '1000Mi'], 'nodefs.available': ['100Gi', '1000Gi'] }), [pct[1]!]],
    ['MemoryMet', false, obs({ 'memory.available': ['100Mi', '1000Mi'], 'nodefs.available': ['400Gi', '1000Gi'] }), [pct[0]!]],
    ['MemoryMetWithMinReclaim', true, obs({ 'memory.available': ['225Mi', '1000Mi'] }), [pct[0]!]],
    ['MemoryNotMetWithMinReclaim', true, obs({ 'memory.available': ['300Mi', '1000Mi'] }), []],
  ];
  it.each(pctTable)('TestPercentageThresholdsMet %s', (_n, enforce, o, want) => {
    expect(thresholdsMet(pct, o, enforce)).toEqual(want);
  });

  it('TestThresholdsFirstObservedAt and TestThresholdsMetGracePeriod', () => {
    const h = threshold('memory.available', '1Gi');
    const soft = threshold('memory.available', '2Gi', { gracePeriodMs: 60_000, hard: false });
    const now = 1_000_000;
    expect([...thresholdsFirstObservedAt([h], new Map(), now).values()].map((x) => x.at)).toEqual([now]);
    const prev = thresholdsFirstObservedAt([h], new Map(), now - 60_000);
    expect([...thresholdsFirstObservedAt([h], prev, now).values()].map((x) => x.at)).toEqual([now - 60_000]);
    expect(thresholdsMetGracePeriod(thresholdsFirstObservedAt([h], new Map(), now), now)).toEqual([h]);
    expect(thresholdsMetGracePeriod(thresholdsFirstObservedAt([soft], new Map(), now), now)).toEqual([]);
    expect(thresholdsMetGracePeriod(thresholdsFirstObservedAt([soft], new Map(), now - 120_000), now)).toEqual([soft]);
  });

  it('TestNodeConditions, LastObservedAt and ObservedSince (the pressure transition period)', () => {
    expect(nodeConditions([])).toEqual([]);
    expect(nodeConditions([threshold('memory.available', '1Gi'), threshold('allocatableMemory.available', '1Gi'), threshold('nodefs.inodesFree', '5%'), threshold('pid.available', '10%')])).toEqual(['MemoryPressure', 'DiskPressure', 'PIDPressure']);
    const now = 600_000;
    const old = new Map([['MemoryPressure' as const, now - 60_000]]);
    expect([...nodeConditionsLastObservedAt(['MemoryPressure'], old, now)]).toEqual([['MemoryPressure', now]]);
    expect([...nodeConditionsLastObservedAt([], old, now)]).toEqual([['MemoryPressure', now - 60_000]]);
    expect(nodeConditionsObservedSince(old, 120_000, now)).toEqual(['MemoryPressure']);
    expect(nodeConditionsObservedSince(old, 30_000, now)).toEqual([]);
  });

  it('TestSortByEvictionPriority: memory signals first', () => {
    const sig = (ts: EvictionThreshold[]) => sortByEvictionPriority(ts).map((t) => t.signal);
    expect(sig([threshold('nodefs.available', '1Gi'), threshold('pid.available', '1'), threshold('memory.available', '1Gi')])).toEqual(['memory.available', 'nodefs.available', 'pid.available']);
    expect(sig([threshold('nodefs.available', '1Gi'), threshold('pid.available', '1'), threshold('allocatableMemory.available', '1Gi')])).toEqual(['allocatableMemory.available', 'nodefs.available', 'pid.available']);
  });

  it('addAllocatableThresholds: enforceNodeAllocatable [pods] copies hard memory.available to allocatableMemory.available', () => {
    const kc = defaultKubeletConfiguration({ evictionHard: { 'memory.available': '100Mi' }, evictionSoft: { 'memory.available': '300Mi' }, evictionSoftGracePeriod: { 'memory.available': '30s' } });
    const parsed = parseEvictionThresholds(kc);
    expect(addAllocatableThresholds(parsed, ['pods']).map((t) => `${t.signal}<${t.value.quantity?.toString()}${t.hard ? '' : ' soft'}`)).toEqual(['memory.available<100Mi', 'memory.available<300Mi soft', 'allocatableMemory.available<100Mi']);
    expect(addAllocatableThresholds(parsed, ['none']).length).toBe(2);
  });
});

describe('evictionMessage', () => {
  it("names the threshold, what was available, and each container above its request, with the event's annotations", () => {
    const p: Pod = { metadata: { name: 'web-1', namespace: 'default', uid: 'u1' }, spec: { containers: [{ name: 'app', resources: { requests: { memory: '512Mi' } } }, { name: 'sidecar', resources: { requests: { memory: '64Mi' } } }] } };
    const s: PodStats = { ...stats(p, 0), uid: 'u1', name: 'web-1', containers: [
      { name: 'app', startTime: 0, cpu: 0, workingSetBytes: Gi, ephemeralBytes: 0, processes: 0 },
      { name: 'sidecar', startTime: 0, cpu: 0, workingSetBytes: 32 * Mi, ephemeralBytes: 0, processes: 0 },
    ] };
    const r = evictionMessage('memory', p, () => s, [threshold('memory.available', '100Mi')], obs({ 'memory.available': ['80Mi', '8Gi'] }));
    expect(r.message).toBe('The node was low on resource: memory. Threshold quantity: 100Mi, available: 80Mi. Container app was using 1Gi, request is 512Mi, has larger consumption of memory. ');
    expect(r.annotations).toEqual({ offending_containers: 'app', offending_containers_usage: '1Gi', starved_resource: 'memory' });
  });

  it('percentage thresholds are rendered as the quantity they stand for', () => {
    const p = pod('x', 0);
    const r = evictionMessage('ephemeral-storage', p, () => undefined, [threshold('nodefs.available', '10%')], obs({ 'nodefs.available': ['5Gi', '100Gi'] }));
    expect(r.message).toBe('The node was low on resource: ephemeral-storage. Threshold quantity: 10737418400, available: 5Gi. ');
  });
});
