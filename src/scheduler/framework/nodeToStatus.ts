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
 * It is a Map in every respect a reader can see: size, order (evaluation
 * order, as the Map it replaces was filled), get/has/set/delete, iteration.
 * The first get, has, set, delete, clear or iterator call files the lists in
 * a real Map and everything after uses it; forEach and size read the lists
 * while there is no Map.
 */
import type { Status } from './types.ts';

export class FailedNodeStatuses implements Map<string, Status> {
  private names: string[] | null;
  private statuses: Status[] | null;
  private map: Map<string, Status> | null = null;

  /** The first `n` entries of `names` and `statuses` (distinct names), copied. */
  constructor(names: readonly string[], statuses: readonly Status[], n: number) {
    this.names = names.slice(0, n);
    this.statuses = statuses.slice(0, n);
  }

  private asMap(): Map<string, Status> {
    if (this.map === null) {
      const names = this.names!;
      const statuses = this.statuses!;
      const m = new Map<string, Status>();
      for (let i = 0; i < names.length; i++) m.set(names[i]!, statuses[i]!);
      this.map = m;
      this.names = null;
      this.statuses = null;
    }
    return this.map;
  }

  get size(): number {
    return this.map !== null ? this.map.size : this.names!.length;
  }
  get(key: string): Status | undefined {
    return this.asMap().get(key);
  }
  has(key: string): boolean {
    return this.asMap().has(key);
  }
  set(key: string, value: Status): this {
    this.asMap().set(key, value);
    return this;
  }
  delete(key: string): boolean {
    return this.asMap().delete(key);
  }
  clear(): void {
    this.asMap().clear();
  }

  forEach(cb: (value: Status, key: string, map: Map<string, Status>) => void, thisArg?: unknown): void {
    if (this.map !== null) {
      this.map.forEach((v, k) => cb.call(thisArg, v, k, this));
      return;
    }
    const names = this.names!;
    const statuses = this.statuses!;
    for (let i = 0; i < names.length; i++) {
      cb.call(thisArg, statuses[i]!, names[i]!, this);
      // (Read again: the callback may have filed the lists.)
      const changed = this.map as Map<string, Status> | null;
      if (changed !== null) {
        // The callback changed the map: go on over it as Map.forEach would, with every
        // entry not visited yet (new ones included) and without the deleted ones.
        const visited = new Set(names.slice(0, i + 1));
        for (const [k, v] of changed) if (!visited.has(k)) cb.call(thisArg, v, k, this);
        return;
      }
    }
  }

  entries(): MapIterator<[string, Status]> {
    return this.asMap().entries();
  }
  keys(): MapIterator<string> {
    return this.asMap().keys();
  }
  values(): MapIterator<Status> {
    return this.asMap().values();
  }
  [Symbol.iterator](): MapIterator<[string, Status]> {
    return this.asMap()[Symbol.iterator]();
  }
  get [Symbol.toStringTag](): string {
    return 'Map';
  }
}
