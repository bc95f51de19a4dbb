// The activeQ heap with PrioritySort's three-way compare (one call per comparison), and with
// its sort keys kept in the heap's entries, pops pods in exactly the order it does with less()
// alone (two calls, then arrival order), over generated adds, updates, deletes and pops with
// tied priorities and timestamps, and NaN priorities (compared the slow way).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { KeyedHeap } from '../../src/scheduler/queue/heap.ts';
import { PrioritySort } from '../../src/scheduler/plugins/PrioritySort.ts';
import type { QueuedPodInfo } from '../../src/scheduler/framework/types.ts';

interface Item extends QueuedPodInfo {
  key: string;
}

function item(key: string, priority: number | undefined, timestamp: number): Item {
  const spec = priority === undefined ? { containers: [] } : { containers: [], priority };
  return { key, timestamp, attempts: 0, podInfo: { pod: { metadata: { name: key }, spec } } } as unknown as Item;
}

const op = fc.oneof(
  fc.record({ kind: fc.constant('put' as const), key: fc.nat(12), priority: fc.option(fc.oneof({ weight: 6, arbitrary: fc.integer({ min: -2, max: 2 }) }, { weight: 1, arbitrary: fc.constant(Number.NaN) }), { nil: undefined }), timestamp: fc.nat(3) }),
  fc.record({ kind: fc.constant('delete' as const), key: fc.nat(12) }),
  fc.record({ kind: fc.constant('pop' as const) }),
);

describe('KeyedHeap with a three-way compare', () => {
  it('pops in the order less() and arrival give (300 runs)', () => {
    const sort = new PrioritySort();
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const plain = new KeyedHeap<Item>((i) => i.key, (a, b) => sort.less(a, b));
        const fast = new KeyedHeap<Item>((i) => i.key, (a, b) => sort.less(a, b), (a, b) => sort.compare(a, b));
        const keyed = new KeyedHeap<Item>((i) => i.key, (a, b) => sort.less(a, b), (a, b) => sort.compare(a, b), sort.sortKeys);
        const popped: Array<[string | undefined, string | undefined, string | undefined]> = [];
        for (const o of ops) {
          if (o.kind === 'put') {
            const it = item(`p${o.key}`, o.priority, o.timestamp);
            plain.addOrUpdate(it);
            fast.addOrUpdate(it);
            keyed.addOrUpdate(it);
          } else if (o.kind === 'delete') {
            plain.delete(`p${o.key}`);
            fast.delete(`p${o.key}`);
            keyed.delete(`p${o.key}`);
          } else popped.push([plain.pop()?.key, fast.pop()?.key, keyed.pop()?.key]);
        }
        while (plain.length > 0 || fast.length > 0 || keyed.length > 0) popped.push([plain.pop()?.key, fast.pop()?.key, keyed.pop()?.key]);
        for (const [a, b, c] of popped) {
          expect(b).toBe(a);
          expect(c).toBe(a);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('compare agrees with less in sign, ties included', () => {
    const sort = new PrioritySort();
    const xs = [item('a', 1, 5), item('b', 1, 5), item('c', 2, 9), item('d', undefined, 1), item('e', 0, 1), item('f', Number.NaN, 3)];
    for (const a of xs)
      for (const b of xs) {
        const c = sort.compare(a, b);
        expect(c < 0).toBe(sort.less(a, b));
        expect(c > 0).toBe(sort.less(b, a));
      }
  });

  it('the sort keys order as less does wherever they are numbers', () => {
    const sort = new PrioritySort();
    const keys = sort.sortKeys;
    const xs = [item('a', 1, 5), item('b', 1, 5), item('c', 2, 9), item('d', undefined, 1), item('e', 0, 1), item('g', -3, 0), item('h', 7, 2)];
    for (const a of xs)
      for (const b of xs) {
        const [a1, a2, b1, b2] = [keys.first(a), keys.second(a), keys.first(b), keys.second(b)];
        const keyLess = a1 !== b1 ? a1 < b1 : a2 < b2;
        expect(keyLess).toBe(sort.less(a, b));
      }
  });
});

/**
 * The textbook keyed heap the queue's heap must lay out identically: swap one level at a time, up
 * while before the parent, down while the earlier child goes first (two comparisons per level); ties
 * broken by arrival, kept across updates. list() exposes the array, so equal lists mean the same layout.
 */
class SwapHeap {
  readonly a: Array<{ it: Item; arrival: number }> = [];
  private arrivals = 0;
  constructor(private readonly less: (x: Item, y: Item) => boolean) {}
  private first(i: number, j: number): boolean {
    const x = this.a[i]!;
    const y = this.a[j]!;
    if (this.less(x.it, y.it)) return true;
    if (this.less(y.it, x.it)) return false;
    return x.arrival < y.arrival;
  }
  private swap(i: number, j: number): void {
    [this.a[i], this.a[j]] = [this.a[j]!, this.a[i]!];
  }
  private fix(i: number): void {
    let moved = false;
    while (i > 0 && this.first(i, (i - 1) >> 1)) {
      this.swap(i, (i - 1) >> 1);
      i = (i - 1) >> 1;
      moved = true;
    }
    if (moved) return;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= this.a.length) return;
      const c = l + 1 < this.a.length && this.first(l + 1, l) ? l + 1 : l;
      if (!this.first(c, i)) return;
      this.swap(c, i);
      i = c;
    }
  }
  put(it: Item): void {
    const at = this.a.findIndex((x) => x.it.key === it.key);
    if (at >= 0) {
      this.a[at]!.it = it;
      this.fix(at);
      return;
    }
    this.a.push({ it, arrival: this.arrivals++ });
    this.fix(this.a.length - 1);
  }
  remove(at: number): Item | undefined {
    if (at < 0 || at >= this.a.length) return undefined;
    const out = this.a[at]!.it;
    const last = this.a.pop()!;
    if (at < this.a.length) {
      this.a[at] = last;
      this.fix(at);
    }
    return out;
  }
  del(key: string): Item | undefined {
    return this.remove(this.a.findIndex((x) => x.it.key === key));
  }
}

describe('KeyedHeap layout', () => {
  it('keeps the array a swap-per-level heap keeps, after every add, update, delete and pop (300 runs)', () => {
    const sort = new PrioritySort();
    // Integer priorities only: a real pod's priority is an int32 (NaN orders nothing consistently).
    const intOp = fc.oneof(
      { weight: 4, arbitrary: fc.record({ kind: fc.constant('put' as const), key: fc.nat(40), priority: fc.option(fc.integer({ min: -3, max: 3 }), { nil: undefined }), timestamp: fc.nat(4) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), key: fc.nat(40) }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('pop' as const) }) },
    );
    fc.assert(
      fc.property(fc.array(intOp, { maxLength: 300 }), (ops) => {
        const ref = new SwapHeap((a, b) => sort.less(a, b));
        const plain = new KeyedHeap<Item>((i) => i.key, (a, b) => sort.less(a, b));
        const keyed = new KeyedHeap<Item>((i) => i.key, (a, b) => sort.less(a, b), (a, b) => sort.compare(a, b), sort.sortKeys);
        for (const o of ops) {
          if (o.kind === 'put') {
            const it = item(`p${o.key}`, o.priority, o.timestamp);
            ref.put(it);
            plain.addOrUpdate(it);
            keyed.addOrUpdate(it);
          } else if (o.kind === 'delete') {
            const want = ref.del(`p${o.key}`)?.key;
            expect(plain.delete(`p${o.key}`)?.key).toBe(want);
            expect(keyed.delete(`p${o.key}`)?.key).toBe(want);
          } else {
            const want = ref.remove(0)?.key;
            expect(plain.pop()?.key).toBe(want);
            expect(keyed.pop()?.key).toBe(want);
          }
          const layout = ref.a.map((x) => x.it.key);
          expect(plain.list().map((x) => x.key)).toEqual(layout);
          expect(keyed.list().map((x) => x.key)).toEqual(layout);
        }
      }),
      { numRuns: 300 },
    );
  });
});
