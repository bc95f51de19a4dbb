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
/** One heap slot: the item, its key, its arrival number, its place in the array and its sort keys. */
interface Entry<T> {
  item: T;
  readonly key: string;
  arrival: number;
  pos: number;
  /** The item's sort keys (SortKeys; k3 is 0 without a third), k1 NaN when the heap has none or the item's are not numbers to compare. */
  k1: number;
  k2: number;
  k3: number;
}

/**
 * The order as two or three numbers per item, smaller first: the first
 * decides, then the second, then the third, then arrival. It must agree with the heap's less/compare for
 * every item whose keys are not NaN; an item with a NaN key is compared with
 * less/compare instead. (perf: a comparison reads two numbers kept in the
 * heap's own entries instead of following each item to its pod's spec;
 * activeQ holds 10,000 pods in a burst and a pop makes ~26 comparisons.)
 */
export interface SortKeys<T> {
  first(t: T): number;
  second(t: T): number;
  third?(t: T): number;
}

export class KeyedHeap<T> {
  /** The heap array. Each entry knows its place (perf: a sift step moved two Map entries by string key; it now writes one field). */
  private readonly heap: Entry<T>[] = [];
  /** The items in heap order, for list(); rebuilt only when read after a change. */
  private listed: T[] | null = null;
  private nextArrival = 0;
  private readonly index = new Map<string, Entry<T>>();

  constructor(
    private readonly keyOf: (t: T) => string,
    private readonly less: (a: T, b: T) => boolean,
    /** less as one three-way comparison, when the caller has it (the same order, one call instead of two). */
    private readonly compare: ((a: T, b: T) => number) | null = null,
    private readonly sortKeys: SortKeys<T> | null = null,
  ) {}

  get length(): number {
    return this.heap.length;
  }

  has(key: string): boolean {
    return this.index.has(key);
  }

  get(key: string): T | undefined {
    return this.index.get(key)?.item;
  }

  peek(): T | undefined {
    return this.heap[0]?.item;
  }

  /** Add, or replace the item with the same key and re-position it. */
  addOrUpdate(t: T): void {
    this.listed = null;
    const key = this.keyOf(t);
    const e = this.index.get(key);
    if (e !== undefined) {
      e.item = t;
      this.keyEntry(e);
      if (!this.up(e.pos)) this.down(e.pos);
      return;
    }
    const added: Entry<T> = { item: t, key, arrival: this.nextArrival++, pos: this.heap.length, k1: Number.NaN, k2: Number.NaN, k3: 0 };
    this.keyEntry(added);
    this.heap.push(added);
    this.index.set(key, added);
    this.up(added.pos);
  }

  pop(): T | undefined {
    if (this.heap.length === 0) return undefined;
    const top = this.heap[0]!.item;
    this.removeAt(0);
    return top;
  }

  delete(key: string): T | undefined {
    const e = this.index.get(key);
    if (e === undefined) return undefined;
    this.removeAt(e.pos);
    return e.item;
  }

  /** Items in heap (array) order. */
  list(): readonly T[] {
    if (this.listed === null) this.listed = this.heap.map((e) => e.item);
    return this.listed;
  }

  private removeAt(i: number): void {
    this.listed = null;
    const heap = this.heap;
    this.index.delete(heap[i]!.key);
    const last = heap.pop()!;
    if (i === heap.length) return;
    heap[i] = last;
    last.pos = i;
    if (!this.up(i)) this.down(i);
  }

  private keyEntry(e: Entry<T>): void {
    const sk = this.sortKeys;
    if (sk === null) return;
    const k1 = sk.first(e.item);
    const k2 = sk.second(e.item);
    const k3 = sk.third !== undefined ? sk.third(e.item) : 0;
    // NaN in any key: this entry is compared the slow way (k1 NaN marks it).
    e.k1 = Number.isNaN(k2) || Number.isNaN(k3) ? Number.NaN : k1;
    e.k2 = k2;
    e.k3 = k3;
  }

  /** Whether a goes before b: by the sort keys or `less`, then by arrival. */
  private before(a: Entry<T>, b: Entry<T>): boolean {
    const a1 = a.k1;
    const b1 = b.k1;
    // NaN === NaN is false, so an entry without keys takes the path below.
    if (a1 === a1 && b1 === b1) {
      if (a1 !== b1) return a1 < b1;
      const a2 = a.k2;
      const b2 = b.k2;
      if (a2 !== b2) return a2 < b2;
      const a3 = a.k3;
      const b3 = b.k3;
      if (a3 !== b3) return a3 < b3;
      return a.arrival < b.arrival;
    }
    if (this.compare !== null) {
      const c = this.compare(a.item, b.item);
      return c < 0 || (c === 0 && a.arrival < b.arrival);
    }
    if (this.less(a.item, b.item)) return true;
    if (this.less(b.item, a.item)) return false;
    return a.arrival < b.arrival;
  }

  /*
   * Sifting moves the entry through a hole and places it once at the end;
   * every comparison is the one a swap-per-level sift makes, so the array
   * comes out the same.
   */
  private up(i: number): boolean {
    const heap = this.heap;
    const e = heap[i]!;
    const start = i;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = heap[p]!;
      if (!this.before(e, parent)) break;
      heap[i] = parent;
      parent.pos = i;
      i = p;
    }
    if (i !== start) {
      heap[i] = e;
      e.pos = i;
    }
    return i !== start;
  }

  private down(i: number): void {
    const heap = this.heap;
    const n = heap.length;
    const e = heap[i]!;
    const start = i;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      let m = l;
      let child = heap[l]!;
      const r = l + 1;
      if (r < n && this.before(heap[r]!, child)) {
        m = r;
        child = heap[r]!;
      }
      if (!this.before(child, e)) break;
      heap[i] = child;
      child.pos = i;
      i = m;
    }
    if (i !== start) {
      heap[i] = e;
      e.pos = i;
    }
  }
}
