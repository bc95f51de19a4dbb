/**
 * Events about one stored object version share its ref, which the recorder freezes only once a second Event
 * may hold it (recorderTuning.freezeWhenShared) rather than when the first is recorded. Whatever the order of
 * objects, versions, messages and instants, a run must record what a run freezing every shared ref at once
 * records (the same Events and run log, the same refs shared between the same Events), and every ref two
 * held Events share must be frozen.
 */
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EventRecorder, recorderTuning } from '../../src/sim/recorder.ts';
import type { KObject, RecordedEvent, RunLogRecord } from '../../src/sim/types.ts';

interface Step {
  advance: number;
  /** Objects 0-2; each has versions 0-1 (distinct frozen objects), or is passed as a plain unfrozen copy. */
  object: number;
  version: number;
  plain: boolean;
  message: number;
}

const step: fc.Arbitrary<Step> = fc.record({
  advance: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 60 }) }),
  object: fc.integer({ min: 0, max: 2 }),
  version: fc.integer({ min: 0, max: 1 }),
  plain: fc.boolean(),
  message: fc.integer({ min: 0, max: 3 }),
});

const versions: KObject[][] = Array.from({ length: 3 }, (_, i) =>
  Array.from({ length: 2 }, (_, v) =>
    Object.freeze({ apiVersion: 'v1', kind: 'Pod', metadata: Object.freeze({ namespace: 'ns', name: `p-${i}`, uid: `uid-${i}`, resourceVersion: String(10 + v) }) }),
  ),
);

interface Run {
  log: string;
  events: string;
  /** For each held Event, the index of the first held Event with the same ref object. */
  sharing: number[];
  held: readonly RecordedEvent[];
}

function run(steps: readonly Step[], lazy: boolean): Run {
  recorderTuning.freezeWhenShared = lazy;
  try {
    const records: RunLogRecord[] = [];
    const host = { now: 0, epochMs: Date.UTC(2025, 0, 1), eventTTL: 100, log: (r: RunLogRecord) => records.push(r) };
    const rec = new EventRecorder(host);
    for (const s of steps) {
      host.now += s.advance;
      const stored = versions[s.object]![s.version]!;
      const involved = s.plain ? { ...stored, metadata: { ...stored.metadata } } : stored;
      rec.event(involved, 'Normal', `R${s.message % 2}`, `m-${s.message}`, { component: 'kubelet', host: 'n0' });
    }
    const held = rec.events();
    return {
      log: JSON.stringify(records),
      events: JSON.stringify(held),
      sharing: held.map((e) => held.findIndex((f) => f.involvedObject === e.involvedObject)),
      held,
    };
  } finally {
    recorderTuning.freezeWhenShared = true;
  }
}

describe('a stored object version’s ref is frozen once shared', () => {
  afterEach(() => {
    recorderTuning.freezeWhenShared = true;
  });

  it('records what freezing at once records, and every ref held by two Events is frozen', () => {
    let shared = 0;
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 60, size: 'max' }), (steps) => {
        const lazy = run(steps, true);
        const eager = run(steps, false);
        expect(lazy.log).toBe(eager.log);
        expect(lazy.events).toBe(eager.events);
        expect(lazy.sharing).toEqual(eager.sharing);
        lazy.sharing.forEach((first, i) => {
          if (first !== i) {
            shared++;
            expect(Object.isFrozen(lazy.held[i]!.involvedObject)).toBe(true);
          }
        });
      }),
      { numRuns: 300 },
    );
    // Two new Events in a row about one stored version share its ref: ~60 held ones over the runs, rarely under 30.
    expect(shared).toBeGreaterThan(10);
  });
});
