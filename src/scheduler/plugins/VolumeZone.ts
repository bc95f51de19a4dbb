/**
 * VolumeZone, following kube-scheduler v1.35
 * (unchanged since v1.31 in what ksim models, per the v1.32-v1.35 release notes)
 * pkg/scheduler/framework/plugins/volumezone/volume_zone.go.
 *
 * The zone/region labels of the PVs a pod's PVCs are bound to
 * (topology.kubernetes.io/{zone,region} and the legacy
 * failure-domain.beta.kubernetes.io ones; "__"-separated value sets) must be
 * matched by the node's labels (a beta PV label may match the node's GA
 * label). Nodes without any of those labels always pass (single-zone
 * clusters). Unbound WaitForFirstConsumer claims are skipped: VolumeBinding
 * handles them.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
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
  type StateData,
  PreFilterSkip,
  PreFilterNone,
} from '../framework/types.ts';
import { decodeArgs } from './helper/args.ts';
import { getPVCClass, notFoundMessage, type PV, type PVC } from './volumebinding/helpers.ts';

export const name = 'VolumeZone';
export const ErrReasonConflict = 'node(s) had no available volume zone';

const preFilterStateKey = 'PreFilter' + name;

const LabelFailureDomainBetaZone = 'failure-domain.beta.kubernetes.io/zone';
const LabelFailureDomainBetaRegion = 'failure-domain.beta.kubernetes.io/region';
const LabelTopologyZone = 'topology.kubernetes.io/zone';
const LabelTopologyRegion = 'topology.kubernetes.io/region';
const topologyLabels = [LabelFailureDomainBetaZone, LabelFailureDomainBetaRegion, LabelTopologyZone, LabelTopologyRegion];

interface PVTopology {
  pvName: string;
  key: string;
  values: Set<string>;
}

class VolumeZoneState implements StateData {
  constructor(readonly podPVTopologies: readonly PVTopology[]) {}
  clone(): VolumeZoneState {
    return this;
  }
}

/** volumehelpers.LabelZonesToSet: "__"-separated, trimmed; an empty piece is an error (label ignored). */
function labelZonesToSet(value: string): Set<string> | undefined {
  const out = new Set<string>();
  for (const piece of value.split('__')) {
    const t = piece.trim();
    if (t === '') return undefined;
    out.add(t);
  }
  return out;
}

function translateToGALabel(label: string): string {
  if (label === LabelFailureDomainBetaRegion) return LabelTopologyRegion;
  if (label === LabelFailureDomainBetaZone) return LabelTopologyZone;
  return label;
}

function getPVTopologies(pv: PV): PVTopology[] {
  const out: PVTopology[] = [];
  const labels = pv.metadata.labels ?? {};
  for (const key of topologyLabels) {
    const value = labels[key];
    if (value === undefined) continue;
    const values = labelZonesToSet(value);
    if (values) out.push({ pvName: pv.metadata.name ?? '', key, values });
  }
  return out;
}

/** getPVbyPod: the topologies of the pod's bound PVs, or a status. */
export function getPVbyPod(pod: Pod, store: StoreReader): readonly PVTopology[] | Status {
  // Made at the first bound claim's volume (perf: an empty list per scheduling cycle of every pod without claims).
  let out: PVTopology[] | null = null;
  const ns = pod.metadata?.namespace ?? '';
  for (const vol of pod.spec?.volumes ?? []) {
    if (!vol.persistentVolumeClaim) continue;
    const pvcName = vol.persistentVolumeClaim.claimName ?? '';
    if (pvcName === '') return Status.unresolvable('PersistentVolumeClaim had no name');
    const pvc = store.get<PVC & KObject>('PersistentVolumeClaim', ns, pvcName);
    if (!pvc) return Status.unresolvable(notFoundMessage('PersistentVolumeClaim', pvcName));
    const pvName = pvc.spec?.volumeName ?? '';
    if (pvName === '') {
      const scName = getPVCClass(pvc);
      if (scName === '') return Status.unresolvable('PersistentVolumeClaim had no pv name and storageClass name');
      const sc = store.get<StorageClass & KObject>('StorageClass', '', scName);
      if (!sc) return Status.unresolvable(notFoundMessage('StorageClass', scName));
      if (!sc.volumeBindingMode) return Status.unresolvable(`VolumeBindingMode not set for StorageClass "${scName}"`);
      // Unbound delayed-binding volumes are VolumeBinding's business.
      if (sc.volumeBindingMode === 'WaitForFirstConsumer') continue;
      return Status.unresolvable('PersistentVolume had no name');
    }
    const pv = store.get<PV & KObject>('PersistentVolume', '', pvName);
    if (!pv) return Status.unresolvable(notFoundMessage('PersistentVolume', pvName));
    (out ??= []).push(...getPVTopologies(pv));
  }
  return out ?? NoTopologies;
}

/** No volume topology (shared: callers only read it). */
const NoTopologies: readonly PVTopology[] = Object.freeze([]);

export class VolumeZone implements PreFilterPlugin, FilterPlugin, EnqueueExtensions {
  readonly name = name;
  constructor(private readonly handle: Handle) {}

  preFilter(state: CycleState, podInfo: PodInfo): { result: PreFilterResult | null; status: Result } {
    const r = getPVbyPod(podInfo.pod, this.handle.store());
    if (r instanceof Status) return { result: null, status: r };
    if (r.length === 0) return PreFilterSkip;
    state.write(preFilterStateKey, new VolumeZoneState(r));
    return PreFilterNone;
  }

  filter(state: CycleState, podInfo: PodInfo, nodeInfo: NodeInfo): Result {
    const pod = podInfo.pod;
    // Fast path: a pod without volumes always fits.
    if ((pod.spec?.volumes?.length ?? 0) === 0) return null;
    let topologies: readonly PVTopology[];
    const s = state.read<VolumeZoneState>(preFilterStateKey);
    if (s) topologies = s.podPVTopologies;
    else {
      // Fallback when PreFilter did not run.
      const r = getPVbyPod(pod, this.handle.store());
      if (r instanceof Status) return r;
      topologies = r;
    }
    const labels = nodeInfo.node.metadata.labels ?? {};
    // A node without any topology label accepts every volume (single-zone clusters).
    if (!topologyLabels.some((k) => k in labels)) return null;
    for (const t of topologies) {
      let v = labels[t.key];
      // A PV's beta label may match the node's GA label.
      if (v === undefined) v = labels[translateToGALabel(t.key)];
      if (v === undefined || !t.values.has(v)) return Status.unresolvable(ErrReasonConflict);
    }
    return null;
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return [
      // A new WaitForFirstConsumer class (the mode is immutable, so only Add).
      { event: { resource: 'StorageClass', actionType: ActionType.Add }, hint: (_p, _o, n) => this.isSchedulableAfterStorageClassAdded(n) },
      // A new node or a node's zone labels changing.
      { event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeLabel | ActionType.UpdateNodeTaint } },
      // A new PVC, or its volumeName getting filled.
      {
        event: { resource: 'PersistentVolumeClaim', actionType: ActionType.Add | ActionType.Update },
        hint: (pod, _o, n) => this.isSchedulableAfterPersistentVolumeClaimChange(pod, n as Stored<PVC & KObject> | undefined),
      },
      // A new PV or a PV's zone labels changing.
      {
        event: { resource: 'PersistentVolume', actionType: ActionType.Add | ActionType.Update },
        hint: (_pod, o, n) => this.isSchedulableAfterPersistentVolumeChange(o as PV | undefined, n as PV | undefined),
      },
    ];
  }

  isSchedulableAfterStorageClassAdded(newObj: Stored | undefined): QueueingHint {
    const sc = newObj as Stored<StorageClass & KObject> | undefined;
    return sc?.volumeBindingMode === 'WaitForFirstConsumer' ? 'Queue' : 'QueueSkip';
  }

  isSchedulableAfterPersistentVolumeClaimChange(pod: Pod, pvc: PVC | undefined): QueueingHint {
    if (!pvc) return 'Queue';
    if ((pvc.metadata.namespace ?? '') !== (pod.metadata?.namespace ?? '')) return 'QueueSkip';
    for (const vol of pod.spec?.volumes ?? []) {
      if (vol.persistentVolumeClaim && vol.persistentVolumeClaim.claimName === pvc.metadata.name) return 'Queue';
    }
    return 'QueueSkip';
  }

  isSchedulableAfterPersistentVolumeChange(oldPV: PV | undefined, newPV: PV | undefined): QueueingHint {
    if (!oldPV || !newPV) return 'Queue';
    const ol = oldPV.metadata.labels ?? {};
    const nl = newPV.metadata.labels ?? {};
    for (const k of topologyLabels) if (ol[k] !== nl[k]) return 'Queue';
    return 'QueueSkip';
  }
}

export const factory: PluginFactory = (args, handle) => {
  decodeArgs(args, 'VolumeZoneArgs', []);
  return new VolumeZone(handle);
};
