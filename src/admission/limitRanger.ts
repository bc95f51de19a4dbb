/**
 * The LimitRanger admission plugin, following
 * plugin/pkg/admission/limitranger/admission.go (newest release).
 *
 * Mutating (on Pod create): each LimitRange's `Container` item supplies
 * `default` (-> limits) and `defaultRequest` (-> requests) for every resource
 * a container or init container does not state; the pod is annotated
 * `kubernetes.io/limit-ranger: LimitRanger plugin set: cpu, memory request for
 * container app; cpu limit for init container setup`. (LimitRange defaulting
 * has already filled defaultRequest from default, and default from max; the
 * request of a container that states only a limit was defaulted from the
 * limit by Pod defaulting before admission.)
 *
 * Validating (Pod create, PersistentVolumeClaim create and update): `min`,
 * `max` and `maxLimitRequestRatio` of `Container` items against each
 * container's requests/limits, of `Pod` items against the sum of the
 * containers (upstream's podRequests/podLimits: init containers by KEP-753,
 * no overhead), and `PersistentVolumeClaim` min/max against
 * spec.resources.requests. Messages are upstream's, e.g.
 *   maximum memory usage per Container is 1Gi, but limit is 1536Mi
 *   minimum cpu usage per Pod is 200m, but request is 100m
 *   cpu max limit to request ratio per Container is 2, but provided ratio is 4.000000
 * The first LimitRange (by name) with violations rejects the request:
 * `pods "x" is forbidden: <message>`, several messages as "[a, b]".
 * Upstream walks Go maps here, so the order of several messages is random;
 * ksim walks resource names sorted.
 *
 * Pod-level resources (spec.resources, the PodLevelResources gate, alpha in
 * v1.32) are not part of v1.31 and not modelled. Pod updates are not limited
 * (upstream skips them: containers' resources are immutable there).
 */
import type { Container, LimitRange, LimitRangeItem, PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';
import type { AdmissionPlugin, AdmissionRequest, KObject, Stored } from '../sim/types.ts';
import { ApiError, aggregate } from '../sim/errors.ts';
import { Quantity } from '../api/quantity.ts';
import { podLimits, podRequests, type ResourceMap } from '../api/resources.ts';

export const LimitRangerAnnotation = 'kubernetes.io/limit-ranger';

type LimitRangeObj = LimitRange & KObject;
type Raw = Record<string, unknown>;

/** resource.MaxMilliValue: the largest value whose milli-value fits an int64. */
const MaxMilliValue = 9223372036854775807n / 1000n;

function sortedEntries(list: Raw | undefined): Array<[string, Quantity]> {
  const out: Array<[string, Quantity]> = [];
  for (const k of Object.keys(list ?? {}).sort()) {
    const q = Quantity.tryParse(list![k]);
    if (q !== undefined) out.push([k, q]);
  }
  return out;
}

function listMap(list: Raw | undefined): ResourceMap {
  return new Map(sortedEntries(list));
}

/** requestLimitEnforcedValues: compare in milli-units when nothing overflows, else in units. */
function enforcedValues(req: Quantity | undefined, lim: Quantity | undefined, enforced: Quantity): [bigint, bigint, bigint] {
  const r = req?.scaledValueBig(0) ?? 0n;
  const l = lim?.scaledValueBig(0) ?? 0n;
  const e = enforced.scaledValueBig(0);
  if (r <= MaxMilliValue && l <= MaxMilliValue && e <= MaxMilliValue) {
    return [req?.scaledValueBig(-3) ?? 0n, lim?.scaledValueBig(-3) ?? 0n, enforced.scaledValueBig(-3)];
  }
  return [r, l, e];
}

export function minConstraint(limitType: string, resource: string, enforced: Quantity, request: ResourceMap, limit: ResourceMap): string | undefined {
  const req = request.get(resource);
  const lim = limit.get(resource);
  const [r, l, e] = enforcedValues(req, lim, enforced);
  if (req === undefined) return `minimum ${resource} usage per ${limitType} is ${enforced.toString()}.  No request is specified`;
  if (r < e) return `minimum ${resource} usage per ${limitType} is ${enforced.toString()}, but request is ${req.toString()}`;
  if (lim !== undefined && l < e) return `minimum ${resource} usage per ${limitType} is ${enforced.toString()}, but limit is ${lim.toString()}`;
  return undefined;
}

export function maxConstraint(limitType: string, resource: string, enforced: Quantity, request: ResourceMap, limit: ResourceMap): string | undefined {
  const req = request.get(resource);
  const lim = limit.get(resource);
  const [r, l, e] = enforcedValues(req, lim, enforced);
  if (lim === undefined) return `maximum ${resource} usage per ${limitType} is ${enforced.toString()}.  No limit is specified`;
  if (l > e) return `maximum ${resource} usage per ${limitType} is ${enforced.toString()}, but limit is ${lim.toString()}`;
  if (req !== undefined && r > e) return `maximum ${resource} usage per ${limitType} is ${enforced.toString()}, but request is ${req.toString()}`;
  return undefined;
}

/** maxRequestConstraint: a claim's request against max (claims have no limits). */
export function maxRequestConstraint(limitType: string, resource: string, enforced: Quantity, request: ResourceMap): string | undefined {
  const req = request.get(resource);
  const [r, , e] = enforcedValues(req, undefined, enforced);
  if (req === undefined) return `maximum ${resource} usage per ${limitType} is ${enforced.toString()}.  No request is specified`;
  if (r > e) return `maximum ${resource} usage per ${limitType} is ${enforced.toString()}, but request is ${req.toString()}`;
  return undefined;
}

/** Go's %f: six decimals. */
function goFloat(v: number): string {
  return v.toFixed(6);
}

export function limitRequestRatioConstraint(limitType: string, resource: string, enforced: Quantity, request: ResourceMap, limit: ResourceMap): string | undefined {
  const req = request.get(resource);
  const lim = limit.get(resource);
  const [r, l] = enforcedValues(req, lim, enforced);
  if (req === undefined || r === 0n) return `${resource} max limit to request ratio per ${limitType} is ${enforced.toString()}, but no request is specified or request is 0`;
  if (lim === undefined || l === 0n) return `${resource} max limit to request ratio per ${limitType} is ${enforced.toString()}, but no limit is specified or limit is 0`;
  let observed = Number(l) / Number(r);
  const display = observed;
  let max = Number(enforced.scaledValueBig(0));
  if (enforced.scaledValueBig(0) <= MaxMilliValue) {
    observed *= 1000;
    max = Number(enforced.scaledValueBig(-3));
  }
  if (observed > max) return `${resource} max limit to request ratio per ${limitType} is ${enforced.toString()}, but provided ratio is ${goFloat(display)}`;
  return undefined;
}

/** defaultContainerResourceRequirements: the Container items' defaults merged (later items win). */
export function defaultContainerRequirements(lr: LimitRange): { requests: Raw; limits: Raw } {
  const requests: Raw = {};
  const limits: Raw = {};
  for (const item of lr.spec?.limits ?? []) {
    if (item.type !== 'Container') continue;
    Object.assign(requests, item.defaultRequest ?? {});
    Object.assign(limits, item.default ?? {});
  }
  return { requests, limits };
}

/** mergeContainerResources: fill what the container does not state; returns the annotation parts. */
function mergeContainer(c: Container, defaults: { requests: Raw; limits: Raw }, prefix: string, notes: string[]): void {
  const res = ((c as { resources?: { requests?: Raw; limits?: Raw } }).resources ??= {});
  const limits = (res.limits ??= {});
  const requests = (res.requests ??= {});
  const setLimits: string[] = [];
  const setRequests: string[] = [];
  for (const k of Object.keys(defaults.limits).sort()) {
    if (!(k in limits)) {
      limits[k] = defaults.limits[k];
      setLimits.push(k);
    }
  }
  for (const k of Object.keys(defaults.requests).sort()) {
    if (!(k in requests)) {
      requests[k] = defaults.requests[k];
      setRequests.push(k);
    }
  }
  // Upstream leaves the (empty) maps it created; the API drops empty maps when it serialises.
  if (Object.keys(limits).length === 0) delete res.limits;
  if (Object.keys(requests).length === 0) delete res.requests;
  if (setRequests.length > 0) notes.push(`${setRequests.join(', ')} request for ${prefix} ${c.name}`);
  if (setLimits.length > 0) notes.push(`${setLimits.join(', ')} limit for ${prefix} ${c.name}`);
}

/** PodMutateLimitFunc for one LimitRange. */
export function podMutateLimit(lr: LimitRange, pod: Pod): void {
  const defaults = defaultContainerRequirements(lr);
  if (Object.keys(defaults.requests).length === 0 && Object.keys(defaults.limits).length === 0) return;
  const notes: string[] = [];
  for (const c of pod.spec?.containers ?? []) mergeContainer(c, defaults, 'container', notes);
  for (const c of pod.spec?.initContainers ?? []) mergeContainer(c, defaults, 'init container', notes);
  if (notes.length === 0) return;
  const meta = pod.metadata as { annotations?: Record<string, string> };
  meta.annotations = { ...(meta.annotations ?? {}), [LimitRangerAnnotation]: `LimitRanger plugin set: ${notes.join('; ')}` };
}

function checkItem(type: string, item: LimitRangeItem, request: ResourceMap, limit: ResourceMap, errs: string[]): void {
  for (const [k, v] of sortedEntries(item.min as Raw)) {
    const e = minConstraint(type, k, v, request, limit);
    if (e) errs.push(e);
  }
  for (const [k, v] of sortedEntries(item.max as Raw)) {
    const e = maxConstraint(type, k, v, request, limit);
    if (e) errs.push(e);
  }
  for (const [k, v] of sortedEntries(item.maxLimitRequestRatio as Raw)) {
    const e = limitRequestRatioConstraint(type, k, v, request, limit);
    if (e) errs.push(e);
  }
}

/** PodValidateLimitFunc: the messages of every violation of one LimitRange. */
export function podValidateLimit(lr: LimitRange, pod: Pod): string[] {
  const errs: string[] = [];
  for (const item of lr.spec?.limits ?? []) {
    if (item.type === 'Container') {
      for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]) {
        checkItem(item.type, item, listMap(c.resources?.requests as Raw), listMap(c.resources?.limits as Raw), errs);
      }
    }
    if (item.type === 'Pod') {
      // PodRequests/PodLimits without overhead: the containers' aggregate, or the pod-level values
      // where spec.resources sets them (PodLevelResources; the API server drops the field while it is off).
      checkItem(item.type, item, podRequests(pod, { excludeOverhead: true }), podLimits(pod, { excludeOverhead: true }), errs);
    }
  }
  return errs;
}

/** PersistentVolumeClaimValidateLimitFunc. */
export function pvcValidateLimit(lr: LimitRange, pvc: PersistentVolumeClaim): string[] {
  const errs: string[] = [];
  const requests = listMap(pvc.spec?.resources?.requests as Raw);
  for (const item of lr.spec?.limits ?? []) {
    if (item.type !== 'PersistentVolumeClaim') continue;
    for (const [k, v] of sortedEntries(item.min as Raw)) {
      // A claim's limits are not user input: min is checked against the request only.
      const e = minConstraint(item.type, k, v, requests, new Map());
      if (e) errs.push(e);
    }
    for (const [k, v] of sortedEntries(item.max as Raw)) {
      const e = maxRequestConstraint(item.type, k, v, requests);
      if (e) errs.push(e);
    }
  }
  return errs;
}

/** SupportsAttributes: Pods (not on update) and PersistentVolumeClaims, main resource only. */
function supports(req: AdmissionRequest): boolean {
  if (req.subresource !== undefined || req.operation === 'DELETE') return false;
  if (req.kind === 'Pod') return req.operation === 'CREATE';
  return req.kind === 'PersistentVolumeClaim';
}

function limitRanges(req: AdmissionRequest): Stored<LimitRangeObj>[] {
  const ns = req.object.metadata.namespace;
  return ns ? req.store.list<LimitRangeObj>('LimitRange', ns) : [];
}

/** The mutating half: defaults (runs with the mutating plugins, after NamespaceLifecycle as upstream orders it). */
export const limitRangerMutatingAdmission: AdmissionPlugin = {
  name: 'LimitRanger',
  kinds: ['Pod'],
  mutate(req) {
    if (!supports(req)) return;
    for (const lr of limitRanges(req)) podMutateLimit(lr, req.object as Pod & KObject);
  },
};

/** The validating half: limits, after the object's own validation. */
export const limitRangerValidatingAdmission: AdmissionPlugin = {
  name: 'LimitRanger',
  kinds: ['Pod', 'PersistentVolumeClaim'],
  validate(req) {
    if (!supports(req)) return;
    for (const lr of limitRanges(req)) {
      const errs = req.kind === 'Pod' ? podValidateLimit(lr, req.object as Pod & KObject) : pvcValidateLimit(lr, req.object as PersistentVolumeClaim & KObject);
      if (errs.length > 0) throw ApiError.forbidden(req.kind, req.object.metadata.name || req.object.metadata.generateName || 'Unknown', aggregate(errs), req.object.apiVersion);
    }
  },
};
