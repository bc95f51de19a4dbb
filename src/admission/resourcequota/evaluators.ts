/**
 * Quota evaluators, following k8s.io/kubernetes/pkg/quota/v1/evaluator/core
 * (pods.go, services.go, persistent_volume_claims.go) and
 * k8s.io/apiserver/pkg/quota/v1/generic (object count, Matches,
 * CalculateUsageStats), newest release:
 *   - pods: cpu/memory/ephemeral-storage as bare, requests.* and limits.*
 *     names; requests.hugepages-*; requests.<extended resource>; "pods" for
 *     pods that are not terminal (and not stuck terminating past their
 *     grace period); count/pods for every stored pod. The cpu/memory
 *     "must specify" constraints, the scopes Terminating, NotTerminating,
 *     BestEffort, NotBestEffort, PriorityClass and CrossNamespacePodAffinity.
 *   - services: services, count/services, services.loadbalancers,
 *     services.nodeports (no scopes).
 *   - persistentvolumeclaims: persistentvolumeclaims, requests.storage,
 *     count/persistentvolumeclaims and the per-class
 *     "<class>.storageclass.storage.k8s.io/requests.storage" and
 *     ".../persistentvolumeclaims".
 *   - everything else: the generic object counter "count/<resource>.<group>"
 *     (and the legacy bare names of configmaps, secrets,
 *     replicationcontrollers and resourcequotas), charged on create only.
 * The evaluators are pure: admission hands them the incoming object, the
 * quota controller hands them the namespace's objects from its listers.
 */
import type { Container, PersistentVolumeClaim, Pod, PodAffinityTerm, ResourceQuota, ScopedResourceSelectorRequirement, Service, WeightedPodAffinityTerm } from 'kubernetes-types/core/v1.js';
import type { AdmissionOperation, KObject, Subresource } from '../../sim/types.ts';
import { Quantity } from '../../api/quantity.ts';
import { podLimits, podRequests, type ResourceMap } from '../../api/resources.ts';
import { getPodQOS } from '../../api/qos.ts';
import { isQualifiedName } from '../../api/names.ts';
import { newRequirement, selectorFromRequirements, type SelectionOperator } from '../../api/labels.ts';
import { qualifiedResource } from '../../sim/errors.ts';
import { parseRFC3339 } from '../../sim/time.ts';
import { addLists } from './resources.ts';

export const DefaultResourceRequestsPrefix = 'requests.';
export const ResourceHugePagesPrefix = 'hugepages-';
const StorageClassSuffix = '.storageclass.storage.k8s.io/';
const ImplicitExtendedResourcePrefix = 'deviceclass.resource.kubernetes.io/';

/** What an evaluator needs to know about "now" (QuotaV1Pod's stuck-terminating rule). */
export interface QuotaClock {
  /** Unix milliseconds of the current virtual time. */
  nowUnixMs: number;
}

export interface QuotaEvaluator {
  /** GroupResource.String(): "pods", "deployments.apps". */
  readonly groupResource: string;
  readonly kind: string;
  /** Whether admission charges this request. */
  handles(operation: AdmissionOperation, subresource: Subresource | undefined): boolean;
  /** The names of `input` this evaluator tracks. */
  matchingResources(input: readonly string[]): string[];
  /** Whether the object is in a scope (false for scopes the kind does not support). */
  matchesScope(selector: ScopedResourceSelectorRequirement, obj: KObject): boolean;
  /** A "must specify ..." error text, or undefined. */
  constraints(required: readonly string[], obj: KObject): string | undefined;
  usage(obj: KObject, clock?: QuotaClock): ResourceMap;
}

const one = (): Quantity => Quantity.fromValue(1);
const zero = (): Quantity => Quantity.zero();

/** quota.ObjectCountQuotaResourceNameFor: "count/<resource>.<group>". */
export function objectCountName(groupResource: string): string {
  return `count/${groupResource}`;
}

/** GetScopeSelectorsFromQuota: spec.scopes as Exists requirements, then spec.scopeSelector's expressions. */
export function scopeSelectorsOf(q: ResourceQuota): ScopedResourceSelectorRequirement[] {
  const out: ScopedResourceSelectorRequirement[] = (q.spec?.scopes ?? []).map((s) => ({ scopeName: s, operator: 'Exists' }));
  for (const e of q.spec?.scopeSelector?.matchExpressions ?? []) out.push(e);
  return out;
}

/** generic.Matches: the quota's status.hard names something this evaluator tracks, and every scope matches. */
export function quotaMatches(ev: QuotaEvaluator, q: ResourceQuota, obj: KObject): boolean {
  const hard = Object.keys(q.status?.hard ?? {});
  if (ev.matchingResources(hard).length === 0) return false;
  return scopeSelectorsOf(q).every((s) => ev.matchesScope(s, obj));
}

/** Every scope requirement matches (CalculateUsageStats' filter, with spec.scopes and the selector). */
export function matchesAllScopes(ev: QuotaEvaluator, selectors: readonly ScopedResourceSelectorRequirement[], obj: KObject): boolean {
  return selectors.every((s) => ev.matchesScope(s, obj));
}

// ---- resource name helpers (pkg/apis/core/helper) ----

/** IsNativeResource: no domain, or a kubernetes.io domain. */
export function isNativeResource(name: string): boolean {
  return !name.includes('/') || name.includes('kubernetes.io/');
}

/** IsExtendedResourceName: not native, not "requests.*", and "requests.<name>" is a qualified name. */
export function isExtendedResourceName(name: string): boolean {
  // Device-class backed extended resources (DRAExtendedResource, alpha in v1.34) count as extended.
  if (name.startsWith(ImplicitExtendedResourcePrefix)) return true;
  if (isNativeResource(name) || name.startsWith(DefaultResourceRequestsPrefix)) return false;
  return isQualifiedName(DefaultResourceRequestsPrefix + name).length === 0;
}

/** isExtendedResourceNameForQuota: only "requests.<extended>" quotas extended resources (no overcommit). */
export function isExtendedResourceNameForQuota(name: string): boolean {
  return !isNativeResource(name) && name.startsWith(DefaultResourceRequestsPrefix);
}

// ---- pods ----

const PodObjectCountName = objectCountName('pods');
const podResources = [
  'cpu',
  'memory',
  'ephemeral-storage',
  'requests.cpu',
  'requests.memory',
  'requests.ephemeral-storage',
  'limits.cpu',
  'limits.memory',
  'limits.ephemeral-storage',
  'pods',
  PodObjectCountName,
];
const podResourcePrefixes = ['requests.hugepages-'];
/** The names whose quota forces every container to state the resource (a backward-compatibility rule). */
const validationSet = new Set(['cpu', 'memory', 'requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory']);

/** podComputeUsageHelper. */
export function podComputeUsageHelper(requests: ResourceMap, limits: ResourceMap): ResourceMap {
  const result: ResourceMap = new Map();
  result.set('pods', one());
  const pair = (res: string): void => {
    const r = requests.get(res);
    if (r !== undefined) {
      result.set(res, r);
      result.set(`requests.${res}`, r);
    }
    const l = limits.get(res);
    if (l !== undefined) result.set(`limits.${res}`, l);
  };
  pair('cpu');
  pair('memory');
  pair('ephemeral-storage');
  for (const [name, q] of [...requests].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (name.startsWith(ResourceHugePagesPrefix)) {
      result.set(name, q);
      result.set(DefaultResourceRequestsPrefix + name, q);
    }
    // Only "requests.<name>" quota objects are allowed for extended resources.
    if (isExtendedResourceName(name)) result.set(DefaultResourceRequestsPrefix + name, q);
  }
  return result;
}

function listOf(v: Record<string, unknown> | undefined): ResourceMap {
  const out: ResourceMap = new Map();
  for (const [k, raw] of Object.entries(v ?? {})) {
    const q = Quantity.tryParse(raw);
    if (q !== undefined) out.set(k, q);
  }
  return out;
}

/** QuotaV1Pod: terminal pods, and pods stuck terminating past their grace period, are not charged compute resources. */
export function quotaV1Pod(pod: Pod, clock?: QuotaClock): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Failed' || phase === 'Succeeded') return false;
  const meta = pod.metadata;
  if (clock && meta?.deletionTimestamp && meta.deletionGracePeriodSeconds !== undefined && meta.deletionGracePeriodSeconds !== null) {
    const deletion = parseRFC3339(meta.deletionTimestamp);
    if (clock.nowUnixMs > deletion + meta.deletionGracePeriodSeconds * 1000) return false;
  }
  return true;
}

/** PodUsageFunc. */
export function podUsage(pod: Pod, clock?: QuotaClock): ResourceMap {
  // count/pods tracks every stored pod; "pods" and compute resources only the live ones.
  const result: ResourceMap = new Map([[PodObjectCountName, one()]]);
  if (!quotaV1Pod(pod, clock)) return result;
  return addLists(result, podComputeUsageHelper(podRequests(pod), podLimits(pod)));
}

function isTerminating(pod: Pod): boolean {
  const ads = pod.spec?.activeDeadlineSeconds;
  return ads !== undefined && ads !== null && ads >= 0;
}

function crossNamespaceTerm(t: PodAffinityTerm | undefined): boolean {
  if (!t) return false;
  return (t.namespaces?.length ?? 0) !== 0 || (t.namespaceSelector !== undefined && t.namespaceSelector !== null);
}

/** usesCrossNamespacePodAffinity: a pod (anti-)affinity term naming namespaces or a namespace selector. */
export function usesCrossNamespacePodAffinity(pod: Pod): boolean {
  const a = pod.spec?.affinity;
  if (!a) return false;
  for (const pa of [a.podAffinity, a.podAntiAffinity]) {
    if (!pa) continue;
    if ((pa.requiredDuringSchedulingIgnoredDuringExecution ?? []).some(crossNamespaceTerm)) return true;
    if ((pa.preferredDuringSchedulingIgnoredDuringExecution ?? []).some((w: WeightedPodAffinityTerm) => crossNamespaceTerm(w.podAffinityTerm))) return true;
  }
  return false;
}

const SCOPE_OPERATORS: Record<string, SelectionOperator> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' };

/**
 * podMatchesSelector: the requirement as a label selector over the one-entry
 * set {PriorityClass: <spec.priorityClassName>} (so DoesNotExist never
 * matches: the key is always present, as upstream).
 */
function podMatchesSelector(pod: Pod, sel: ScopedResourceSelectorRequirement): boolean {
  const op = SCOPE_OPERATORS[sel.operator];
  if (op === undefined) throw new Error(`${sel.operator} is not a valid pod selector operator`);
  const req = newRequirement(sel.scopeName, op, op === 'in' || op === 'notin' ? (sel.values ?? []) : []);
  return selectorFromRequirements([req]).matches({ [sel.scopeName]: pod.spec?.priorityClassName ?? '' });
}

/** podMatchesScopeFunc. */
export function podMatchesScope(sel: ScopedResourceSelectorRequirement, pod: Pod): boolean {
  switch (sel.scopeName) {
    case 'Terminating':
      return isTerminating(pod);
    case 'NotTerminating':
      return !isTerminating(pod);
    case 'BestEffort':
      return getPodQOS(pod) === 'BestEffort';
    case 'NotBestEffort':
      return getPodQOS(pod) !== 'BestEffort';
    case 'PriorityClass':
      // Exists only asks whether the pod names a class at all.
      if (sel.operator === 'Exists') return (pod.spec?.priorityClassName ?? '') !== '';
      return podMatchesSelector(pod, sel);
    case 'CrossNamespacePodAffinity':
      return usesCrossNamespacePodAffinity(pod);
    default:
      return false;
  }
}

/** The container's own usage names, for the must-specify rule (enforcePodContainerConstraints). */
function containerUsageNames(c: Container): Set<string> {
  const u = podComputeUsageHelper(listOf(c.resources?.requests as Record<string, unknown>), listOf(c.resources?.limits as Record<string, unknown>));
  return new Set(u.keys());
}

/** podEvaluator.Constraints: "must specify limits.cpu for: a,b; limits.memory for: a". */
export function podConstraints(required: readonly string[], pod: Pod): string | undefined {
  const requiredSet = required.filter((r) => validationSet.has(r));
  if (requiredSet.length === 0) return undefined;
  const missing = new Map<string, Set<string>>();
  for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]) {
    const have = containerUsageNames(c);
    for (const r of requiredSet) {
      if (have.has(r)) continue;
      let names = missing.get(r);
      if (!names) missing.set(r, (names = new Set()));
      names.add(c.name);
    }
  }
  if (missing.size === 0) return undefined;
  const parts = [...missing.keys()].sort().map((r) => `${r} for: ${[...missing.get(r)!].sort().join(',')}`);
  return `must specify ${parts.join('; ')}`;
}

export const podEvaluator: QuotaEvaluator = {
  groupResource: 'pods',
  kind: 'Pod',
  // Pods are charged when created (the resize subresource, InPlacePodVerticalScaling, is not modelled).
  handles: (op, sub) => sub === undefined && op === 'CREATE',
  matchingResources(input) {
    const out = input.filter((r) => podResources.includes(r));
    for (const r of input) {
      if (podResourcePrefixes.some((p) => r.startsWith(p))) out.push(r);
      else if (isExtendedResourceNameForQuota(r)) out.push(r);
    }
    return out;
  },
  matchesScope: (sel, obj) => podMatchesScope(sel, obj as Pod),
  constraints: (required, obj) => podConstraints(required, obj as Pod),
  usage: (obj, clock) => podUsage(obj as Pod, clock),
};

// ---- services ----

const ServiceObjectCountName = objectCountName('services');
const serviceResources = ['services', ServiceObjectCountName, 'services.nodeports', 'services.loadbalancers'];

/** serviceEvaluator.Usage. */
export function serviceUsage(svc: Service): ResourceMap {
  const ports = svc.spec?.ports?.length ?? 0;
  const result: ResourceMap = new Map([
    [ServiceObjectCountName, one()],
    ['services', one()],
    ['services.loadbalancers', zero()],
    ['services.nodeports', zero()],
  ]);
  switch (svc.spec?.type) {
    case 'NodePort':
      result.set('services.nodeports', Quantity.fromValue(ports));
      break;
    case 'LoadBalancer':
      result.set('services.loadbalancers', one());
      // Node ports count only when the load balancer allocates them (the default).
      if (svc.spec.allocateLoadBalancerNodePorts !== false) result.set('services.nodeports', Quantity.fromValue(ports));
      break;
  }
  return result;
}

export const serviceEvaluator: QuotaEvaluator = {
  groupResource: 'services',
  kind: 'Service',
  handles: (op, sub) => sub === undefined && (op === 'CREATE' || op === 'UPDATE'),
  matchingResources: (input) => input.filter((r) => serviceResources.includes(r)),
  matchesScope: () => false,
  constraints: () => undefined,
  usage: (obj) => serviceUsage(obj as Service),
};

// ---- persistent volume claims ----

const PvcObjectCountName = objectCountName('persistentvolumeclaims');
const pvcResources = ['persistentvolumeclaims', 'requests.storage'];

/** storagehelpers.GetPersistentVolumeClaimClass: the beta annotation first, then spec.storageClassName. */
export function claimClass(pvc: PersistentVolumeClaim): string {
  const ann = pvc.metadata?.annotations?.['volume.beta.kubernetes.io/storage-class'];
  if (ann !== undefined) return ann;
  return pvc.spec?.storageClassName ?? '';
}

/** pvcEvaluator.Usage; the storage request is rounded up to a whole unit (RoundUp(0)). */
export function pvcUsage(pvc: PersistentVolumeClaim): ResourceMap {
  const result: ResourceMap = new Map([
    ['persistentvolumeclaims', one()],
    [PvcObjectCountName, one()],
  ]);
  const cls = claimClass(pvc);
  if (cls !== '') result.set(`${cls}${StorageClassSuffix}persistentvolumeclaims`, one());
  const raw = (pvc.spec?.resources?.requests as Record<string, unknown> | undefined)?.['storage'];
  const req = raw === undefined ? undefined : Quantity.tryParse(raw);
  if (req !== undefined) {
    const whole = Quantity.fromValue(req.value(), req.format);
    const rounded = whole.equals(req) ? req : whole;
    result.set('requests.storage', rounded);
    if (cls !== '') result.set(`${cls}${StorageClassSuffix}requests.storage`, rounded);
  }
  return result;
}

export const pvcEvaluator: QuotaEvaluator = {
  groupResource: 'persistentvolumeclaims',
  kind: 'PersistentVolumeClaim',
  handles: (op, sub) => sub === undefined && (op === 'CREATE' || op === 'UPDATE'),
  matchingResources(input) {
    const out: string[] = [];
    for (const r of input) {
      if (r === PvcObjectCountName || pvcResources.includes(r)) out.push(r);
      else if (pvcResources.some((p) => r.endsWith(StorageClassSuffix + p))) out.push(r);
    }
    return out;
  },
  matchesScope: () => false,
  constraints: () => undefined,
  usage: (obj) => pvcUsage(obj as PersistentVolumeClaim),
};

// ---- generic object counts ----

/** Legacy bare names that count objects (pkg/quota/v1/evaluator/core/registry.go). */
const LEGACY_COUNT_NAMES: Record<string, string> = {
  configmaps: 'configmaps',
  secrets: 'secrets',
  replicationcontrollers: 'replicationcontrollers',
  resourcequotas: 'resourcequotas',
};

/** generic.NewObjectCountEvaluator: count/<resource>.<group> (and the legacy alias), on create. */
export function objectCountEvaluator(kind: string, apiVersion?: string): QuotaEvaluator {
  const gr = qualifiedResource(kind, apiVersion);
  const names = [objectCountName(gr)];
  const alias = LEGACY_COUNT_NAMES[gr];
  if (alias) names.push(alias);
  return {
    groupResource: gr,
    kind,
    handles: (op, sub) => sub === undefined && op === 'CREATE',
    matchingResources: (input) => input.filter((r) => names.includes(r)),
    matchesScope: () => false,
    constraints: () => undefined,
    usage: () => new Map(names.map((n) => [n, one()])),
  };
}

const counters = new Map<string, QuotaEvaluator>();

/** The evaluator for a kind: the three core ones, else a (memoised) object counter. */
export function evaluatorFor(kind: string, apiVersion?: string): QuotaEvaluator {
  switch (kind) {
    case 'Pod':
      return podEvaluator;
    case 'Service':
      return serviceEvaluator;
    case 'PersistentVolumeClaim':
      return pvcEvaluator;
  }
  const key = `${kind}|${apiVersion ?? ''}`;
  let ev = counters.get(key);
  if (!ev) counters.set(key, (ev = objectCountEvaluator(kind, apiVersion)));
  return ev;
}
