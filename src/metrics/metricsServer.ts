/**
 * metrics-server: every `metric-resolution` (15 s by default) it scrapes each
 * kubelet's /metrics/resource (here: the endpoint registry in src/sim, which
 * kubelets publish to — no component imports another) and serves the
 * Resource Metrics API, metrics.k8s.io/v1beta1, as objects readable through
 * the store:
 *
 *   PodMetrics  (namespaced; name = the pod's) {timestamp, window,
 *               containers: [{name, usage: {cpu, memory}}]}
 *   NodeMetrics (cluster-scoped; name = the node's) {timestamp, window,
 *               usage: {cpu, memory}}
 *
 * CPU is in nanocores ("250000000n"), memory in KiB ("262144Ki"), as
 * metrics-server renders them. Only Running pods the kubelet reports are
 * served, and only nodes whose kubelet has something to report: a pod
 * without a load model has no usage data, exactly as a pod metrics-server
 * has not scraped yet; objects for pods and nodes that stop reporting are
 * deleted. Without any load model nothing is ever scraped or written.
 */
import type { KObject, Stored, Time } from '../sim/types.ts';
import { Priority } from '../sim/types.ts';
import type { Component, Simulation } from '../sim/simulation.ts';
import { endpointsOf } from '../sim/endpoints.ts';
import { ApiError } from '../sim/errors.ts';
import { parseDuration, formatDuration } from '../api/duration.ts';

export const METRICS_API_VERSION = 'metrics.k8s.io/v1beta1';
export const DEFAULT_METRIC_RESOLUTION = 15_000;

export interface ResourceUsage {
  cpu: string;
  memory: string;
}

export interface PodMetrics extends KObject {
  apiVersion: typeof METRICS_API_VERSION;
  kind: 'PodMetrics';
  timestamp: string;
  window: string;
  containers: Array<{ name: string; usage: ResourceUsage }>;
}

export interface NodeMetrics extends KObject {
  apiVersion: typeof METRICS_API_VERSION;
  kind: 'NodeMetrics';
  timestamp: string;
  window: string;
  usage: ResourceUsage;
}

/** What a kubelet serves (src/kubelet/stats.ts ResourceMetrics; repeated here so neither imports the other). */
interface ScrapedMetrics {
  nodeName: string;
  time: Time;
  node: { cpu: number; memory: number };
  pods: Array<{ namespace: string; name: string; time: Time; containers: Array<{ name: string; cpu: number; memory: number }> }>;
}

export interface MetricsServerConfig {
  /** --metric-resolution, a Go duration; default 15s. */
  metricResolution?: string;
}

/** CPU cores as metrics-server renders them: integer nanocores. */
export function formatCPU(cores: number): string {
  return `${Math.round(cores * 1e9)}n`;
}

/** Memory bytes as metrics-server renders them: KiB, rounded down. */
export function formatMemory(bytes: number): string {
  return `${Math.floor(bytes / 1024)}Ki`;
}

const ACTOR = 'metrics-server';

class MetricsServer {
  /** What we wrote last, so unchanged objects are not rewritten beyond their timestamp. */
  private readonly podKeys = new Set<string>();
  private readonly nodeKeys = new Set<string>();

  constructor(
    private readonly sim: Simulation,
    private readonly resolution: Time,
  ) {}

  start(): void {
    const tick = (): void => {
      this.scrape();
      this.sim.engine.after(this.resolution, tick, { priority: Priority.Periodic, source: 'metrics-server', periodic: true });
    };
    this.sim.engine.after(this.resolution, tick, { priority: Priority.Periodic, source: 'metrics-server', periodic: true });
  }

  private scrape(): void {
    const endpoints = endpointsOf(this.sim);
    const paths = endpoints.list('kubelet/', '/metrics/resource');
    const seenPods = new Set<string>();
    const seenNodes = new Set<string>();
    const window = formatDuration(this.resolution);
    for (const path of paths) {
      const m = endpoints.get<ScrapedMetrics>(path);
      if (!m || m.pods.length === 0) continue;
      const timestamp = this.sim.timestamp(m.time);
      seenNodes.add(m.nodeName);
      this.put<NodeMetrics>({
        apiVersion: METRICS_API_VERSION,
        kind: 'NodeMetrics',
        metadata: { name: m.nodeName },
        timestamp,
        window,
        usage: { cpu: formatCPU(m.node.cpu), memory: formatMemory(m.node.memory) },
      });
      for (const p of m.pods) {
        // Only pods the API server still shows as Running are served.
        const pod = this.sim.store.get('Pod', p.namespace, p.name) as { status?: { phase?: string } } | undefined;
        if (pod?.status?.phase !== 'Running') continue;
        const key = `${p.namespace}/${p.name}`;
        seenPods.add(key);
        this.put<PodMetrics>({
          apiVersion: METRICS_API_VERSION,
          kind: 'PodMetrics',
          metadata: { name: p.name, namespace: p.namespace },
          timestamp,
          window,
          containers: p.containers.map((c) => ({ name: c.name, usage: { cpu: formatCPU(c.cpu), memory: formatMemory(c.memory) } })),
        });
      }
    }
    for (const key of [...this.podKeys].sort()) {
      if (seenPods.has(key)) continue;
      const [ns, name] = key.split('/') as [string, string];
      this.remove('PodMetrics', ns, name);
      this.podKeys.delete(key);
    }
    for (const name of [...this.nodeKeys].sort()) {
      if (seenNodes.has(name)) continue;
      this.remove('NodeMetrics', '', name);
      this.nodeKeys.delete(name);
    }
    for (const k of seenPods) this.podKeys.add(k);
    for (const k of seenNodes) this.nodeKeys.add(k);
  }

  private put<T extends KObject>(obj: T): void {
    const ns = obj.metadata.namespace ?? '';
    const name = obj.metadata.name ?? '';
    const store = this.sim.store;
    try {
      const cur = store.get<T>(obj.kind, ns, name) as Stored<T> | undefined;
      if (!cur) {
        store.create(obj, { actor: ACTOR });
        return;
      }
      store.patch<T>(obj.kind, ns, name, (d) => {
        const draft = d as Record<string, unknown>;
        for (const k of Object.keys(obj)) if (k !== 'metadata' && k !== 'apiVersion' && k !== 'kind') draft[k] = (obj as Record<string, unknown>)[k];
      }, { actor: ACTOR });
    } catch (err) {
      // A namespace being deleted: the pod is going too.
      if (!(err instanceof ApiError)) throw err;
    }
  }

  private remove(kind: string, ns: string, name: string): void {
    try {
      this.sim.store.delete(kind, ns, name, { actor: ACTOR });
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
    }
  }
}

export function createMetricsServer(config: MetricsServerConfig = {}): Component {
  return {
    name: 'metrics-server',
    start(sim: Simulation) {
      const resolution = config.metricResolution ? parseDuration(config.metricResolution) : DEFAULT_METRIC_RESOLUTION;
      new MetricsServer(sim, resolution > 0 ? resolution : DEFAULT_METRIC_RESOLUTION).start();
    },
  };
}
