/**
 * A neutral seam for components that, in Kubernetes, talk over HTTP rather
 * than through the API server: a kubelet serves /metrics/resource and
 * /stats/summary, metrics-server scrapes them. Each kubelet registers a
 * handler under its path ("kubelet/<node>/metrics/resource"); a scraper lists
 * the paths under a prefix and calls them. No component imports another.
 *
 * One registry per Simulation, found with endpointsOf(sim); handlers are
 * synchronous and must not change the cluster (they are reads).
 */
export type EndpointHandler<T = unknown> = () => T;

export class EndpointRegistry {
  private readonly handlers = new Map<string, EndpointHandler>();
  /**
   * list()'s answers by prefix, until the next (un)registration: metrics-server
   * asks for the same prefix every 15 s, and at 5,000 nodes filtering 10,000
   * paths each time was most of a scrape that found few nodes to report.
   */
  private readonly listed = new Map<string, readonly string[]>();

  register<T>(path: string, handler: EndpointHandler<T>): () => void {
    this.handlers.set(path, handler);
    this.listed.clear();
    return () => {
      if (this.handlers.get(path) === handler) {
        this.handlers.delete(path);
        this.listed.clear();
      }
    };
  }

  /** Registered paths starting with prefix and ending with suffix, sorted (deterministic scrape order). */
  list(prefix = '', suffix = ''): readonly string[] {
    const key = `${prefix}\u0000${suffix}`;
    let paths = this.listed.get(key);
    if (paths === undefined) {
      paths = Object.freeze([...this.handlers.keys()].filter((p) => p.startsWith(prefix) && p.endsWith(suffix)).sort());
      this.listed.set(key, paths);
    }
    return paths;
  }

  /** Call the handler at path; undefined when nothing serves it (a stopped or deleted kubelet). */
  get<T>(path: string): T | undefined {
    const h = this.handlers.get(path);
    return h ? (h() as T) : undefined;
  }
}

const registries = new WeakMap<object, EndpointRegistry>();

/** The endpoint registry of a simulation (created on first use). */
export function endpointsOf(sim: object): EndpointRegistry {
  let r = registries.get(sim);
  if (!r) registries.set(sim, (r = new EndpointRegistry()));
  return r;
}
