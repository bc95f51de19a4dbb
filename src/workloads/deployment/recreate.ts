/**
 * The Recreate strategy, as pkg/controller/deployment/recreate.go: scale
 * every old ReplicaSet to zero, wait until none of their pods is left
 * running (terminal pods do not count; Unknown ones do), only then create
 * the new ReplicaSet and scale it to spec.replicas.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { DeploymentSync, RS } from './sync.ts';
import { syncRolloutStatus } from './progress.ts';
import { deploymentComplete, filterActiveReplicaSets, getActualReplicaCountForReplicaSets, replicasOf } from './util.ts';

/** Pods of the deployment by owning ReplicaSet uid (getPodMapForDeployment). */
export type PodMap = ReadonlyMap<string, readonly Pod[]>;

export function rolloutRecreate(s: DeploymentSync, podMap: PodMap): void {
  let { newRS, oldRSs } = s.getAllReplicaSetsAndSyncRevision(false);
  let allRSs = [...oldRSs, newRS];
  const activeOld = filterActiveReplicaSets(oldRSs);
  if (scaleDownOldReplicaSetsForRecreate(s, activeOld)) return syncRolloutStatus(s, allRSs, newRS);
  if (oldPodsRunning(newRS, oldRSs, podMap)) return syncRolloutStatus(s, allRSs, newRS);
  if (!newRS) {
    ({ newRS, oldRSs } = s.getAllReplicaSetsAndSyncRevision(true));
    allRSs = [...oldRSs, newRS];
  }
  if (newRS) s.scaleReplicaSetAndRecordEvent(newRS, replicasOf(s.d));
  if (deploymentComplete(s.d, s.d.status ?? {})) s.cleanupDeployment(oldRSs);
  syncRolloutStatus(s, allRSs, newRS);
}

function scaleDownOldReplicaSetsForRecreate(s: DeploymentSync, oldRSs: RS[]): boolean {
  let scaled = false;
  for (let i = 0; i < oldRSs.length; i++) {
    const rs = oldRSs[i]!;
    if (replicasOf(rs) === 0) continue;
    const [did, updated] = s.scaleReplicaSetAndRecordEvent(rs, 0);
    if (did) {
      oldRSs[i] = updated;
      scaled = true;
    }
  }
  return scaled;
}

/** oldPodsRunning: any old ReplicaSet still reports replicas, or any non-terminal pod of an old ReplicaSet exists. */
export function oldPodsRunning(newRS: RS | undefined, oldRSs: RS[], podMap: PodMap): boolean {
  if (getActualReplicaCountForReplicaSets(oldRSs) > 0) return true;
  for (const [uid, pods] of podMap) {
    if (newRS && newRS.metadata.uid === uid) continue;
    for (const p of pods) {
      const phase = p.status?.phase;
      if (phase === 'Failed' || phase === 'Succeeded') continue;
      return true;
    }
  }
  return false;
}
