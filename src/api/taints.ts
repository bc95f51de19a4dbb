/**
 * Well-known node taints and the toleration rules the control plane applies
 * to them, following k8s.io/api/core/v1 (well_known_taints.go,
 * Toleration.ToleratesTaint) and k8s.io/kubernetes/pkg/apis/core/v1/helper
 * (GetMatchingTolerations), k8s.io/component-helpers/scheduling/corev1
 * (FindMatchingUntoleratedTaint) and the scheduler's DoNotScheduleTaintsFilterFunc.
 * One copy of the rules for every actor that needs them: the scheduler, the
 * kubelet's admission, the DaemonSet, node lifecycle, taint eviction and pod GC
 * controllers (which may not import one another).
 */
import type { Taint, Toleration } from 'kubernetes-types/core/v1.js';

export const TaintNodeNotReady = 'node.kubernetes.io/not-ready';
export const TaintNodeUnreachable = 'node.kubernetes.io/unreachable';
export const TaintNodeUnschedulable = 'node.kubernetes.io/unschedulable';
export const TaintNodeMemoryPressure = 'node.kubernetes.io/memory-pressure';
export const TaintNodeDiskPressure = 'node.kubernetes.io/disk-pressure';
export const TaintNodePIDPressure = 'node.kubernetes.io/pid-pressure';
export const TaintNodeNetworkUnavailable = 'node.kubernetes.io/network-unavailable';
/** Set by an administrator on a node known to be shut down (non-graceful node shutdown). */
export const TaintNodeOutOfService = 'node.kubernetes.io/out-of-service';

/** v1.Toleration.ToleratesTaint: empty effect matches every effect, empty key with Exists matches every key. */
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

/**
 * helper.GetMatchingTolerations: whether every taint is tolerated, and for
 * each taint the first toleration that tolerates it (in taint order; a
 * toleration may appear more than once). No taints: tolerated, none used.
 */
export function getMatchingTolerations(
  taints: readonly Taint[],
  tolerations: readonly Toleration[] | undefined,
): { allTolerated: boolean; used: Toleration[] } {
  if (taints.length === 0) return { allTolerated: true, used: [] };
  const tols = tolerations ?? [];
  if (tols.length === 0) return { allTolerated: false, used: [] };
  const used: Toleration[] = [];
  for (const taint of taints) {
    const t = tols.find((x) => toleratesTaint(x, taint));
    if (!t) return { allTolerated: false, used: [] };
    used.push(t);
  }
  return { allTolerated: true, used };
}

/** taintutils.TaintExists with the key and effect of a template (value ignored, as upstream's MatchTaint). */
export function hasTaint(taints: readonly Taint[] | undefined, key: string, effect: string): boolean {
  return (taints ?? []).some((t) => t.key === key && t.effect === effect);
}

/** helper.DoNotScheduleTaintsFilterFunc: only taints that keep pods off a node count. */
export function isDoNotScheduleTaint(taint: Taint): boolean {
  return taint.effect === 'NoSchedule' || taint.effect === 'NoExecute';
}

/** FindMatchingUntoleratedTaint: the first taint accepted by `filter` that no toleration tolerates, or undefined. */
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
