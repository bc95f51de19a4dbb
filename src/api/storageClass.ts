/**
 * The default StorageClass rule, following pkg/volume/util/storageclass.go
 * GetDefaultClass (newest upstream): of the classes annotated
 * `storageclass.kubernetes.io/is-default-class: "true"` (or the beta
 * annotation), the most recently created wins, ties broken by name. Read by
 * the DefaultStorageClass admission plugin and by the PV controller
 * (RetroactiveDefaultStorageClass).
 */
import type { StorageClass } from 'kubernetes-types/storage/v1.js';

export const AnnDefaultStorageClass = 'storageclass.kubernetes.io/is-default-class';
export const AnnBetaDefaultStorageClass = 'storageclass.beta.kubernetes.io/is-default-class';

export function isDefaultStorageClass(sc: StorageClass): boolean {
  const ann = sc.metadata?.annotations;
  return ann?.[AnnDefaultStorageClass] === 'true' || ann?.[AnnBetaDefaultStorageClass] === 'true';
}

export function getDefaultClass<T extends StorageClass>(classes: readonly T[]): T | undefined {
  const defaults = classes.filter(isDefaultStorageClass);
  defaults.sort((a, b) => {
    const ta = a.metadata?.creationTimestamp ?? '';
    const tb = b.metadata?.creationTimestamp ?? '';
    if (ta === tb) return (a.metadata?.name ?? '') < (b.metadata?.name ?? '') ? -1 : (a.metadata?.name ?? '') > (b.metadata?.name ?? '') ? 1 : 0;
    return ta > tb ? -1 : 1;
  });
  return defaults[0];
}
