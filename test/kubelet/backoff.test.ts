/** CrashLoopBackOff: 10s doubling to 5m (MaxContainerBackOff), forgotten after 2 × max without a crash (flowcontrol.Backoff). */
import { describe, expect, it } from 'vitest';
import { ContainerBackOff, restartBackOff, formatBackOff } from '../../src/kubelet/podLifecycle.ts';

describe('container restart back-off', () => {
  it('doubles from 10s to the 5m cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map(restartBackOff)).toEqual([10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000]);
    const b = new ContainerBackOff();
    let t = 0;
    const seen: number[] = [];
    for (let i = 0; i < 8; i++) {
      const d = b.next(t);
      seen.push(d);
      t += d + 1000; // crash again one second after each restart
    }
    expect(seen).toEqual([10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000]);
  });

  it('resets to 10s once the container ran more than 10 minutes since the last back-off', () => {
    const b = new ContainerBackOff();
    b.next(0);
    b.next(20_000);
    expect(b.next(20_000 + 600_000)).toBe(40_000); // exactly 2 × max: not yet expired
    expect(b.next(20_000 + 600_000 + 600_001)).toBe(10_000);
  });

  it('messages render the delay as Go does', () => {
    expect([10_000, 80_000, 300_000].map(formatBackOff)).toEqual(['10s', '1m20s', '5m0s']);
  });
});
