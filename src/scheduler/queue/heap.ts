/**
 * A keyed binary heap, following kube-scheduler's
 * pkg/scheduler/backend/heap/heap.go: items addressable by key for update
 * and delete, ordered by a less function.
 *
 * Ties fall back to the order of arrival. Upstream's queue-sort functions
 * compare `time.Now()` timestamps, which are distinct for every pod, so two
 * pods never tie there; ksim's clock is in milliseconds and pods created in
 * one instant share a timestamp. Without this fallback the heap's array
 * layout would decide (six pods created together were popped 0, 5, 4, 3, 2,
 * 1). An update keeps the item's place in the arrival order, as upstream
 * keeps its timestamp.
 */
export class KeyedHeap<T> {
  private readonly items: T[] = [];
  /** Arrival number of items[i], kept in step with items. */
  private readonly arrival: number[] = [];
  private nextArrival = 0;
  private readonly index = new Map<string, number>();

  constructor(
    private readonly keyOf: (t: T) => string,
    private readonly less: (a: T, b: T) => boolean,
  ) {}

  get length(): number {
    return this.items.length;
  }

  has(key: string): boolean {
    return this.index.has(key);
  }

  get(key: string): T | undefined {
    const i = this.index.get(key);
    return i === undefined ? undefined : this.items[i];
  }

  peek(): T | undefined {
    return this.items[0];
  }

  /** Add, or replace the item with the same key and re-position it. */
  addOrUpdate(t: T): void {
    const key = this.keyOf(t);
    const i = this.index.get(key);
    if (i !== undefined) {
      this.items[i] = t;
      if (!this.up(i)) this.down(i);
      return;
    }
    this.items.push(t);
    this.arrival.push(this.nextArrival++);
    this.index.set(key, this.items.length - 1);
    this.up(this.items.length - 1);
  }

  pop(): T | undefined {
    if (this.items.length === 0) return undefined;
    const top = this.items[0]!;
    this.removeAt(0);
    return top;
  }

  delete(key: string): T | undefined {
    const i = this.index.get(key);
    if (i === undefined) return undefined;
    const t = this.items[i]!;
    this.removeAt(i);
    return t;
  }

  /** Items in heap (array) order. */
  list(): readonly T[] {
    return this.items;
  }

  private removeAt(i: number): void {
    const last = this.items.length - 1;
    this.index.delete(this.keyOf(this.items[i]!));
    if (i !== last) {
      this.items[i] = this.items[last]!;
      this.arrival[i] = this.arrival[last]!;
      this.index.set(this.keyOf(this.items[i]!), i);
      this.items.pop();
      this.arrival.pop();
      if (!this.up(i)) this.down(i);
    } else {
      this.items.pop();
      this.arrival.pop();
    }
  }

  /** Whether items[i] goes before items[j]: by `less`, then by arrival. */
  private before(i: number, j: number): boolean {
    const a = this.items[i]!;
    const b = this.items[j]!;
    if (this.less(a, b)) return true;
    if (this.less(b, a)) return false;
    return this.arrival[i]! < this.arrival[j]!;
  }

  private swap(i: number, j: number): void {
    const a = this.items[i]!;
    const b = this.items[j]!;
    this.items[i] = b;
    this.items[j] = a;
    const n = this.arrival[i]!;
    this.arrival[i] = this.arrival[j]!;
    this.arrival[j] = n;
    this.index.set(this.keyOf(b), i);
    this.index.set(this.keyOf(a), j);
  }

  private up(i: number): boolean {
    const start = i;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.before(i, p)) break;
      this.swap(i, p);
      i = p;
    }
    return i !== start;
  }

  private down(i: number): void {
    const n = this.items.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      let m = l;
      const r = l + 1;
      if (r < n && this.before(r, l)) m = r;
      if (!this.before(m, i)) break;
      this.swap(i, m);
      i = m;
    }
  }
}
