/**
 * The recorder keeps each Event's de-duplication key, name and expiry on a
 * hidden record: a recorded event must still look exactly like the public
 * RecordedEvent (keys, JSON, equality), keep its name after it expires, and
 * expire exactly one TTL after its last write, after which the same event
 * starts a new Event.
 */
import { describe, expect, it } from 'vitest';
import { EventRecorder } from '../../src/sim/recorder.ts';

function recorder(ttl: number): { rec: EventRecorder; host: { now: number; epochMs: number; eventTTL: number } } {
  const host = { now: 0, epochMs: Date.UTC(2025, 0, 1), eventTTL: ttl };
  return { rec: new EventRecorder(host), host };
}

const ref = { kind: 'Pod', namespace: 'default', name: 'web-0', uid: 'u1' };

describe('EventRecorder internals stay hidden', () => {
  it('a recorded event has only the public fields', () => {
    const { rec } = recorder(1000);
    rec.event(ref, 'Normal', 'Started', 'Started container web', { component: 'kubelet', host: 'n1' });
    const ev = rec.events()[0]!;
    expect(Object.keys(ev).sort()).toEqual(['count', 'firstTimestamp', 'involvedObject', 'lastTimestamp', 'message', 'reason', 'source', 'type']);
    expect(JSON.parse(JSON.stringify(ev))).toEqual({
      type: 'Normal',
      reason: 'Started',
      message: 'Started container web',
      involvedObject: ref,
      source: { component: 'kubelet', host: 'n1' },
      count: 1,
      firstTimestamp: 0,
      lastTimestamp: 0,
    });
    expect({ ...ev }).toEqual(ev);
  });

  it('expires one TTL after the last write, keeps its name, and a repeat starts a new Event', () => {
    const { rec, host } = recorder(1000);
    const src = { component: 'kubelet' };
    rec.event(ref, 'Normal', 'Pulled', 'm', src);
    const first = rec.events()[0]!;
    const name = rec.nameOf(first);
    host.now = 600;
    rec.event(ref, 'Normal', 'Pulled', 'm', src);
    host.now = 1599;
    expect(rec.events()).toEqual([first]);
    expect(first.count).toBe(2);
    host.now = 1600;
    expect(rec.events()).toEqual([]);
    expect(rec.nameOf(first)).toBe(name);
    rec.event(ref, 'Normal', 'Pulled', 'm', src);
    const second = rec.events()[0]!;
    expect(second).not.toBe(first);
    expect(second.count).toBe(1);
    expect(rec.nameOf(second)).not.toBe(name);
  });
});

describe('Events are filed by a hash of their key and told apart by their fields', () => {
  it('two keys with the same hash stay two Events, each counted and expiring on its own', async () => {
    const { hashKey } = await import('../../src/sim/recorder.ts');
    const src = { component: 'kubelet', host: 'n1' };
    // Find two messages whose keys collide (birthday search over a 32-bit hash).
    const seen = new Map<number, string>();
    let pair: [string, string] | undefined;
    for (let i = 0; !pair && i < 2_000_000; i++) {
      const msg = `m${i}`;
      const h = hashKey(src, ref, 'Normal', 'R', msg);
      const other = seen.get(h);
      if (other !== undefined) pair = [other, msg];
      else seen.set(h, msg);
    }
    expect(pair).toBeDefined();
    const [a, b] = pair!;
    const { rec, host } = recorder(1000);
    rec.event(ref, 'Normal', 'R', a, src);
    rec.event(ref, 'Normal', 'R', b, src);
    host.now = 500;
    rec.event(ref, 'Normal', 'R', b, src);
    expect(rec.events().map((e) => [e.message, e.count])).toEqual([
      [a, 1],
      [b, 2],
    ]);
    host.now = 1000; // a's lease ends; b was renewed at 500
    expect(rec.events().map((e) => e.message)).toEqual([b]);
    rec.event(ref, 'Normal', 'R', b, src);
    rec.event(ref, 'Normal', 'R', a, src);
    expect(rec.events().map((e) => [e.message, e.count])).toEqual([
      [b, 3],
      [a, 1],
    ]);
  });
});
