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
 * The QoS class of the last pod seen, with a private copy of what
 * ComputePodQOS reads of its spec: the pod-level resources and each
 * container's and init container's resources. The pods of one template come in
 * runs with equal resources (parsing their quantities again cost ~1 KiB of
 * garbage a pod), and comparing only the resources, not the whole spec, is a
 * fraction of the compare.
 */
let lastInputs: readonly unknown[] = [];
let lastQOS: QOSClass | undefined;

/**
 * What computePodQOS reads of a spec, in one array (spec.resources, the
 * number of containers, each one's resources, then the same for init
 * containers); undefined for a shape it would not read this way (then it is
 * computed, and fails, as without the memo).
 */
function qosInputs(spec: unknown): unknown[] | undefined {
  if (typeof spec !== 'object' || spec === null) return undefined;
  const s = spec as { resources?: unknown; containers?: unknown; initContainers?: unknown };
  const out: unknown[] = [s.resources];
  for (const list of [s.containers, s.initContainers]) {
    if (list === undefined || list === null) {
      out.push(0);
      continue;
    }
    if (!Array.isArray(list)) return undefined;
    out.push(list.length);
    for (const c of list as unknown[]) {
      if (typeof c !== 'object' || c === null) return undefined;
      out.push((c as { resources?: unknown }).resources);
    }
  }
  return out;
}

/**
 * Whether qosInputs(spec) would be sameTree-equal to `last`, walked in place: no array of inputs is made
 * for a pod whose resources equal the last pod's (most pods; the array and the list of the two
 * container lists were garbage per pod create). False for a shape qosInputs rejects.
 */
function sameInputs(spec: unknown, last: readonly unknown[]): boolean {
  if (typeof spec !== 'object' || spec === null) return false;
  const s = spec as { resources?: unknown; containers?: unknown; initContainers?: unknown };
  if (!sameTree(last[0], s.resources)) return false;
  const i = matchList(s.containers, last, 1);
  return i >= 0 && matchList(s.initContainers, last, i) === last.length;
}

/** sameInputs for one container list at last[i] (its length, then each container's resources): the index after it, or -1. */
function matchList(list: unknown, last: readonly unknown[], i: number): number {
  if (list === undefined || list === null) return last[i] === 0 ? i + 1 : -1;
  if (!Array.isArray(list) || last[i] !== list.length) return -1;
  let j = i + 1;
  for (let k = 0; k < list.length; k++) {
    const c: unknown = list[k];
    if (typeof c !== 'object' || c === null || !sameTree(last[j++], (c as { resources?: unknown }).resources)) return -1;
  }
  return j;
}

/** computePodQOS, answered from the last pod when this one's resources equal its (sameTree). */
export function podQOS(pod: Pod): QOSClass {
  if (lastQOS !== undefined && sameInputs(pod.spec, lastInputs as readonly unknown[])) return lastQOS;
  const inputs = qosInputs(pod.spec);
  if (inputs === undefined) return computePodQOS(pod);
  const qos = computePodQOS(pod);
  try {
    lastInputs = structuredClone(inputs);
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
