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
