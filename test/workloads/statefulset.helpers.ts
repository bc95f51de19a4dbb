import type { Pod } from 'kubernetes-types/core/v1';
import type { StatefulSet } from 'kubernetes-types/apps/v1';
import { Simulation } from '../../src/sim/simulation.ts';
import { startComponents } from '../../src/components.ts';
import type { KObject } from '../../src/sim/types.ts';

export function node(name: string, extra: { labels?: Record<string, string>; taints?: unknown[] } = {}): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...(extra.labels ?? {}) } },
    spec: extra.taints ? { taints: extra.taints } : {},
    status: { capacity: { cpu: '8', memory: '16Gi', pods: '110' } },
  };
}

export function statefulSet(name: string, spec: Record<string, unknown> = {}, image = 'nginx:1.27'): KObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name, namespace: 'default' },
    spec: {
      serviceName: name,
      replicas: 3,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image }] } },
      ...spec,
    },
  };
}

export function cluster(nodes = 2, seed = 1, config: Record<string, unknown> = {}): Simulation {
  const sim = Simulation.create({ seed });
  startComponents(sim, config);
  for (let i = 0; i < nodes; i++) sim.apply(node(`n${i}`));
  return sim;
}

export const setOf = (sim: Simulation, name: string) => sim.get('StatefulSet', 'default', name) as (StatefulSet & KObject) | undefined;
export const podsOf = (sim: Simulation, prefix: string) =>
  (sim.list('Pod', 'default') as Array<Pod & KObject>).filter((p) => (p.metadata.name ?? '').startsWith(`${prefix}-`));
export const podNames = (sim: Simulation, prefix: string) => podsOf(sim, prefix).map((p) => p.metadata.name);
