/**
 * Cluster events that may make unschedulable pods schedulable, following
 * kube-scheduler v1.35 pkg/scheduler/framework/events.go (v1.33 renamed the
 * UpdatePodTolerations action type UpdatePodToleration; ksim keeps the old name)
 * (PodSchedulingPropertiesChange, NodeSchedulingPropertiesChange and their
 * extractors) and types.go (ClusterEvent.Match).
 *
 * ActionType in ksim's contract has a separate `Update` bit for "any other
 * update"; as upstream's Update is the union of all update kinds, a
 * registration or incoming event carrying `Update` is widened to every update
 * bit, except the "other update" fallback of PodSchedulingPropertiesChange,
 * which (as upstream's updatePodOther) only matches a general Update
 * registration.
 */
import { labelsEqual } from '../../api/labels.ts';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { podRequests } from '../../api/resources.ts';
import { ActionType, type ClusterEvent, type EventResource } from '../framework/types.ts';

export const UpdateBits =
  ActionType.UpdateNodeAllocatable |
  ActionType.UpdateNodeLabel |
  ActionType.UpdateNodeTaint |
  ActionType.UpdateNodeCondition |
  ActionType.UpdateNodeAnnotation |
  ActionType.UpdatePodLabel |
  ActionType.UpdatePodScaleDown |
  ActionType.UpdatePodTolerations |
  ActionType.UpdatePodSchedulingGatesEliminated |
  ActionType.Update;

/** An incoming event with a label for logs/explanations. */
export interface LabeledEvent extends ClusterEvent {
  label: string;
}

export function isWildCard(e: ClusterEvent): boolean {
  return e.resource === '*' && e.actionType === ActionType.All;
}

function widen(a: number): number {
  return a & ActionType.Update ? a | UpdateBits : a;
}

function resourceMatches(reg: EventResource, inc: EventResource): boolean {
  return reg === '*' || reg === inc || (reg === 'Pod' && (inc === 'AssignedPod' || inc === 'UnscheduledPod'));
}

/** Does a registered event cover the incoming one? (upstream ClusterEvent.Match) */
export function matchEvent(registered: ClusterEvent, incoming: ClusterEvent): boolean {
  if (isWildCard(registered)) return true;
  return resourceMatches(registered.resource, incoming.resource) && (widen(registered.actionType) & incoming.actionType) !== 0;
}

function ev(resource: EventResource, actionType: number, label: string): LabeledEvent {
  return { resource, actionType, label };
}

export const Events = {
  unschedulableTimeout: ev('*', ActionType.All, 'UnschedulableTimeout'),
  forceActivate: ev('*', ActionType.All, 'ForceActivate'),
  nodeAdd: ev('Node', ActionType.Add, 'NodeAdd'),
  assignedPodAdd: ev('AssignedPod', ActionType.Add, 'AssignedPodAdd'),
  assignedPodDelete: ev('AssignedPod', ActionType.Delete, 'AssignedPodDelete'),
  unscheduledPodAdd: ev('UnscheduledPod', ActionType.Add, 'UnscheduledPodAdd'),
  unscheduledPodUpdate: ev('UnscheduledPod', UpdateBits, 'UnscheduledPodUpdate'),
  unscheduledPodDelete: ev('UnscheduledPod', ActionType.Delete, 'UnscheduledPodDelete'),
  /** Generic add/update/delete of other kinds (PV, PVC, StorageClass, CSINode, Namespace, PDB). */
  of(resource: EventResource, action: 'Add' | 'Update' | 'Delete'): LabeledEvent {
    const a = action === 'Add' ? ActionType.Add : action === 'Delete' ? ActionType.Delete : UpdateBits;
    return ev(resource, a, `${resource}${action}`);
  },
};

function sameJSON(a: unknown, b: unknown): boolean {
  // One object (stored objects share unchanged frozen parts): no text needed.
  if (a === b) return true;
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}


/** upstream extractPodScaleDown: a request removed or decreased. */
function podScaledDown(newPod: Pod, oldPod: Pod): boolean {
  // Requests come from the spec alone: one frozen spec object means the same requests
  // (perf: every pod status write reaches here).
  if (newPod.spec === oldPod.spec && newPod.spec !== undefined && Object.isFrozen(newPod.spec)) return false;
  const np = podRequests(newPod);
  for (const [name, q] of podRequests(oldPod)) {
    const nq = np.get(name);
    if (!nq) return true;
    if (q.milliValue() > nq.milliValue()) return true;
  }
  return false;
}

/** upstream PodSchedulingPropertiesChange. */
export function podSchedulingPropertiesChange(newPod: Pod, oldPod: Pod): LabeledEvent[] {
  const e = newPod.spec?.nodeName ? podUpdateEvents.AssignedPod : podUpdateEvents.UnscheduledPod;
  // Made only when something changed (perf: an empty list per pod status write).
  let out: LabeledEvent[] | null = null;
  if (!labelsEqual(newPod.metadata?.labels, oldPod.metadata?.labels)) (out ??= []).push(e.label);
  if (podScaledDown(newPod, oldPod)) (out ??= []).push(e.scaleDown);
  if ((newPod.spec?.schedulingGates?.length ?? 0) === 0 && (oldPod.spec?.schedulingGates?.length ?? 0) > 0) (out ??= []).push(e.gatesEliminated);
  if (!sameJSON(newPod.spec?.tolerations, oldPod.spec?.tolerations)) (out ??= []).push(e.tolerations);
  // Nothing in particular (a status write, most often): the plain update, one shared list.
  return out ?? e.updateOnly;
}

/** The pod update events of each resource, made once (every pod status write asks for them). */
function podUpdateEventsOf(r: 'AssignedPod' | 'UnscheduledPod') {
  return {
    label: ev(r, ActionType.UpdatePodLabel, `${r}UpdatePodLabel`),
    scaleDown: ev(r, ActionType.UpdatePodScaleDown, `${r}UpdatePodScaleDown`),
    gatesEliminated: ev(r, ActionType.UpdatePodSchedulingGatesEliminated, `${r}UpdatePodSchedulingGatesEliminated`),
    tolerations: ev(r, ActionType.UpdatePodTolerations, `${r}UpdatePodTolerations`),
    updateOnly: Object.freeze([ev(r, ActionType.Update, `${r}Update`)]) as LabeledEvent[],
  };
}
const podUpdateEvents = { AssignedPod: podUpdateEventsOf('AssignedPod'), UnscheduledPod: podUpdateEventsOf('UnscheduledPod') };

/** Each condition type's status (the last entry of a type wins). */
function conditionStatuses(n: Node): Map<string, string> {
  const m = new Map<string, string>();
  for (const c of n.status?.conditions ?? []) m.set(c.type, c.status);
  return m;
}

/** Whether two nodes' conditions have the same statuses by type (order aside). */
export function sameConditionStatuses(a: Node, b: Node): boolean {
  const ca = a.status?.conditions;
  const cb = b.status?.conditions;
  if (ca === cb) return true;
  // The same types in the same order with the same statuses give the same by-type
  // statuses whatever the repeats: a heartbeat rewrites each condition's times and
  // keeps the rest (perf: two Maps and their iterators per Node status write).
  if (ca !== undefined && cb !== undefined && ca.length === cb.length) {
    let i = 0;
    for (; i < ca.length; i++) {
      const x = ca[i]!;
      const y = cb[i]!;
      if (x.type !== y.type || (x.status ?? null) !== (y.status ?? null)) break;
    }
    if (i === ca.length) return true;
  }
  const ma = conditionStatuses(a);
  const mb = conditionStatuses(b);
  if (ma.size !== mb.size) return false;
  // As compared through JSON before: a null status is the same as none.
  for (const [t, st] of ma) if (!mb.has(t) || (mb.get(t) ?? null) !== (st ?? null)) return false;
  return true;
}

/** The Node update events, made once (a Node status write asks for them). */
const nodeUpdateEvents = {
  unschedulable: ev('Node', ActionType.UpdateNodeTaint, 'NodeSpecUnschedulableChange'),
  allocatable: ev('Node', ActionType.UpdateNodeAllocatable, 'NodeAllocatableChange'),
  label: ev('Node', ActionType.UpdateNodeLabel, 'NodeLabelChange'),
  taint: ev('Node', ActionType.UpdateNodeTaint, 'NodeTaintChange'),
  condition: ev('Node', ActionType.UpdateNodeCondition, 'NodeConditionChange'),
  annotation: ev('Node', ActionType.UpdateNodeAnnotation, 'NodeAnnotationChange'),
};
/** No scheduling-relevant change (shared: callers only iterate it). */
const NoEvents: readonly LabeledEvent[] = Object.freeze([]);

/** upstream NodeSchedulingPropertiesChange: only changes that can make pods schedulable. */
export function nodeSchedulingPropertiesChange(newNode: Node, oldNode: Node): readonly LabeledEvent[] {
  let out: LabeledEvent[] | null = null;
  const e = nodeUpdateEvents;
  // Becoming schedulable acts like removing a taint.
  if (!!newNode.spec?.unschedulable !== !!oldNode.spec?.unschedulable && !newNode.spec?.unschedulable) (out ??= []).push(e.unschedulable);
  if (!sameJSON(newNode.status?.allocatable, oldNode.status?.allocatable)) (out ??= []).push(e.allocatable);
  if (!labelsEqual(newNode.metadata?.labels, oldNode.metadata?.labels)) (out ??= []).push(e.label);
  if (!sameJSON(newNode.spec?.taints, oldNode.spec?.taints)) (out ??= []).push(e.taint);
  if (!sameConditionStatuses(newNode, oldNode)) (out ??= []).push(e.condition);
  if (!labelsEqual(newNode.metadata?.annotations, oldNode.metadata?.annotations)) (out ??= []).push(e.annotation);
  return out ?? NoEvents;
}
