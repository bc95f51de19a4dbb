/**
 * The PersistentVolume controller's binder (`persistentvolume-binder-controller`,
 * events from `persistentvolume-controller`), following
 * pkg/controller/volume/persistentvolume/pv_controller.go of the newest
 * upstream release:
 *  - syncClaim: an unbound claim without volumeName is matched to the best
 *    volume (volumeMatching.ts) and bound; with none it gets the default
 *    class when it names none (RetroactiveDefaultStorageClass, GA in v1.28),
 *    waits for its first consumer (WaitForFirstConsumer classes until the
 *    scheduler's `volume.kubernetes.io/selected-node` annotation), or is
 *    handed to its class's external provisioner (the
 *    `volume.kubernetes.io/storage-provisioner` annotations and an
 *    `ExternalProvisioning` event), else stays Pending; a claim naming a
 *    volume (pre-bound) is bound to it when the volume fits; a bound claim
 *    whose volume went away is Lost;
 *  - bind: the volume's claimRef (`pv.kubernetes.io/bound-by-controller` when
 *    the controller chose it) and phase Bound, then the claim's volumeName,
 *    `pv.kubernetes.io/bind-completed` (and bound-by-controller), phase
 *    Bound, access modes and capacity from the volume;
 *  - syncVolume: a volume without claimRef is Available; one whose claim is
 *    gone is Released and reclaimed by its policy (Retain keeps it; Delete
 *    is done by the provisioner that made it, see provisioner.ts; other
 *    volumes report `VolumeFailedDelete`); a volume the controller bound to a
 *    claim that went elsewhere is unbound.
 * Claims are re-synced every 15 s (--pvclaimbinder-sync-period), which is
 * how a claim finds a volume created after it, as upstream.
 */
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Controller, KObject, ReconcileContext, ReconcileResult, Stored, WatchEvent, Writable } from '../../sim/types.ts';
import { ApiError } from '../../sim/errors.ts';
import { NO_KEYS } from '../../sim/runtime.ts';
import { getDefaultClass } from '../../api/storageClass.ts';
import {
  claimHasNoClass,
  claimRequest,
  findBestMatchForClaim,
  getClaimClass,
  getVolumeClass,
  isVolumeBoundToClaim,
  volumeCapacity,
  type PVCObj,
  type PVObj,
} from './volumeMatching.ts';

export const ControllerName = 'persistentvolume-binder-controller';
const Source = { component: 'persistentvolume-controller' };

export const AnnBindCompleted = 'pv.kubernetes.io/bind-completed';
export const AnnBoundByController = 'pv.kubernetes.io/bound-by-controller';
export const AnnSelectedNode = 'volume.kubernetes.io/selected-node';
export const AnnStorageProvisioner = 'volume.kubernetes.io/storage-provisioner';
export const AnnBetaStorageProvisioner = 'volume.beta.kubernetes.io/storage-provisioner';
export const AnnDynamicallyProvisioned = 'pv.kubernetes.io/provisioned-by';
export const NotSupportedProvisioner = 'kubernetes.io/no-provisioner';

/** --pvclaimbinder-sync-period default. */
export const ClaimSyncPeriod = 15_000;

type SC = Stored<StorageClass & KObject>;
type PodObj = Pod & KObject;

export interface PersistentVolumeControllerOptions {
  timestamp: (t?: number) => string;
}

/** The message of the ExternalProvisioning event (v1.29+ wording). */
export function externalProvisioningMessage(provisioner: string): string {
  return `Waiting for a volume to be created either by the external provisioner '${provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`;
}

export function createPersistentVolumeController(opts: PersistentVolumeControllerOptions): Controller {
  /**
   * Volume names by the claim their claimRef names ("ns/name") and, for
   * volumes without a claimRef, by class: the only volumes FindMatchingVolume
   * can return for a claim, so a sync does not scan every volume (upstream's
   * volume index does the same by access modes).
   */
  const volumesByClaim = new Map<string, Set<string>>();
  const freeByClass = new Map<string, Set<string>>();
  const volumeSlot = new Map<string, { byClaim: boolean; key: string }>();

  function observeVolume(ev: WatchEvent): void {
    const v = ev.object as Stored<PVObj>;
    const name = v.metadata.name ?? '';
    const slot = volumeSlot.get(name);
    if (slot) {
      (slot.byClaim ? volumesByClaim : freeByClass).get(slot.key)?.delete(name);
      volumeSlot.delete(name);
    }
    if (ev.type === 'DELETED') return;
    const ref = v.spec?.claimRef;
    const byClaim = ref !== undefined && ref !== null;
    const key = byClaim ? `${ref.namespace ?? ''}/${ref.name ?? ''}` : getVolumeClass(v);
    const m = byClaim ? volumesByClaim : freeByClass;
    let set = m.get(key);
    if (!set) m.set(key, (set = new Set()));
    set.add(name);
    volumeSlot.set(name, { byClaim, key });
  }

  function candidateVolumes(ctx: ReconcileContext, claim: Stored<PVCObj>, delayBinding: boolean): Stored<PVObj>[] {
    const lister = ctx.lister<PVObj>('PersistentVolume');
    const names = [...(volumesByClaim.get(`${claim.metadata.namespace ?? ''}/${claim.metadata.name ?? ''}`) ?? [])];
    if (!delayBinding) names.push(...(freeByClass.get(getClaimClass(claim)) ?? []));
    return names
      .sort()
      .map((n) => lister.get('', n))
      .filter((v): v is Stored<PVObj> => v !== undefined);
  }

  /** Pods using each claim ("ns/claim" -> pod names), for the WaitForPodScheduled message (upstream's pod indexer by PVC). */
  const podsByClaim = new Map<string, Set<string>>();

  function claimsOfPod(pod: Pod): string[] {
    const out: string[] = [];
    for (const v of pod.spec?.volumes ?? []) {
      if (v.persistentVolumeClaim?.claimName) out.push(`${pod.metadata?.namespace ?? ''}/${v.persistentVolumeClaim.claimName}`);
      else if (v.ephemeral) out.push(`${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}-${v.name}`);
    }
    return out;
  }

  function observePod(ev: WatchEvent): readonly string[] {
    // Most pods have no volumes, before or after: nothing to file or unfile, and no list of claims to make.
    // Why: this runs for every pod event of the cluster (two lists and an answer list each before).
    if (!hasVolumes(ev.object as PodObj) && (ev.oldObject === undefined || !hasVolumes(ev.oldObject as PodObj))) return NO_KEYS;
    const name = ev.object.metadata.name ?? '';
    if (ev.oldObject) for (const c of claimsOfPod(ev.oldObject as PodObj)) podsByClaim.get(c)?.delete(name);
    if (ev.type !== 'DELETED') {
      for (const c of claimsOfPod(ev.object as PodObj)) {
        let s = podsByClaim.get(c);
        if (!s) podsByClaim.set(c, (s = new Set()));
        s.add(name);
      }
    }
    return NO_KEYS;
  }

  /** Whether claimsOfPod has any volume to look at (an empty or absent list gives no claims). */
  function hasVolumes(pod: Pod): boolean {
    const v = pod.spec?.volumes;
    return v !== undefined && v !== null && v.length > 0;
  }

  function event(ctx: ReconcileContext, obj: KObject, type: 'Normal' | 'Warning', reason: string, message: string): void {
    ctx.recorder.event(obj, type, reason, message, Source);
  }

  function classOf(ctx: ReconcileContext, name: string): SC | undefined {
    return name === '' ? undefined : ctx.lister<StorageClass & KObject>('StorageClass').get('', name);
  }

  function isDelayBinding(ctx: ReconcileContext, claim: PVCObj): boolean {
    return classOf(ctx, getClaimClass(claim))?.volumeBindingMode === 'WaitForFirstConsumer';
  }

  // ---- writes ----

  function setVolumePhase(ctx: ReconcileContext, pv: Stored<PVObj>, phase: 'Available' | 'Bound' | 'Released' | 'Failed', message?: string): void {
    if (pv.status?.phase === phase && (pv.status?.message ?? undefined) === message) return;
    const time = opts.timestamp(ctx.now);
    ctx.store.patch<Writable<PVObj>>('PersistentVolume', '', pv.metadata.name ?? '', (d) => {
      const st: NonNullable<PVObj['status']> = { phase };
      if (message) st.message = message;
      // PersistentVolumeLastPhaseTransitionTime (GA in v1.31).
      st.lastPhaseTransitionTime = d.status?.phase === phase ? (d.status?.lastPhaseTransitionTime ?? time) : time;
      d.status = st;
    }, { subresource: 'status', actor: ControllerName });
  }

  function setClaimPending(ctx: ReconcileContext, claim: Stored<PVCObj>): void {
    if (claim.status?.phase === 'Pending') return;
    ctx.store.patch<Writable<PVCObj>>('PersistentVolumeClaim', claim.metadata.namespace ?? '', claim.metadata.name ?? '', (d) => {
      d.status = { ...(d.status ?? {}), phase: 'Pending' };
    }, { subresource: 'status', actor: ControllerName });
  }

  /** bind(volume, claim): volume claimRef and phase, then claim volumeName/annotations and status. */
  function bind(ctx: ReconcileContext, pv: Stored<PVObj>, claim: Stored<PVCObj>): void {
    const setBoundByController = !isVolumeBoundToClaim(pv, claim);
    const ref = pv.spec?.claimRef;
    let volume: Stored<PVObj> = pv;
    const needsRef = !ref || ref.uid !== claim.metadata.uid || ref.name !== claim.metadata.name || ref.namespace !== claim.metadata.namespace;
    if (needsRef || (setBoundByController && pv.metadata.annotations?.[AnnBoundByController] === undefined)) {
      volume = ctx.store.patch<PVObj>('PersistentVolume', '', pv.metadata.name ?? '', (d) => {
        d.spec ??= {};
        d.spec.claimRef = {
          kind: 'PersistentVolumeClaim',
          namespace: claim.metadata.namespace,
          name: claim.metadata.name,
          uid: claim.metadata.uid,
          apiVersion: 'v1',
          resourceVersion: claim.metadata.resourceVersion,
        };
        if (setBoundByController) d.metadata.annotations = { ...(d.metadata.annotations ?? {}), [AnnBoundByController]: 'yes' };
      }, { actor: ControllerName, resourceVersion: pv.metadata.resourceVersion });
    }
    setVolumePhase(ctx, volume, 'Bound');

    const ns = claim.metadata.namespace ?? '';
    const name = claim.metadata.name ?? '';
    let c: Stored<PVCObj> = claim;
    const claimBoundByController = !claim.spec?.volumeName;
    if (claim.spec?.volumeName !== pv.metadata.name || claim.metadata.annotations?.[AnnBindCompleted] === undefined) {
      c = ctx.store.patch<PVCObj>('PersistentVolumeClaim', ns, name, (d) => {
        d.spec ??= {};
        d.spec.volumeName = pv.metadata.name;
        const ann = { ...(d.metadata.annotations ?? {}) };
        if (claimBoundByController) ann[AnnBoundByController] = 'yes';
        ann[AnnBindCompleted] = 'yes';
        d.metadata.annotations = ann;
      }, { actor: ControllerName, resourceVersion: claim.metadata.resourceVersion });
    }
    const capacity = volume.spec?.capacity ?? {};
    const modes = volume.spec?.accessModes ?? [];
    if (c.status?.phase !== 'Bound' || JSON.stringify(c.status?.capacity ?? {}) !== JSON.stringify(capacity) || JSON.stringify(c.status?.accessModes ?? []) !== JSON.stringify(modes)) {
      ctx.store.patch<Writable<PVCObj>>('PersistentVolumeClaim', ns, name, (d) => {
        d.status = { ...(d.status ?? {}), phase: 'Bound', accessModes: [...modes], capacity: { ...capacity } };
      }, { subresource: 'status', actor: ControllerName });
    }
  }

  // ---- claims ----

  function syncClaim(ctx: ReconcileContext, claim: Stored<PVCObj>): void {
    if (claim.metadata.annotations?.[AnnBindCompleted] === undefined) syncUnboundClaim(ctx, claim);
    else syncBoundClaim(ctx, claim);
  }

  function syncUnboundClaim(ctx: ReconcileContext, claim: Stored<PVCObj>): void {
    if (!claim.spec?.volumeName) {
      const delayBinding = isDelayBinding(ctx, claim);
      let volume: Stored<PVObj> | undefined;
      try {
        volume = findBestMatchForClaim(claim, candidateVolumes(ctx, claim, delayBinding), delayBinding);
      } catch (e) {
        event(ctx, claim, 'Warning', 'ProvisioningFailed', `error creating internal label selector for claim: ${claim.metadata.namespace}/${claim.metadata.name}: ${e instanceof Error ? e.message : String(e)}`);
        return;
      }
      if (volume) {
        bind(ctx, volume, claim);
        return;
      }
      if (claimHasNoClass(claim)) {
        // RetroactiveDefaultStorageClass: a claim that names no class gets today's default.
        const def = getDefaultClass(ctx.lister<StorageClass & KObject>('StorageClass').list());
        if (def) {
          ctx.store.patch<PVCObj>('PersistentVolumeClaim', claim.metadata.namespace ?? '', claim.metadata.name ?? '', (d) => {
            (d.spec ??= {}).storageClassName = def.metadata.name;
          }, { actor: ControllerName, resourceVersion: claim.metadata.resourceVersion });
          return;
        }
      }
      const className = getClaimClass(claim);
      if (delayBinding && claim.metadata.annotations?.[AnnSelectedNode] === undefined) {
        emitWaitForConsumer(ctx, claim);
      } else if (className !== '') {
        provisionClaim(ctx, claim, className);
        return;
      } else {
        event(ctx, claim, 'Normal', 'FailedBinding', 'no persistent volumes available for this claim and no storage class is set');
      }
      setClaimPending(ctx, claim);
      return;
    }
    // The user asked for a particular volume.
    const volume = ctx.lister<PVObj>('PersistentVolume').get('', claim.spec.volumeName);
    if (!volume) {
      setClaimPending(ctx, claim);
      return;
    }
    if (!volume.spec?.claimRef || isVolumeBoundToClaim(volume, claim)) {
      const mismatch = checkVolumeSatisfyClaim(volume, claim);
      if (mismatch) {
        event(ctx, volume, 'Warning', 'VolumeMismatch', `Cannot bind to requested volume "${volume.metadata.name}": ${mismatch}`);
        setClaimPending(ctx, claim);
        return;
      }
      bind(ctx, volume, claim);
      return;
    }
    // The volume is bound to another claim: wait, the user may fix it.
    setClaimPending(ctx, claim);
  }

  /** checkVolumeSatisfyClaim: capacity, class, volume mode (access modes are the user's call for pre-bound volumes). */
  function checkVolumeSatisfyClaim(volume: Stored<PVObj>, claim: Stored<PVCObj>): string | undefined {
    const req = claimRequest(claim);
    const cap = volumeCapacity(volume);
    if (cap.cmp(req) < 0) return 'requested PV is too small';
    if (getVolumeClass(volume) !== getClaimClass(claim)) return 'storageClassName does not match';
    if ((volume.spec?.volumeMode ?? 'Filesystem') !== (claim.spec?.volumeMode ?? 'Filesystem')) return 'incompatible volumeMode';
    return undefined;
  }

  /** emitEventForUnboundDelayBindingClaim. */
  function emitWaitForConsumer(ctx: ReconcileContext, claim: Stored<PVCObj>): void {
    const ns = claim.metadata.namespace ?? '';
    const names = [...(podsByClaim.get(`${ns}/${claim.metadata.name ?? ''}`) ?? [])].sort();
    const pods = ctx.lister<PodObj>('Pod');
    const unscheduled = names.filter((n) => {
      const p = pods.get(ns, n);
      return p !== undefined && !p.spec?.nodeName;
    });
    if (unscheduled.length === 0) {
      event(ctx, claim, 'Normal', 'WaitForFirstConsumer', 'waiting for first consumer to be created before binding');
    } else if (unscheduled.length === 1) {
      event(ctx, claim, 'Normal', 'WaitForPodScheduled', `waiting for pod ${unscheduled[0]} to be scheduled`);
    } else {
      event(ctx, claim, 'Normal', 'WaitForPodScheduled', `waiting for pods ${unscheduled.join(',')} to be scheduled`);
    }
  }

  /** provisionClaim for an external (CSI) provisioner: annotate the claim and say whom it waits for. */
  function provisionClaim(ctx: ReconcileContext, claim: Stored<PVCObj>, className: string): void {
    const sc = classOf(ctx, className);
    if (!sc) {
      event(ctx, claim, 'Warning', 'ProvisioningFailed', `storageclass.storage.k8s.io "${className}" not found`);
      setClaimPending(ctx, claim);
      return;
    }
    const provisioner = sc.provisioner ?? '';
    if (provisioner.startsWith('kubernetes.io/')) {
      // In-tree names without a plugin (kubernetes.io/no-provisioner among them) cannot provision.
      event(ctx, claim, 'Warning', 'ProvisioningFailed', `no volume plugin matched name: ${provisioner}`);
      setClaimPending(ctx, claim);
      return;
    }
    const ann = claim.metadata.annotations ?? {};
    if (ann[AnnStorageProvisioner] !== provisioner || ann[AnnBetaStorageProvisioner] !== provisioner) {
      claim = ctx.store.patch<PVCObj>('PersistentVolumeClaim', claim.metadata.namespace ?? '', claim.metadata.name ?? '', (d) => {
        d.metadata.annotations = { ...(d.metadata.annotations ?? {}), [AnnBetaStorageProvisioner]: provisioner, [AnnStorageProvisioner]: provisioner };
      }, { actor: ControllerName, resourceVersion: claim.metadata.resourceVersion });
    }
    event(ctx, claim, 'Normal', 'ExternalProvisioning', externalProvisioningMessage(provisioner));
    setClaimPending(ctx, claim);
  }

  function setClaimLost(ctx: ReconcileContext, claim: Stored<PVCObj>, message: string): void {
    if (claim.status?.phase === 'Lost') return;
    event(ctx, claim, 'Warning', 'ClaimLost', message);
    ctx.store.patch<Writable<PVCObj>>('PersistentVolumeClaim', claim.metadata.namespace ?? '', claim.metadata.name ?? '', (d) => {
      d.status = { ...(d.status ?? {}), phase: 'Lost' };
    }, { subresource: 'status', actor: ControllerName });
  }

  function syncBoundClaim(ctx: ReconcileContext, claim: Stored<PVCObj>): void {
    if (!claim.spec?.volumeName) {
      setClaimLost(ctx, claim, 'Bound claim has lost reference to PersistentVolume. Data on the volume is lost!');
      return;
    }
    const volume = ctx.lister<PVObj>('PersistentVolume').get('', claim.spec.volumeName);
    if (!volume) {
      setClaimLost(ctx, claim, 'Bound claim has lost its PersistentVolume. Data on the volume is lost!');
      return;
    }
    const ref = volume.spec?.claimRef;
    if (!ref || ref.uid === claim.metadata.uid) {
      bind(ctx, volume, claim);
      return;
    }
    event(ctx, claim, 'Warning', 'ClaimMisbound', 'Two claims are bound to the same volume, this one is bound incorrectly');
    setClaimLost(ctx, claim, 'Bound claim has lost its PersistentVolume. Data on the volume is lost!');
  }

  // ---- volumes ----

  function syncVolume(ctx: ReconcileContext, volume: Stored<PVObj>): void {
    const ref = volume.spec?.claimRef;
    if (!ref) {
      setVolumePhase(ctx, volume, 'Available');
      return;
    }
    if (!ref.uid) {
      // Pre-bound by the user to a claim that is not bound yet.
      setVolumePhase(ctx, volume, 'Available');
      return;
    }
    let claim = ctx.lister<PVCObj>('PersistentVolumeClaim').get(ref.namespace ?? '', ref.name ?? '');
    if (!claim) claim = ctx.store.get<PVCObj>('PersistentVolumeClaim', ref.namespace ?? '', ref.name ?? '');
    if (claim && claim.metadata.uid !== ref.uid) claim = undefined;
    if (!claim) {
      if (volume.status?.phase !== 'Released' && volume.status?.phase !== 'Failed') setVolumePhase(ctx, volume, 'Released');
      reclaimVolume(ctx, volume);
      return;
    }
    if (!claim.spec?.volumeName) {
      // Binding in progress (the controller's own, or a dangling user binding): the claim's sync finishes it.
      return;
    }
    if (claim.spec.volumeName === volume.metadata.name) {
      setVolumePhase(ctx, volume, 'Bound');
      return;
    }
    // The claim is bound to another volume.
    if (volume.metadata.annotations?.[AnnDynamicallyProvisioned] !== undefined && volume.spec?.persistentVolumeReclaimPolicy === 'Delete') {
      if (volume.status?.phase !== 'Released') setVolumePhase(ctx, volume, 'Released');
      return;
    }
    if (volume.metadata.annotations?.[AnnBoundByController] !== undefined) {
      const unbound = ctx.store.patch<PVObj>('PersistentVolume', '', volume.metadata.name ?? '', (d) => {
        if (d.spec) delete d.spec.claimRef;
        if (d.metadata.annotations) delete d.metadata.annotations[AnnBoundByController];
      }, { actor: ControllerName, resourceVersion: volume.metadata.resourceVersion });
      setVolumePhase(ctx, unbound, 'Available');
    }
  }

  /** reclaimVolume: Retain keeps it; Delete is the provisioner's job for volumes it made. */
  function reclaimVolume(ctx: ReconcileContext, volume: Stored<PVObj>): void {
    const policy = volume.spec?.persistentVolumeReclaimPolicy ?? 'Retain';
    if (policy === 'Retain') return;
    if (policy === 'Delete') {
      if (volume.metadata.annotations?.[AnnDynamicallyProvisioned] !== undefined) return;
      const msg = `error getting deleter volume plugin for volume "${volume.metadata.name}": no deletable volume plugin matched`;
      if (volume.status?.phase !== 'Failed') {
        event(ctx, volume, 'Warning', 'VolumeFailedDelete', msg);
        setVolumePhase(ctx, volume, 'Failed', msg);
      }
      return;
    }
    // Recycle is deprecated and not modelled.
    const msg = 'Recycle is not supported by ksim';
    if (volume.status?.phase !== 'Failed') {
      event(ctx, volume, 'Warning', 'VolumeFailedRecycle', msg);
      setVolumePhase(ctx, volume, 'Failed', msg);
    }
  }

  return {
    name: ControllerName,
    resyncPeriod: ClaimSyncPeriod,
    watches: [
      {
        kind: 'PersistentVolumeClaim',
        toKeys: (ev) => {
          const c = ev.object as Stored<PVCObj>;
          const keys = [`pvc:${c.metadata.namespace ?? ''}/${c.metadata.name ?? ''}`];
          if (ev.type === 'DELETED' && c.spec?.volumeName) keys.push(`pv:${c.spec.volumeName}`);
          return keys;
        },
      },
      {
        kind: 'PersistentVolume',
        toKeys: (ev) => {
          observeVolume(ev);
          const v = ev.object as Stored<PVObj>;
          const keys = [`pv:${v.metadata.name ?? ''}`];
          const ref = v.spec?.claimRef;
          if (ref?.name && ev.type !== 'DELETED') keys.push(`pvc:${ref.namespace ?? ''}/${ref.name}`);
          if (ev.type === 'DELETED' && ref?.name) keys.push(`pvc:${ref.namespace ?? ''}/${ref.name}`);
          return keys;
        },
      },
      { kind: 'StorageClass', toKeys: () => [] },
      { kind: 'Pod', toKeys: observePod },
    ],
    reconcile(key: string, ctx: ReconcileContext): ReconcileResult | void {
      try {
        if (key.startsWith('pvc:')) {
          const rest = key.slice(4);
          const i = rest.indexOf('/');
          const claim = ctx.lister<PVCObj>('PersistentVolumeClaim').get(rest.slice(0, i), rest.slice(i + 1));
          if (claim && !claim.metadata.deletionTimestamp) syncClaim(ctx, claim);
        } else if (key.startsWith('pv:')) {
          const volume = ctx.lister<PVObj>('PersistentVolume').get('', key.slice(3));
          if (volume) syncVolume(ctx, volume);
        }
      } catch (e) {
        if (e instanceof ApiError && (e.reason === 'Conflict' || e.reason === 'NotFound')) return { requeue: true };
        throw e;
      }
    },
  };
}
