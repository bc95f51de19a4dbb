/**
 * A failed cycle's statuses by node name (Diagnosis.nodeToStatus, the map
 * PostFilter plugins get), kept as two lists in evaluation order until
 * something needs a keyed lookup or a change (fast path; no upstream
 * counterpart: upstream's NodeToStatus is a Go map).
 *
 * Why: a failed cycle rejects every node, and filing a thousand names in a
 * Map was about a third of PreemptionBasic's garbage and a visible share of
 * its time, while the readers of a failed cycle (the FailedScheduling
 * histogram, preemption's walk over the nodes) only count and iterate.
 *
 * It is a Map in every respect a reader can see (an out-of-tree PostFilter
 * plugin included: it is an instance of Map): size, order (evaluation order,
 * as the Map it replaces was filled), get/has/set/delete, iteration. The
 * first get, has, set, delete, clear or iterator call files the lists in the
 * Map itself and everything after is plain Map behaviour; forEach and size
 * read the lists while they are not filed.
 */
import type { Status } from './types.ts';

export class FailedNodeStatuses extends Map<string, Status> {
  private names: string[] | null;
  private statuses: Status[] | null;
  private filed = false;

  /** The first `n` entries of `names` and `statuses` (distinct names), copied. */
  constructor(names: readonly string[], statuses: readonly Status[], n: number) {
    super();
    this.names = names.slice(0, n);
    this.statuses = statuses.slice(0, n);
  }

  /** File the lists in the Map (once). */
  private file(): void {
    if (this.filed) return;
    this.filed = true;
    const names = this.names!;
    const statuses = this.statuses!;
    for (let i = 0; i < names.length; i++) super.set(names[i]!, statuses[i]!);
    this.names = null;
    this.statuses = null;
  }

  /** The number of entries (Map's `size` accessor is redefined below to read this). */
  currentSize(): number {
    return this.filed ? Reflect.get(Map.prototype, 'size', this) : this.names!.length;
  }

  override get(key: string): Status | undefined {
    this.file();
    return super.get(key);
  }
  override has(key: string): boolean {
    this.file();
    return super.has(key);
  }
  override set(key: string, value: Status): this {
    this.file();
    return super.set(key, value);
  }
  override delete(key: string): boolean {
    this.file();
    return super.delete(key);
  }
  override clear(): void {
    this.file();
    super.clear();
  }

  override forEach(cb: (value: Status, key: string, map: Map<string, Status>) => void, thisArg?: unknown): void {
    if (this.filed) {
      super.forEach(cb, thisArg);
      return;
    }
    const names = this.names!;
    const statuses = this.statuses!;
    for (let i = 0; i < names.length; i++) {
      cb.call(thisArg, statuses[i]!, names[i]!, this);
      if (this.filed) {
        // The callback changed the map: go on over it as Map.forEach would, with every
        // entry not visited yet (new ones included) and without the deleted ones.
        const visited = new Set(names.slice(0, i + 1));
        for (const [k, v] of super.entries()) if (!visited.has(k)) cb.call(thisArg, v, k, this);
        return;
      }
    }
  }

  override entries(): MapIterator<[string, Status]> {
    this.file();
    return super.entries();
  }
  override keys(): MapIterator<string> {
    this.file();
    return super.keys();
  }
  override values(): MapIterator<Status> {
    this.file();
    return super.values();
  }
  override [Symbol.iterator](): MapIterator<[string, Status]> {
    this.file();
    return super[Symbol.iterator]();
  }
}

// `size` is an accessor on Map.prototype (a property to TypeScript), so it is redefined here.
Object.defineProperty(FailedNodeStatuses.prototype, 'size', {
  get(this: FailedNodeStatuses): number {
    return this.currentSize();
  },
  configurable: true,
});
