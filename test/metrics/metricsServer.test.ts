/** metrics-server: PodMetrics/NodeMetrics (metrics.k8s.io/v1beta1) through the store, scraped from the kubelets. */
import { describe, expect, it } from 'vitest';
import { boundPod, cluster, node } from '../kubelet/helpers.ts';
import { formatCPU, formatMemory } from '../../src/metrics/metricsServer.ts';
import { kindInfo } from '../../src/api/discovery.ts';

const web = (replicas: number) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default' },
  spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } } },
});

describe('metrics-server', () => {
  it('serves PodMetrics and NodeMetrics every metric resolution, with nanocores and KiB', () => {
    const sim = cluster([{ namespace: 'default', selector: { matchLabels: { app: 'api' } }, cpu: '250m', memory: { type: 'ramp', from: '100Mi', to: '200Mi', duration: '10m' } }]);
    sim.apply(node('n1'));
    sim.apply(boundPod('api', 'n1'));
    sim.apply(boundPod('other', 'n1'));
    sim.runUntil(14_999);
    expect(sim.list('PodMetrics')).toEqual([]);
    sim.runUntil(15_000);
    const pm = sim.get('PodMetrics', 'default', 'api');
    expect(pm).toMatchObject({
      apiVersion: 'metrics.k8s.io/v1beta1',
      kind: 'PodMetrics',
      metadata: { name: 'api', namespace: 'default' },
      // The kubelet's last housekeeping (10s) is what metrics-server scrapes.
      timestamp: '2025-01-01T00:00:10Z',
      window: '15s',
      containers: [{ name: 'app', usage: { cpu: '250000000n', memory: `${Math.floor((Math.round(((100 + 100 * (10 / 600)) * 2 ** 20) / 4096) * 4096) / 1024)}Ki` } }],
    });
    // Pods no load model drives have no usage data.
    expect(sim.get('PodMetrics', 'default', 'other')).toBeUndefined();
    expect(sim.get('NodeMetrics', '', 'n1')).toMatchObject({ kind: 'NodeMetrics', window: '15s', usage: { cpu: '250000000n' } });
    expect(kindInfo('PodMetrics')).toMatchObject({ group: 'metrics.k8s.io', versions: ['v1beta1'], namespaced: true });
    expect(kindInfo('NodeMetrics')?.modelled).toBeUndefined();
  });

  it('only Running pods are served; a deleted pod’s metrics go away', () => {
    const sim = cluster([{ namespace: 'default', selector: { matchLabels: { app: 'api' } }, cpu: '1' }]);
    sim.apply(node('n1'));
    sim.apply(boundPod('api', 'n1'));
    sim.runUntil(30_000);
    expect(sim.get('PodMetrics', 'default', 'api')).toBeDefined();
    sim.store.delete('Pod', 'default', 'api', { gracePeriodSeconds: 0 });
    sim.runUntil(60_000);
    expect(sim.get('PodMetrics', 'default', 'api')).toBeUndefined();
    expect(sim.get('NodeMetrics', '', 'n1')).toBeUndefined();
  });

  it('a demand is shared among the workload’s Ready pods: twice the pods, half the CPU each', () => {
    const load = [{ workload: { kind: 'Deployment', name: 'web' }, demand: { requests: 1000, cpuPerRequest: '1m', baseCpu: '100m' } }];
    const cpuAt = (replicas: number): string[] => {
      const sim = cluster(load);
      sim.apply(node('n1', { cpu: '32', memory: '64Gi', pods: '110' }));
      // The Deployment's controller creates the pods and the scheduler places them.
      sim.apply(web(replicas));
      sim.runUntil(45_000);
      return sim.list('PodMetrics').filter((m) => m.metadata.name?.startsWith('web-')).map((m) => (m as unknown as { containers: Array<{ usage: { cpu: string } }> }).containers[0]!.usage.cpu);
    };
    expect(cpuAt(2)).toEqual([formatCPU(0.1 + 0.5), formatCPU(0.1 + 0.5)]);
    expect(cpuAt(4)).toEqual(Array(4).fill(formatCPU(0.1 + 0.25)));
  });

  it('a pod that is not Ready gets no share of the demand, only its base usage', () => {
    const load = [{ namespace: 'default', selector: { matchLabels: { app: 'web' } }, demand: { requests: 1000, cpuPerRequest: '1m', baseCpu: '100m' } }];
    const sim = cluster(load);
    sim.apply(node('n1', { cpu: '32', memory: '64Gi', pods: '110' }));
    sim.apply(boundPod('ready', 'n1', { labels: { app: 'web' } }));
    sim.apply(boundPod('warming', 'n1', { labels: { app: 'web' }, container: { readinessProbe: { exec: { command: ['true'] }, initialDelaySeconds: 120 } } }));
    sim.runUntil(45_000);
    const cpu = (name: string) => (sim.get('PodMetrics', 'default', name) as unknown as { containers: Array<{ usage: { cpu: string } }> }).containers[0]!.usage.cpu;
    expect([cpu('ready'), cpu('warming')]).toEqual([formatCPU(1.1), formatCPU(0.1)]);
    sim.runUntil(150_000);
    expect([cpu('ready'), cpu('warming')]).toEqual([formatCPU(0.6), formatCPU(0.6)]);
  });

  it('renders quantities as metrics-server does', () => {
    expect(formatCPU(0.0015)).toBe('1500000n');
    expect(formatMemory(1536)).toBe('1Ki');
  });
});
