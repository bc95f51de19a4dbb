// FailedNodeStatuses (framework/nodeToStatus.ts) must be indistinguishable from the Map
// it replaces: the same size, order, lookups, changes and iteration, including a forEach
// whose callback changes the map.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FailedNodeStatuses } from '../../src/scheduler/framework/nodeToStatus.ts';
import { Code, Status } from '../../src/scheduler/framework/types.ts';

const statusOf = (i: number): Status => new Status(i % 2 === 0 ? Code.Unschedulable : Code.UnschedulableAndUnresolvable, [`reason ${i % 3}`]);

type Op =
  | { op: 'get' | 'has' | 'delete'; k: number }
  | { op: 'set'; k: number; v: number }
  | { op: 'forEach'; mutateAt: number; k: number; v: number; del: boolean }
  | { op: 'entries' | 'keys' | 'values' | 'size' | 'clear' };
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constantFrom('get' as const, 'has' as const, 'delete' as const), k: fc.integer({ min: 0, max: 12 }) }),
  fc.record({ op: fc.constant('set' as const), k: fc.integer({ min: 0, max: 12 }), v: fc.integer({ min: 0, max: 5 }) }),
  fc.record({ op: fc.constant('forEach' as const), mutateAt: fc.integer({ min: -1, max: 8 }), k: fc.integer({ min: 0, max: 12 }), v: fc.integer({ min: 0, max: 5 }), del: fc.boolean() }),
  fc.record({ op: fc.constantFrom('entries' as const, 'keys' as const, 'values' as const, 'size' as const, 'clear' as const) }),
);

/** Apply one operation to a map-like and say what a reader saw. */
function apply(m: Map<string, Status>, o: Op, statuses: Status[]): unknown {
  const name = (k: number) => `node-${k}`;
  switch (o.op) {
    case 'get':
      return m.get(name(o.k))?.reasons ?? null;
    case 'has':
      return m.has(name(o.k));
    case 'delete':
      return m.delete(name(o.k));
    case 'set':
      return m.set(name(o.k), statuses[o.v]!) === m;
    case 'size':
      return m.size;
    case 'clear':
      m.clear();
      return m.size;
    case 'entries':
      return [...m.entries()].map(([k, v]) => [k, v.reasons]);
    case 'keys':
      return [...m.keys()];
    case 'values':
      return [...m.values()].map((v) => v.reasons);
    case 'forEach': {
      const seen: unknown[] = [];
      let i = 0;
      m.forEach((v, k, self) => {
        seen.push([k, v.reasons, self === m]);
        if (i++ === o.mutateAt) {
          if (o.del) m.delete(name(o.k));
          else m.set(name(o.k), statuses[o.v]!);
        }
      });
      return seen;
    }
  }
}

describe('FailedNodeStatuses', () => {
  it('behaves as the Map filled with the same entries, under any sequence of reads and changes (property)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 12 }), { maxLength: 10 }), fc.array(opArb, { maxLength: 12 }), (keys, ops) => {
        const statuses = Array.from({ length: 6 }, (_, i) => statusOf(i));
        const names = keys.map((k) => `node-${k}`);
        const values = keys.map((k) => statuses[k % 6]!);
        // Longer source lists: only the first n entries count.
        const lists = new FailedNodeStatuses([...names, 'stale'], [...values, statuses[0]!], names.length);
        const plain = new Map(names.map((n, i) => [n, values[i]!]));
        expect(lists.size).toBe(plain.size);
        for (const o of ops) expect(apply(lists, o, statuses)).toEqual(apply(plain, o, statuses));
        expect([...lists]).toEqual([...plain]);
        expect(Object.prototype.toString.call(lists)).toBe('[object Map]');
        expect(lists).toBeInstanceOf(Map);
      }),
      { numRuns: 400 },
    );
  });
});
