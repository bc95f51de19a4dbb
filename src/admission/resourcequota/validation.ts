/**
 * What ResourceQuota validation and the scenario loader say about spec.hard
 * names, following pkg/apis/core/validation ValidateResourceQuotaResourceName
 * and pkg/apis/core/helper IsStandardQuotaResourceName (newest release):
 * a name without a domain must be a standard quota resource
 * (`spec.hard[foo]: Invalid value: "foo": must be a standard resource for quota`).
 * A name with a domain is accepted by the API but counted only when an
 * evaluator tracks it (`requests.<extended>`, `count/<resource>.<group>`,
 * storage-class names); anything else is stored and never counted, which
 * ksim says in a warning rather than ignore silently.
 * Scopes (validateResourceQuotaScopes, validateScopedResourceSelectorRequirement):
 * unsupported and conflicting scopes, scopes applied to resources they cannot
 * select, and scope selector operators/values. Upstream prints slice and
 * struct values with Go's %#v; the details below carry that rendering.
 */
import type { ResourceQuota, ScopeSelector, ScopedResourceSelectorRequirement } from 'kubernetes-types/core/v1.js';
import type { FieldError } from '../../api/errors.ts';
import { KINDS } from '../../api/discovery.ts';
import { evaluatorFor } from './evaluators.ts';

const standardQuotaResources = new Set([
  'cpu',
  'memory',
  'ephemeral-storage',
  'requests.cpu',
  'requests.memory',
  'requests.storage',
  'requests.ephemeral-storage',
  'limits.cpu',
  'limits.memory',
  'limits.ephemeral-storage',
  'pods',
  'services',
  'replicationcontrollers',
  'resourcequotas',
  'secrets',
  'persistentvolumeclaims',
  'configmaps',
  'services.nodeports',
  'services.loadbalancers',
]);

/** IsStandardQuotaResourceName: the standard names and hugepages (bare or requests.). */
export function isStandardQuotaResourceName(name: string): boolean {
  return standardQuotaResources.has(name) || name.startsWith('hugepages-') || name.startsWith('requests.hugepages-');
}

/** ValidateResourceQuotaResourceName over spec.hard, names sorted. */
export function validateQuotaResourceNames(q: ResourceQuota): FieldError[] {
  const errs: FieldError[] = [];
  for (const name of Object.keys(q.spec?.hard ?? {}).sort()) {
    if (!name.includes('/') && !isStandardQuotaResourceName(name)) {
      errs.push({ path: `spec.hard[${name}]`, type: 'Invalid', value: name, detail: 'must be a standard resource for quota' });
    }
  }
  return errs;
}

/** Whether some evaluator counts this name. */
export function isTrackedQuotaResource(name: string): boolean {
  for (const kind of ['Pod', 'Service', 'PersistentVolumeClaim']) if (evaluatorFor(kind).matchingResources([name]).length > 0) return true;
  if (name.startsWith('count/')) {
    const gr = name.slice('count/'.length);
    return KINDS.some((k) => k.namespaced && (k.group ? `${k.resource}.${k.group}` : k.resource) === gr);
  }
  return ['configmaps', 'secrets', 'replicationcontrollers', 'resourcequotas'].includes(name);
}

/** Loader warnings: spec.hard names that are stored but never counted. */
export function quotaWarnings(q: ResourceQuota): string[] {
  const out: string[] = [];
  for (const name of Object.keys(q.spec?.hard ?? {}).sort()) {
    if (name.includes('/') && !isTrackedQuotaResource(name)) {
      out.push(`spec.hard[${name}] is not a resource any quota evaluator counts (extended resources are quoted as requests.<name>, object counts as count/<resource>.<group>): it is stored but never used`);
    }
  }
  return out;
}

const STANDARD_SCOPES = ['Terminating', 'NotTerminating', 'BestEffort', 'NotBestEffort', 'PriorityClass', 'CrossNamespacePodAffinity'];
const podObjectCount = new Set(['pods']);
const podCompute = new Set(['cpu', 'memory', 'limits.cpu', 'limits.memory', 'requests.cpu', 'requests.memory']);

/** IsResourceQuotaScopeValidForResource. */
export function scopeValidForResource(scope: string, resource: string): boolean {
  switch (scope) {
    case 'Terminating':
    case 'NotTerminating':
    case 'NotBestEffort':
    case 'PriorityClass':
    case 'CrossNamespacePodAffinity':
      return podObjectCount.has(resource) || podCompute.has(resource);
    case 'BestEffort':
      return podObjectCount.has(resource);
    default:
      return true;
  }
}

const goQuote = (s: string): string => JSON.stringify(s);
const goStrings = (type: string, v: readonly string[] | undefined): string => (v === undefined ? `${type}(nil)` : `${type}{${v.map(goQuote).join(', ')}}`);
/** %#v of a *core.ScopeSelector (field.Error dereferences pointers). */
function goScopeSelector(sel: ScopeSelector): string {
  const reqs = (sel.matchExpressions ?? []).map(
    (r: ScopedResourceSelectorRequirement) =>
      `core.ScopedResourceSelectorRequirement{ScopeName:${goQuote(r.scopeName)}, Operator:${goQuote(r.operator)}, Values:${goStrings('[]string', r.values)}}`,
  );
  return `core.ScopeSelector{MatchExpressions:${sel.matchExpressions === undefined ? '[]core.ScopedResourceSelectorRequirement(nil)' : `[]core.ScopedResourceSelectorRequirement{${reqs.join(', ')}}`}}`;
}

function conflicting(scopes: ReadonlySet<string>): boolean {
  return (scopes.has('BestEffort') && scopes.has('NotBestEffort')) || (scopes.has('Terminating') && scopes.has('NotTerminating'));
}

/** validateResourceQuotaScopes and validateScopeSelector. */
export function validateQuotaScopes(q: ResourceQuota): FieldError[] {
  const errs: FieldError[] = [];
  const hard = Object.keys(q.spec?.hard ?? {}).sort();
  const scopes = q.spec?.scopes ?? [];
  if (scopes.length > 0) {
    const shown = goStrings('[]core.ResourceQuotaScope', scopes);
    const invalid = (detail: string): FieldError => ({ path: 'spec.scopes', type: 'Invalid', detail: `${shown}: ${detail}` });
    for (const scope of scopes) {
      if (!STANDARD_SCOPES.includes(scope)) errs.push(invalid('unsupported scope'));
      for (const k of hard) if (isStandardQuotaResourceName(k) && !scopeValidForResource(scope, k)) errs.push(invalid('unsupported scope applied to resource'));
    }
    if (conflicting(new Set(scopes))) errs.push(invalid('conflicting scopes'));
  }
  const sel = q.spec?.scopeSelector;
  if (sel) {
    const base = 'spec.scopeSelector.matchExpressions';
    const shown = goScopeSelector(sel);
    const seen = new Set<string>();
    for (const r of sel.matchExpressions ?? []) {
      if (!STANDARD_SCOPES.includes(r.scopeName)) errs.push({ path: `${base}.scopeName`, type: 'Invalid', value: r.scopeName, detail: 'unsupported scope' });
      for (const k of hard) if (isStandardQuotaResourceName(k) && !scopeValidForResource(r.scopeName, k)) errs.push({ path: base, type: 'Invalid', detail: `${shown}: unsupported scope applied to resource` });
      if (['BestEffort', 'NotBestEffort', 'Terminating', 'NotTerminating', 'CrossNamespacePodAffinity'].includes(r.scopeName) && r.operator !== 'Exists') {
        errs.push({
          path: `${base}.operator`,
          type: 'Invalid',
          value: r.operator,
          detail: "must be 'Exist' when scope is any of ResourceQuotaScopeTerminating, ResourceQuotaScopeNotTerminating, ResourceQuotaScopeBestEffort, ResourceQuotaScopeNotBestEffort or ResourceQuotaScopeCrossNamespacePodAffinity",
        });
      }
      switch (r.operator) {
        case 'In':
        case 'NotIn':
          if ((r.values ?? []).length === 0) errs.push({ path: `${base}.values`, type: 'Required', detail: "must be at least one value when `operator` is 'In' or 'NotIn' for scope selector" });
          break;
        case 'Exists':
        case 'DoesNotExist':
          if ((r.values ?? []).length !== 0) errs.push({ path: `${base}.values`, type: 'Invalid', detail: `${goStrings('[]string', r.values)}: must be no value when \`operator\` is 'Exist' or 'DoesNotExist' for scope selector` });
          break;
        default:
          errs.push({ path: `${base}.operator`, type: 'Invalid', value: r.operator, detail: 'not a valid selector operator' });
      }
      seen.add(r.scopeName);
    }
    if (conflicting(seen)) errs.push({ path: base, type: 'Invalid', detail: `${shown}: conflicting scopes` });
  }
  return errs;
}
