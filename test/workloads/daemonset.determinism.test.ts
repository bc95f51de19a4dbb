/**
 * DaemonSet runs are byte-identical for a seed (200 random cases from
 * daemonset.property.helpers.ts's generator): every store change, with its
 * virtual time and resourceVersion, in the same order.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { caseArb, run, type Case } from './daemonset.property.helpers.ts';

describe('DaemonSet determinism', () => {
  it('the same seed gives a byte-identical run', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        expect(run(c as Case).trace).toBe(run(c as Case).trace);
      }),
      { numRuns: 200, seed: 12 },
    );
  });
});
