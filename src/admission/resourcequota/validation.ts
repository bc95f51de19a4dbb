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
 */
import type { ResourceQuota } from 'kubernetes-types/core/v1';
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
