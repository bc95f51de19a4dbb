/**
 * The recorder's filing (Events chained per involved object, split by message past a chain length,
 * the last lookup remembered, expiry unlinking them) against a
 * plain model of client-go's correlator and the API server's --event-ttl: a list of live Events in order
 * of first recording, each write found by scanning for the same de-duplication key, an Event dropped once
 * its last write is one TTL old. After every step the recorder must hold exactly the model's Events
 * (fields, counts, timestamps, order), whatever the order of objects, messages, instants and expiries.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EventRecorder } from '../../src/sim/recorder.ts';
import type { EventSource, RecordedEvent } from '../../src/sim/types.ts';

const EPOCH = Date.UTC(2025, 0, 1);
const TTL = 100;

interface Step {
  /** ms the clock moves first: often 0, sometimes past the TTL so that Events expire. */
  advance: number;
  /** Objects 0-3 have uids, 4-5 are refs without one (filed by namespace and name). */
  object: number;
  reason: number;
  message: number;
  host: number;
  warning: boolean;
}

const step: fc.Arbitrary<Step> = fc.record({
  advance: fc.oneof({ weight: 5, arbitrary: fc.constant(0) }, { weight: 4, arbitrary: fc.integer({ min: 1, max: 30 }) }, { weight: 1, arbitrary: fc.integer({ min: 30, max: 150 }) }),
  object: fc.integer({ min: 0, max: 5 }),
  reason: fc.integer({ min: 0, max: 2 }),
  // Up to 40 messages about one object: past the chain length at which an object's Events are split by message.
  message: fc.oneof(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 40 })),
  host: fc.integer({ min: 0, max: 2 }),
  warning: fc.boolean(),
});

const sources: EventSource[] = [{ component: 'kubelet', host: 'n0' }, { component: 'kubelet', host: 'n1' }, { component: 'scheduler' }];

interface ModelEvent {
  key: string;
  fields: Omit<RecordedEvent, 'annotations'>;
}

/** What the recorder holds: each Event's public fields, in its order. */
function held(rec: EventRecorder): unknown[] {
  return rec.events().map((e) => ({ ...e, involvedObject: { ...e.involvedObject }, source: { ...e.source } }));
}

function run(steps: readonly Step[]): { recorder: unknown[][]; model: unknown[][]; expired: number; split: boolean } {
  const host = { now: 0, epochMs: EPOCH, eventTTL: TTL };
  const rec = new EventRecorder(host);
  let live: ModelEvent[] = [];
  const recorder: unknown[][] = [];
  const model: unknown[][] = [];
  let expired = 0;
  const distinct = new Map<number, Set<string>>();
  for (const s of steps) {
    host.now += s.advance;
    const ref =
      s.object < 4
        ? { kind: 'Pod', namespace: 'ns', name: `obj-${s.object}`, uid: `uid-${s.object}` }
        : { kind: 'Node', namespace: '', name: `obj-${s.object}` };
    const type = s.warning ? 'Warning' : 'Normal';
    const reason = `R${s.reason}`;
    const message = `m-${s.message}`;
    const source = sources[s.host]!;
    rec.event(ref, type, reason, message, source);
    // The model: drop what expired, then bump the Event with the same key or append a new one.
    const before = live.length;
    live = live.filter((e) => e.fields.lastTimestamp + TTL > host.now);
    expired += before - live.length;
    const key = JSON.stringify([ref, type, reason, message, source]);
    const found = live.find((e) => e.key === key);
    if (found) {
      found.fields.count++;
      found.fields.lastTimestamp = host.now;
    } else {
      live.push({
        key,
        fields: { type, reason, message, involvedObject: { ...ref }, source: { ...source }, count: 1, firstTimestamp: host.now, lastTimestamp: host.now },
      });
    }
    let messages = distinct.get(s.object);
    if (!messages) distinct.set(s.object, (messages = new Set()));
    messages.add(`${s.reason}/${message}/${s.host}/${type}`);
    recorder.push(held(rec));
    model.push(live.map((e) => ({ ...e.fields, involvedObject: { ...e.fields.involvedObject }, source: { ...e.fields.source } })));
  }
  return { recorder, model, expired, split: [...distinct.values()].some((m) => m.size > 16) };
}

describe('recorder filing against a plain model', () => {
  it('holds the model’s Events after every step', () => {
    let expiring = 0;
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 300, size: 'max' }), (steps) => {
        const { recorder, model, expired } = run(steps);
        if (expired > 0) expiring++;
        expect(recorder).toEqual(model);
      }),
      { numRuns: 300 },
    );
    // Arrays drawn over their whole length: most runs pass the TTL several times.
    expect(expiring).toBeGreaterThan(30);
  });

  it('splits a long chain by message and still expires each Event as the model does', () => {
    // One object, 40 distinct messages at one instant (split past 16), some repeated later, then all expiring.
    const steps: Step[] = [];
    for (let m = 0; m < 40; m++) steps.push({ advance: 0, object: 0, reason: 0, message: m, host: 0, warning: false });
    for (let m = 0; m < 40; m += 3) steps.push({ advance: 7, object: 0, reason: 0, message: m, host: 0, warning: false });
    for (let k = 0; k < 20; k++) steps.push({ advance: 11, object: k % 2 === 0 ? 0 : 4, reason: 1, message: k, host: 1, warning: true });
    const { recorder, model, expired, split } = run(steps);
    expect(split).toBe(true);
    expect(expired).toBeGreaterThan(40);
    expect(recorder).toEqual(model);
  });
});
