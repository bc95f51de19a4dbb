/**
 * The event queue against a straightforward reference: every event ever
 * scheduled kept in one array sorted by the total order (time, priority,
 * sequence), cancelled ones flagged. Random mixes of schedules (from outside
 * and from running callbacks), bursts, cancellations (live, already run,
 * stale), steps, runUntil, peekTime and upcoming() must agree with it event
 * for event. The mixes are sized to cross the queue's internal limits: more
 * than 512 open (time, priority) groups (the group cache grows), pairs whose
 * cache entry was evicted or went stale (a second group of one pair), more
 * than 1024 queued events (slot growth), more than 1024 cancelled ones
 * (compaction, with dead events behind live ones), and times 2^32 ms apart
 * (the same cache index).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EventEngine } from '../../src/sim/engine.ts';

const PRIORITIES = [0, 10, 20, 30, 45, 50, 90, 4095];
/** Delays that share a (time | 0) hash home with small ones, and a far-off one. */
const FAR = [2 ** 32, 2 ** 32 + 1, 2 ** 33, 2 ** 45];

/** An event scheduled by a running one; `same` keeps the parent's priority (an append to its open group). */
type Child = { delay: number; prio: number; same: boolean };
type Op =
  | { kind: 'schedule'; delay: number; prio: number; periodic: boolean; children: Child[] }
  /**
   * n events over `spread` ms and `prios` priorities; then cancel > 0 cancels every cancel-th, cancel < 0 all but
   * every (1 - cancel)-th, last first when `reverse` (so a compaction meets dead events behind live ones).
   */
  | { kind: 'burst'; n: number; spread: number; prios: number; cancel: number; reverse: boolean }
  | { kind: 'cancel'; pick: number }
  | { kind: 'join'; pick: number; periodic: boolean }
  | { kind: 'step'; n: number }
  | { kind: 'runUntil'; dt: number }
  | { kind: 'peek' }
  | { kind: 'upcoming'; limit: number };

const childArb = fc.record({ delay: fc.integer({ min: 0, max: 3 }), prio: fc.constantFrom(...PRIORITIES), same: fc.boolean() });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('schedule' as const),
      delay: fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 0, max: 12 }) }, { weight: 1, arbitrary: fc.constantFrom(...FAR) }),
      prio: fc.constantFrom(...PRIORITIES),
      periodic: fc.boolean(),
      children: fc.array(childArb, { maxLength: 2 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('burst' as const),
      n: fc.integer({ min: 1, max: 2500 }),
      spread: fc.integer({ min: 1, max: 2500 }),
      prios: fc.integer({ min: 1, max: PRIORITIES.length }),
      cancel: fc.integer({ min: -3, max: 3 }),
      reverse: fc.boolean(),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('join' as const), pick: fc.nat(), periodic: fc.boolean() }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('step' as const), n: fc.integer({ min: 1, max: 300 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('runUntil' as const), dt: fc.integer({ min: 0, max: 60 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('peek' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('upcoming' as const), limit: fc.integer({ min: 0, max: 12 }) }) },
);

interface RefEvent {
  time: number;
  prio: number;
  seq: number;
  id: number;
  periodic: boolean;
  live: boolean;
  children: Child[];
}

/** Total order of the engine: time, then priority, then sequence. */
function before(a: RefEvent, b: RefEvent): boolean {
  return a.time < b.time || (a.time === b.time && (a.prio < b.prio || (a.prio === b.prio && a.seq < b.seq)));
}

function check(ops: Op[]): void {
  const e = new EventEngine({ limits: { maxEventsPerInstant: 1_000_000 } });
  // Reference: sorted by the total order; `head` skips what already ran.
  const ref: RefEvent[] = [];
  let head = 0;
  const ids: number[] = [];
  const byId = new Map<number, RefEvent>();
  let seq = 0;
  let live = 0;
  let liveNonPeriodic = 0;
  const fail = (msg: string): never => {
    throw new Error(msg);
  };

  const firstLive = (): RefEvent | undefined => {
    while (head < ref.length && !ref[head]!.live) head++;
    return ref[head];
  };

  const schedule = (time: number, prio: number, periodic: boolean, children: Child[]): void => {
    const ev: RefEvent = { time, prio, seq: seq++, id: -1, periodic, live: true, children };
    ev.id = e.at(time, () => run(ev), { priority: prio, source: `e${ev.seq}`, periodic });
    // Insert after every event ordered before it (binary search over the sorted tail).
    let lo = head;
    let hi = ref.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (before(ref[mid]!, ev)) lo = mid + 1;
      else hi = mid;
    }
    ref.splice(lo, 0, ev);
    ids.push(ev.id);
    byId.set(ev.id, ev);
    live++;
    if (!periodic) liveNonPeriodic++;
  };

  // Runs inside the engine: the event must be the reference's first live one.
  const run = (ev: RefEvent): void => {
    const want = firstLive();
    if (want !== ev) fail(`ran e${ev.seq} (t=${ev.time}, p=${ev.prio}); the reference runs e${want?.seq} (t=${want?.time}, p=${want?.prio})`);
    if (!ev.live) fail(`ran cancelled e${ev.seq}`);
    if (e.now !== ev.time) fail(`now ${e.now} while running e${ev.seq} at ${ev.time}`);
    ev.live = false;
    head++;
    live--;
    if (!ev.periodic) liveNonPeriodic--;
    for (const c of ev.children) schedule(e.now + c.delay, c.same ? ev.prio : c.prio, false, []);
  };

  const cancel = (id: number): void => {
    e.cancel(id);
    const ev = byId.get(id);
    if (ev?.live) {
      ev.live = false;
      live--;
      if (!ev.periodic) liveNonPeriodic--;
    }
  };

  for (const op of ops) {
    switch (op.kind) {
      case 'schedule':
        schedule(e.now + op.delay, op.prio, op.periodic, op.children);
        break;
      case 'burst': {
        const from = ids.length;
        for (let i = 0; i < op.n; i++) schedule(e.now + ((i * 7919) % op.spread), PRIORITIES[(i * 31) % op.prios]!, i % 5 === 0, []);
        const n = ids.length - from;
        for (let k = 0; k < n; k++) {
          const i = op.reverse ? n - 1 - k : k;
          const hit = op.cancel > 0 ? i % op.cancel === 0 : op.cancel < 0 && i % (1 - op.cancel) !== 0;
          if (hit) cancel(ids[from + i]!);
        }
        break;
      }
      case 'join': {
        // Another event at the (time, priority) of a pending one: it joins that open group at the back.
        const pendingRefs = ref.length - head;
        if (pendingRefs > 0) {
          const r = ref[head + (op.pick % pendingRefs)]!;
          schedule(r.time, r.prio, op.periodic, []);
        }
        break;
      }
      case 'cancel':
        if (ids.length > 0) cancel(ids[op.pick % ids.length]!);
        break;
      case 'step':
        for (let i = 0; i < op.n; i++) {
          if (e.step()) continue;
          if (firstLive() !== undefined) fail('step() returned false with live events pending');
          break;
        }
        break;
      case 'runUntil': {
        const until = e.now + op.dt;
        e.runUntil(until);
        const next = firstLive();
        if (next !== undefined && next.time <= until) fail(`runUntil(${until}) left e${next.seq} at ${next.time}`);
        if (e.now !== until) fail(`runUntil(${until}) parked the clock at ${e.now}`);
        break;
      }
      case 'peek':
        if (e.peekTime() !== firstLive()?.time) fail(`peekTime ${e.peekTime()} != ${firstLive()?.time}`);
        break;
      case 'upcoming': {
        const want: string[] = [];
        for (let i = head; i < ref.length && want.length < op.limit; i++) {
          const r = ref[i]!;
          if (r.live) want.push(`${r.time}/e${r.seq}/${r.periodic}`);
        }
        const got = e.upcoming(op.limit).map((u) => `${u.time}/${u.source}/${u.periodic}`);
        expect(got).toEqual(want);
        break;
      }
    }
    if (e.pending !== live) fail(`pending ${e.pending} != ${live}`);
    if (e.pendingNonPeriodic !== liveNonPeriodic) fail(`pendingNonPeriodic ${e.pendingNonPeriodic} != ${liveNonPeriodic}`);
  }
  // Drain: every remaining event in reference order, then nothing.
  e.runAll();
  if (firstLive() !== undefined) fail('runAll left live events');
  if (e.pending !== 0 || e.peekTime() !== undefined) fail('queue not empty after runAll');
}

describe('event queue against a sorted reference', () => {
  it('runs random schedule/cancel/step mixes in exactly the reference order', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 60 }), (ops) => check(ops)),
      { numRuns: 200 },
    );
  });

  it('keeps no stale cache entry when the cache grows as a group opens (every opening time up to 4000)', () => {
    // 512 open groups, then the 513th grows the cache (at more than half of 1024 entries). A grown cache
    // is empty, so an event at (0 ms, priority 0) must open its own group and run first, whatever index
    // the opening pair had in the old cache; once, an entry written after the growth at the old index
    // read as (0, 0) and swallowed it into the opening group.
    for (let t = 1; t <= 4000; t++) {
      const e = new EventEngine();
      const ran: string[] = [];
      for (let k = 0; k < 512; k++) e.at(10_000 + k, () => {}, { priority: 30, source: 'filler' });
      e.at(t, () => ran.push('t'), { priority: 30, source: 'opening' });
      e.at(0, () => ran.push('zero'), { priority: 0, source: 'zero' });
      e.runUntil(t);
      if (ran.join() !== 'zero,t') throw new Error(`opening time ${t}: ran ${ran.join()}`);
    }
  });

  it('crosses every internal limit in one run: groups, growth, compaction, far times', () => {
    const ops: Op[] = [
      { kind: 'burst', n: 600, spread: 10, prios: 1, cancel: 0, reverse: false }, // 10 groups of 60 live events
      { kind: 'burst', n: 2000, spread: 10, prios: 1, cancel: 1, reverse: true }, // 200 dead behind each: compaction cuts them off
      { kind: 'join', pick: 5, periodic: false }, // appended behind a compacted group's live tail
      { kind: 'join', pick: 333, periodic: false },
      { kind: 'step', n: 30 },
      { kind: 'burst', n: 5000, spread: 2500, prios: 8, cancel: 0, reverse: false }, // thousands of open groups: the cache grows, entries collide
      { kind: 'step', n: 700 },
      { kind: 'burst', n: 3000, spread: 300, prios: 8, cancel: -2, reverse: false }, // two in three cancelled
      { kind: 'join', pick: 4000, periodic: true },
      { kind: 'burst', n: 2000, spread: 500, prios: 3, cancel: 2, reverse: false },
      { kind: 'schedule', delay: 2 ** 32, prio: 30, periodic: false, children: [{ delay: 0, prio: 0, same: false }, { delay: 0, prio: 0, same: true }] },
      { kind: 'schedule', delay: 2 ** 32, prio: 30, periodic: true, children: [] },
      { kind: 'upcoming', limit: 10 },
      { kind: 'step', n: 300 },
      { kind: 'runUntil', dt: 450 }, // down to a few groups
      { kind: 'peek' },
      { kind: 'burst', n: 40, spread: 40, prios: 2, cancel: 0, reverse: false },
      { kind: 'cancel', pick: 3 },
      { kind: 'upcoming', limit: 5 },
    ];
    check(ops);
  });
});
