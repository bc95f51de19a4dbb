/**
 * Structural validation of the component configuration files ksim reads:
 * kubescheduler.config.k8s.io/v1 KubeSchedulerConfiguration (kube-scheduler
 * decodes it strictly, plugin args included) and kubelet.config.k8s.io/v1beta1
 * KubeletConfiguration.
 */
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { formatFieldError, type FieldError } from '../../src/api/errors.ts';
import {
  knownKind,
  validateKubeletConfigurationShape,
  validateManifestShape,
  validateSchedulerConfigurationShape,
} from '../../src/api/schema/index.ts';
import { KUBELET_CONFIG, SCHEDULER_CONFIG } from './schema.fixtures.ts';

type Obj = Record<string, unknown>;

function load(text: string): Obj {
  return parseAllDocuments(text)[0]!.toJS() as Obj;
}

function at(o: Obj, ...steps: Array<string | number>): Obj {
  let cur: unknown = o;
  for (const s of steps) cur = (cur as Record<string | number, unknown>)[s];
  return cur as Obj;
}

describe('KubeSchedulerConfiguration', () => {
  it('a real-world multi-profile configuration passes', () => {
    const cfg = load(SCHEDULER_CONFIG);
    expect(validateSchedulerConfigurationShape(cfg, '').map(formatFieldError)).toEqual([]);
    expect(knownKind('kubescheduler.config.k8s.io/v1', 'KubeSchedulerConfiguration')).toBe(true);
    expect(validateManifestShape(cfg)).toEqual([]);
  });

  it('a minimal configuration passes', () => {
    expect(validateSchedulerConfigurationShape({ apiVersion: 'kubescheduler.config.k8s.io/v1', kind: 'KubeSchedulerConfiguration' }, '')).toEqual([]);
    expect(validateSchedulerConfigurationShape(undefined, 'scheduler')).toEqual([]);
  });

  const cases: Array<{ name: string; mutate: (o: Obj) => void; want: FieldError[] }> = [
    {
      name: 'misspelt extension point',
      mutate: (o) => (at(o, 'profiles', 1, 'plugins')['filters'] = {}),
      want: [{ path: 'profiles[1].plugins.filters', type: 'FieldValueUnknown', detail: 'did you mean "filter"?' }],
    },
    {
      name: 'plugin weight as a string',
      mutate: (o) => (at(o, 'profiles', 0, 'plugins', 'multiPoint', 'enabled', 0)['weight'] = '2'),
      want: [
        { path: 'profiles[0].plugins.multiPoint.enabled[0].weight', type: 'TypeInvalid', value: '2', detail: 'expected integer, got string' },
      ],
    },
    {
      name: 'plugin entry without a name',
      mutate: (o) => delete at(o, 'profiles', 0, 'plugins', 'score', 'disabled', 1)['name'],
      want: [{ path: 'profiles[0].plugins.score.disabled[1].name', type: 'Required', detail: '' }],
    },
    {
      name: 'in-tree plugin args are decoded strictly (NodeResourcesFitArgs)',
      mutate: (o) => (at(o, 'profiles', 0, 'pluginConfig', 0, 'args', 'scoringStrategy')['typ'] = 'MostAllocated'),
      want: [{ path: 'profiles[0].pluginConfig[0].args.scoringStrategy.typ', type: 'FieldValueUnknown', detail: 'did you mean "type"?' }],
    },
    {
      name: 'in-tree plugin args reuse core/v1 types (PodTopologySpreadArgs.defaultConstraints)',
      mutate: (o) => (at(o, 'profiles', 0, 'pluginConfig', 1, 'args', 'defaultConstraints', 0)['maxSkew'] = 'one'),
      want: [
        {
          path: 'profiles[0].pluginConfig[1].args.defaultConstraints[0].maxSkew',
          type: 'TypeInvalid',
          value: 'one',
          detail: 'expected integer, got string',
        },
      ],
    },
    {
      name: 'plugin args of the wrong JSON type',
      mutate: (o) => (at(o, 'profiles', 0, 'pluginConfig', 2)['args'] = [1]),
      want: [{ path: 'profiles[0].pluginConfig[2].args', type: 'TypeInvalid', value: undefined, detail: 'expected object, got array' }],
    },
    {
      name: 'healthzBindAddress was removed from the v1 API',
      mutate: (o) => (o['healthzBindAddress'] = '0.0.0.0:10251'),
      want: [{ path: 'healthzBindAddress', type: 'FieldValueUnknown', detail: '' }],
    },
    {
      name: 'leader election duration given as a number',
      mutate: (o) => (at(o, 'leaderElection')['leaseDuration'] = 15),
      want: [{ path: 'leaderElection.leaseDuration', type: 'TypeInvalid', value: 15, detail: 'expected string, got integer' }],
    },
    {
      name: 'extenders must be a list',
      mutate: (o) => (o['extenders'] = { urlPrefix: 'http://x' }),
      want: [{ path: 'extenders', type: 'TypeInvalid', value: undefined, detail: 'expected array, got object' }],
    },
    {
      name: 'extender without urlPrefix',
      mutate: (o) => delete at(o, 'extenders', 0)['urlPrefix'],
      want: [{ path: 'extenders[0].urlPrefix', type: 'Required', detail: '' }],
    },
    {
      name: 'podMaxBackoffSeconds as a duration string',
      mutate: (o) => (o['podMaxBackoffSeconds'] = '10s'),
      want: [{ path: 'podMaxBackoffSeconds', type: 'TypeInvalid', value: '10s', detail: 'expected integer, got string' }],
    },
  ];

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const cfg = load(SCHEDULER_CONFIG);
    c.mutate(cfg);
    expect(validateSchedulerConfigurationShape(cfg, '')).toEqual(c.want);
  });

  it('out-of-tree plugin args are free-form', () => {
    const cfg = load(SCHEDULER_CONFIG);
    at(cfg, 'profiles', 0, 'pluginConfig', 6)['args'] = { nested: { whatever: [true, 'x', 3.5] } };
    expect(validateSchedulerConfigurationShape(cfg, '')).toEqual([]);
  });

  it('prefixes paths with the given path', () => {
    const cfg = load(SCHEDULER_CONFIG);
    at(cfg, 'profiles', 0, 'pluginConfig', 3, 'args')['minCandidateNodesPercentage'] = '10%';
    cfg['parallelisms'] = 4;
    expect(validateSchedulerConfigurationShape(cfg, 'spec.scheduler.config')).toEqual([
      { path: 'spec.scheduler.config.parallelisms', type: 'FieldValueUnknown', detail: 'did you mean "parallelism"?' },
      {
        path: 'spec.scheduler.config.profiles[0].pluginConfig[3].args.minCandidateNodesPercentage',
        type: 'TypeInvalid',
        value: '10%',
        detail: 'expected integer, got string',
      },
    ]);
  });
});

describe('KubeletConfiguration', () => {
  it('a kubeadm-generated configuration with common tuning passes', () => {
    const cfg = load(KUBELET_CONFIG);
    expect(validateKubeletConfigurationShape(cfg, '').map(formatFieldError)).toEqual([]);
    expect(knownKind('kubelet.config.k8s.io/v1beta1', 'KubeletConfiguration')).toBe(true);
    expect(validateManifestShape(cfg)).toEqual([]);
  });

  it('accepts fields from recent releases (v1.32-v1.35)', () => {
    const cfg = {
      apiVersion: 'kubelet.config.k8s.io/v1beta1',
      kind: 'KubeletConfiguration',
      crashLoopBackOff: { maxContainerRestartPeriod: '60s' },
      singleProcessOOMKill: true,
      failCgroupV1: false,
      userNamespaces: { idsPerPod: 65536 },
      imagePullCredentialsVerificationPolicy: 'NeverVerifyPreloadedImages',
      preloadedImagesVerificationAllowlist: ['registry.k8s.io/pause'],
      mergeDefaultEvictionSettings: true,
      containerLogMaxWorkers: 2,
      containerLogMonitorInterval: '10s',
      podLogsDir: '/var/log/pods',
    };
    expect(validateKubeletConfigurationShape(cfg, '')).toEqual([]);
  });

  it('logging.flushFrequency takes a duration string or nanoseconds (TimeOrMetaDuration)', () => {
    for (const flushFrequency of ['5s', 5000000000, 0]) {
      expect(validateKubeletConfigurationShape({ logging: { flushFrequency } }, '')).toEqual([]);
    }
    expect(validateKubeletConfigurationShape({ logging: { flushFrequency: true } }, '')).toEqual([
      { path: 'logging.flushFrequency', type: 'TypeInvalid', value: true, detail: 'expected duration string or integer, got boolean' },
    ]);
  });

  const cases: Array<{ name: string; patch: Obj; want: FieldError[] }> = [
    {
      name: 'maxPods as a string',
      patch: { maxPods: '110' },
      want: [{ path: 'maxPods', type: 'TypeInvalid', value: '110', detail: 'expected integer, got string' }],
    },
    {
      name: 'field name in the wrong case',
      patch: { maxpods: 110 },
      want: [{ path: 'maxpods', type: 'FieldValueUnknown', detail: 'did you mean "maxPods"?' }],
    },
    {
      name: 'kubeReserved values are strings (map[string]string): a bare number is rejected',
      patch: { kubeReserved: { cpu: 1, memory: '1Gi' } },
      want: [{ path: 'kubeReserved[cpu]', type: 'TypeInvalid', value: 1, detail: 'expected string, got integer' }],
    },
    {
      name: 'featureGates values are booleans',
      patch: { featureGates: { InPlacePodVerticalScaling: 'true' } },
      want: [
        { path: 'featureGates[InPlacePodVerticalScaling]', type: 'TypeInvalid', value: 'true', detail: 'expected boolean, got string' },
      ],
    },
    {
      name: 'registerWithTaints uses the core/v1 Taint schema',
      patch: { registerWithTaints: [{ key: 'a', efect: 'NoSchedule' }] },
      want: [
        { path: 'registerWithTaints[0].efect', type: 'FieldValueUnknown', detail: 'did you mean "effect"?' },
        { path: 'registerWithTaints[0].effect', type: 'Required', detail: '' },
      ],
    },
    {
      name: 'reservedMemory entries need limits',
      patch: { reservedMemory: [{ numaNode: 0 }] },
      want: [{ path: 'reservedMemory[0].limits', type: 'Required', detail: '' }],
    },
    {
      name: 'authentication sub-structure is checked',
      patch: { authentication: { webhook: { enabled: 'yes' }, x509: { clientCaFile: '/ca.crt' } } },
      want: [
        { path: 'authentication.webhook.enabled', type: 'TypeInvalid', value: 'yes', detail: 'expected boolean, got string' },
        { path: 'authentication.x509.clientCaFile', type: 'FieldValueUnknown', detail: 'did you mean "clientCAFile"?' },
      ],
    },
    {
      name: 'memoryThrottlingFactor is a float',
      patch: { memoryThrottlingFactor: '0.9' },
      want: [{ path: 'memoryThrottlingFactor', type: 'TypeInvalid', value: '0.9', detail: 'expected number, got string' }],
    },
  ];

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const cfg = { ...load(KUBELET_CONFIG), ...c.patch };
    expect(validateKubeletConfigurationShape(cfg, '')).toEqual(c.want);
  });

  it('prefixes paths with the given path', () => {
    expect(validateKubeletConfigurationShape({ evictionHard: { 'memory.available': 100 } }, 'nodes[2].kubelet')).toEqual([
      { path: 'nodes[2].kubelet.evictionHard[memory.available]', type: 'TypeInvalid', value: 100, detail: 'expected string, got integer' },
    ]);
    expect(validateKubeletConfigurationShape('maxPods: 10', 'kubelet')).toEqual([
      { path: 'kubelet', type: 'TypeInvalid', value: 'maxPods: 10', detail: 'expected object, got string' },
    ]);
  });
});
