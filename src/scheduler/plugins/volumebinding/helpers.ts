/**
 * Storage helpers shared by the volume plugins, following v1.31:
 * k8s.io/component-helpers/storage/volume (GetPersistentVolumeClaimClass,
 * GetPersistentVolumeClass, CheckNodeAffinity, FindMatchingVolume,
 * IsVolumeBoundToClaim, CheckVolumeModeMismatches, CheckAccessModes,
 * IsDelayBindingMode), k8s.io/component-helpers/storage/ephemeral
 * (VolumeClaimName, VolumeIsForPod), k8s.io/component-helpers/scheduling/corev1
 * (MatchTopologySelectorTerms) and the API server's NotFound wording.
 */
import type { Node, NodeSelector, PersistentVolume, PersistentVolumeClaim, Pod, TopologySelectorTerm, Volume } from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import type { KObject, StoreReader, Stored } from '../../../sim/types.ts';
import { compileNodeSelector } from '../../../api/nodeSelector.ts';
import type { Quantity } from '../../../api/quantity.ts';
import {
  BetaStorageClassAnnotation,
  checkAccessModes,
  checkVolumeModeMismatches,
  claimRequest,
  getPersistentVolumeClaimClass,
  getPersistentVolumeClass,
  isVolumeBoundToClaim,
  volumeCapacity,
} from '../../../api/storageVolume.ts';

export { BetaStorageClassAnnotation, isVolumeBoundToClaim };
export const getPVCClass = getPersistentVolumeClaimClass;
export const getPVClass = getPersistentVolumeClass;
export const pvcRequest: (pvc: PersistentVolumeClaim) => Quantity = claimRequest;
import { labelSelectorMatcher } from '../helper/labelMatch.ts';

export type PVC = Stored<PersistentVolumeClaim & KObject>;
export type PV = Stored<PersistentVolume & KObject>;
export type SC = Stored<StorageClass & KObject>;

export const AnnBindCompleted = 'pv.kubernetes.io/bind-completed';
export const AnnBoundByController = 'pv.kubernetes.io/bound-by-controller';
export const AnnSelectedNode = 'volume.kubernetes.io/selected-node';
export const NotSupportedProvisioner = 'kubernetes.io/no-provisioner';

/** apierrors.NewNotFound(...).Error() for the kinds the volume plugins read. */
export function notFoundMessage(kind: 'PersistentVolumeClaim' | 'PersistentVolume' | 'StorageClass' | 'CSINode', name: string): string {
  const resource = {
    PersistentVolumeClaim: 'persistentvolumeclaim',
    PersistentVolume: 'persistentvolume',
    StorageClass: 'storageclass.storage.k8s.io',
    CSINode: 'csinode.storage.k8s.io',
  }[kind];
  return `${resource} "${name}" not found`;
}

/** ephemeral.VolumeClaimName: "<pod>-<volume>". */
export function ephemeralClaimName(pod: Pod, vol: Volume): string {
  return `${pod.metadata?.name ?? ''}-${vol.name}`;
}

/** ephemeral.VolumeIsForPod: the PVC of a generic ephemeral volume must be controlled by the pod. */
export function volumeIsForPod(pod: Pod, pvc: PersistentVolumeClaim): string | undefined {
  const owner = pvc.metadata?.ownerReferences?.find((r) => r.controller === true);
  if (!owner || owner.uid !== pod.metadata?.uid) {
    return `PVC ${pvc.metadata?.namespace ?? ''}/${pvc.metadata?.name ?? ''} was not created for pod ${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''} (pod is not owner)`;
  }
  return undefined;
}

/** The PVC name a pod volume refers to (PVC or generic ephemeral), or undefined for other volume types. */
export function claimNameOf(pod: Pod, vol: Volume): { name: string; ephemeral: boolean } | undefined {
  if (vol.persistentVolumeClaim) return { name: vol.persistentVolumeClaim.claimName ?? '', ephemeral: false };
  if (vol.ephemeral) return { name: ephemeralClaimName(pod, vol), ephemeral: true };
  return undefined;
}

/** volume.CheckNodeAffinity: the PV's required node affinity against a node carrying only these labels. */
export function checkNodeAffinity(pv: PersistentVolume, nodeLabels: Readonly<Record<string, string>> | undefined): boolean {
  const req: NodeSelector | undefined = pv.spec?.nodeAffinity?.required;
  if (!req) return true;
  const node: Node = { metadata: { labels: { ...(nodeLabels ?? {}) } } };
  try {
    return compileNodeSelector(req).matches(node);
  } catch {
    return false;
  }
}

/** v1helper.MatchTopologySelectorTerms: no terms match everything; an empty term matches nothing. */
export function matchTopologySelectorTerms(terms: readonly TopologySelectorTerm[] | undefined, labels: Readonly<Record<string, string>> | undefined): boolean {
  if (!terms || terms.length === 0) return true;
  const l = labels ?? {};
  for (const t of terms) {
    const exprs = t.matchLabelExpressions ?? [];
    if (exprs.length === 0) continue;
    let ok = true;
    for (const e of exprs) {
      // TopologySelectorRequirementsAsSelector rejects an empty value list.
      if ((e.values ?? []).length === 0) {
        ok = false;
        break;
      }
      const v = l[e.key];
      if (v === undefined || !(e.values ?? []).includes(v)) {
        ok = false;
        break;
      }
    }
    if (ok) return true;
  }
  return false;
}

/**
 * volume.FindMatchingVolume on the scheduler path (node given, delayBinding):
 * a PV pre-bound to the claim wins (or nothing, if its node affinity fails);
 * otherwise the smallest Available PV of the claim's class that satisfies
 * capacity, volume mode, selector, node affinity and access modes.
 */
export function findMatchingVolume(pvc: PersistentVolumeClaim, volumes: readonly PV[], node: Node, excluded: ReadonlySet<string>): PV | undefined {
  const requested = pvcRequest(pvc);
  const requestedClass = getPVCClass(pvc);
  const selector = pvc.spec?.selector ? labelSelectorMatcher(pvc.spec.selector) : undefined;
  let smallest: PV | undefined;
  let smallestQty: Quantity | undefined;
  for (const pv of volumes) {
    if (excluded.has(pv.metadata.name ?? '')) continue;
    if (pv.spec?.claimRef && !isVolumeBoundToClaim(pv, pvc)) continue;
    const qty = volumeCapacity(pv);
    if (qty.cmp(requested) < 0) continue;
    if (checkVolumeModeMismatches(pvc, pv)) continue;
    if (pv.metadata.deletionTimestamp) continue;
    const nodeAffinityValid = checkNodeAffinity(pv, node.metadata?.labels);
    if (isVolumeBoundToClaim(pv, pvc)) return nodeAffinityValid ? pv : undefined;
    if (pv.status?.phase !== 'Available') continue;
    if (selector && !selector.matches(pv.metadata.labels ?? {})) continue;
    if (getPVClass(pv) !== requestedClass) continue;
    if (!nodeAffinityValid) continue;
    if (!checkAccessModes(pvc, pv)) continue;
    if (!smallest || smallestQty!.cmp(qty) > 0) {
      smallest = pv;
      smallestQty = qty;
    }
  }
  return smallest;
}

/** volume.IsDelayBindingMode; throws on a class without volumeBindingMode. */
export function isDelayBindingMode(pvc: PersistentVolumeClaim, store: StoreReader): boolean {
  const className = getPVCClass(pvc);
  if (className === '') return false;
  const sc = store.get<StorageClass & KObject>('StorageClass', '', className);
  if (!sc) return false;
  if (!sc.volumeBindingMode) throw new Error(`VolumeBindingMode not set for StorageClass "${className}"`);
  return sc.volumeBindingMode === 'WaitForFirstConsumer';
}
