/**
 * CycleState, following kube-scheduler v1.31 pkg/scheduler/framework/cycle_state.go:
 * per-attempt storage shared by a profile's plugins, cloneable for
 * preemption's what-if evaluations (entries with clone() are copied).
 */
import type { CycleState, StateData } from './types.ts';

function isStateData(v: unknown): v is StateData {
  return typeof v === 'object' && v !== null && typeof (v as { clone?: unknown }).clone === 'function';
}

export class CycleStateImpl implements CycleState {
  private readonly data = new Map<string, unknown>();
  recordPluginMetrics = false;
  skipFilterPlugins = new Set<string>();
  skipScorePlugins = new Set<string>();

  read<T>(key: string): T | undefined {
    return this.data.get(key) as T | undefined;
  }
  write(key: string, value: unknown): void {
    this.data.set(key, value);
  }
  delete(key: string): void {
    this.data.delete(key);
  }
  clone(): CycleState {
    const c = new CycleStateImpl();
    for (const [k, v] of this.data) c.data.set(k, isStateData(v) ? v.clone() : v);
    c.recordPluginMetrics = this.recordPluginMetrics;
    c.skipFilterPlugins = new Set(this.skipFilterPlugins);
    c.skipScorePlugins = new Set(this.skipScorePlugins);
    return c;
  }
}

export function newCycleState(): CycleStateImpl {
  return new CycleStateImpl();
}
