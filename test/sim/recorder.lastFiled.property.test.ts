/**
 * The recorder answers a lookup of an involved object's Events from the last lookup or change of the same
 * key (recorderTuning.lastFiled). Whatever the order of objects, messages, instants and expiries, a run with
 * the shortcut must record exactly what a run that probes the maps every time records: the same Events
 * (fields, counts, names) at every step, and the same run log.
 */
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EventRecorder, recorderTuning } from '../../src/sim/recorder.ts';
import type { RunLogRecord } from '../../src/sim/types.ts';

const EPOCH = Date.UTC(2025, 0, 1);

interface Step {
  /** ms the clock moves first: often 0 (one instant), sometimes past the TTL so that Events expire. */
  advance: number;
  /** Objects 0-2 have uids, 3-4 are refs without one (filed by namespace and name). */
  object: number;
  reason: number;
  message: number;
  /** Whether the object is passed as a frozen stored object (its ref shared) or as a plain ref. */
  stored: boolean;
  host: number;
}

const step: fc.Arbitrary<Step> = fc.record({
  advance: fc.oneof({ weight: 5, arbitrary: fc.constant(0) }, { weight: 3, arbitrary: fc.integer({ min: 1, max: 20 }) }, { weight: 1, arbitrary: fc.integer({ min: 20, max: 120 }) }),
  object: fc.integer({ min: 0, max: 4 }),
  reason: fc.integer({ min: 0, max: 2 }),
  // Up to 30 messages about one object: past the chain length at which an object's Events are split by message.
  message: fc.oneof(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 30 })),
  stored: fc.boolean(),
  host: fc.integer({ min: 0, max: 1 }),
});

const stored = Array.from({ length: 5 }, (_, i) =>
  Object.freeze({ apiVersion: 'v1', kind: 'Pod', metadata: Object.freeze({ namespace: 'ns', name: `obj-${i}`, uid: i < 3 ? `uid-${i}` : '', resourceVersion: '1' }) }),
);
const sources = [Object.freeze({ component: 'kubelet', host: 'n0' }), Object.freeze({ component: 'kubelet', host: 'n1' })];

/** Every step's Events (as the API server holds them, with names) and the run log. */
function record(steps: readonly Step[], ttl: number): { snapshots: unknown[]; log: RunLogRecord[] } {
  const log: RunLogRecord[] = [];
  const host = { now: 0, epochMs: EPOCH, eventTTL: ttl, log: (r: RunLogRecord): void => void log.push(r) };
  const rec = new EventRecorder(host);
  const snapshots: unknown[] = [];
  steps.forEach((s, i) => {
    host.now += s.advance;
    const ref = s.object < 3 ? { kind: 'Pod', namespace: 'ns', name: `obj-${s.object}`, uid: `uid-${s.object}` } : { kind: 'Pod', namespace: 'ns', name: `obj-${s.object}` };
    // Messages built anew for each call, as callers' template literals are.
    const message = ['m', String(s.message)].join('-');
    rec.event(s.stored ? stored[s.object]! : ref, 'Normal', `R${s.reason}`, message, sources[s.host]!);
    if (i % 7 === 0 || i === steps.length - 1) snapshots.push(rec.events().map((e) => ({ ...e, name: rec.nameOf(e) })));
  });
  return { snapshots, log };
}

describe('recorder lastFiled shortcut', () => {
  afterEach(() => {
    recorderTuning.lastFiled = true;
  });

  it('records the same Events and log as probing the maps on every lookup', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 300, size: 'max' }), fc.constantFrom(30, 100, Infinity), (steps, ttl) => {
        recorderTuning.lastFiled = true;
        const fast = record(steps, ttl);
        recorderTuning.lastFiled = false;
        const plain = record(steps, ttl);
        expect(fast.snapshots).toEqual(plain.snapshots);
        expect(fast.log).toEqual(plain.log);
      }),
      { numRuns: 250 },
    );
  });
});
