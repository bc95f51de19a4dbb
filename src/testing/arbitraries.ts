/**
 * fast-check arbitraries for clusters and workloads, composed from small
 * named pieces (quantities -> resources -> containers -> pods; labels ->
 * nodes -> clusters) so that maintainers can build their own from the parts.
 * Everything generated is a valid Kubernetes manifest that ksim's API server
 * accepts; shrinking moves towards fewer, smaller, simpler objects.
 */
import fc from 'fast-check';
import type { KObject } from '../sim/types.ts';

export const ZONES = ['zone-a', 'zone-b', 'zone-c'] as const;

/** CPU as a canonical quantity string, in steps of 50m (shrinks towards 50m). */
export const cpuQuantity = (maxMilli = 4000): fc.Arbitrary<string> =>
  fc.integer({ min: 1, max: Math.max(1, Math.floor(maxMilli / 50)) }).map((n) => {
    const milli = n * 50;
    return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
  });

/** Memory in Mi steps of 64 (shrinks towards 64Mi). */
export const memoryQuantity = (maxMi = 8192): fc.Arbitrary<string> =>
  fc.integer({ min: 1, max: Math.max(1, Math.floor(maxMi / 64)) }).map((n) => `${n * 64}Mi`);

/** Label values drawn from a small vocabulary so that selectors actually match something. */
export const appLabel: fc.Arbitrary<string> = fc.constantFrom('web', 'api', 'db', 'cache');

export const zoneLabel: fc.Arbitrary<string> = fc.constantFrom(...ZONES);

export interface ResourceRequests {
  cpu: string;
  memory: string;
}

export const resourceRequests = (opts: { maxCpuMilli?: number; maxMemoryMi?: number } = {}): fc.Arbitrary<ResourceRequests> =>
  fc.record({ cpu: cpuQuantity(opts.maxCpuMilli), memory: memoryQuantity(opts.maxMemoryMi) });

export interface NodeShape {
  cpu: string;
  memory: string;
  pods: number;
  zone: string;
}

export const nodeShape: fc.Arbitrary<NodeShape> = fc.record({
  cpu: fc.constantFrom('2', '4', '8', '16'),
  memory: fc.constantFrom('4Gi', '8Gi', '16Gi', '32Gi'),
  pods: fc.constantFrom(4, 16, 110),
  zone: zoneLabel,
});

/** A v1 Node with capacity only: the kubelet registers allocatable, as upstream. */
export function nodeManifest(name: string, shape: NodeShape, extraLabels: Record<string, string> = {}): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, 'topology.kubernetes.io/zone': shape.zone, ...extraLabels } },
    status: { capacity: { cpu: shape.cpu, memory: shape.memory, pods: String(shape.pods) } },
  };
}

export const nodes = (opts: { min?: number; max?: number } = {}): fc.Arbitrary<KObject[]> =>
  fc.array(nodeShape, { minLength: opts.min ?? 1, maxLength: opts.max ?? 8 }).map((shapes) => shapes.map((s, i) => nodeManifest(`node-${i}`, s)));

/** Scheduling constraints a generated pod may carry. */
export interface PodConstraints {
  /** Required anti-affinity to pods with the same app label, per hostname. */
  antiAffinityHostname: boolean;
  /** A DoNotSchedule zone spread constraint over pods with the same app label. */
  zoneSpreadMaxSkew: number | undefined;
  /** A node selector on zone. */
  zone: string | undefined;
}

export const podConstraints: fc.Arbitrary<PodConstraints> = fc.record({
  antiAffinityHostname: fc.boolean(),
  zoneSpreadMaxSkew: fc.option(fc.integer({ min: 1, max: 2 }), { nil: undefined }),
  zone: fc.option(zoneLabel, { nil: undefined, freq: 4 }),
});

export interface PodShape {
  app: string;
  requests: ResourceRequests;
  priority: number;
  constraints: PodConstraints;
}

export interface WorkloadOptions {
  min?: number;
  max?: number;
  /** Generate affinity, spread and selector constraints (default true). */
  constraints?: boolean;
  /** Generate priorities, which can lead to preemption (default true). */
  priorities?: boolean;
  maxCpuMilli?: number;
  maxMemoryMi?: number;
}

export const podShape = (opts: WorkloadOptions = {}): fc.Arbitrary<PodShape> =>
  fc.record({
    app: appLabel,
    requests: resourceRequests(opts),
    priority: opts.priorities === false ? fc.constant(0) : fc.constantFrom(0, 0, 100, 1000),
    constraints:
      opts.constraints === false ? fc.constant<PodConstraints>({ antiAffinityHostname: false, zoneSpreadMaxSkew: undefined, zone: undefined }) : podConstraints,
  });

/** A bare v1 Pod from a shape. Priority is set through spec.priority only when no class is needed (0). */
export function podManifest(name: string, shape: PodShape, namespace = 'default'): KObject {
  const spec: Record<string, unknown> = {
    containers: [{ name: 'main', image: `example.com/${shape.app}:1`, resources: { requests: { cpu: shape.requests.cpu, memory: shape.requests.memory } } }],
  };
  if (shape.priority !== 0) spec['priorityClassName'] = `prio-${shape.priority}`;
  const c = shape.constraints;
  if (c.zone) spec['nodeSelector'] = { 'topology.kubernetes.io/zone': c.zone };
  if (c.antiAffinityHostname) {
    spec['affinity'] = {
      podAntiAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: shape.app } }, topologyKey: 'kubernetes.io/hostname' }],
      },
    };
  }
  if (c.zoneSpreadMaxSkew !== undefined) {
    spec['topologySpreadConstraints'] = [
      { maxSkew: c.zoneSpreadMaxSkew, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: shape.app } } },
    ];
  }
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, labels: { app: shape.app } }, spec };
}

/** The PriorityClasses the generated pods may name. */
export function priorityClassManifests(): KObject[] {
  return [100, 1000].map((value) => ({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: `prio-${value}` }, value }));
}

export const pods = (opts: WorkloadOptions = {}): fc.Arbitrary<KObject[]> =>
  fc.array(podShape(opts), { minLength: opts.min ?? 1, maxLength: opts.max ?? 20 }).map((shapes) => shapes.map((s, i) => podManifest(`pod-${i}`, s)));

export interface ClusterCase {
  seed: number;
  nodes: KObject[];
  pods: KObject[];
  /** Everything to apply at time 0, PriorityClasses first. */
  objects: KObject[];
}

/** A small cluster and a workload for it: what the property tests run. */
export const cluster = (
  opts: { nodes?: { min?: number; max?: number }; pods?: WorkloadOptions } = {},
): fc.Arbitrary<ClusterCase> =>
  fc
    .record({
      seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
      nodes: nodes(opts.nodes),
      pods: pods(opts.pods),
    })
    .map((c) => ({ ...c, objects: [...priorityClassManifests(), ...c.nodes, ...c.pods] }));
