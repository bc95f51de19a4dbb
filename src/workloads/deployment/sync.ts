/**
 * One sync of one Deployment, as pkg/controller/deployment/sync.go (newest
 * upstream): finding or creating the new ReplicaSet (getNewReplicaSet, with
 * the pod-template-hash, `<deployment>-<hash>` name, revision annotations and
 * hash-collision handling), scaling ReplicaSets (proportionally during a
 * rollout), cleaning up old ReplicaSets beyond revisionHistoryLimit, and the
 * status (calculateStatus, Available condition).
 *
 * A DeploymentSync holds a private working copy of the Deployment (upstream's
 * DeepCopy) and writes through the store with optimistic concurrency:
 * status through the status subresource, the revision annotation (which
 * upstream's status strategy lets UpdateStatus carry) through the main
 * resource. ReplicaSets written during the sync replace their entry in the
 * sync's list, so a second look in the same sync does not repeat a write.
 */
import type { DeploymentStatus } from 'kubernetes-types/apps/v1.js';
import type { EventSource, ReconcileContext, Stored, Time } from '../../sim/types.ts';
import { isApiError } from '../../sim/errors.ts';
import { computeHash, getControllerOf, newControllerRef } from '../controllerutils/index.ts';
import {
  DefaultDeploymentUniqueLabelKey,
  FailedRSCreateReason,
  FoundNewRSReason,
  MinimumReplicasAvailable,
  MinimumReplicasUnavailable,
  NewReplicaSetReason,
  type DeploymentObj,
  type ReplicaSetObj,
  equalIgnoreHash,
  filterActiveReplicaSets,
  findActiveOrLatest,
  findNewReplicaSet,
  findOldReplicaSets,
  getActualReplicaCountForReplicaSets,
  getAvailableReplicaCountForReplicaSets,
  getDeploymentCondition,
  getDesiredReplicasAnnotation,
  getProportion,
  getReadyReplicaCountForReplicaSets,
  getReplicaCountForReplicaSets,
  getTerminatingReplicaCountForReplicaSets,
  hasProgressDeadline,
  hasRevisionHistoryLimit,
  isRollingUpdate,
  isSaturated,
  maxRevision,
  maxSurge,
  maxUnavailable,
  newDeploymentCondition,
  newRSNewReplicas,
  replicasAnnotationsNeedUpdate,
  replicasOf,
  rsByCreation,
  rsByRevision,
  rsBySizeNewer,
  rsBySizeOlder,
  setDeploymentCondition,
  setDeploymentRevision,
  setNewReplicaSetAnnotations,
  setReplicasAnnotations,
} from './util.ts';

export const ControllerName = 'deployment-controller';
export const EventSourceDeployment: EventSource = { component: ControllerName };

export type RS = ReplicaSetObj;

/** DeploymentStatus with v1.35's terminatingReplicas (not yet in kubernetes-types). */
export type DeploymentStatusV135 = DeploymentStatus & { terminatingReplicas?: number };

/**
 * A working copy of a stored Deployment or ReplicaSet: metadata, annotations,
 * spec and status are fresh objects the sync may change; deeper parts (the
 * pod template) stay shared and frozen, as the sync never edits them in place.
 */
function clone<T extends { metadata?: object; spec?: object; status?: object }>(o: T): T {
  const meta = { ...(o.metadata ?? {}) } as { annotations?: Record<string, string> };
  if (meta.annotations) meta.annotations = { ...meta.annotations };
  const out = { ...o, metadata: meta } as T;
  if (o.spec) (out as { spec?: object }).spec = { ...o.spec };
  if (o.status) (out as { status?: object }).status = structuredClone(o.status);
  return out;
}

function annotationsJSON(o: { metadata?: { annotations?: Record<string, string> } }): string {
  const a = o.metadata?.annotations ?? {};
  return JSON.stringify(Object.keys(a).sort().map((k) => [k, a[k]]));
}

/** The status as stored: zero counts omitted (omitempty); collisionCount kept when set. */
export function wireDeploymentStatus(s: DeploymentStatus): DeploymentStatus {
  const out: DeploymentStatus = {};
  if (s.observedGeneration) out.observedGeneration = s.observedGeneration;
  if (s.replicas) out.replicas = s.replicas;
  if (s.updatedReplicas) out.updatedReplicas = s.updatedReplicas;
  if (s.readyReplicas) out.readyReplicas = s.readyReplicas;
  if (s.availableReplicas) out.availableReplicas = s.availableReplicas;
  if (s.unavailableReplicas) out.unavailableReplicas = s.unavailableReplicas;
  const terminating = (s as DeploymentStatusV135).terminatingReplicas;
  if (terminating !== undefined) (out as DeploymentStatusV135).terminatingReplicas = terminating;
  if (s.conditions && s.conditions.length > 0) out.conditions = s.conditions;
  if (s.collisionCount !== undefined && s.collisionCount !== null) out.collisionCount = s.collisionCount;
  return out;
}

export function sameStatus(a: DeploymentStatus | undefined, b: DeploymentStatus): boolean {
  return JSON.stringify(wireDeploymentStatus(a ?? {})) === JSON.stringify(wireDeploymentStatus(b));
}

export class DeploymentSync {
  /** The working copy (mutated as upstream mutates its DeepCopy). */
  readonly d: DeploymentObj;
  private storedAnnotations: string;
  /** A requeue requested by the progress check (ms), or 'rateLimited'. */
  requeue: number | 'rateLimited' | undefined;

  constructor(
    readonly ctx: ReconcileContext,
    deployment: Stored<DeploymentObj>,
    readonly rsList: RS[],
    readonly parseTime: (ts: string) => Time,
    readonly timestamp: (t: Time) => string,
  ) {
    this.d = clone(deployment) as DeploymentObj;
    this.storedAnnotations = annotationsJSON(deployment);
  }

  get now(): Time {
    return this.ctx.now;
  }

  get time(): string {
    return this.timestamp(this.ctx.now);
  }

  event(type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.ctx.recorder.event(this.d, type, reason, message, EventSourceDeployment);
  }

  private replaceInList(rs: RS): void {
    const i = this.rsList.findIndex((x) => x.metadata.uid === rs.metadata.uid);
    if (i >= 0) this.rsList[i] = rs;
    else this.rsList.push(rs);
  }

  /** UpdateStatus of the working copy (its revision annotation first, through the main resource). */
  updateStatus(): void {
    const ns = this.d.metadata.namespace ?? '';
    const name = this.d.metadata.name ?? '';
    let rv = this.d.metadata.resourceVersion;
    if (annotationsJSON(this.d) !== this.storedAnnotations) {
      const ann = { ...(this.d.metadata.annotations ?? {}) };
      const r = this.ctx.store.patch<DeploymentObj>('Deployment', ns, name, (dr) => void (dr.metadata.annotations = ann), {
        actor: ControllerName,
        ...(rv ? { resourceVersion: rv } : {}),
      });
      rv = r.metadata.resourceVersion;
      this.storedAnnotations = annotationsJSON(this.d);
    }
    const status = wireDeploymentStatus(this.d.status ?? {});
    const r = this.ctx.store.patch<DeploymentObj>('Deployment', ns, name, (dr) => void ((dr as { status?: DeploymentStatus }).status = status), {
      actor: ControllerName,
      subresource: 'status',
      ...(rv ? { resourceVersion: rv } : {}),
    });
    (this.d.metadata as { resourceVersion?: string }).resourceVersion = r.metadata.resourceVersion;
  }

  /** Update of a ReplicaSet (a changed copy of a listed one), with its resourceVersion as precondition. */
  updateReplicaSet(copy: RS): RS {
    const updated = this.ctx.store.update<RS>(copy, { actor: ControllerName }) as RS;
    this.replaceInList(updated);
    return updated;
  }

  // ---- getAllReplicaSetsAndSyncRevision / getNewReplicaSet ----

  getAllReplicaSetsAndSyncRevision(createIfNotExisted: boolean): { newRS: RS | undefined; oldRSs: RS[] } {
    const [, allOld] = findOldReplicaSets(this.d, this.rsList);
    const newRS = this.getNewReplicaSet(allOld, createIfNotExisted);
    return { newRS, oldRSs: allOld };
  }

  private getNewReplicaSet(oldRSs: RS[], createIfNotExisted: boolean): RS | undefined {
    const d = this.d;
    const existing = findNewReplicaSet(d, this.rsList);
    const newRevision = String(maxRevision(oldRSs) + 1);
    if (existing) {
      const copy = clone(existing) as RS;
      const annotationsUpdated = setNewReplicaSetAnnotations(d, copy, newRevision, true);
      const minReadyNeedsUpdate = (copy.spec?.minReadySeconds ?? 0) !== (d.spec?.minReadySeconds ?? 0);
      if (annotationsUpdated || minReadyNeedsUpdate) {
        const spec = (copy.spec ??= { selector: {}, replicas: 0 } as NonNullable<RS['spec']>);
        if (d.spec?.minReadySeconds) spec.minReadySeconds = d.spec.minReadySeconds;
        else delete spec.minReadySeconds;
        return this.updateReplicaSet(copy);
      }
      let needsUpdate = setDeploymentRevision(d, copy.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? '');
      const cond = getDeploymentCondition(d.status, 'Progressing');
      if (hasProgressDeadline(d) && !cond) {
        setDeploymentCondition((d.status ??= {}), newDeploymentCondition('Progressing', 'True', FoundNewRSReason, `Found new replica set "${copy.metadata.name ?? ''}"`, this.time));
        needsUpdate = true;
      }
      if (needsUpdate) this.updateStatus();
      return copy;
    }
    if (!createIfNotExisted) return undefined;

    const hash = computeHash(d.spec?.template ?? {}, d.status?.collisionCount ?? undefined);
    const labels = { ...(d.spec?.template?.metadata?.labels ?? {}), [DefaultDeploymentUniqueLabelKey]: hash };
    const template = { ...(d.spec?.template ?? {}), metadata: { ...(d.spec?.template?.metadata ?? {}), labels } };
    const selector = { ...(d.spec?.selector ?? {}) };
    selector.matchLabels = { ...(selector.matchLabels ?? {}), [DefaultDeploymentUniqueLabelKey]: hash };
    const rsName = `${d.metadata.name ?? ''}-${hash}`;
    const newRS: RS = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: rsName, namespace: d.metadata.namespace ?? 'default', ownerReferences: [newControllerRef(d)], labels: { ...labels } },
      spec: { replicas: 0, selector, template, ...(d.spec?.minReadySeconds ? { minReadySeconds: d.spec.minReadySeconds } : {}) },
    };
    const newReplicas = newRSNewReplicas(d, [...oldRSs, newRS], newRS);
    newRS.spec!.replicas = newReplicas;
    setNewReplicaSetAnnotations(d, newRS, newRevision, false);

    let created: RS;
    let alreadyExists = false;
    try {
      created = this.ctx.store.create<RS>(newRS, { actor: ControllerName }) as RS;
    } catch (e) {
      if (!isApiError(e)) throw e;
      if (e.reason === 'AlreadyExists') {
        alreadyExists = true;
        const rs = this.ctx.lister<RS>('ReplicaSet').get(newRS.metadata.namespace ?? '', rsName);
        if (!rs) throw e;
        const ref = getControllerOf(rs);
        if (ref && ref.uid === d.metadata.uid && equalIgnoreHash(d.spec?.template, rs.spec?.template)) {
          created = rs as RS;
        } else {
          // A hash collision: bump collisionCount and retry with a new hash on the next sync.
          const status = (d.status ??= {});
          status.collisionCount = (status.collisionCount ?? 0) + 1;
          try {
            this.updateStatus();
          } catch (ue) {
            if (!isApiError(ue)) throw ue;
          }
          throw e;
        }
      } else if (e.reason === 'Forbidden' && e.message.includes('because it is being terminated')) {
        throw e;
      } else {
        const msg = `Failed to create new replica set "${rsName}": ${e.message}`;
        if (hasProgressDeadline(d)) {
          setDeploymentCondition((d.status ??= {}), newDeploymentCondition('Progressing', 'False', FailedRSCreateReason, msg, this.time));
          try {
            this.updateStatus();
          } catch (ue) {
            if (!isApiError(ue)) throw ue;
          }
        }
        this.event('Warning', FailedRSCreateReason, msg);
        throw e;
      }
    }
    this.replaceInList(created);
    if (!alreadyExists && newReplicas > 0) this.event('Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata.name ?? ''} from 0 to ${newReplicas}`);
    let needsUpdate = setDeploymentRevision(d, newRevision);
    if (!alreadyExists && hasProgressDeadline(d)) {
      setDeploymentCondition((d.status ??= {}), newDeploymentCondition('Progressing', 'True', NewReplicaSetReason, `Created new replica set "${created.metadata.name ?? ''}"`, this.time));
      needsUpdate = true;
    }
    if (needsUpdate) this.updateStatus();
    return created;
  }

  // ---- scaling ----

  /** scaleReplicaSetAndRecordEvent: [scaled, the ReplicaSet after]. */
  scaleReplicaSetAndRecordEvent(rs: RS, newScale: number): [boolean, RS] {
    if (replicasOf(rs) === newScale) return [false, rs];
    return this.scaleReplicaSet(rs, newScale, replicasOf(rs) < newScale ? 'up' : 'down');
  }

  scaleReplicaSet(rs: RS, newScale: number, operation: string): [boolean, RS] {
    const d = this.d;
    const sizeNeedsUpdate = replicasOf(rs) !== newScale;
    const annotationsNeedUpdate = replicasAnnotationsNeedUpdate(rs, replicasOf(d), replicasOf(d) + maxSurge(d));
    if (!sizeNeedsUpdate && !annotationsNeedUpdate) return [false, rs];
    const oldScale = replicasOf(rs);
    const copy = clone(rs) as RS;
    copy.spec!.replicas = newScale;
    setReplicasAnnotations(copy, replicasOf(d), replicasOf(d) + maxSurge(d));
    const updated = this.updateReplicaSet(copy);
    if (sizeNeedsUpdate) this.event('Normal', 'ScalingReplicaSet', `Scaled ${operation} replica set ${updated.metadata.name ?? ''} from ${oldScale} to ${newScale}`);
    return [sizeNeedsUpdate, updated];
  }

  /** scale: a scaling event (spec.replicas changed), including proportional scaling of a rollout in progress. */
  scale(newRS: RS | undefined, oldRSs: RS[]): void {
    const d = this.d;
    const activeOrLatest = findActiveOrLatest(newRS, oldRSs);
    if (activeOrLatest) {
      if (replicasOf(activeOrLatest) === replicasOf(d)) return;
      this.scaleReplicaSetAndRecordEvent(activeOrLatest, replicasOf(d));
      return;
    }
    if (isSaturated(d, newRS)) {
      for (const old of filterActiveReplicaSets(oldRSs)) this.scaleReplicaSetAndRecordEvent(old, 0);
      return;
    }
    if (!isRollingUpdate(d)) return;
    const allRSs = filterActiveReplicaSets([...oldRSs, newRS]);
    const allRSsReplicas = getReplicaCountForReplicaSets(allRSs);
    const allowedSize = replicasOf(d) > 0 ? replicasOf(d) + maxSurge(d) : 0;
    const toAdd = allowedSize - allRSsReplicas;
    let operation = '';
    if (toAdd > 0) {
      allRSs.sort(rsBySizeNewer);
      operation = 'up';
    } else if (toAdd < 0) {
      allRSs.sort(rsBySizeOlder);
      operation = 'down';
    }
    let added = 0;
    const nameToSize = new Map<string, number>();
    for (const rs of allRSs) {
      if (toAdd !== 0) {
        const proportion = getProportion(rs, d, toAdd, added);
        nameToSize.set(rs.metadata.name ?? '', replicasOf(rs) + proportion);
        added += proportion;
      } else {
        nameToSize.set(rs.metadata.name ?? '', replicasOf(rs));
      }
    }
    allRSs.forEach((rs, i) => {
      const n = rs.metadata.name ?? '';
      if (i === 0 && toAdd !== 0) {
        const leftover = toAdd - added;
        nameToSize.set(n, Math.max(0, nameToSize.get(n)! + leftover));
      }
      this.scaleReplicaSet(rs, nameToSize.get(n)!, operation);
    });
  }

  /** isScalingEvent: an active ReplicaSet's desired-replicas annotation differs from spec.replicas. */
  isScalingEvent(): boolean {
    const { newRS, oldRSs } = this.getAllReplicaSetsAndSyncRevision(false);
    for (const rs of filterActiveReplicaSets([...oldRSs, newRS])) {
      const desired = getDesiredReplicasAnnotation(rs);
      if (desired === undefined) continue;
      if (desired !== replicasOf(this.d)) return true;
    }
    return false;
  }

  /** sync: scale, clean up when paused, write status. */
  sync(): void {
    const { newRS, oldRSs } = this.getAllReplicaSetsAndSyncRevision(false);
    this.scale(newRS, oldRSs);
    if (this.d.spec?.paused) this.cleanupDeployment(oldRSs);
    this.syncDeploymentStatus([...oldRSs, newRS], newRS);
  }

  /** cleanupDeployment: delete the oldest scaled-down ReplicaSets beyond revisionHistoryLimit. */
  cleanupDeployment(oldRSs: RS[]): void {
    const d = this.d;
    if (!hasRevisionHistoryLimit(d)) return;
    const cleanable = oldRSs.filter((rs) => !rs.metadata.deletionTimestamp);
    const diff = cleanable.length - (d.spec?.revisionHistoryLimit ?? 0);
    if (diff <= 0) return;
    cleanable.sort(rsByRevision);
    for (let i = 0; i < diff; i++) {
      const rs = cleanable[i]!;
      if ((rs.status?.replicas ?? 0) !== 0 || replicasOf(rs) !== 0 || (rs.metadata.generation ?? 0) > (rs.status?.observedGeneration ?? 0) || rs.metadata.deletionTimestamp) continue;
      try {
        this.ctx.store.delete('ReplicaSet', rs.metadata.namespace ?? '', rs.metadata.name ?? '', { actor: ControllerName });
      } catch (e) {
        if (!isApiError(e, 'NotFound')) throw e;
      }
    }
  }

  // ---- status ----

  /** calculateStatus. */
  calculateStatus(allRSs: (RS | undefined)[], newRS: RS | undefined): DeploymentStatus {
    const d = this.d;
    const available = getAvailableReplicaCountForReplicaSets(allRSs);
    const total = getReplicaCountForReplicaSets(allRSs);
    const status: DeploymentStatus = {
      observedGeneration: d.metadata.generation ?? 0,
      replicas: getActualReplicaCountForReplicaSets(allRSs),
      updatedReplicas: getActualReplicaCountForReplicaSets([newRS]),
      readyReplicas: getReadyReplicaCountForReplicaSets(allRSs),
      availableReplicas: available,
      unavailableReplicas: Math.max(0, total - available),
    };
    if (d.status?.collisionCount !== undefined && d.status.collisionCount !== null) status.collisionCount = d.status.collisionCount;
    // DeploymentReplicaSetTerminatingReplicas (beta, on by default in v1.35).
    const terminating = getTerminatingReplicaCountForReplicaSets(allRSs);
    if (terminating !== undefined) (status as DeploymentStatusV135).terminatingReplicas = terminating;
    if (d.status?.conditions) status.conditions = d.status.conditions.map((c) => ({ ...c }));
    if (available >= replicasOf(d) - maxUnavailable(d)) {
      setDeploymentCondition(status, newDeploymentCondition('Available', 'True', MinimumReplicasAvailable, 'Deployment has minimum availability.', this.time));
    } else {
      setDeploymentCondition(status, newDeploymentCondition('Available', 'False', MinimumReplicasUnavailable, 'Deployment does not have minimum availability.', this.time));
    }
    return status;
  }

  /** syncDeploymentStatus: write the calculated status when it differs. */
  syncDeploymentStatus(allRSs: (RS | undefined)[], newRS: RS | undefined): void {
    const status = this.calculateStatus(allRSs, newRS);
    if (sameStatus(this.d.status, status)) return;
    this.d.status = status;
    this.updateStatus();
  }
}

export { rsByCreation };
