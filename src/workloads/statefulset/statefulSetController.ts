/**
 * The StatefulSet controller (`statefulset-controller`), following
 * pkg/controller/statefulset (stateful_set.go, stateful_set_control.go,
 * stateful_pod_control.go) of the newest upstream release:
 *  - revisions: the update revision is a ControllerRevision of the current
 *    template (an equal older one is re-numbered instead: a rollback), the
 *    current revision is status.currentRevision's; name collisions bump
 *    status.collisionCount; history beyond revisionHistoryLimit that no pod
 *    uses is deleted (truncateHistory);
 *  - updateStatefulSet: pods `<set>-<ordinal>` for ordinals.start ..
 *    start+replicas-1, created with their claims (`<template>-<set>-<ordinal>`)
 *    at the current revision below the partition and the update revision
 *    above; failed or succeeded pods deleted and re-created; OrderedReady
 *    (monotonic) waits for each pod to be Running, Ready and available before
 *    the next and stops at the first unhealthy one, Parallel works on all in
 *    slow-start batches; condemned pods (out of range) deleted from the highest
 *    ordinal, waiting for each in OrderedReady; RollingUpdate then deletes
 *    pods not at the update revision from the highest ordinal down to the
 *    partition, at most maxUnavailable unavailable at a time
 *    (MaxUnavailableStatefulSet, beta and on by default since v1.35); OnDelete
 *    leaves that to the user;
 *  - claims' owner references follow persistentVolumeClaimRetentionPolicy
 *    (StatefulSetAutoDeletePVC, GA in v1.32), so the garbage collector deletes
 *    them with the set (whenDeleted: Delete) or the scaled-down pod
 *    (whenScaled: Delete); by default (Retain) they outlive both;
 *  - status: replicas, readyReplicas, currentReplicas, updatedReplicas,
 *    availableReplicas (minReadySeconds), currentRevision, updateRevision,
 *    observedGeneration, collisionCount, written only when it changes; a
 *    finished rolling update makes the update revision current.
 * Events as upstream: `SuccessfulCreate` "create Pod web-0 in StatefulSet web
 * successful", "create Claim data-web-0 Pod web-0 in StatefulSet web success",
 * `SuccessfulDelete` "delete Pod web-2 in StatefulSet web successful",
 * `FailedCreate` "create Pod web-0 in StatefulSet web failed error: <err>".
 *
 * Pods are claimed as upstream's ClaimPods: orphans that match the selector
 * and are named as members (`<set>-<ordinal>`) are adopted, owned pods that
 * stop matching are released.
 *
 * Not modelled: adopting orphan ControllerRevisions, stale-claim detection
 * (PodClaimIsStale), and the check for claims whose owner UID changed.
 */
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { Controller, KObject, ReconcileContext, ReconcileResult, Stored, Time, WatchEvent, Writable } from '../../sim/types.ts';
import { ApiError, aggregate } from '../../sim/errors.ts';
import { labelSelectorAsSelector, type Selector } from '../../api/labels.ts';
import {
  controllerOf,
  equalRevision,
  newControllerRevision,
  sortRevisions,
  templatePatch,
  type ControllerRevision,
} from '../appsutil/controllerHistory.ts';
import { untilAvailable } from '../appsutil/podReadiness.ts';
import { OwnedIndex } from '../appsutil/ownedIndex.ts';
import { NO_KEYS } from '../../sim/runtime.ts';
import { OwnerIndex, OwnerNamespaces, claimObjects } from '../controllerutils/index.ts';
import {
  allowsBurst,
  claimEventMessage,
  claimOwnerRefs,
  eventReason,
  getEndOrdinal,
  getOrdinal,
  getPersistentVolumeClaimName,
  getPersistentVolumeClaims,
  getPodRevision,
  getStartOrdinal,
  getStatefulSetMaxUnavailable,
  isCreated,
  isFailed,
  isMemberOf,
  isPending,
  isRunningAndAvailable,
  isRunningAndReady,
  isSucceeded,
  isTerminating,
  isUnavailable,
  newStatefulSetPod,
  podEventMessage,
  podInOrdinalRange,
  replicasOf,
  sameRefs,
  type ClaimObj,
  type PodObj,
  type SetObj,
} from './statefulSetUtils.ts';

export const ControllerName = 'statefulset-controller';
const Source = { component: ControllerName };

/** slowStartBatch's cap (controller.SlowStartInitialBatchSize is 1; MaxBatchSize 500). */
const MaxBatchSize = 500;

export interface StatefulSetControllerOptions {
  /** Unix ms of virtual time 0, to read condition timestamps back. */
  epochMs: number;
  /** The MaxUnavailableStatefulSet feature gate (beta, on by default since v1.35); off, updates go one pod at a time. */
  maxUnavailableStatefulSet?: boolean;
}

type Rev = Stored<ControllerRevision>;

interface SetStatus {
  observedGeneration: number;
  replicas: number;
  readyReplicas: number;
  currentReplicas: number;
  updatedReplicas: number;
  currentRevision: string;
  updateRevision: string;
  collisionCount: number;
  availableReplicas: number;
}

function templateOf(rev: Rev): PodTemplateSpec {
  const data = rev.data as { spec?: { template?: Record<string, unknown> } } | undefined;
  const t = { ...(data?.spec?.template ?? {}) };
  delete t['$patch'];
  const meta = { ...((t['metadata'] ?? {}) as Record<string, unknown>) };
  delete meta['creationTimestamp'];
  t['metadata'] = meta;
  return t as PodTemplateSpec;
}

function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function createStatefulSetController(opts: StatefulSetControllerOptions): Controller {
  const pods = new OwnerIndex<PodObj>({ lazyOrphans: true });
  const revisions = new OwnedIndex<ControllerRevision>('StatefulSet');
  /** Every set by key with its selector, to find the sets an orphan pod may belong to (getPodStatefulSets). */
  const sets = new Map<string, { set: Stored<SetObj>; selector: Selector | undefined }>();
  /** The namespaces `sets` has a set in. */
  const setNamespaces = new OwnerNamespaces();

  function observeSet(ev: WatchEvent): string[] {
    const set = ev.object as Stored<SetObj>;
    const key = `${set.metadata.namespace ?? ''}/${set.metadata.name ?? ''}`;
    setNamespaces.observe(ev);
    if (ev.type === 'DELETED') sets.delete(key);
    else {
      let selector: Selector | undefined;
      try {
        selector = labelSelectorAsSelector(set.spec?.selector);
      } catch {
        selector = undefined;
      }
      sets.set(key, { set, selector });
    }
    return [key];
  }

  /** An orphan, or a pod controlled by a StatefulSet. */
  function mine(o: KObject): boolean {
    const r = controllerOf(o);
    return r === undefined || r.kind === 'StatefulSet';
  }

  /** A pod event: its controller's key, the previous controller's, or for an orphan every set that could adopt it. */
  function observePod(ev: WatchEvent): readonly string[] {
    // An orphan before and after, in a namespace with no StatefulSet and whose orphans the index does not file:
    // the index would not change and no set can adopt it or be its controller (no key below).
    if (pods.ignores(ev) && !setNamespaces.has(ev.object.metadata.namespace ?? '')) return NO_KEYS;
    // Only orphans and StatefulSet pods are indexed: pods of other controllers (150,000 ReplicaSet pods) cost nothing here.
    if (mine(ev.object)) pods.observe(ev);
    else if (ev.oldObject && mine(ev.oldObject)) pods.observe({ type: 'DELETED', object: ev.oldObject });
    const keys: string[] = [];
    const old = ev.oldObject ? controllerOf(ev.oldObject) : undefined;
    const cur = controllerOf(ev.object);
    const ns = ev.object.metadata.namespace ?? '';
    if (old && old.kind === 'StatefulSet' && old.uid !== cur?.uid) keys.push(`${ns}/${old.name}`);
    if (cur) {
      if (cur.kind === 'StatefulSet') keys.push(`${ns}/${cur.name}`);
      return keys;
    }
    if (ev.type === 'DELETED') return keys;
    const labels = ev.object.metadata.labels ?? {};
    for (const [key, { set, selector }] of sets) {
      if ((set.metadata.namespace ?? '') === ns && selector && !selector.empty && selector.matches(labels) && isMemberOf(set, ev.object as PodObj)) keys.push(key);
    }
    return keys;
  }

  function event(ctx: ReconcileContext, set: Stored<SetObj>, type: 'Normal' | 'Warning', reason: string, message: string): void {
    ctx.recorder.event(set, type, reason, message, Source);
  }

  function recordPodEvent(ctx: ReconcileContext, verb: string, set: Stored<SetObj>, pod: string, err?: string): void {
    event(ctx, set, err === undefined ? 'Normal' : 'Warning', eventReason(verb, err !== undefined), podEventMessage(verb, pod, set.metadata.name ?? '', err));
  }

  // ---- revisions (getStatefulSetRevisions) ----

  function createRevision(ctx: ReconcileContext, set: Stored<SetObj>, data: unknown, revision: number, collision: { count: number }): Rev {
    for (;;) {
      const cr = newControllerRevision(set, set.spec?.template?.metadata?.labels, data, revision, collision.count);
      for (const [k, v] of Object.entries(set.metadata.annotations ?? {})) (cr.metadata.annotations ??= {})[k] = v;
      try {
        return ctx.store.create(cr, { actor: ControllerName }) as Rev;
      } catch (e) {
        if (!(e instanceof ApiError) || e.reason !== 'AlreadyExists') throw e;
        const existing = ctx.store.get<ControllerRevision>('ControllerRevision', cr.metadata.namespace ?? '', cr.metadata.name ?? '');
        if (existing && equalRevision(existing, cr) && controllerOf(existing)?.uid === set.metadata.uid) return existing;
        collision.count++;
      }
    }
  }

  function getRevisions(ctx: ReconcileContext, set: Stored<SetObj>, revs: Rev[]): { current: Rev; update: Rev; collisionCount: number } {
    const collision = { count: set.status?.collisionCount ?? 0 };
    const next = revs.length === 0 ? 1 : revs[revs.length - 1]!.revision + 1;
    const data = templatePatch(set.spec?.template);
    const equal = revs.filter((r) => equalRevision(r, { data }));
    let update: Rev;
    if (equal.length > 0 && revs[revs.length - 1] === equal[equal.length - 1]) {
      update = revs[revs.length - 1]!;
    } else if (equal.length > 0) {
      const old = equal[equal.length - 1]!;
      update = ctx.store.patch<ControllerRevision>('ControllerRevision', old.metadata.namespace ?? '', old.metadata.name ?? '', (d) => {
        d.revision = next;
      }, { actor: ControllerName }) as Rev;
    } else {
      update = createRevision(ctx, set, data, next, collision);
    }
    const current = revs.find((r) => r.metadata.name === set.status?.currentRevision) ?? update;
    return { current, update, collisionCount: collision.count };
  }

  // ---- pod control (stateful_pod_control.go) ----

  function createClaims(ctx: ReconcileContext, set: Stored<SetObj>, pod: PodObj): string | undefined {
    const errs: string[] = [];
    for (const claim of getPersistentVolumeClaims(set, getOrdinal(pod))) {
      const ns = claim.metadata.namespace ?? '';
      const name = claim.metadata.name ?? '';
      const existing = ctx.store.get<ClaimObj>('PersistentVolumeClaim', ns, name);
      if (!existing) {
        try {
          ctx.store.create(claim, { actor: ControllerName });
          event(ctx, set, 'Normal', eventReason('create', false), claimEventMessage('create', name, pod.metadata.name ?? '', set.metadata.name ?? ''));
        } catch (e) {
          if (!(e instanceof ApiError)) throw e;
          errs.push(`failed to create PVC ${name}: ${e.message}`);
          if (e.reason !== 'AlreadyExists') event(ctx, set, 'Warning', eventReason('create', true), claimEventMessage('create', name, pod.metadata.name ?? '', set.metadata.name ?? '', e.message));
        }
      } else if (existing.metadata.deletionTimestamp) {
        errs.push(`pvc ${name} is being deleted`);
      }
    }
    // utilerrors.NewAggregate: one message bare, several as "[a, b]".
    return errs.length > 0 ? aggregate(errs) : undefined;
  }

  /** UpdatePodClaimForRetentionPolicy: point each claim's owner references at the set or the pod as the policy says. */
  function updateClaimsForRetention(ctx: ReconcileContext, set: Stored<SetObj>, pod: KObject): void {
    for (const tmpl of getPersistentVolumeClaims(set, getOrdinal(pod as PodObj))) {
      const ns = tmpl.metadata.namespace ?? '';
      const name = tmpl.metadata.name ?? '';
      const claim = ctx.store.get<ClaimObj>('PersistentVolumeClaim', ns, name);
      if (!claim) continue;
      const refs = claimOwnerRefs(claim, set, pod);
      if (sameRefs(claim.metadata.ownerReferences, refs)) continue;
      ctx.store.patch<ClaimObj>('PersistentVolumeClaim', ns, name, (d) => {
        if (refs.length > 0) d.metadata.ownerReferences = refs;
        else delete d.metadata.ownerReferences;
      }, { actor: ControllerName });
    }
  }

  /** ClaimsMatchRetentionPolicy (by claim name: no claim objects are built for the check). */
  function claimsMatchRetention(ctx: ReconcileContext, set: Stored<SetObj>, pod: KObject): boolean {
    if (!pod.metadata.uid) return true;
    const templates = set.spec?.volumeClaimTemplates ?? [];
    if (templates.length === 0) return true;
    const ordinal = getOrdinal(pod as PodObj);
    const claims = ctx.lister<ClaimObj>('PersistentVolumeClaim');
    for (const t of templates) {
      const claim = claims.get(set.metadata.namespace ?? '', getPersistentVolumeClaimName(set, t.metadata?.name ?? '', ordinal));
      if (!claim) continue;
      if (!sameRefs(claim.metadata.ownerReferences, claimOwnerRefs(claim, set, pod))) return false;
    }
    return true;
  }

  /** CreateStatefulPod: claims first, then the pod (AlreadyExists is sunk without an event). */
  function createPod(ctx: ReconcileContext, set: Stored<SetObj>, pod: PodObj): void {
    const name = pod.metadata.name ?? '';
    const claimErr = createClaims(ctx, set, pod);
    if (claimErr !== undefined) {
      recordPodEvent(ctx, 'create', set, name, claimErr);
      throw ApiError.internalError(claimErr);
    }
    let created: Stored<PodObj>;
    try {
      created = ctx.store.create(pod, { actor: ControllerName });
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      if (e.reason === 'AlreadyExists') throw e;
      recordPodEvent(ctx, 'create', set, name, e.message);
      throw e;
    }
    updateClaimsForRetention(ctx, set, created);
    recordPodEvent(ctx, 'create', set, name);
  }

  function deletePod(ctx: ReconcileContext, set: Stored<SetObj>, pod: Stored<PodObj>): void {
    const name = pod.metadata.name ?? '';
    try {
      ctx.store.delete('Pod', pod.metadata.namespace ?? '', name, { preconditions: { uid: pod.metadata.uid }, actor: ControllerName });
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      if (e.reason === 'NotFound') return;
      recordPodEvent(ctx, 'delete', set, name, e.message);
      throw e;
    }
    recordPodEvent(ctx, 'delete', set, name);
  }

  // ---- updateStatefulSet ----

  function computeStatus(set: Stored<SetObj>, now: Time, current: Rev, update: Rev, collisionCount: number, lists: ReadonlyArray<ReadonlyArray<PodObj | Stored<PodObj>>>): SetStatus {
    const minReady = set.spec?.minReadySeconds ?? 0;
    const s: SetStatus = {
      observedGeneration: set.metadata.generation ?? 0,
      replicas: 0,
      readyReplicas: 0,
      currentReplicas: 0,
      updatedReplicas: 0,
      currentRevision: current.metadata.name ?? '',
      updateRevision: update.metadata.name ?? '',
      collisionCount,
      availableReplicas: 0,
    };
    for (const list of lists) {
      for (const pod of list) {
        if (isCreated(pod)) s.replicas++;
        if (isRunningAndReady(pod)) {
          s.readyReplicas++;
          if (isRunningAndAvailable(pod, minReady, now, opts.epochMs)) s.availableReplicas++;
        }
        if (isCreated(pod) && !isTerminating(pod)) {
          const rev = getPodRevision(pod);
          if (rev === s.currentRevision) s.currentReplicas++;
          if (rev === s.updateRevision) s.updatedReplicas++;
        }
      }
    }
    return s;
  }

  function updateStatefulSet(ctx: ReconcileContext, set: Stored<SetObj>, current: Rev, update: Rev, collisionCount: number, owned: Stored<PodObj>[]): SetStatus {
    const now = ctx.now;
    const minReady = set.spec?.minReadySeconds ?? 0;
    const currentTemplate = templateOf(current);
    const updateTemplate = templateOf(update);
    let status = computeStatus(set, now, current, update, collisionCount, [owned]);

    const replicaCount = replicasOf(set);
    const start = getStartOrdinal(set);
    const end = getEndOrdinal(set);
    const replicas: Array<PodObj | Stored<PodObj>> = new Array(replicaCount);
    const condemned: Stored<PodObj>[] = [];
    for (const pod of owned) {
      if (podInOrdinalRange(pod, set)) replicas[getOrdinal(pod) - start] = pod;
      else if (getOrdinal(pod) >= 0) condemned.push(pod);
    }
    // newVersionedStatefulSetPod: below the partition at the current revision, else at the update revision.
    const ru = set.spec?.updateStrategy?.rollingUpdate;
    for (let ord = start; ord <= end; ord++) {
      if (replicas[ord - start]) continue;
      const useCurrent =
        set.spec?.updateStrategy?.type !== 'OnDelete' &&
        ((ru === undefined && ord < start + (set.status?.currentReplicas ?? 0)) || (ru !== undefined && ord < start + (ru.partition ?? 0)));
      replicas[ord - start] = useCurrent
        ? newStatefulSetPod(set, currentTemplate, ord, current.metadata.name ?? '')
        : newStatefulSetPod(set, updateTemplate, ord, update.metadata.name ?? '');
    }
    condemned.sort((a, b) => getOrdinal(b) - getOrdinal(a));

    let firstUnavailable: PodObj | Stored<PodObj> | undefined;
    for (const p of replicas) {
      if (isUnavailable(p!, minReady, now, opts.epochMs)) {
        firstUnavailable ??= p;
      }
    }
    for (let i = condemned.length - 1; i >= 0; i--) {
      if (isUnavailable(condemned[i]!, minReady, now, opts.epochMs)) firstUnavailable ??= condemned[i];
    }
    if (set.metadata.deletionTimestamp) return status;

    const monotonic = !allowsBurst(set);
    const refresh = (): SetStatus => computeStatus(set, now, current, update, collisionCount, [replicas as PodObj[], condemned]);

    // processReplica
    const processReplica = (i: number): boolean => {
      const pod = replicas[i]!;
      if (isFailed(pod) || isSucceeded(pod)) {
        if (!pod.metadata.deletionTimestamp) deletePod(ctx, set, pod as Stored<PodObj>);
        return true;
      }
      if (!isCreated(pod)) {
        createPod(ctx, set, pod as PodObj);
        if (monotonic) return true;
        return false;
      }
      if (isPending(pod)) {
        const err = createClaims(ctx, set, pod as PodObj);
        if (err !== undefined) throw ApiError.internalError(err);
      }
      if (isTerminating(pod) && monotonic) return true;
      if (!isRunningAndReady(pod) && monotonic) return true;
      if (!isRunningAndAvailable(pod, minReady, now, opts.epochMs) && monotonic) return true;
      if (!claimsMatchRetention(ctx, set, pod)) updateClaimsForRetention(ctx, set, pod);
      return false;
    };
    if (runForAll(replicas.length, processReplica, monotonic)) return refresh();

    // Condemned pods' claims get their scale-down owner (the pod) before the pod goes.
    const fixPodClaim = (i: number): boolean => {
      const pod = condemned[i]!;
      if (!claimsMatchRetention(ctx, set, pod)) updateClaimsForRetention(ctx, set, pod);
      return false;
    };
    if (runForAll(condemned.length, fixPodClaim, monotonic)) return refresh();

    const processCondemned = (i: number): boolean => {
      const pod = condemned[i]!;
      if (isTerminating(pod)) return monotonic;
      if (!isRunningAndReady(pod) && monotonic && pod !== firstUnavailable) return true;
      if (!isRunningAndAvailable(pod, minReady, now, opts.epochMs) && monotonic && pod !== firstUnavailable) return true;
      deletePod(ctx, set, pod);
      return true;
    };
    if (runForAll(condemned.length, processCondemned, monotonic)) return refresh();

    status = refresh();
    if (set.spec?.updateStrategy?.type === 'OnDelete') return status;

    const updateMin = ru?.partition ?? 0;
    if (opts.maxUnavailableStatefulSet === false) {
      // Without the gate: delete the highest-ordinal pod not at the update revision, then wait for it.
      for (let target = replicas.length - 1; target >= updateMin; target--) {
        const pod = replicas[target]!;
        if (getPodRevision(pod) !== status.updateRevision && !isTerminating(pod)) {
          deletePod(ctx, set, pod as Stored<PodObj>);
          status.currentReplicas--;
          return status;
        }
        if (isUnavailable(pod, minReady, now, opts.epochMs)) return status;
      }
      return status;
    }
    // updateStatefulSetAfterInvariantEstablished (MaxUnavailableStatefulSet on).
    const maxUnavailable = ru ? getStatefulSetMaxUnavailable(ru.maxUnavailable, replicaCount) : 1;
    let unavailablePods = 0;
    for (const p of replicas) if (isUnavailable(p!, minReady, now, opts.epochMs)) unavailablePods++;
    if (unavailablePods > maxUnavailable) return status;
    const podsToDelete = maxUnavailable - unavailablePods;
    let deleted = 0;
    for (let target = replicas.length - 1; target >= updateMin && deleted < podsToDelete; target--) {
      const pod = replicas[target]!;
      if (getPodRevision(pod) !== status.updateRevision && !isTerminating(pod)) {
        deletePod(ctx, set, pod as Stored<PodObj>);
        deleted++;
        status.currentReplicas--;
      }
    }
    return status;
  }

  /** runForAll: in order, stopping when fn says so (monotonic), or slow-start batches (1, 2, 4, ...) that stop at an error. */
  function runForAll(n: number, fn: (i: number) => boolean, monotonic: boolean): boolean {
    if (monotonic) {
      for (let i = 0; i < n; i++) if (fn(i)) return true;
      return false;
    }
    let j = 0;
    let remaining = n;
    for (let batch = Math.min(remaining, 1); batch > 0; batch = Math.min(2 * batch, remaining, MaxBatchSize)) {
      let failed: unknown;
      for (let k = 0; k < batch; k++, j++) {
        try {
          fn(j);
        } catch (e) {
          if (!(e instanceof ApiError)) throw e;
          failed ??= e;
        }
      }
      if (failed !== undefined) throw failed;
      remaining -= batch;
    }
    return false;
  }

  function writeStatus(ctx: ReconcileContext, set: Stored<SetObj>, status: SetStatus): void {
    // completeRollingUpdate
    const replicas = replicasOf(set);
    if (set.spec?.updateStrategy?.type !== 'OnDelete' && status.updatedReplicas === replicas && status.readyReplicas === replicas && status.replicas === replicas) {
      status.currentReplicas = status.updatedReplicas;
      status.currentRevision = status.updateRevision;
    }
    const old = set.status;
    const same =
      old !== undefined &&
      (old.observedGeneration ?? 0) === status.observedGeneration &&
      (old.replicas ?? 0) === status.replicas &&
      (old.readyReplicas ?? 0) === status.readyReplicas &&
      (old.currentReplicas ?? 0) === status.currentReplicas &&
      (old.updatedReplicas ?? 0) === status.updatedReplicas &&
      (old.currentRevision ?? '') === status.currentRevision &&
      (old.updateRevision ?? '') === status.updateRevision &&
      (old.collisionCount ?? 0) === status.collisionCount &&
      (old.availableReplicas ?? 0) === status.availableReplicas;
    if (same) return;
    ctx.store.patch<Writable<SetObj>>(
      'StatefulSet',
      set.metadata.namespace ?? '',
      set.metadata.name ?? '',
      (d) => {
        d.status = { ...status };
      },
      { subresource: 'status', actor: ControllerName },
    );
  }

  function truncateHistory(ctx: ReconcileContext, set: Stored<SetObj>, owned: Stored<PodObj>[], revs: Rev[], current: Rev, update: Rev): void {
    const live = new Set<string>([current.metadata.name ?? '', update.metadata.name ?? '']);
    for (const p of owned) live.add(getPodRevision(p));
    const history = revs.filter((r) => !live.has(r.metadata.name ?? ''));
    const limit = set.spec?.revisionHistoryLimit ?? 10;
    if (history.length <= limit) return;
    for (const r of history.slice(0, history.length - limit)) {
      try {
        ctx.store.delete('ControllerRevision', r.metadata.namespace ?? '', r.metadata.name ?? '', { actor: ControllerName });
      } catch (e) {
        if (!(e instanceof ApiError) || e.reason !== 'NotFound') throw e;
      }
    }
  }

  /** When the next pod becomes available (minReadySeconds), so status is recomputed then. */
  function nextAvailability(set: Stored<SetObj>, owned: Stored<PodObj>[], now: Time): Time | undefined {
    const minReady = set.spec?.minReadySeconds ?? 0;
    if (minReady <= 0) return undefined;
    let next: Time | undefined;
    for (const p of owned) {
      if (!isRunningAndReady(p) || isRunningAndAvailable(p, minReady, now, opts.epochMs)) continue;
      const d = untilAvailable(p, minReady, now, opts.epochMs);
      if (d > 0 && (next === undefined || d < next)) next = d;
    }
    return next;
  }

  return {
    name: ControllerName,
    watches: [
      { kind: 'StatefulSet', toKeys: observeSet },
      { kind: 'Pod', toKeys: observePod },
      { kind: 'ControllerRevision', toKeys: (ev) => revisions.observe(ev) },
    ],
    reconcile(key: string, ctx: ReconcileContext): ReconcileResult | void {
      const i = key.indexOf('/');
      const ns = key.slice(0, i);
      const name = key.slice(i + 1);
      const set = ctx.lister<SetObj>('StatefulSet').get(ns, name);
      if (!set) return;
      let selector: Selector;
      try {
        selector = labelSelectorAsSelector(set.spec?.selector);
      } catch (e) {
        event(ctx, set, 'Warning', 'InvalidSelector', `invalid selector: ${errText(e)}`);
        return;
      }
      const uid = set.metadata.uid ?? '';
      const revs = sortRevisions(revisions.of(uid).slice());
      let owned: Stored<PodObj>[];
      try {
        // ClaimPods: adopt matching orphans that are members of the set, release pods that stopped matching.
        const claim = claimObjects([...pods.owned(uid), ...pods.orphansIn(ns, ctx.lister<PodObj>('Pod'))], { store: ctx.store, controller: set, selector, actor: ControllerName, filter: (p) => isMemberOf(set, p as PodObj) });
        if (claim.errors.length > 0) throw claim.errors[0];
        owned = claim.claimed;
        const { current, update, collisionCount } = getRevisions(ctx, set, revs);
        const status = updateStatefulSet(ctx, set, current, update, collisionCount, owned);
        writeStatus(ctx, set, status);
        truncateHistory(ctx, set, owned, revs, current, update);
      } catch (e) {
        if (e instanceof ApiError) return { requeue: true };
        throw e;
      }
      const next = nextAvailability(set, owned, ctx.now);
      return next !== undefined ? { requeueAfter: next } : undefined;
    },
  };
}
