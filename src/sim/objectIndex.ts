/**
 * An index of the objects of one kind, by namespace then name, with a lazily
 * rebuilt sorted view per namespace so list() is cheap between creates and
 * deletes (updates replace in place by binary search). Used by the store and
 * by informer caches. Ordering is by UTF-16 code units, which equals Go's
 * byte order for the ASCII names Kubernetes allows.
 */

class Bucket<T> {
  readonly objs = new Map<string, T>();
  names: string[] | null = null;
  sorted: T[] | null = null;
}

function byString(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function search(names: string[], name: string): number {
  let lo = 0;
  let hi = names.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const m = names[mid]!;
    if (m < name) lo = mid + 1;
    else if (m > name) hi = mid - 1;
    else return mid;
  }
  return -1;
}

export class KindIndex<T> {
  private readonly buckets = new Map<string, Bucket<T>>();
  private namespaces: string[] | null = null;
  private _size = 0;

  get size(): number {
    return this._size;
  }

  get(namespace: string, name: string): T | undefined {
    return this.buckets.get(namespace)?.objs.get(name);
  }

  has(namespace: string, name: string): boolean {
    return this.buckets.get(namespace)?.objs.has(name) ?? false;
  }

  /** Insert or replace; returns true when it was an insert. */
  set(namespace: string, name: string, obj: T): boolean {
    let b = this.buckets.get(namespace);
    if (!b) {
      b = new Bucket<T>();
      this.buckets.set(namespace, b);
      this.namespaces = null;
    }
    // One hash lookup, not two (has, then set): setting a name already there leaves the size as it was.
    const size = b.objs.size;
    b.objs.set(name, obj);
    const isNew = b.objs.size !== size;
    if (isNew) {
      this._size++;
      b.names = null;
      b.sorted = null;
    } else if (b.sorted !== null) {
      const i = search(b.names!, name);
      b.sorted[i] = obj;
    }
    return isNew;
  }

  /**
   * set() that returns the object it replaced (undefined for an insert): one
   * bucket lookup and one map read for an informer's delivery, which needs
   * the old object and then stores the new one.
   */
  put(namespace: string, name: string, obj: T): T | undefined {
    let b = this.buckets.get(namespace);
    if (!b) {
      b = new Bucket<T>();
      this.buckets.set(namespace, b);
      this.namespaces = null;
    }
    const old = b.objs.get(name);
    b.objs.set(name, obj);
    if (old === undefined) {
      this._size++;
      b.names = null;
      b.sorted = null;
    } else if (b.sorted !== null) {
      b.sorted[search(b.names!, name)] = obj;
    }
    return old;
  }

  delete(namespace: string, name: string): T | undefined {
    const b = this.buckets.get(namespace);
    if (!b) return undefined;
    const old = b.objs.get(name);
    if (old === undefined) return undefined;
    b.objs.delete(name);
    this._size--;
    b.names = null;
    b.sorted = null;
    if (b.objs.size === 0) {
      this.buckets.delete(namespace);
      this.namespaces = null;
    }
    return old;
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
      b.names = names;
      b.sorted = names.map((n) => b.objs.get(n)!);
    }
    return b.sorted;
  }
}
