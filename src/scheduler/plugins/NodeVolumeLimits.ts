/**
 * NodeVolumeLimits (CSILimits), following kube-scheduler v1.31
 * (v1.35's rejection of nodes lacking a pod's CSI driver, kubernetes#135012,
 * is not modelled yet: docs/release-audit-1.32-1.35.md)
 * pkg/scheduler/framework/plugins/nodevolumelimits/csi.go.
 *
 * Counts the unique CSI volumes (driver/volumeHandle) the pod would add to
 * the node per driver, against the limit from the node's CSINode
 * (spec.drivers[].allocatable.count) or its allocatable
 * "attachable-volumes-*" resources. A volume already used by a pod on the
 * node is not counted twice. Unbound PVCs count through their StorageClass's
 * provisioner. In-tree volume migration (CSI translation) is not modelled:
 * non-CSI PVs are not counted.
 */
import { createHash } from 'node:crypto';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { CSINode, StorageClass } from 'kubernetes-types/storage/v1.js';
import type { KObject, Stored, StoreReader } from '../../sim/types.ts';
import {
  ActionType,
  Status,
  type ClusterEventWithHint,
  type CycleState,
  type EnqueueExtensions,
  type FilterPlugin,
  type Handle,
  type NodeInfo,
  type PluginFactory,
  type PodInfo,
  type PreFilterPlugin,
  type PreFilterResult,
  type QueueingHint,
  type Result,
  PreFilterSkip,
  PreFilterNone,
} from '../framework/types.ts';
import { decodeArgs } from './helper/args.ts';
import { claimNameOf, getPVCClass, notFoundMessage, volumeIsForPod, type PV, type PVC } from './volumebinding/helpers.ts';

export const name = 'NodeVolumeLimits';
export const ErrReasonMaxVolumeCountExceeded = 'node(s) exceed max volume count';

const CSIAttachLimitPrefix = 'attachable-volumes-csi-';
const AttachableVolumesPrefix = 'attachable-volumes-';
const ResourceNameLengthLimit = 63;
/**
 * Upstream draws a random prefix per plugin instance so handles made up for
 * unbound claims never collide with real volume IDs; ksim must be
 * deterministic, so the prefix is fixed (it is never shown).
 */
const unboundVolumeIDPrefix = 'ksim-unbound-volume';

/** volumeutil.GetCSIAttachLimitKey: long driver names are shortened with a sha1 suffix. */
export function getCSIAttachLimitKey(driverName: string): string {
  if (CSIAttachLimitPrefix.length + driverName.length >= ResourceNameLengthLimit) {
    const hashed = createHash('sha1').update(driverName).digest('hex').slice(0, 16);
    return CSIAttachLimitPrefix + driverName.slice(0, 23) + hashed;
  }
  return CSIAttachLimitPrefix + driverName;
}

class NotFoundError extends Error {}

export class CSILimits implements PreFilterPlugin, FilterPlugin, EnqueueExtensions {
  readonly name = name;
  constructor(private readonly handle: Handle) {}

  preFilter(_state: CycleState, podInfo: PodInfo): { result: PreFilterResult | null; status: Result } {
    for (const vol of podInfo.pod.spec?.volumes ?? []) {
      if (vol.persistentVolumeClaim || vol.ephemeral) return PreFilterNone;
    }
    return PreFilterSkip;
  }

  filter(_state: CycleState, podInfo: PodInfo, nodeInfo: NodeInfo): Result {
    const pod = podInfo.pod;
    if ((pod.spec?.volumes?.length ?? 0) === 0) return null;
    const store = this.handle.store();
    const nodeName = nodeInfo.node.metadata.name ?? '';
    const csiNode = store.get<CSINode & KObject>('CSINode', '', nodeName);
    const newVolumes = new Map<string, string>();
    try {
      this.filterAttachableVolumes(store, pod, csiNode, true, newVolumes);
    } catch (e) {
      if (e instanceof NotFoundError) return Status.unresolvable(e.message);
      return Status.error(e instanceof Error ? e.message : String(e));
    }
    if (newVolumes.size === 0) return null;
    const limits = getVolumeLimits(nodeInfo, csiNode);
    if (limits.size === 0) return null;
    const attached = new Map<string, string>();
    for (const ep of nodeInfo.pods) {
      try {
        this.filterAttachableVolumes(store, ep.pod, csiNode, false, attached);
      } catch (e) {
        return Status.error(e instanceof Error ? e.message : String(e));
      }
    }
    const attachedCount = new Map<string, number>();
    for (const [unique, key] of attached) {
      // A volume shared with a pod already on the node is not counted again.
      newVolumes.delete(unique);
      attachedCount.set(key, (attachedCount.get(key) ?? 0) + 1);
    }
    const newCount = new Map<string, number>();
    for (const key of newVolumes.values()) newCount.set(key, (newCount.get(key) ?? 0) + 1);
    for (const [key, count] of newCount) {
      const max = limits.get(key);
      if (max !== undefined && (attachedCount.get(key) ?? 0) + count > max) return Status.unschedulable(ErrReasonMaxVolumeCountExceeded);
    }
    return null;
  }

  /** upstream filterAttachableVolumes: unique volume name -> limit key. */
  private filterAttachableVolumes(store: StoreReader, pod: Pod, csiNode: CSINode | undefined, newPod: boolean, result: Map<string, string>): void {
    const ns = pod.metadata?.namespace ?? '';
    for (const vol of pod.spec?.volumes ?? []) {
      const claim = claimNameOf(pod, vol);
      // Inline volumes: only migratable in-tree ones count upstream; translation is not modelled.
      if (!claim) continue;
      if (claim.name === '') throw new Error('PersistentVolumeClaim had no name');
      const pvc = store.get<PVC & KObject>('PersistentVolumeClaim', ns, claim.name);
      if (!pvc) {
        // A new pod cannot run without its PVC; an existing pod's missing PVC is not counted.
        if (newPod) throw new NotFoundError(`looking up PVC ${ns}/${claim.name}: ${notFoundMessage('PersistentVolumeClaim', claim.name)}`);
        continue;
      }
      if (claim.ephemeral) {
        const err = volumeIsForPod(pod, pvc);
        if (err) throw new Error(err);
      }
      const [driver, handle] = this.getCSIDriverInfo(store, csiNode, pvc);
      if (driver === '' || handle === '') continue;
      result.set(`${driver}/${handle}`, getCSIAttachLimitKey(driver));
    }
  }

  private getCSIDriverInfo(store: StoreReader, csiNode: CSINode | undefined, pvc: PVC): [string, string] {
    const pvName = pvc.spec?.volumeName ?? '';
    if (pvName === '') return this.getCSIDriverInfoFromSC(store, pvc);
    const pv = store.get<PV & KObject>('PersistentVolume', '', pvName);
    // A missing PV (deleted, or pre-bound to one not created yet): count through the class.
    if (!pv) return this.getCSIDriverInfoFromSC(store, pvc);
    void csiNode;
    const csi = pv.spec?.csi;
    if (!csi) return ['', ''];
    return [csi.driver, csi.volumeHandle];
  }

  private getCSIDriverInfoFromSC(store: StoreReader, pvc: PVC): [string, string] {
    const scName = getPVCClass(pvc);
    // No class: the claim binds immediately, so it is bound before scheduling; not counted.
    if (scName === '') return ['', ''];
    const sc = store.get<StorageClass & KObject>('StorageClass', '', scName);
    if (!sc) return ['', ''];
    return [sc.provisioner, `${unboundVolumeIDPrefix}-${pvc.metadata.namespace ?? ''}/${pvc.metadata.name ?? ''}`];
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return [
      // Any new CSINode may publish limits (no hint, intentionally).
      { event: { resource: 'CSINode', actionType: ActionType.Add } },
      { event: { resource: 'Pod', actionType: ActionType.Delete }, hint: (_pod, oldObj) => this.isSchedulableAfterPodDeleted(oldObj as Stored<Pod & KObject> | undefined) },
      { event: { resource: 'PersistentVolumeClaim', actionType: ActionType.Add } },
    ];
  }

  /** A deleted assigned pod frees attachments only if it used a CSI volume. */
  isSchedulableAfterPodDeleted(deleted: Pod | undefined): QueueingHint {
    if (!deleted) return 'Queue';
    if ((deleted.spec?.volumes?.length ?? 0) === 0 || !deleted.spec?.nodeName) return 'QueueSkip';
    const store = this.handle.store();
    const ns = deleted.metadata?.namespace ?? '';
    for (const vol of deleted.spec?.volumes ?? []) {
      const claim = claimNameOf(deleted, vol);
      if (!claim) continue;
      const pvc = store.get<PVC & KObject>('PersistentVolumeClaim', ns, claim.name);
      if (!pvc) continue;
      const [driver, handle] = this.getCSIDriverInfo(store, undefined, pvc);
      if (driver !== '' && handle !== '') return 'Queue';
    }
    return 'QueueSkip';
  }
}

/** getVolumeLimits: attachable-volumes-* allocatable, overridden by CSINode driver counts. */
function getVolumeLimits(nodeInfo: NodeInfo, csiNode: CSINode | undefined): Map<string, number> {
  const limits = new Map<string, number>();
  for (const [k, v] of nodeInfo.allocatable.scalar) if (k.startsWith(AttachableVolumesPrefix)) limits.set(k, v);
  for (const d of csiNode?.spec?.drivers ?? []) {
    const count = d.allocatable?.count;
    if (count !== undefined && count !== null) limits.set(getCSIAttachLimitKey(d.name), count);
  }
  return limits;
}

export const factory: PluginFactory = (args, handle) => {
  decodeArgs(args, 'NodeVolumeLimitsArgs', []);
  return new CSILimits(handle);
};
