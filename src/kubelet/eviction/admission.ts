/**
 * The eviction manager's pod admit handler (eviction_manager.go Admit), for
 * the kubelet's admission chain: with no pressure every pod is admitted;
 * critical pods always are; under memory pressure alone, pods that are not
 * BestEffort are admitted, and BestEffort ones only if they tolerate the
 * memory-pressure NoSchedule taint; any other pressure rejects every pod.
 * Rejection: reason `Evicted`, message `The node had condition: [MemoryPressure]. `.
 */
import type { Node, Pod, Toleration } from 'kubernetes-types/core/v1.js';
import { getPodQOS } from '../../api/qos.ts';
import { isCriticalPod } from '../oom.ts';
import { Reason, type NodeConditionType } from './helpers.ts';
import { Admitted } from '../lifecycle/predicate.ts';

export const TaintNodeMemoryPressure = 'node.kubernetes.io/memory-pressure';

export type AdmitResult = { admit: true } | { admit: false; reason: string; message: string };

/** Toleration.ToleratesTaint for a NoSchedule taint without a value. */
function tolerates(t: Toleration, key: string, effect: string): boolean {
  if (t.effect && t.effect !== effect) return false;
  if (t.key !== undefined && t.key !== '' && t.key !== key) return false;
  if (t.operator === 'Exists') return true;
  if ((t.key ?? '') === '') return false; // empty key requires Exists
  return (t.value ?? '') === '';
}

/** Admitted pods get the one shared verdict (lifecycle/predicate.ts Admitted): none made per pod. */
export function evictionAdmit(conditions: readonly NodeConditionType[], pod: Pod): AdmitResult {
  if (conditions.length === 0) return Admitted;
  if (isCriticalPod(pod)) return Admitted;
  const onlyMemory = conditions.length === 1 && conditions[0] === 'MemoryPressure';
  if (onlyMemory) {
    if (getPodQOS(pod) !== 'BestEffort') return Admitted;
    if ((pod.spec?.tolerations ?? []).some((t) => tolerates(t, TaintNodeMemoryPressure, 'NoSchedule'))) return Admitted;
  }
  return { admit: false, reason: Reason, message: `The node had condition: [${conditions.join(' ')}]. ` };
}

/** The pressure conditions a Node reports True, in upstream's order of discovery. */
export function nodePressureConditions(node: Node): NodeConditionType[] {
  const out: NodeConditionType[] = [];
  for (const type of ['MemoryPressure', 'DiskPressure', 'PIDPressure'] as const) {
    if (node.status?.conditions?.some((c) => c.type === type && c.status === 'True')) out.push(type);
  }
  return out;
}
