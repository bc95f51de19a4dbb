/**
 * Pod ordering helpers used by preemption, following kube-scheduler v1.35
 * (unchanged since v1.31 in what ksim models, per the v1.32-v1.35 release notes)
 * pkg/scheduler/util/utils.go (GetPodStartTime, GetEarliestPodStartTime,
 * MoreImportantPod) and k8s.io/component-helpers/scheduling/corev1
 * (PodPriority).
 *
 * Upstream treats a pod without status.startTime as started "now"
 * (time.Now()), which is later than every recorded start time. ksim uses
 * +Infinity for it: the same order against every real start time, and two
 * pods without one compare equal, as two time.Now() calls practically never
 * do but which no rule depends on.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import { parseRFC3339 } from '../../sim/time.ts';
import type { PodInfo } from '../framework/types.ts';

/** corev1helpers.PodPriority: spec.priority, 0 when unset. */
export function podPriority(pod: Pod): number {
  return pod.spec?.priority ?? 0;
}

/**
 * Start times of stored (deeply frozen, so unchanging) pods: candidate
 * selection reads every candidate's victims' start times, a hundred
 * candidates per preemption (perf).
 */
const startTimes = new WeakMap<Pod, number>();

/** upstream GetPodStartTime as a number (Unix ms); +Infinity when the pod has not started. */
export function podStartTime(pod: Pod): number {
  const s = pod.status?.startTime;
  if (!s) return Infinity;
  const frozen = Object.isFrozen(pod) && Object.isFrozen(pod.status);
  if (frozen) {
    const t = startTimes.get(pod);
    if (t !== undefined) return t;
  }
  let t: number;
  try {
    t = parseRFC3339(s);
  } catch {
    t = Infinity;
  }
  if (frozen) startTimes.set(pod, t);
  return t;
}

/** upstream MoreImportantPod: higher priority first, then the one that started earlier. */
export function moreImportantPod(a: Pod, b: Pod): boolean {
  const pa = podPriority(a);
  const pb = podPriority(b);
  if (pa !== pb) return pa > pb;
  return podStartTime(a) < podStartTime(b);
}

/** A sort comparator from moreImportantPod (most important first). */
export function byImportance(a: PodInfo, b: PodInfo): number {
  if (moreImportantPod(a.pod, b.pod)) return -1;
  if (moreImportantPod(b.pod, a.pod)) return 1;
  return 0;
}

/**
 * upstream GetEarliestPodStartTime: the earliest start time among the
 * victims that have the highest priority; undefined for no victims.
 */
export function earliestStartTimeOfHighestPriority(victims: readonly Pod[]): number | undefined {
  if (victims.length === 0) return undefined;
  let maxPriority = podPriority(victims[0]!);
  let earliest = podStartTime(victims[0]!);
  for (const p of victims) {
    const prio = podPriority(p);
    if (prio === maxPriority) {
      const t = podStartTime(p);
      if (t < earliest) earliest = t;
    } else if (prio > maxPriority) {
      maxPriority = prio;
      earliest = podStartTime(p);
    }
  }
  return earliest;
}

/** "namespace/name" */
export function podRef(pod: Pod): string {
  return `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
}
