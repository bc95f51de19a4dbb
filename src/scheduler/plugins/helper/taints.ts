/**
 * Toleration matching, following k8s.io/component-helpers/scheduling/corev1
 * v1.31 (FindMatchingUntoleratedTaint) and k8s.io/api/core/v1
 * Toleration.ToleratesTaint, plus the scheduler's
 * helper.DoNotScheduleTaintsFilterFunc (NoSchedule and NoExecute taints).
 */
import type { Taint, Toleration } from 'kubernetes-types/core/v1';

/** v1.Toleration.ToleratesTaint. */
export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  switch (t.operator ?? '') {
    case '':
    case 'Equal':
      return (t.value ?? '') === (taint.value ?? '');
    case 'Exists':
      return true;
    default:
      return false;
  }
}

/** helper.DoNotScheduleTaintsFilterFunc: only taints that keep pods off a node count. */
export function isDoNotScheduleTaint(taint: Taint): boolean {
  return taint.effect === 'NoSchedule' || taint.effect === 'NoExecute';
}

/** The first taint accepted by `filter` that no toleration tolerates, or undefined. */
export function findMatchingUntoleratedTaint(
  taints: readonly Taint[] | undefined,
  tolerations: readonly Toleration[] | undefined,
  filter: (t: Taint) => boolean,
): Taint | undefined {
  for (const taint of taints ?? []) {
    if (!filter(taint)) continue;
    if (!(tolerations ?? []).some((t) => toleratesTaint(t, taint))) return taint;
  }
  return undefined;
}
