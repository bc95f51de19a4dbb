/**
 * The StatefulSet controller on small clusters, through the whole control
 * plane (API server, scheduler, kubelets, PV controller and provisioner).
 */
import { describe, expect, it } from 'vitest';
import type { PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1';
import type { KObject } from '../../src/sim/types.ts';
import type { Simulation } from '../../src/sim/simulation.ts';
import { cluster, podNames, podsOf, setOf, statefulSet } from './statefulset.helpers.ts';

const wffc = {
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  metadata: { name: 'standard', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
  provisioner: 'rancher.io/local-path',
  volumeBindingMode: 'WaitForFirstConsumer',
};
const claimTemplate = { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } };

function ssEvents(sim: Simulation): string[] {
  return sim.events().filter((e) => e.source.component === 'statefulset-controller').map((e) => `${e.reason} ${e.message}`);
}

/** Record the set's pods as they are created, and every instant at which more than one pod is not Running. */
function watchCreations(sim: Simulation, prefix: string): string[] {
  const order: string[] = [];
  sim.store.watch('Pod', (ev) => {
    if (ev.type === 'ADDED' && (ev.object.metadata.name ?? '').startsWith(`${prefix}-`)) order.push(ev.object.metadata.name ?? '');
  });
  return order;
}

describe('StatefulSet: OrderedReady and Parallel', () => {
  it('creates web-0, web-1, web-2 one at a time, each after its predecessor is Running and Ready', () => {
    const sim = cluster(2);
    const order = watchCreations(sim, 'web');
    sim.apply(statefulSet('web'));
    sim.runUntil(1500);
    // The kubelet takes 1 s to start a pod: web-1 cannot exist before web-0 runs.
    expect(podNames(sim, 'web')).toEqual(['web-0', 'web-1']);
    expect((sim.get('Pod', 'default', 'web-0') as Pod).status?.phase).toBe('Running');
    expect((sim.get('Pod', 'default', 'web-1') as Pod).status?.phase).toBe('Pending');
    sim.runUntil(10_000);
    expect(order).toEqual(['web-0', 'web-1', 'web-2']);
    expect(ssEvents(sim)).toEqual([
      'SuccessfulCreate create Pod web-0 in StatefulSet web successful',
      'SuccessfulCreate create Pod web-1 in StatefulSet web successful',
      'SuccessfulCreate create Pod web-2 in StatefulSet web successful',
    ]);
    const s = setOf(sim, 'web')!;
    expect(s.status).toMatchObject({ observedGeneration: 1, replicas: 3, readyReplicas: 3, availableReplicas: 3, currentReplicas: 3, updatedReplicas: 3, collisionCount: 0 });
    expect(s.status?.currentRevision).toBe(s.status?.updateRevision);
    const rev = sim.get('ControllerRevision', 'default', s.status!.currentRevision!) as KObject & { revision: number };
    expect(rev.revision).toBe(1);
    for (const p of podsOf(sim, 'web')) {
      expect(p.metadata.labels?.['controller-revision-hash']).toBe(s.status?.currentRevision);
      expect(p.metadata.labels?.['statefulset.kubernetes.io/pod-name']).toBe(p.metadata.name);
      expect(p.metadata.labels?.['apps.kubernetes.io/pod-index']).toBe(p.metadata.name!.slice(4));
    }
  });

  it('OrderedReady halts at a pod that cannot run; Parallel creates them all', () => {
    // Each node fits one pod of 3 CPUs: the third pod can never be scheduled.
    for (const policy of ['OrderedReady', 'Parallel']) {
      const sim = cluster(2);
      const set = statefulSet('db', { replicas: 4, podManagementPolicy: policy });
      (set.spec as { template: { spec: { containers: Array<Record<string, unknown>> } } }).template.spec.containers[0]!['resources'] = { requests: { cpu: '5' } };
      sim.apply(set);
      sim.runUntil(30_000);
      if (policy === 'OrderedReady') expect(podNames(sim, 'db')).toEqual(['db-0', 'db-1', 'db-2']);
      else expect(podNames(sim, 'db')).toEqual(['db-0', 'db-1', 'db-2', 'db-3']);
      expect(setOf(sim, 'db')?.status).toMatchObject({ replicas: policy === 'OrderedReady' ? 3 : 4, readyReplicas: 2 });
    }
  });

  it('scales down from the highest ordinal, one at a time; ordinals.start shifts the names', () => {
    const sim = cluster(2);
    sim.apply(statefulSet('web', { replicas: 4, ordinals: { start: 3 } }));
    sim.runUntil(10_000);
    expect(podNames(sim, 'web')).toEqual(['web-3', 'web-4', 'web-5', 'web-6']);
    const deletions: string[] = [];
    sim.store.watch('Pod', (ev) => {
      if (ev.type === 'MODIFIED' && ev.object.metadata.deletionTimestamp && !ev.oldObject?.metadata.deletionTimestamp) deletions.push(ev.object.metadata.name ?? '');
    });
    sim.apply(statefulSet('web', { replicas: 1, ordinals: { start: 3 } }));
    sim.runUntil(200_000);
    expect(podNames(sim, 'web')).toEqual(['web-3']);
    expect(deletions).toEqual(['web-6', 'web-5', 'web-4']);
    expect(ssEvents(sim).filter((e) => e.startsWith('SuccessfulDelete'))).toEqual([
      'SuccessfulDelete delete Pod web-6 in StatefulSet web successful',
      'SuccessfulDelete delete Pod web-5 in StatefulSet web successful',
      'SuccessfulDelete delete Pod web-4 in StatefulSet web successful',
    ]);
  });
});

describe('StatefulSet: updates', () => {
  function image(sim: Simulation, name: string): string | undefined {
    return (sim.get('Pod', 'default', name) as Pod | undefined)?.spec?.containers[0]?.image;
  }

  it('RollingUpdate replaces pods from the highest ordinal down to the partition', () => {
    const sim = cluster(2);
    sim.apply(statefulSet('web', { replicas: 4, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } }));
    sim.runUntil(10_000);
    const first = setOf(sim, 'web')!.status!.currentRevision!;
    sim.apply(statefulSet('web', { replicas: 4, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } }, 'nginx:1.28'));
    sim.runUntil(200_000);
    expect(['web-0', 'web-1', 'web-2', 'web-3'].map((n) => image(sim, n))).toEqual(['nginx:1.27', 'nginx:1.27', 'nginx:1.28', 'nginx:1.28']);
    const s = setOf(sim, 'web')!;
    expect(s.status?.currentRevision).toBe(first);
    expect(s.status?.updateRevision).not.toBe(first);
    expect(s.status).toMatchObject({ currentReplicas: 2, updatedReplicas: 2, replicas: 4, readyReplicas: 4 });
    const revs = sim.list('ControllerRevision', 'default') as Array<KObject & { revision: number }>;
    expect(revs.map((r) => r.revision).sort()).toEqual([1, 2]);
    // Lowering the partition to 0 finishes the rollout; the update revision becomes current.
    sim.apply(statefulSet('web', { replicas: 4, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } } }, 'nginx:1.28'));
    sim.runUntil(400_000);
    expect(['web-0', 'web-1', 'web-2', 'web-3'].map((n) => image(sim, n))).toEqual(['nginx:1.28', 'nginx:1.28', 'nginx:1.28', 'nginx:1.28']);
    const done = setOf(sim, 'web')!;
    expect(done.status?.currentRevision).toBe(done.status?.updateRevision);
    expect(done.status).toMatchObject({ currentReplicas: 4, updatedReplicas: 4 });
  });

  it('maxUnavailable 2 deletes two pods at a time; the default, or the gate off, one', () => {
    for (const [maxUnavailable, want, gate] of [[2, 2, true], [undefined, 1, true], [2, 1, false]] as const) {
      // With MaxUnavailableStatefulSet off (emulating v1.34, where it is alpha) maxUnavailable is ignored.
      const sim = cluster(2, 1, gate ? {} : { emulatedVersion: '1.34' });
      const strategy = { type: 'RollingUpdate', rollingUpdate: { partition: 0, ...(maxUnavailable ? { maxUnavailable } : {}) } };
      sim.apply(statefulSet('web', { replicas: 4, updateStrategy: strategy }));
      sim.runUntil(10_000);
      let terminating = 0;
      let most = 0;
      sim.store.watch('Pod', (ev) => {
        const was = !!ev.oldObject?.metadata.deletionTimestamp;
        const is = ev.type !== 'DELETED' && !!ev.object.metadata.deletionTimestamp;
        if (!was && is) terminating++;
        if (ev.type === 'DELETED' && (was || ev.object.metadata.deletionTimestamp)) terminating--;
        most = Math.max(most, terminating);
      });
      sim.apply(statefulSet('web', { replicas: 4, updateStrategy: strategy }, 'nginx:1.28'));
      sim.runUntil(300_000);
      expect(most).toBe(want);
      expect(podsOf(sim, 'web').map((p) => p.spec?.containers[0]?.image)).toEqual(['nginx:1.28', 'nginx:1.28', 'nginx:1.28', 'nginx:1.28']);
    }
  });

  it('OnDelete leaves running pods alone; a deleted pod comes back at the new revision', () => {
    const sim = cluster(2);
    sim.apply(statefulSet('web', { replicas: 2, updateStrategy: { type: 'OnDelete' } }));
    sim.runUntil(10_000);
    sim.apply(statefulSet('web', { replicas: 2, updateStrategy: { type: 'OnDelete' } }, 'nginx:1.28'));
    sim.runUntil(100_000);
    expect(podsOf(sim, 'web').map((p) => p.spec?.containers[0]?.image)).toEqual(['nginx:1.27', 'nginx:1.27']);
    sim.store.delete('Pod', 'default', 'web-1', { gracePeriodSeconds: 0 });
    sim.runUntil(200_000);
    expect(podsOf(sim, 'web').map((p) => p.spec?.containers[0]?.image)).toEqual(['nginx:1.27', 'nginx:1.28']);
    expect(setOf(sim, 'web')?.status).toMatchObject({ currentReplicas: 1, updatedReplicas: 1 });
  });

  it('revisionHistoryLimit deletes the oldest unused revisions', () => {
    const sim = cluster(1);
    for (let v = 1; v <= 4; v++) {
      sim.apply(statefulSet('web', { replicas: 1, revisionHistoryLimit: 1 }, `nginx:1.${v}`));
      sim.runUntil(v * 60_000);
    }
    const revs = (sim.list('ControllerRevision', 'default') as Array<KObject & { revision: number }>).map((r) => r.revision).sort();
    // The live revision (4) and one of history (3).
    expect(revs).toEqual([3, 4]);
  });
});

describe('StatefulSet: volumeClaimTemplates', () => {
  it('creates claims data-web-N on the default WaitForFirstConsumer class; they bind before their pods start and outlive a scale-down', () => {
    const sim = cluster(2);
    sim.apply(wffc);
    sim.apply(statefulSet('web', { volumeClaimTemplates: [claimTemplate] }));
    sim.runUntil(30_000);
    const claims = sim.list('PersistentVolumeClaim', 'default') as Array<PersistentVolumeClaim & KObject>;
    expect(claims.map((c) => [c.metadata.name, c.spec?.storageClassName, c.status?.phase])).toEqual([
      ['data-web-0', 'standard', 'Bound'],
      ['data-web-1', 'standard', 'Bound'],
      ['data-web-2', 'standard', 'Bound'],
    ]);
    expect(ssEvents(sim).slice(0, 2)).toEqual([
      'SuccessfulCreate create Claim data-web-0 Pod web-0 in StatefulSet web success',
      'SuccessfulCreate create Pod web-0 in StatefulSet web successful',
    ]);
    // Each pod was bound to its node only after its claim was bound (VolumeBinding PreBind waits).
    for (const c of claims) {
      const pod = sim.get('Pod', 'default', c.metadata.name!.slice(5)) as Pod & KObject;
      expect(pod.status?.phase).toBe('Running');
      const pv = sim.get('PersistentVolume', '', c.spec!.volumeName!) as KObject & { spec: { nodeAffinity: { required: { nodeSelectorTerms: Array<{ matchExpressions: Array<{ values: string[] }> }> } } } };
      expect(pv.spec.nodeAffinity.required.nodeSelectorTerms[0]!.matchExpressions[0]!.values).toEqual([pod.spec?.nodeName]);
    }
    sim.apply(statefulSet('web', { replicas: 1, volumeClaimTemplates: [claimTemplate] }));
    sim.runUntil(200_000);
    expect(podNames(sim, 'web')).toEqual(['web-0']);
    expect(sim.list('PersistentVolumeClaim', 'default').map((c) => c.metadata.name)).toEqual(['data-web-0', 'data-web-1', 'data-web-2']);
    // Scaling up again reuses the retained claims.
    sim.apply(statefulSet('web', { replicas: 3, volumeClaimTemplates: [claimTemplate] }));
    sim.runUntil(300_000);
    expect(podNames(sim, 'web')).toEqual(['web-0', 'web-1', 'web-2']);
    expect(ssEvents(sim).filter((e) => e.includes('Claim'))).toHaveLength(3);
  });

  it('whenScaled: Delete removes the claims of scaled-down pods; whenDeleted: Delete those of a deleted set', () => {
    const sim = cluster(2);
    sim.apply(wffc);
    const policy = { whenScaled: 'Delete', whenDeleted: 'Delete' };
    sim.apply(statefulSet('web', { volumeClaimTemplates: [claimTemplate], persistentVolumeClaimRetentionPolicy: policy }));
    sim.runUntil(30_000);
    const c0 = sim.get('PersistentVolumeClaim', 'default', 'data-web-0') as KObject;
    expect(c0.metadata.ownerReferences?.map((r) => [r.kind, r.name, r.controller])).toEqual([['StatefulSet', 'web', true]]);
    sim.apply(statefulSet('web', { replicas: 1, volumeClaimTemplates: [claimTemplate], persistentVolumeClaimRetentionPolicy: policy }));
    sim.runUntil(200_000);
    expect(sim.list('PersistentVolumeClaim', 'default').map((c) => c.metadata.name)).toEqual(['data-web-0']);
    // Reclaim policy Delete (the class default): the provisioned volumes of the deleted claims go too.
    expect(sim.list('PersistentVolume')).toHaveLength(1);
    sim.store.delete('StatefulSet', 'default', 'web');
    sim.runUntil(300_000);
    expect(sim.list('PersistentVolumeClaim', 'default')).toEqual([]);
    expect(podNames(sim, 'web')).toEqual([]);
  });
});

describe('StatefulSet: ControllerRef', () => {
  it('adopts an orphan pod named as a member and matching the selector; releases a pod whose labels stop matching', () => {
    const sim = cluster(2);
    sim.apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-0', namespace: 'default', labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } });
    sim.apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'other-0', namespace: 'default', labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } });
    sim.runUntil(3000);
    const uid = sim.get('Pod', 'default', 'web-0')!.metadata.uid;
    // OnDelete: under RollingUpdate the adopted pod, which has no revision label, would be replaced at once.
    sim.apply(statefulSet('web', { replicas: 2, updateStrategy: { type: 'OnDelete' } }));
    sim.runUntil(10_000);
    const adopted = sim.get('Pod', 'default', 'web-0')!;
    expect(adopted.metadata.uid).toBe(uid);
    expect(adopted.metadata.ownerReferences?.map((r) => [r.kind, r.name, r.controller])).toEqual([['StatefulSet', 'web', true]]);
    // Not a member by name: left alone.
    expect(sim.get('Pod', 'default', 'other-0')!.metadata.ownerReferences).toBeUndefined();
    expect(podNames(sim, 'web')).toEqual(['web-0', 'web-1']);
    expect(ssEvents(sim)).toEqual(['SuccessfulCreate create Pod web-1 in StatefulSet web successful']);
    // Relabelled out of the selector: released (no controller reference).
    sim.store.patch<KObject>('Pod', 'default', 'web-1', (d) => {
      d.metadata.labels = { app: 'debug' };
    });
    sim.runUntil(20_000);
    expect(sim.get('Pod', 'default', 'web-1')!.metadata.ownerReferences ?? []).toEqual([]);
  });
});

describe('StatefulSet: failures', () => {
  it('a rejected create is a FailedCreate warning with the API error, retried with back-off', () => {
    const sim = cluster(2);
    sim.apply({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'pods', namespace: 'default' }, spec: { hard: { pods: '1' } } });
    sim.runUntil(1000);
    sim.apply(statefulSet('web', { replicas: 2, podManagementPolicy: 'Parallel' }));
    sim.runUntil(30_000);
    expect(podNames(sim, 'web')).toEqual(['web-0']);
    const failed = sim.events().filter((e) => e.source.component === 'statefulset-controller' && e.reason === 'FailedCreate');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.type).toBe('Warning');
    expect(failed[0]!.message).toMatch(/^create Pod web-1 in StatefulSet web failed error: pods "web-1" is forbidden: exceeded quota: pods/);
    expect(failed[0]!.count).toBeGreaterThan(1);
  });
});

describe('StatefulSet: revisions', () => {
  it('going back to an earlier template re-numbers its revision instead of creating one (rollback)', () => {
    const sim = cluster(1);
    sim.apply(statefulSet('web', { replicas: 1 }, 'nginx:1.27'));
    sim.runUntil(30_000);
    const first = setOf(sim, 'web')!.status!.updateRevision!;
    sim.apply(statefulSet('web', { replicas: 1 }, 'nginx:1.28'));
    sim.runUntil(60_000);
    sim.apply(statefulSet('web', { replicas: 1 }, 'nginx:1.27'));
    sim.runUntil(90_000);
    const s = setOf(sim, 'web')!;
    expect(s.status?.updateRevision).toBe(first);
    const revs = (sim.list('ControllerRevision', 'default') as Array<KObject & { revision: number }>).map((r) => [r.metadata.name === first, r.revision]);
    expect(revs.sort((a, b) => Number(a[1]) - Number(b[1]))).toEqual([[false, 2], [true, 3]]);
  });

  it('a name taken by a different revision bumps collisionCount', () => {
    const sim = cluster(1);
    // Learn the name the first revision would get, then take it with other data.
    const probe = cluster(1);
    probe.apply(statefulSet('web', { replicas: 1 }));
    probe.runUntil(5000);
    const name = setOf(probe, 'web')!.status!.updateRevision!;
    sim.apply({ apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name, namespace: 'default' }, data: { other: true }, revision: 1 });
    sim.apply(statefulSet('web', { replicas: 1 }));
    sim.runUntil(10_000);
    const s = setOf(sim, 'web')!;
    expect(s.status?.collisionCount).toBe(1);
    expect(s.status?.updateRevision).not.toBe(name);
    expect(s.status?.readyReplicas).toBe(1);
  });
});

describe('StatefulSet: minReadySeconds', () => {
  it('counts a pod available only minReadySeconds after it is Ready, and OrderedReady waits for that', () => {
    const sim = cluster(2);
    const order: Array<[string, number]> = [];
    sim.store.watch('Pod', (ev) => {
      if (ev.type === 'ADDED') order.push([ev.object.metadata.name ?? '', sim.engine.now]);
    });
    sim.apply(statefulSet('web', { replicas: 2, minReadySeconds: 10 }));
    sim.runUntil(5_000);
    expect(setOf(sim, 'web')?.status).toMatchObject({ readyReplicas: 1, availableReplicas: 0 });
    sim.runUntil(60_000);
    expect(setOf(sim, 'web')?.status).toMatchObject({ readyReplicas: 2, availableReplicas: 2 });
    // web-0 is Ready about 1 s after creation; web-1 comes 10 s after that.
    expect(order.map(([n]) => n)).toEqual(['web-0', 'web-1']);
    expect(order[1]![1] - order[0]![1]).toBeGreaterThanOrEqual(10_000);
    expect(order[1]![1] - order[0]![1]).toBeLessThan(13_000);
  });
});
