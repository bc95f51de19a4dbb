/**
 * The StatefulSet controller's pure rules, following
 * pkg/controller/statefulset/stateful_set_utils.go (newest upstream):
 * ordinal identities (`<set>-<ordinal>`, the `statefulset.kubernetes.io/pod-name`
 * label and, with PodIndexLabel (GA in v1.32), `apps.kubernetes.io/pod-index`),
 * `ordinals.start` (StatefulSetStartOrdinal, GA in v1.31), claims named
 * `<template>-<set>-<ordinal>`, the persistentVolumeClaimRetentionPolicy's
 * owner references (StatefulSetAutoDeletePVC, GA in v1.32), the revision a
 * new pod gets under a partition, and maxUnavailable (MaxUnavailableStatefulSet,
 * beta and on by default since v1.35: percentages round down, at least 1).
 */
import type { PersistentVolumeClaim, Pod, PodTemplateSpec, Volume } from 'kubernetes-types/core/v1.js';
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import type { StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { KObject, Stored, Time } from '../../sim/types.ts';
import { controllerRef } from '../appsutil/controllerHistory.ts';
import { isPodAvailable, isPodReady, scaledValue } from '../appsutil/podReadiness.ts';

export type SetObj = StatefulSet & KObject;
export type PodObj = Pod & KObject;
export type ClaimObj = PersistentVolumeClaim & KObject;

export const StatefulSetPodNameLabel = 'statefulset.kubernetes.io/pod-name';
export const PodIndexLabel = 'apps.kubernetes.io/pod-index';
export const StatefulSetRevisionLabel = 'controller-revision-hash';

export function getStartOrdinal(set: StatefulSet): number {
  return set.spec?.ordinals?.start ?? 0;
}

export function replicasOf(set: StatefulSet): number {
  return set.spec?.replicas ?? 1;
}

/** The last ordinal in range (start + replicas - 1). */
export function getEndOrdinal(set: StatefulSet): number {
  return getStartOrdinal(set) + replicasOf(set) - 1;
}

export function getPodName(set: StatefulSet, ordinal: number): string {
  return `${set.metadata?.name ?? ''}-${ordinal}`;
}

const ORDINAL_RE = /^(.*)-([0-9]+)$/;

/** getParentNameAndOrdinal: ("web", 2) for "web-2"; ordinal -1 when the name has no ordinal. */
export function getParentNameAndOrdinal(pod: Pod): { parent: string; ordinal: number } {
  const m = ORDINAL_RE.exec(pod.metadata?.name ?? '');
  if (!m) return { parent: '', ordinal: -1 };
  const n = Number(m[2]);
  return Number.isSafeInteger(n) && n <= 2147483647 ? { parent: m[1]!, ordinal: n } : { parent: m[1]!, ordinal: -1 };
}

export function getOrdinal(pod: Pod): number {
  return getParentNameAndOrdinal(pod).ordinal;
}

export function isMemberOf(set: StatefulSet, pod: Pod): boolean {
  return getParentNameAndOrdinal(pod).parent === (set.metadata?.name ?? '');
}

export function podInOrdinalRange(pod: Pod, set: StatefulSet): boolean {
  const o = getOrdinal(pod);
  return o >= getStartOrdinal(set) && o <= getEndOrdinal(set);
}

export function getPersistentVolumeClaimName(set: StatefulSet, claimTemplateName: string, ordinal: number): string {
  return `${claimTemplateName}-${set.metadata?.name ?? ''}-${ordinal}`;
}

// ---- pod states (isCreated, isRunningAndReady, ...) ----

export function isCreated(pod: Pod): boolean {
  return (pod.status?.phase ?? '') !== '';
}
export function isFailed(pod: Pod): boolean {
  return pod.status?.phase === 'Failed';
}
export function isSucceeded(pod: Pod): boolean {
  return pod.status?.phase === 'Succeeded';
}
export function isPending(pod: Pod): boolean {
  return pod.status?.phase === 'Pending';
}
export function isTerminating(pod: Pod): boolean {
  return pod.metadata?.deletionTimestamp !== undefined && pod.metadata?.deletionTimestamp !== null;
}
export function isRunningAndReady(pod: Pod): boolean {
  return pod.status?.phase === 'Running' && isPodReady(pod);
}
export function isRunningAndAvailable(pod: Pod, minReadySeconds: number, now: Time, epochMs: number): boolean {
  return pod.status?.phase === 'Running' && isPodAvailable(pod, minReadySeconds, now, epochMs);
}
export function isHealthy(pod: Pod): boolean {
  return isRunningAndReady(pod) && !isTerminating(pod);
}
/** isUnavailable: not healthy, or not yet available for minReadySeconds. */
export function isUnavailable(pod: Pod, minReadySeconds: number, now: Time, epochMs: number): boolean {
  return !isHealthy(pod) || !isRunningAndAvailable(pod, minReadySeconds, now, epochMs);
}

export function getPodRevision(pod: Pod): string {
  return pod.metadata?.labels?.[StatefulSetRevisionLabel] ?? '';
}

/** allowsBurst: Parallel pod management. */
export function allowsBurst(set: StatefulSet): boolean {
  return set.spec?.podManagementPolicy === 'Parallel';
}

/** getStatefulSetMaxUnavailable: maxUnavailable (default 1) of replicas, rounded down, at least 1. */
export function getStatefulSetMaxUnavailable(maxUnavailable: number | string | undefined, replicaCount: number): number {
  const n = scaledValue(maxUnavailable, replicaCount, false, 1);
  return n < 1 ? 1 : n;
}

// ---- pods from the template ----

/**
 * newStatefulSetPod (GetPodFromTemplate + initIdentity + updateStorage):
 * the template's labels, annotations and spec, a controller reference, the
 * identity labels, hostname and subdomain, and a volume per claim template.
 */
export function newStatefulSetPod(set: Stored<SetObj>, template: PodTemplateSpec, ordinal: number, revision: string): PodObj {
  const name = getPodName(set, ordinal);
  const tmeta = template.metadata ?? {};
  const labels: Record<string, string> = { ...(tmeta.labels ?? {}) };
  labels[StatefulSetPodNameLabel] = name;
  labels[PodIndexLabel] = String(ordinal);
  labels[StatefulSetRevisionLabel] = revision;
  const metadata: PodObj['metadata'] = { name, namespace: set.metadata.namespace ?? 'default', labels, ownerReferences: [controllerRef(set)] };
  if (tmeta.annotations) metadata.annotations = { ...tmeta.annotations };
  if (tmeta.finalizers) metadata.finalizers = [...tmeta.finalizers];
  const spec = structuredClone(template.spec ?? { containers: [] }) as NonNullable<Pod['spec']>;
  spec.hostname = name;
  if (set.spec?.serviceName) spec.subdomain = set.spec.serviceName;
  spec.volumes = storageVolumes(set, ordinal, spec.volumes);
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec };
}

/** updateStorage: a PVC volume per claim template (template order), then the pod's other volumes. */
function storageVolumes(set: StatefulSet, ordinal: number, current: Volume[] | undefined): Volume[] | undefined {
  const templates = set.spec?.volumeClaimTemplates ?? [];
  if (templates.length === 0) return current;
  const names = new Set<string>();
  const out: Volume[] = [];
  for (const t of templates) {
    const tn = t.metadata?.name ?? '';
    names.add(tn);
    out.push({ name: tn, persistentVolumeClaim: { claimName: getPersistentVolumeClaimName(set, tn, ordinal) } });
  }
  for (const v of current ?? []) if (!names.has(v.name)) out.push(v);
  return out;
}

/** getPersistentVolumeClaims: the claims a pod of this ordinal uses, labelled with the set's selector labels. */
export function getPersistentVolumeClaims(set: Stored<SetObj>, ordinal: number): ClaimObj[] {
  return (set.spec?.volumeClaimTemplates ?? []).map((t) => {
    const claim = structuredClone(t) as ClaimObj;
    claim.apiVersion = 'v1';
    claim.kind = 'PersistentVolumeClaim';
    const meta = { ...(claim.metadata ?? {}) };
    meta.name = getPersistentVolumeClaimName(set, t.metadata?.name ?? '', ordinal);
    meta.namespace = set.metadata.namespace ?? 'default';
    meta.labels = { ...(meta.labels ?? {}), ...(set.spec?.selector?.matchLabels ?? {}) };
    claim.metadata = meta;
    delete (claim as { status?: unknown }).status;
    return claim;
  });
}

// ---- persistentVolumeClaimRetentionPolicy ----

export interface RetentionPolicy {
  whenDeleted: 'Retain' | 'Delete';
  whenScaled: 'Retain' | 'Delete';
}

export function getRetentionPolicy(set: StatefulSet): RetentionPolicy {
  const p = set.spec?.persistentVolumeClaimRetentionPolicy;
  return { whenDeleted: p?.whenDeleted === 'Delete' ? 'Delete' : 'Retain', whenScaled: p?.whenScaled === 'Delete' ? 'Delete' : 'Retain' };
}

function refersTo(ref: OwnerReference, owner: KObject): boolean {
  return ref.kind === owner.kind && ref.name === owner.metadata.name;
}

/**
 * updateClaimOwnerRefForSetAndPod: remove our refs to the set and pod, then
 * add a controller reference to the set (whenDeleted Delete, pod in range) or
 * to the pod (whenScaled Delete, pod scaled down). A claim controlled by
 * something else is left without our references.
 */
export function claimOwnerRefs(claim: PersistentVolumeClaim, set: Stored<SetObj>, pod: KObject): OwnerReference[] {
  const refs = claim.metadata?.ownerReferences ?? [];
  const unexpectedController = refs.some((r) => r.controller === true && r.uid !== set.metadata.uid && r.uid !== pod.metadata.uid);
  const out = refs.filter((r) => !refersTo(r, set) && !refersTo(r, pod));
  if (unexpectedController) return out;
  const policy = getRetentionPolicy(set);
  const scaledDown = !podInOrdinalRange(pod as Pod, set);
  if (policy.whenScaled === 'Delete' && scaledDown) out.push(controllerRef(pod));
  else if (policy.whenDeleted === 'Delete' && !scaledDown) out.push(controllerRef(set));
  return out;
}

export function sameRefs(a: readonly OwnerReference[] | undefined, b: readonly OwnerReference[]): boolean {
  const x = a ?? [];
  return x.length === b.length && x.every((r, i) => r.uid === b[i]!.uid && r.kind === b[i]!.kind && (r.controller ?? false) === (b[i]!.controller ?? false));
}

// ---- events (stateful_pod_control.go recordPodEvent / recordClaimEvent) ----

export function podEventMessage(verb: string, pod: string, set: string, err?: string): string {
  return err === undefined ? `${verb} Pod ${pod} in StatefulSet ${set} successful` : `${verb} Pod ${pod} in StatefulSet ${set} failed error: ${err}`;
}

export function claimEventMessage(verb: string, claim: string, pod: string, set: string, err?: string): string {
  return err === undefined ? `${verb} Claim ${claim} Pod ${pod} in StatefulSet ${set} success` : `${verb} Claim ${claim} Pod ${pod} in StatefulSet ${set} failed error: ${err}`;
}

/** Reason for an event: SuccessfulCreate / FailedCreate etc. (strings.ToUpper(verb[0:1]) + verb[1:]). */
export function eventReason(verb: string, failed: boolean): string {
  const v = verb.charAt(0).toUpperCase() + verb.slice(1);
  return failed ? `Failed${v}` : `Successful${v}`;
}
