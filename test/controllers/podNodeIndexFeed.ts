/**
 * Shared by the PodNodeIndex property tests: a frozen pod version as the informer cache holds it, and its
 * write fed to several indexes the way the informer feeds one (the cache updated before the handlers run).
 */
import { PodNodeIndex, type PodObj } from '../../src/controllers/podNodeIndex.ts';
import type { Stored } from '../../src/sim/types.ts';

/** Pod `name` in `ns` at resourceVersion `rv`, bound to `nodeName` when given. */
export function podVersion(name: string, ns: string, uid: string, rv: number, nodeName: string | undefined): Stored<PodObj> {
  return Object.freeze({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: Object.freeze({ name, namespace: ns, uid, resourceVersion: String(rv) }),
    spec: Object.freeze(nodeName ? { containers: [], nodeName } : { containers: [] }),
  }) as unknown as Stored<PodObj>;
}

/** Write `p` under `key` into the cache, then hand it to each index as an add (no `old`) or an update. */
export function feedWrite(cache: Map<string, Stored<PodObj>>, key: string, old: Stored<PodObj> | undefined, p: Stored<PodObj>, indexes: readonly PodNodeIndex[]): void {
  cache.set(key, p); // the cache is updated before the handlers run
  for (const index of indexes) {
    if (old) index.update(old, p);
    else index.add(p);
  }
}
