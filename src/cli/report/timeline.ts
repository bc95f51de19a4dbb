/**
 * Time buckets that grow with the run: the report does not know a run's end
 * while the run log streams in, so buckets start narrow and, when there are
 * more than `max` of them, neighbours merge in pairs (the width doubles).
 * A `sum` series adds its pair (bindings per bucket); a `last` series keeps
 * the later value (the state at the bucket's end: pods by phase).
 */
import type { Time } from '../../sim/types.ts';

export type MergeMode = 'sum' | 'last';

export class Buckets {
  width: Time;
  /** How many times the buckets have merged in pairs. */
  merges = 0;
  private readonly series: Array<{ values: number[]; mode: MergeMode }> = [];

  constructor(
    initialWidth: Time = 100,
    readonly max = 160,
  ) {
    this.width = initialWidth;
  }

  /** A new series (all series share the buckets). */
  add(mode: MergeMode): number[] {
    const values: number[] = [];
    this.series.push({ values, mode });
    return values;
  }

  /** The bucket of time t, merging buckets first when t is beyond the last one allowed. */
  index(t: Time): number {
    while (Math.floor(t / this.width) >= this.max) this.halve();
    return Math.floor(t / this.width);
  }

  private halve(): void {
    for (const s of this.series) {
      const v = s.values;
      const n = Math.ceil(v.length / 2);
      for (let i = 0; i < n; i++) {
        const a = v[2 * i];
        const b = v[2 * i + 1];
        if (s.mode === 'sum') v[i] = (a ?? 0) + (b ?? 0);
        else v[i] = b ?? a ?? 0;
      }
      v.length = n;
    }
    this.width *= 2;
    this.merges++;
  }
}
