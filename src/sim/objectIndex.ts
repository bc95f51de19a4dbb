/**
 * An index of the objects of one kind, by namespace then name, with a lazily
 * rebuilt sorted view per namespace so list() is cheap between creates and
 * deletes (updates replace in place). Used by the store and by informer
 * caches. Ordering is by UTF-16 code units, which equals Go's byte order for
 * the ASCII names Kubernetes allows.
 */

/**
 * One name's place in a bucket: the object, and its position in the bucket's
 * sorted view (meaningful only while that view exists; every rebuild sets it).
 * A replacement writes the entry, so it costs one hash lookup, not a read and
 * a write of the map plus a binary search of the sorted names (perf: 5,000
 * nodes' Leases are replaced every 10 s, in the store and in the informer
 * cache).
 */
export class IndexEntry<T> {
  /** False once the name is deleted (a later object of that name has a new entry): a kept entry is checked by this. */
  live = true;

  constructor(
    public obj: T,
    public pos: number,
    /** The bucket holding the entry (its sorted view is patched on replace). */
    readonly bucket: Bucket<T>,
    /** The entry's name (its key in the bucket), for the next-entry guess (Bucket.order). */
    readonly name: string,
    /** Its index in the bucket's order. */
    public orderIndex: number,
  ) {}
}

/** Holes left in a bucket's order before it is compacted: at least this many, and at least as many as live entries. */
const MinDeadBeforeCompact = 64;

class Bucket<T> {
  /** The bucket's key in its index (deleteEntry drops an emptied bucket by it). */
  constructor(readonly namespace: string) {}

  readonly objs = new Map<string, IndexEntry<T>>();
  names: string[] | null = null;
  sorted: T[] | null = null;
  /**
   * The entries in insertion order (a deleted one leaves a hole, until compacted), and the index after the entry the
   * last put() or entry() found: they first try the entry there, with a string comparison instead of a hash lookup.
   * Writers that go over the same names in the same order again and again hit it every time (perf: 5,000 kubelets
   * renew in the same order every 10 s, and the informer cache's lookup was ~5% of an idle 5,000-node hour, a
   * hash-table miss per Lease). A guess counts only when the entry is live and has the name, so it is the entry
   * the map holds for that name (a name has at most one live entry in its bucket).
   */
  order: Array<IndexEntry<T> | undefined> = [];
  cursor = 0;
  /**
   * The guess is tried only while it has been right (or would have been: the entry found by hashing was at the
   * cursor): a writer going over names in no steady order (pods) pays no load of a wrong entry, only this flag.
   */
  guessing = true;
  dead = 0;
}

/** The live entry of `name` in the bucket: the guess (Bucket.order) when it is that, else the map's; the guess moves past it. */
function findEntry<T>(b: Bucket<T>, name: string): IndexEntry<T> | undefined {
  const c = b.cursor;
  let e: IndexEntry<T> | undefined;
  if (b.guessing && c < b.order.length) {
    e = b.order[c];
    if (e !== undefined && (!e.live || e.name !== name)) e = undefined;
  }
  if (e === undefined) {
    e = b.objs.get(name);
    if (e === undefined) return undefined;
    b.guessing = e.orderIndex === c;
  }
  b.cursor = e.orderIndex + 1;
  return e;
}

/** A bucket's order without its holes (each entry's orderIndex updated), the guess starting over. */
function compactOrder<T>(b: Bucket<T>): void {
  const live: IndexEntry<T>[] = [];
  for (const e of b.order) {
    if (e === undefined) continue;
    e.orderIndex = live.length;
    live.push(e);
  }
  b.order = live;
  b.cursor = 0;
  b.dead = 0;
}

function byString(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export class KindIndex<T> {
  private readonly buckets = new Map<string, Bucket<T>>();
  private namespaces: string[] | null = null;
  private _size = 0;
  /** A count its owner may keep of writes to the index (ApiStore.writesOf); an informer cache leaves it at 0. */
  writes = 0;
  /**
   * The bucket last found by namespace, and that namespace: most runs of reads and writes stay in one namespace
   * (a Lease burst is 5,000 writes to kube-node-lease), so a string comparison replaces the bucket's hash lookup.
   * Dropped with its bucket (delete).
   */
  private lastNamespace: string | undefined = undefined;
  private lastBucket: Bucket<T> | undefined = undefined;

  get size(): number {
    return this._size;
  }

  private bucketOf(namespace: string): Bucket<T> | undefined {
    if (namespace === this.lastNamespace) return this.lastBucket;
    const b = this.buckets.get(namespace);
    if (b !== undefined) {
      this.lastNamespace = namespace;
      this.lastBucket = b;
    }
    return b;
  }

  private bucketFor(namespace: string): Bucket<T> {
    let b = this.bucketOf(namespace);
    if (b === undefined) {
      b = new Bucket<T>(namespace);
      this.buckets.set(namespace, b);
      this.namespaces = null;
      this.lastNamespace = namespace;
      this.lastBucket = b;
    }
    return b;
  }

  get(namespace: string, name: string): T | undefined {
    return this.bucketOf(namespace)?.objs.get(name)?.obj;
  }

  has(namespace: string, name: string): boolean {
    return this.bucketOf(namespace)?.objs.has(name) ?? false;
  }

  /**
   * The entry of an object (undefined: none), for a writer that reads the object and then replaces it
   * (replaceEntry): one lookup for both. Valid while `live` (until the name is deleted), so a writer may keep it.
   */
  entry(namespace: string, name: string): IndexEntry<T> | undefined {
    const b = this.bucketOf(namespace);
    return b === undefined ? undefined : findEntry(b, name);
  }

  /** Replace the object of an entry still in the index (entry()), as set() would. */
  replaceEntry(e: IndexEntry<T>, obj: T): void {
    e.obj = obj;
    const sorted = e.bucket.sorted;
    if (sorted !== null) sorted[e.pos] = obj;
  }

  /** Insert or replace; returns true when it was an insert. */
  set(namespace: string, name: string, obj: T): boolean {
    return this.put(namespace, name, obj) === undefined;
  }

  /**
   * set() that returns the object it replaced (undefined for an insert): one
   * bucket lookup and one map read for an informer's delivery, which needs
   * the old object and then stores the new one.
   */
  put(namespace: string, name: string, obj: T): T | undefined {
    const b = this.bucketFor(namespace);
    let e = findEntry(b, name);
    if (e !== undefined) {
      const old = e.obj;
      e.obj = obj;
      if (b.sorted !== null) b.sorted[e.pos] = obj;
      return old;
    }
    this.add(b, name, obj);
    return undefined;
  }

  /**
   * Insert `obj` unless the name has an object (then false, the index unchanged): for a creator that must fail
   * on an existing name, one test and the insert rather than a test and then set()'s second lookup.
   */
  insert(namespace: string, name: string, obj: T): boolean {
    const b = this.bucketFor(namespace);
    if (b.objs.has(name)) return false;
    this.add(b, name, obj);
    return true;
  }

  /** A new entry for a name the bucket does not hold. */
  private add(b: Bucket<T>, name: string, obj: T): void {
    const e = new IndexEntry(obj, -1, b, name, b.order.length);
    b.order.push(e);
    b.objs.set(name, e);
    this._size++;
    b.names = null;
    b.sorted = null;
  }

  delete(namespace: string, name: string): T | undefined {
    const e = this.bucketOf(namespace)?.objs.get(name);
    if (e === undefined) return undefined;
    this.deleteEntry(e);
    return e.obj;
  }

  /**
   * Remove the object of an entry still in the index (entry(), `live`), as delete() would: a writer that found
   * the entry to read the object removes it with no second lookup of the name (perf: a store delete read the
   * name three times).
   */
  deleteEntry(e: IndexEntry<T>): void {
    const b = e.bucket;
    b.objs.delete(e.name);
    e.live = false;
    b.order[e.orderIndex] = undefined;
    if (++b.dead >= MinDeadBeforeCompact && b.dead >= b.objs.size) compactOrder(b);
    this._size--;
    b.names = null;
    b.sorted = null;
    if (b.objs.size === 0) {
      this.buckets.delete(b.namespace);
      this.namespaces = null;
      if (this.lastBucket === b) {
        this.lastNamespace = undefined;
        this.lastBucket = undefined;
      }
    }
  }

  /** Namespaces holding at least one object, sorted. */
  namespaceNames(): string[] {
    if (this.namespaces === null) this.namespaces = [...this.buckets.keys()].sort(byString);
    return this.namespaces;
  }

  /** Sorted by namespace, then name; a fresh array the caller may keep or sort. */
  list(namespace?: string): T[] {
    if (namespace !== undefined) {
      const b = this.buckets.get(namespace);
      return b ? this.sortedOf(b).slice() : [];
    }
    const out: T[] = [];
    for (const ns of this.namespaceNames()) {
      const sorted = this.sortedOf(this.buckets.get(ns)!);
      for (let i = 0; i < sorted.length; i++) out.push(sorted[i]!);
    }
    return out;
  }

  /** Visit every object in (namespace, name) order without building an array. */
  forEach(fn: (obj: T, namespace: string, name: string) => void): void {
    for (const ns of this.namespaceNames()) {
      const b = this.buckets.get(ns)!;
      const sorted = this.sortedOf(b);
      const names = b.names!;
      for (let i = 0; i < sorted.length; i++) fn(sorted[i]!, ns, names[i]!);
    }
  }

  private sortedOf(b: Bucket<T>): T[] {
    if (b.sorted === null) {
      const names = [...b.objs.keys()].sort(byString);
      const sorted = new Array<T>(names.length);
      for (let i = 0; i < names.length; i++) {
        const e = b.objs.get(names[i]!)!;
        e.pos = i;
        sorted[i] = e.obj;
      }
      b.names = names;
      b.sorted = sorted;
    }
    return b.sorted;
  }
}
