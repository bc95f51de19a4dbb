/** Small clusters for the node health, taint eviction and pod GC tests. */
import type { Node, Pod, Toleration } from 'kubernetes-types/core/v1';
import { Simulation } from '../../src/sim/simulation.ts';
import { startComponents, type ClusterConfig } from '../../src/components.ts';
import type { KObject } from '../../src/sim/types.ts';

export type NodeObj = Node & KObject;
export type PodObj = Pod & KObject;

export function node(name: string, labels: Record<string, string> = {}): KObject {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name, labels }, status: { capacity: { cpu: '4', memory: '8Gi', pods: '110' } } };
}

export function pod(name: string, nodeName: string | undefined, opts: { tolerations?: Toleration[]; grace?: number; namespace?: string; annotations?: Record<string, string> } = {}): KObject {
  const spec: Record<string, unknown> = { containers: [{ name: 'app', image: 'nginx:1.27' }] };
  if (nodeName) spec['nodeName'] = nodeName;
  if (opts.tolerations) spec['tolerations'] = opts.tolerations;
  if (opts.grace !== undefined) spec['terminationGracePeriodSeconds'] = opts.grace;
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: opts.namespace ?? 'default', ...(opts.annotations ? { annotations: opts.annotations } : {}) }, spec };
}

export function cluster(nodes: KObject[], config: ClusterConfig = {}, seed = 1): Simulation {
  const sim = Simulation.create({ seed });
  startComponents(sim, config);
  sim.apply(nodes);
  return sim;
}

export function stopKubelet(sim: Simulation, name: string): void {
  sim.store.patch('Node', '', name, (d: KObject) => {
    d.metadata.annotations = { ...(d.metadata.annotations ?? {}), 'ksim.dev/kubelet': 'stopped' };
  });
}

export function startKubelet(sim: Simulation, name: string): void {
  sim.store.patch('Node', '', name, (d: KObject) => {
    delete d.metadata.annotations?.['ksim.dev/kubelet'];
  });
}

export const getNode = (sim: Simulation, name: string) => sim.get<NodeObj>('Node', '', name);
export const getPod = (sim: Simulation, name: string, ns = 'default') => sim.get<PodObj>('Pod', ns, name);
export const ready = (sim: Simulation, name: string) => getNode(sim, name)?.status?.conditions?.find((c) => c.type === 'Ready');
export const taintsOf = (sim: Simulation, name: string) => (getNode(sim, name)?.spec?.taints ?? []).map((t) => `${t.key}:${t.effect}`);
export const eventsOf = (sim: Simulation, reason: string) => sim.events().filter((e) => e.reason === reason);
