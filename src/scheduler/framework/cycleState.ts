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

export class CycleStateImpl implements CycleState {
  private readonly data = new Map<string, unknown>();
  /** Changes on every write or delete (unique across states); see StateSlot. */
  version = 0;
  recordPluginMetrics = false;
  skipFilterPlugins = new Set<string>();
  skipScorePlugins = new Set<string>();

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
    c.skipFilterPlugins = new Set(this.skipFilterPlugins);
    c.skipScorePlugins = new Set(this.skipScorePlugins);
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
