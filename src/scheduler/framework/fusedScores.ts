/**
 * One pass over the nodes for all node-local Score plugins of a cycle (fast
 * path; no upstream counterpart).
 *
 * Why: with raw scores memoised per node (nodeMemo.ts), a cycle over ~500
 * nodes still made one pass per node-local plugin (NodeResourcesFit,
 * BalancedAllocation, TaintToleration, ...), each checking its own memo.
 * Here the plugins active in the cycle share one memo entry per (pod shape,
 * plugin set): one generation check per node, the weighted sum of the
 * plugins that are not normalised, and the raw scores of those that are.
 *
 * Only the clean case is handled: a Score error or an out-of-range score
 * anywhere makes `run` report an anomaly, and the framework then runs every
 * plugin one by one as before, which returns upstream's first error in
 * plugin order. The totals are sums of integers, exact in any order.
 */
import { MaxNodeScore, MinNodeScore, type CycleState, type NodeInfo, type PodInfo, type ScorePlugin } from './types.ts';
import { generationOf, slotOf, type PodShape } from './nodeMemo.ts';
import type { Rng } from '../../sim/types.ts';

/** How many (pod shape, plugin set) entries are kept at once (round-robin replacement). */
const ENTRIES = 4;

interface Entry {
  spec: string;
  meta: string;
  mask: number;
  /**
   * One row per slot, `stride` numbers each: the NodeInfo generation the row
   * was computed for (-1 = none), the weighted sum of the plugins without
   * NormalizeScore (NaN when one of them gave an invalid score on the node),
   * then the raw score of each normalised plugin. Why one interleaved array:
   * the node loop read a slot from four columns (generation, sum, validity,
   * raw), four cache lines per node of a ~500-node window that moves on every
   * cycle; a row is one (at most two).
   */
  rows: Float64Array;
  readonly stride: number;
}

/** A plugin of the fused pass: its position in the profile's Score list, weight and whether it is normalised. */
export interface FusedPlugin {
  readonly index: number;
  readonly plugin: ScorePlugin;
  readonly weight: number;
  readonly normalized: boolean;
}

/**
 * The node-local plugins of a cycle, made once per set (a cycle finds its set
 * by bit mask of positions: no per-cycle lists).
 */
export interface FusedSet {
  readonly plugins: readonly FusedPlugin[];
  /** The normalised ones among them, in plugin order. */
  readonly normalized: readonly FusedPlugin[];
  readonly mask: number;
  /** Every plugin reads only the pod's spec (Plugin.podSpecOnly): the memo is keyed by it. */
  readonly specOnly: boolean;
}

export function fusedSet(plugins: readonly FusedPlugin[], mask: number): FusedSet {
  return { plugins, normalized: plugins.filter((p) => p.normalized), mask, specOnly: plugins.every((p) => p.plugin.podSpecOnly === true) };
}

/**
 * Callback: NormalizeScore, range check and weighted sum into the totals of
 * one normalised plugin's column; false on failure. It gets the cycle's
 * arguments so that one function serves every cycle (perf: a closure over
 * them was made per cycle).
 */
export type NormalizeColumn = (index: number, raw: Float64Array, state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[], totals: Float64Array) => boolean;

const isValid = (s: number): boolean => s >= MinNodeScore && s <= MaxNodeScore && Number.isInteger(s);

export class FusedNodeLocalScores {
  private readonly entries: Entry[] = [];
  private nextVictim = 0;
  /** Per normalised plugin (in fused order), the cycle's raw scores by node position. */
  private columns: Float64Array[] = [];
  /** Per normalised plugin, the cycle's lowest and highest raw score (reused). */
  private mins = new Float64Array(0);
  private maxs = new Float64Array(0);
  /** A row computed for a node outside the table (no slot), reused. */
  private readonly loose = { sum: 0, valid: true, raw: [] as number[] };
  /**
   * The last run's best nodes (see bestCount): their positions in evaluation
   * order in ties[0..bestCount), gathered by the node loop as selectBest
   * would gather them from the totals the loop wrote.
   */
  private ties = new Int32Array(0);
  /**
   * How many nodes tie for the highest total the last run left (-1: not
   * known). Known only when the loop took the one-normalised-plugin path,
   * every total it wrote was an int32 value not below 0 (selectBest's own
   * condition) and no normalisation ran after it (normalisation rewrites the
   * totals). Why: selectHost's separate pass over the ~500 totals was ~1% of
   * the day; the loop that writes them has each total in hand.
   */
  bestCount = -1;

  /**
   * Add the plugins' contributions to `totals`. False (totals partly
   * written) on any Score error, invalid score or failed normalisation: the
   * caller then scores plugin by plugin from scratch.
   */
  run(
    set: FusedSet,
    state: CycleState,
    pod: PodInfo,
    shape: PodShape,
    nodes: readonly NodeInfo[],
    slots: Int32Array | null,
    totals: Float64Array,
    normalize: NormalizeColumn,
  ): boolean {
    const n = nodes.length;
    this.bestCount = -1;
    const { plugins, normalized, mask } = set;
    const e = this.entryFor(shape, mask, n, normalized.length);
    while (this.columns.length < normalized.length) this.columns.push(new Float64Array(0));
    for (let k = 0; k < normalized.length; k++) if (this.columns[k]!.length < n) this.columns[k] = new Float64Array(Math.max(n, 128));
    if (this.mins.length < normalized.length) {
      this.mins = new Float64Array(normalized.length);
      this.maxs = new Float64Array(normalized.length);
    }
    const mins = this.mins.fill(Infinity);
    const maxs = this.maxs.fill(-Infinity);
    const tableGen = slots !== null && n > 0 ? (nodes[0]!.resourceTable?.localGeneration ?? null) : null;
    if (normalized.length === 1 && tableGen !== null) {
      if (!this.runOneNormalized(plugins, e, state, pod, nodes, slots!, tableGen, totals)) return false;
    } else if (!this.runAny(plugins, normalized.length, e, state, pod, nodes, slots, tableGen, totals, mins, maxs)) return false;
    for (let k = 0; k < normalized.length; k++) {
      const p = normalized[k]!;
      // Equal raw scores everywhere normalise to one score for every node: no node gains on another.
      if (p.plugin.normalizesEqualToEqual === true && mins[k] === maxs[k] && mins[k]! >= 0) continue;
      this.bestCount = -1;
      if (!normalize(p.index, this.columns[k]!, state, pod, nodes, totals)) return false;
    }
    return true;
  }

  /**
   * The node loop with one normalised plugin and the nodes' table slots (the
   * usual cycle: TaintToleration is the one): runAny's steps with the entry's
   * rows, the raw column and the running minimum and maximum in locals
   * (perf: a call per node and plugin re-reading them through the instance was
   * most of the loop).
   */
  private runOneNormalized(
    plugins: readonly FusedPlugin[],
    e: Entry,
    state: CycleState,
    pod: PodInfo,
    nodes: readonly NodeInfo[],
    slots: Int32Array,
    tableGen: Float64Array,
    totals: Float64Array,
  ): boolean {
    const n = nodes.length;
    const col = this.columns[0]!;
    const stride = e.stride; // 2 + the one normalised plugin
    let rows = e.rows;
    let min = Infinity;
    let max = -Infinity;
    if (this.ties.length < n) this.ties = new Int32Array(Math.max(n, this.ties.length * 2, 128));
    const ties = this.ties;
    // selectBest's tie gathering (algorithm.ts), on each total as it is written: the highest
    // so far (-1 before the first node: every kept total is at least 0) and the count of
    // nodes equal to it; `exact` false once a total is not an int32 value >= 0.
    let m = -1;
    let cnt = 0;
    let exact = true;
    for (let i = 0; i < n; i++) {
      const slot = slots[i]!;
      let v: number;
      let t: number;
      if (slot < 0) {
        // Not the cache's NodeInfo: computed each time, never remembered.
        const row = this.loose;
        if (!this.compute(plugins, state, pod, nodes[i]!, row)) return false;
        if (!row.valid) return false;
        t = totals[i]! + row.sum;
        totals[i] = t;
        v = row.raw[0]!;
      } else {
        const o = slot * stride;
        const generation = tableGen[slot]!;
        if (!(o < rows.length && rows[o] === generation)) {
          if (!this.compute(plugins, state, pod, nodes[i]!, this.loose)) return false;
          rows = storeRow(e, slot, generation, this.loose, 1);
        }
        const s = rows[o + 1]!;
        // NaN: a plugin without NormalizeScore gave an invalid score here.
        if (s !== s) return false;
        t = totals[i]! + s;
        totals[i] = t;
        v = rows[o + 2]!;
      }
      col[i] = v;
      if (v < min) min = v;
      if (v > max) max = v;
      const ti = t | 0;
      if (ti !== t || ti < 0) exact = false;
      if (ti > m) {
        m = ti;
        cnt = 0;
      }
      ties[cnt] = i;
      cnt += (m - ti - 1) >>> 31;
    }
    this.mins[0] = min;
    this.maxs[0] = max;
    if (exact) this.bestCount = cnt;
    return true;
  }

  /** The node loop for any number of normalised plugins, with or without table slots. */
  private runAny(
    plugins: readonly FusedPlugin[],
    nNormalized: number,
    e: Entry,
    state: CycleState,
    pod: PodInfo,
    nodes: readonly NodeInfo[],
    slots: Int32Array | null,
    tableGen: Float64Array | null,
    totals: Float64Array,
    mins: Float64Array,
    maxs: Float64Array,
  ): boolean {
    const n = nodes.length;
    const stride = e.stride;
    let rows = e.rows;
    for (let i = 0; i < n; i++) {
      const ni = nodes[i]!;
      const slot = slotOf(ni, i, slots, tableGen);
      const generation = generationOf(ni, slot, tableGen);
      if (slot < 0) {
        // Not the cache's NodeInfo: computed each time, never remembered.
        if (!this.compute(plugins, state, pod, ni, this.loose)) return false;
        if (!this.loose.valid) return false;
        totals[i] = totals[i]! + this.loose.sum;
        for (let k = 0; k < nNormalized; k++) this.take(k, i, this.loose.raw[k]!, mins, maxs);
        continue;
      }
      const o = slot * stride;
      if (!(o < rows.length && rows[o] === generation)) {
        if (!this.compute(plugins, state, pod, ni, this.loose)) return false;
        rows = storeRow(e, slot, generation, this.loose, nNormalized);
      }
      const s = rows[o + 1]!;
      if (s !== s) return false;
      totals[i] = totals[i]! + s;
      for (let k = 0; k < nNormalized; k++) this.take(k, i, rows[o + 2 + k]!, mins, maxs);
    }
    return true;
  }

  /**
   * selectBest's answer for the last run's totals when bestCount >= 1: the
   * k-th best node, k drawn once with rng.int(bestCount) when more than one
   * ties, else the first.
   */
  pickBest(rng: Rng | undefined): number {
    const cnt = this.bestCount;
    return cnt > 1 && rng ? this.ties[rng.int(cnt)]! : this.ties[0]!;
  }

  private take(k: number, i: number, v: number, mins: Float64Array, maxs: Float64Array): void {
    this.columns[k]![i] = v;
    if (v < mins[k]!) mins[k] = v;
    if (v > maxs[k]!) maxs[k] = v;
  }

  /** Every plugin's Score on the node; false on a Score error. */
  private compute(plugins: readonly FusedPlugin[], state: CycleState, pod: PodInfo, ni: NodeInfo, row: { sum: number; valid: boolean; raw: number[] }): boolean {
    row.sum = 0;
    row.valid = true;
    // Written by index, never emptied: readers take the first nNormalized entries, all
    // written here (perf: `length = 0` dropped the backing store, so every computed
    // row allocated a new one on its first push, ~1.7% of the churn's allocated bytes).
    const raw = row.raw;
    let k = 0;
    for (let i = 0; i < plugins.length; i++) {
      const p = plugins[i]!;
      const r = p.plugin.score(state, pod, ni);
      if (typeof r !== 'number') return false;
      if (p.normalized) raw[k++] = r;
      else if (!isValid(r)) row.valid = false;
      else row.sum += r * p.weight;
    }
    return true;
  }

  private entryFor(shape: PodShape, mask: number, slots: number, normalized: number): Entry {
    for (const e of this.entries) {
      if (e.mask === mask && e.spec === shape.spec && e.meta === shape.meta) {
        if (e.rows.length < slots * e.stride) grow(e, slots);
        return e;
      }
    }
    const stride = 2 + normalized;
    const e: Entry = { spec: shape.spec, meta: shape.meta, mask, rows: new Float64Array(Math.max(slots, 64) * stride).fill(-1), stride };
    if (this.entries.length < ENTRIES) {
      this.entries.push(e);
      return e;
    }
    this.entries[this.nextVictim] = e;
    this.nextVictim = (this.nextVictim + 1) % ENTRIES;
    return e;
  }
}

/**
 * Remember a computed row for `slot` at `generation` (growing the rows as
 * needed); the entry's rows, which the caller keeps in a local.
 */
function storeRow(e: Entry, slot: number, generation: number, row: { sum: number; valid: boolean; raw: number[] }, nNormalized: number): Float64Array {
  const stride = e.stride;
  if ((slot + 1) * stride > e.rows.length) grow(e, slot + 1);
  const rows = e.rows;
  const o = slot * stride;
  rows[o] = generation;
  rows[o + 1] = row.valid ? row.sum : NaN;
  for (let k = 0; k < nNormalized; k++) rows[o + 2 + k] = row.raw[k]!;
  return rows;
}

/** Room for at least `min` slots (doubling), new rows unused (generation -1). */
function grow(e: Entry, min: number): void {
  const size = Math.max(min, (e.rows.length / e.stride) * 2);
  const rows = new Float64Array(size * e.stride).fill(-1);
  rows.set(e.rows);
  e.rows = rows;
}
