import type { Pod, Node } from 'kubernetes-types/core/v1';
import { Simulation } from '../../src/sim/simulation.ts';
import { startApiServer, startComponents, type ClusterConfig } from '../../src/components.ts';
import { createKubelets } from '../../src/kubelet/kubelet.ts';
import type { KubeletConfiguration } from '../../src/api/kubeletConfig.ts';
import type { KObject } from '../../src/sim/types.ts';
import { parseLoadSpec } from '../../src/load/index.ts';

export function node(name: string, capacity: Record<string, string> = { cpu: '4', memory: '8Gi', pods: '110' }, extra: Partial<Node> = {}): KObject {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name, ...(extra.metadata ?? {}) }, status: { capacity, ...(extra.status ?? {}) } } as KObject;
}

export interface PodOpts {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  requests?: Record<string, string>;
  limits?: Record<string, string>;
  restartPolicy?: string;
  priority?: number;
  image?: string;
  imagePullPolicy?: string;
  container?: Record<string, unknown>;
  spec?: Record<string, unknown>;
}

export function boundPod(name: string, nodeName: string, o: PodOpts = {}): KObject {
  const resources: Record<string, unknown> = {};
  if (o.requests) resources['requests'] = o.requests;
  if (o.limits) resources['limits'] = o.limits;
  const container: Record<string, unknown> = { name: 'app', image: o.image ?? 'nginx:1.27', resources, ...(o.imagePullPolicy ? { imagePullPolicy: o.imagePullPolicy } : {}), ...(o.container ?? {}) };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: o.labels ?? { app: name }, annotations: o.annotations ?? {} },
    spec: { nodeName, restartPolicy: o.restartPolicy ?? 'Always', containers: [container], ...(o.priority !== undefined ? { priority: o.priority } : {}), ...(o.spec ?? {}) },
  } as KObject;
}

/** A cluster with the given spec.load entries (raw, as in a scenario) and config. */
export function cluster(load: unknown[] = [], config: ClusterConfig = {}, seed = 3): Simulation {
  const parsed = parseLoadSpec(load);
  if (parsed.errors.length > 0) throw new Error(JSON.stringify(parsed.errors));
  const sim = Simulation.create({ seed });
  startComponents(sim, { ...config, load: parsed.spec });
  return sim;
}

export const getPod = (sim: Simulation, name: string, ns = 'default') => sim.get('Pod', ns, name) as (Pod & KObject) | undefined;
export const getNode = (sim: Simulation, name: string) => sim.get('Node', '', name) as (Node & KObject) | undefined;
export const condition = (n: { status?: { conditions?: Array<{ type: string; status: string; reason?: string; message?: string }> } } | undefined, type: string) =>
  n?.status?.conditions?.find((c) => c.type === type);

/** Only the API server and the kubelets (no scheduler or controllers): cheap enough for property tests. */
export function kubeletsOnly(load: unknown[] = [], kubelet: Partial<KubeletConfiguration> = {}, seed = 3): Simulation {
  const parsed = parseLoadSpec(load);
  if (parsed.errors.length > 0) throw new Error(JSON.stringify(parsed.errors));
  const sim = Simulation.create({ seed });
  startApiServer(sim);
  sim.use(createKubelets({}, kubelet, { load: parsed.spec }));
  return sim;
}
