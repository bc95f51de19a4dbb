// The informers' watch queue (ControllerRuntime's ring of pending changes):
// whatever the bursts, the latency and the commits handlers make while being
// delivered to, every change reaches the handlers once, in commit order, at
// its due time. Bursts larger than the ring's first capacity (1,024) arrive
// while older changes are still queued, so the ring grows when it has wrapped.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Simulation } from '../../src/sim/simulation.ts';
import type { KObject } from '../../src/sim/types.ts';
import { obj } from './helpers.ts';

/** One step of a run: a burst of commits at the current instant, or time moving on. */
type Step = { burst: number; replies: boolean } | { advance: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ burst: fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 600, max: 2600 })), replies: fc.boolean() }),
  fc.record({ advance: fc.integer({ min: 0, max: 4 }) }),
);

function run(latency: number, steps: Step[]): { committed: string[]; delivered: string[] } {
  const sim = Simulation.create({ seed: 1, timing: { watchLatency: latency }, limits: { maxObjects: 100_000 } });
  const committed: string[] = [];
  const delivered: string[] = [];
  sim.store.watch('ConfigMap', (ev) => committed.push(`${ev.type} ${ev.object.metadata.name} ${ev.object.metadata.resourceVersion} due ${sim.now + latency}`));
  let n = 0;
  let replyTo = new Set<string>();
  sim.runtime.informer<KObject>(
    'ConfigMap',
    {
      onAdd: (o) => {
        delivered.push(`ADDED ${o.metadata.name} ${o.metadata.resourceVersion} due ${sim.now}`);
        // A handler that writes while being delivered to: its change joins the queue behind the rest.
        if (replyTo.has(o.metadata.name ?? '')) sim.store.create(obj('ConfigMap', `reply-${o.metadata.name}`, {}, 'v1', 'default'), { actor: 'test' });
      },
      onUpdate: (_o, o) => delivered.push(`MODIFIED ${o.metadata.name} ${o.metadata.resourceVersion} due ${sim.now}`),
      onDelete: (o) => delivered.push(`DELETED ${o.metadata.name} ${o.metadata.resourceVersion} due ${sim.now}`),
    },
    'test',
  );
  for (const step of steps) {
    if ('advance' in step) {
      sim.runUntil(sim.now + step.advance);
      continue;
    }
    for (let i = 0; i < step.burst; i++) {
      const name = `cm-${n++}`;
      if (step.replies && i % 7 === 0) replyTo.add(name);
      sim.store.create(obj('ConfigMap', name, { data: { i: String(i) } }, 'v1', 'default'), { actor: 'test' });
      if (i % 5 === 0) sim.store.patch('ConfigMap', 'default', name, (d: KObject) => void ((d as { data?: Record<string, string> }).data = { i: 'x' }), { actor: 'test' });
      if (i % 11 === 0) sim.store.delete('ConfigMap', 'default', name, { actor: 'test' });
    }
  }
  sim.runUntilQuiet();
  replyTo = new Set();
  return { committed, delivered };
}

describe('watch delivery queue', () => {
  it('delivers every change once, in commit order, at its due time (bursts past the ring, handler writes, latency 0 and 3)', () => {
    fc.assert(
      fc.property(fc.constantFrom(0, 3), fc.array(stepArb, { minLength: 1, maxLength: 8 }), (latency, steps) => {
        const { committed, delivered } = run(latency, steps);
        expect(delivered).toEqual(committed);
      }),
      { numRuns: 40, seed: 10 },
    );
  });

  it('a burst of 3,000 that fills the ring once it has wrapped arrives in order', () => {
    // 700 delivered first (the ring's head moves on), then bursts of 600 and 3,000 at later instants.
    const steps: Step[] = [{ burst: 700, replies: true }, { advance: 3 }, { burst: 600, replies: false }, { advance: 1 }, { burst: 3000, replies: true }, { advance: 1 }, { burst: 5, replies: false }];
    const { committed, delivered } = run(3, steps);
    expect(committed.length).toBeGreaterThan(4300);
    expect(delivered).toEqual(committed);
  });
});
