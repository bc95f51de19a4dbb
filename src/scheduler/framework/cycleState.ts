/**
 * CycleState, following kube-scheduler v1.35 (unchanged since v1.31 in what ksim models, per the v1.32-v1.35 release notes) pkg/scheduler/framework/cycle_state.go:
 * per-attempt storage shared by a profile's plugins, cloneable for
 * preemption's what-if evaluations (entries with clone() are copied).
 */
import type { CycleState, StateData } from './types.ts';

function isStateData(v: unknown): v is StateData {
  return typeof v === 'object' && v !== null && typeof (v as { clone?: unknown }).clone === 'function';
}

/** Stamps every write to any CycleStateImpl, so (state, version) identifies its contents. */
let writeCounter = 0;

/**
 * A skip set shared by every CycleState whose PreFilter (or PreScore) skipped
 * the same plugins (fast path: Framework.runPreFilterPlugins and
 * runPreScorePlugins hand one to each state instead of refilling a set of its
 * own). Why: a state's two sets, emptied and refilled every cycle, were three
 * hash-table allocations each per scheduled pod. Never changed once made
 * (add, delete and clear throw): a change through one state would be seen by
 * every other.
 */
export class SharedSkipSet extends Set<string> {
  private sealed = false;
  constructor(names: readonly string[]) {
    super(names);
    this.sealed = true;
  }
  override add(name: string): this {
    if (this.sealed) throw new Error(`a shared skip set is never changed (add ${name})`);
    return super.add(name);
  }
  override delete(name: string): boolean {
    if (this.sealed) throw new Error(`a shared skip set is never changed (delete ${name})`);
    return super.delete(name);
  }
  override clear(): void {
    if (this.sealed) throw new Error('a shared skip set is never changed (clear)');
    super.clear();
  }
}

export class CycleStateImpl implements CycleState {
  private readonly data = new Map<string, unknown>();
  /** Changes on every write or delete (unique across states); see StateSlot. */
  version = 0;
  recordPluginMetrics = false;
  /**
   * The skip sets, made on first read (perf: the fast path gives most states
   * shared ones instead, and two empty sets per cycle were dropped unused).
   */
  private skipFilter: Set<string> | null = null;
  private skipScore: Set<string> | null = null;
  get skipFilterPlugins(): Set<string> {
    return (this.skipFilter ??= new Set<string>());
  }
  get skipScorePlugins(): Set<string> {
    return (this.skipScore ??= new Set<string>());
  }
  /** Make a shared set (never changed) this state's Filter skip set. */
  shareSkipFilterPlugins(set: SharedSkipSet): void {
    this.skipFilter = set;
  }
  /** Make a shared set (never changed) this state's Score skip set. */
  shareSkipScorePlugins(set: SharedSkipSet): void {
    this.skipScore = set;
  }

  read<T>(key: string): T | undefined {
    return this.data.get(key) as T | undefined;
  }
  write(key: string, value: unknown): void {
    this.data.set(key, value);
    this.version = ++writeCounter;
  }
  delete(key: string): void {
    this.data.delete(key);
    this.version = ++writeCounter;
  }
  clone(): CycleState {
    const c = new CycleStateImpl();
    for (const [k, v] of this.data) c.data.set(k, isStateData(v) ? v.clone() : v);
    c.version = ++writeCounter;
    c.recordPluginMetrics = this.recordPluginMetrics;
    // Copies a clone may change, as before (a shared set is never changed).
    if (this.skipFilter !== null) c.skipFilter = new Set(this.skipFilter);
    if (this.skipScore !== null) c.skipScore = new Set(this.skipScore);
    return c;
  }
}

/**
 * StateData.clone for state no other pod affects: the copy is the state
 * itself. One function for every such state (perf: a `clone() { return this; }`
 * literal made a new closure with each state, several per cycle).
 */
export function sameState<T>(this: T): T {
  return this;
}

export function newCycleState(): CycleStateImpl {
  return new CycleStateImpl();
}

/**
 * One plugin's reads of one CycleState key, remembering the last state and
 * version read (perf: Filter and Score read their PreFilter/PreScore state
 * once per node, thousands of times per cycle, from the same unchanged
 * state). Any write or delete on the state changes its version, so a
 * remembered value is never stale; states without a version (test fakes)
 * are always read through.
 */
export class StateSlot<T> {
  private state: CycleState | null = null;
  private version = Number.NaN;
  private value: T | undefined = undefined;
  constructor(readonly key: string) {}
  read(state: CycleState): T | undefined {
    const v = (state as { version?: unknown }).version;
    if (state === this.state && v === this.version) return this.value;
    const value = state.read<T>(this.key);
    this.state = state;
    this.version = typeof v === 'number' ? v : Number.NaN;
    this.value = value;
    return value;
  }
}
