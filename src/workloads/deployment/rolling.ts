/**
 * The RollingUpdate strategy, as pkg/controller/deployment/rolling.go:
 * scale the new ReplicaSet up as far as maxSurge allows
 * (reconcileNewReplicaSet); otherwise scale old ReplicaSets down as far as
 * maxUnavailable allows (reconcileOldReplicaSets), first removing their
 * unhealthy replicas (cleanupUnhealthyReplicas), then available ones, oldest
 * ReplicaSet first (scaleDownOldReplicaSetsForRollingUpdate); when the
 * rollout is complete, clean up old ReplicaSets beyond revisionHistoryLimit.
 */
import type { DeploymentSync, RS } from './sync.ts';
import { syncRolloutStatus } from './progress.ts';
import {
  deploymentComplete,
  filterActiveReplicaSets,
  getAvailableReplicaCountForReplicaSets,
  getReplicaCountForReplicaSets,
  maxUnavailable,
  newRSNewReplicas,
  replicasOf,
  rsByCreation,
} from './util.ts';

export function rolloutRolling(s: DeploymentSync): void {
  const { newRS, oldRSs } = s.getAllReplicaSetsAndSyncRevision(true);
  const allRSs = [...oldRSs, newRS];
  if (newRS && reconcileNewReplicaSet(s, allRSs, newRS)) return syncRolloutStatus(s, allRSs, newRS);
  if (newRS && reconcileOldReplicaSets(s, allRSs, filterActiveReplicaSets(oldRSs), newRS)) return syncRolloutStatus(s, allRSs, newRS);
  if (deploymentComplete(s.d, s.d.status ?? {})) s.cleanupDeployment(oldRSs);
  syncRolloutStatus(s, allRSs, newRS);
}

/** reconcileNewReplicaSet: true when the new ReplicaSet was scaled. */
export function reconcileNewReplicaSet(s: DeploymentSync, allRSs: (RS | undefined)[], newRS: RS): boolean {
  const want = replicasOf(s.d);
  if (replicasOf(newRS) === want) return false;
  if (replicasOf(newRS) > want) return s.scaleReplicaSetAndRecordEvent(newRS, want)[0];
  return s.scaleReplicaSetAndRecordEvent(newRS, newRSNewReplicas(s.d, allRSs, newRS))[0];
}

/** reconcileOldReplicaSets: true when any old replica was scaled down. */
export function reconcileOldReplicaSets(s: DeploymentSync, allRSs: (RS | undefined)[], oldRSs: RS[], newRS: RS): boolean {
  const oldPodsCount = getReplicaCountForReplicaSets(oldRSs);
  if (oldPodsCount === 0) return false;
  const allPodsCount = getReplicaCountForReplicaSets(allRSs);
  const minAvailable = replicasOf(s.d) - maxUnavailable(s.d);
  const newRSUnavailablePodCount = replicasOf(newRS) - (newRS.status?.availableReplicas ?? 0);
  const maxScaledDown = allPodsCount - minAvailable - newRSUnavailablePodCount;
  if (maxScaledDown <= 0) return false;
  const cleanup = cleanupUnhealthyReplicas(s, oldRSs, maxScaledDown);
  // Upstream returns (false, nil) when either step reports an invalid scale-down.
  if (cleanup === undefined) return false;
  const [cleaned, cleanupCount] = cleanup;
  const scaledDownCount = scaleDownOldReplicaSetsForRollingUpdate(s, [...cleaned, newRS], cleaned);
  if (scaledDownCount === undefined) return false;
  return cleanupCount + scaledDownCount > 0;
}

/**
 * cleanupUnhealthyReplicas: scale old ReplicaSets down by their unavailable replicas, oldest first.
 * Undefined for upstream's "got invalid request to scale down" error (a stale status reporting more
 * available replicas than the ReplicaSet now wants).
 */
export function cleanupUnhealthyReplicas(s: DeploymentSync, oldRSs: RS[], maxCleanupCount: number): [RS[], number] | undefined {
  oldRSs.sort(rsByCreation);
  let total = 0;
  for (let i = 0; i < oldRSs.length; i++) {
    if (total >= maxCleanupCount) break;
    const rs = oldRSs[i]!;
    if (replicasOf(rs) === 0) continue;
    const available = rs.status?.availableReplicas ?? 0;
    if (replicasOf(rs) === available) continue;
    const count = Math.min(maxCleanupCount - total, replicasOf(rs) - available);
    if (replicasOf(rs) - count > replicasOf(rs)) return undefined;
    const [, updated] = s.scaleReplicaSetAndRecordEvent(rs, replicasOf(rs) - count);
    total += count;
    oldRSs[i] = updated;
  }
  return [oldRSs, total];
}

/** scaleDownOldReplicaSetsForRollingUpdate: scale down available old replicas while keeping minAvailable (undefined: invalid request). */
export function scaleDownOldReplicaSetsForRollingUpdate(s: DeploymentSync, allRSs: (RS | undefined)[], oldRSs: RS[]): number | undefined {
  const minAvailable = replicasOf(s.d) - maxUnavailable(s.d);
  const availablePodCount = getAvailableReplicaCountForReplicaSets(allRSs);
  if (availablePodCount <= minAvailable) return 0;
  oldRSs.sort(rsByCreation);
  let total = 0;
  const totalScaleDownCount = availablePodCount - minAvailable;
  for (const rs of oldRSs) {
    if (total >= totalScaleDownCount) break;
    if (replicasOf(rs) === 0) continue;
    const count = Math.min(replicasOf(rs), totalScaleDownCount - total);
    if (replicasOf(rs) - count > replicasOf(rs)) return undefined;
    s.scaleReplicaSetAndRecordEvent(rs, replicasOf(rs) - count);
    total += count;
  }
  return total;
}
