import { Simulation } from '../../src/sim/simulation.ts';
import { startComponents } from '../../src/components.ts';
import type { KObject } from '../../src/sim/types.ts';

export function node(name: string, cpu = '8', pods = '110'): KObject {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name }, status: { capacity: { cpu, memory: '32Gi', pods } } };
}

export function cluster(nodes = 2, seed = 7, cpu = '8'): Simulation {
  const sim = Simulation.create({ seed });
  startComponents(sim, {});
  for (let i = 0; i < nodes; i++) sim.apply(node(`node-${i}`, cpu));
  return sim;
}

export const template = (labels: Record<string, string>, image = 'nginx:1.27', cpu = '100m'): Record<string, unknown> => ({
  metadata: { labels },
  spec: { containers: [{ name: 'app', image, resources: { requests: { cpu } } }] },
});

export function replicaSet(name: string, replicas: number, labels: Record<string, string> = { app: name }, extra: Record<string, unknown> = {}): KObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace: 'default' },
    spec: { replicas, selector: { matchLabels: labels }, template: template(labels), ...extra },
  } as KObject;
}

export function deployment(name: string, replicas: number, extra: Record<string, unknown> = {}, image = 'nginx:1.27'): KObject {
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: { replicas, selector: { matchLabels: labels }, template: template(labels, image), ...extra },
  } as KObject;
}

export type PodLike = KObject & { spec?: { nodeName?: string }; status?: { phase?: string; conditions?: Array<{ type: string; status: string }> } };

export const podsOf = (sim: Simulation, pred: (p: PodLike) => boolean = () => true): PodLike[] => (sim.list('Pod', 'default') as PodLike[]).filter(pred);
export const running = (p: PodLike): boolean => p.status?.phase === 'Running' && !p.metadata.deletionTimestamp;
export const eventsFor = (sim: Simulation, name: string): string[] => sim.events().filter((e) => e.involvedObject.name === name).map((e) => `${e.reason} ${e.message}`);
