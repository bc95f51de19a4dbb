/**
 * Incremental per-domain match counts for PodTopologySpread.
 *
 * Upstream (calPreFilterState / PreScore) walks every node and counts the
 * pods matching a constraint's selector on each, every scheduling cycle. The
 * result only depends on (namespace, selector, which nodes are eligible and
 * their topology values, and the pods on them), so ksim keeps the per-domain
 * sums across cycles and re-examines only the nodes whose NodeInfo
 * generation (or position in the node list) changed since the last cycle.
 * The sums are exactly what a full recount would give; only the work is
 * incremental.
 */
import type { NodeInfo } from '../../framework/types.ts';
import { countPodsMatchSelector, countPodsMatchSelectorOn } from './common.ts';
import type { KeyedMatcher } from '../helper/labelMatch.ts';
import { LruCache } from '../helper/lruCache.ts';
import { ChangedNodes } from '../../framework/changedNodes.ts';

/** Returns the node's topology value for the constraint, or undefined when the node does not count. */
export type DomainOf = (nodeInfo: NodeInfo) => string | undefined;

export class DomainCounter {
  private refs: Array<NodeInfo | undefined> = [];
  private names: string[] = [];
  private gens: number[] = [];
  private domains: Array<string | undefined> = [];
  private nodeCounts: number[] = [];
  /** Per node: the label index's stamp of the selector's first required pair when counted (-1: none). */
  private stamps: number[] = [];
  /** Matching pods per domain, over eligible nodes. */
  private counts = new Map<string, number>();
  /** Set once `counts` was handed out: the next change copies it first, so handed-out maps never change. */
  private shared = false;
  /** Eligible nodes per domain: a domain exists while it has at least one. */
  private readonly nodesPerDomain = new Map<string, number>();

  constructor(
    private readonly domainOf: DomainOf,
    private readonly selector: KeyedMatcher,
    private readonly namespace: string,
    /** Fast path: a fresh counter may take its first counts from the cache's pod label index. */
    private readonly useIndex = false,
  ) {}

  private own(): Map<string, number> {
    if (this.shared) {
      this.counts = new Map(this.counts);
      this.shared = false;
    }
    return this.counts;
  }

  /** Nodes changed since the last sync (the cache's change journal). */
  private readonly changed = new ChangedNodes();
  private readonly visitChanged = (i: number): void => this.visit(i, this.syncing![i]!);
  private syncing: readonly NodeInfo[] | null = null;

  /** Bring the sums up to date with this node list; the returned map is never modified afterwards. */
  sync(list: readonly NodeInfo[]): ReadonlyMap<string, number> {
    this.bringUpToDate(list);
    this.shared = true;
    return this.counts;
  }

  /**
   * sync() for a caller that reads the sums at once and keeps no reference:
   * the map is not marked handed out, so the next change need not copy it
   * (PreScore copies the values it needs; a copy per cycle was most of
   * this class's garbage in a zoned Deployments run).
   */
  peek(list: readonly NodeInfo[]): ReadonlyMap<string, number> {
    this.bringUpToDate(list);
    return this.counts;
  }

  private bringUpToDate(list: readonly NodeInfo[]): void {
    this.syncing = list;
    const incremental = this.changed.visitChanged(list, this.visitChanged);
    this.syncing = null;
    if (!incremental && !(this.names.length === 0 && this.firstSyncFromIndex(list))) {
      const n = list.length;
      for (let i = 0; i < n; i++) this.visit(i, list[i]!);
      for (let i = n; i < this.names.length; i++) this.remove(i);
      if (this.names.length > n) {
        this.refs.length = n;
        this.names.length = n;
        this.gens.length = n;
        this.domains.length = n;
        this.nodeCounts.length = n;
        this.stamps.length = n;
      }
      this.changed.remember(list);
    }
  }

  /**
   * The first sync of a selector that requires some label pairs, over the
   * cache's node list: domains from every node, counts from the pods the
   * cache's label index holds for the rarest required pair (fast path; the
   * same sums as counting every node's pods, which a fresh counter would
   * otherwise do). False, with nothing changed, when it does not apply.
   */
  private firstSyncFromIndex(list: readonly NodeInfo[]): boolean {
    const pairs = this.selector.requiredPairs;
    const table = list.length > 0 ? (list[0]!.resourceTable ?? null) : null;
    if (!this.useIndex || pairs === undefined || pairs.length === 0 || table === null) return false;
    for (let i = 0; i < list.length; i++) if (list[i]!.resourceTable !== table || list[i]!.index !== i) return false;
    let bucket = table.podLabels.podsWith(this.namespace, pairs[0]![0], pairs[0]![1]);
    for (let j = 1; j < pairs.length && bucket.size > 0; j++) {
      const b = table.podLabels.podsWith(this.namespace, pairs[j]![0], pairs[j]![1]);
      if (b.size < bucket.size) bucket = b;
    }
    const counts = this.own();
    for (let i = 0; i < list.length; i++) {
      const ni = list[i]!;
      const d = this.domainOf(ni);
      this.refs[i] = ni;
      this.names[i] = ni.node.metadata.name ?? '';
      this.gens[i] = ni.generation;
      this.domains[i] = d;
      this.nodeCounts[i] = 0;
      this.stamps[i] = pairStamp(ni, this.selector, this.namespace);
      if (d !== undefined) {
        // Domains enter the map in node order, with 0, as visit() adds them.
        counts.set(d, counts.get(d) ?? 0);
        this.nodesPerDomain.set(d, (this.nodesPerDomain.get(d) ?? 0) + 1);
      }
    }
    for (const [pi, ni] of bucket) {
      const i = ni.index;
      if (list[i] !== ni) continue; // a node outside the list (not known to the cache yet)
      const d = this.domains[i];
      if (d === undefined) continue;
      const meta = pi.pod.metadata;
      if (meta.deletionTimestamp || (meta.namespace ?? '') !== this.namespace || !this.selector.matches(meta.labels)) continue;
      this.nodeCounts[i]!++;
      counts.set(d, counts.get(d)! + 1);
    }
    this.changed.remember(list);
    return true;
  }

  /** Re-count node i when it is not the NodeInfo (or generation) counted last time. */
  private visit(i: number, ni: NodeInfo): void {
    // Fast path: the very same NodeInfo, unchanged.
    if (this.refs[i] === ni && this.gens[i] === ni.generation) return;
    const name = ni.node.metadata.name ?? '';
    if (this.names[i] === name && this.gens[i] === ni.generation) {
      this.refs[i] = ni;
      return;
    }
    const d = this.domainOf(ni);
    // Fast path: the same NodeInfo in the same domain, whose pods carrying the selector's
    // first required pair (every match carries it) were neither filed nor taken off since
    // it was counted: the count is the same (PodLabelIndex.stampOn). Before, every change
    // to a node (any workload's pod bound there) recounted its pods for each selector.
    const stamp = this.useIndex ? pairStamp(ni, this.selector, this.namespace) : -1;
    if (stamp >= 0 && this.refs[i] === ni && this.names[i] === name && this.stamps[i] === stamp && this.domains[i] === d) {
      this.gens[i] = ni.generation;
      return;
    }
    if (i < this.names.length) this.remove(i);
    const c = d === undefined ? 0 : this.useIndex ? countPodsMatchSelectorOn(ni, this.selector, this.namespace) : countPodsMatchSelector(ni.pods, this.selector, this.namespace);
    this.refs[i] = ni;
    this.names[i] = name;
    this.gens[i] = ni.generation;
    this.domains[i] = d;
    this.nodeCounts[i] = c;
    this.stamps[i] = stamp;
    if (d !== undefined) {
      const counts = this.own();
      counts.set(d, (counts.get(d) ?? 0) + c);
      this.nodesPerDomain.set(d, (this.nodesPerDomain.get(d) ?? 0) + 1);
    }
  }

  private remove(i: number): void {
    const d = this.domains[i];
    if (d === undefined) return;
    const counts = this.own();
    const left = (this.nodesPerDomain.get(d) ?? 0) - 1;
    if (left <= 0) {
      this.nodesPerDomain.delete(d);
      counts.delete(d);
    } else {
      this.nodesPerDomain.set(d, left);
      counts.set(d, (counts.get(d) ?? 0) - this.nodeCounts[i]!);
    }
    this.domains[i] = undefined;
  }
}

/** The label index's stamp of the selector's first required pair on a cache node, or -1 when there is none to read. */
function pairStamp(ni: NodeInfo, selector: KeyedMatcher, ns: string): number {
  const pair = selector.requiredPairs?.[0];
  const table = ni.resourceTable;
  const slot = ni.resourceSlot ?? -1;
  if (pair === undefined || table == null || slot < 0) return -1;
  return table.podLabels.stampOn(ns, pair[0], pair[1], slot);
}

/** An LRU of DomainCounters keyed by everything that determines their sums. */
export class DomainCounterCache extends LruCache<DomainCounter> {}

/**
 * A copy-on-write view of shared counts: PreFilter state starts from the
 * cached sums, and preemption's AddPod/RemovePod only touch the overlay.
 */
export class OverlayCounts implements Iterable<[string, number]> {
  private overlay: Map<string, number> | null = null;
  constructor(private readonly base: ReadonlyMap<string, number>) {}
  get(v: string): number | undefined {
    if (this.overlay && this.overlay.has(v)) return this.overlay.get(v);
    return this.base.get(v);
  }
  set(v: string, n: number): void {
    (this.overlay ??= new Map()).set(v, n);
  }
  get size(): number {
    let s = this.base.size;
    if (this.overlay) for (const k of this.overlay.keys()) if (!this.base.has(k)) s++;
    return s;
  }
  *[Symbol.iterator](): Iterator<[string, number]> {
    for (const [k, v] of this.base) yield [k, this.overlay?.has(k) ? this.overlay.get(k)! : v];
    if (this.overlay) for (const [k, v] of this.overlay) if (!this.base.has(k)) yield [k, v];
  }
  clone(): OverlayCounts {
    const c = new OverlayCounts(this.base);
    if (this.overlay) c.overlay = new Map(this.overlay);
    return c;
  }
}
