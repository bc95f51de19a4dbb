/**
 * podutil.UpdatePodCondition (k8s.io/kubernetes/pkg/api/v1/pod, v1.35; observedGeneration
 * compared since PodObservedGenerationTracking, v1.34+) on a
 * status or status draft: adds the condition or replaces the one of its type;
 * lastTransitionTime moves only when the status changes. Returns whether
 * anything changed, so callers can skip no-op writes. Empty reason/message
 * are omitted, as JSON's omitempty would.
 */
import type { PodCondition } from 'kubernetes-types/core/v1.js';

/** observedGeneration (PodObservedGenerationTracking) of a condition, part of its equality as upstream's isEqualCondition. */
function generationOf(c: PodCondition | undefined): number | undefined {
  return (c as { observedGeneration?: number } | undefined)?.observedGeneration;
}

/** The lastTransitionTime the condition would get: the old one while the status is unchanged, else now. */
function transitionTime(old: PodCondition | undefined, cond: PodCondition, now: string): string {
  return old && old.status === cond.status ? (old.lastTransitionTime ?? now) : now;
}

function sameCondition(old: PodCondition | undefined, cond: PodCondition, ltt: string): boolean {
  return (
    old !== undefined &&
    old.status === cond.status &&
    (old.reason ?? '') === (cond.reason ?? '') &&
    (old.message ?? '') === (cond.message ?? '') &&
    old.lastTransitionTime === ltt &&
    generationOf(old) === generationOf(cond)
  );
}

/**
 * Whether updatePodCondition would change these conditions, without changing
 * them (perf: a failed scheduling cycle asks this of the stored pod; a copy
 * of its conditions to try the update on was most of the check).
 */
export function podConditionWouldChange(conditions: readonly PodCondition[] | undefined, cond: PodCondition, now: string): boolean {
  const i = conditions === undefined ? -1 : indexOfType(conditions, cond.type);
  const old = i < 0 ? undefined : conditions![i];
  return !sameCondition(old, cond, transitionTime(old, cond, now));
}

/** The first condition of this type, as findIndex finds it, without a callback closing over the type (a binding per pod asks). */
function indexOfType(conds: readonly PodCondition[], type: string): number {
  for (let i = 0; i < conds.length; i++) if (conds[i]!.type === type) return i;
  return -1;
}

export function updatePodCondition(status: { conditions?: PodCondition[] }, cond: PodCondition, now: string): boolean {
  const conds = (status.conditions ??= []);
  const i = indexOfType(conds, cond.type);
  const old = i < 0 ? undefined : conds[i]!;
  const ltt = transitionTime(old, cond, now);
  if (sameCondition(old, cond, ltt)) return false;
  // lastProbeTime is serialised as null by the API server for conditions it never probed.
  const next: PodCondition = { type: cond.type, status: cond.status, lastProbeTime: null as unknown as string, lastTransitionTime: ltt };
  const g = generationOf(cond);
  if (g !== undefined) (next as { observedGeneration?: number }).observedGeneration = g;
  if (cond.reason) next.reason = cond.reason;
  if (cond.message) next.message = cond.message;
  if (i < 0) conds.push(next);
  else conds[i] = next;
  return true;
}
