/**
 * Per-node memos of Filter verdicts and raw Score values for the fast path
 * (SchedulerOptions.fastPath; no upstream counterpart).
 *
 * Why: in a 5,000-node cluster a cycle filters and scores ~500 nodes, and
 * between two cycles for pods of the same shape only the node that took the
 * last pod has changed. A plugin that declares itself `nodeLocal` (its
 * Filter and Score read only the pod, its own args, the NodeInfo's node and
 * pods, and PreFilter/PreScore state computed from the pod alone) gives the
 * same answer for the same (pod shape, NodeInfo localGeneration), so that
 * answer can be reused. A NodeInfo's localGeneration changes on every change
 * to what such a plugin may read of its node or pods (Plugin.nodeLocal) and
 * is unique across NodeInfos (framework/nodeInfo.ts), so a slot reused by
 * another node never matches an old entry.
 *
 * Only the scheduler cache's own NodeInfos have a slot (resourceSlot >= 0);
 * preemption's clones and hand-built NodeInfos are always evaluated.
 * test/scheduler/equivalence.test.ts checks decisions against fastPath off.
 */
import type { NodeInfo, PodInfo, Result } from './types.ts';
import { JOURNAL_SIZE, type NodeResourceTable } from './resourceTable.ts';

/** How many pod shapes a memo keeps at once (round-robin replacement). */
const SHAPES = 4;

/** A writable column of values by slot: a typed array for numbers, a packed array otherwise. */
interface Column<V> {
  [slot: number]: V;
  readonly length: number;
}

interface Entry<V> {
  /** The pod shape's two parts (podShape). */
  spec: string;
  meta: string;
  /**
   * By slot: the key of the value (-1 = none). A score memo's key is the
   * NodeInfo generation the value was computed for; a filter memo's also
   * says whether the verdict is null (filterKey).
   */
  keys: Float64Array;
  values: Column<V>;
  readonly make: (size: number) => Column<V>;
  /**
   * Filter memos only (syncFresh): by slot, 1 when keys[slot] is the
   * feasible key of freshTable's current localGeneration for that slot, 0
   * when unknown; null until first synced. A 1 is always exact, a 0 may be
   * stale-conservative (the caller then checks `keys`).
   */
  fresh: Uint8Array | null;
  /** The table `fresh` was synced against, and its change count then. */
  freshTable: NodeResourceTable | null;
  freshSeen: number;
}

/** Values by (pod shape, node slot), valid while the node's generation is unchanged. */
export class NodeMemo<V> {
  private readonly entries: Array<Entry<V>> = [];
  private nextVictim = 0;

  constructor(private readonly make: (size: number) => Column<V>) {}

  /** The entry for a pod shape (created or recycled as needed), sized for `slots` nodes. */
  forShape(shape: PodShape, slots: number): Entry<V> {
    const es = this.entries;
    for (let i = 0; i < es.length; i++) {
      const e = es[i]!;
      if (e.spec === shape.spec && e.meta === shape.meta) {
        if (e.keys.length < slots) grow(e, slots);
        return e;
      }
    }
    const size = Math.max(slots, 64);
    if (es.length < SHAPES) {
      const e: Entry<V> = { spec: shape.spec, meta: shape.meta, keys: new Float64Array(size).fill(-1), values: this.make(size), make: this.make, fresh: null, freshTable: null, freshSeen: 0 };
      es.push(e);
      return e;
    }
    const e = es[this.nextVictim]!;
    this.nextVictim = (this.nextVictim + 1) % SHAPES;
    e.spec = shape.spec;
    e.meta = shape.meta;
    if (e.keys.length < size) {
      e.keys = new Float64Array(size);
      e.values = this.make(size);
      e.fresh = null;
    }
    e.keys.fill(-1);
    // No key is any generation now: every mark is 0, which stays exact as changes come.
    if (e.fresh !== null) e.fresh.fill(0);
    return e;
  }
}

function grow<V>(e: Entry<V>, slots: number): void {
  const size = Math.max(slots, e.keys.length * 2);
  const g = new Float64Array(size).fill(-1);
  g.set(e.keys);
  const values = e.make(size);
  for (let i = 0; i < e.values.length; i++) values[i] = e.values[i]!;
  e.keys = g;
  e.values = values;
  if (e.fresh !== null) {
    // The new slots have no key: marked 0.
    const f = new Uint8Array(size);
    f.set(e.fresh);
    e.fresh = f;
  }
}

/** A memo of Filter verdicts (null = feasible). */
export function filterMemo(): NodeMemo<Result> {
  return new NodeMemo<Result>((n) => new Array<Result>(n).fill(null));
}

/** A memo of raw scores. */
export function scoreMemo(): NodeMemo<number> {
  return new NodeMemo<number>((n) => new Float64Array(n));
}

export type FilterMemoEntry = Entry<Result>;

/** Remember a score for the node at its current generation (nodes outside the cache have no slot and are not remembered). */
export function memoSet<V>(e: Entry<V>, ni: NodeInfo, v: V): void {
  store(e, ni, v, ni.localGeneration ?? ni.generation);
}

/**
 * A filter memo's key for a verdict at a generation: the generation itself
 * when the verdict is null (feasible), -2 - generation otherwise (the Status
 * is in `values`). Why: a cycle's filter loop mostly meets nodes remembered
 * as feasible; with the verdict's nullness in the key it checks one typed
 * array against the table's generations and reads no verdict column (a
 * second array, another cache line per node). Generations are >= 0
 * (nodeInfo.ts: nextGeneration), so -2 - g is never a generation nor the
 * empty key -1, and it is exact for any generation a Float64 holds exactly.
 */
export function filterKey(generation: number, verdict: Result): number {
  return verdict === null ? generation : -2 - generation;
}

/** Remember a Filter verdict for the node at its current generation (filterKey; nodes outside the cache are not remembered). */
export function filterMemoSet(e: Entry<Result>, ni: NodeInfo, verdict: Result): void {
  const key = filterKey(ni.localGeneration ?? ni.generation, verdict);
  store(e, ni, verdict, key);
  const f = e.fresh;
  const slot = ni.resourceSlot ?? -1;
  if (f !== null && slot >= 0 && slot < f.length) {
    // Marked from the synced table's column itself (not assumed from the NodeInfo), so a 1 stays exact.
    const gen = e.freshTable !== null ? e.freshTable.localGeneration : null;
    f[slot] = verdict === null && gen !== null && slot < gen.length && gen[slot] === key ? 1 : 0;
  }
}

/**
 * The entry's feasible marks (Entry.fresh), brought up to date with the
 * table: from its change journal, only the slots changed since the last sync
 * are compared again; in full when the table is another one, the journal no
 * longer reaches back that far, or the marks are new.
 *
 * Why: the filter loop's usual node is a remembered feasible verdict, and
 * checking it compared two Float64 columns (the memo key and the table's
 * local generation) per node of a ~500-node window; a mark is one byte, and
 * between two cycles only a few nodes change.
 */
export function syncFresh(e: Entry<Result>, table: NodeResourceTable): Uint8Array {
  const keys = e.keys;
  const gen = table.localGeneration;
  let f = e.fresh;
  let full = e.freshTable !== table || table.changes - e.freshSeen > JOURNAL_SIZE;
  if (f === null || f.length < keys.length) {
    f = e.fresh = new Uint8Array(keys.length);
    full = true;
  }
  const end = table.changes;
  if (full) {
    const n = Math.min(keys.length, gen.length);
    for (let s = 0; s < n; s++) f[s] = keys[s] === gen[s] ? 1 : 0;
    f.fill(0, n);
  } else {
    for (let c = e.freshSeen; c < end; c++) {
      const s = table.changedSlot(c);
      if (s < keys.length) f[s] = s < gen.length && keys[s] === gen[s] ? 1 : 0;
    }
  }
  e.freshTable = table;
  e.freshSeen = end;
  return f;
}

function store<V>(e: Entry<V>, ni: NodeInfo, v: V, key: number): void {
  const slot = ni.resourceSlot ?? -1;
  if (slot < 0) return;
  if (slot >= e.keys.length) grow(e, slot + 1);
  e.keys[slot] = key;
  e.values[slot] = v;
}

/** The remembered verdict of the node in `slot` at `generation`; undefined when there is none. */
export function filterMemoGet(e: Entry<Result>, slot: number, generation: number): Result | undefined {
  if (slot < 0 || slot >= e.keys.length) return undefined;
  const k = e.keys[slot]!;
  if (k === generation) return null;
  return k === -2 - generation ? e.values[slot]! : undefined;
}

/**
 * The pod's shape: everything a node-local plugin may read from a pod, as
 * JSON in two parts: the spec, and (namespace, labels, annotations); for
 * plugins that read only the spec (Plugin.podSpecOnly), the spec alone.
 * The spec-only shape is made once per spec object (stored specs are frozen,
 * and pods with equal specs share one: sim/specIntern.ts), the full one once
 * per PodInfo, so the pods of one template share one string and compare by
 * identity.
 */
export interface PodShape {
  readonly spec: string;
  /** '' in a spec-only shape (never a JSON text). */
  readonly meta: string;
}
/** A PodInfo's full shape (spec and metadata), made when first asked for (its metadata text is a JSON.stringify per pod). */
const fullShapes = new WeakMap<PodInfo, PodShape>();
/**
 * The spec-only shape of a frozen (stored, interned) spec object, shared by
 * every PodInfo of that spec (perf: a WeakMap entry per PodInfo, set once per
 * scheduled pod, was the largest line of a churn cycle; a lookup by the
 * interned spec finds the one entry its template made).
 */
const specShapes = new WeakMap<object, PodShape>();
/** The spec-only shape of a PodInfo whose spec is not frozen (hand-built pods): by PodInfo, as before. */
const looseShapes = new WeakMap<PodInfo, PodShape>();

function specShape(pod: PodInfo): PodShape {
  const spec = pod.pod.spec;
  if (spec !== undefined && Object.isFrozen(spec)) {
    let s = specShapes.get(spec);
    if (s === undefined) specShapes.set(spec, (s = { spec: JSON.stringify(spec), meta: '' }));
    return s;
  }
  let s = looseShapes.get(pod);
  if (s === undefined) looseShapes.set(pod, (s = { spec: JSON.stringify(spec ?? null), meta: '' }));
  return s;
}

export function podShape(pod: PodInfo, specOnly = false): PodShape {
  if (specOnly) return specShape(pod);
  let s = fullShapes.get(pod);
  if (s === undefined) {
    const m = pod.pod.metadata;
    s = { spec: specShape(pod).spec, meta: JSON.stringify([m?.namespace ?? '', m?.labels ?? null, m?.annotations ?? null]) };
    fullShapes.set(pod, s);
  }
  return s;
}

/**
 * A node's slot in the scheduler cache's table (-1: none) and that slot's
 * local generation (the node-local memos' key): from the caller's slot list
 * and the table's localGeneration column when it has them (no NodeInfo
 * read), else from the NodeInfo.
 */
export function slotOf(ni: NodeInfo, i: number, slots: Int32Array | null, tableGen: Float64Array | null): number {
  return tableGen !== null ? slots![i]! : (ni.resourceSlot ?? -1);
}
export function generationOf(ni: NodeInfo, slot: number, tableGen: Float64Array | null): number {
  return tableGen !== null ? tableGen[slot]! : (ni.localGeneration ?? ni.generation);
}
