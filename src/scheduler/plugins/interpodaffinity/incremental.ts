/**
 * Incremental per-topology sums for InterPodAffinity.
 *
 * Upstream (pkg/scheduler/framework/plugins/interpodaffinity, v1.31) walks
 * every existing pod in PreFilter (topologyToMatchedTermCount for the
 * incoming pod's terms and for existing pods' anti-affinity) and in PreScore
 * (topologyScore), every scheduling cycle. Each node's share only depends on
 * the pods on it, its labels and what the incoming pod brings (its terms,
 * namespace and labels), so ksim keeps each node's share and the sums across
 * cycles and recomputes only the nodes whose NodeInfo generation (or
 * position in the node list) changed, as PodTopologySpread's DomainCounter
 * does. The sums are exactly what a full recount gives, including which
 * (key, value) entries exist: an entry exists while some term match counts
 * towards it, even when weights cancel out.
 *
 * Handed-out sums never change: instead of copying the sums for every cycle,
 * the cache records the old value of each entry it changes after a hand-out
 * (an undo log), and a stale view rebuilds its own copy from the live sums
 * and the logs only if it is read again (normally it never is).
 */
import type { NodeInfo } from '../../framework/types.ts';
import { LruCache } from '../helper/lruCache.ts';
import { ChangedNodes } from '../../framework/changedNodes.ts';
import type { TopologyIndex } from './topologyIndex.ts';

/** One node's share: parallel (topology key, topology value, weight) triples. */
export class Contribution {
  readonly keys: string[] = [];
  readonly values: string[] = [];
  readonly weights: number[] = [];
  push(key: string, value: string, weight: number): void {
    this.keys.push(key);
    this.values.push(value);
    this.weights.push(weight);
  }
  get length(): number {
    return this.keys.length;
  }
  /** Append another share's triples. */
  append(other: Contribution): void {
    for (let j = 0; j < other.keys.length; j++) this.push(other.keys[j]!, other.values[j]!, other.weights[j]!);
  }
}

/** Computes a node's share; null when it has none. */
export type ContributionOf = (nodeInfo: NodeInfo) => Contribution | null;

/**
 * A share that is a sum over one of the node's pod lists, pod by pod, the
 * node's labels being the only other input: `list` names the list and
 * `appendShare` pushes the share of list[from..] onto `c`. Lets a node that
 * only gained pods since it was counted add the new pods' share instead of
 * recounting all of them (perf: preferred affinity piles pods onto a few
 * nodes, and each bind recounted up to 110 pods of the chosen node).
 */
export interface PodwiseShare {
  list(nodeInfo: NodeInfo): readonly unknown[];
  appendShare(nodeInfo: NodeInfo, from: number, c: Contribution): void;
}

/** NodeInfoImpl's count of changes to its pod list (adds and removes), when the NodeInfo has one. */
function podsChangedOf(ni: NodeInfo): number | undefined {
  const n = (ni as { podsChanged?: unknown }).podsChanged;
  return typeof n === 'number' ? n : undefined;
}

/** An entry: summed weight and the number of term matches behind it. Immutable (undo logs keep references). */
interface Cell {
  readonly sum: number;
  readonly hits: number;
}

type Nested = Map<string, Map<string, Cell>>;

/** Old cells of the entries changed after one hand-out; `next` is the log of the following hand-out. */
class UndoLog {
  readonly old = new Map<string, Map<string, Cell | undefined>>();
  next: UndoLog | null = null;
}

/** Read access to PreFilter's matched-term counts (TopologyCounts has the same shape). */
export interface CountsReader {
  get(key: string, value: string): number;
  readonly size: number;
  anyPositive(labels: Readonly<Record<string, string>>): boolean;
}

/** Read access to PreScore's topologyScore. */
export interface ScoreReader {
  /** Number of topology keys with entries (upstream len(topologyScore)). */
  readonly keyCount: number;
  /** Sum of the node's entries over every topology key. */
  scoreFor(labels: Readonly<Record<string, string>>): number;
}

/** The sums as they were at one hand-out. */
export class SumsView implements CountsReader, ScoreReader {
  readonly size: number;
  readonly keyCount: number;
  constructor(
    private byKey: Nested,
    size: number,
    private undo: UndoLog | null,
    private readonly owner: NodeContributions | null = null,
  ) {
    this.size = size;
    this.keyCount = byKey.size;
  }

  /**
   * The sums by topology key index and value id (see topologyIndex.ts) while
   * they are this view's (nothing changed since it was handed out); null
   * otherwise, or when the sums are not kept by id.
   */
  liveSums(): ReadonlyArray<Float64Array | undefined> | null {
    return this.isCurrent() ? this.owner!.sumsById : null;
  }

  /** Whether liveSums() (and arrays taken from it) still hold this view's sums. */
  isCurrent(): boolean {
    const u = this.undo;
    return u !== null && u.old.size === 0 && this.owner !== null;
  }

  private data(): Nested {
    const u = this.undo;
    if (u === null || u.old.size === 0) return this.byKey;
    // The live sums changed since this hand-out: copy them and roll back, newest log first.
    const copy: Nested = new Map();
    for (const [k, inner] of this.byKey) copy.set(k, new Map(inner));
    const chain: UndoLog[] = [];
    for (let l: UndoLog | null = u; l !== null; l = l.next) chain.push(l);
    for (let i = chain.length - 1; i >= 0; i--) {
      for (const [k, cells] of chain[i]!.old) {
        for (const [v, cell] of cells) {
          let inner = copy.get(k);
          if (cell === undefined) {
            if (!inner) continue;
            inner.delete(v);
            if (inner.size === 0) copy.delete(k);
          } else {
            if (!inner) copy.set(k, (inner = new Map()));
            inner.set(v, cell);
          }
        }
      }
    }
    this.byKey = copy;
    this.undo = null;
    return copy;
  }

  /** The topology keys and their value maps as arrays, made once per data() object. */
  private columnsOf: Nested | null = null;
  private keys: string[] = [];
  private inners: Array<Map<string, Cell>> = [];

  /**
   * data() as parallel arrays (perf: a for-of over the Map's entries, once
   * per node in Filter and Score, allocated an iterator and an entry per key).
   * Rebuilt whenever data() hands out another object (a rolled-back copy).
   */
  private columns(): void {
    const d = this.data();
    if (d === this.columnsOf) return;
    this.columnsOf = d;
    this.keys = [];
    this.inners = [];
    for (const [k, inner] of d) {
      this.keys.push(k);
      this.inners.push(inner);
    }
  }

  get(key: string, value: string): number {
    return this.data().get(key)?.get(value)?.sum ?? 0;
  }

  anyPositive(labels: Readonly<Record<string, string>>): boolean {
    this.columns();
    const keys = this.keys;
    const inners = this.inners;
    for (let i = 0; i < keys.length; i++) {
      const v = labels[keys[i]!];
      if (typeof v === 'string' && (inners[i]!.get(v)?.sum ?? 0) > 0) return true;
    }
    return false;
  }

  scoreFor(labels: Readonly<Record<string, string>>): number {
    this.columns();
    const keys = this.keys;
    const inners = this.inners;
    let score = 0;
    for (let i = 0; i < keys.length; i++) {
      const v = labels[keys[i]!];
      if (v !== undefined) score += inners[i]!.get(v)?.sum ?? 0;
    }
    return score;
  }

  /** Every (key, value, sum) entry. */
  forEach(fn: (key: string, value: string, sum: number) => void): void {
    for (const [k, inner] of this.data()) for (const [v, c] of inner) fn(k, v, c.sum);
  }
}

export class NodeContributions {
  private refs: Array<NodeInfo | undefined> = [];
  private names: string[] = [];
  private gens: number[] = [];
  private shares: Array<Contribution | null> = [];
  private readonly live: Nested = new Map();
  private size = 0;
  private view: SumsView | null = null;
  /** Records changes made after `view` was handed out. */
  private log: UndoLog | null = null;
  private changed = false;

  /** Nodes changed since the last sync (the cache's change journal). */
  private readonly changedNodes = new ChangedNodes();
  private syncing: readonly NodeInfo[] | null = null;
  private readonly visitChanged = (i: number): void => this.visit(i, this.syncing![i]!);

  /** Podwise shares only: each node's node object, pod count, pods-changed count and list length when counted. */
  private nodeObjs: unknown[] = [];
  private podCounts: number[] = [];
  private podsChanged: Array<number | undefined> = [];
  private listLengths: number[] = [];
  /** Off: every changed node is recounted in full (tests compare both). */
  appendOnlyDelta = true;

  /**
   * With a TopologyIndex: each entry's sum also by key index and value id
   * (0 where no entry), for Filter and Score's lookups by node slot.
   */
  readonly sumsById: Array<Float64Array | undefined> = [];

  constructor(
    private readonly contributionOf: ContributionOf,
    private readonly podwise: PodwiseShare | null = null,
    private readonly index: TopologyIndex | null = null,
  ) {}

  /** Bring the sums up to date with this node list; the returned view never changes. */
  sync(list: readonly NodeInfo[]): SumsView {
    this.changed = false;
    this.syncing = list;
    const incremental = this.changedNodes.visitChanged(list, this.visitChanged);
    this.syncing = null;
    if (!incremental) {
      const n = list.length;
      for (let i = 0; i < n; i++) this.visit(i, list[i]!);
      for (let i = n; i < this.names.length; i++) this.apply(this.shares[i]!, -1);
      if (this.names.length > n) {
        this.refs.length = n;
        this.names.length = n;
        this.gens.length = n;
        this.shares.length = n;
        if (this.nodeObjs.length > n) {
          this.nodeObjs.length = n;
          this.podCounts.length = n;
          this.podsChanged.length = n;
          this.listLengths.length = n;
        }
      }
      this.changedNodes.remember(list);
    }
    if (this.view === null || this.changed) {
      const log = new UndoLog();
      if (this.log) this.log.next = log;
      this.log = log;
      this.view = new SumsView(this.live, this.size, log, this.index !== null ? this : null);
    }
    return this.view;
  }

  /** Recompute node i's share when it is not the NodeInfo (or generation) counted last time. */
  private visit(i: number, ni: NodeInfo): void {
    if (this.refs[i] === ni && this.gens[i] === ni.generation) return;
    const name = ni.node.metadata?.name ?? '';
    if (this.names[i] === name && this.gens[i] === ni.generation) {
      this.refs[i] = ni;
      // Another NodeInfo (a copy): its pods-changed count is its own, so no difference from it.
      if (i < this.podsChanged.length) this.podsChanged[i] = undefined;
      return;
    }
    const pw = this.podwise;
    if (pw !== null && i < this.names.length && this.appendedOnly(i, ni)) {
      // Only pods appended since node i was counted (no pod removed or
      // reordered, same node object): their share is the difference.
      const list = pw.list(ni);
      const d = new Contribution();
      pw.appendShare(ni, this.listLengths[i]!, d);
      if (d.length > 0) {
        const old = this.shares[i];
        if (old === null || old === undefined) this.shares[i] = d;
        else old.append(d);
        this.apply(d, 1);
      }
      this.refs[i] = ni;
      this.gens[i] = ni.generation;
      this.notePods(i, ni, list.length);
      return;
    }
    if (i < this.names.length) this.apply(this.shares[i]!, -1);
    let c: Contribution | null;
    if (pw !== null) {
      const share = new Contribution();
      pw.appendShare(ni, 0, share);
      c = share.length > 0 ? share : null;
      this.notePods(i, ni, pw.list(ni).length);
    } else c = this.contributionOf(ni);
    this.refs[i] = ni;
    this.names[i] = name;
    this.gens[i] = ni.generation;
    this.shares[i] = c;
    this.apply(c, 1);
  }

  /**
   * Whether node i is the NodeInfo counted last time, with the same node
   * object, and its pod list only grew since: every change to the list since
   * then was an append (changes counted = pods added), so the counted pods
   * are the list's first ones, in the same order.
   */
  private appendedOnly(i: number, ni: NodeInfo): boolean {
    if (!this.appendOnlyDelta || this.refs[i] !== ni || this.nodeObjs[i] !== ni.node) return false;
    const pc = podsChangedOf(ni);
    const before = this.podsChanged[i];
    if (pc === undefined || before === undefined) return false;
    const added = ni.pods.length - this.podCounts[i]!;
    return added >= 0 && pc - before === added;
  }

  private notePods(i: number, ni: NodeInfo, listLength: number): void {
    this.nodeObjs[i] = ni.node;
    this.podCounts[i] = ni.pods.length;
    this.podsChanged[i] = podsChangedOf(ni);
    this.listLengths[i] = listLength;
  }

  private apply(c: Contribution | null, sign: number): void {
    if (c === null || c.length === 0) return;
    for (let j = 0; j < c.keys.length; j++) this.add(c.keys[j]!, c.values[j]!, sign * c.weights[j]!, sign);
  }

  private add(key: string, value: string, weight: number, hits: number): void {
    this.changed = true;
    let inner = this.live.get(key);
    const old = inner?.get(value);
    const log = this.log;
    if (log) {
      let cells = log.old.get(key);
      if (!cells) log.old.set(key, (cells = new Map()));
      if (!cells.has(value)) cells.set(value, old);
    }
    const left = (old?.hits ?? 0) + hits;
    if (left <= 0) {
      if (inner && old) {
        inner.delete(value);
        this.size--;
        if (inner.size === 0) this.live.delete(key);
      }
      if (this.index !== null) this.setById(key, value, 0);
      return;
    }
    if (!inner) this.live.set(key, (inner = new Map()));
    if (!old) this.size++;
    const sum = (old?.sum ?? 0) + weight;
    inner.set(value, { sum, hits: left });
    if (this.index !== null) this.setById(key, value, sum);
  }

  private setById(key: string, value: string, sum: number): void {
    const col = this.index!.column(key);
    const id = col.idOfValue(value);
    let arr = this.sumsById[col.index];
    if (arr === undefined || id >= arr.length) {
      const grown = new Float64Array(Math.max(id + 1, (arr?.length ?? 0) * 2, 16));
      if (arr !== undefined) grown.set(arr);
      while (this.sumsById.length <= col.index) this.sumsById.push(undefined);
      this.sumsById[col.index] = arr = grown;
    }
    arr[id] = sum;
  }
}

/** An LRU of NodeContributionss keyed by everything that determines their sums. */
export class ContributionCache extends LruCache<NodeContributions> {}

/** A canonical string for a label set (also for undefined, which matches as {}). */
export function labelsKey(labels: Readonly<Record<string, string>> | undefined): string {
  if (!labels) return '[]';
  // Frozen label sets (stored objects) never change: their key is made once (perf: twice per cycle).
  const frozen = Object.isFrozen(labels);
  if (frozen) {
    const k = labelsKeys.get(labels);
    if (k !== undefined) return k;
  }
  const k = JSON.stringify(Object.entries(labels).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
  if (frozen) labelsKeys.set(labels, k);
  return k;
}

const labelsKeys = new WeakMap<object, string>();
