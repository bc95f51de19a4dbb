/** generateAPIPodStatus: the kubelet's conditions, their reasons and messages, and the conditions it keeps. */
import { describe, expect, it } from 'vitest';
import type { ContainerStatus, Pod, PodCondition } from 'kubernetes-types/core/v1';
import { generateAPIPodStatus, type KubeletPodView } from '../../src/kubelet/status.ts';

const T = '2025-01-01T00:00:10Z';
const running = (name: string, ready: boolean): ContainerStatus => ({ name, image: 'x', imageID: '', ready, started: true, restartCount: 0, state: { running: { startedAt: T } } });
const done = (name: string, exitCode: number): ContainerStatus => ({ name, image: 'x', imageID: '', ready: false, started: false, restartCount: 0, state: { terminated: { exitCode, reason: exitCode ? 'Error' : 'Completed', startedAt: T, finishedAt: T } } });
const pod = (spec: Partial<NonNullable<Pod['spec']>>, conditions: PodCondition[] = []): Pod => ({ metadata: { name: 'p', namespace: 'default', uid: 'u' }, spec: { containers: [{ name: 'app' }, { name: 'log' }], ...spec }, status: { conditions } });
const view = (v: Partial<KubeletPodView>): KubeletPodView => ({ phase: 'Running', sandboxReady: true, initContainers: [], containers: [], ...v });
const cond = (p: Pod, v: KubeletPodView) => {
  const s = generateAPIPodStatus(p, v, p.status, T);
  return Object.fromEntries((s.conditions ?? []).map((c) => [c.type, [c.status, c.reason ?? '', c.message ?? ''].join('|')]));
};

describe('generateAPIPodStatus', () => {
  it('names every unready container, in spec order', () => {
    expect(cond(pod({}), view({ containers: [running('app', false), running('log', false)] }))).toMatchObject({
      ContainersReady: 'False|ContainersNotReady|containers with unready status: [app log]',
      Ready: 'False|ContainersNotReady|containers with unready status: [app log]',
    });
  });

  it('a Succeeded pod: PodCompleted', () => {
    expect(cond(pod({}), view({ phase: 'Succeeded', sandboxReady: false, containers: [done('app', 0), done('log', 0)] }))).toMatchObject({
      ContainersReady: 'False|PodCompleted|',
      Ready: 'False|PodCompleted|',
      PodReadyToStartContainers: 'False||',
    });
  });

  it('init containers not yet complete: ContainersNotInitialized', () => {
    const p = pod({ initContainers: [{ name: 'migrate' }, { name: 'proxy', restartPolicy: 'Always' }] });
    expect(cond(p, view({ phase: 'Pending', initContainers: [done('migrate', 1)] }))).toMatchObject({ Initialized: 'False|ContainersNotInitialized|containers with incomplete status: [migrate proxy]' });
    expect(cond(p, view({ initContainers: [done('migrate', 0), running('proxy', true)], containers: [running('app', true), running('log', true)] }))).toMatchObject({ Initialized: 'True||', Ready: 'True||' });
  });

  it('readiness gates: missing, or not True', () => {
    const gates = { readinessGates: [{ conditionType: 'a.io/one' }, { conditionType: 'b.io/two' }] };
    const all = view({ containers: [running('app', true), running('log', true)] });
    expect(cond(pod(gates, [{ type: 'b.io/two', status: 'False' }]), all)).toMatchObject({
      Ready: 'False|ReadinessGatesNotReady|corresponding condition of pod readiness gate "a.io/one" does not exist., the status of pod readiness gate "b.io/two" is not "True", but False',
      ContainersReady: 'True||',
    });
    expect(cond(pod(gates, [{ type: 'a.io/one', status: 'True' }, { type: 'b.io/two', status: 'True' }]), all)).toMatchObject({ Ready: 'True||' });
  });

  it('keeps the conditions it does not own after its own, and transition times of unchanged ones', () => {
    const old: PodCondition[] = [
      { type: 'Ready', status: 'True', lastTransitionTime: '2025-01-01T00:00:01Z' },
      { type: 'PodScheduled', status: 'True', lastTransitionTime: '2025-01-01T00:00:00Z' },
      { type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager', lastTransitionTime: '2025-01-01T00:00:05Z' },
    ];
    const s = generateAPIPodStatus(pod({}, old), view({ containers: [running('app', true), running('log', true)] }), { conditions: old }, T);
    expect(s.conditions?.map((c) => c.type)).toEqual(['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled', 'DisruptionTarget']);
    expect(s.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime).toBe('2025-01-01T00:00:01Z');
    expect(s.conditions?.find((c) => c.type === 'DisruptionTarget')?.reason).toBe('DeletionByTaintManager');
    expect(s.qosClass).toBe('BestEffort');
  });
});
