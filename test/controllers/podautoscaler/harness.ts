/**
 * A small cluster for HPA controller tests: the API server, the HPA and
 * ReplicaSet controllers, and two stand-ins so the tests do not depend on the
 * scheduler and kubelet: a "kubelet" that makes every new pod Running and
 * Ready `startup` ms after creation, and a "metrics-server" that every 15 s
 * writes metrics.k8s.io PodMetrics for Running pods, each using
 * `perPodCpu(t, runningPods)` millicores.
 */
import { Simulation } from '../../../src/sim/simulation.ts';
import { startApiServer } from '../../../src/components.ts';
import { horizontalControllerFor } from '../../../src/controllers/podautoscaler/horizontalController.ts';
import type { HpaControllerConfig } from '../../../src/controllers/podautoscaler/config.ts';
import { replicaSetControllersFor } from '../../../src/workloads/replicaset/index.ts';
import { Priority, type KObject } from '../../../src/sim/types.ts';
import type { CustomMetricsApi } from '../../../src/controllers/podautoscaler/metricsClient.ts';

export interface HarnessOptions {
  seed?: number;
  replicas?: number;
  cpuRequest?: string;
  hpa: Record<string, unknown>;
  hpaApiVersion?: 'autoscaling/v2' | 'autoscaling/v1';
  /** Millicores each Running pod uses at virtual time t. */
  perPodCpu: (t: number, runningPods: number) => number;
  startup?: number;
  config?: HpaControllerConfig;
  customMetrics?: CustomMetricsApi;
  /** false: no API server admission (to store an HPA upstream's validation would reject, as upstream's fake-client tests do). */
  apiServer?: boolean;
}

type PodObj = KObject & { status?: Record<string, unknown> & { phase?: string } };

export function harness(o: HarnessOptions): Simulation {
  const sim = Simulation.create({ seed: o.seed ?? 1 });
  if (o.apiServer === false) sim.store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  else startApiServer(sim);
  sim.runtime.register(horizontalControllerFor(sim, { ...(o.config ?? {}), ...(o.customMetrics ? { customMetrics: o.customMetrics } : {}) }));
  for (const c of replicaSetControllersFor(sim)) sim.runtime.register(c);
  const startup = o.startup ?? 2_000;
  sim.store.watch('Pod', (ev) => {
    if (ev.type !== 'ADDED') return;
    const name = ev.object.metadata.name ?? '';
    sim.engine.after(
      startup,
      () => {
        const p = sim.store.get<PodObj>('Pod', 'default', name);
        if (!p || p.metadata.deletionTimestamp) return;
        const ts = sim.timestamp();
        sim.store.patch<PodObj>(
          'Pod',
          'default',
          name,
          (d) => {
            d['status'] = { phase: 'Running', startTime: ts, conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: ts }] };
          },
          { subresource: 'status', actor: 'fake-kubelet' },
        );
      },
      { priority: Priority.Kubelet, source: 'fake-kubelet' },
    );
  });
  const tick = (): void => {
    const pods = sim.store.list<PodObj>('Pod', 'default').filter((p) => p.status?.phase === 'Running' && !p.metadata.deletionTimestamp);
    const each = Math.round(o.perPodCpu(sim.now, pods.length));
    for (const p of pods) {
      const m: KObject = {
        apiVersion: 'metrics.k8s.io/v1beta1',
        kind: 'PodMetrics',
        metadata: { name: p.metadata.name ?? '', namespace: 'default' },
        timestamp: sim.timestamp(),
        window: '15s',
        containers: [{ name: 'app', usage: { cpu: `${each}m`, memory: '10Mi' } }],
      };
      if (sim.store.get('PodMetrics', 'default', p.metadata.name ?? '')) sim.store.update(m, { actor: 'fake-metrics-server' });
      else sim.store.create(m, { actor: 'fake-metrics-server' });
    }
    sim.engine.after(15_000, tick, { priority: Priority.Periodic, source: 'fake-metrics-server', periodic: true });
  };
  sim.engine.after(15_000, tick, { priority: Priority.Periodic, source: 'fake-metrics-server', periodic: true });
  const labels = { app: 'web' };
  sim.apply({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas: o.replicas ?? 1,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'php', resources: { requests: { cpu: o.cpuRequest ?? '200m' } } }] } },
    },
  } as KObject);
  sim.apply({
    apiVersion: o.hpaApiVersion ?? 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web', namespace: 'default' },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web' }, ...o.hpa },
  } as KObject);
  return sim;
}

export const cpuTarget = (pct: number): Record<string, unknown>[] => [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: pct } } }];

export interface HpaView {
  status?: {
    currentReplicas?: number;
    desiredReplicas?: number;
    lastScaleTime?: string;
    observedGeneration?: number;
    currentCPUUtilizationPercentage?: number;
    currentMetrics?: Array<{ type: string; resource?: { name: string; current: { averageUtilization?: number; averageValue?: string } } }>;
    conditions?: Array<{ type: string; status: string; reason?: string; message?: string }>;
  };
}

export const hpaOf = (sim: Simulation): HpaView => sim.get('HorizontalPodAutoscaler', 'default', 'web') as unknown as HpaView;
export const replicasOf = (sim: Simulation): number => (sim.get('ReplicaSet', 'default', 'web') as { spec?: { replicas?: number } } | undefined)?.spec?.replicas ?? 0;
export const condition = (sim: Simulation, type: string): { status: string; reason?: string; message?: string } | undefined => hpaOf(sim).status?.conditions?.find((c) => c.type === type);
export const hpaEvents = (sim: Simulation): string[] => sim.events().filter((e) => e.involvedObject.kind === 'HorizontalPodAutoscaler').map((e) => `${e.reason}: ${e.message}`);

/** spec.replicas sampled every `step` ms up to `until`. */
export function trace(sim: Simulation, until: number, step = 15_000): number[] {
  const out: number[] = [];
  for (let t = step; t <= until; t += step) {
    sim.runUntil(t);
    out.push(replicasOf(sim));
  }
  return out;
}
