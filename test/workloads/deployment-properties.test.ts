/**
 * Properties of the Deployment and ReplicaSet controllers on small clusters
 * with room for every pod:
 *  - during a rolling update there are never fewer than
 *    replicas - maxUnavailable available pods nor more than replicas +
 *    maxSurge pods (checked at every store commit);
 *  - every rollout completes with exactly `replicas` updated pods;
 *  - the run log is byte-identical for one seed.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cluster, deployment } from './helpers.ts';
import type { KObject } from '../../src/sim/types.ts';
import { isPodReady } from '../../src/workloads/controllerutils/index.ts';
import { resolveFenceposts } from '../../src/workloads/deployment/util.ts';
import { MemoryRunLogSink, toNDJSON } from '../../src/sim/runLog.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import { runScenario } from '../../src/scenario/run.ts';
import type { Pod } from 'kubernetes-types/core/v1';

const intOrPercent = fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constantFrom('0%', '10%', '25%', '50%', '100%'));

describe('rolling update bounds', () => {
  it('available >= replicas - maxUnavailable and total <= replicas + maxSurge throughout a rollout', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), intOrPercent, intOrPercent, fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 0, max: 2 }), (replicas, surge, unavailable, seed, minReady) => {
        fc.pre(!((surge === 0 || surge === '0%') && (unavailable === 0 || unavailable === '0%')));
        const [maxSurge, maxUnavailable] = resolveFenceposts(surge, unavailable, replicas);
        const sim = cluster(2, seed);
        sim.apply(deployment('web', replicas, { minReadySeconds: minReady, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: surge, maxUnavailable: unavailable } } }));
        sim.runUntil(10_000);
        // Active and available pods, kept up to date from every pod commit.
        const active = new Set<string>();
        const ready = new Set<string>();
        for (const p of sim.store.list<Pod & KObject>('Pod', 'default')) {
          active.add(p.metadata.name!);
          if (isPodReady(p)) ready.add(p.metadata.name!);
        }
        let minAvailable = ready.size;
        let maxTotal = active.size;
        sim.store.watch('Pod', (ev) => {
          const p = ev.object as Pod & KObject;
          const name = p.metadata.name!;
          const live = ev.type !== 'DELETED' && !p.metadata.deletionTimestamp && p.status?.phase !== 'Failed' && p.status?.phase !== 'Succeeded';
          if (live) active.add(name);
          else active.delete(name);
          if (live && isPodReady(p)) ready.add(name);
          else ready.delete(name);
          minAvailable = Math.min(minAvailable, ready.size);
          maxTotal = Math.max(maxTotal, active.size);
        });
        sim.store.patch<KObject>('Deployment', 'default', 'web', (d) => {
          ((d['spec'] as { template: { spec: { containers: Array<{ image: string }> } } }).template.spec.containers[0]!).image = 'nginx:next';
        });
        sim.runUntil(60_000);
        const status = sim.get('Deployment', 'default', 'web')!['status'] as { updatedReplicas?: number; replicas?: number; availableReplicas?: number };
        expect(status).toMatchObject({ updatedReplicas: replicas, replicas, availableReplicas: replicas });
        expect(minAvailable).toBeGreaterThanOrEqual(replicas - Math.min(maxUnavailable, replicas));
        expect(maxTotal).toBeLessThanOrEqual(replicas + maxSurge);
      }),
      { numRuns: 200, seed: 42 },
    );
  });
});

describe('determinism', () => {
  it('the rolling-update scenario writes the same run log twice for one seed', () => {
    const run = (seed: number): string => {
      const log = new MemoryRunLogSink();
      runScenario(loadScenario(['scenarios/deployment-rolling-update.yaml']), { seed, log });
      return toNDJSON(log.records);
    };
    const a = run(5);
    expect(a.length).toBeGreaterThan(1000);
    expect(run(5) === a).toBe(true);
    expect(run(6) === a).toBe(false);
  });
});
