/**
 * Event names against a plain model of makeEvent's `<involved name>.<hex unix nanos>` made unique: each new
 * Event about a name gets the smallest nanoseconds at or after its instant that come after every earlier
 * Event's about that name. The recorder keeps only the current instant's names (the first apart, the others
 * in a map it empties when the instant moves on, and keeps a name bumped past the next instant
 * counting from where it got to); whatever the interleaving of names and instants, and with some bumps pushed
 * past the next instants (a million Events within a millisecond, injected rather than recorded), the names
 * must be the model's.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EventRecorder } from '../../src/sim/recorder.ts';

const EPOCH = Date.UTC(2025, 0, 1);

interface Step {
  /** ms the clock moves first. */
  advance: number;
  /** Which of 5 involved names the Event is about. */
  name: number;
  /** Push this name's bump past the next instants first (as if ~1.5 million Events about it had just been named). */
  jump: boolean;
}

const step: fc.Arbitrary<Step> = fc.record({
  advance: fc.oneof({ weight: 6, arbitrary: fc.constant(0) }, { weight: 3, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.integer({ min: 2, max: 3 }) }),
  name: fc.integer({ min: 0, max: 4 }),
  jump: fc.boolean().chain((b) => (b ? fc.boolean().chain((c) => fc.constant(b && c)) : fc.constant(false))),
});

/** The recorder's naming state, reached as the internal test does. */
interface Naming {
  firstName: string | undefined;
  firstBump: number;
  maxBump: number;
  namesAtInstant: Map<unknown, number>;
}

const JUMP = 1_500_000;

function run(steps: readonly Step[]): { names: string[]; model: string[]; kept: number } {
  const host = { now: 0, epochMs: EPOCH, eventTTL: 1_000_000 };
  const rec = new EventRecorder(host);
  const inner = rec as unknown as Naming;
  /** Per name, the largest nanoseconds (past the epoch's) used in one of its Events' names. */
  const lastUsed = new Map<string, bigint>();
  const model: string[] = [];
  let kept = 0;
  let n = 0;
  for (const s of steps) {
    host.now += s.advance;
    const name = `obj-${s.name}`;
    const instant = BigInt(EPOCH + host.now) * 1_000_000n;
    if (s.jump) {
      // Only a name already given at this instant has a bump to push: the instant's first or one in the map.
      const last = lastUsed.get(name);
      if (last !== undefined && last >= instant) {
        if (inner.firstName === name) inner.firstBump += JUMP;
        else inner.namesAtInstant.set(name, inner.namesAtInstant.get(name)! + JUMP);
        inner.maxBump = Math.max(inner.maxBump, Number(last + BigInt(JUMP) - instant));
        lastUsed.set(name, last + BigInt(JUMP));
        kept++;
      }
    }
    // A new message each time: every step is a new Event, so every step names one.
    rec.event({ kind: 'Pod', namespace: 'ns', name, uid: `uid-${s.name}` }, 'Normal', 'R', `m-${n++}`, { component: 'c' });
    const last = lastUsed.get(name);
    const nanos = last !== undefined && last >= instant ? last + 1n : instant;
    lastUsed.set(name, nanos);
    model.push(`${name}.${nanos.toString(16)}`);
  }
  return { names: rec.events().map((e) => rec.nameOf(e)), model, kept };
}

describe('Event names against a plain model', () => {
  it('are the smallest free nanoseconds at or after the instant, per name, in any interleaving', () => {
    let kept = 0;
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 200, size: 'max' }), (steps) => {
        const r = run(steps);
        kept += r.kept;
        expect(r.names).toEqual(r.model);
      }),
      { numRuns: 300 },
    );
    // Jumps are drawn in about a quarter of the steps and apply to a name already given at the instant.
    expect(kept).toBeGreaterThan(100);
  });

  it('a name other than the instant’s first, bumped past the next instants, keeps counting from where it got to', () => {
    const steps: Step[] = [
      { advance: 0, name: 0, jump: false },
      { advance: 0, name: 1, jump: false },
      { advance: 0, name: 2, jump: false },
      { advance: 0, name: 1, jump: true },
      { advance: 1, name: 1, jump: false },
      { advance: 0, name: 2, jump: false },
      { advance: 1, name: 1, jump: false },
      { advance: 2, name: 1, jump: false },
    ];
    const r = run(steps);
    expect(r.kept).toBe(1);
    expect(r.names).toEqual(r.model);
    // The bumped name was still ahead of the next instant, and no longer of the one after.
    const at = (ms: number, extra: number): string => `obj-1.${(BigInt(EPOCH + ms) * 1_000_000n + BigInt(extra)).toString(16)}`;
    expect([r.names[3], r.names[4], r.names[6]]).toEqual([at(0, JUMP + 1), at(0, JUMP + 2), at(2, 0)]);
  });
});
