/**
 * Pod IPs: each node hands out the lowest free host number of its own block
 * (10.244.<node>.x), and keeps the address text per host number to give again
 * when the number is reused. The reused text must be this node's (a cache
 * shared by nodes, or one keyed by anything but the host number, gives another
 * node's or another host's address).
 */
import { describe, expect, it } from 'vitest';
import { boundPod, getPod, kubeletsOnly, node } from './helpers.ts';

describe('pod addresses', () => {
  it('a freed host number is reused, with its own node\'s address, on every node', () => {
    const sim = kubeletsOnly();
    sim.apply(node('n1'));
    sim.apply(node('n2'));
    const ip = (name: string) => getPod(sim, name)?.status?.podIP;
    for (const n of ['n1', 'n2']) for (const p of ['a', 'b', 'c']) sim.apply(boundPod(`${n}-${p}`, n, { restartPolicy: 'Never', annotations: p === 'a' ? { 'ksim.dev/run-duration': '5s' } : {} }));
    sim.runUntil(2000);
    const first = Object.fromEntries(['n1', 'n2'].flatMap((n) => ['a', 'b', 'c'].map((p) => [`${n}-${p}`, ip(`${n}-${p}`)])));
    const blocks = ['n1', 'n2'].map((n) => first[`${n}-a`]!.split('.').slice(0, 3).join('.'));
    expect(blocks[0]).not.toBe(blocks[1]);
    for (const [i, n] of ['n1', 'n2'].entries()) expect(['a', 'b', 'c'].map((p) => first[`${n}-${p}`])).toEqual([1, 2, 3].map((h) => `${blocks[i]}.${h}`));
    // The "a" pods finish (their addresses go back), and new pods take host 1 again, then 4.
    sim.runUntil(10_000);
    for (const n of ['n1', 'n2']) for (const p of ['d', 'e']) sim.apply(boundPod(`${n}-${p}`, n));
    sim.runUntil(12_000);
    for (const [i, n] of ['n1', 'n2'].entries()) {
      expect(ip(`${n}-d`)).toBe(`${blocks[i]}.1`);
      expect(ip(`${n}-e`)).toBe(`${blocks[i]}.4`);
    }
  });
});
