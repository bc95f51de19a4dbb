/**
 * Jobs with equal pod templates share one frozen template spec after
 * admission (ApiStore.internJobTemplateSpec), as pods share their specs. The
 * sharing must change nothing a reader can see: a Job created in a store that
 * has admitted many others is exactly (keys, key order, leaves by Object.is)
 * the Job, or the error, it gets as the first Job of a fresh store, which
 * shares with nothing.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { identical } from './identical.ts';
import { Simulation } from '../../src/sim/simulation.ts';
import { defaultAdmissionChain } from '../../src/admission/apiServer.ts';
import { jobStrategyAdmission } from '../../src/workloads/job/jobStrategy.ts';
import { isApiError } from '../../src/sim/errors.ts';
import type { KObject } from '../../src/sim/types.ts';

function store(): Simulation {
  const sim = Simulation.create({ seed: 7 });
  for (const p of defaultAdmissionChain(sim.store)) sim.store.addAdmission(p);
  sim.store.addAdmission(jobStrategyAdmission);
  sim.store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } } as KObject);
  return sim;
}


const leaf = fc.constantFrom<unknown>(undefined, null, 0, -0, NaN, 1, '', 'x', true);
const container = fc.record(
  {
    name: fc.constantFrom('task', 'side', 'Bad_Name'),
    image: fc.constantFrom('nginx', 'registry.k8s.io/pause:3.10'),
    resources: fc.constantFrom<unknown>(undefined, { requests: { cpu: '100m', memory: '128Mi' } }, { limits: { cpu: '1' } }),
    extra: leaf,
  },
  { requiredKeys: ['name', 'image'] },
);
const wide = fc.record(
  {
    restartPolicy: fc.constantFrom<unknown>('Never', 'OnFailure', 'Always', undefined),
    terminationGracePeriodSeconds: leaf,
    containers: fc.array(container, { minLength: 1, maxLength: 2 }),
    activeDeadlineSeconds: fc.constantFrom<unknown>(undefined, null, NaN, 0, -0),
  },
  { requiredKeys: ['containers', 'restartPolicy'] },
);
// Narrow: equal but for values JSON cannot tell apart (undefined or missing, -0 or 0), so they meet often.
const narrowLeaf = fc.constantFrom<unknown>(undefined, 0, -0);
const narrow = fc.record(
  {
    restartPolicy: fc.constant('Never'),
    containers: fc.constant([{ name: 'task', image: 'nginx' }]),
    terminationGracePeriodSeconds: narrowLeaf,
    activeDeadlineSeconds: fc.constantFrom<unknown>(undefined, 5),
  },
  { requiredKeys: ['containers', 'restartPolicy'] },
);
const podSpec = fc.oneof(wide, narrow);
const job = fc.record({
  spec: podSpec,
  labels: fc.constantFrom<unknown>(undefined, { app: 'batch' }),
  completions: fc.constantFrom<unknown>(undefined, 1, 2),
  ttl: fc.constantFrom<unknown>(undefined, 300),
});

function create(sim: Simulation, name: string, j: { spec: unknown; labels: unknown; completions: unknown; ttl: unknown }): { job?: KObject; error?: string } {
  const spec: Record<string, unknown> = { template: { metadata: { labels: j.labels }, spec: structuredClone(j.spec) } };
  if (j.completions !== undefined) spec['completions'] = j.completions;
  if (j.ttl !== undefined) spec['ttlSecondsAfterFinished'] = j.ttl;
  try {
    return { job: sim.store.create({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name, namespace: 'default' }, spec } as KObject) };
  } catch (e) {
    if (!isApiError(e)) throw e;
    return { error: e.message };
  }
}

const templateSpec = (o: KObject | undefined): unknown => ((o?.['spec'] as { template?: { spec?: unknown } } | undefined)?.template?.spec);

describe('Job template spec interning', () => {
  it('a Job is the Job (or the error) it is alone in a fresh store (fast-check)', () => {
    let admitted = 0;
    fc.assert(
      fc.property(fc.array(job, { minLength: 1, maxLength: 10 }), (jobs) => {
        const shared = store();
        jobs.forEach((j, i) => {
          const got = create(shared, `j-${i}`, j);
          const alone = create(store(), `j-${i}`, j);
          expect(got.error).toBe(alone.error);
          // uids and timestamps come from each store's own streams: compare everything but metadata, then the labels.
          const strip = (o: KObject | undefined) => (o ? { ...o, metadata: { labels: o.metadata.labels } } : undefined);
          const a = strip(got.job);
          const b = strip(alone.job);
          // The generated selector and labels name the Job's uid: compare with the uid written the same.
          const uidA = got.job?.metadata.uid ?? '';
          const uidB = alone.job?.metadata.uid ?? '';
          const norm = (o: unknown, uid: string) => (o === undefined ? undefined : JSON.parse(JSON.stringify(o).split(uid).join('UID')) as unknown);
          expect(isDeepStrictEqual(norm(a, uidA), norm(b, uidB))).toBe(true);
          expect(identical(templateSpec(got.job), templateSpec(alone.job))).toBe(true);
          if (got.error === undefined) admitted++;
        });
      }),
      { numRuns: 200 },
    );
    expect(admitted).toBeGreaterThan(100);
  });

  it('equal templates share one frozen spec; unequal ones do not', () => {
    const sim = store();
    const base = { spec: { restartPolicy: 'Never', containers: [{ name: 'task', image: 'nginx' }] }, labels: { app: 'batch' }, completions: 1, ttl: 300 };
    const a = templateSpec(create(sim, 'a', base).job);
    const b = templateSpec(create(sim, 'b', base).job);
    expect(a).toBe(b);
    expect(Object.isFrozen(a)).toBe(true);
    const c = templateSpec(create(sim, 'c', { ...base, spec: { ...base.spec, activeDeadlineSeconds: 5 } }).job);
    expect(c).not.toBe(a);
    const d = templateSpec(create(sim, 'd', { ...base, spec: { ...base.spec, activeDeadlineSeconds: undefined } }).job);
    expect(d).not.toBe(a);
  });
});
