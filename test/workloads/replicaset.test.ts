/**
 * The ReplicaSet / ReplicationController controller on small simulated
 * clusters: create and scale with upstream's events and status, slow-start
 * batches and the FailedCreate retry on an admission refusal, the deletion
 * ranking when scaling down, adoption and release, burstReplicas, and
 * availableReplicas after minReadySeconds.
 */
import { describe, expect, it } from 'vitest';
import { cluster, eventsFor, podsOf, replicaSet, running, type PodLike } from './helpers.ts';
import { ApiError } from '../../src/sim/errors.ts';
import { Simulation } from '../../src/sim/simulation.ts';
import type { AdmissionPlugin, KObject } from '../../src/sim/types.ts';
import { createReplicaSetController } from '../../src/workloads/replicaset/index.ts';
import { getScale, updateScale } from '../../src/sim/scale.ts';

const NAME_RE = /^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/;

/** An admission plugin refusing pod creates beyond `limit`, as ResourceQuota admission would. */
function podQuota(limit: { pods: number }): AdmissionPlugin {
  return {
    name: 'TestQuota',
    kinds: ['Pod'],
    validate(req) {
      if (req.operation !== 'CREATE') return;
      const used = req.store.list('Pod', req.object.metadata.namespace).filter((p) => !p.metadata.deletionTimestamp).length;
      if (used >= limit.pods) {
        throw ApiError.forbidden('Pod', req.object.metadata.name ?? '', `exceeded quota: pods-quota, requested: pods=1, used: pods=${used}, limited: pods=${limit.pods}`);
      }
    },
  };
}

describe('ReplicaSet controller', () => {
  it('creates pods with generated names, events and status; scales down', () => {
    const sim = cluster(2);
    const rs = replicaSet('web', 3);
    // Containers take 20 s to stop after SIGTERM, so deleted pods stay terminating for a while.
    (rs['spec'] as { template: { metadata: Record<string, unknown> } }).template.metadata['annotations'] = { 'ksim.dev/shutdown-duration': '20s' };
    sim.apply(rs);
    sim.runUntil(10_000);
    const pods = podsOf(sim);
    expect(pods.length).toBe(3);
    for (const p of pods) {
      expect(p.metadata.name).toMatch(NAME_RE);
      expect(p.metadata.generateName).toBe('web-');
      expect(p.metadata.ownerReferences).toEqual([
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: sim.get('ReplicaSet', 'default', 'web')!.metadata.uid, controller: true, blockOwnerDeletion: true },
      ]);
      expect(p.status?.phase).toBe('Running');
    }
    expect(eventsFor(sim, 'web').sort()).toEqual(pods.map((p) => `SuccessfulCreate Created pod: ${p.metadata.name}`).sort());
    const ev = sim.events().find((e) => e.reason === 'SuccessfulCreate')!;
    expect(ev.source).toEqual({ component: 'replicaset-controller' });
    expect(sim.get('ReplicaSet', 'default', 'web')!['status']).toEqual({ replicas: 3, fullyLabeledReplicas: 3, readyReplicas: 3, availableReplicas: 3, terminatingReplicas: 0, observedGeneration: 1 });

    updateScale(sim.store, 'ReplicaSet', 'default', 'web', 1);
    // The deleted pods terminate for 20 s: terminatingReplicas (DeploymentReplicaSetTerminatingReplicas).
    sim.runUntil(20_000);
    expect(sim.get('ReplicaSet', 'default', 'web')!['status']).toMatchObject({ replicas: 1, terminatingReplicas: 2 });
    sim.runUntil(60_000);
    expect(podsOf(sim).length).toBe(1);
    expect(eventsFor(sim, 'web').filter((e) => e.startsWith('SuccessfulDelete')).length).toBe(2);
    expect(eventsFor(sim, 'web').filter((e) => e.startsWith('SuccessfulDelete'))[0]).toMatch(/^SuccessfulDelete Deleted pod: web-[a-z0-9]{5}$/);
    expect(sim.get('ReplicaSet', 'default', 'web')!['status']).toMatchObject({ replicas: 1, observedGeneration: 2, availableReplicas: 1, terminatingReplicas: 0 });
  });

  it('scales down unscheduled pods before running ones (ActivePodsWithRanks)', () => {
    const sim = cluster(1, 7, '1'); // one node with 1 CPU: 100m pods, pod limit unaffected; make only 2 fit with 400m each
    const rs = replicaSet('web', 4);
    ((rs['spec'] as { template: { spec: { containers: Array<{ resources: unknown }> } } }).template.spec.containers[0]!).resources = { requests: { cpu: '400m' } };
    sim.apply(rs);
    sim.runUntil(20_000);
    const before = podsOf(sim);
    expect(before.filter(running).length).toBe(2);
    const pending = before.filter((p) => !p.spec?.nodeName).map((p) => p.metadata.name).sort();
    expect(pending.length).toBe(2);
    updateScale(sim.store, 'ReplicaSet', 'default', 'web', 2);
    sim.runUntil(40_000);
    const deleted = eventsFor(sim, 'web').filter((e) => e.startsWith('SuccessfulDelete')).map((e) => e.slice('SuccessfulDelete Deleted pod: '.length)).sort();
    expect(deleted).toEqual(pending);
    expect(podsOf(sim).filter(running).length).toBe(2);
  });

  it('FailedCreate: slow-start batches stop at the first refusal, the condition is set, the key retries with back-off', () => {
    const sim = cluster(2);
    const quota = { pods: 2 };
    sim.store.addAdmission(podQuota(quota));
    sim.apply(replicaSet('web', 5));
    sim.runUntil(2); // the first sync: created at 0, seen at 1 ms, reconciled at 2 ms
    // First sync: batch of 1 (ok), batch of 2 (1 ok, 1 refused) -> stop; the batch of 4 is never tried.
    const first = eventsFor(sim, 'web');
    expect(first.filter((e) => e.startsWith('SuccessfulCreate')).length).toBe(2);
    const failures = first.filter((e) => e.startsWith('FailedCreate'));
    expect(failures.length).toBe(1);
    expect(failures[0]).toMatch(/^FailedCreate Error creating: pods "web-[a-z0-9]{5}" is forbidden: exceeded quota: pods-quota, requested: pods=1, used: pods=2, limited: pods=2$/);
    sim.runUntil(2_000);
    const status = sim.get('ReplicaSet', 'default', 'web')!['status'] as { conditions?: Array<Record<string, string>> };
    expect(status.conditions).toEqual([
      expect.objectContaining({ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: expect.stringMatching(/is forbidden: exceeded quota/) }),
    ]);
    // Retries on the rate limiter: 5 ms, 10 ms, 20 ms ... so several more refusals by 2 s, each one create attempt.
    const retries = sim.events().filter((e) => e.reason === 'FailedCreate').reduce((n, e) => n + e.count, 0);
    expect(retries).toBeGreaterThan(3);
    expect(retries).toBeLessThan(20);
    quota.pods = 100;
    sim.runUntil(120_000);
    expect(podsOf(sim).filter(running).length).toBe(5);
    expect((sim.get('ReplicaSet', 'default', 'web')!['status'] as { conditions?: unknown }).conditions).toBeUndefined();
  });

  it('adopts a matching orphan and releases a pod whose labels stop matching', () => {
    const sim = cluster(2);
    sim.apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'orphan', namespace: 'default', labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } as KObject);
    sim.runUntil(5_000);
    sim.apply(replicaSet('web', 2));
    sim.runUntil(10_000);
    const rs = sim.get('ReplicaSet', 'default', 'web')!;
    expect(sim.get('Pod', 'default', 'orphan')!.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'ReplicaSet', name: 'web', uid: rs.metadata.uid, controller: true });
    expect(podsOf(sim).length).toBe(2);
    expect(eventsFor(sim, 'web').filter((e) => e.startsWith('SuccessfulCreate')).length).toBe(1);
    sim.store.patch<KObject>('Pod', 'default', 'orphan', (d) => void (d.metadata.labels = { app: 'other' }));
    sim.runUntil(20_000);
    expect(sim.get('Pod', 'default', 'orphan')!.metadata.ownerReferences).toBeUndefined();
    expect(podsOf(sim, (p: PodLike) => p.metadata.labels?.['app'] === 'web').length).toBe(2);
  });

  it("ignores a pod another kind controls until it is released, then adopts it", () => {
    const sim = cluster(2);
    sim.apply(replicaSet('web', 2));
    sim.runUntil(10_000);
    // A live owner of another kind (the garbage collector deletes pods whose owner is gone).
    sim.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'holder', namespace: 'default' } } as KObject);
    const jobRef = { apiVersion: 'v1', kind: 'ConfigMap', name: 'holder', uid: sim.get('ConfigMap', 'default', 'holder')!.metadata.uid!, controller: true };
    sim.apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'taken', namespace: 'default', labels: { app: 'web' }, ownerReferences: [jobRef] }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } as KObject);
    sim.runUntil(15_000);
    // Changed while still the other owner's: still not ours.
    sim.store.patch<KObject>('Pod', 'default', 'taken', (d) => void (d.metadata.annotations = { note: 'x' }));
    sim.runUntil(20_000);
    expect(sim.get('Pod', 'default', 'taken')!.metadata.ownerReferences).toEqual([jobRef]);
    expect(eventsFor(sim, 'web').filter((e) => e.startsWith('SuccessfulDelete'))).toEqual([]);
    // Released: an orphan matching the selector, adopted, and the surplus deleted.
    sim.store.patch<KObject>('Pod', 'default', 'taken', (d) => void delete d.metadata.ownerReferences);
    sim.runUntil(30_000);
    const rs = sim.get('ReplicaSet', 'default', 'web')!;
    expect(eventsFor(sim, 'web').filter((e) => e.startsWith('SuccessfulDelete')).length).toBe(1);
    expect(podsOf(sim, (p: PodLike) => p.metadata.labels?.['app'] === 'web' && !p.metadata.deletionTimestamp).length).toBe(2);
    const taken = sim.get('Pod', 'default', 'taken');
    if (taken && !taken.metadata.deletionTimestamp) expect(taken.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'ReplicaSet', uid: rs.metadata.uid });
    expect(rs['status']).toMatchObject({ replicas: 2 });
    // One of ours handed to the other owner: no longer counted, so a replacement is created.
    const mine = podsOf(sim, (p: PodLike) => p.metadata.ownerReferences?.[0]?.kind === 'ReplicaSet' && !p.metadata.deletionTimestamp)[0]!;
    sim.store.patch<KObject>('Pod', 'default', mine.metadata.name!, (d) => void (d.metadata.ownerReferences = [jobRef]));
    sim.runUntil(40_000);
    expect(sim.get('Pod', 'default', mine.metadata.name!)!.metadata.ownerReferences).toEqual([jobRef]);
    expect(podsOf(sim, (p: PodLike) => p.metadata.ownerReferences?.[0]?.kind === 'ReplicaSet' && !p.metadata.deletionTimestamp).length).toBe(2);
    expect(sim.get('ReplicaSet', 'default', 'web')!['status']).toMatchObject({ replicas: 2 });
  });

  it('claims a pod by its controller uid whatever kind the reference names (ClaimPods compares uids)', () => {
    const sim = cluster(2);
    sim.apply(replicaSet('web', 2));
    sim.runUntil(10_000);
    const uid = sim.get('ReplicaSet', 'default', 'web')!.metadata.uid!;
    sim.apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'odd', namespace: 'default', labels: { app: 'web' }, ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: 'web', uid, controller: true }] }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } as KObject);
    sim.runUntil(15_000);
    // Its own event names no ReplicaSet (resolveControllerRef checks the kind); the next sync counts it.
    updateScale(sim.store, 'ReplicaSet', 'default', 'web', 3);
    sim.runUntil(25_000);
    expect(eventsFor(sim, 'web').filter((e) => e.startsWith('SuccessfulCreate')).length).toBe(2);
    expect(sim.get('ReplicaSet', 'default', 'web')!['status']).toMatchObject({ replicas: 3 });
  });

  it('creates at most burstReplicas per sync, waiting on expectations between bursts', () => {
    const sim = Simulation.create({ seed: 3 });
    const counts: number[] = [];
    sim.runtime.register(createReplicaSetController({ kind: 'ReplicaSet', runtime: sim.runtime, parseTime: (s) => sim.virtualTime(s), timestamp: (t) => sim.timestamp(t), burstReplicas: 3 }));
    sim.store.watch('ReplicaSet', (ev) => {
      if (ev.type === 'MODIFIED') counts.push((ev.object['status'] as { replicas?: number } | undefined)?.replicas ?? 0);
    });
    sim.apply(replicaSet('web', 10));
    sim.runUntil(1_000);
    expect(podsOf(sim).length).toBe(10);
    // The first status is computed from the pods seen before the burst, as upstream's calculateStatus.
    expect(counts).toEqual([0, 3, 6, 9, 10]);
  });

  it('ReplicationController: same controller, label-map selector, replication-controller events', () => {
    const sim = cluster(2);
    sim.apply({
      apiVersion: 'v1',
      kind: 'ReplicationController',
      metadata: { name: 'web', namespace: 'default' },
      spec: { replicas: 2, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    } as KObject);
    sim.runUntil(10_000);
    expect(podsOf(sim).filter(running).length).toBe(2);
    expect(podsOf(sim)[0]!.metadata.ownerReferences?.[0]).toMatchObject({ apiVersion: 'v1', kind: 'ReplicationController', name: 'web' });
    expect(sim.events().find((e) => e.reason === 'SuccessfulCreate')!.source.component).toBe('replication-controller');
    expect(getScale(sim.store, 'ReplicationController', 'default', 'web')).toMatchObject({ spec: { replicas: 2 }, status: { replicas: 2, selector: 'app=web' } });
  });

  it('availableReplicas waits minReadySeconds after Ready', () => {
    const sim = cluster(2);
    sim.apply(replicaSet('web', 2, { app: 'web' }, { minReadySeconds: 10 }));
    sim.runUntil(5_000);
    expect(sim.get('ReplicaSet', 'default', 'web')!['status']).toMatchObject({ readyReplicas: 2 });
    expect((sim.get('ReplicaSet', 'default', 'web')!['status'] as { availableReplicas?: number }).availableReplicas).toBeUndefined();
    sim.runUntil(13_000);
    expect(sim.get('ReplicaSet', 'default', 'web')!['status']).toMatchObject({ readyReplicas: 2, availableReplicas: 2 });
  });
});

describe('scale subresource', () => {
  it('reads and writes autoscaling/v1 Scale', () => {
    const sim = cluster(1);
    sim.apply(replicaSet('web', 1, { app: 'web', tier: 'fe' }));
    sim.runUntil(5_000);
    const s = getScale(sim.store, 'ReplicaSet', 'default', 'web');
    expect(s).toMatchObject({ apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'web', namespace: 'default' }, spec: { replicas: 1 }, status: { replicas: 1, selector: 'app=web,tier=fe' } });
    const u = updateScale(sim.store, 'ReplicaSet', 'default', 'web', 3);
    expect(u.spec.replicas).toBe(3);
    expect(sim.get('ReplicaSet', 'default', 'web')!.metadata.generation).toBe(2);
    expect(() => updateScale(sim.store, 'ReplicaSet', 'default', 'web', -1)).toThrow('Scale.autoscaling "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0');
    expect(() => getScale(sim.store, 'DaemonSet', 'default', 'web')).toThrow(/could not find the requested resource/);
    expect(() => getScale(sim.store, 'ReplicaSet', 'default', 'nope')).toThrow('replicasets.apps "nope" not found');
    expect(() => updateScale(sim.store, 'ReplicaSet', 'default', 'web', 2, { resourceVersion: '1' })).toThrow(/Operation cannot be fulfilled/);
  });
});
