// ResourceAllocationScorer.preScoreState keeps the previous cycle's state on
// the fast path when the pod's figures are the same: whatever the sequence of
// pods, the kept state must hold exactly the requests a fresh computation
// (podRequests, and the scorer with the fast path off) gives.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ResourceAllocationScorer } from '../../../src/scheduler/plugins/noderesources/resourceAllocation.ts';
import { leastResourceScorer } from '../../../src/scheduler/plugins/noderesources/scorers.ts';
import type { PodInfo } from '../../../src/scheduler/framework/types.ts';

const names = ['cpu', 'memory', 'ephemeral-storage', 'example.com/gpu', 'hugepages-2Mi'];

/** A PodInfo with only what the scorer reads (requests and the non-zero cpu/memory). */
function podInfo(f: { cpu: number; mem: number; eph: number; nzCpu: number; nzMem: number; scalars: Array<[string, number]> }): PodInfo {
  return {
    requests: { milliCPU: f.cpu, memory: f.mem, ephemeralStorage: f.eph, allowedPodNumber: 0, scalar: new Map(f.scalars) },
    nonZeroMilliCPU: f.nzCpu,
    nonZeroMemory: f.nzMem,
  } as unknown as PodInfo;
}

// Small value pools so that consecutive pods often share every figure, or all but one.
const small = fc.constantFrom(0, 100, 250);
const figures = fc.record({
  cpu: small,
  mem: fc.constantFrom(0, 128 * 1024 * 1024, 64 * 1024 * 1024 * 1024),
  eph: small,
  nzCpu: small,
  nzMem: fc.constantFrom(0, 200 * 1024 * 1024),
  scalars: fc.uniqueArray(fc.tuple(fc.constantFrom('example.com/gpu', 'hugepages-2Mi'), fc.constantFrom(0, 1, 2)), { selector: (t) => t[0], maxLength: 2 }),
});

describe('ResourceAllocationScorer.preScoreState (kept state)', () => {
  it('always holds the requests a fresh computation gives, and is kept only when they are equal', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.constantFrom(...names), { minLength: 1, maxLength: names.length }),
        fc.boolean(),
        fc.array(figures, { minLength: 1, maxLength: 40 }),
        (resources, useRequested, pods) => {
          const specs = resources.map((name) => ({ name, weight: 1 }));
          const fast = new ResourceAllocationScorer('t', specs, leastResourceScorer(specs), useRequested, true);
          const reference = new ResourceAllocationScorer('t', specs, leastResourceScorer(specs), useRequested, false);
          let prev: ReturnType<ResourceAllocationScorer['preScoreState']> | null = null;
          // The last pod again: its state must be the kept one.
          for (const f of [...pods, pods[pods.length - 1]!]) {
            const pi = podInfo(f);
            const s = fast.preScoreState(pi);
            const want = reference.preScoreState(pi).podRequests;
            expect([...s.podRequests]).toEqual(want);
            expect([...s.podRequests]).toEqual(fast.podRequests(pi));
            expect(s.clone()).toBe(s);
            if (prev !== null) expect(s === prev).toBe(prev.podRequests.every((v, i) => v === want[i]));
            prev = s;
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('makes a new state every cycle with the fast path off', () => {
    const specs = [{ name: 'cpu', weight: 1 }];
    const ref = new ResourceAllocationScorer('t', specs, leastResourceScorer(specs), false, false);
    const pi = podInfo({ cpu: 100, mem: 0, eph: 0, nzCpu: 100, nzMem: 0, scalars: [] });
    expect(ref.preScoreState(pi)).not.toBe(ref.preScoreState(pi));
  });
});
