/**
 * The kubelet keeps the host numbers of a node's pod IPs in use as bits of a field (1-31) and a set (32 on)
 * (hostNumbers.ts). Over generated sequences of allocations and releases - enough live at once to pass 31 -
 * each allocation gives the number a set of every number in use gives: the lowest free one.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { allocateHost, releaseHost, type HostNumbers } from '../../src/kubelet/hostNumbers.ts';

/** The general path: every number in use in one set, the lowest free one from 1 found by a scan. */
class Plain {
  private readonly used = new Set<number>();
  allocate(): number {
    let host = 1;
    while (this.used.has(host)) host++;
    this.used.add(host);
    return host;
  }
  release(host: number): void {
    this.used.delete(host);
  }
}

type Op = { t: 'allocate' } | { t: 'release'; pick: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ t: 'allocate' as const }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('release' as const), pick: fc.nat() }) },
);

describe('pod IP host numbers', () => {
  it('gives the lowest free number, as a scan of every number in use does', () => {
    let pastLow = 0;
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 300, size: 'max' }), (ops) => {
        const h: HostNumbers = { usedLow: 0, usedHigh: new Set(), freeFrom: 1 };
        const plain = new Plain();
        const live: number[] = [];
        for (const o of ops) {
          if (o.t === 'allocate') {
            const got = allocateHost(h);
            expect(got).toBe(plain.allocate());
            live.push(got);
            if (got >= 32) pastLow++;
          } else if (live.length > 0) {
            // A number in use, or one that is not (a second release changes nothing).
            const host = o.pick % 3 === 0 ? (o.pick % 40) + 1 : live.splice(o.pick % live.length, 1)[0]!;
            if (live.includes(host)) live.splice(live.indexOf(host), 1);
            releaseHost(h, host);
            plain.release(host);
          }
        }
      }),
      { numRuns: 300 },
    );
    // Numbers past the bits were given in some runs (how many varies with the seed; some always do).
    expect(pastLow).toBeGreaterThan(0);
  });
});
