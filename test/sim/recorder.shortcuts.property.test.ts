/**
 * The recorder's two shortcuts against plain models of what they replace:
 *  - Event names: the naming instant's first name is kept beside the map of
 *    its other names (firstName); every name must be what one map of all the
 *    instant's names gives (client-go's `<name>.<hex nanos>`, bumped on
 *    collisions), whatever the order of names and instants.
 *  - Message sharing: a reason whose messages keep being new is not probed
 *    for a while; every Event must still carry its own message's text, and
 *    repeats must still be the same Event (counted), whether the message was
 *    probed or not.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EventRecorder } from '../../src/sim/recorder.ts';

const EPOCH = Date.UTC(2025, 0, 1);

/** One recording: how far the clock moves first (ms), the involved object, reason and message. */
interface Step {
  advance: number;
  object: number;
  reason: number;
  message: number;
  unique: boolean;
}

/** Steps whose messages are unique with weight `unique` in 10: runs with many make their reasons unprobed. */
const step = (unique: number): fc.Arbitrary<Step> => fc.record({
  // Mostly the same instant, so that names collide; sometimes the next one or a later one.
  advance: fc.oneof({ weight: 6, arbitrary: fc.constant(0) }, { weight: 3, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.integer({ min: 2, max: 5000 }) }),
  object: fc.integer({ min: 0, max: 3 }),
  reason: fc.integer({ min: 0, max: 2 }),
  message: fc.integer({ min: 0, max: 3 }),
  // A message never seen again (as a scheduler's "Successfully assigned ..."): runs of them make a reason unprobed.
  unique: fc.integer({ min: 0, max: 9 }).map((n) => n < unique),
});
const steps = fc.integer({ min: 0, max: 10 }).chain((unique) => fc.array(step(unique), { minLength: 1, maxLength: 600, size: 'max' }));

/** The same message text built anew for each call, as callers' template literals do. */
function text(s: Step, i: number): string {
  return s.unique ? ['assigned', `pod-${i}`, 'to', `node-${s.message}`].join(' ') : ['Started', 'container', `c${s.message}`].join(' ');
}

describe('recorder shortcuts give what the plain models give', () => {
  it('names, messages and counts match a model with one map of names per instant and no message sharing', () => {
    fc.assert(
      fc.property(steps, (steps) => {
        const host = { now: 0, epochMs: EPOCH, eventTTL: Infinity };
        const rec = new EventRecorder(host);
        // The model: Events by de-duplication key in order of first recording, and one map of names per instant.
        const model: Array<{ key: string; name: string; message: string; count: number }> = [];
        const byKey = new Map<string, (typeof model)[number]>();
        let instant = -1;
        let names = new Map<string, number>();
        steps.forEach((s, i) => {
          host.now += s.advance;
          const object = `obj-${s.object}`;
          const reason = `R${s.reason}`;
          const message = text(s, i);
          rec.event({ kind: 'Pod', namespace: 'ns', name: object, uid: `u${s.object}` }, 'Normal', reason, message, { component: 'c' });
          const key = `${object}\u0000${reason}\u0000${message}`;
          const seen = byKey.get(key);
          if (seen) {
            seen.count++;
            return;
          }
          if (host.now !== instant) {
            instant = host.now;
            names = new Map();
          }
          const last = names.get(object);
          const bump = last === undefined ? 0 : last + 1;
          names.set(object, bump);
          const name = `${object}.${(BigInt(EPOCH + host.now) * 1_000_000n + BigInt(bump)).toString(16)}`;
          const e = { key, name, message, count: 1 };
          model.push(e);
          byKey.set(key, e);
        });
        const got = rec.events();
        expect(got.map((e) => rec.nameOf(e))).toEqual(model.map((e) => e.name));
        expect(got.map((e) => e.message)).toEqual(model.map((e) => e.message));
        expect(got.map((e) => e.count)).toEqual(model.map((e) => e.count));
      }),
      { numRuns: 300 },
    );
  });

  it('a reason left unprobed after a run of new messages still records each text, and repeats are one Event', () => {
    const host = { now: 0, epochMs: EPOCH, eventTTL: Infinity };
    const rec = new EventRecorder(host);
    const src = { component: 'default-scheduler' };
    // 200 new messages in a row: the reason is unprobed after the first 64.
    for (let i = 0; i < 200; i++) rec.event({ kind: 'Pod', namespace: 'ns', name: `p${i}`, uid: `u${i}` }, 'Normal', 'Scheduled', ['assigned', `p${i}`].join(' '), src);
    // Repeats about the same objects (while unprobed) are counted on the Event they repeat.
    for (let i = 0; i < 200; i += 2) rec.event({ kind: 'Pod', namespace: 'ns', name: `p${i}`, uid: `u${i}` }, 'Normal', 'Scheduled', ['assigned', `p${i}`].join(' '), src);
    const events = rec.events();
    expect(events.map((e) => e.message)).toEqual(Array.from({ length: 200 }, (_, i) => `assigned p${i}`));
    expect(events.map((e) => e.count)).toEqual(Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? 2 : 1)));
  });
});

describe('recorder source sharing', () => {
  // The last source object passed and its shared copy are remembered: against a model of one shared object
  // per (component, host), with callers that reuse, replace and mutate their source objects between calls.
  type SourceOp = { obj: number; mutate: boolean; component: number; host: number };
  const opArb: fc.Arbitrary<SourceOp> = fc.record({
    obj: fc.integer({ min: 0, max: 2 }),
    mutate: fc.boolean(),
    component: fc.integer({ min: 0, max: 1 }),
    host: fc.integer({ min: 0, max: 2 }),
  });

  it('every Event holds the shared source of the component and host passed at its call', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 60 }), (ops) => {
        const rec = new EventRecorder({ now: 0, epochMs: EPOCH, eventTTL: Infinity });
        // host 2: none (a source without a host).
        const make = (c: number, h: number): { component: string; host?: string } => (h === 2 ? { component: `c${c}` } : { component: `c${c}`, host: `h${h}` });
        const objs = [make(0, 0), make(0, 1), make(1, 2)];
        const shared = new Map<string, object>();
        ops.forEach((o, i) => {
          if (o.mutate) {
            const next = make(o.component, o.host);
            const src = objs[o.obj]!;
            src.component = next.component;
            if (next.host === undefined) delete src.host;
            else src.host = next.host;
          }
          const src = objs[o.obj]!;
          rec.event({ kind: 'Pod', namespace: 'ns', name: 'p', uid: 'u' }, 'Normal', 'R', `m${i}`, src);
          const ev = rec.events()[i]!;
          expect({ ...ev.source }).toEqual({ ...src });
          const key = `${src.component}\u0000${src.host ?? '-'}`;
          const first = shared.get(key);
          if (first === undefined) shared.set(key, ev.source);
          else expect(ev.source).toBe(first);
        });
      }),
      { numRuns: 300 },
    );
  });
});
