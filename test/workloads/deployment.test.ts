/**
 * The Deployment controller on small simulated clusters: a rolling update to
 * completion with upstream's conditions and events, Recreate ordering, pause
 * and resume, the progress deadline, ReplicaFailure copied from the new
 * ReplicaSet, hash collisions, revisionHistoryLimit, kubectl rollout undo and
 * the scale subresource during a rollout.
 */
import { describe, expect, it } from 'vitest';
import { cluster, deployment, eventsFor, podsOf, running, template } from './helpers.ts';
import type { Simulation } from '../../src/sim/simulation.ts';
import type { KObject } from '../../src/sim/types.ts';
import { ApiError } from '../../src/sim/errors.ts';
import { computeHash } from '../../src/workloads/controllerutils/index.ts';
import { rolloutUndo, RollbackError } from '../../src/workloads/deployment/index.ts';
import { getScale, updateScale } from '../../src/sim/scale.ts';

type Cond = { type: string; status: string; reason?: string; message?: string; lastUpdateTime?: string; lastTransitionTime?: string };
type Status = { replicas?: number; updatedReplicas?: number; availableReplicas?: number; unavailableReplicas?: number; readyReplicas?: number; observedGeneration?: number; collisionCount?: number; conditions?: Cond[] };

const dstatus = (sim: Simulation, name = 'web'): Status => (sim.get('Deployment', 'default', name)!['status'] ?? {}) as Status;
const cond = (sim: Simulation, type: string, name = 'web'): Cond | undefined => dstatus(sim, name).conditions?.find((c) => c.type === type);
const rsNames = (sim: Simulation): string[] => sim.list('ReplicaSet', 'default').map((r) => r.metadata.name ?? '');
const setImage = (sim: Simulation, image: string, name = 'web'): void => {
  sim.store.patch<KObject>('Deployment', 'default', name, (d) => {
    ((d['spec'] as { template: { spec: { containers: Array<{ image: string }> } } }).template.spec.containers[0]!).image = image;
  });
};

/** Progressing (reason, message) pairs in the order the Deployment went through them. */
function watchProgressing(sim: Simulation): Array<[string, string]> {
  const seen: Array<[string, string]> = [];
  sim.store.watch('Deployment', (ev) => {
    const c = ((ev.object['status'] ?? {}) as Status).conditions?.find((x) => x.type === 'Progressing');
    if (!c) return;
    const last = seen[seen.length - 1];
    if (!last || last[0] !== c.reason || last[1] !== c.message) seen.push([c.reason ?? '', c.message ?? '']);
  });
  return seen;
}

describe('Deployment controller', () => {
  it('rolls out a new template to completion with upstream conditions and events', () => {
    const sim = cluster(3);
    const progressing = watchProgressing(sim);
    sim.apply(deployment('web', 4));
    sim.runUntil(20_000);
    const [rs1] = rsNames(sim);
    expect(rs1).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
    const hash1 = rs1!.slice('web-'.length);
    const rsObj = sim.get('ReplicaSet', 'default', rs1!)!;
    expect(rsObj.metadata.labels).toEqual({ app: 'web', 'pod-template-hash': hash1 });
    expect(rsObj.metadata.annotations).toEqual({ 'deployment.kubernetes.io/revision': '1', 'deployment.kubernetes.io/desired-replicas': '4', 'deployment.kubernetes.io/max-replicas': '5' });
    expect((rsObj['spec'] as { selector: unknown }).selector).toEqual({ matchLabels: { app: 'web', 'pod-template-hash': hash1 } });
    for (const p of podsOf(sim)) expect(p.metadata.name).toMatch(new RegExp(`^${rs1}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
    expect(dstatus(sim)).toMatchObject({ observedGeneration: 1, replicas: 4, updatedReplicas: 4, readyReplicas: 4, availableReplicas: 4 });
    expect(cond(sim, 'Available')).toMatchObject({ status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' });
    expect(sim.get('Deployment', 'default', 'web')!.metadata.annotations).toEqual({ 'deployment.kubernetes.io/revision': '1' });

    setImage(sim, 'nginx:1.28');
    sim.runUntil(120_000);
    const rs2 = rsNames(sim).find((n) => n !== rs1)!;
    expect(dstatus(sim)).toMatchObject({ observedGeneration: 2, replicas: 4, updatedReplicas: 4, availableReplicas: 4, terminatingReplicas: 0 });
    expect(sim.get('Deployment', 'default', 'web')!.metadata.annotations).toEqual({ 'deployment.kubernetes.io/revision': '2' });
    expect(podsOf(sim).every((p) => p.metadata.name!.startsWith(`${rs2}-`) && running(p))).toBe(true);
    expect(progressing).toEqual([
      ['NewReplicaSetCreated', `Created new replica set "${rs1}"`],
      ['ReplicaSetUpdated', `ReplicaSet "${rs1}" is progressing.`],
      ['NewReplicaSetAvailable', `ReplicaSet "${rs1}" has successfully progressed.`],
      ['NewReplicaSetCreated', `Created new replica set "${rs2}"`],
      ['ReplicaSetUpdated', `ReplicaSet "${rs2}" is progressing.`],
      ['NewReplicaSetAvailable', `ReplicaSet "${rs2}" has successfully progressed.`],
    ]);
    // maxSurge 25% of 4 -> 1 (up), maxUnavailable 25% of 4 -> 1 (down).
    expect(eventsFor(sim, 'web')).toEqual([
      `ScalingReplicaSet Scaled up replica set ${rs1} from 0 to 4`,
      `ScalingReplicaSet Scaled up replica set ${rs2} from 0 to 1`,
      `ScalingReplicaSet Scaled down replica set ${rs1} from 4 to 3`,
      `ScalingReplicaSet Scaled up replica set ${rs2} from 1 to 2`,
      `ScalingReplicaSet Scaled down replica set ${rs1} from 3 to 2`,
      `ScalingReplicaSet Scaled up replica set ${rs2} from 2 to 3`,
      `ScalingReplicaSet Scaled down replica set ${rs1} from 2 to 1`,
      `ScalingReplicaSet Scaled up replica set ${rs2} from 3 to 4`,
      `ScalingReplicaSet Scaled down replica set ${rs1} from 1 to 0`,
    ]);
    expect(sim.events().find((e) => e.reason === 'ScalingReplicaSet')!.source.component).toBe('deployment-controller');
  });

  it('Recreate: every old pod is gone before the first new pod is created', () => {
    const sim = cluster(2);
    sim.apply(deployment('web', 3, { strategy: { type: 'Recreate' } }));
    sim.runUntil(20_000);
    const [rs1] = rsNames(sim);
    let violations = 0;
    sim.store.watch('Pod', (ev) => {
      if (ev.type !== 'ADDED') return;
      const old = sim.store.list('Pod', 'default').filter((p) => p.metadata.name!.startsWith(`${rs1}-`));
      if (old.length > 0) violations++;
    });
    setImage(sim, 'nginx:1.28');
    sim.runUntil(200_000);
    expect(violations).toBe(0);
    expect(podsOf(sim).filter(running).length).toBe(3);
    expect(podsOf(sim).some((p) => p.metadata.name!.startsWith(`${rs1}-`))).toBe(false);
    const ev = eventsFor(sim, 'web');
    const rs2 = rsNames(sim).find((n) => n !== rs1)!;
    expect(ev).toEqual([
      `ScalingReplicaSet Scaled up replica set ${rs1} from 0 to 3`,
      `ScalingReplicaSet Scaled down replica set ${rs1} from 3 to 0`,
      `ScalingReplicaSet Scaled up replica set ${rs2} from 0 to 3`,
    ]);
  });

  it('paused: no rollout, Progressing DeploymentPaused; resume continues', () => {
    const sim = cluster(2);
    sim.apply(deployment('web', 2));
    sim.runUntil(10_000);
    sim.store.patch<KObject>('Deployment', 'default', 'web', (d) => void ((d['spec'] as { paused?: boolean }).paused = true));
    setImage(sim, 'nginx:1.28');
    sim.runUntil(60_000);
    expect(rsNames(sim).length).toBe(1);
    expect(cond(sim, 'Progressing')).toMatchObject({ status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused' });
    sim.store.patch<KObject>('Deployment', 'default', 'web', (d) => void delete (d['spec'] as { paused?: boolean }).paused);
    sim.runUntil(62_000);
    expect(rsNames(sim).length).toBe(2);
    sim.runUntil(120_000);
    expect(cond(sim, 'Progressing')).toMatchObject({ status: 'True', reason: 'NewReplicaSetAvailable' });
    expect(dstatus(sim)).toMatchObject({ updatedReplicas: 2, availableReplicas: 2 });
  });

  it('progressDeadlineSeconds: a stuck rollout times out with ProgressDeadlineExceeded', () => {
    const sim = cluster(1);
    sim.apply(deployment('web', 2, { progressDeadlineSeconds: 30 }));
    sim.runUntil(10_000);
    // The new pods can never be scheduled.
    sim.store.patch<KObject>('Deployment', 'default', 'web', (d) => {
      ((d['spec'] as { template: { spec: Record<string, unknown> } }).template.spec)['nodeSelector'] = { disk: 'none' };
    });
    sim.runUntil(35_000);
    expect(cond(sim, 'Progressing')?.reason).not.toBe('ProgressDeadlineExceeded');
    sim.runUntil(60_000);
    const rs2 = rsNames(sim).find((n) => sim.get('ReplicaSet', 'default', n)!.metadata.annotations?.['deployment.kubernetes.io/revision'] === '2')!;
    expect(cond(sim, 'Progressing')).toMatchObject({ status: 'False', reason: 'ProgressDeadlineExceeded', message: `ReplicaSet "${rs2}" has timed out progressing.` });
    // maxUnavailable 25% of 2 rounds down to 0 and maxSurge up to 1: both old pods stay available.
    expect(cond(sim, 'Available')).toMatchObject({ status: 'True' });
    expect(dstatus(sim)).toMatchObject({ replicas: 3, updatedReplicas: 1, availableReplicas: 2, unavailableReplicas: 1 });
  });

  it('copies the new ReplicaSet ReplicaFailure condition (FailedCreate)', () => {
    const sim = cluster(1);
    sim.store.addAdmission({
      name: 'DenyPods',
      kinds: ['Pod'],
      validate(req) {
        if (req.operation === 'CREATE') throw ApiError.forbidden('Pod', req.object.metadata.name ?? '', 'exceeded quota: q, requested: pods=1, used: pods=0, limited: pods=0');
      },
    });
    sim.apply(deployment('web', 2));
    sim.runUntil(5_000);
    expect(cond(sim, 'ReplicaFailure')).toMatchObject({ status: 'True', reason: 'FailedCreate', message: expect.stringMatching(/^pods "web-[a-z0-9]+-[a-z0-9]{5}" is forbidden: exceeded quota: q/) });
    expect(cond(sim, 'Available')).toMatchObject({ status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' });
  });

  it('hash collision: bumps collisionCount and names the ReplicaSet from the new hash', () => {
    const sim = cluster(1);
    const d = deployment('web', 1);
    const admitted = sim.store.create(d, { dryRun: true });
    const hash0 = computeHash((admitted['spec'] as { template: unknown }).template, undefined);
    sim.apply({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: `web-${hash0}`, namespace: 'default', labels: { app: 'other' } }, spec: { replicas: 0, selector: { matchLabels: { app: 'other' } }, template: template({ app: 'other' }) } } as KObject);
    sim.apply(d);
    sim.runUntil(10_000);
    expect(dstatus(sim).collisionCount).toBe(1);
    const hash1 = computeHash((admitted['spec'] as { template: unknown }).template, 1);
    expect(rsNames(sim).sort()).toEqual([`web-${hash0}`, `web-${hash1}`].sort());
    expect(podsOf(sim).filter(running).length).toBe(1);
  });

  it('revisionHistoryLimit keeps only that many old ReplicaSets', () => {
    const sim = cluster(2);
    sim.apply(deployment('web', 1, { revisionHistoryLimit: 1 }));
    sim.runUntil(10_000);
    for (const [i, image] of ['nginx:1', 'nginx:2', 'nginx:3'].entries()) {
      setImage(sim, image);
      sim.runUntil(10_000 + (i + 1) * 60_000);
    }
    const revs = sim.list('ReplicaSet', 'default').map((r) => r.metadata.annotations?.['deployment.kubernetes.io/revision']).sort();
    expect(revs).toEqual(['3', '4']);
  });

  it('kubectl rollout undo restores the previous template onto its old ReplicaSet', () => {
    const sim = cluster(2);
    sim.apply(deployment('web', 2));
    sim.runUntil(10_000);
    const [rs1] = rsNames(sim);
    setImage(sim, 'nginx:1.28');
    sim.runUntil(80_000);
    expect(rolloutUndo(sim.store, 'default', 'web')).toBe('deployment.apps/web rolled back');
    sim.runUntil(160_000);
    const rs = sim.get('ReplicaSet', 'default', rs1!)!;
    expect((rs['spec'] as { replicas: number }).replicas).toBe(2);
    expect(rs.metadata.annotations).toMatchObject({ 'deployment.kubernetes.io/revision': '3', 'deployment.kubernetes.io/revision-history': '1' });
    expect(sim.get('Deployment', 'default', 'web')!.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('3');
    expect(rsNames(sim).length).toBe(2);
    expect(rolloutUndo(sim.store, 'default', 'web', 3)).toBe('deployment.apps/web skipped rollback (current template already matches revision 3)');
    expect(() => rolloutUndo(sim.store, 'default', 'web', 7)).toThrow(new RollbackError('unable to find specified revision 7 in history'));
  });

  it('scale subresource during a rollout scales proportionally', () => {
    const sim = cluster(1, 7, '2'); // room for 2 x 1 CPU... pods request 100m: ample; make the new ones unschedulable instead
    sim.apply(deployment('web', 4, { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 2, maxUnavailable: 0 } } }));
    sim.runUntil(10_000);
    sim.store.patch<KObject>('Deployment', 'default', 'web', (d) => {
      ((d['spec'] as { template: { spec: Record<string, unknown> } }).template.spec)['nodeSelector'] = { disk: 'none' };
    });
    sim.runUntil(20_000);
    // Old 4, new 2 (surge), nothing new available.
    expect(getScale(sim.store, 'Deployment', 'default', 'web')).toMatchObject({ spec: { replicas: 4 }, status: { replicas: 6, selector: 'app=web' } });
    updateScale(sim.store, 'Deployment', 'default', 'web', 8);
    sim.runUntil(30_000);
    const sizes = Object.fromEntries(sim.list('ReplicaSet', 'default').map((r) => [r.metadata.annotations?.['deployment.kubernetes.io/revision'], (r['spec'] as { replicas: number }).replicas]));
    // allowed 8 + 2 = 10, was 6: +4 split 4/6 and 2/6 of max 6 -> old 4 + round(4*10/6 - 4)=7, new 2 + round(2*10/6) - 2 = 3.
    expect(sizes).toEqual({ '1': 7, '2': 3 });
  });
});
