/**
 * The Job controller's claim of pods (getPodsForJob: ClaimPods with the tracking finalizer) and its
 * orphan-pod sync (syncOrphanPod), on a cluster with the real scheduler and kubelets: an orphan matching
 * a Job's selector is adopted (controller reference and finalizer added) and counted, a pod that stops
 * matching is released (reference and finalizer removed) and replaced, a pod whose reference was
 * removed is adopted again, and an orphan left with the tracking finalizer loses it.
 */
import { describe, expect, it } from 'vitest';
import type { KObject } from '../../src/sim/types.ts';
import { cluster, getJob, job, template, type PodObj } from './job.helpers.ts';

const TRACKING = 'batch.kubernetes.io/job-tracking';
const RUN = { 'ksim.dev/run-duration': '10m' };

function pod(name: string, labels: Record<string, string>, extra: Partial<PodObj['metadata']> = {}): PodObj {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels, annotations: RUN, ...extra },
    spec: { restartPolicy: 'Never', containers: [{ name: 'app', image: 'busybox' }] },
  } as PodObj;
}

const getPod = (sim: ReturnType<typeof cluster>, name: string): PodObj | undefined => sim.get('Pod', 'default', name) as PodObj | undefined;

function manualJob(name: string, parallelism: number): KObject {
  const t = template(RUN);
  return job(name, {
    manualSelector: true,
    selector: { matchLabels: { app: 'x' } },
    parallelism,
    completions: parallelism,
    template: { ...t, metadata: { ...t.metadata, labels: { app: 'x' } } },
  });
}

function jobPods(sim: ReturnType<typeof cluster>, jobName: string): PodObj[] {
  return (sim.list('Pod') as PodObj[]).filter((p) => p.metadata.ownerReferences?.some((r) => r.kind === 'Job' && r.name === jobName && r.controller));
}

describe('Job: claiming pods (ClaimPods with the tracking finalizer)', () => {
  it('adopts an orphan matching its selector, adds the tracking finalizer, and counts it as active', () => {
    const sim = cluster();
    sim.apply(pod('stray', { app: 'x' }));
    sim.runUntil(5_000);
    sim.apply(manualJob('adopter', 2));
    sim.runUntil(20_000);
    const stray = getPod(sim, 'stray')!;
    const j = getJob(sim, 'adopter')!;
    expect(stray.metadata.ownerReferences).toEqual([
      { apiVersion: 'batch/v1', kind: 'Job', name: 'adopter', uid: j.metadata.uid, controller: true, blockOwnerDeletion: true },
    ]);
    expect(stray.metadata.finalizers).toEqual([TRACKING]);
    // Two wanted, one adopted: one created.
    expect(jobPods(sim, 'adopter').map((p) => p.metadata.name).sort()).toHaveLength(2);
    expect(j.status?.active).toBe(2);
  });

  it('does not adopt an orphan that does not match, nor one being deleted', () => {
    const sim = cluster();
    sim.apply(pod('other', { app: 'y' }));
    sim.runUntil(5_000);
    sim.apply(manualJob('picky', 1));
    sim.runUntil(20_000);
    expect(getPod(sim, 'other')!.metadata.ownerReferences).toBeUndefined();
    expect(getPod(sim, 'other')!.metadata.finalizers).toBeUndefined();
    expect(jobPods(sim, 'picky')).toHaveLength(1);
  });

  it('releases a pod whose labels stop matching (reference and finalizer removed) and replaces it', () => {
    const sim = cluster();
    sim.apply(manualJob('keeper', 1));
    sim.runUntil(10_000);
    const [first] = jobPods(sim, 'keeper');
    expect(first).toBeDefined();
    const name = first!.metadata.name!;
    sim.store.patch<PodObj>('Pod', 'default', name, (d) => {
      d.metadata.labels = { app: 'gone' };
    }, { actor: 'test' });
    sim.runUntil(30_000);
    const released = getPod(sim, name)!;
    expect(released.metadata.ownerReferences).toBeUndefined();
    expect(released.metadata.finalizers).toBeUndefined();
    const now = jobPods(sim, 'keeper');
    expect(now).toHaveLength(1);
    expect(now[0]!.metadata.name).not.toBe(name);
    expect(getJob(sim, 'keeper')!.status?.active).toBe(1);
  });

  it('adopts again a pod whose controller reference was removed while it still matches the generated selector', () => {
    const sim = cluster();
    sim.apply(job('gen', { parallelism: 1, completions: 1, template: template(RUN) }));
    sim.runUntil(10_000);
    const [p] = jobPods(sim, 'gen');
    const name = p!.metadata.name!;
    sim.store.patch<PodObj>('Pod', 'default', name, (d) => {
      delete d.metadata.ownerReferences;
    }, { actor: 'test' });
    expect(getPod(sim, name)!.metadata.ownerReferences).toBeUndefined();
    sim.runUntil(30_000);
    const back = getPod(sim, name)!;
    expect(back.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Job', name: 'gen', uid: getJob(sim, 'gen')!.metadata.uid, controller: true });
    expect(back.metadata.finalizers).toEqual([TRACKING]);
    // Still one pod: the orphaned one was not replaced once adopted again.
    expect(jobPods(sim, 'gen')).toHaveLength(1);
    expect((sim.list('Pod') as PodObj[]).filter((x) => x.metadata.labels?.['batch.kubernetes.io/job-name'] === 'gen')).toHaveLength(1);
  });

  it('removes the tracking finalizer from an orphan no Job adopts (syncOrphanPod)', () => {
    const sim = cluster();
    sim.apply(pod('leftover', { app: 'z' }, { finalizers: [TRACKING, 'example.com/keep'] }));
    sim.runUntil(5_000);
    expect(getPod(sim, 'leftover')!.metadata.finalizers).toEqual(['example.com/keep']);
  });

  it('a Job deleted with propagationPolicy Orphan leaves its pods running, without its reference and without the tracking finalizer', () => {
    const sim = cluster();
    sim.apply(job('orphaned', { parallelism: 2, completions: 2, template: template(RUN) }));
    sim.runUntil(10_000);
    expect(jobPods(sim, 'orphaned')).toHaveLength(2);
    sim.store.delete('Job', 'default', 'orphaned', { actor: 'test', propagationPolicy: 'Orphan' });
    sim.runUntil(40_000);
    expect(getJob(sim, 'orphaned')).toBeUndefined();
    const pods = sim.list('Pod') as PodObj[];
    expect(pods).toHaveLength(2);
    for (const p of pods) {
      expect(p.metadata.ownerReferences).toBeUndefined();
      expect(p.metadata.finalizers).toBeUndefined();
      expect(p.status?.phase).toBe('Running');
    }
  });

  it('keeps the tracking finalizer on a pod another kind controls', () => {
    const sim = cluster();
    sim.apply(
      pod('foreign', { app: 'z' }, {
        finalizers: [TRACKING],
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'rs-uid', controller: true }],
      }),
    );
    sim.runUntil(5_000);
    expect(getPod(sim, 'foreign')!.metadata.finalizers).toEqual([TRACKING]);
  });
});
