/**
 * Resource-name classification, following k8s.io/kubernetes v1.31
 * pkg/apis/core/v1/helper (IsExtendedResourceName, IsNativeResource,
 * IsPrefixedNativeResource, IsHugePageResourceName) and
 * pkg/scheduler/util (IsScalarResourceName).
 */
import { isQualifiedName } from '../../../api/names.ts';

/** v1.ResourceDefaultNamespacePrefix */
const defaultNamespacePrefix = 'kubernetes.io/';
/** v1.DefaultResourceRequestsPrefix: quota's "requests.<name>" form. */
const requestsPrefix = 'requests.';

/** A resource in the kubernetes.io domain (or any subdomain of it). */
export function isPrefixedNativeResource(name: string): boolean {
  return name.includes(defaultNamespacePrefix);
}

/** Native: no domain at all (cpu, memory, hugepages-2Mi, ...) or kubernetes.io-prefixed. */
export function isNativeResource(name: string): boolean {
  return !name.includes('/') || isPrefixedNativeResource(name);
}

/**
 * Extended: domain-prefixed outside kubernetes.io, not "requests."-prefixed,
 * and a qualified name once quota's "requests." prefix is added.
 */
export function isExtendedResourceName(name: string): boolean {
  if (isNativeResource(name) || name.startsWith(requestsPrefix)) return false;
  return isQualifiedName(requestsPrefix + name).length === 0;
}

export function isHugePageResourceName(name: string): boolean {
  return name.startsWith('hugepages-');
}

export function isAttachableVolumeResourceName(name: string): boolean {
  return name.startsWith('attachable-volumes-');
}

/** schedutil.IsScalarResourceName: extended, hugepages, prefixed native or attachable volumes. */
export function isScalarResourceName(name: string): boolean {
  return (
    isExtendedResourceName(name) || isHugePageResourceName(name) || isPrefixedNativeResource(name) || isAttachableVolumeResourceName(name)
  );
}
