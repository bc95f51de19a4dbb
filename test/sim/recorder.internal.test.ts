/**
 * The recorder keeps each Event's name bump, its place in its involved
 * object's chain and its expiry in private fields, and names Events at an
 * instant from a map of that instant's names: a recorded event must still look exactly like the public
 * RecordedEvent (keys, JSON, equality), keep its name after it expires, and
 * expire exactly one TTL after its last write, after which the same event
 * starts a new Event.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
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

describe('Events are filed by their involved object and told apart by their fields', () => {
  it('one object\'s Events stay separate, each counted and expiring on its own, whichever expires first', () => {
    const { rec, host } = recorder(1000);
    const src = { component: 'kubelet', host: 'n1' };
    const other = { kind: 'Pod', namespace: 'default', name: 'web-1', uid: 'u2' };
    const live = (): Array<[string, number]> => rec.events().map((e) => [`${e.involvedObject.name}/${e.reason}/${e.message}`, e.count]);
    rec.event(ref, 'Normal', 'A', 'a', src); // t=0
    rec.event(ref, 'Normal', 'B', 'b', src);
    rec.event(ref, 'Normal', 'C', 'c', src);
    rec.event(ref, 'Normal', 'C', 'c2', src); // same reason, another message: another Event
    rec.event(other, 'Normal', 'A', 'a', src); // same reason and message, another object
    host.now = 300;
    rec.event(ref, 'Normal', 'A', 'a', src); // renews the first of the chain
    rec.event(ref, 'Normal', 'C', 'c2', src); // and the last
    expect(live()).toEqual([
      ['web-0/A/a', 2],
      ['web-0/B/b', 1],
      ['web-0/C/c', 1],
      ['web-0/C/c2', 2],
      ['web-1/A/a', 1],
    ]);
    host.now = 1000; // the middle of web-0's chain (B, C/c) and web-1's only Event expire
    expect(live()).toEqual([
      ['web-0/A/a', 2],
      ['web-0/C/c2', 2],
    ]);
    // What is left of the chain is still found; what expired starts anew.
    rec.event(ref, 'Normal', 'C', 'c2', src);
    rec.event(ref, 'Normal', 'B', 'b', src);
    rec.event(other, 'Normal', 'A', 'a', src);
    expect(live()).toEqual([
      ['web-0/A/a', 2],
      ['web-0/C/c2', 3],
      ['web-0/B/b', 1],
      ['web-1/A/a', 1],
    ]);
    host.now = 1300; // the head (A, renewed at 300) expires; C/c2 was renewed at 1000
    rec.event(ref, 'Normal', 'B', 'b', src);
    rec.event(ref, 'Normal', 'A', 'a', src);
    expect(live()).toEqual([
      ['web-0/C/c2', 3],
      ['web-0/B/b', 2],
      ['web-1/A/a', 1],
      ['web-0/A/a', 1],
    ]);
    host.now = 2300; // all of them
    expect(live()).toEqual([]);
    rec.event(ref, 'Normal', 'A', 'a', src);
    expect(live()).toEqual([['web-0/A/a', 1]]);
  });

  it('refs without a uid are filed by namespace and name', () => {
    const { rec } = recorder(1000);
    const src = { component: 'c' };
    rec.event({ kind: 'Node', namespace: '', name: 'n1' }, 'Normal', 'R', 'm', src);
    rec.event({ kind: 'Node', namespace: '', name: 'n2' }, 'Normal', 'R', 'm', src);
    rec.event({ kind: 'Node', namespace: '', name: 'n1' }, 'Normal', 'R', 'm', src);
    rec.event({ kind: 'Node', namespace: '', name: 'n1', uid: 'x' }, 'Normal', 'R', 'm', src);
    expect(rec.events().map((e) => [e.involvedObject.name, e.involvedObject.uid, e.count])).toEqual([
      ['n1', undefined, 2],
      ['n2', undefined, 1],
      ['n1', 'x', 1],
    ]);
  });
});

describe('Event names', () => {
  const nanos = (ms: number, extra = 0): string => (BigInt(ms) * 1_000_000n + BigInt(extra)).toString(16);

  it('Events about one name at one instant get successive nanoseconds; the next instant starts afresh', () => {
    const { rec, host } = recorder(1000);
    const src = { component: 'kubelet' };
    const epoch = Date.UTC(2025, 0, 1);
    rec.event(ref, 'Normal', 'A', 'a', src);
    rec.event(ref, 'Normal', 'B', 'b', src);
    rec.event({ ...ref, uid: 'u9' }, 'Normal', 'C', 'c', src); // same name, another object: still bumped
    rec.event({ ...ref, name: 'web-1' }, 'Normal', 'A', 'a', src);
    host.now = 1;
    rec.event(ref, 'Normal', 'D', 'd', src);
    rec.event(ref, 'Normal', 'A', 'a', src); // a repeat keeps its name
    expect(rec.events().map((e) => rec.nameOf(e))).toEqual([
      `web-0.${nanos(epoch)}`,
      `web-0.${nanos(epoch, 1)}`,
      `web-0.${nanos(epoch, 2)}`,
      `web-1.${nanos(epoch)}`,
      `web-0.${nanos(epoch + 1)}`,
    ]);
    expect(rec.toEventObject(rec.events()[1]!).metadata?.name).toBe(`web-0.${nanos(epoch, 1)}`);
  });

  it('a name bumped past the next instant keeps counting from where it got to', () => {
    const { rec, host } = recorder(1000);
    const src = { component: 'kubelet' };
    const epoch = Date.UTC(2025, 0, 1);
    rec.event(ref, 'Normal', 'A', 'a', src);
    rec.event({ ...ref, name: 'web-1' }, 'Normal', 'A', 'a', src);
    // A million and a half Events about web-0 within this millisecond, without recording them all.
    // web-0 is the instant's first name, kept beside the map of the others.
    const inner = rec as unknown as { firstName: string; firstBump: number; maxBump: number };
    expect(inner.firstName).toBe('web-0');
    inner.firstBump = 1_500_000;
    inner.maxBump = 1_500_000;
    host.now = 1;
    rec.event(ref, 'Normal', 'B', 'b', src);
    rec.event({ ...ref, name: 'web-1' }, 'Normal', 'B', 'b', src);
    host.now = 2;
    rec.event(ref, 'Normal', 'C', 'c', src);
    expect(rec.events().slice(2).map((e) => rec.nameOf(e))).toEqual([`web-0.${nanos(epoch, 1_500_001)}`, `web-1.${nanos(epoch + 1)}`, `web-0.${nanos(epoch + 2)}`]);
  });
});

describe('Events about one object whose keys differ in any other field', () => {
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

  it('messages alternating under one reason keep their own text and are still shared', () => {
    const { rec } = recorder(1000);
    const msg = (n: string): string => ['Started', 'container', n].join(' ');
    const src = { component: 'kubelet' };
    const names = ['a', 'b', 'a', 'b', 'c'];
    names.forEach((c, i) => rec.event({ kind: 'Pod', namespace: 'default', name: `p${i}` }, 'Normal', 'Started', msg(c), src));
    const ms = rec.events().map((e) => e.message);
    expect(ms).toEqual(names.map(msg));
    expect(ms[2]).toBe(ms[0]);
    expect(ms[3]).toBe(ms[1]);
  });
});

describe('Objects with many live Events (chains split by message)', () => {
  // The recorder against a plain model: Events keyed by every de-duplication field, each expiring one
  // TTL after its last write. Up to 40 distinct messages an object, so chains pass the split length.
  const refs = [
    { kind: 'Job', namespace: 'default', name: 'big', uid: 'u-big' },
    { kind: 'Pod', namespace: 'default', name: 'p', uid: 'u-p' },
    { kind: 'Node', namespace: '', name: 'n1' },
  ];
  const op = fc.record({
    // Mostly the Job, so it holds more live Events than the split length.
    obj: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.nat(refs.length - 1) }),
    msg: fc.nat(39),
    reason: fc.constantFrom('SuccessfulCreate', 'SuccessfulDelete'),
    host: fc.constantFrom(undefined, 'n1'),
    // Mostly close together, now and then a TTL apart.
    dt: fc.oneof({ weight: 6, arbitrary: fc.nat(8) }, { weight: 1, arbitrary: fc.nat(1500) }),
  });

  it('count, first and last write, and expiry match a plain model, in any order of writes', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 60, maxLength: 400, size: 'max' }), (ops) => {
        const { rec, host } = recorder(1000);
        const model = new Map<string, { count: number; first: number; last: number }>();
        for (const o of ops) {
          host.now += o.dt;
          for (const [k, v] of model) if (v.last + 1000 <= host.now) model.delete(k);
          const r = refs[o.obj]!;
          const message = `Created pod: big-${o.msg}`;
          const source = o.host === undefined ? { component: 'job-controller' } : { component: 'job-controller', host: o.host };
          rec.event(r, 'Normal', o.reason, message, source);
          const key = JSON.stringify([r.name, r.uid ?? '', o.reason, message, o.host ?? '']);
          const m = model.get(key);
          if (m) {
            m.count++;
            m.last = host.now;
          } else model.set(key, { count: 1, first: host.now, last: host.now });
        }
        host.now += 999;
        for (const [k, v] of model) if (v.last + 1000 <= host.now) model.delete(k);
        const live = new Map(
          rec.events().map((e) => [
            JSON.stringify([e.involvedObject.name, e.involvedObject.uid ?? '', e.reason, e.message, e.source.host ?? '']),
            { count: e.count, first: e.firstTimestamp, last: e.lastTimestamp },
          ]),
        );
        expect(live.size).toBe(rec.events().length);
        expect(live).toEqual(model);
      }),
      { numRuns: 200 },
    );
  });

  it('20,000 distinct Events about one object: each new one costs no more than the first ones (no walk of all)', () => {
    const { rec } = recorder(3_600_000);
    const job = refs[0]!;
    // Count the de-duplication comparisons through the Events' `reason` reads: a walk of one chain
    // per new Event read it ~200 million times here; split by message, a few per Event.
    let reads = 0;
    for (let i = 0; i < 20_000; i++) rec.event(job, 'Normal', 'SuccessfulCreate', `Created pod: big-${i}`, { component: 'job-controller' });
    const all = rec.events();
    for (const e of all) {
      const reason = e.reason;
      Object.defineProperty(e, 'reason', { get: () => (reads++, reason), enumerable: true, configurable: true });
    }
    rec.event(job, 'Normal', 'SuccessfulCreate', 'Created pod: big-19999', { component: 'job-controller' });
    rec.event(job, 'Normal', 'SuccessfulCreate', 'Created pod: big-20000', { component: 'job-controller' });
    expect(all[19_999]!.count).toBe(2);
    expect(reads).toBeLessThan(10);
  });
});
