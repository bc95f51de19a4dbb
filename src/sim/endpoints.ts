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
  private readonly listed = new Map<string, Listing>();
  /**
   * The listing returned last and the position in it after the last get() that followed it: a scraper
   * lists, then gets each path in the listing's order, and at 5,000 nodes probing the 10,000-entry handler
   * map for each (a cache miss or more a probe) was ~0.6% of a day's run. A get() of the path at that
   * position takes its handler from the listing instead; any other path is looked up. Every
   * (un)registration drops the listings, so a listing's handlers are the registered ones.
   */
  private cursorListing: Listing = EMPTY_LISTING;
  private cursor = 0;

  register<T>(path: string, handler: EndpointHandler<T>): () => void {
    this.handlers.set(path, handler);
    this.changed();
    return () => {
      if (this.handlers.get(path) === handler) {
        this.handlers.delete(path);
        this.changed();
      }
    };
  }

  private changed(): void {
    this.listed.clear();
    this.cursorListing = EMPTY_LISTING;
    this.cursor = 0;
  }

  /** Registered paths starting with prefix and ending with suffix, sorted (deterministic scrape order). */
  list(prefix = '', suffix = ''): readonly string[] {
    const key = `${prefix}\u0000${suffix}`;
    let listing = this.listed.get(key);
    if (listing === undefined) {
      const paths = Object.freeze([...this.handlers.keys()].filter((p) => p.startsWith(prefix) && p.endsWith(suffix)).sort());
      listing = { paths, handlers: paths.map((p) => this.handlers.get(p)!) };
      this.listed.set(key, listing);
    }
    this.cursorListing = listing;
    this.cursor = 0;
    return listing.paths;
  }

  /** Call the handler at path; undefined when nothing serves it (a stopped or deleted kubelet). */
  get<T>(path: string): T | undefined {
    const listing = this.cursorListing;
    const i = this.cursor;
    let h: EndpointHandler | undefined;
    if (i < listing.paths.length && listing.paths[i] === path) {
      h = listing.handlers[i];
      this.cursor = i + 1;
    } else h = this.handlers.get(path);
    return h ? (h() as T) : undefined;
  }
}

/** A list() answer and the handlers of its paths, in the same order. */
interface Listing {
  readonly paths: readonly string[];
  readonly handlers: readonly EndpointHandler[];
}

const EMPTY_LISTING: Listing = Object.freeze({ paths: Object.freeze([]), handlers: Object.freeze([]) });

const registries = new WeakMap<object, EndpointRegistry>();

/** The endpoint registry of a simulation (created on first use). */
export function endpointsOf(sim: object): EndpointRegistry {
  let r = registries.get(sim);
  if (!r) registries.set(sim, (r = new EndpointRegistry()));
  return r;
}
