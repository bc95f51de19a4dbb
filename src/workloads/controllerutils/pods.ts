/**
 * Pod predicates and the pod a controller creates from its template, as
 * pkg/controller/controller_utils.go and pkg/api/v1/pod (podutil):
 *  - IsPodActive: not Succeeded, not Failed, not being deleted;
 *  - IsPodReady: the Ready condition is True;
 *  - IsPodAvailable: Ready for longer than minReadySeconds (strictly: the
 *    Ready condition's lastTransitionTime + minReadySeconds is before now;
 *    minReadySeconds 0 means available as soon as Ready);
 *  - GetPodFromTemplate: the template's labels, annotations, finalizers and
 *    spec, generateName "<owner>-" (or "<owner>" when the dashed prefix is not
 *    a valid name), and the controller reference. The API server generates
 *    the name (names.SimpleNameGenerator: base truncated to 58 characters + 5
 *    characters of "bcdfghjklmnpqrstvwxz2456789" from the seeded "names"
 *    stream, see src/sim/store.ts), as upstream, where the controller only
 *    sends generateName.
 */
import type { Pod, PodCondition, PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { KObject, OwnerReference, Stored, Time } from '../../sim/types.ts';
import { nameIsDNSSubdomain } from '../../api/names.ts';
import { cloneJson } from './clone.ts';

export type PodObj = Pod & KObject;

/** Converts an RFC3339 timestamp written by the store into virtual time. */
export type ParseTime = (rfc3339: string) => Time;

/** controller.PodKey / MetaNamespaceKeyFunc. */
export function podKey(p: { metadata?: { namespace?: string; name?: string } }): string {
  return `${p.metadata?.namespace ?? ''}/${p.metadata?.name ?? ''}`;
}

export function isPodActive(p: Pod): boolean {
  const phase = p.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !p.metadata?.deletionTimestamp;
}

/** FilterActivePods. */
export function filterActivePods<T extends Pod>(pods: readonly T[]): T[] {
  return pods.filter(isPodActive);
}

export function podReadyCondition(p: Pod): PodCondition | undefined {
  const conds = p.status?.conditions;
  if (!conds) return undefined;
  for (let i = 0; i < conds.length; i++) if (conds[i]!.type === 'Ready') return conds[i];
  return undefined;
}

export function isPodReady(p: Pod): boolean {
  return podReadyCondition(p)?.status === 'True';
}

/** IsPodAvailable(pod, minReadySeconds, now). */
export function isPodAvailable(p: Pod, minReadySeconds: number, now: Time, parseTime: ParseTime): boolean {
  const c = podReadyCondition(p);
  if (c?.status !== 'True') return false;
  if (minReadySeconds === 0) return true;
  if (!c.lastTransitionTime) return false;
  return parseTime(c.lastTransitionTime) + minReadySeconds * 1000 < now;
}

/**
 * When a Ready pod becomes available (virtual ms), for requeueing at that
 * moment: upstream requeues after minReadySeconds (+1 s) when a pod turns
 * Ready; this is the exact instant. Undefined when not Ready.
 */
export function podAvailableAt(p: Pod, minReadySeconds: number, parseTime: ParseTime): Time | undefined {
  const c = podReadyCondition(p);
  if (c?.status !== 'True') return undefined;
  if (minReadySeconds === 0 || !c.lastTransitionTime) return 0;
  // Available once now is strictly after lastTransitionTime + minReadySeconds.
  return parseTime(c.lastTransitionTime) + minReadySeconds * 1000 + 1;
}

/** The last answer of getPodsPrefix: a controller asks once per pod it creates (500 in a burst), always for its own name. */
let lastPrefixOf: string | undefined;
let lastPrefix = '';

/** getPodsPrefix: "<name>-" when that is a valid generateName prefix, else the bare name. */
export function getPodsPrefix(controllerName: string): string {
  if (controllerName === lastPrefixOf) return lastPrefix;
  const prefix = [controllerName, '-'].join(''); // flat: every pod keeps it as metadata.generateName
  lastPrefix = nameIsDNSSubdomain(prefix, true).length !== 0 ? controllerName : prefix;
  lastPrefixOf = controllerName;
  return lastPrefix;
}

/** GetPodFromTemplate. */
export function getPodFromTemplate(template: PodTemplateSpec, owner: KObject, controllerRef: OwnerReference | undefined): PodObj {
  const tm = template.metadata ?? {};
  const metadata: PodObj['metadata'] = { generateName: getPodsPrefix(owner.metadata.name ?? '') };
  if (owner.metadata.namespace) metadata.namespace = owner.metadata.namespace;
  if (tm.labels) metadata.labels = { ...tm.labels };
  if (tm.annotations) metadata.annotations = { ...tm.annotations };
  if (tm.finalizers) metadata.finalizers = [...tm.finalizers];
  if (controllerRef) metadata.ownerReferences = [{ ...controllerRef }];
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec: cloneJson(template.spec ?? { containers: [] }) as Pod['spec'] } as PodObj;
}

/** Pods that are Stored (frozen) still satisfy Pod. */
export type StoredPod = Stored<PodObj>;
