/**
 * An index of one kind's objects by controller owner uid, plus the orphans
 * (no controller reference) of each namespace, fed from the same watch events
 * as the controller's informer (call observe() from a watch's toKeys). It
 * answers "the pods of this ReplicaSet" and "the orphans that might be
 * adopted" without listing every pod of a namespace on each reconcile, which
 * upstream does from its in-memory cache but which would be O(pods) per sync
 * at ksim's 150,000-pod scale. The result is the same set: a controller only
 * ever claims its own objects and orphans.
 */
import type { KObject, OwnerReference, Stored, WatchEvent } from '../../sim/types.ts';
import { getControllerOf } from './controllerRef.ts';

/**
 * The map key of an object: its uid, a string the store already holds
 * (hashed once), where "namespace/name" would build and hash a new string on
 * every watch event (several controllers keep an index over every pod). Live
 * objects of a kind have distinct uids, as they have distinct names.
 */
function keyOf(o: KObject): string {
  return o.metadata.uid ?? `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
}

/** What a lazy index reads a namespace's objects from when first asked for its orphans: the informer cache that feeds it. */
export interface OwnerIndexSource<T extends KObject> {
  /** One namespace's objects, or every namespace's (undefined). */
  list(namespace?: string): readonly Stored<T>[];
}

/** Where an object is filed: owned (by controller uid) or an orphan (by namespace), the bucket, and the references it was filed by. */
interface Filing<T extends KObject> {
  owned: boolean;
  group: string;
  refs: unknown;
  bucket: Map<string, Stored<T>>;
}

export class OwnerIndex<T extends KObject = KObject> {
  private readonly byOwner = new Map<string, Map<string, Stored<T>>>();
  private readonly orphans = new Map<string, Map<string, Stored<T>>>();
  /** Where each object is filed: the bucket and group it was added under. */
  private readonly where = new Map<string, Filing<T>>();
  /**
   * With `lazyOrphans`, the namespaces whose orphans are filed: those orphansIn
   * was asked about (filled then from the informer cache). Undefined: every
   * namespace's. Why: a batch queue's bare pods (12,500 kept by the pod GC) are
   * orphans that no controller of these kinds ever asks about, and four
   * controllers filed each of them on every pod event. The answer is the same:
   * orphansIn sorts by name, so the order the bucket was filled in does not
   * show, and a reconcile reads the cache and the index after the same
   * deliveries (both are fed by one informer, before any reconcile runs).
   */
  private readonly orphanNamespaces: Set<string> | undefined;

  /**
   * With `lazy`, nothing is filed until the index is first asked (owned or
   * orphansIn, with the informer cache as `source`); it then files the cache's
   * contents and follows every event after. For a controller that seldom asks
   * (the Deployment controller reads its ReplicaSets' pods only for the
   * Recreate strategy) the index costs nothing on the 150,000 pod events of a
   * large rollout. The buckets hold the same objects as an index fed from the
   * start (both follow one informer, and reconciles run after its deliveries);
   * only the order within a bucket can differ (cache order, not the order
   * objects came under an owner), so only for callers that do not depend on it.
   */
  private dormant: boolean;

  constructor(opts: { lazyOrphans?: boolean; lazy?: boolean } = {}) {
    this.orphanNamespaces = opts.lazyOrphans ? new Set() : undefined;
    this.dormant = opts.lazy === true;
  }

  /** A lazy index's first question: file the informer cache's contents (all namespaces). */
  private wake(source: OwnerIndexSource<T> | undefined): void {
    if (!source) throw new Error('OwnerIndex: a lazy index needs the informer cache the first time it is asked');
    this.dormant = false;
    for (const o of source.list(undefined)) {
      const key = keyOf(o);
      if (!this.where.has(key)) this.add(key, o, getControllerOf(o));
    }
  }

  private filesOrphansIn(namespace: string): boolean {
    return this.orphanNamespaces === undefined || this.orphanNamespaces.has(namespace);
  }

  /**
   * Whether observe(ev) would leave this lazyOrphans index as it is, told without a lookup in `where`: the
   * object has no ownerReferences now nor before the event, and its namespace's orphans are not filed. Such
   * an object is in no bucket: it could only be filed as owned, and the event that took its references away
   * (references before, none after) is not one of these, so it unfiled it. Why: a batch queue's bare pods
   * reach four controllers' pod watches on each of their writes, and those that have no owner in the pod's
   * namespace can answer at once (with the owners checked by the caller).
   */
  ignores(ev: WatchEvent): boolean {
    if (this.orphanNamespaces === undefined || ev.object.metadata.ownerReferences !== undefined) return false;
    if (ev.oldObject !== undefined && ev.oldObject.metadata.ownerReferences !== undefined) return false;
    return !this.orphanNamespaces.has(ev.object.metadata.namespace ?? '');
  }

  /** Apply one delivered watch event (the informer cache's view after it). */
  observe(ev: WatchEvent): void {
    if (this.dormant) return;
    const o = ev.object as Stored<T>;
    const key = keyOf(o);
    if (ev.type === 'DELETED') {
      this.remove(key);
      return;
    }
    // Most updates keep the owner: replace in place (no delete and re-insert churn in the maps).
    const refs = o.metadata.ownerReferences;
    if (ev.type === 'MODIFIED' && refs !== undefined && ev.oldObject?.metadata.ownerReferences === refs) {
      // The same (frozen) references as the version before: filed under the same controller, found in its
      // bucket (a few hundred entries) without the lookup in `where` (one entry per object: 150,000 pods).
      // Only an object that is there is replaced; anything else goes the general way below.
      const ref = getControllerOf(o);
      const m = ref === undefined ? undefined : this.byOwner.get(ref.uid);
      if (m !== undefined) {
        const size = m.size;
        m.set(key, o);
        if (m.size === size) return;
        m.delete(key);
      }
    }
    const w = this.where.get(key);
    // Stored objects are frozen: the same ownerReferences array is the same controller (status writes share it).
    if (w !== undefined && w.refs === o.metadata.ownerReferences) {
      w.bucket.set(key, o);
      return;
    }
    const ref = getControllerOf(o);
    if (w !== undefined) {
      if (w.owned === (ref !== undefined) && w.group === (ref ? ref.uid : (o.metadata.namespace ?? ''))) {
        w.bucket.set(key, o);
        w.refs = o.metadata.ownerReferences;
        return;
      }
      this.unfile(key, w);
    } else if (ref === undefined && !this.filesOrphansIn(o.metadata.namespace ?? '')) {
      // An orphan never filed, in a namespace whose orphans nobody asked for: nothing to do.
      return;
    }
    // (A new object was looked up once above: no second lookup to remove what is not there.)
    this.add(key, o, ref);
  }

  private add(key: string, o: Stored<T>, ref: OwnerReference | undefined): void {
    const owned = ref !== undefined;
    const group = ref ? ref.uid : (o.metadata.namespace ?? '');
    if (!owned && !this.filesOrphansIn(group)) return;
    const b = owned ? this.byOwner : this.orphans;
    let m = b.get(group);
    if (!m) b.set(group, (m = new Map()));
    m.set(key, o);
    // The bucket itself, kept for updates in place: it is dropped from its map only when empty, so never while filed here.
    this.where.set(key, { owned, group, refs: o.metadata.ownerReferences, bucket: m });
  }

  private remove(key: string): void {
    const w = this.where.get(key);
    if (w !== undefined) this.unfile(key, w);
  }

  private unfile(key: string, w: Filing<T>): void {
    this.where.delete(key);
    const m = w.bucket;
    m.delete(key);
    if (m.size === 0) (w.owned ? this.byOwner : this.orphans).delete(w.group);
  }

  /**
   * Objects whose controller reference has this uid, in the order they were
   * first observed under it (deterministic: watch delivery is). Not
   * sorted: a ReplicaSet syncs on every pod change, and sorting 500 names each
   * time showed in profiles.
   */
  owned(uid: string, source?: OwnerIndexSource<T>): Stored<T>[] {
    if (this.dormant) this.wake(source);
    const m = this.byOwner.get(uid);
    return m ? [...m.values()] : [];
  }

  ownedCount(uid: string, source?: OwnerIndexSource<T>): number {
    if (this.dormant) this.wake(source);
    return this.byOwner.get(uid)?.size ?? 0;
  }

  /**
   * Objects without a controller reference in a namespace, sorted by name. A
   * lazy index needs `source`, the informer cache that feeds it, the first time
   * a namespace is asked about.
   */
  orphansIn(namespace: string, source?: OwnerIndexSource<T>): Stored<T>[] {
    if (this.dormant) this.wake(source);
    if (this.orphanNamespaces !== undefined && !this.orphanNamespaces.has(namespace)) {
      if (!source) throw new Error('OwnerIndex: a lazy index needs the informer cache to list orphans');
      this.orphanNamespaces.add(namespace);
      for (const o of source.list(namespace)) {
        if (getControllerOf(o) !== undefined) continue;
        const key = keyOf(o);
        if (!this.where.has(key)) this.add(key, o, undefined);
      }
    }
    return sortByName(this.orphans.get(namespace));
  }
}

/** One namespace's objects sorted by name (code-unit order, as a sort of "namespace/name" keys). */
function sortByName<T extends KObject>(m: Map<string, Stored<T>> | undefined): Stored<T>[] {
  if (!m) return [];
  return [...m.values()].sort((a, b) => {
    const x = a.metadata.name ?? '';
    const y = b.metadata.name ?? '';
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

/**
 * The namespaces holding objects of one kind (a controller's owners), kept from that kind's watch events, which
 * follow the informer cache in delivery order: has(ns) is whether the cache lists any object in ns. Why: an
 * orphan pod's event asks whether any owner in its namespace could adopt it, and most namespaces of a batch
 * queue hold none; a cache listing copies its list.
 */
export class OwnerNamespaces {
  private readonly uids = new Map<string, Set<string>>();

  observe(ev: WatchEvent): void {
    const o = ev.object;
    const ns = o.metadata.namespace ?? '';
    const uid = keyOf(o);
    let set = this.uids.get(ns);
    if (ev.type === 'DELETED') {
      set?.delete(uid);
      if (set !== undefined && set.size === 0) this.uids.delete(ns);
      return;
    }
    if (set === undefined) this.uids.set(ns, (set = new Set()));
    set.add(uid);
  }

  has(namespace: string): boolean {
    return this.uids.has(namespace);
  }
}
