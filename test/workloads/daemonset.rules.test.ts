/**
 * NodeShouldRunDaemonPod and the daemon pod's tolerations and placement,
 * with the cases of upstream's daemon_controller_test.go
 * TestNodeShouldRunDaemonPod (node labels {name: simple-daemon, type:
 * production}; resource and host-port predicates no longer matter, the
 * scheduler handles them) and the taint tests (TestTaintedNodeDaemonDoesNotLaunchIntolerantPods,
 * TestNotReadyNodeDaemonDoesLaunchPod, TestUnreachableNodeDaemonLaunchesPod,
 * TestNodeDaemonLaunchesToleratePod, TestTaintPressureNodeDaemonLaunchPod,
 * TestNetworkUnavailableNodeDaemonLaunchesPod).
 */
import { describe, expect, it } from 'vitest';
import type { DaemonSet } from 'kubernetes-types/apps/v1';
import type { Node, PodSpec, Taint } from 'kubernetes-types/core/v1';
import {
  addDaemonPodTolerations,
  getTargetNodeName,
  nodeShouldRunDaemonPod,
  replaceNodeNameAffinity,
  updatedDesiredCounts,
} from '../../src/workloads/daemonset/daemonSetUtil.ts';

const simpleDaemonSetLabel = { name: 'simple-daemon', type: 'production' };
const simpleDaemonSetLabel2 = { name: 'simple-daemon', type: 'test' };

function ds(spec: Partial<PodSpec>): DaemonSet {
  return {
    metadata: { name: 'ds' },
    spec: { selector: { matchLabels: simpleDaemonSetLabel }, template: { metadata: { labels: simpleDaemonSetLabel }, spec: { containers: [{ name: 'c', image: 'i' }], ...spec } } },
  };
}

function node(opts: { taints?: Taint[]; unschedulable?: boolean; labels?: Record<string, string> } = {}): Node {
  return { metadata: { name: 'test-node', labels: opts.labels ?? simpleDaemonSetLabel }, spec: { taints: opts.taints, unschedulable: opts.unschedulable } };
}

const affinity = (values: string[]): Partial<PodSpec> => ({
  affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'type', operator: 'In', values }] }] } } },
});
const resources = { containers: [{ name: 'c', image: 'i', resources: { requests: { memory: '200M', cpu: '500m' } } }] };

describe('NodeShouldRunDaemonPod (upstream TestNodeShouldRunDaemonPod)', () => {
  it.each<[string, Partial<PodSpec>, boolean, boolean, { unschedulable?: boolean }?]>([
    ['ShouldRunDaemonPod', {}, true, true],
    ['InsufficientResourceError (left to the scheduler)', resources, true, true],
    ['ErrPodNotMatchHostName', { nodeName: 'other-node' }, false, false],
    ['ErrPodNotFitsHostPorts (left to the scheduler)', { containers: [{ name: 'c', ports: [{ containerPort: 80, hostPort: 666 }] }] }, true, true],
    ['ErrNodeSelectorNotMatch', { nodeSelector: simpleDaemonSetLabel2 }, false, false],
    ['ShouldRunDaemonPod (node selector matches)', { nodeSelector: simpleDaemonSetLabel }, true, true],
    ['ErrPodAffinityNotMatch', affinity(['test']), false, false],
    ['ShouldRunDaemonPod (affinity matches)', affinity(['production']), true, true],
    ['ShouldRunDaemonPodOnUnschedulableNode', {}, true, true, { unschedulable: true }],
  ])('%s', (_name, spec, shouldRun, shouldContinueRunning, n) => {
    for (const updateStrategy of [{ type: 'OnDelete' }, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } }]) {
      const d = ds(spec);
      d.spec!.updateStrategy = updateStrategy;
      // The node controller taints an unschedulable node; the daemon toleration covers it.
      const taints = n?.unschedulable ? [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }] : undefined;
      expect(nodeShouldRunDaemonPod(node({ ...n, taints }), d)).toEqual({ shouldRun, shouldContinueRunning });
    }
  });
});

describe('taints and the automatic DaemonSet tolerations', () => {
  it.each<[string, Taint[], Partial<PodSpec>, boolean, boolean]>([
    ['untolerated NoSchedule: not started, kept running', [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }], {}, false, true],
    ['untolerated NoExecute: neither', [{ key: 'dedicated', value: 'gpu', effect: 'NoExecute' }], {}, false, false],
    ['PreferNoSchedule does not matter', [{ key: 'dedicated', value: 'gpu', effect: 'PreferNoSchedule' }], {}, true, true],
    ['tolerated NoSchedule', [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }], { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }] }, true, true],
    ['toleration for another value', [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }], { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'db', effect: 'NoSchedule' }] }, false, true],
    ['Exists toleration', [{ key: 'dedicated', value: 'gpu', effect: 'NoExecute' }], { tolerations: [{ key: 'dedicated', operator: 'Exists' }] }, true, true],
    ['not-ready NoExecute (TestNotReadyNodeDaemonDoesLaunchPod)', [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }], {}, true, true],
    ['unreachable NoExecute (TestUnreachableNodeDaemonLaunchesPod)', [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }], {}, true, true],
    ['not-ready NoSchedule is not tolerated', [{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }], {}, false, true],
    ['disk-pressure', [{ key: 'node.kubernetes.io/disk-pressure', effect: 'NoSchedule' }], {}, true, true],
    ['memory-pressure', [{ key: 'node.kubernetes.io/memory-pressure', effect: 'NoSchedule' }], {}, true, true],
    ['pid-pressure', [{ key: 'node.kubernetes.io/pid-pressure', effect: 'NoSchedule' }], {}, true, true],
    ['unschedulable', [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }], {}, true, true],
    ['network-unavailable without hostNetwork', [{ key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' }], {}, false, true],
    ['network-unavailable with hostNetwork', [{ key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' }], { hostNetwork: true }, true, true],
  ])('%s', (_name, taints, spec, shouldRun, shouldContinueRunning) => {
    expect(nodeShouldRunDaemonPod(node({ taints }), ds(spec))).toEqual({ shouldRun, shouldContinueRunning });
  });

  it('AddOrUpdateDaemonPodTolerations adds them in upstream order, without tolerationSeconds', () => {
    const spec: PodSpec = { containers: [], hostNetwork: true, tolerations: [{ key: 'x', operator: 'Exists' }] };
    addDaemonPodTolerations(spec);
    expect(spec.tolerations).toEqual([
      { key: 'x', operator: 'Exists' },
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
      { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' },
    ]);
  });
});

describe('placement through node affinity (ReplaceDaemonSetPodNodeNameNodeAffinity)', () => {
  it('replaces the required terms with one matchFields metadata.name term and keeps preferred ones', () => {
    const preferred = [{ weight: 1, preference: { matchExpressions: [{ key: 'a', operator: 'Exists' }] } }];
    const spec: PodSpec = {
      containers: [],
      affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'type', operator: 'In', values: ['production'] }] }] }, preferredDuringSchedulingIgnoredDuringExecution: preferred } },
    };
    replaceNodeNameAffinity(spec, 'node-7');
    expect(spec.affinity?.nodeAffinity).toEqual({
      requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-7'] }] }] },
      preferredDuringSchedulingIgnoredDuringExecution: preferred,
    });
    expect(getTargetNodeName({ spec })).toBe('node-7');
    expect(getTargetNodeName({ spec: { ...spec, nodeName: 'bound' } })).toBe('bound');
  });
});

describe('rolling update counts (util.SurgeCount / UnavailableCount, rounded up)', () => {
  it.each([
    [{ maxUnavailable: 1, maxSurge: 0 }, 10, 0, 1],
    [{ maxUnavailable: '25%', maxSurge: 0 }, 10, 0, 3],
    [{ maxUnavailable: 0, maxSurge: '10%' }, 15, 2, 0],
    [{ maxUnavailable: 0, maxSurge: 1 }, 3, 1, 0],
    [{ maxUnavailable: 0, maxSurge: 0 }, 3, 0, 1],
  ])('%o of %i nodes: maxSurge %i, maxUnavailable %i', (ru, desired, maxSurge, maxUnavailable) => {
    const d = ds({});
    d.spec!.updateStrategy = { type: 'RollingUpdate', rollingUpdate: ru as never };
    expect(updatedDesiredCounts(d, desired)).toEqual({ maxSurge, maxUnavailable });
  });
});
