// The FailedScheduling message's reason histogram (upstream FitError.Error with
// sortReasonsHistogram), checked against a plain count on generated node statuses
// where some nodes share one Status object (as plugins share them) and others do not.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fitErrorMessage, newDiagnosis } from '../../src/scheduler/framework/fitError.ts';
import { Code, Status } from '../../src/scheduler/framework/types.ts';

const REASONS = ['Insufficient cpu', 'Insufficient memory', "node(s) had untolerated taint {a: b}", 'Too many pods', "node(s) didn't match Pod's node affinity/selector"];

function plainMessage(numAll: number, statuses: Status[], absent: Status | null): string {
  const counts = new Map<string, number>();
  for (const st of statuses) for (const r of st.reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  if (absent) for (const r of absent.reasons) counts.set(r, (counts.get(r) ?? 0) + (numAll - statuses.length));
  const parts = [...counts].map(([r, c]) => `${c} ${r}`).sort();
  return `0/${numAll} nodes are available:${parts.length > 0 ? ` ${parts.join(', ')}.` : ''}`;
}

describe('fitErrorMessage', () => {
  it('counts every node once whether statuses are shared or not (300 runs)', () => {
    const reasonsArb = fc.subarray(REASONS, { minLength: 1, maxLength: 3 });
    fc.assert(
      fc.property(
        fc.array(reasonsArb, { minLength: 1, maxLength: 4 }),
        fc.array(fc.record({ pick: fc.nat(), shared: fc.boolean() }), { minLength: 0, maxLength: 60 }),
        fc.nat({ max: 5 }),
        (pool, nodes, absentCount) => {
          const shared = pool.map((rs) => new Status(Code.Unschedulable, Object.freeze([...rs]) as string[]));
          const d = newDiagnosis();
          const statuses: Status[] = [];
          nodes.forEach((n, i) => {
            const k = n.pick % pool.length;
            const st = n.shared ? shared[k]! : new Status(Code.Unschedulable, [...pool[k]!]);
            statuses.push(st);
            d.nodeToStatus.set(`node-${i}`, st);
          });
          const absent = absentCount > 0 ? shared[0]! : null;
          d.absentNodesStatus = absent;
          const numAll = nodes.length + absentCount;
          expect(fitErrorMessage(numAll, d)).toBe(plainMessage(numAll, statuses, absent));
        },
      ),
      { numRuns: 300 },
    );
  });
});
