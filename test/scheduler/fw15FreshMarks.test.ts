/**
 * The filter memo's feasible marks (nodeMemo.ts: Entry.fresh, syncFresh):
 * after a sync, a slot is marked 1 exactly when its memo key is the feasible
 * key of the table's current localGeneration for it, the check the filter
 * loop's typed-array path made before (algorithm.ts). Generated sequences
 * of table changes, verdicts stored (some from NodeInfos whose generation is
 * not the table's), memo growth, entry recycling, another table and journal
 * overflows are driven against one entry, and the marks compared with the
 * keys after every sync. The decisions built on them are checked end to end
 * by equivalence.test.ts and memoSampledWindow.test.ts.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { filterMemo, filterMemoSet, syncFresh, type FilterMemoEntry, type PodShape } from '../../src/scheduler/framework/nodeMemo.ts';
import { JOURNAL_SIZE, NodeResourceTable } from '../../src/scheduler/framework/resourceTable.ts';
import { Code, Status, type NodeInfo } from '../../src/scheduler/framework/types.ts';

const SLOTS = 40;

const opArb = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('change' as const), slot: fc.nat(SLOTS - 1) }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('store' as const), slot: fc.nat(SLOTS + 20), feasible: fc.boolean(), foreign: fc.boolean() }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('sync' as const), other: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('grow' as const), slots: fc.integer({ min: 1, max: 200 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('recycle' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('flood' as const), slot: fc.nat(SLOTS - 1) }) },
);

let generation = 1;
function change(t: NodeResourceTable, slot: number): void {
  t.localGeneration[slot] = ++generation;
  t.noteChange(slot);
}

/** A NodeInfo as the memo reads it: a slot and a local generation. */
function nodeAt(slot: number, localGeneration: number): NodeInfo {
  return { resourceSlot: slot, localGeneration, generation: localGeneration } as unknown as NodeInfo;
}

/** Both directions: a mark is 1 exactly where the key is the slot's current generation. */
function expectExact(e: FilterMemoEntry, t: NodeResourceTable, fresh: Uint8Array): void {
  expect(fresh.length).toBeGreaterThanOrEqual(e.keys.length);
  for (let s = 0; s < e.keys.length; s++) {
    const hit = s < t.localGeneration.length && e.keys[s] === t.localGeneration[s];
    expect(fresh[s], `slot ${s}`).toBe(hit ? 1 : 0);
  }
}

describe('filter memo feasible marks', () => {
  it('after every sync, mark exactly the slots whose key is the feasible key of the current generation (300 runs)', () => {
    let hits = 0;
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 80 }), (ops) => {
        const tables = [new NodeResourceTable(), new NodeResourceTable()];
        for (const t of tables) for (let s = 0; s < SLOTS; s++) change(t, s);
        const memo = filterMemo();
        let shapeNo = 0;
        const shape = (): PodShape => ({ spec: `s${shapeNo}`, meta: '' });
        let e = memo.forShape(shape(), SLOTS);
        let current = tables[0]!;
        const rejected = new Status(Code.Unschedulable, ['no']);
        for (const op of ops) {
          switch (op.kind) {
            case 'change':
              change(tables[0]!, op.slot);
              change(tables[1]!, (op.slot * 7) % SLOTS);
              break;
            case 'store': {
              const t = current;
              const gen = op.slot < t.localGeneration.length ? t.localGeneration[op.slot]! : ++generation;
              filterMemoSet(e, nodeAt(op.slot, op.foreign ? ++generation : gen), op.feasible ? null : rejected);
              break;
            }
            case 'sync': {
              if (op.other) current = current === tables[0] ? tables[1]! : tables[0]!;
              const fresh = syncFresh(e, current);
              expectExact(e, current, fresh);
              for (let s = 0; s < e.keys.length; s++) if (fresh[s] === 1) hits++;
              break;
            }
            case 'grow':
              e = memo.forShape(shape(), e.keys.length + op.slots);
              break;
            case 'recycle': {
              // Four new shapes take the memo's four entries round-robin, this one among them.
              const old = e;
              for (let k = 0; k < 4; k++) {
                shapeNo++;
                const r = memo.forShape(shape(), SLOTS);
                if (r === old) e = r;
              }
              expect(e).toBe(old);
              break;
            }
            case 'flood':
              for (let k = 0; k <= JOURNAL_SIZE; k++) current.noteChange(op.slot);
              change(current, op.slot);
              break;
          }
        }
        const fresh = syncFresh(e, current);
        expectExact(e, current, fresh);
      }),
      { numRuns: 300 },
    );
    // Not trivially empty: stores of the current generation are marked (about one op in seven, many runs).
    expect(hits).toBeGreaterThan(0);
  });
});
