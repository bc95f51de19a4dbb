/**
 * DaemonSet convergence over random small clusters (200 runs): when the run
 * settles, every eligible node runs exactly one of the DaemonSet's pods and
 * no other node runs one (see daemonset.property.helpers.ts for the model).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { caseArb, run, type Case } from './daemonset.property.helpers.ts';

const RUNS = 200;

describe('DaemonSet properties', () => {
  it('every eligible node ends with exactly one daemon pod, and no other node has one', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        expect(run(c as Case).problems).toEqual([]);
      }),
      { numRuns: RUNS, seed: 11 },
    );
  });

});
