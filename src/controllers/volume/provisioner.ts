/**
 * A simulated external provisioner (the CSI external-provisioner sidecar of
 * every StorageClass's driver, sig-storage-lib-external-provisioner's
 * controller), standing in for the storage backends ksim does not have:
 *  - it provisions a claim the PV controller handed to its class's
 *    provisioner (the `volume.kubernetes.io/storage-provisioner`
 *    annotation), once the scheduler has picked a node for
 *    WaitForFirstConsumer classes (`volume.kubernetes.io/selected-node`);
 *  - `Provisioning` "External provisioner is provisioning volume for claim
 *    \"ns/name\"" when it starts, then after the provisioning latency
 *    (spec.config.controllers.volume.provisioningLatency, default 1s) a
 *    PersistentVolume `pvc-<claim uid>` pre-bound to the claim (claimRef),
 *    with the claim's size, access modes and volume mode, the class's
 *    reclaim policy and mount options, `pv.kubernetes.io/provisioned-by`,
 *    a `csi` source of the driver, and `ProvisioningSucceeded`
 *    "Successfully provisioned volume pvc-…"; the PV controller then binds;
 *  - node affinity: with a selected node, that node's value of each key the
 *    class's allowedTopologies use, or else of topology.kubernetes.io/zone,
 *    or else kubernetes.io/hostname (the topology keys CSI drivers report);
 *    without one (Immediate), one allowedTopologies term chosen from the
 *    seeded `volume-provisioner` stream, as a driver picks one accessible
 *    segment; none when the class has no allowedTopologies;
 *  - reclaim: a Released volume it provisioned with reclaim policy Delete is
 *    deleted (after the same latency).
 */
import type { Node, NodeSelectorRequirement, NodeSelectorTerm } from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import type { Controller, KObject, ReconcileContext, ReconcileResult, Stored, Time } from '../../sim/types.ts';
import { ApiError } from '../../sim/errors.ts';
import { FieldErrorList, type FieldError } from '../../api/errors.ts';
import { parseDuration } from '../../api/duration.ts';
import { claimRequest, getClaimClass, type PVCObj, type PVObj } from './volumeMatching.ts';
import { AnnBindCompleted, AnnDynamicallyProvisioned, AnnSelectedNode, AnnStorageProvisioner } from './persistentVolumeController.ts';

export const ControllerName = 'external-provisioner';
/** Default time a simulated backend takes to create (or delete) a volume. */
export const DefaultProvisioningLatency = 1000;

export interface ProvisionerOptions {
  provisioningLatency?: Time;
}

type SC = Stored<StorageClass & KObject>;

/**
 * spec.config.controllers.volume: {provisioningLatency: <Go duration>}.
 * Throws FieldErrorList (a bad scenario, exit 2) for unknown fields or bad values.
 */
export function parseVolumeConfig(raw: unknown, path = 'spec.config.controllers.volume'): ProvisionerOptions {
  const out: ProvisionerOptions = {};
  if (raw === undefined || raw === null) return out;
  const errs: FieldError[] = [];
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new FieldErrorList([{ path, type: 'Invalid', value: raw, detail: 'must be a mapping' }]);
  }
  for (const [key, value] of Object.entries(raw as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (key !== 'provisioningLatency') {
      errs.push({ path: `${path}.${key}`, type: 'FieldValueUnknown', detail: `unknown field ${JSON.stringify(key)}; supported: provisioningLatency` });
      continue;
    }
    let ms: number | undefined;
    try {
      ms = typeof value === 'string' ? parseDuration(value) : undefined;
    } catch {
      ms = undefined;
    }
    if (ms === undefined || ms < 0) errs.push({ path: `${path}.${key}`, type: 'Invalid', value, detail: 'must be a non-negative duration such as "1s" or "500ms"' });
    else out.provisioningLatency = ms;
  }
  if (errs.length > 0) throw new FieldErrorList(errs);
  return out;
}

const LabelZone = 'topology.kubernetes.io/zone';
const LabelHostname = 'kubernetes.io/hostname';

/** The provisioned volume's required node affinity (see the header). */
export function provisionedNodeAffinity(sc: StorageClass, node: Node | undefined, pick: (n: number) => number): NodeSelectorTerm[] | undefined {
  const terms = sc.allowedTopologies ?? [];
  if (node) {
    const labels = node.metadata?.labels ?? {};
    let keys = [...new Set(terms.flatMap((t) => (t.matchLabelExpressions ?? []).map((e) => e.key)))];
    if (keys.length === 0) keys = labels[LabelZone] !== undefined ? [LabelZone] : [LabelHostname];
    const exprs: NodeSelectorRequirement[] = [];
    for (const k of keys.sort()) {
      const v = k === LabelHostname ? (labels[k] ?? node.metadata?.name ?? '') : labels[k];
      if (v !== undefined) exprs.push({ key: k, operator: 'In', values: [v] });
    }
    return exprs.length > 0 ? [{ matchExpressions: exprs }] : undefined;
  }
  if (terms.length === 0) return undefined;
  const term = terms[pick(terms.length)]!;
  const exprs = (term.matchLabelExpressions ?? []).map((e) => {
    const vals = e.values ?? [];
    return { key: e.key, operator: 'In', values: vals.length > 0 ? [vals[pick(vals.length)]!] : [] };
  });
  return [{ matchExpressions: exprs }];
}

export function createProvisioner(opts: ProvisionerOptions = {}): Controller {
  const latency = opts.provisioningLatency ?? DefaultProvisioningLatency;
  /** Claims (by uid) being provisioned, and volumes being deleted: when the backend finishes. */
  const provisioning = new Map<string, Time>();
  const deleting = new Map<string, Time>();

  function syncClaim(ctx: ReconcileContext, claim: Stored<PVCObj>): ReconcileResult | void {
    const uid = claim.metadata.uid ?? '';
    const ann = claim.metadata.annotations ?? {};
    if (claim.metadata.deletionTimestamp || claim.spec?.volumeName || ann[AnnBindCompleted] !== undefined) {
      provisioning.delete(uid);
      return;
    }
    const provisioner = ann[AnnStorageProvisioner];
    if (!provisioner) return;
    const sc = ctx.lister<StorageClass & KObject>('StorageClass').get('', getClaimClass(claim)) as SC | undefined;
    if (!sc || sc.provisioner !== provisioner) return;
    const selected = ann[AnnSelectedNode];
    if (sc.volumeBindingMode === 'WaitForFirstConsumer' && selected === undefined) return;
    const pvName = `pvc-${uid}`;
    if (ctx.store.get('PersistentVolume', '', pvName)) {
      provisioning.delete(uid);
      return;
    }
    const source = { component: provisioner };
    const due = provisioning.get(uid);
    if (due === undefined) {
      provisioning.set(uid, ctx.now + latency);
      ctx.recorder.event(claim, 'Normal', 'Provisioning', `External provisioner is provisioning volume for claim "${claim.metadata.namespace}/${claim.metadata.name}"`, source);
      return { requeueAfter: Math.max(latency, 1) };
    }
    if (ctx.now < due) return { requeueAfter: due - ctx.now };
    const node = selected !== undefined ? ctx.lister<Node & KObject>('Node').get('', selected) : undefined;
    if (selected !== undefined && !node) {
      // A final failure for this node: drop the selected-node annotation so the scheduler picks another (rescheduling).
      provisioning.delete(uid);
      ctx.recorder.event(claim, 'Warning', 'ProvisioningFailed', `failed to get target node: node "${selected}" not found`, source);
      ctx.store.patch<PVCObj>('PersistentVolumeClaim', claim.metadata.namespace ?? '', claim.metadata.name ?? '', (d) => {
        if (d.metadata.annotations) delete d.metadata.annotations[AnnSelectedNode];
      }, { actor: ControllerName });
      return;
    }
    const rng = ctx.rng('volume-provisioner');
    const affinity = provisionedNodeAffinity(sc, node, (n) => rng.int(n));
    const pv: PVObj = {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: pvName, annotations: { [AnnDynamicallyProvisioned]: provisioner } },
      spec: {
        accessModes: [...(claim.spec?.accessModes ?? [])],
        capacity: { storage: claimRequest(claim).toString() },
        claimRef: { kind: 'PersistentVolumeClaim', namespace: claim.metadata.namespace, name: claim.metadata.name, uid, apiVersion: 'v1', resourceVersion: claim.metadata.resourceVersion },
        persistentVolumeReclaimPolicy: (sc.reclaimPolicy ?? 'Delete') as 'Delete',
        storageClassName: sc.metadata.name,
        volumeMode: claim.spec?.volumeMode ?? 'Filesystem',
        csi: { driver: provisioner, volumeHandle: pvName },
        ...(sc.mountOptions ? { mountOptions: [...sc.mountOptions] } : {}),
        ...(affinity ? { nodeAffinity: { required: { nodeSelectorTerms: affinity } } } : {}),
      },
    };
    try {
      ctx.store.create(pv, { actor: ControllerName });
    } catch (e) {
      if (!(e instanceof ApiError) || e.reason !== 'AlreadyExists') throw e;
    }
    provisioning.delete(uid);
    ctx.recorder.event(claim, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${pvName}`, source);
  }

  function syncVolume(ctx: ReconcileContext, pv: Stored<PVObj>): ReconcileResult | void {
    const name = pv.metadata.name ?? '';
    if (pv.status?.phase !== 'Released' || pv.spec?.persistentVolumeReclaimPolicy !== 'Delete' || pv.metadata.annotations?.[AnnDynamicallyProvisioned] === undefined) {
      deleting.delete(name);
      return;
    }
    const due = deleting.get(name);
    if (due === undefined) {
      deleting.set(name, ctx.now + latency);
      return { requeueAfter: Math.max(latency, 1) };
    }
    if (ctx.now < due) return { requeueAfter: due - ctx.now };
    deleting.delete(name);
    try {
      ctx.store.delete('PersistentVolume', '', name, { preconditions: { uid: pv.metadata.uid }, actor: ControllerName });
    } catch (e) {
      if (!(e instanceof ApiError) || e.reason !== 'NotFound') throw e;
    }
  }

  return {
    name: ControllerName,
    watches: [
      { kind: 'PersistentVolumeClaim', toKeys: (ev) => [`pvc:${ev.object.metadata.namespace ?? ''}/${ev.object.metadata.name ?? ''}`] },
      { kind: 'PersistentVolume', toKeys: (ev) => (ev.type === 'DELETED' ? [] : [`pv:${ev.object.metadata.name ?? ''}`]) },
    ],
    reconcile(key: string, ctx: ReconcileContext): ReconcileResult | void {
      try {
        if (key.startsWith('pvc:')) {
          const rest = key.slice(4);
          const i = rest.indexOf('/');
          const claim = ctx.lister<PVCObj>('PersistentVolumeClaim').get(rest.slice(0, i), rest.slice(i + 1));
          return claim ? syncClaim(ctx, claim) : undefined;
        }
        const pv = ctx.lister<PVObj>('PersistentVolume').get('', key.slice(3));
        return pv ? syncVolume(ctx, pv) : undefined;
      } catch (e) {
        if (e instanceof ApiError) return { requeue: true };
        throw e;
      }
    },
  };
}
