// KubeSchedulerConfiguration defaulting and validation, after upstream
// pkg/scheduler/apis/config/v1/defaults_test.go and validation_test.go.
import { describe, expect, it } from 'vitest';
import { loadSchedulerConfig, mergePluginSet } from '../../src/scheduler/config.ts';
import { FieldErrorList, formatFieldError } from '../../src/api/errors.ts';

function errorsOf(raw: unknown): string[] {
  try {
    loadSchedulerConfig(raw);
  } catch (e) {
    if (e instanceof FieldErrorList) return e.errors.map(formatFieldError);
    throw e;
  }
  return [];
}

describe('loadSchedulerConfig defaults', () => {
  it('gives one default-scheduler profile with the v1.31 multiPoint set and weights', () => {
    const c = loadSchedulerConfig(undefined);
    expect(c.profiles.length).toBe(1);
    const p = c.profiles[0]!;
    expect(p.schedulerName).toBe('default-scheduler');
    expect(p.plugins.multiPoint.enabled.map((x) => x.name)).toEqual([
      'SchedulingGates', 'PrioritySort', 'NodeUnschedulable', 'NodeName', 'TaintToleration', 'NodeAffinity', 'NodePorts',
      'NodeResourcesFit', 'NodeVolumeLimits', 'VolumeBinding', 'VolumeZone', 'PodTopologySpread', 'InterPodAffinity',
      'DefaultPreemption', 'NodeResourcesBalancedAllocation', 'ImageLocality', 'DefaultBinder',
    ]);
    const w = Object.fromEntries(p.plugins.multiPoint.enabled.map((x) => [x.name, x.weight]));
    expect(w).toMatchObject({ TaintToleration: 3, NodeAffinity: 2, NodeResourcesFit: 1, PodTopologySpread: 2, InterPodAffinity: 2, NodeResourcesBalancedAllocation: 1, ImageLocality: 1 });
    expect(c.podInitialBackoffSeconds).toBe(1);
    expect(c.podMaxBackoffSeconds).toBe(10);
    expect(c.percentageOfNodesToScore).toBe(0);
    expect(c.parallelism).toBe(16);
    const args = Object.fromEntries(p.pluginConfig.map((pc) => [pc.name, pc.args]));
    // upstream appends defaulted args in sorted plugin-name order
    expect(p.pluginConfig.map((pc) => pc.name)).toEqual(['DefaultPreemption', 'InterPodAffinity', 'NodeAffinity', 'NodeResourcesBalancedAllocation', 'NodeResourcesFit', 'PodTopologySpread', 'VolumeBinding']);
    expect(args['NodeResourcesFit']).toEqual({ scoringStrategy: { type: 'LeastAllocated', resources: [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }] } });
    expect(args['DefaultPreemption']).toEqual({ minCandidateNodesPercentage: 10, minCandidateNodesAbsolute: 100 });
    expect(args['InterPodAffinity']).toEqual({ hardPodAffinityWeight: 1 });
    expect(args['PodTopologySpread']).toEqual({ defaultingType: 'System' });
    expect(args['NodeResourcesBalancedAllocation']).toEqual({ resources: [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }] });
  });

  it('defaults partial args and keeps explicit values', () => {
    const c = loadSchedulerConfig({
      apiVersion: 'kubescheduler.config.k8s.io/v1',
      kind: 'KubeSchedulerConfiguration',
      profiles: [{ pluginConfig: [{ name: 'NodeResourcesFit', args: { scoringStrategy: { type: 'MostAllocated', resources: [{ name: 'cpu' }] } } }] }],
    });
    const fit = c.profiles[0]!.pluginConfig.find((p) => p.name === 'NodeResourcesFit')!;
    expect(fit.args).toEqual({ scoringStrategy: { type: 'MostAllocated', resources: [{ name: 'cpu', weight: 1 }] } });
  });

  it('does not default the name when there are several profiles', () => {
    expect(errorsOf({ profiles: [{}, { schedulerName: 'b' }] })).toContain('profiles[0].schedulerName: Required value');
  });
});

describe('mergePluginSet (upstream default_plugins.go)', () => {
  const defaults = { enabled: [{ name: 'A' }, { name: 'B', weight: 1 }, { name: 'C' }], disabled: [] };
  it('replaces re-configured defaults in place and appends new ones', () => {
    const m = mergePluginSet(defaults, { enabled: [{ name: 'X' }, { name: 'B', weight: 5 }], disabled: [{ name: 'C' }] });
    expect(m.enabled).toEqual([{ name: 'A' }, { name: 'B', weight: 5 }, { name: 'X' }]);
    expect(m.disabled).toEqual([{ name: 'C' }]);
  });
  it('"*" disables every default', () => {
    const m = mergePluginSet(defaults, { enabled: [{ name: 'X' }], disabled: [{ name: '*' }] });
    expect(m.enabled).toEqual([{ name: 'X' }]);
  });
});

describe('validation (upstream validation.go messages)', () => {
  it.each([
    [{ percentageOfNodesToScore: 110 }, 'percentageOfNodesToScore: Invalid value: 110: not in valid range [0-100]'],
    [{ podInitialBackoffSeconds: 0 }, 'podInitialBackoffSeconds: Invalid value: 0: must be greater than 0'],
    [{ podInitialBackoffSeconds: 5, podMaxBackoffSeconds: 2 }, 'podMaxBackoffSeconds: Invalid value: 2: must be greater than or equal to PodInitialBackoffSeconds'],
    [{ parallelism: 0 }, 'parallelism: Invalid value: 0: should be an integer value greater than zero'],
    [{ profiles: [{ schedulerName: 'a', percentageOfNodesToScore: -1 }] }, 'profiles[0].percentageOfNodesToScore: Invalid value: -1: not in valid range [0-100]'],
    [
      { profiles: [{ schedulerName: 'a', pluginConfig: [{ name: 'DefaultPreemption', args: { minCandidateNodesPercentage: 101 } }] }] },
      'profiles[0].pluginConfig[0].args.minCandidateNodesPercentage: Invalid value: 101: not in valid range [0, 100]',
    ],
    [
      { profiles: [{ schedulerName: 'a', pluginConfig: [{ name: 'InterPodAffinity', args: { hardPodAffinityWeight: 101 } }] }] },
      'profiles[0].pluginConfig[0].args.hardPodAffinityWeight: Invalid value: 101: not in valid range [0, 100]',
    ],
    [
      { profiles: [{ schedulerName: 'a', plugins: { filter: { enabled: [{ name: 'EBSLimits' }] } } }] },
      'profiles[0].plugins.filter.enabled[0]: Invalid value: "EBSLimits": was invalid in version "kubescheduler.config.k8s.io/v1" (KubeSchedulerConfiguration is version "kubescheduler.config.k8s.io/v1")',
    ],
  ])('%j', (raw, msg) => {
    expect(errorsOf(raw)).toContain(msg);
  });

  it('rejects duplicate scheduler names and duplicate plugin configs', () => {
    const errs = errorsOf({
      profiles: [
        { schedulerName: 'a', pluginConfig: [{ name: 'NodeAffinity' }, { name: 'NodeAffinity' }] },
        { schedulerName: 'a' },
      ],
    });
    expect(errs).toContain('profiles[1].schedulerName: Duplicate value: "profiles[0].schedulerName"');
    expect(errs).toContain('profiles[0].pluginConfig[1]: Duplicate value: "NodeAffinity"');
  });

  it('rejects different queue sorts across profiles', () => {
    const errs = errorsOf({
      profiles: [{ schedulerName: 'a' }, { schedulerName: 'b', plugins: { queueSort: { enabled: [{ name: 'Other' }], disabled: [{ name: '*' }] } } }],
    });
    expect(errs.some((e) => e.startsWith('profiles[1].plugins.queueSort: Invalid value') && e.endsWith('must be the same for all profiles'))).toBe(true);
  });

  it('rejects weights outside int32 and wrong types', () => {
    const errs = errorsOf({ profiles: [{ plugins: { score: { enabled: [{ name: 'ImageLocality', weight: 2 ** 31 }] } } }] });
    expect(errs[0]).toMatch(/^profiles\[0\]\.plugins\.score\.enabled\[0\]\.weight: Invalid value: 2147483648/);
  });
});
