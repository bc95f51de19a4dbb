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
import { computePodQOS, type QOSClass } from '../api/qos.ts';
import { sameTree } from '../api/sameTree.ts';

export const SchedulingGatedReason = 'SchedulingGated';
export const SchedulingGatedMessage = 'Scheduling is blocked due to non-empty scheduling gates';

/**
 * The QoS class of the last pod spec seen, with a private copy of that spec:
 * ComputePodQOS reads only the spec, and the pods of one template come in runs
 * with equal specs (parsing their quantities again cost ~1 KiB of garbage a pod).
 */
let lastSpec: unknown;
let lastQOS: QOSClass | undefined;

/** computePodQOS, answered from the last spec when this one equals it (sameTree). */
export function podQOS(pod: Pod): QOSClass {
  const spec = pod.spec;
  if (lastQOS !== undefined && sameTree(lastSpec, spec)) return lastQOS;
  const qos = computePodQOS(pod);
  try {
    lastSpec = structuredClone(spec);
    lastQOS = qos;
  } catch {
    lastQOS = undefined; // not cloneable: not remembered
  }
  return qos;
}

export const podStrategyAdmission: AdmissionPlugin = {
  name: 'PodStrategy',
  kinds: ['Pod'],
  mutate(req) {
    if (req.operation !== 'CREATE') return;
    const pod = req.object as Pod & KObject;
    const status: NonNullable<Pod['status']> = { phase: 'Pending', qosClass: podQOS(pod) };
    if ((pod.spec?.schedulingGates?.length ?? 0) > 0) {
      status.conditions = [{ type: 'PodScheduled', status: 'False', reason: SchedulingGatedReason, message: SchedulingGatedMessage }];
    }
    (pod as { status?: Pod['status'] }).status = status;
  },
};
