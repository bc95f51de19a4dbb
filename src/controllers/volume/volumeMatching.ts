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
 * The shared rules are in api/storageVolume.ts; the scheduler has its own
 * node-aware FindMatchingVolume path on them (actors may not import one another).
 */
import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import type { KObject, Stored } from '../../sim/types.ts';
import { Quantity } from '../../api/quantity.ts';
import {
  BetaStorageClassAnnotation,
  checkVolumeModeMismatches,
  claimRequest,
  getPersistentVolumeClaimClass as getClaimClass,
  getPersistentVolumeClass as getVolumeClass,
  isVolumeBoundToClaim,
  volumeCapacity,
} from '../../api/storageVolume.ts';
import { labelSelectorAsSelector, type Selector } from '../../api/labels.ts';

export type PVObj = PersistentVolume & KObject;
export type PVCObj = PersistentVolumeClaim & KObject;

export {
  BetaStorageClassAnnotation,
  getPersistentVolumeClaimClass as getClaimClass,
  getPersistentVolumeClass as getVolumeClass,
  isVolumeBoundToClaim,
  storageOf,
  claimRequest,
  volumeCapacity,
} from '../../api/storageVolume.ts';

/** The claim names no class at all (nil storageClassName and no beta annotation): the default class may be given. */
export function claimHasNoClass(pvc: PersistentVolumeClaim): boolean {
  return pvc.metadata?.annotations?.[BetaStorageClassAnnotation] === undefined && (pvc.spec?.storageClassName === undefined || pvc.spec?.storageClassName === null);
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
    if (checkVolumeModeMismatches(pvc, pv)) continue;
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
