/**
 * The Progressing condition and the progress-deadline requeue, as
 * pkg/controller/deployment/progress.go (syncRolloutStatus,
 * getReplicaFailures, requeueStuckDeployment):
 *  - complete (all replicas updated and available): NewReplicaSetAvailable,
 *    `ReplicaSet "web-7c9d5" has successfully progressed.`;
 *  - progress made: ReplicaSetUpdated, `ReplicaSet "web-7c9d5" is progressing.`
 *    (lastUpdateTime moves, lastTransitionTime kept while True);
 *  - no progress for progressDeadlineSeconds since lastUpdateTime:
 *    ProgressDeadlineExceeded, `ReplicaSet "web-7c9d5" has timed out progressing.`;
 *  - the new (else any) ReplicaSet's ReplicaFailure condition is copied;
 *  - with nothing to write, a stuck rollout is requeued for its deadline
 *    (+1 s, as upstream), or rate-limited when under a second is left.
 */
import type { DeploymentStatus } from 'kubernetes-types/apps/v1.js';
import type { DeploymentSync, RS } from './sync.ts';
import { sameStatus } from './sync.ts';
import {
  NewRSAvailableReason,
  ReplicaSetUpdatedReason,
  TimedOutReason,
  deploymentComplete,
  deploymentProgressing,
  deploymentTimedOut,
  getDeploymentCondition,
  hasProgressDeadline,
  newDeploymentCondition,
  removeDeploymentCondition,
  replicaSetToDeploymentCondition,
  setDeploymentCondition,
} from './util.ts';

function getReplicaFailures(allRSs: (RS | undefined)[], newRS: RS | undefined) {
  const failures = (rs: RS) => (rs.status?.conditions ?? []).filter((c) => c.type === 'ReplicaFailure').map(replicaSetToDeploymentCondition);
  if (newRS) {
    const own = failures(newRS);
    if (own.length > 0) return own;
  }
  const out = [];
  for (const rs of allRSs) if (rs) out.push(...failures(rs));
  return out;
}

export function syncRolloutStatus(s: DeploymentSync, allRSs: (RS | undefined)[], newRS: RS | undefined): void {
  const d = s.d;
  const newStatus: DeploymentStatus = s.calculateStatus(allRSs, newRS);
  if (!hasProgressDeadline(d)) removeDeploymentCondition(newStatus, 'Progressing');
  const currentCond = getDeploymentCondition(d.status, 'Progressing');
  const isCompleteDeployment = newStatus.replicas === newStatus.updatedReplicas && currentCond?.reason === NewRSAvailableReason;
  if (hasProgressDeadline(d) && !isCompleteDeployment) {
    const rsName = newRS?.metadata.name;
    const dName = d.metadata.name ?? '';
    if (deploymentComplete(d, newStatus)) {
      const msg = rsName !== undefined ? `ReplicaSet "${rsName}" has successfully progressed.` : `Deployment "${dName}" has successfully progressed.`;
      setDeploymentCondition(newStatus, newDeploymentCondition('Progressing', 'True', NewRSAvailableReason, msg, s.time));
    } else if (deploymentProgressing(d, newStatus)) {
      const msg = rsName !== undefined ? `ReplicaSet "${rsName}" is progressing.` : `Deployment "${dName}" is progressing.`;
      const cond = newDeploymentCondition('Progressing', 'True', ReplicaSetUpdatedReason, msg, s.time);
      if (currentCond) {
        if (currentCond.status === 'True' && currentCond.lastTransitionTime) cond.lastTransitionTime = currentCond.lastTransitionTime;
        removeDeploymentCondition(newStatus, 'Progressing');
      }
      setDeploymentCondition(newStatus, cond);
    } else if (deploymentTimedOut(d, newStatus, s.now, s.parseTime)) {
      const msg = rsName !== undefined ? `ReplicaSet "${rsName}" has timed out progressing.` : `Deployment "${dName}" has timed out progressing.`;
      setDeploymentCondition(newStatus, newDeploymentCondition('Progressing', 'False', TimedOutReason, msg, s.time));
    }
  }
  const failures = getReplicaFailures(allRSs, newRS);
  if (failures.length > 0) setDeploymentCondition(newStatus, failures[0]!);
  else removeDeploymentCondition(newStatus, 'ReplicaFailure');

  if (sameStatus(d.status, newStatus)) {
    requeueStuckDeployment(s, newStatus);
    return;
  }
  s.d.status = newStatus;
  s.updateStatus();
}

/** requeueStuckDeployment: schedule the progress check at the deadline. */
function requeueStuckDeployment(s: DeploymentSync, newStatus: DeploymentStatus): void {
  const d = s.d;
  const cond = getDeploymentCondition(d.status, 'Progressing');
  if (!hasProgressDeadline(d) || !cond) return;
  if (deploymentComplete(d, newStatus) || cond.reason === TimedOutReason) return;
  if (!cond.lastUpdateTime) return;
  const after = s.parseTime(cond.lastUpdateTime) + (d.spec?.progressDeadlineSeconds ?? 0) * 1000 - s.now;
  if (after < 1000) {
    s.requeue = 'rateLimited';
    return;
  }
  s.requeue = after + 1000;
}
