// Graceful node shutdown on nodeDown (shutdownGracePeriod, shutdownGracePeriodCriticalPods).
import { describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1';
import { Simulation } from '../../src/sim/simulation.ts';
import { startComponents } from '../../src/components.ts';
import type { KObject } from '../../src/sim/types.ts';
import { shutdownGroups } from '../../src/kubelet/shutdown.ts';
import { defaultKubeletConfiguration } from '../../src/api/kubeletConfig.ts';

function setup(kubelet: Record<string, unknown>): Simulation {
  const s = Simulation.create({ seed: 2 });
  startComponents(s, { kubelet });
  s.apply({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, status: { capacity: { cpu: '4', memory: '8Gi' } } });
  const pod = (name: string, ns: string, extra: Record<string, unknown>, shutdown: string): KObject => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, annotations: { 'ksim.dev/shutdown-duration': shutdown } },
    spec: { nodeName: 'n1', containers: [{ name: 'app', image: 'nginx:1.27' }], ...extra },
  });
  s.apply(pod('web', 'default', {}, '3s'));
  s.apply(pod('agent', 'kube-system', { priorityClassName: 'system-node-critical' }, '1s'));
  s.runUntil(5000);
  s.store.patch('Node', '', 'n1', (d: KObject) => {
    d.metadata.annotations = { ...(d.metadata.annotations ?? {}), 'ksim.dev/kubelet': 'stopped' };
  });
  return s;
}

const get = (s: Simulation, ns: string, name: string) => s.get('Pod', ns, name) as (Pod & KObject) | undefined;

describe('graceful node shutdown', () => {
  it('derives the two priority groups from the configuration', () => {
    expect(shutdownGroups(defaultKubeletConfiguration({ shutdownGracePeriod: '30s', shutdownGracePeriodCriticalPods: '10s' }))).toEqual({ nonCritical: 20_000, critical: 10_000 });
    expect(shutdownGroups(defaultKubeletConfiguration({}))).toBeUndefined();
  });

  it('kills regular pods first, critical pods after them, with upstream\'s reason, message and DisruptionTarget', () => {
    const s = setup({ shutdownGracePeriod: '30s', shutdownGracePeriodCriticalPods: '10s' });
    expect(get(s, 'default', 'web')?.status?.phase).toBe('Running');
    s.runUntil(5100);
    const web = get(s, 'default', 'web')!;
    expect([web.status?.phase, web.status?.reason, web.status?.message]).toEqual(['Failed', 'Terminated', 'Pod was terminated in response to imminent node shutdown.']);
    expect(web.status?.conditions?.find((c) => c.type === 'DisruptionTarget')).toMatchObject({ status: 'True', reason: 'TerminationByKubelet' });
    expect(web.status?.containerStatuses?.[0]?.state?.terminated?.exitCode).toBe(143);
    // The critical pod waits until the regular ones have stopped (3s).
    expect(get(s, 'kube-system', 'agent')?.status?.phase).toBe('Running');
    s.runUntil(8100);
    expect(get(s, 'kube-system', 'agent')?.status?.reason).toBe('Terminated');
  });

  it('without shutdownGracePeriod the stop stays abrupt: pods keep their last status', () => {
    const s = setup({});
    s.runUntil(10_000);
    expect(get(s, 'default', 'web')?.status?.phase).toBe('Running');
    expect(get(s, 'default', 'web')?.status?.reason).toBeUndefined();
  });
});
