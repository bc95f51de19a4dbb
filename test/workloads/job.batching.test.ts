/**
 * The delaying queue behind the Job controller's syncJobBatchPeriod: a watch's
 * delay adds its keys after that long, one pending add per key at the
 * earliest time asked, so a burst of pod events becomes one sync.
 */
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/sim/simulation.ts';
import type { Controller, KObject } from '../../src/sim/types.ts';
import { cluster, job, jobEvents, template } from './job.helpers.ts';

describe('watch delay (client-go AddAfter)', () => {
  it('adds each key once, at the earliest requested time', () => {
    const sim = Simulation.create({ seed: 1 });
    const synced: Array<[number, string]> = [];
    const c: Controller = {
      name: 'batcher',
      watches: [{ kind: 'ConfigMap', toKeys: () => ['default/one'], delay: (ev) => (ev.object.metadata.name === 'fast' ? 200 : 1000) }],
      reconcile(key, ctx) {
        synced.push([ctx.now, key]);
      },
    };
    sim.runtime.register(c);
    const cm = (name: string): KObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' } });
    sim.store.create(cm('a'));
    sim.runUntil(100);
    sim.store.create(cm('b'));
    sim.store.create(cm('fast'));
    sim.runUntil(5000);
    // a (due 1001) is overtaken by fast (due 301); b's later add is dropped while one is waiting.
    expect(synced).toEqual([[302, 'default/one']]);
  });

  it('a Job with many pods finishing together is synced once for them', () => {
    const sim = cluster();
    sim.apply(job('burst', { completions: 20, parallelism: 20, template: template({ 'ksim.dev/run-duration': '10s' }) }));
    let statusWrites = 0;
    sim.store.watch('Job', (ev) => {
      if (ev.type === 'MODIFIED') statusWrites++;
    });
    sim.runUntil(60_000);
    expect(jobEvents(sim, 'burst').at(-1)?.reason).toBe('Completed');
    // Creation, the pods becoming ready, and finishing: a handful of writes, not one per pod event.
    expect(statusWrites).toBeLessThan(12);
  });
});
