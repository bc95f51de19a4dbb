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
      const h = hashKey(ref, 'R', msg);
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

describe('Events whose keys differ only in fields the bucket hash leaves out', () => {
  it('stay separate Events, each counted on its own (source, host, kind, fieldPath, apiVersion, type)', () => {
    const { rec } = recorder(1000);
    const base = { kind: 'Pod', namespace: 'ns', name: 'p', uid: 'u1', apiVersion: 'v1' };
    const variants: Array<[typeof base & { fieldPath?: string }, 'Normal' | 'Warning', { component: string; host?: string }]> = [
      [base, 'Normal', { component: 'kubelet', host: 'n1' }],
      [base, 'Normal', { component: 'kubelet', host: 'n2' }],
      [base, 'Normal', { component: 'default-scheduler' }],
      [{ ...base, kind: 'Other' }, 'Normal', { component: 'kubelet', host: 'n1' }],
      [{ ...base, fieldPath: 'spec.containers{c}' }, 'Normal', { component: 'kubelet', host: 'n1' }],
      [{ ...base, apiVersion: 'v2' }, 'Normal', { component: 'kubelet', host: 'n1' }],
      [base, 'Warning', { component: 'kubelet', host: 'n1' }],
    ];
    for (const [ref, type, src] of variants) rec.event(ref, type, 'R', 'same message', src);
    for (const [ref, type, src] of variants) rec.event(ref, type, 'R', 'same message', src);
    const events = rec.events();
    expect(events.length).toBe(variants.length);
    expect(events.map((e) => e.count)).toEqual(variants.map(() => 2));
  });
});

describe('Events share what does not change', () => {
  it('events about one frozen object version share one frozen ref; a caller-owned ref is copied each time', () => {
    const { rec } = recorder(1000);
    const pod = Object.freeze({ apiVersion: 'v1', kind: 'Pod', metadata: Object.freeze({ name: 'web-0', namespace: 'default', uid: 'u1', resourceVersion: '7' }) });
    rec.event(pod, 'Normal', 'Pulled', 'pulled', { component: 'kubelet', host: 'n1' });
    rec.event(pod, 'Normal', 'Started', 'started', { component: 'kubelet', host: 'n1' });
    const [a, b] = rec.events();
    expect(a!.involvedObject).toBe(b!.involvedObject);
    expect(Object.isFrozen(a!.involvedObject)).toBe(true);
    expect(a!.involvedObject).toEqual({ kind: 'Pod', namespace: 'default', name: 'web-0', uid: 'u1', apiVersion: 'v1', resourceVersion: '7' });
    expect(a!.source).toBe(b!.source);
    // A plain ref the caller may change and pass again is never shared.
    const mutable = { kind: 'Node', namespace: '', name: 'n1' };
    rec.event(mutable, 'Normal', 'A', 'x', { component: 'c' });
    mutable.name = 'n2';
    rec.event(mutable, 'Normal', 'A', 'x', { component: 'c' });
    expect(rec.events().slice(2).map((e) => e.involvedObject.name)).toEqual(['n1', 'n2']);
  });

  it('a repeated message is kept once; hosts of one component get their own sources', () => {
    const { rec } = recorder(1000);
    const msg = (n: string): string => ['Started', 'container', n].join(' ');
    rec.event({ kind: 'Pod', namespace: 'default', name: 'a' }, 'Normal', 'Started', msg('app'), { component: 'kubelet', host: 'n1' });
    rec.event({ kind: 'Pod', namespace: 'default', name: 'b' }, 'Normal', 'Started', msg('app'), { component: 'kubelet', host: 'n2' });
    rec.event({ kind: 'Pod', namespace: 'default', name: 'c' }, 'Normal', 'Started', msg('app'), { component: 'kubelet' });
    const [a, b, c] = rec.events();
    expect(a!.message).toBe('Started container app');
    expect(b!.message).toBe(a!.message);
    expect(a!.source).toEqual({ component: 'kubelet', host: 'n1' });
    expect(b!.source).toEqual({ component: 'kubelet', host: 'n2' });
    expect(c!.source).toEqual({ component: 'kubelet' });
    expect('host' in c!.source).toBe(false);
  });
});
