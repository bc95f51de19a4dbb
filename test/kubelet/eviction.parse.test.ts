/** ParseThresholdConfig against upstream's table (pkg/kubelet/eviction/helpers_test.go TestParseThresholdConfig). */
import { describe, expect, it } from 'vitest';
import { defaultKubeletConfiguration, parseEvictionThresholds, type EvictionThreshold, type ThresholdValue } from '../../src/api/kubeletConfig.ts';
import { addAllocatableThresholds } from '../../src/kubelet/eviction/helpers.ts';

type M = Record<string, string>;
interface Case {
  allocatable: string[];
  hard: M;
  soft?: M;
  grace?: M;
  minReclaim?: M;
  err?: boolean;
  /** signal value [grace] [minReclaim], in any order. */
  want?: string[];
}

const v = (x: ThresholdValue): string => (x.quantity ? x.quantity.toString() : `${x.percent}%`);
const render = (t: EvictionThreshold): string => `${t.signal} ${v(t.value)}${t.gracePeriodMs ? ` grace=${t.gracePeriodMs / 1000}s` : ''}${t.minReclaim ? ` min=${v(t.minReclaim)}` : ''}`;

function parse(c: Case): string[] {
  const kc = defaultKubeletConfiguration({ evictionHard: c.hard, evictionSoft: c.soft ?? {}, evictionSoftGracePeriod: c.grace ?? {}, evictionMinimumReclaim: c.minReclaim ?? {} });
  return addAllocatableThresholds(parseEvictionThresholds(kc), c.allocatable).map(render).sort();
}

const table: Record<string, Case> = {
  'no values': { allocatable: [], hard: {}, want: [] },
  'all memory eviction values': {
    allocatable: ['pods'],
    hard: { 'memory.available': '150Mi' },
    soft: { 'memory.available': '300Mi' },
    grace: { 'memory.available': '30s' },
    minReclaim: { 'memory.available': '0' },
    want: ['allocatableMemory.available 150Mi min=0', 'memory.available 150Mi min=0', 'memory.available 300Mi grace=30s min=0'],
  },
  'all memory eviction values in percentages': {
    allocatable: [],
    hard: { 'memory.available': '10%' },
    soft: { 'memory.available': '30%' },
    grace: { 'memory.available': '30s' },
    minReclaim: { 'memory.available': '5%' },
    want: ['memory.available 10% min=5%', 'memory.available 30% grace=30s min=5%'],
  },
  'disk eviction values': {
    allocatable: [],
    hard: { 'imagefs.available': '150Mi', 'nodefs.available': '100Mi' },
    soft: { 'imagefs.available': '300Mi', 'nodefs.available': '200Mi' },
    grace: { 'imagefs.available': '30s', 'nodefs.available': '30s' },
    minReclaim: { 'imagefs.available': '2Gi', 'nodefs.available': '1Gi' },
    want: ['imagefs.available 150Mi min=2Gi', 'imagefs.available 300Mi grace=30s min=2Gi', 'nodefs.available 100Mi min=1Gi', 'nodefs.available 200Mi grace=30s min=1Gi'],
  },
  'disk eviction values in percentages': {
    allocatable: [],
    hard: { 'imagefs.available': '15%', 'nodefs.available': '10.5%' },
    soft: { 'imagefs.available': '30%', 'nodefs.available': '20.5%' },
    grace: { 'imagefs.available': '30s', 'nodefs.available': '30s' },
    minReclaim: { 'imagefs.available': '10%', 'nodefs.available': '5%' },
    want: ['imagefs.available 15% min=10%', 'imagefs.available 30% grace=30s min=10%', 'nodefs.available 10.5% min=5%', 'nodefs.available 20.5% grace=30s min=5%'],
  },
  'inode eviction values': {
    allocatable: [],
    hard: { 'imagefs.inodesFree': '150Mi', 'nodefs.inodesFree': '100Mi' },
    soft: { 'imagefs.inodesFree': '300Mi', 'nodefs.inodesFree': '200Mi' },
    grace: { 'imagefs.inodesFree': '30s', 'nodefs.inodesFree': '30s' },
    minReclaim: { 'imagefs.inodesFree': '2Gi', 'nodefs.inodesFree': '1Gi' },
    want: ['imagefs.inodesFree 150Mi min=2Gi', 'imagefs.inodesFree 300Mi grace=30s min=2Gi', 'nodefs.inodesFree 100Mi min=1Gi', 'nodefs.inodesFree 200Mi grace=30s min=1Gi'],
  },
  'disable via 0%': { allocatable: [], hard: { 'memory.available': '0%' }, soft: { 'memory.available': '0%' }, want: [] },
  'disable via 100%': { allocatable: [], hard: { 'memory.available': '100%' }, soft: { 'memory.available': '100%' }, want: [] },
  'invalid-signal': { allocatable: [], hard: { 'mem.available': '150Mi' }, err: true },
  'hard-signal-negative': { allocatable: [], hard: { 'memory.available': '-150Mi' }, err: true },
  'hard-signal-negative-percentage': { allocatable: [], hard: { 'memory.available': '-15%' }, err: true },
  'hard-signal-percentage-greater-than-100%': { allocatable: [], hard: { 'memory.available': '150%' }, err: true },
  'soft-signal-negative': { allocatable: [], hard: {}, soft: { 'memory.available': '-150Mi' }, err: true },
  'valid-and-invalid-signal': { allocatable: [], hard: { 'memory.available': '150Mi', 'invalid.foo': '150Mi' }, err: true },
  'soft-no-grace-period': { allocatable: [], hard: {}, soft: { 'memory.available': '150Mi' }, err: true },
  'soft-negative-grace-period': { allocatable: [], hard: {}, soft: { 'memory.available': '150Mi' }, grace: { 'memory.available': '-30s' }, err: true },
  'negative-reclaim': { allocatable: [], hard: {}, minReclaim: { 'memory.available': '-300Mi' }, err: true },
};

describe('ParseThresholdConfig (TestParseThresholdConfig)', () => {
  it.each(Object.entries(table))('%s', (_name, c) => {
    if (c.err) expect(() => parse(c)).toThrow();
    else expect(parse(c)).toEqual([...(c.want ?? [])].sort());
  });

  it('zero thresholds and non-positive percentage reclaims are errors, with upstream messages', () => {
    expect(() => parse({ allocatable: [], hard: { 'memory.available': '0' } })).toThrow('eviction threshold memory.available must be positive: 0');
    expect(() => parse({ allocatable: [], hard: {}, minReclaim: { 'memory.available': '0%' } })).toThrow('eviction percentage minimum reclaim memory.available must be positive: 0%');
    expect(() => parse({ allocatable: [], hard: {}, minReclaim: { 'memory.available': '-300Mi' } })).toThrow('negative eviction minimum reclaim specified for memory.available');
  });
});

describe('containerfs thresholds (UpdateContainerFsThresholds, one filesystem)', () => {
  it('are replaced by copies of the nodefs ones, and a user setting is warned about', async () => {
    const { updateContainerFsThresholds } = await import('../../src/kubelet/eviction/helpers.ts');
    const { kubeletConfigWarnings } = await import('../../src/kubelet/configFields.ts');
    const kc = defaultKubeletConfiguration({ evictionHard: { 'nodefs.available': '10%', 'containerfs.available': '50%', 'memory.available': '100Mi' } });
    expect(updateContainerFsThresholds(parseEvictionThresholds(kc)).map(render).sort()).toEqual(['containerfs.available 10%', 'memory.available 100Mi', 'nodefs.available 10%']);
    expect(kubeletConfigWarnings({ evictionHard: { 'containerfs.available': '50%' } }, 'spec.config.kubelet')).toEqual([
      'spec.config.kubelet.evictionHard[containerfs.available]: ignored, as upstream: with one filesystem containerfs thresholds are the nodefs ones',
    ]);
  });
});
