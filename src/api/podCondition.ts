/**
 * podutil.UpdatePodCondition (k8s.io/kubernetes/pkg/api/v1/pod, v1.35; observedGeneration
 * compared since PodObservedGenerationTracking, v1.34+) on a
 * status or status draft: adds the condition or replaces the one of its type;
 * lastTransitionTime moves only when the status changes. Returns whether
 * anything changed, so callers can skip no-op writes. Empty reason/message
 * are omitted, as JSON's omitempty would.
 */
import type { PodCondition } from 'kubernetes-types/core/v1.js';

export function updatePodCondition(status: { conditions?: PodCondition[] }, cond: PodCondition, now: string): boolean {
  const conds = (status.conditions ??= []);
  const i = conds.findIndex((c) => c.type === cond.type);
  const old = i < 0 ? undefined : conds[i]!;
  const ltt = old && old.status === cond.status ? (old.lastTransitionTime ?? now) : now;
  // observedGeneration (PodObservedGenerationTracking) is part of the condition's equality, as upstream's isEqualCondition.
  const gen = (c: PodCondition | undefined): number | undefined => (c as { observedGeneration?: number } | undefined)?.observedGeneration;
  if (old && old.status === cond.status && (old.reason ?? '') === (cond.reason ?? '') && (old.message ?? '') === (cond.message ?? '') && old.lastTransitionTime === ltt && gen(old) === gen(cond)) {
    return false;
  }
  // lastProbeTime is serialised as null by the API server for conditions it never probed.
  const next: PodCondition = { type: cond.type, status: cond.status, lastProbeTime: null as unknown as string, lastTransitionTime: ltt };
  const g = gen(cond);
  if (g !== undefined) (next as { observedGeneration?: number }).observedGeneration = g;
  if (cond.reason) next.reason = cond.reason;
  if (cond.message) next.message = cond.message;
  if (i < 0) conds.push(next);
  else conds[i] = next;
  return true;
}
