// Events expire as kube-apiserver's --event-ttl expires them (default 1 h after the last write).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Simulation } from '../../src/sim/simulation.ts';
import { MemoryRunLogSink } from '../../src/sim/runLog.ts';
import { loadScenarioFromText } from '../../src/scenario/load.ts';
import { ScenarioError } from '../../src/scenario/problems.ts';
import { pod } from './helpers.ts';

const HOUR = 3_600_000;
const src = { component: 'test' };

describe('Event TTL', () => {
  it('an Event is gone one TTL after its last write; a repeat renews it', () => {
    const sim = Simulation.create();
    const p = sim.store.create(pod('web-0'));
    sim.recorder.event(p, 'Normal', 'A', 'once', src);
    sim.recorder.event(p, 'Normal', 'B', 'repeated', src);
    sim.runUntil(HOUR - 1);
    sim.recorder.event(p, 'Normal', 'B', 'repeated', src);
    expect(sim.events().map((e) => e.reason)).toEqual(['A', 'B']);
    sim.runUntil(HOUR);
    expect(sim.events().map((e) => e.reason)).toEqual(['B']);
    sim.runUntil(2 * HOUR - 1);
    expect(sim.events().map((e) => e.reason)).toEqual([]);
  });

  it('after expiry the same event starts again at count 1 with a fresh name', () => {
    const sim = Simulation.create();
    const p = sim.store.create(pod('web-0'));
    sim.recorder.event(p, 'Normal', 'A', 'm', src);
    sim.recorder.event(p, 'Normal', 'A', 'm', src);
    sim.runUntil(HOUR + 5);
    sim.recorder.event(p, 'Normal', 'A', 'm', src);
    const [ev] = sim.events();
    expect(ev).toMatchObject({ count: 1, firstTimestamp: HOUR + 5 });
  });

  it('the run log keeps every event record', () => {
    const log = new MemoryRunLogSink();
    const sim = Simulation.create({ log, eventTTL: 1000 });
    const p = sim.store.create(pod('web-0'));
    for (let i = 0; i < 5; i++) {
      sim.recorder.event(p, 'Normal', 'R', `m${i}`, src);
      sim.runUntil((i + 1) * 2000);
    }
    expect(sim.events()).toHaveLength(0);
    expect(log.records.filter((r) => r.type === 'event')).toHaveLength(5);
  });

  it('Infinity keeps every Event', () => {
    const sim = Simulation.create({ eventTTL: Infinity });
    const p = sim.store.create(pod('web-0'));
    sim.recorder.event(p, 'Normal', 'A', 'm', src);
    sim.runUntil(100 * HOUR);
    expect(sim.events()).toHaveLength(1);
  });

  it('matches a reference model: live = events whose last write is within the TTL', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ dt: fc.integer({ min: 0, max: 400 }), msg: fc.integer({ min: 0, max: 5 }) }), { maxLength: 120 }), (writes) => {
        const ttl = 1000;
        const sim = Simulation.create({ eventTTL: ttl });
        const p = sim.store.create(pod('p'));
        const last = new Map<number, { first: number; last: number; count: number }>();
        let t = 0;
        for (const w of writes) {
          t += w.dt;
          sim.runUntil(t);
          const cur = last.get(w.msg);
          if (cur && cur.last + ttl > t) last.set(w.msg, { ...cur, last: t, count: cur.count + 1 });
          else last.set(w.msg, { first: t, last: t, count: 1 });
          sim.recorder.event(p, 'Normal', 'R', `m${w.msg}`, src);
        }
        const expected = [...last.entries()].filter(([, v]) => v.last + ttl > t).sort((a, b) => a[1].first - b[1].first || a[0] - b[0]);
        const got = sim.events().map((e) => [e.message, e.count, e.firstTimestamp]);
        expect(got.map((g) => g[0]).sort()).toEqual(expected.map(([m]) => `m${m}`).sort());
        for (const [m, v] of expected) expect(got).toContainEqual([`m${m}`, v.count, v.first]);
      }),
      { numRuns: 200 },
    );
  });

  it('spec.config.apiServer.eventTTL is a Go duration, positive', () => {
    const scen = (ttl: string) =>
      loadScenarioFromText([{ file: 's.yaml', text: `apiVersion: ksim.dev/v1alpha1\nkind: Scenario\nmetadata: {name: s}\nspec:\n  config:\n    apiServer: {eventTTL: "${ttl}"}\n` }]);
    expect(scen('2h').config.apiServer).toEqual({ eventTTL: 2 * HOUR });
    expect(() => scen('soon')).toThrow(ScenarioError);
    expect(() => scen('0s')).toThrow(/positive duration/);
  });
});
