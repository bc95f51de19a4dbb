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
}

/** Computes a node's share; null when it has none. */
export type ContributionOf = (nodeInfo: NodeInfo) => Contribution | null;

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
  ) {
    this.size = size;
    this.keyCount = byKey.size;
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

  get(key: string, value: string): number {
    return this.data().get(key)?.get(value)?.sum ?? 0;
  }

  anyPositive(labels: Readonly<Record<string, string>>): boolean {
    for (const [key, inner] of this.data()) {
      const v = labels[key];
      if (typeof v === 'string' && (inner.get(v)?.sum ?? 0) > 0) return true;
    }
    return false;
  }

  scoreFor(labels: Readonly<Record<string, string>>): number {
    let score = 0;
    for (const [key, inner] of this.data()) {
      const v = labels[key];
      if (v !== undefined) score += inner.get(v)?.sum ?? 0;
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

  constructor(private readonly contributionOf: ContributionOf) {}

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
      }
      this.changedNodes.remember(list);
    }
    if (this.view === null || this.changed) {
      const log = new UndoLog();
      if (this.log) this.log.next = log;
      this.log = log;
      this.view = new SumsView(this.live, this.size, log);
    }
    return this.view;
  }

  /** Recompute node i's share when it is not the NodeInfo (or generation) counted last time. */
  private visit(i: number, ni: NodeInfo): void {
    if (this.refs[i] === ni && this.gens[i] === ni.generation) return;
    const name = ni.node.metadata?.name ?? '';
    if (this.names[i] === name && this.gens[i] === ni.generation) {
      this.refs[i] = ni;
      return;
    }
    if (i < this.names.length) this.apply(this.shares[i]!, -1);
    const c = this.contributionOf(ni);
    this.refs[i] = ni;
    this.names[i] = name;
    this.gens[i] = ni.generation;
    this.shares[i] = c;
    this.apply(c, 1);
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
      return;
    }
    if (!inner) this.live.set(key, (inner = new Map()));
    if (!old) this.size++;
    inner.set(value, { sum: (old?.sum ?? 0) + weight, hits: left });
  }
}

/** An LRU of NodeContributionss keyed by everything that determines their sums. */
export class ContributionCache extends LruCache<NodeContributions> {}

/** A canonical string for a label set (also for undefined, which matches as {}). */
export function labelsKey(labels: Readonly<Record<string, string>> | undefined): string {
  if (!labels) return '[]';
  return JSON.stringify(Object.entries(labels).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
}
