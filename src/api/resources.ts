/**
 * Pod resource arithmetic, following k8s.io/component-helpers/resource
 * (PodRequests, PodLimits, AggregateContainerRequests/Limits), v1.35:
 *
 *   - regular containers are summed;
 *   - a restartable init container (a "sidecar", restartPolicy: Always) keeps running,
 *     so it adds to that sum;
 *   - a regular init container runs alone next to the sidecars started before it, so
 *     it needs (its own resources + those sidecars'); the pod needs the max of that
 *     over all init containers and the running sum (KEP-753);
 *   - pod overhead is added to every request, and to limits that are set and non-zero.
 *
 * Pod-level resources (spec.resources; the PodLevelResources gate, alpha in v1.32,
 * beta and on since v1.34): for the resources that may be set at pod level (cpu and
 * memory, IsSupportedPodLevelResource), a pod-level request or limit replaces the
 * containers' aggregate, as PodRequests/PodLimits do. The gate is honoured where
 * upstream honours it for stored objects: the API server drops spec.resources from
 * new pods while the gate is off (admission/dropDisabledFields.ts), so a stored pod
 * with spec.resources always means it. In-place resize status is not modelled.
 */
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import { FieldErrorList, fieldPath, type FieldError } from './errors.ts';
import { Quantity, quantityFieldError } from './quantity.ts';

export type ResourceMap = Map<string, Quantity>;

export interface PodResourcesOptions {
  /** ExcludeOverhead: leave spec.overhead out (kubelet cgroup sizing does this). */
  excludeOverhead?: boolean;
  /**
   * NonMissingContainerRequests: a value to use for each named resource a container
   * does not request at all (an explicit 0 stays 0). The scheduler uses this for its
   * "non-zero" requests (100m cpu, 200Mi memory).
   */
  nonMissingContainerRequests?: ResourceMap;
}

type ResourceList = Record<string, string | number> | undefined;

/** Parse a ResourceList into a ResourceMap; a malformed quantity is a FieldErrorList with its path. */
export function resourceListToMap(list: ResourceList | null, path = ''): ResourceMap {
  const out: ResourceMap = new Map();
  if (!list) return out;
  const errs: FieldError[] = [];
  for (const [name, raw] of Object.entries(list)) {
    const q = Quantity.tryParse(raw);
    if (q === undefined) {
      const e = quantityFieldError(raw, fieldPath.key(path || 'resources', name));
      if (e) errs.push(e);
      continue;
    }
    out.set(name, q);
  }
  if (errs.length > 0) throw new FieldErrorList(errs);
  return out;
}

/** Canonical strings for a ResourceMap, sorted by resource name (for status fields and output). */
export function resourceMapToList(m: ResourceMap): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of [...m.keys()].sort()) out[k] = m.get(k)!.toString();
  return out;
}

/** addResourceList: list[name] += q for every entry of add. */
export function addResources(list: ResourceMap, add: ResourceMap): void {
  for (const [name, q] of add) {
    const cur = list.get(name);
    list.set(name, cur === undefined ? q : cur.add(q));
  }
}

/** maxResourceList: list[name] = max(list[name], q) for every entry of other. */
export function maxResources(list: ResourceMap, other: ResourceMap): void {
  for (const [name, q] of other) {
    const cur = list.get(name);
    if (cur === undefined || q.cmp(cur) > 0) list.set(name, q);
  }
}

/** The container's own requests (spec), as a ResourceMap. */
export function containerRequests(c: Container, path = ''): ResourceMap {
  return resourceListToMap(c.resources?.requests as ResourceList, fieldPath.child(fieldPath.child(path, 'resources'), 'requests'));
}

/** The container's own limits (spec), as a ResourceMap. */
export function containerLimits(c: Container, path = ''): ResourceMap {
  return resourceListToMap(c.resources?.limits as ResourceList, fieldPath.child(fieldPath.child(path, 'resources'), 'limits'));
}

export function isRestartableInitContainer(c: Container): boolean {
  return c.restartPolicy === 'Always';
}

/** applyNonMissing: fill in resources the container does not mention at all. */
function applyNonMissing(reqs: ResourceMap, nonMissing: ResourceMap): ResourceMap {
  const out: ResourceMap = new Map(reqs);
  for (const [k, v] of nonMissing) if (!reqs.has(k)) out.set(k, v);
  return out;
}

/** The KEP-753 aggregation shared by requests and limits. */
function aggregate(pod: Pod, get: (c: Container, path: string) => ResourceMap, nonMissing?: ResourceMap): ResourceMap {
  const result: ResourceMap = new Map();
  const spec = pod.spec;
  if (!spec) return result;
  (spec.containers ?? []).forEach((c, i) => {
    let r = get(c, fieldPath.index('spec.containers', i));
    if (nonMissing && nonMissing.size > 0) r = applyNonMissing(r, nonMissing);
    addResources(result, r);
  });
  const sidecars: ResourceMap = new Map();
  const initMax: ResourceMap = new Map();
  (spec.initContainers ?? []).forEach((c, i) => {
    let r = get(c, fieldPath.index('spec.initContainers', i));
    if (nonMissing && nonMissing.size > 0) r = applyNonMissing(r, nonMissing);
    let use: ResourceMap;
    if (isRestartableInitContainer(c)) {
      // A sidecar keeps running: it joins the steady-state sum, and every later
      // init container runs next to it.
      addResources(result, r);
      addResources(sidecars, r);
      use = new Map(sidecars);
    } else {
      use = new Map(r);
      addResources(use, sidecars);
    }
    maxResources(initMax, use);
  });
  maxResources(result, initMax);
  return result;
}

/** AggregateContainerRequests (no overhead). */
export function aggregateContainerRequests(pod: Pod, opts: PodResourcesOptions = {}): ResourceMap {
  return aggregate(pod, containerRequests, opts.nonMissingContainerRequests);
}

/** AggregateContainerLimits (no overhead). */
export function aggregateContainerLimits(pod: Pod): ResourceMap {
  return aggregate(pod, containerLimits);
}

/** Resources a pod may set at pod level (IsSupportedPodLevelResource). */
export const POD_LEVEL_RESOURCES: ReadonlySet<string> = new Set(['cpu', 'memory']);

/** spec.resources.requests|limits, restricted to the supported pod-level resources. */
export function podLevelResources(pod: Pod, which: 'requests' | 'limits'): ResourceMap {
  const out: ResourceMap = new Map();
  const list = (pod.spec as { resources?: { requests?: ResourceList; limits?: ResourceList } } | undefined)?.resources?.[which];
  if (!list) return out;
  for (const [name, q] of resourceListToMap(list, `spec.resources.${which}`)) if (POD_LEVEL_RESOURCES.has(name)) out.set(name, q);
  return out;
}

/**
 * The pod-level requests in effect, with upstream's defaulting of a request
 * from the pod-level limit (defaultPodRequests): a resource with a pod-level
 * limit and no pod-level request gets the containers' aggregate request when
 * some container requests it, else the limit.
 */
function effectivePodLevelRequests(pod: Pod, aggregated: ResourceMap): ResourceMap {
  const reqs = podLevelResources(pod, 'requests');
  for (const [name, limit] of podLevelResources(pod, 'limits')) {
    if (reqs.has(name)) continue;
    reqs.set(name, aggregated.get(name) ?? limit);
  }
  return reqs;
}

/** PodRequests: the pod's effective requests, plus spec.overhead unless excluded. */
export function podRequests(pod: Pod, opts: PodResourcesOptions = {}): ResourceMap {
  const reqs = aggregateContainerRequests(pod, opts);
  if (pod.spec && (pod.spec as { resources?: unknown }).resources) {
    // Pod-level values replace the aggregate (the non-missing defaults only fill what they leave).
    for (const [name, q] of effectivePodLevelRequests(pod, aggregateContainerRequests(pod))) reqs.set(name, q);
  }
  if (!opts.excludeOverhead && pod.spec?.overhead) {
    addResources(reqs, resourceListToMap(pod.spec.overhead as ResourceList, 'spec.overhead'));
  }
  return reqs;
}

/**
 * PodLimits: the pod's effective limits; overhead is added only to limits that are
 * set and non-zero (an unset limit means unbounded, and stays so).
 */
export function podLimits(pod: Pod, opts: Pick<PodResourcesOptions, 'excludeOverhead'> = {}): ResourceMap {
  const limits = aggregateContainerLimits(pod);
  for (const [name, q] of podLevelResources(pod, 'limits')) limits.set(name, q);
  if (!opts.excludeOverhead && pod.spec?.overhead) {
    for (const [name, q] of resourceListToMap(pod.spec.overhead as ResourceList, 'spec.overhead')) {
      const cur = limits.get(name);
      if (cur !== undefined && !cur.isZero()) limits.set(name, cur.add(q));
    }
  }
  return limits;
}
