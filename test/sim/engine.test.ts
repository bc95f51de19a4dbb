import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EventEngine } from '../../src/sim/engine.ts';
import { SimulationLimitError } from '../../src/sim/errors.ts';

type Spec = { time: number; priority: number };

/** Schedule every spec at t=0 and return the run trace as spec indexes. */
function runTrace(specs: Spec[]): number[] {
  const e = new EventEngine();
  const trace: number[] = [];
  specs.forEach((s, i) => e.at(s.time, () => trace.push(i), { priority: s.priority, source: `s${i % 3}` }));
  e.runAll();
  return trace;
}

const specArb = fc.array(fc.record({ time: fc.integer({ min: 0, max: 50 }), priority: fc.integer({ min: 0, max: 100 }) }), { maxLength: 200 });

describe('EventEngine ordering', () => {
  it('runs any schedule in (time, priority, sequence) order', () => {
    fc.assert(
      fc.property(specArb, (specs) => {
        const trace = runTrace(specs);
        const expected = specs
          .map((s, i) => ({ ...s, i }))
          .sort((a, b) => a.time - b.time || a.priority - b.priority || a.i - b.i)
          .map((x) => x.i);
        expect(trace).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });

  it('matches a reference queue when events schedule more events while running', () => {
    // Each executed event i may schedule children (delay, priority) taken from the plan; the
    // reference picks the minimum (time, priority, seq) by linear scan.
    const planArb = fc.array(fc.array(fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 3 })), { maxLength: 3 }), {
      minLength: 1,
      maxLength: 80,
    });
    fc.assert(
      fc.property(planArb, (plan) => {
        // engine
        const e = new EventEngine();
        const trace: number[] = [];
        let next = 0;
        const spawn = (delay: number, priority: number): void => {
          const id = next++;
          e.after(delay, () => {
            trace.push(id);
            for (const [d, p] of plan[id % plan.length]!) if (next < 300) spawn(d, p);
          }, { priority, source: 'x' });
        };
        spawn(0, 0);
        e.runAll();
        // reference
        const ref: number[] = [];
        const q: Array<{ t: number; p: number; seq: number }> = [];
        let now = 0;
        let n = 0;
        const add = (d: number, p: number): void => {
          q.push({ t: now + d, p, seq: n++ });
        };
        add(0, 0);
        while (q.length > 0) {
          let best = 0;
          for (let i = 1; i < q.length; i++) {
            const a = q[i]!;
            const b = q[best]!;
            if (a.t < b.t || (a.t === b.t && (a.p < b.p || (a.p === b.p && a.seq < b.seq)))) best = i;
          }
          const ev = q.splice(best, 1)[0]!;
          now = ev.t;
          ref.push(ev.seq);
          for (const [d, p] of plan[ev.seq % plan.length]!) if (n < 300) add(d, p);
        }
        expect(trace).toEqual(ref);
      }),
      { numRuns: 200 },
    );
  });

  it('is deterministic: the same schedule gives the same trace twice', () => {
    fc.assert(
      fc.property(specArb, (specs) => {
        expect(runTrace(specs)).toEqual(runTrace(specs));
      }),
    );
  });

  it('advances now to each event time and never backwards', () => {
    const e = new EventEngine();
    const times: number[] = [];
    for (const t of [30, 10, 20, 10]) e.at(t, () => times.push(e.now), { priority: 0, source: 'x' });
    e.runAll();
    expect(times).toEqual([10, 10, 20, 30]);
    expect(e.now).toBe(30);
  });

  it('rejects times in the past, non-integer times and bad priorities', () => {
    const e = new EventEngine();
    e.at(10, () => {}, { priority: 0, source: 'x' });
    e.step();
    expect(() => e.at(5, () => {}, { priority: 0, source: 'late' })).toThrow(/cannot schedule an event at 5 from "late"/);
    expect(() => e.after(0.5, () => {}, { priority: 0, source: 'x' })).toThrow(RangeError);
    expect(() => e.after(1, () => {}, { priority: -1, source: 'x' })).toThrow(/priority/);
    expect(() => e.after(1, () => {}, { priority: 1.5, source: 'x' })).toThrow(/priority/);
  });
});

describe('EventEngine cancel and pending counts', () => {
  it('cancels a pending event; cancelling again or after it ran is a no-op', () => {
    const e = new EventEngine();
    const ran: string[] = [];
    const a = e.after(1, () => ran.push('a'), { priority: 0, source: 'x' });
    const b = e.after(2, () => ran.push('b'), { priority: 0, source: 'x' });
    expect(e.pending).toBe(2);
    e.cancel(a);
    e.cancel(a);
    expect(e.pending).toBe(1);
    expect(e.peekTime()).toBe(2);
    e.runAll();
    e.cancel(b);
    expect(ran).toEqual(['b']);
    expect(e.pending).toBe(0);
  });

  it('a stale id never cancels a newer event that reuses its slot', () => {
    const e = new EventEngine();
    const ran: string[] = [];
    const first = e.after(1, () => ran.push('first'), { priority: 0, source: 'x' });
    e.runAll();
    e.after(1, () => ran.push('second'), { priority: 0, source: 'x' });
    e.cancel(first);
    e.runAll();
    expect(ran).toEqual(['first', 'second']);
  });

  it('tracks periodic events separately and runUntilQuiet stops when only they remain', () => {
    const e = new EventEngine();
    let ticks = 0;
    const tick = (): void => {
      ticks++;
      e.after(10, tick, { priority: 90, source: 'resync', periodic: true });
    };
    e.after(10, tick, { priority: 90, source: 'resync', periodic: true });
    let work = 0;
    e.after(35, () => work++, { priority: 30, source: 'work' });
    expect(e.pending).toBe(2);
    expect(e.pendingNonPeriodic).toBe(1);
    expect(e.runUntilQuiet()).toBe(true);
    expect(work).toBe(1);
    expect(ticks).toBe(3);
    expect(e.now).toBe(35);
    expect(e.pendingNonPeriodic).toBe(0);
    expect(e.pending).toBe(1);
  });

  it('runUntil runs events up to t inclusive and parks the clock at t', () => {
    const e = new EventEngine();
    const ran: number[] = [];
    for (const t of [5, 10, 15]) e.at(t, () => ran.push(t), { priority: 0, source: 'x' });
    e.runUntil(10);
    expect(ran).toEqual([5, 10]);
    expect(e.now).toBe(10);
    e.runUntil(12);
    expect(e.now).toBe(12);
    expect(e.pending).toBe(1);
  });

  it('keeps counts right under random schedule/cancel mixes', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.boolean(), fc.boolean()), { maxLength: 300 }), (ops) => {
        const e = new EventEngine();
        const ids: number[] = [];
        const cancelled = new Set<number>();
        let ran = 0;
        ops.forEach(([t, periodic, cancel], i) => {
          ids.push(e.at(t, () => ran++, { priority: 1, source: 'x', periodic }));
          if (cancel) {
            const victim = ids[(i * 7) % ids.length]!;
            e.cancel(victim);
            cancelled.add(victim);
          }
        });
        expect(e.pending).toBe(ops.length - cancelled.size);
        e.runAll();
        expect(ran).toBe(ops.length - cancelled.size);
        expect(e.pending).toBe(0);
        expect(e.pendingNonPeriodic).toBe(0);
      }),
    );
  });

  it('compacts a heap full of cancelled entries without losing live ones', () => {
    const e = new EventEngine();
    const ids: number[] = [];
    for (let i = 0; i < 5000; i++) ids.push(e.at(i, () => {}, { priority: 0, source: 'x' }));
    let ran = 0;
    e.at(2500, () => ran++, { priority: 1, source: 'keep' });
    for (const id of ids) e.cancel(id);
    expect(e.pending).toBe(1);
    expect(e.peekTime()).toBe(2500);
    e.runAll();
    expect(ran).toBe(1);
  });
});

describe('EventEngine guard rails', () => {
  it('stops a zero-delay loop and names the busiest source', () => {
    const e2 = new EventEngine({ limits: { maxEventsPerInstant: 1000 } });
    const loop2 = (): void => {
      e2.after(0, loop2, { priority: 30, source: 'controller/looper' });
    };
    e2.after(0, () => {}, { priority: 0, source: 'bystander' });
    e2.after(0, loop2, { priority: 30, source: 'controller/looper' });
    expect(() => e2.runAll()).toThrow(SimulationLimitError);
    e2.after(0, loop2, { priority: 30, source: 'controller/looper' });
    expect(() => e2.runAll()).toThrow(/more than 1000 events at one virtual instant .*busiest source .*"controller\/looper"/);
  });

  it('bounds the total number of events of a run', () => {
    const e = new EventEngine({ limits: { maxEvents: 500 } });
    const tick = (): void => {
      e.after(1, tick, { priority: 50, source: 'kubelet/node-3' });
    };
    e.after(1, tick, { priority: 50, source: 'kubelet/node-3' });
    expect(() => e.runAll()).toThrow(/event limit reached: more than 500 events in this run .*"kubelet\/node-3"/);
    expect(e.executed).toBe(501);
  });
});

describe('EventEngine queries for the controller runtime', () => {
  it('nextAfter(p) says whether an event scheduled now at p would run next, against a reference scan', () => {
    // Live events (time >= now, priority) with some cancelled; nextAfter(p) must be true exactly when no
    // live event is queued at the current instant with priority <= p.
    const arb = fc.record({
      now: fc.integer({ min: 0, max: 3 }),
      events: fc.array(fc.record({ time: fc.integer({ min: 0, max: 6 }), priority: fc.integer({ min: 0, max: 5 }), cancel: fc.boolean() }), { maxLength: 30 }),
      p: fc.integer({ min: 0, max: 5 }),
    });
    fc.assert(
      fc.property(arb, ({ now, events, p }) => {
        const e = new EventEngine();
        e.advanceTo(now);
        const live: Spec[] = [];
        for (const ev of events) {
          const id = e.at(now + ev.time, () => {}, { priority: ev.priority, source: 'x' });
          if (ev.cancel) e.cancel(id);
          else live.push({ time: now + ev.time, priority: ev.priority });
        }
        expect(e.nextAfter(p)).toBe(!live.some((l) => l.time === now && l.priority <= p));
      }),
      { numRuns: 300 },
    );
  });
});
