/**
 * The volume rules the PV controller and the scheduler's volume plugins share,
 * as upstream shares them in k8s.io/component-helpers/storage/volume
 * (GetPersistentVolumeClaimClass, GetPersistentVolumeClass,
 * IsVolumeBoundToClaim, CheckVolumeModeMismatches, CheckAccessModes) and
 * their storage quantities. Each actor keeps its own FindMatchingVolume path
 * (the controller's without a node, the scheduler's node-aware one), built on these.
 */
import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import { Quantity } from './quantity.ts';

/** The deprecated class annotation, which wins over spec.storageClassName when present. */
export const BetaStorageClassAnnotation = 'volume.beta.kubernetes.io/storage-class';

/** GetPersistentVolumeClaimClass. */
export function getPersistentVolumeClaimClass(pvc: PersistentVolumeClaim): string {
  const ann = pvc.metadata?.annotations?.[BetaStorageClassAnnotation];
  if (ann !== undefined) return ann;
  return pvc.spec?.storageClassName ?? '';
}

/** GetPersistentVolumeClass. */
export function getPersistentVolumeClass(pv: PersistentVolume): string {
  const ann = pv.metadata?.annotations?.[BetaStorageClassAnnotation];
  if (ann !== undefined) return ann;
  return pv.spec?.storageClassName ?? '';
}

/** IsVolumeBoundToClaim: the volume's claimRef names the claim (and its uid, when the ref has one). */
export function isVolumeBoundToClaim(pv: PersistentVolume, pvc: PersistentVolumeClaim): boolean {
  const ref = pv.spec?.claimRef;
  if (!ref) return false;
  if ((pvc.metadata?.name ?? '') !== (ref.name ?? '') || (pvc.metadata?.namespace ?? '') !== (ref.namespace ?? '')) return false;
  if (ref.uid && pvc.metadata?.uid !== ref.uid) return false;
  return true;
}

/** The `storage` entry of a ResourceList; absent or unparseable is zero (validation rejects the latter). */
export function storageOf(m: Readonly<Record<string, string | number>> | undefined): Quantity {
  const v = m?.['storage'];
  if (v === undefined) return Quantity.zero();
  return Quantity.tryParse(v) ?? Quantity.zero();
}

/** The storage a claim requests. */
export function claimRequest(pvc: PersistentVolumeClaim): Quantity {
  return storageOf(pvc.spec?.resources?.requests as Record<string, string> | undefined);
}

/** The storage a volume offers. */
export function volumeCapacity(pv: PersistentVolume): Quantity {
  return storageOf(pv.spec?.capacity as Record<string, string> | undefined);
}

/** CheckVolumeModeMismatches: Filesystem unless set, on both sides. */
export function checkVolumeModeMismatches(pvc: PersistentVolumeClaim, pv: PersistentVolume): boolean {
  return (pvc.spec?.volumeMode ?? 'Filesystem') !== (pv.spec?.volumeMode ?? 'Filesystem');
}

/** CheckAccessModes: the volume offers every mode the claim asks for. */
export function checkAccessModes(pvc: PersistentVolumeClaim, pv: PersistentVolume): boolean {
  const have = new Set(pv.spec?.accessModes ?? []);
  for (const m of pvc.spec?.accessModes ?? []) if (!have.has(m)) return false;
  return true;
}
