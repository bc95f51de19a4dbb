/**
 * The OOM side of memory: oom_score_adj as the kubelet sets it
 * (pkg/kubelet/qos/policy.go GetContainerOOMScoreAdjust), and the kernel's
 * choice of victim when a node runs out of memory before the eviction
 * manager could act (oom_badness: the share of memory a process uses, in
 * thousandths, plus its oom_score_adj; the highest is killed).
 *
 * A container whose working set passes its own memory limit is killed by its
 * cgroup's OOM killer regardless of the node: see memoryLimitExceeded.
 */
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import { getPodQOS } from '../api/qos.ts';
import { Quantity } from '../api/quantity.ts';

export const KubeletOOMScoreAdj = -999;
export const KubeProxyOOMScoreAdj = -999;
export const guaranteedOOMScoreAdj = -997;
export const besteffortOOMScoreAdj = 1000;

/** kubelettypes.IsCriticalPod: static/mirror pods, or priority at least system-cluster-critical (2000000000). */
export function isCriticalPod(pod: Pod): boolean {
  const src = pod.metadata?.annotations?.['kubernetes.io/config.source'];
  if (src !== undefined && src !== 'api') return true;
  if (pod.metadata?.annotations?.['kubernetes.io/config.mirror'] !== undefined) return true;
  return (pod.spec?.priority ?? 0) >= 2_000_000_000;
}

/** Requests only, as upstream (API defaulting has already copied a lone limit into the request). */
function memoryRequest(c: Container): number {
  const raw = c.resources?.requests?.['memory'];
  const q = raw === undefined ? undefined : Quantity.tryParse(raw);
  return q === undefined ? 0 : q.value();
}

/**
 * GetContainerOOMScoreAdjust. Critical pods get the Guaranteed score. For
 * Burstable: 1000 − (1000 × memoryRequest) / memoryCapacity in integer
 * arithmetic, at least 1000 + guaranteedOOMScoreAdj (3) and never 1000
 * (that is BestEffort's).
 */
export function getContainerOOMScoreAdjust(pod: Pod, container: Container, memoryCapacity: number): number {
  if (isCriticalPod(pod)) return guaranteedOOMScoreAdj;
  const qos = getPodQOS(pod);
  if (qos === 'Guaranteed') return guaranteedOOMScoreAdj;
  if (qos === 'BestEffort') return besteffortOOMScoreAdj;
  const req = BigInt(Math.trunc(memoryRequest(container)));
  const cap = BigInt(Math.max(1, Math.trunc(memoryCapacity)));
  const adj = Number(1000n - (1000n * req) / cap);
  if (adj < 1000 + guaranteedOOMScoreAdj) return 1000 + guaranteedOOMScoreAdj;
  if (adj === besteffortOOMScoreAdj) return adj - 1;
  return adj;
}

export interface OOMCandidate {
  key: string;
  pod: Pod;
  container: Container;
  /** Working-set bytes. */
  usage: number;
}

/**
 * oom_badness: usage in thousandths of the node's memory plus oom_score_adj
 * (the kernel uses pages; thousandths of capacity keep the same order).
 * Ties go to the larger user, then the key, so the choice is deterministic.
 */
export function oomBadness(c: OOMCandidate, memoryCapacity: number): number {
  const adj = getContainerOOMScoreAdjust(c.pod, c.container, memoryCapacity);
  if (adj === -1000) return Number.NEGATIVE_INFINITY;
  return Math.floor((c.usage * 1000) / Math.max(1, memoryCapacity)) + adj;
}

/** The container the kernel kills when the node is out of memory, or undefined if none can be. */
export function oomVictim(candidates: readonly OOMCandidate[], memoryCapacity: number): OOMCandidate | undefined {
  let best: OOMCandidate | undefined;
  let bestScore = Number.NEGATIVE_INFINITY;
  for (const c of candidates) {
    if (c.usage <= 0) continue;
    const s = oomBadness(c, memoryCapacity);
    if (best === undefined || s > bestScore || (s === bestScore && (c.usage > best.usage || (c.usage === best.usage && c.key < best.key)))) {
      best = c;
      bestScore = s;
    }
  }
  return best;
}

/** A container's memory limit in bytes, or undefined when unlimited. */
export function memoryLimit(c: Container): number | undefined {
  const raw = c.resources?.limits?.['memory'];
  if (raw === undefined) return undefined;
  const q = Quantity.tryParse(raw);
  return q === undefined || q.isZero() ? undefined : q.value();
}

/** A container's CPU limit in cores, or undefined when unlimited (usage above it is throttled). */
export function cpuLimit(c: Container): number | undefined {
  const raw = c.resources?.limits?.['cpu'];
  if (raw === undefined) return undefined;
  const q = Quantity.tryParse(raw);
  return q === undefined || q.isZero() ? undefined : q.milliValue() / 1000;
}
