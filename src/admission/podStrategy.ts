/**
 * The Pod registry strategy's PrepareForCreate, following kube-apiserver v1.35
 * (v1.33: pods get metadata.generation, in the store; v1.34's merge of topology
 * spread matchLabelKeys into labelSelector is not modelled yet)
 * (pkg/registry/core/pod/strategy.go): a new pod's status is whatever the API
 * server says, not what the client sent — phase Pending and its QoS class —
 * and a pod created with scheduling gates gets the PodScheduled=False
 * condition with reason SchedulingGated.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { AdmissionPlugin, KObject } from '../sim/types.ts';
import { computePodQOS } from '../api/qos.ts';

export const SchedulingGatedReason = 'SchedulingGated';
export const SchedulingGatedMessage = 'Scheduling is blocked due to non-empty scheduling gates';

export const podStrategyAdmission: AdmissionPlugin = {
  name: 'PodStrategy',
  kinds: ['Pod'],
  mutate(req) {
    if (req.operation !== 'CREATE') return;
    const pod = req.object as Pod & KObject;
    const status: NonNullable<Pod['status']> = { phase: 'Pending', qosClass: computePodQOS(pod) };
    if ((pod.spec?.schedulingGates?.length ?? 0) > 0) {
      status.conditions = [{ type: 'PodScheduled', status: 'False', reason: SchedulingGatedReason, message: SchedulingGatedMessage }];
    }
    (pod as { status?: Pod['status'] }).status = status;
  },
};
