/**
 * The nodes' status codes preemption reads from the failed cycle's map
 * (preemption/evaluator.ts nodeStatusCodes): walked in insertion order when
 * the keys are the list's names from one position on, looked up otherwise.
 * On generated maps (written as a failed cycle writes them, wrapping from a
 * start node; with the nominated node first; cut short; shuffled; with
 * unknown names or names equal but not identical) and node lists (some with
 * a repeated name), every code must equal upstream's NodeToStatus.Get: the
 * map's status, or UnschedulableAndUnresolvable for an absent node.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Node } from 'kubernetes-types/core/v1';
import { NodeInfoImpl } from '../../src/scheduler/framework/nodeInfo.ts';
import { Code, Status, type NodeInfo } from '../../src/scheduler/framework/types.ts';
import { nodeStatusCodes } from '../../src/scheduler/preemption/evaluator.ts';

const RUNS = 400;
const CODES = [Code.Unschedulable, Code.UnschedulableAndUnresolvable, Code.Error];

function nodeInfo(name: string): NodeInfo {
  const node: Node = { apiVersion: 'v1', kind: 'Node', metadata: { name }, status: { allocatable: { cpu: '1' } } };
  return new NodeInfoImpl(node);
}

/** A copy of the string that is not the same object (as a name read from another copy of a node would be). */
function copyOf(s: string): string {
  return (' ' + s).slice(1);
}

const caseArb = fc.record({
  size: fc.integer({ min: 1, max: 12 }),
  /** Give the last node the first one's name. */
  repeat: fc.integer({ min: 0, max: 7 }).map((n) => n === 0),
  start: fc.nat(),
  count: fc.nat(),
  order: fc.constantFrom('rotation', 'rotation', 'rotation', 'nominatedFirst', 'shuffled'),
  shuffleSeed: fc.nat(),
  extra: fc.integer({ min: 0, max: 5 }).map((n) => n === 0),
  copies: fc.boolean(),
  codes: fc.array(fc.integer({ min: 0, max: CODES.length - 1 }), { minLength: 12, maxLength: 12 }),
  nominated: fc.nat(),
});

describe('nodeStatusCodes', () => {
  it(`equals a lookup of every node (${RUNS} runs)`, () => {
    let walked = 0;
    fc.assert(
      fc.property(caseArb, (c) => {
        const names = Array.from({ length: c.size }, (_, i) => `node-${i}`);
        if (c.repeat && c.size > 1) names[c.size - 1] = names[0]!;
        const list = names.map(nodeInfo);
        const statuses = CODES.map((code) => new Status(code, ['r']));
        const m = new Map<string, Status>();
        const key = (i: number): string => (c.copies ? copyOf(names[i]!) : names[i]!);
        const start = c.start % c.size;
        const count = 1 + (c.count % c.size);
        if (c.order === 'nominatedFirst') m.set(key(c.nominated % c.size), statuses[c.codes[0]!]!);
        const positions = Array.from({ length: count }, (_, j) => (start + j) % c.size);
        if (c.order === 'shuffled') {
          let seed = c.shuffleSeed;
          for (let i = positions.length - 1; i > 0; i--) {
            seed = (seed * 1103515245 + 12345) % 2147483648;
            const j = seed % (i + 1);
            [positions[i], positions[j]] = [positions[j]!, positions[i]!];
          }
        }
        for (const p of positions) m.set(key(p), statuses[c.codes[p]!]!);
        if (c.extra) m.set('elsewhere', statuses[0]!);
        const got = Array.from(nodeStatusCodes(m, list).subarray(0, c.size));
        const want = names.map((n) => m.get(n)?.code ?? Code.UnschedulableAndUnresolvable);
        expect(got).toEqual(want);
        if (c.order === 'rotation' && !c.extra && !c.repeat) walked++;
      }),
      { numRuns: RUNS },
    );
    // The walk (not only the lookup) is exercised.
    expect(walked).toBeGreaterThan(RUNS / 4);
  });
});
