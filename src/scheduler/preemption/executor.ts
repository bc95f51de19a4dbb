/**
 * Carrying out the preemption of one victim, following kube-scheduler v1.35
 * (victims are deleted within the cycle under every release: asynchronous
 * preemption, SchedulerAsyncPreemption, on since v1.33, is not modelled)
 * pkg/scheduler/framework/preemption/preemption.go (prepareCandidate's
 * per-victim step, PreemptPod in later releases):
 *  - a victim waiting at Permit is rejected ("preempted") instead of deleted;
 *  - otherwise the victim first gets condition DisruptionTarget=True, reason
 *    PreemptionByScheduler, message "<schedulerName>: preempting to
 *    accommodate a higher priority pod" (status subresource), then is
 *    deleted with its own grace period (no delete options, as util.DeletePod);
 *  - a victim that is already gone is skipped silently;
 *  - the victim gets event Normal/Preempted "Preempted by pod <preemptor UID>
 *    on node <node>" from the preemptor's scheduler (the UID replaced the
 *    namespace/name in v1.29, kubernetes#119971).
 */
import type { Pod, PodCondition } from 'kubernetes-types/core/v1.js';
import type { KObject, Recorder, Store } from '../../sim/types.ts';
import { isApiError } from '../../sim/errors.ts';
import { updatePodCondition } from '../../api/podCondition.ts';

export const DisruptionTarget = 'DisruptionTarget';
export const PodReasonPreemptionByScheduler = 'PreemptionByScheduler';

/** What executing a preemption needs from the scheduler. */
export interface PreemptionHost {
  readonly store: Store;
  readonly recorder: Recorder;
  /** RFC3339 of the current virtual time. */
  timestamp(): string;
  /** A pod held at Permit, by UID, if any. */
  waitingPod?(uid: string): { reject(pluginName: string, msg: string): void } | undefined;
}

type PodObj = Pod & KObject;

/** The DisruptionTarget condition a preempted pod gets. */
export function preemptionCondition(preemptor: Pod): PodCondition {
  return {
    type: DisruptionTarget,
    status: 'True',
    reason: PodReasonPreemptionByScheduler,
    message: `${preemptor.spec?.schedulerName ?? 'default-scheduler'}: preempting to accommodate a higher priority pod`,
  };
}


/** Preempt one victim on behalf of `preemptor`; throws ApiError on failures other than NotFound. */
export function preemptPod(host: PreemptionHost, victim: Pod, preemptor: Pod, nodeName: string, pluginName: string): void {
  const ns = victim.metadata?.namespace ?? '';
  const name = victim.metadata?.name ?? '';
  const uid = victim.metadata?.uid ?? '';
  const waiting = uid ? host.waitingPod?.(uid) : undefined;
  if (waiting) {
    waiting.reject(pluginName, 'preempted');
  } else {
    const cur = host.store.get<PodObj>('Pod', ns, name);
    if (!cur || (uid && cur.metadata?.uid !== uid)) return; // already deleted
    const now = host.timestamp();
    const cond = preemptionCondition(preemptor);
    const probe = { conditions: (cur.status?.conditions ?? []).map((c) => ({ ...c })) };
    try {
      if (updatePodCondition(probe, cond, now)) {
        // The probe holds the updated list: a status update of the object just read writes the same
        // object as a patch would, without a copy-on-write draft (perf: 3 victims per preemption).
        const status = { ...cur.status, conditions: probe.conditions } as PodObj['status'];
        host.store.update<PodObj>({ ...cur, status }, { actor: 'scheduler', subresource: 'status' });
      }
      host.store.delete('Pod', ns, name, { actor: 'scheduler' });
    } catch (e) {
      if (isApiError(e, 'NotFound')) return;
      throw e;
    }
  }
  host.recorder.event(victim as PodObj, 'Normal', 'Preempted', `Preempted by pod ${preemptor.metadata?.uid ?? ''} on node ${nodeName}`, {
    component: preemptor.spec?.schedulerName ?? 'default-scheduler',
  });
}
