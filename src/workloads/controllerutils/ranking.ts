/**
 * The order in which a ReplicaSet deletes pods when scaling down:
 * ActivePodsWithRanks.Less (pkg/controller/controller_utils.go, newest
 * upstream, with PodDeletionCost and LogarithmicScaleDown on, their default
 * since v1.22 / GA). The smaller pod is deleted first:
 *  1. unassigned < assigned;
 *  2. Pending < Unknown < Running (other phases rank with Pending);
 *  3. not Ready < Ready;
 *  4. lower controller.kubernetes.io/pod-deletion-cost < higher (an absent or
 *     unparsable annotation is 0);
 *  5. more related active pods on the same node (rank) < fewer;
 *  6. both Ready: ready more recently < longer, compared on a log2 scale of
 *     the time since (nanoseconds, as Go's time.Duration), ties within a bucket
 *     broken by uid;
 *  7. higher max container restarts < lower (regular containers, then
 *     restartable init containers);
 *  8. newer creationTimestamp < older, on the same log2 scale, ties by uid.
 * Go's sort.Sort is not stable; ksim sorts stably from the name order the
 * lister gives, so equal pods are deleted in a deterministic order.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Time } from '../../sim/types.ts';
import { isPodActive, isPodReady, podReadyCondition, type ParseTime } from './pods.ts';

export const PodDeletionCostAnnotation = 'controller.kubernetes.io/pod-deletion-cost';

const PHASE_ORDINAL: Readonly<Record<string, number>> = { Pending: 0, Unknown: 1, Running: 2 };

/** helper.GetDeletionCostFromPodAnnotations: an int32, else 0 (the controller ignores the parse error). */
export function podDeletionCost(p: Pod): number {
  const v = p.metadata?.annotations?.[PodDeletionCostAnnotation];
  if (v === undefined) return 0;
  if (!/^[+-]?[0-9]+$/.test(v)) return 0;
  const n = Number(v);
  return n >= -2147483648 && n <= 2147483647 ? n : 0;
}

/** logarithmicRankDiff: int64(log2(ns since t1)) - int64(log2(ns since t2)); -1 for a non-positive duration. */
export function logarithmicRankDiff(t1: Time, t2: Time, now: Time): number {
  const d1 = (now - t1) * 1e6;
  const d2 = (now - t2) * 1e6;
  const r1 = d1 > 0 ? Math.trunc(Math.log2(d1)) : -1;
  const r2 = d2 > 0 ? Math.trunc(Math.log2(d2)) : -1;
  return r1 - r2;
}

function maxContainerRestarts(p: Pod): [regular: number, sidecar: number] {
  let regular = 0;
  for (const c of p.status?.containerStatuses ?? []) regular = Math.max(regular, c.restartCount ?? 0);
  const sidecars = new Set<string>();
  for (const c of p.spec?.initContainers ?? []) if (c.restartPolicy === 'Always') sidecars.add(c.name);
  let sidecar = 0;
  for (const c of p.status?.initContainerStatuses ?? []) if (sidecars.has(c.name)) sidecar = Math.max(sidecar, c.restartCount ?? 0);
  return [regular, sidecar];
}

export interface RankedPod<T extends Pod = Pod> {
  pod: T;
  /** Active pods related to this one (same owner family) on its node. */
  rank: number;
}

/** A pod's times as virtual ms, undefined for a missing ("zero") time. */
function readyTime(p: Pod, parseTime: ParseTime): Time | undefined {
  const c = podReadyCondition(p);
  return c?.lastTransitionTime ? parseTime(c.lastTransitionTime) : undefined;
}

function creationTime(p: Pod, parseTime: ParseTime): Time | undefined {
  const ts = p.metadata?.creationTimestamp;
  return ts ? parseTime(ts) : undefined;
}

/** afterOrZero: a zero time first, then the later time. */
function afterOrZero(t1: Time | undefined, t2: Time | undefined): boolean {
  if (t1 === undefined || t2 === undefined) return t1 === undefined;
  return t1 > t2;
}

function timeLess(t1: Time | undefined, t2: Time | undefined, now: Time, a: Pod, b: Pod): boolean {
  if (t1 === undefined || t2 === undefined) return afterOrZero(t1, t2);
  const diff = logarithmicRankDiff(t1, t2, now);
  if (diff === 0) return (a.metadata?.uid ?? '') < (b.metadata?.uid ?? '');
  return diff < 0;
}

/** ActivePodsWithRanks.Less(i, j): true when a should be deleted before b. */
export function podDeletionLess(a: RankedPod, b: RankedPod, now: Time, parseTime: ParseTime): boolean {
  const pa = a.pod;
  const pb = b.pod;
  const na = pa.spec?.nodeName ?? '';
  const nb = pb.spec?.nodeName ?? '';
  if (na !== nb && (na === '' || nb === '')) return na === '';
  const oa = PHASE_ORDINAL[pa.status?.phase ?? ''] ?? 0;
  const ob = PHASE_ORDINAL[pb.status?.phase ?? ''] ?? 0;
  if (oa !== ob) return oa < ob;
  const ra = isPodReady(pa);
  const rb = isPodReady(pb);
  if (ra !== rb) return !ra;
  const ca = podDeletionCost(pa);
  const cb = podDeletionCost(pb);
  if (ca !== cb) return ca < cb;
  if (a.rank !== b.rank) return a.rank > b.rank;
  if (ra && rb) {
    const ta = readyTime(pa, parseTime);
    const tb = readyTime(pb, parseTime);
    if (ta !== tb) return timeLess(ta, tb, now, pa, pb);
  }
  const [ra1, rs1] = maxContainerRestarts(pa);
  const [rb1, rs2] = maxContainerRestarts(pb);
  if (ra1 !== rb1) return ra1 > rb1;
  if (rs1 !== rs2) return rs1 > rs2;
  const cta = creationTime(pa, parseTime);
  const ctb = creationTime(pb, parseTime);
  if (cta !== ctb) return timeLess(cta, ctb, now, pa, pb);
  return false;
}

/** getPodsRankedByRelatedPodsOnSameNode: rank = active related pods on the pod's node. */
export function rankPodsByRelatedOnSameNode<T extends Pod>(podsToRank: readonly T[], related: readonly Pod[]): RankedPod<T>[] {
  const onNode = new Map<string, number>();
  for (const p of related) {
    if (!isPodActive(p)) continue;
    const n = p.spec?.nodeName ?? '';
    onNode.set(n, (onNode.get(n) ?? 0) + 1);
  }
  return podsToRank.map((pod) => ({ pod, rank: onNode.get(pod.spec?.nodeName ?? '') ?? 0 }));
}

/** Sort pods so the first are the ones to delete (stable). */
export function sortPodsForDeletion<T extends Pod>(ranked: RankedPod<T>[], now: Time, parseTime: ParseTime): T[] {
  return ranked
    .map((r, i) => ({ r, i }))
    .sort((x, y) => (podDeletionLess(x.r, y.r, now, parseTime) ? -1 : podDeletionLess(y.r, x.r, now, parseTime) ? 1 : x.i - y.i))
    .map((x) => x.r.pod);
}

/** getPodsToDelete: the `diff` pods to delete first; ranked only when not all of them go. */
export function getPodsToDelete<T extends Pod>(filtered: readonly T[], related: readonly Pod[], diff: number, now: Time, parseTime: ParseTime): T[] {
  if (diff < filtered.length) return sortPodsForDeletion(rankPodsByRelatedOnSameNode(filtered, related), now, parseTime).slice(0, diff);
  return filtered.slice(0, diff);
}
