/**
 * The "spec.nodeName" pod indexer that the node lifecycle, taint eviction
 * and pod GC controllers add to their pod informers
 * (getPodsAssignedToNode): pods by the node they are bound to, kept up to
 * date from informer events so no controller scans every pod. A neutral
 * helper over Pod objects: it knows no controller.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { KObject, Lister, Runtime, Stored } from '../sim/types.ts';

export type PodObj = Pod & KObject;

function podKey(p: Stored<PodObj>): string {
  return `${p.metadata.namespace ?? ''}/${p.metadata.name ?? ''}`;
}

/**
 * The map key of a pod: its uid, a string the store already holds (hashed
 * once), where "namespace/name" would build and hash a new string on every
 * watch event of every pod (this index sees them all, three times over).
 * Names are unique among live pods, and so are uids.
 */
function uidOf(p: Stored<PodObj>): string {
  return p.metadata.uid ?? podKey(p);
}

/** The informer cache the index is fed from: the newest version of a pod it has delivered. */
export type PodCacheGet = (namespace: string, name: string) => Stored<PodObj> | undefined;

export class PodNodeIndex {
  /** node name -> pod uid -> pod (a version of it: the newest with `cache`); insertion order follows event order, which is deterministic. */
  private readonly byNode = new Map<string, Map<string, Stored<PodObj>>>();
  /** Told each node name that gets its first pod filed (again, after it had none): see onNodeAdded. */
  private readonly nodeAdded: ((node: string) => void)[] = [];

  /**
   * With `cache` (the informer the index is fed from), an update that keeps the
   * pod on its node changes nothing here: podsOn reads each filed pod's newest
   * version from the cache, which every handler of a delivered event sees
   * already updated. Why: three controllers index every pod, and each pod
   * write cost each of them two map operations (5,000 status writes a minute).
   */
  constructor(private readonly cache?: PodCacheGet) {}

  add(p: Stored<PodObj>): void {
    const node = p.spec?.nodeName;
    if (!node) return;
    let m = this.byNode.get(node);
    if (!m) {
      this.byNode.set(node, (m = new Map()));
      for (let i = 0; i < this.nodeAdded.length; i++) this.nodeAdded[i]!(node);
    }
    m.set(uidOf(p), p);
  }

  /**
   * Call `fn` with each node that joins the index's nodes from now on (its first pod filed, or its first
   * again after it had none), as it joins: a reader can then follow the set of nodes without walking it.
   */
  onNodeAdded(fn: (node: string) => void): void {
    this.nodeAdded.push(fn);
  }

  /** Whether any pod is filed under `node`. */
  hasNode(node: string): boolean {
    return this.byNode.has(node);
  }

  update(old: Stored<PodObj> | undefined, p: Stored<PodObj>): void {
    if (old && old.spec?.nodeName !== p.spec?.nodeName) this.delete(old);
    else if (old && this.cache) return; // filed under the same node (or none): podsOn reads the newest version
    this.add(p);
  }

  delete(p: Stored<PodObj>): void {
    const node = p.spec?.nodeName;
    if (!node) return;
    const m = this.byNode.get(node);
    if (!m) return;
    m.delete(uidOf(p));
    if (m.size === 0) this.byNode.delete(node);
  }

  /** Pods bound to `node`, sorted by namespace/name. */
  podsOn(node: string): Stored<PodObj>[] {
    const m = this.byNode.get(node);
    if (!m) return [];
    const cache = this.cache;
    const keyed = [...m.values()].map((filed) => {
      const p = cache ? (cache(filed.metadata.namespace ?? '', filed.metadata.name ?? '') ?? filed) : filed;
      return { key: podKey(p), p };
    });
    keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return keyed.map((x) => x.p);
  }

  /** Visit each node that has at least one pod bound to it, in the order nodes first got one (not sorted). */
  forEachNode(fn: (node: string) => void): void {
    for (const node of this.byNode.keys()) fn(node);
  }

  /** Names of nodes that have at least one pod bound to them, sorted. */
  nodeNames(): string[] {
    return [...this.byNode.keys()].sort();
  }
}

/** The one index of each runtime's Pod informer (see sharedPodNodeIndex). */
const shared = new WeakMap<Runtime, PodNodeIndex>();

/**
 * The Pod informer's "spec.nodeName" index, one per runtime: upstream adds the
 * indexer to the shared pod informer once (AddPodNodeNameIndexer returns when
 * it is already there) and the node lifecycle, taint eviction and pod GC
 * controllers all read that one. It is filed by a handler of its own on the
 * shared Pod cache, registered by the first controller that asks, before that
 * controller's handlers; the controllers read it only in their own events
 * (monitor passes, work queues, GC passes), never inside another handler's
 * delivery, so each reads what its own index fed the same events would hold.
 * Why: three indexes filed and unfiled every pod of a churn run three times.
 */
export function sharedPodNodeIndex(rt: Runtime): PodNodeIndex {
  let index = shared.get(rt);
  if (index === undefined) {
    let pods: Lister<PodObj> | undefined;
    const made = new PodNodeIndex((ns, name) => pods!.get(ns, name));
    pods = rt.informer<PodObj>(
      'Pod',
      {
        onAdd: (p) => made.add(p),
        onUpdate: (o, p) => made.update(o, p),
        onDelete: (p) => made.delete(p),
      },
      'pod-node-index',
    );
    shared.set(rt, made);
    index = made;
  }
  return index;
}
