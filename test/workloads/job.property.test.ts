/**
 * Properties of the Job controller on a small cluster (fast-check, 200 runs):
 * a Job never has more than `parallelism` active pods, whatever its
 * completions, completion mode, exit codes, back-off limit, replacement
 * policy or a suspend in the middle; and a run is byte-identical for a seed.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Pod } from 'kubernetes-types/core/v1';
import { isPodActive } from '../../src/workloads/controllerutils/pods.ts';
import { cluster, getJob, job, template } from './job.helpers.ts';

const spec = fc.record({
  completions: fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }),
  parallelism: fc.integer({ min: 1, max: 4 }),
  indexed: fc.boolean(),
  exitCode: fc.constantFrom(0, 0, 1),
  runSeconds: fc.integer({ min: 1, max: 20 }),
  backoffLimit: fc.integer({ min: 0, max: 3 }),
  replaceOnlyFailed: fc.boolean(),
  suspendAt: fc.option(fc.integer({ min: 1, max: 60 }), { nil: undefined }),
  seed: fc.integer({ min: 1, max: 1000 }),
});

describe('Job properties', () => {
  it('never has more than parallelism active pods', () => {
    fc.assert(
      fc.property(spec, (s) => {
        const sim = cluster(s.seed);
        const completions = s.indexed ? (s.completions ?? 3) : s.completions;
        sim.apply(
          job('p', {
            ...(completions !== undefined ? { completions } : {}),
            parallelism: s.parallelism,
            completionMode: s.indexed ? 'Indexed' : 'NonIndexed',
            backoffLimit: s.backoffLimit,
            podReplacementPolicy: s.replaceOnlyFailed ? 'Failed' : 'TerminatingOrFailed',
            template: template({ 'ksim.dev/run-duration': `${s.runSeconds}s`, 'ksim.dev/exit-code': String(s.exitCode) }),
          }),
        );
        const active = new Set<string>();
        let worst = 0;
        sim.store.watch('Pod', (ev) => {
          const p = ev.object as Pod;
          const uid = p.metadata?.uid ?? '';
          if (ev.type !== 'DELETED' && isPodActive(p)) active.add(uid);
          else active.delete(uid);
          worst = Math.max(worst, active.size);
        });
        if (s.suspendAt !== undefined) {
          sim.runUntil(s.suspendAt * 1000);
          sim.store.patch<ReturnType<typeof job>>('Job', 'default', 'p', (d) => {
            d.spec!.suspend = true;
          });
          sim.runUntil(s.suspendAt * 1000 + 5000);
          sim.store.patch<ReturnType<typeof job>>('Job', 'default', 'p', (d) => {
            d.spec!.suspend = false;
          });
        }
        sim.runUntil(250_000);
        expect(worst).toBeLessThanOrEqual(s.parallelism);
        // The Job ends one way or the other.
        const conds = (getJob(sim, 'p')?.status?.conditions ?? []).filter((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
        if (completions !== undefined || s.exitCode === 0) expect(conds.length).toBe(1);
      }),
      { numRuns: 200, seed: 6 },
    );
  });
});
