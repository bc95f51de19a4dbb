import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/sim/simulation.ts';
import { MemoryRunLogSink } from '../../src/sim/runLog.ts';
import fc from 'fast-check';
import { EventRecorder, eventName } from '../../src/sim/recorder.ts';
import { pod } from './helpers.ts';

describe('EventRecorder (client-go tools/record semantics)', () => {
  it('de-duplicates identical events: count++ and lastTimestamp move, first stays', () => {
    const sim = Simulation.create();
    const p = sim.store.create(pod('web-0'));
    const src = { component: 'default-scheduler' };
    sim.recorder.event(p, 'Warning', 'FailedScheduling', '0/3 nodes are available', src);
    sim.runUntil(10_000);
    sim.recorder.event(p, 'Warning', 'FailedScheduling', '0/3 nodes are available', src);
    sim.recorder.event(p, 'Warning', 'FailedScheduling', '0/4 nodes are available', src);
    sim.recorder.event(p, 'Warning', 'FailedScheduling', '0/3 nodes are available', { component: 'default-scheduler', host: 'h' });
    const evs = sim.events();
    expect(evs).toHaveLength(3);
    expect(evs[0]).toMatchObject({ count: 2, firstTimestamp: 0, lastTimestamp: 10_000, reason: 'FailedScheduling' });
    expect(evs[0]!.involvedObject).toMatchObject({ kind: 'Pod', namespace: 'default', name: 'web-0', uid: p.metadata.uid });
    expect(evs[1]!.count).toBe(1);
    expect(evs[2]!.source).toEqual({ component: 'default-scheduler', host: 'h' });
  });

  it('renders a core/v1 Event with makeEvent naming and RFC3339 timestamps', () => {
    const sim = Simulation.create();
    const p = sim.store.create(pod('web-0'));
    sim.recorder.event(p, 'Normal', 'Scheduled', 'Successfully assigned default/web-0 to n1', { component: 'default-scheduler' });
    sim.runUntil(2500);
    sim.recorder.event(p, 'Normal', 'Scheduled', 'Successfully assigned default/web-0 to n1', { component: 'default-scheduler' });
    const ev = sim.recorder.toEventObject(sim.events()[0]!);
    // 2025-01-01T00:00:00Z = 1735689600 s -> 1735689600000000000 ns = 0x1816ac3b4ba00000... rendered with %x
    expect(ev.metadata!.name).toBe(`web-0.${(1735689600000000000n).toString(16)}`);
    expect(ev.metadata!.namespace).toBe('default');
    expect(ev.firstTimestamp).toBe('2025-01-01T00:00:00Z');
    expect(ev.lastTimestamp).toBe('2025-01-01T00:00:02Z');
    expect(ev.count).toBe(2);
    expect(ev.type).toBe('Normal');
    expect(ev.source).toEqual({ component: 'default-scheduler' });
    expect(ev.involvedObject).toMatchObject({ kind: 'Pod', name: 'web-0', namespace: 'default', apiVersion: 'v1' });
  });

  it('names stay unique when two events for one object start at the same instant', () => {
    const sim = Simulation.create();
    const p = sim.store.create(pod('web-0'));
    sim.recorder.event(p, 'Normal', 'Pulled', 'a', { component: 'kubelet' });
    sim.recorder.event(p, 'Normal', 'Created', 'b', { component: 'kubelet' });
    const [a, b] = sim.events().map((e) => sim.recorder.toEventObject(e).metadata!.name);
    expect(a).not.toBe(b);
    expect(b).toBe(eventName('web-0', sim.epochMs, 1));
  });

  it('cluster-scoped objects put their events in the default namespace', () => {
    const sim = Simulation.create();
    sim.recorder.event({ kind: 'Node', namespace: '', name: 'n1' }, 'Normal', 'NodeReady', 'ready', { component: 'kubelet', host: 'n1' });
    expect(sim.recorder.toEventObject(sim.events()[0]!).metadata!.namespace).toBe('default');
  });

  it('writes each new or updated event to the run log', () => {
    const log = new MemoryRunLogSink();
    const sim = Simulation.create({ log });
    const ref = { kind: 'Node', namespace: '', name: 'n1' };
    sim.recorder.event(ref, 'Normal', 'R', 'm', { component: 'x' });
    sim.recorder.event(ref, 'Normal', 'R', 'm', { component: 'x' });
    const counts = log.records.filter((r) => r.type === 'event').map((r) => (r.type === 'event' ? r.event.count : -1));
    expect(counts).toEqual([1, 2]);
  });
});

/**
 * Record one event about pod `name`; when it is a new Event (not a repeat counting up), append the
 * name the reference rule expects (the smallest bump free at this instant) to `expected`.
 */
function recordExpectingName(rec: EventRecorder, host: { now: number; epochMs: number }, taken: Set<string>, expected: string[], name: string, message: string): void {
  const before = rec.events().length;
  rec.event({ kind: 'Pod', namespace: 'default', name }, 'Normal', 'R', message, { component: 'c' });
  if (rec.events().length === before) return; // a repeat: count++, same Event
  let bump = 0;
  while (taken.has(eventName(name, host.epochMs + host.now, bump))) bump++;
  const n = eventName(name, host.epochMs + host.now, bump);
  taken.add(n);
  expected.push(n);
}

describe('event names', () => {
  // makeEvent names an Event `<involved name>.<%x of UnixNano>`; ksim bumps the nanoseconds on a
  // collision. Reference: the smallest free bump at the event's instant, over a set of every name.
  it('are the smallest free bump at each instant, as a search over every name taken so far', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('a', 'b', 'a.1'), fc.constantFrom(0, 0, 0, 1, 2), fc.nat(3)), { maxLength: 60 }), (steps) => {
        const host = { now: 0, epochMs: 1_735_689_600_000 };
        const rec = new EventRecorder(host);
        const taken = new Set<string>();
        const expected: string[] = [];
        steps.forEach(([name, dt, msg]) => {
          host.now += dt;
          recordExpectingName(rec, host, taken, expected, name, `m${msg}`);
        });
        expect(rec.events().map((e) => rec.nameOf(e))).toEqual(expected);
      }),
    );
  });

  // Many distinct events about one object at one instant: bumps past one hex digit (16 and more) and back to 0 at the next instant.
  it('stay the smallest free bump when one instant takes more than 16 names of an object', () => {
    fc.assert(
      // Each step: `count` events about one name at one instant, messages from `first` on (repeats count up an Event).
      fc.property(fc.array(fc.tuple(fc.constantFrom('a', 'b'), fc.constantFrom(0, 0, 1, 7), fc.nat(30), fc.integer({ min: 1, max: 40 })), { maxLength: 12 }), (steps) => {
        const host = { now: 0, epochMs: 1_735_689_600_000 };
        const rec = new EventRecorder(host);
        const taken = new Set<string>();
        const expected: string[] = [];
        for (const [name, dt, first, count] of steps) {
          host.now += dt;
          for (let m = first; m < first + count; m++) recordExpectingName(rec, host, taken, expected, name, `m${m}`);
        }
        expect(rec.events().map((e) => rec.nameOf(e))).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });
});
