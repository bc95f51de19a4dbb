/**
 * Claim-to-volume matching as the PV controller does it, following
 * k8s.io/component-helpers/storage/volume (FindMatchingVolume,
 * IsVolumeBoundToClaim, CheckVolumeModeMismatches, GetPersistentVolumeClass,
 * GetPersistentVolumeClaimClass) and pkg/controller/volume/persistentvolume
 * index.go (findByClaim over access-mode groups), newest upstream:
 *  - a volume pre-bound to the claim (claimRef naming it) wins, even for a
 *    WaitForFirstConsumer class;
 *  - otherwise, unless binding is delayed (WaitForFirstConsumer: the
 *    scheduler binds), the smallest Available volume of the claim's class
 *    whose capacity covers the request, whose volumeMode equals the claim's
 *    and whose labels match the claim's selector;
 *  - volumes are tried in groups by their access-mode sets that contain
 *    every mode the claim asks for, groups with fewer modes first, so a
 *    ReadWriteOnce claim prefers a ReadWriteOnce volume to a
 *    ReadWriteOnce+ReadOnlyMany one of the same size.
 * (The scheduler carries its own copy of FindMatchingVolume for its
 * node-aware path; controllers may not import the scheduler.)
 */
import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1';
import type { KObject, Stored } from '../../sim/types.ts';
import { Quantity } from '../../api/quantity.ts';
import { labelSelectorAsSelector, type Selector } from '../../api/labels.ts';

export type PVObj = PersistentVolume & KObject;
export type PVCObj = PersistentVolumeClaim & KObject;

export const BetaStorageClassAnnotation = 'volume.beta.kubernetes.io/storage-class';

export function getClaimClass(pvc: PersistentVolumeClaim): string {
  const ann = pvc.metadata?.annotations?.[BetaStorageClassAnnotation];
  if (ann !== undefined) return ann;
  return pvc.spec?.storageClassName ?? '';
}

/** The claim names no class at all (nil storageClassName and no beta annotation): the default class may be given. */
export function claimHasNoClass(pvc: PersistentVolumeClaim): boolean {
  return pvc.metadata?.annotations?.[BetaStorageClassAnnotation] === undefined && (pvc.spec?.storageClassName === undefined || pvc.spec?.storageClassName === null);
}

export function getVolumeClass(pv: PersistentVolume): string {
  const ann = pv.metadata?.annotations?.[BetaStorageClassAnnotation];
  if (ann !== undefined) return ann;
  return pv.spec?.storageClassName ?? '';
}

export function isVolumeBoundToClaim(pv: PersistentVolume, pvc: PersistentVolumeClaim): boolean {
  const ref = pv.spec?.claimRef;
  if (!ref) return false;
  if ((pvc.metadata?.name ?? '') !== (ref.name ?? '') || (pvc.metadata?.namespace ?? '') !== (ref.namespace ?? '')) return false;
  if (ref.uid && pvc.metadata?.uid !== ref.uid) return false;
  return true;
}

export function storageOf(m: Readonly<Record<string, string | number>> | undefined): Quantity {
  const v = m?.['storage'];
  if (v === undefined) return Quantity.zero();
  return Quantity.tryParse(v) ?? Quantity.zero();
}

export function claimRequest(pvc: PersistentVolumeClaim): Quantity {
  return storageOf(pvc.spec?.resources?.requests as Record<string, string> | undefined);
}

export function volumeCapacity(pv: PersistentVolume): Quantity {
  return storageOf(pv.spec?.capacity as Record<string, string> | undefined);
}

function volumeModeMismatch(pvc: PersistentVolumeClaim, pv: PersistentVolume): boolean {
  return (pvc.spec?.volumeMode ?? 'Filesystem') !== (pv.spec?.volumeMode ?? 'Filesystem');
}

/** volume.FindMatchingVolume with no node (the PV controller's path). Throws on a bad claim selector. */
export function findMatchingVolume(pvc: PersistentVolumeClaim, volumes: readonly Stored<PVObj>[], delayBinding: boolean): Stored<PVObj> | undefined {
  const requested = claimRequest(pvc);
  const requestedClass = getClaimClass(pvc);
  let selector: Selector | undefined;
  if (pvc.spec?.selector) selector = labelSelectorAsSelector(pvc.spec.selector);
  let smallest: Stored<PVObj> | undefined;
  let smallestQty: Quantity | undefined;
  for (const pv of volumes) {
    if (pv.spec?.claimRef && !isVolumeBoundToClaim(pv, pvc)) continue;
    const qty = volumeCapacity(pv);
    if (qty.cmp(requested) < 0) continue;
    if (volumeModeMismatch(pvc, pv)) continue;
    if (pv.metadata.deletionTimestamp) continue;
    if (isVolumeBoundToClaim(pv, pvc)) return pv;
    // The scheduler binds unbound volumes of WaitForFirstConsumer classes (it knows the node).
    if (delayBinding) continue;
    if (pv.status?.phase !== 'Available') continue;
    if (selector && !selector.matches(pv.metadata.labels ?? {})) continue;
    if (getVolumeClass(pv) !== requestedClass) continue;
    if (!smallest || smallestQty!.cmp(qty) > 0) {
      smallest = pv;
      smallestQty = qty;
    }
  }
  return smallest;
}

/** The access-mode set of a volume, as the index keys it. */
function modesKey(pv: PersistentVolume): string {
  return [...new Set(pv.spec?.accessModes ?? [])].sort().join(',');
}

/** persistentVolumeOrderedIndex.findByClaim: FindMatchingVolume per access-mode group, fewer modes first. */
export function findBestMatchForClaim(pvc: PersistentVolumeClaim, volumes: readonly Stored<PVObj>[], delayBinding: boolean): Stored<PVObj> | undefined {
  const wanted = pvc.spec?.accessModes ?? [];
  const groups = new Map<string, Stored<PVObj>[]>();
  for (const pv of volumes) {
    const k = modesKey(pv);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = []));
    g.push(pv);
  }
  const keys = [...groups.keys()]
    .filter((k) => {
      const have = new Set(k === '' ? [] : k.split(','));
      return wanted.every((m) => have.has(m));
    })
    .sort((a, b) => (a === '' ? 0 : a.split(',').length) - (b === '' ? 0 : b.split(',').length) || (a < b ? -1 : a > b ? 1 : 0));
  for (const k of keys) {
    const best = findMatchingVolume(pvc, groups.get(k)!, delayBinding);
    if (best) return best;
  }
  return undefined;
}
