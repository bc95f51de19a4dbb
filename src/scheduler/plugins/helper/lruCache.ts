/**
 * A small least-recently-used cache of per-plugin incremental state, keyed by
 * everything that determines that state (selector, namespace, ...). Plugins
 * keep a handful of these so that workloads alternating between a few pod
 * shapes reuse their counts instead of recounting every node each cycle.
 */
export class LruCache<V> {
  private readonly entries = new Map<string, V>();
  constructor(private readonly capacity = 32) {}

  /** The entry for `key`, made with `make` on a miss; evicts the least recently used when full. */
  get(key: string, make: () => V): V {
    let e = this.entries.get(key);
    if (e !== undefined) this.entries.delete(key);
    else {
      e = make();
      if (this.entries.size >= this.capacity) {
        const oldest = this.entries.keys().next().value;
        if (oldest !== undefined) this.entries.delete(oldest);
      }
    }
    this.entries.set(key, e);
    return e;
  }
}
