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

/**
 * A node's entry: how many pods are filed under it and, once the index keeps them (see PodNodeIndex.full),
 * the pods by uid (insertion order follows event order, which is deterministic).
 */
interface NodeSlot {
  n: number;
  pods: Map<string, Stored<PodObj>> | undefined;
}

/** Every pod the informer cache holds (its listing; the order does not matter, podsOn sorts). */
export type PodCacheList = () => readonly Stored<PodObj>[];

export class PodNodeIndex {
  /** node name -> its slot, while it has at least one pod filed; in the order nodes got their first pod (again). */
  private readonly byNode = new Map<string, NodeSlot>();
  /** Told each node name that gets its first pod filed (again, after it had none): see onNodeAdded. */
  private readonly nodeAdded: ((node: string) => void)[] = [];
  /**
   * Whether the slots hold their pods. Without `list`, always. With it, only from the first podsOn of a node
   * that has pods, which files them all from the cache's listing: until then a slot only counts its pods.
   * Why: podsOn runs only when a node turns NotReady, gets NoExecute taints or is deleted, while every pod
   * created or deleted was filed in (and unfiled from) a map of its node, which was made and dropped again
   * whenever the node went from no pods to one and back (a count is one map probe, and no map per node).
   */
  private full: boolean;

  /**
   * With `cache` (the informer the index is fed from), an update that keeps the
   * pod on its node changes nothing here: podsOn reads each filed pod's newest
   * version from the cache, which every handler of a delivered event sees
   * already updated. Why: three controllers index every pod, and each pod
   * write cost each of them two map operations (5,000 status writes a minute).
   * With `list` as well (that cache's listing), the index counts pods per node
   * until a podsOn needs them (see full): it must then be fed every event of
   * that cache and read between deliveries, as sharedPodNodeIndex's is, so
   * that each add files a pod not filed and each delete one that is.
   */
  constructor(
    private readonly cache?: PodCacheGet,
    private readonly list?: PodCacheList,
  ) {
    this.full = cache === undefined || list === undefined;
  }

  add(p: Stored<PodObj>): void {
    const node = p.spec?.nodeName;
    if (!node) return;
    let slot = this.byNode.get(node);
    if (slot === undefined) {
      this.byNode.set(node, (slot = { n: 0, pods: this.full ? new Map() : undefined }));
      for (let i = 0; i < this.nodeAdded.length; i++) this.nodeAdded[i]!(node);
    }
    const pods = slot.pods;
    if (pods === undefined) slot.n++;
    else slot.n = pods.set(uidOf(p), p).size;
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
    const slot = this.byNode.get(node);
    if (slot === undefined) return;
    const pods = slot.pods;
    if (pods === undefined) slot.n--;
    else {
      pods.delete(uidOf(p));
      slot.n = pods.size;
    }
    if (slot.n === 0) this.byNode.delete(node);
  }

  /** Pods bound to `node`, sorted by namespace/name. */
  podsOn(node: string): Stored<PodObj>[] {
    const slot = this.byNode.get(node);
    if (slot === undefined) return [];
    if (slot.pods === undefined) this.fileAll();
    const cache = this.cache;
    const keyed = [...slot.pods!.values()].map((filed) => {
      const p = cache ? (cache(filed.metadata.namespace ?? '', filed.metadata.name ?? '') ?? filed) : filed;
      return { key: podKey(p), p };
    });
    keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return keyed.map((x) => x.p);
  }

  /**
   * From counting to keeping the pods: each counted node's pods filed from the cache's listing, which holds
   * exactly the pods filed (the index was fed each of its events). A count that disagrees is a broken
   * feed: thrown rather than answered from.
   */
  private fileAll(): void {
    this.full = true;
    for (const slot of this.byNode.values()) slot.pods = new Map();
    const all = this.list!();
    for (let i = 0; i < all.length; i++) {
      const p = all[i]!;
      const node = p.spec?.nodeName;
      if (!node) continue;
      const slot = this.byNode.get(node);
      if (slot === undefined) throw new Error(`PodNodeIndex: pod ${podKey(p)} on node ${node} was not counted`);
      slot.pods!.set(uidOf(p), p);
    }
    for (const [node, slot] of this.byNode) {
      if (slot.pods!.size !== slot.n) throw new Error(`PodNodeIndex: node ${node} counted ${slot.n} pods, the cache holds ${slot.pods!.size}`);
    }
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
    const made = new PodNodeIndex(
      (ns, name) => pods!.get(ns, name),
      () => pods!.list(),
    );
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
