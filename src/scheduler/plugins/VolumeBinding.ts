/**
 * VolumeBinding, following kube-scheduler v1.35
 * pkg/scheduler/framework/plugins/volumebinding (volume_binding.go,
 * binder.go) for what ksim models: PVCs bound or not, StorageClass
 * volumeBindingMode Immediate / WaitForFirstConsumer, PVs with node
 * affinity, static binding (smallest Available PV of the claim's class that
 * fits capacity, access modes, volume mode, selector and node affinity) and
 * dynamic provisioning (a provisioner other than kubernetes.io/no-provisioner,
 * on nodes matching allowedTopologies).
 *
 * PreFilter rejects pods with unbound Immediate claims
 * (UnschedulableAndUnresolvable) and narrows nodes to those named by local
 * PVs' hostname affinity; Filter reports volume node affinity conflicts and
 * missing matching PVs (both UnschedulableAndUnresolvable); Reserve assumes
 * the choice so the next pod does not take the same PV; PreBind writes it
 * through handle.writeObject (PV claimRef + bound-by-controller annotation,
 * PVC selected-node annotation).
 *
 * PreBind then waits, as upstream's BindPodVolumes, for the PV controller
 * (and the provisioner) to finish: it answers Wait and is asked again every
 * second (checkBindings) until every claim is bound, failing with "binding
 * volumes: context deadline exceeded" after bindTimeoutSeconds (600).
 *
 * Since v1.33 the bound-PV node-affinity reason reads "node(s) didn't match
 * PersistentVolume's node affinity" (before: "node(s) had volume node affinity
 * conflict"), chosen by the emulated version. StorageCapacityScoring (v1.33
 * alpha, off) is not modelled.
 *
 * Deviations: CSIStorageCapacity (capacity checks) and in-tree-to-CSI translation
 * are not modelled. A PVC counts as bound when it has spec.volumeName and
 * either the bind-completed annotation (upstream's test) or status.phase
 * Bound (manifests written by hand).
 */
import type { Node, PersistentVolume, PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import type { KObject, Stored, StoreReader } from '../../sim/types.ts';
import {
  ActionType,
  Code,
  Status,
  type ClusterEventWithHint,
  type CycleState,
  type EnqueueExtensions,
  type FilterPlugin,
  type Handle,
  type NodeInfo,
  type PluginFactory,
  type PodInfo,
  type PreBindPlugin,
  type PreFilterPlugin,
  type PreFilterResult,
  type QueueingHint,
  type ReservePlugin,
  type Result,
  type StateData,
  PreFilterSkip,
} from '../framework/types.ts';
import { FieldErrorList, type FieldError } from '../../api/errors.ts';
import { decodeArgs, intField, join } from './helper/args.ts';
import { AssumeCache } from './volumebinding/assumeCache.ts';
import {
  AnnBindCompleted,
  AnnBoundByController,
  AnnSelectedNode,
  NotSupportedProvisioner,
  checkNodeAffinity,
  claimNameOf,
  findMatchingVolume,
  getPVCClass,
  getPVClass,
  isDelayBindingMode,
  isVolumeBoundToClaim,
  matchTopologySelectorTerms,
  notFoundMessage,
  pvcRequest,
  volumeIsForPod,
  type PV,
  type PVC,
} from './volumebinding/helpers.ts';

export const name = 'VolumeBinding';

export const ErrReasonBindConflict = "node(s) didn't find available persistent volumes to bind";
/** The reason since v1.33 (kubernetes#129887); {@link ErrReasonNodeConflictPre133} before. */
export const ErrReasonNodeConflict = "node(s) didn't match PersistentVolume's node affinity";
export const ErrReasonNodeConflictPre133 = 'node(s) had volume node affinity conflict';
export const ErrReasonNotEnoughSpace = 'node(s) did not have enough free storage';
export const ErrReasonPVNotExist = 'node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)';
export const ErrReasonUnboundImmediate = 'pod has unbound immediate PersistentVolumeClaims';

const stateKey = name;
const LabelHostname = 'kubernetes.io/hostname';

export interface VolumeBindingArgs {
  bindTimeoutSeconds: number;
}

/** Decode, default (bindTimeoutSeconds 600) and validate (upstream ValidateVolumeBindingArgs, VolumeCapacityPriority off). */
export function volumeBindingArgs(raw: unknown, path = ''): VolumeBindingArgs {
  const obj = decodeArgs(raw, 'VolumeBindingArgs', ['bindTimeoutSeconds', 'shape'], path);
  const errs: FieldError[] = [];
  const bindTimeoutSeconds = intField(obj, 'bindTimeoutSeconds', 600, path, errs);
  if (errs.length === 0 && bindTimeoutSeconds < 0) {
    errs.push({ path: join(path, 'bindTimeoutSeconds'), type: 'Invalid', value: bindTimeoutSeconds, detail: 'invalid BindTimeoutSeconds, should not be a negative value' });
  }
  if (obj['shape'] !== undefined && obj['shape'] !== null) {
    errs.push({ path: join(path, 'shape'), type: 'Invalid', value: obj['shape'], detail: 'unexpected field `shape`, remove it or turn on the feature gate VolumeCapacityPriority' });
  }
  if (errs.length > 0) throw new FieldErrorList(errs);
  return { bindTimeoutSeconds };
}

interface BindingInfo {
  pv: PV;
  pvc: PVC;
}

/** upstream PodVolumes: what binding this pod on one node takes. */
export interface PodVolumes {
  staticBindings: BindingInfo[];
  dynamicProvisions: PVC[];
}

interface PodVolumeClaims {
  boundClaims: PVC[];
  unboundClaimsDelayBinding: PVC[];
  unboundClaimsImmediate: PVC[];
  /** Candidate PVs by storage class name. */
  unboundVolumesDelayBinding: Map<string, PV[]>;
}

/** upstream stateData; shared on clone as upstream. */
export class VolumeBindingState implements StateData {
  allBound = false;
  /** Made at the first node Filter admits (perf: a Map per cycle of every pod without claims, whose Filter is skipped). */
  private byNode: Map<string, PodVolumes> | null = null;
  get podVolumesByNode(): ReadonlyMap<string, PodVolumes> {
    return this.byNode ?? NoPodVolumes;
  }
  setPodVolumes(nodeName: string, podVolumes: PodVolumes): void {
    (this.byNode ??= new Map()).set(nodeName, podVolumes);
  }
  /** Set by PreBind once its API writes are made: when waiting for the bindings gives up. */
  bindDeadline: number | undefined = undefined;
  constructor(readonly podVolumeClaims: PodVolumeClaims | null) {}
  clone(): VolumeBindingState {
    return this;
  }
}

/** No node's volumes yet (shared and never written: VolumeBindingState.setPodVolumes makes its own Map). */
const NoPodVolumes: ReadonlyMap<string, PodVolumes> = new Map();

function errMsg(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function pvcKey(pvc: PersistentVolumeClaim): string {
  return `${pvc.metadata?.namespace ?? ''}/${pvc.metadata?.name ?? ''}`;
}

/** isPVCFullyBound (see the header for the status.phase allowance). */
function isPVCFullyBound(pvc: PersistentVolumeClaim): boolean {
  if (!pvc.spec?.volumeName) return false;
  return pvc.metadata?.annotations?.[AnnBindCompleted] !== undefined || pvc.status?.phase === 'Bound';
}

/** The first set of names, then the intersection with each next one. */
function intersect(acc: Set<string> | null, names: readonly string[]): Set<string> {
  if (acc === null) return new Set(names);
  const out = new Set<string>();
  for (const n of names) if (acc.has(n)) out.add(n);
  return out;
}

/** util.GetLocalPersistentVolumeNodeNames: hostname In values of each term (intersected), unioned over terms. */
function localPVNodeNames(pv: PersistentVolume): string[] {
  const terms = pv.spec?.nodeAffinity?.required?.nodeSelectorTerms;
  if (!terms) return [];
  const result = new Set<string>();
  for (const term of terms) {
    let nodes: Set<string> | undefined;
    for (const e of term.matchExpressions ?? []) {
      if (e.key === LabelHostname && e.operator === 'In') {
        const vals = new Set(e.values ?? []);
        nodes = nodes ? new Set([...nodes].filter((n) => vals.has(n))) : vals;
      }
    }
    for (const n of nodes ?? []) result.add(n);
  }
  return [...result].sort();
}

export class VolumeBinding implements PreFilterPlugin, FilterPlugin, ReservePlugin, PreBindPlugin, EnqueueExtensions {
  readonly name = name;
  private readonly pvCache = new AssumeCache<PersistentVolume & KObject>();
  private readonly pvcCache = new AssumeCache<PersistentVolumeClaim & KObject>();

  /** The bound-PV node-affinity reason of the emulated release (reworded in v1.33). */
  private readonly nodeConflictReason: string;

  constructor(
    readonly args: VolumeBindingArgs,
    private readonly handle: Handle,
  ) {
    this.nodeConflictReason = (handle?.featureGates?.atLeast('1.33') ?? true) ? ErrReasonNodeConflict : ErrReasonNodeConflictPre133;
  }

  private getPV(store: StoreReader, name: string): PV | undefined {
    return this.pvCache.effective(name, store.get<PersistentVolume & KObject>('PersistentVolume', '', name));
  }

  private getPVC(store: StoreReader, ns: string, name: string): PVC | undefined {
    return this.pvcCache.effective(`${ns}/${name}`, store.get<PersistentVolumeClaim & KObject>('PersistentVolumeClaim', ns, name));
  }

  /** pvCache.ListPVs(class): PVs (as assumed) of one storage class, by name. */
  private listPVs(store: StoreReader, storageClassName: string): PV[] {
    const out: PV[] = [];
    for (const raw of store.list<PersistentVolume & KObject>('PersistentVolume')) {
      const pv = this.pvCache.effective(raw.metadata.name ?? '', raw);
      if (pv && getPVClass(pv) === storageClassName) out.push(pv);
    }
    return out;
  }

  /** upstream podHasPVCs: throws with upstream's message when a claim is missing, lost or being deleted. */
  private podHasPVCs(store: StoreReader, pod: Pod): boolean {
    let hasPVC = false;
    const ns = pod.metadata?.namespace ?? '';
    for (const vol of pod.spec?.volumes ?? []) {
      const claim = claimNameOf(pod, vol);
      if (!claim) continue;
      hasPVC = true;
      const pvc = store.get<PersistentVolumeClaim & KObject>('PersistentVolumeClaim', ns, claim.name);
      if (!pvc) {
        // Normal right after creating a pod with a generic ephemeral volume.
        if (claim.ephemeral) throw new Error(`waiting for ephemeral volume controller to create the persistentvolumeclaim "${claim.name}"`);
        throw new Error(notFoundMessage('PersistentVolumeClaim', claim.name));
      }
      if (pvc.status?.phase === 'Lost') {
        throw new Error(`persistentvolumeclaim "${pvc.metadata.name}" bound to non-existent persistentvolume "${pvc.spec?.volumeName ?? ''}"`);
      }
      if (pvc.metadata.deletionTimestamp) throw new Error(`persistentvolumeclaim "${pvc.metadata.name}" is being deleted`);
      if (claim.ephemeral) {
        const err = volumeIsForPod(pod, pvc);
        if (err) throw new Error(err);
      }
    }
    return hasPVC;
  }

  /** upstream GetPodVolumeClaims. */
  private getPodVolumeClaims(store: StoreReader, pod: Pod): PodVolumeClaims {
    const c: PodVolumeClaims = { boundClaims: [], unboundClaimsDelayBinding: [], unboundClaimsImmediate: [], unboundVolumesDelayBinding: new Map() };
    const ns = pod.metadata?.namespace ?? '';
    for (const vol of pod.spec?.volumes ?? []) {
      const claim = claimNameOf(pod, vol);
      if (!claim) continue;
      const pvc = this.getPVC(store, ns, claim.name);
      if (!pvc) throw new Error(`error getting PVC "${ns}/${claim.name}": could not find v1.PersistentVolumeClaim "${ns}/${claim.name}"`);
      if (claim.ephemeral) {
        const err = volumeIsForPod(pod, pvc);
        if (err) throw new Error(err);
      }
      if (isPVCFullyBound(pvc)) c.boundClaims.push(pvc);
      else if (isDelayBindingMode(pvc, store) && !pvc.spec?.volumeName) c.unboundClaimsDelayBinding.push(pvc);
      // Immediate claims (and pre-bound ones) must be bound by the PV controller first.
      else c.unboundClaimsImmediate.push(pvc);
    }
    for (const pvc of c.unboundClaimsDelayBinding) {
      const cls = getPVCClass(pvc);
      c.unboundVolumesDelayBinding.set(cls, this.listPVs(store, cls));
    }
    return c;
  }

  /** upstream GetEligibleNodes: nodes named by local PVs' hostname affinity, intersected over bound claims. */
  private getEligibleNodes(store: StoreReader, boundClaims: readonly PVC[]): Set<string> | null {
    if (boundClaims.length === 0) return null;
    let eligible: Set<string> | null = null;
    for (const pvc of boundClaims) {
      const pv = this.getPV(store, pvc.spec?.volumeName ?? '');
      if (!pv) return null;
      const names = localPVNodeNames(pv);
      if (names.length === 0) continue;
      eligible = intersect(eligible, names);
    }
    return eligible;
  }

  preFilter(state: CycleState, podInfo: PodInfo): { result: PreFilterResult | null; status: Result } {
    const pod = podInfo.pod;
    const store = this.handle.store();
    let hasPVC: boolean;
    try {
      hasPVC = this.podHasPVCs(store, pod);
    } catch (e) {
      return { result: null, status: Status.unresolvable(errMsg(e)) };
    }
    if (!hasPVC) {
      state.write(stateKey, new VolumeBindingState(null));
      return PreFilterSkip;
    }
    let claims: PodVolumeClaims;
    try {
      claims = this.getPodVolumeClaims(store, pod);
    } catch (e) {
      return { result: null, status: Status.error(errMsg(e)) };
    }
    if (claims.unboundClaimsImmediate.length > 0) {
      // The pod waits for the PV controller to bind them; their updates requeue it.
      return { result: null, status: Status.unresolvable(ErrReasonUnboundImmediate) };
    }
    const eligible = this.getEligibleNodes(store, claims.boundClaims);
    state.write(stateKey, new VolumeBindingState(claims));
    return { result: eligible ? { nodeNames: eligible } : null, status: null };
  }

  filter(state: CycleState, podInfo: PodInfo, nodeInfo: NodeInfo): Result {
    const s = state.read<VolumeBindingState>(stateKey);
    if (!s) return Status.error(`reading "${stateKey}" from cycleState: not found`);
    const node = nodeInfo.node;
    let res: { podVolumes: PodVolumes; reasons: string[] };
    try {
      res = this.findPodVolumes(podInfo.pod, s.podVolumeClaims, node);
    } catch (e) {
      return Status.error(errMsg(e));
    }
    if (res.reasons.length > 0) return Status.unresolvable(...res.reasons);
    s.setPodVolumes(node.metadata.name ?? '', res.podVolumes);
    return null;
  }

  /** upstream FindPodVolumes. */
  findPodVolumes(pod: Pod, claims: PodVolumeClaims | null, node: Node): { podVolumes: PodVolumes; reasons: string[] } {
    const store = this.handle.store();
    let unboundVolumesSatisfied = true;
    let boundVolumesSatisfied = true;
    let sufficientStorage = true;
    let boundPVsFound = true;
    let staticBindings: BindingInfo[] = [];
    let dynamicProvisions: PVC[] = [];
    const done = () => {
      const reasons: string[] = [];
      if (!boundVolumesSatisfied) reasons.push(this.nodeConflictReason);
      if (!unboundVolumesSatisfied) reasons.push(ErrReasonBindConflict);
      if (!sufficientStorage) reasons.push(ErrReasonNotEnoughSpace);
      if (!boundPVsFound) reasons.push(ErrReasonPVNotExist);
      return { podVolumes: { staticBindings, dynamicProvisions }, reasons };
    };
    if (!claims) return done();
    // Bound claims: their PVs' node affinity must admit the node.
    for (const pvc of claims.boundClaims) {
      const pv = this.getPV(store, pvc.spec?.volumeName ?? '');
      if (!pv) {
        boundPVsFound = false;
        break;
      }
      if (!checkNodeAffinity(pv, node.metadata?.labels)) {
        boundVolumesSatisfied = false;
        break;
      }
    }
    if (claims.unboundClaimsDelayBinding.length > 0) {
      const toMatch: PVC[] = [];
      let toProvision: PVC[] = [];
      for (const pvc of claims.unboundClaimsDelayBinding) {
        const selected = pvc.metadata.annotations?.[AnnSelectedNode];
        if (selected !== undefined) {
          if (selected !== node.metadata?.name) {
            // Provisioning already started for another node.
            unboundVolumesSatisfied = false;
            return done();
          }
          toProvision.push(pvc);
        } else toMatch.push(pvc);
      }
      if (toMatch.length > 0) {
        const m = this.findMatchingVolumes(toMatch, claims.unboundVolumesDelayBinding, node);
        unboundVolumesSatisfied = m.foundMatches;
        staticBindings = m.bindings;
        toProvision = toProvision.concat(m.unboundClaims);
      }
      if (toProvision.length > 0) {
        const p = this.checkVolumeProvisions(store, toProvision, node);
        unboundVolumesSatisfied = p.provisionSatisfied;
        sufficientStorage = p.sufficientStorage;
        dynamicProvisions = p.dynamicProvisions;
      }
    }
    return done();
  }

  /** upstream findMatchingVolumes: smallest claims first, each PV used once. */
  private findMatchingVolumes(claims: PVC[], pvsByClass: Map<string, PV[]>, node: Node): { foundMatches: boolean; bindings: BindingInfo[]; unboundClaims: PVC[] } {
    const sorted = claims.slice().sort((a, b) => pvcRequest(a).cmp(pvcRequest(b)));
    const chosen = new Set<string>();
    const bindings: BindingInfo[] = [];
    const unboundClaims: PVC[] = [];
    let foundMatches = true;
    for (const pvc of sorted) {
      const pvs = pvsByClass.get(getPVCClass(pvc)) ?? [];
      const pv = findMatchingVolume(pvc, pvs, node, chosen);
      if (!pv) {
        unboundClaims.push(pvc);
        foundMatches = false;
        continue;
      }
      chosen.add(pv.metadata.name ?? '');
      bindings.push({ pv, pvc });
    }
    return { foundMatches, bindings, unboundClaims };
  }

  /** upstream checkVolumeProvisions (storage capacity not modelled: always sufficient). */
  private checkVolumeProvisions(store: StoreReader, claims: PVC[], node: Node): { provisionSatisfied: boolean; sufficientStorage: boolean; dynamicProvisions: PVC[] } {
    const dynamicProvisions: PVC[] = [];
    for (const pvc of claims) {
      const className = getPVCClass(pvc);
      if (className === '') throw new Error(`no class for claim "${pvcKey(pvc)}"`);
      const sc = store.get<StorageClass & KObject>('StorageClass', '', className);
      if (!sc) throw new Error(`failed to find storage class "${className}"`);
      const provisioner = sc.provisioner ?? '';
      if (provisioner === '' || provisioner === NotSupportedProvisioner) return { provisionSatisfied: false, sufficientStorage: true, dynamicProvisions: [] };
      if (!matchTopologySelectorTerms(sc.allowedTopologies, node.metadata?.labels)) return { provisionSatisfied: false, sufficientStorage: true, dynamicProvisions: [] };
      dynamicProvisions.push(pvc);
    }
    return { provisionSatisfied: true, sufficientStorage: true, dynamicProvisions };
  }

  /** upstream arePodVolumesBound. */
  private arePodVolumesBound(store: StoreReader, pod: Pod): boolean {
    const ns = pod.metadata?.namespace ?? '';
    for (const vol of pod.spec?.volumes ?? []) {
      const claim = claimNameOf(pod, vol);
      if (!claim) continue;
      const pvc = this.getPVC(store, ns, claim.name);
      if (!pvc || !isPVCFullyBound(pvc)) return false;
    }
    return true;
  }

  reserve(state: CycleState, podInfo: PodInfo, nodeName: string): Result {
    const s = state.read<VolumeBindingState>(stateKey);
    if (!s) return Status.error(`reading "${stateKey}" from cycleState: not found`);
    const pv = s.podVolumesByNode.get(nodeName);
    if (!pv) {
      // No PVCs: nothing to bind.
      s.allBound = true;
      return null;
    }
    const store = this.handle.store();
    if (this.arePodVolumesBound(store, podInfo.pod)) {
      s.allBound = true;
      return null;
    }
    s.allBound = false;
    const newBindings: BindingInfo[] = [];
    for (const b of pv.staticBindings) {
      const { pv: newPV, dirty } = bindVolumeToClaim(b.pv, b.pvc);
      if (dirty) this.pvCache.assume(newPV.metadata.name ?? '', newPV, store.get<PersistentVolume & KObject>('PersistentVolume', '', newPV.metadata.name ?? ''));
      newBindings.push({ pv: newPV, pvc: b.pvc });
    }
    const newProvisions: PVC[] = [];
    for (const claim of pv.dynamicProvisions) {
      const clone = { ...claim, metadata: { ...claim.metadata, annotations: { ...(claim.metadata.annotations ?? {}), [AnnSelectedNode]: nodeName } } } as PVC;
      const key = pvcKey(claim);
      this.pvcCache.assume(key, clone, store.get<PersistentVolumeClaim & KObject>('PersistentVolumeClaim', claim.metadata.namespace ?? '', claim.metadata.name ?? ''));
      newProvisions.push(clone);
    }
    pv.staticBindings = newBindings;
    pv.dynamicProvisions = newProvisions;
    return null;
  }

  unreserve(state: CycleState, _podInfo: PodInfo, nodeName: string): void {
    const s = state.read<VolumeBindingState>(stateKey);
    const pv = s?.podVolumesByNode.get(nodeName);
    if (!pv) return;
    for (const b of pv.staticBindings) this.pvCache.restore(b.pv.metadata.name ?? '');
    for (const c of pv.dynamicProvisions) this.pvcCache.restore(pvcKey(c));
  }

  preBind(state: CycleState, podInfo: PodInfo, nodeName: string): Result {
    const s = state.read<VolumeBindingState>(stateKey);
    if (!s) return Status.error(`reading "${stateKey}" from cycleState: not found`);
    if (s.allBound) return null;
    const pv = s.podVolumesByNode.get(nodeName);
    if (!pv) return Status.error(`no pod volumes found for node "${nodeName}"`);
    if (s.bindDeadline !== undefined) return this.waitForBindings(s.bindDeadline, podInfo.pod, pv);
    const write = this.handle.writeObject;
    if (!write) return Status.error('binding volumes: the scheduler handle cannot write API objects');
    try {
      for (const b of pv.staticBindings) {
        const ref = b.pv.spec?.claimRef;
        const bound = b.pv.metadata.annotations?.[AnnBoundByController];
        write.call(this.handle, 'PersistentVolume', '', b.pv.metadata.name ?? '', (draft: KObject) => {
          const d = draft as PersistentVolume & KObject;
          d.spec = d.spec ?? {};
          if (ref) d.spec.claimRef = { ...ref };
          if (bound !== undefined) d.metadata.annotations = { ...(d.metadata.annotations ?? {}), [AnnBoundByController]: bound };
        });
      }
      for (const c of pv.dynamicProvisions) {
        const selected = c.metadata.annotations?.[AnnSelectedNode] ?? nodeName;
        write.call(this.handle, 'PersistentVolumeClaim', c.metadata.namespace ?? '', c.metadata.name ?? '', (draft: KObject) => {
          draft.metadata.annotations = { ...(draft.metadata.annotations ?? {}), [AnnSelectedNode]: selected };
        });
      }
    } catch (e) {
      return Status.error(`binding volumes: ${errMsg(e)}`);
    }
    // wait.PollUntilContextTimeout(1s, bindTimeout, immediate=false): the first check is a poll later.
    s.bindDeadline = this.handle.now() + this.args.bindTimeoutSeconds * 1000;
    return new Status(Code.Wait, ['waiting for volumes to bind']);
  }

  /** One poll of BindPodVolumes' wait: done, failed, or still waiting. */
  private waitForBindings(deadline: number, pod: Pod, podVolumes: PodVolumes): Result {
    const err = this.checkBindings(pod, podVolumes);
    if (err === true) return null;
    if (typeof err === 'string') return Status.error(`binding volumes: ${err}`);
    if (this.handle.now() >= deadline) return Status.error('binding volumes: context deadline exceeded');
    return new Status(Code.Wait, ['waiting for volumes to bind']);
  }

  /**
   * upstream checkBindings: true when every claim of the pod is fully bound;
   * an error message when a binding cannot complete any more (a claim or
   * volume gone, a claimRef removed, provisioning given up: the
   * selected-node annotation removed); false to keep waiting.
   */
  private checkBindings(pod: Pod, podVolumes: PodVolumes): boolean | string {
    const store = this.handle.store();
    for (const b of podVolumes.staticBindings) {
      const pv = store.get<PersistentVolume & KObject>('PersistentVolume', '', b.pv.metadata.name ?? '');
      if (!pv) return `failed to check binding: pv "${b.pv.metadata.name}" not found`;
      if (!pv.spec?.claimRef) return `pv "${b.pv.metadata.name}" claimRef removed`;
    }
    for (const c of podVolumes.dynamicProvisions) {
      const cur = store.get<PersistentVolumeClaim & KObject>('PersistentVolumeClaim', c.metadata.namespace ?? '', c.metadata.name ?? '');
      if (!cur) return `failed to check provisioning pvc: ${notFoundMessage('PersistentVolumeClaim', c.metadata.name ?? '')}`;
      if (cur.metadata.annotations?.[AnnSelectedNode] === undefined) return `provisioning failed for PVC "${c.metadata.name}"`;
    }
    const ns = pod.metadata?.namespace ?? '';
    for (const vol of pod.spec?.volumes ?? []) {
      const claim = claimNameOf(pod, vol);
      if (!claim) continue;
      const pvc = store.get<PersistentVolumeClaim & KObject>('PersistentVolumeClaim', ns, claim.name);
      if (!pvc) return `failed to get pvc "${ns}/${claim.name}"`;
      if (!isPVCFullyBound(pvc)) return false;
    }
    return true;
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return [
      // A missing or mis-configured class (allowedTopologies, volumeBindingMode) may get fixed.
      { event: { resource: 'StorageClass', actionType: ActionType.Add | ActionType.Update }, hint: (_p, o, n) => isSchedulableAfterStorageClassChange(o, n) },
      // PVC/PV changes may complete a binding or offer a volume.
      { event: { resource: 'PersistentVolumeClaim', actionType: ActionType.Add | ActionType.Update }, hint: (pod, _o, n) => isSchedulableAfterPVCChange(pod, n as PVC | undefined) },
      { event: { resource: 'PersistentVolume', actionType: ActionType.Add | ActionType.Update } },
      // Node labels may now satisfy allowedTopologies or PV node affinity.
      { event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeLabel | ActionType.UpdateNodeTaint } },
      { event: { resource: 'CSINode', actionType: ActionType.Add | ActionType.Update } },
    ];
  }
}

/** volume.GetBindVolumeToClaim: claimRef to the claim, bound-by-controller when the scheduler chose it. */
function bindVolumeToClaim(pv: PV, pvc: PVC): { pv: PV; dirty: boolean } {
  let dirty = false;
  const shouldSetBoundByController = !isVolumeBoundToClaim(pv, pvc);
  const clone = { ...pv, metadata: { ...pv.metadata }, spec: { ...(pv.spec ?? {}) } } as PersistentVolume & KObject;
  const ref = pv.spec?.claimRef;
  if (!ref || ref.name !== pvc.metadata.name || ref.namespace !== pvc.metadata.namespace || ref.uid !== pvc.metadata.uid) {
    clone.spec!.claimRef = {
      kind: 'PersistentVolumeClaim',
      namespace: pvc.metadata.namespace,
      name: pvc.metadata.name,
      uid: pvc.metadata.uid,
      apiVersion: 'v1',
      resourceVersion: pvc.metadata.resourceVersion,
    };
    dirty = true;
  }
  if (shouldSetBoundByController && clone.metadata.annotations?.[AnnBoundByController] === undefined) {
    clone.metadata.annotations = { ...(clone.metadata.annotations ?? {}), [AnnBoundByController]: 'yes' };
    dirty = true;
  }
  return { pv: clone as PV, dirty };
}

function isSchedulableAfterStorageClassChange(oldObj: Stored | undefined, newObj: Stored | undefined): QueueingHint {
  if (!oldObj) return 'Queue';
  const o = oldObj as Stored<StorageClass & KObject>;
  const n = newObj as Stored<StorageClass & KObject> | undefined;
  return JSON.stringify(o.allowedTopologies ?? null) !== JSON.stringify(n?.allowedTopologies ?? null) ? 'Queue' : 'QueueSkip';
}

function isSchedulableAfterPVCChange(pod: Pod, pvc: PVC | undefined): QueueingHint {
  if (!pvc) return 'Queue';
  if ((pvc.metadata.namespace ?? '') !== (pod.metadata?.namespace ?? '')) return 'QueueSkip';
  for (const vol of pod.spec?.volumes ?? []) {
    const c = claimNameOf(pod, vol);
    if (c && c.name === pvc.metadata.name) return 'Queue';
  }
  return 'QueueSkip';
}

export const factory: PluginFactory = (args, handle) => new VolumeBinding(volumeBindingArgs(args), handle);
