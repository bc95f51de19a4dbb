/**
 * The Job controller's pod-failure back-off, as upstream's
 * pkg/controller/job/backoff_utils.go (v1.33): a record per Job of the
 * failures since the last success and the time of the last one; new pods wait
 * 10 s after one failure, doubling with each further failure, capped at 6 min
 * (DefaultJobPodFailureBackOff, MaxJobPodFailureBackOff). A pod's finish time
 * is its containers' latest finishedAt (all must have terminated), else its
 * Ready=False transition, else deletionTimestamp - grace period, else its
 * creation time.
 */
import type { ContainerStatus, Pod } from 'kubernetes-types/core/v1.js';
import type { Time } from '../../sim/types.ts';

export const DefaultJobPodFailureBackOff: Time = 10_000;
export const MaxJobPodFailureBackOff: Time = 360_000;

export interface BackoffRecord {
  failuresAfterLastSuccess: number;
  /** Virtual time of the last failure, undefined when none since the last success. */
  lastFailureTime: Time | undefined;
}

export const EmptyBackoffRecord: BackoffRecord = Object.freeze({ failuresAfterLastSuccess: 0, lastFailureTime: undefined });

/** Converts an RFC3339 timestamp into virtual time. */
export type ParseTime = (rfc3339: string) => Time;

/** getFinishedTime. */
export function getFinishedTime(pod: Pod, parse: ParseTime): Time {
  const fromContainers = latestFinishTime(pod, parse);
  if (fromContainers !== undefined) return fromContainers;
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
  if (ready && ready.status === 'False' && ready.lastTransitionTime) return parse(ready.lastTransitionTime);
  if (pod.metadata?.deletionTimestamp) return parse(pod.metadata.deletionTimestamp) - (pod.metadata.deletionGracePeriodSeconds ?? 0) * 1000;
  return pod.metadata?.creationTimestamp ? parse(pod.metadata.creationTimestamp) : 0;
}

/**
 * The regular containers' statuses, then those of the restartable init containers (sidecars), which finish
 * after the regular ones (SidecarContainers, GA in v1.33): all must have terminated. Walked in place, in
 * that order (no set of sidecar names and joined list per pod: a Job sync reads every pod that finished).
 */
function latestFinishTime(pod: Pod, parse: ParseTime): Time | undefined {
  let finish: Time | undefined;
  const regular: readonly ContainerStatus[] = pod.status?.containerStatuses ?? [];
  for (let i = 0; i < regular.length; i++) {
    const at = regular[i]!.state?.terminated?.finishedAt;
    if (!at) return undefined;
    const t = parse(at);
    if (finish === undefined || finish < t) finish = t;
  }
  const initStatuses = pod.status?.initContainerStatuses;
  const initSpecs = pod.spec?.initContainers;
  if (initStatuses === undefined || initStatuses.length === 0 || initSpecs === undefined) return finish;
  for (let i = 0; i < initStatuses.length; i++) {
    const cs = initStatuses[i]!;
    if (!initSpecs.some((c) => c.restartPolicy === 'Always' && c.name === cs.name)) continue;
    const at = cs.state?.terminated?.finishedAt;
    if (!at) return undefined;
    const t = parse(at);
    if (finish === undefined || finish < t) finish = t;
  }
  return finish;
}

/** newBackoffRecord: the stored record advanced by the pods that finished since the last sync. */
export function nextBackoffRecord(old: BackoffRecord, newSucceeded: readonly Pod[], newFailed: readonly Pod[], parse: ParseTime): BackoffRecord {
  // Nothing finished since the last sync (most syncs): the record as it is, without mapping and sorting two empty lists.
  if (newSucceeded.length === 0 && newFailed.length === 0) return old;
  const succ = newSucceeded.map((p) => getFinishedTime(p, parse)).sort((a, b) => a - b);
  const fail = newFailed.map((p) => getFinishedTime(p, parse)).sort((a, b) => a - b);
  if (succ.length === 0) {
    if (fail.length === 0) return old;
    return { failuresAfterLastSuccess: old.failuresAfterLastSuccess + fail.length, lastFailureTime: fail[fail.length - 1] };
  }
  if (fail.length === 0) return EmptyBackoffRecord;
  const lastSuccess = succ[succ.length - 1]!;
  let failures = 0;
  let lastFailureTime: Time | undefined;
  for (let i = fail.length - 1; i >= 0; i--) {
    const t = fail[i]!;
    if (!(t > lastSuccess)) break;
    if (lastFailureTime === undefined) lastFailureTime = t;
    failures++;
  }
  return { failuresAfterLastSuccess: failures, lastFailureTime };
}

/** getRemainingTimeForFailuresCount: how long pod creation must still wait. */
export function remainingBackoff(now: Time, failures: number, lastFailureTime: Time | undefined, base: Time = DefaultJobPodFailureBackOff, max: Time = MaxJobPodFailureBackOff): Time {
  if (failures === 0 || lastFailureTime === undefined) return 0;
  let d = base;
  for (let i = 1; i < failures; i++) {
    d *= 2;
    if (d >= max) {
      d = max;
      break;
    }
  }
  const elapsed = now - lastFailureTime;
  return d < elapsed ? 0 : d - elapsed;
}
