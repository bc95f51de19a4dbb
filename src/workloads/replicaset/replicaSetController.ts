/**
 * The ReplicaSet controller, as kube-controller-manager's
 * pkg/controller/replicaset (newest upstream), also run for
 * ReplicationControllers as upstream's pkg/controller/replication does (the
 * same code over a v1 ReplicationController, whose selector is a plain label
 * map; events come from component "replication-controller").
 *
 * syncReplicaSet: when the expectations for the key are satisfied and the
 * owner is not being deleted, create or delete pods to match spec.replicas
 * (manageReplicas): at most burstReplicas (500) per sync, creates in slow-start
 * batches 1, 2, 4, ... stopping at the first error, deletes ranked by
 * ActivePodsWithRanks; then write status (replicas, fullyLabeledReplicas,
 * readyReplicas, availableReplicas, observedGeneration and the ReplicaFailure
 * condition, reason FailedCreate / FailedDelete, message the API error). A
 * failed create or delete returns the error so the key is retried on the work
 * queue's rate limiter.
 *
 * Pods are claimed through ControllerRef: orphans matching the selector are
 * adopted, owned pods that stop matching are released. Pod events lower the
 * expectations (a creation observed on add, a deletion when the pod gets its
 * deletionTimestamp or disappears) as upstream's informer handlers do.
 *
 * Differences, all in timing only: upstream requeues minReadySeconds + 1 s
 * after a pod turns Ready; ksim requeues at the instant the first Ready pod
 * becomes available. Related pods for ranking are the pods owned by the
 * ReplicaSets sharing this one's controller (upstream lists them by those
 * ReplicaSets' selectors, which select the same pods unless labels were edited).
 * status.terminatingReplicas (feature gate DeploymentReplicaSetTerminatingReplicas:
 * alpha in v1.33, beta and on by default in v1.35) counts the claimed pods
 * being deleted that have not reached a terminal phase; it is always written
 * (a pointer upstream, so 0 appears).
 */
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { Controller, KObject, Lister, ReconcileContext, ReconcileResult, Runtime, Stored, Time, WatchEvent } from '../../sim/types.ts';
import { keysForOwnedUpdate } from '../controllerutils/controllerRef.ts';
import { ApiError, isApiError } from '../../sim/errors.ts';
import { labelSelectorAsSelector, selectorFromSet, type Selector, labelsEqual } from '../../api/labels.ts';
import {
  UIDTrackingControllerExpectations,
  OwnerIndex,
  OwnerNamespaces,
  SlowStartInitialBatchSize,
  claimObjects,
  filterActivePods,
  getControllerOf,
  getPodFromTemplate,
  getPodsToDelete,
  isPodAvailable,
  isPodReady,
  newControllerRef,
  podAvailableAt,
  podKey,
  slowStartBatch,
  type ParseTime,
  type PodObj,
  type StoredPod,
} from '../controllerutils/index.ts';

/** --replicaset-burst-replicas / BurstReplicas: creates or deletes per sync. */
export const BurstReplicas = 500;

export const ReplicaFailure = 'ReplicaFailure';
export const SuccessfulCreatePodReason = 'SuccessfulCreate';
export const FailedCreatePodReason = 'FailedCreate';
export const SuccessfulDeletePodReason = 'SuccessfulDelete';
export const FailedDeletePodReason = 'FailedDelete';

export type ReplicaSetKind = 'ReplicaSet' | 'ReplicationController';

export interface ReplicaSetCondition {
  type: string;
  status: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export interface ReplicaSetStatus {
  replicas: number;
  fullyLabeledReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  /** DeploymentReplicaSetTerminatingReplicas (beta, on by default in v1.35). */
  terminatingReplicas?: number;
  observedGeneration?: number;
  conditions?: ReplicaSetCondition[];
}

/** apps/v1 ReplicaSet or v1 ReplicationController, as the controller reads them. */
export interface ReplicaSetLike extends KObject {
  spec?: {
    replicas?: number;
    minReadySeconds?: number;
    selector?: LabelSelector | Record<string, string>;
    template?: PodTemplateSpec;
  };
  status?: ReplicaSetStatus;
}

export interface ReplicaSetControllerOptions {
  kind: ReplicaSetKind;
  /** The runtime, for the informer the pod handlers resolve owners through. */
  runtime: Runtime;
  parseTime: ParseTime;
  timestamp: (t: Time) => string;
  burstReplicas?: number;
  /** DeploymentReplicaSetTerminatingReplicas (alpha 1.33, on since 1.35): write status.terminatingReplicas. Default on. */
  terminatingReplicas?: boolean;
}

/** Controller-manager names (the controller's name and its events' source component). */
export function controllerNames(kind: ReplicaSetKind): { name: string; component: string } {
  return kind === 'ReplicaSet'
    ? { name: 'replicaset-controller', component: 'replicaset-controller' }
    : { name: 'replicationcontroller', component: 'replication-controller' };
}

/** The label selector of a ReplicaSet (LabelSelector) or ReplicationController (a label map). Throws LabelSelectorError. */
export function selectorOf(kind: ReplicaSetKind, rs: ReplicaSetLike): Selector {
  if (kind === 'ReplicationController') return selectorFromSet((rs.spec?.selector ?? {}) as Record<string, string>);
  return labelSelectorAsSelector(rs.spec?.selector as LabelSelector | undefined);
}

function keyOf(ns: string, name: string): string {
  return `${ns}/${name}`;
}

/** No owner to sync (shared: the runtime only iterates a watch's keys). */
const NoKeys = Object.freeze([]) as readonly string[] as string[];


/** calculateStatus: counts over the claimed active pods, the ReplicaFailure condition from the manageReplicas error. */
export function calculateStatus(
  rs: ReplicaSetLike,
  pods: readonly StoredPod[],
  terminating: number,
  manageErr: ApiError | undefined,
  now: Time,
  parseTime: ParseTime,
  timestamp: string,
): ReplicaSetStatus {
  const templateLabels = selectorFromSet(rs.spec?.template?.metadata?.labels ?? {});
  const minReady = rs.spec?.minReadySeconds ?? 0;
  let fully = 0;
  let ready = 0;
  let available = 0;
  // Indexed (500 pods a sync): a for-of left to unoptimised code allocated an iterator result per pod.
  for (let i = 0; i < pods.length; i++) {
    const p = pods[i]!;
    if (templateLabels.matches(p.metadata.labels ?? {})) fully++;
    if (isPodReady(p)) {
      ready++;
      if (isPodAvailable(p, minReady, now, parseTime)) available++;
    }
  }
  let conditions = [...(rs.status?.conditions ?? [])];
  const failure = conditions.find((c) => c.type === ReplicaFailure);
  if (manageErr && !failure) {
    const diff = pods.length - (rs.spec?.replicas ?? 1);
    const reason = diff < 0 ? FailedCreatePodReason : diff > 0 ? FailedDeletePodReason : '';
    const cond: ReplicaSetCondition = { type: ReplicaFailure, status: 'True', lastTransitionTime: timestamp, message: manageErr.message };
    if (reason) cond.reason = reason;
    conditions = [...conditions.filter((c) => c.type !== ReplicaFailure), cond];
  } else if (!manageErr && failure) {
    conditions = conditions.filter((c) => c.type !== ReplicaFailure);
  }
  const status: ReplicaSetStatus = {
    ...(rs.status ?? { replicas: 0 }),
    replicas: pods.length,
    fullyLabeledReplicas: fully,
    readyReplicas: ready,
    availableReplicas: available,
    terminatingReplicas: terminating,
  };
  if (conditions.length > 0) status.conditions = conditions;
  else delete status.conditions;
  return status;
}

function statusUnchanged(rs: ReplicaSetLike, s: ReplicaSetStatus): boolean {
  const cur = rs.status;
  return (
    (cur?.replicas ?? 0) === s.replicas &&
    (cur?.fullyLabeledReplicas ?? 0) === (s.fullyLabeledReplicas ?? 0) &&
    (cur?.readyReplicas ?? 0) === (s.readyReplicas ?? 0) &&
    (cur?.availableReplicas ?? 0) === (s.availableReplicas ?? 0) &&
    cur?.terminatingReplicas === s.terminatingReplicas &&
    (rs.metadata.generation ?? 0) === (cur?.observedGeneration ?? 0) &&
    JSON.stringify(cur?.conditions ?? []) === JSON.stringify(s.conditions ?? [])
  );
}

/** The status as the API stores it: zero counts are omitted (omitempty), replicas always present. */
function wireStatus(s: ReplicaSetStatus): ReplicaSetStatus {
  // Field order as apps/v1 ReplicaSetStatus serialises.
  const out: ReplicaSetStatus = { replicas: s.replicas };
  if (s.fullyLabeledReplicas) out.fullyLabeledReplicas = s.fullyLabeledReplicas;
  if (s.readyReplicas) out.readyReplicas = s.readyReplicas;
  if (s.availableReplicas) out.availableReplicas = s.availableReplicas;
  if (s.terminatingReplicas !== undefined) out.terminatingReplicas = s.terminatingReplicas;
  if (s.observedGeneration) out.observedGeneration = s.observedGeneration;
  if (s.conditions && s.conditions.length > 0) out.conditions = s.conditions;
  return out;
}

export function createReplicaSetController(opts: ReplicaSetControllerOptions): Controller {
  const kind = opts.kind;
  const { name, component } = controllerNames(kind);
  const source = { component };
  const burst = opts.burstReplicas ?? BurstReplicas;
  const expectations = new UIDTrackingControllerExpectations();
  const pods = new OwnerIndex<PodObj>({ lazyOrphans: true });
  const owners = new OwnerIndex<ReplicaSetLike>();
  /** The namespaces the owner cache lists any owner in (the owner watch keeps it, as it keeps ownerUids). */
  const ownerNamespaces = new OwnerNamespaces();
  let rsLister: Lister<ReplicaSetLike> | undefined;
  const lister = (): Lister<ReplicaSetLike> => (rsLister ??= opts.runtime.informer<ReplicaSetLike>(kind, {}, `${name}/owners`));
  lister();

  /**
   * The key of the owner resolved last, by the cached object: the pods of one
   * ReplicaSet arrive together, and the same key string (hashed once) makes the
   * work queue's membership test cheap, where a new "namespace/name" per pod
   * event was built and hashed again. The key is a function of the object (its
   * namespace and name), so a hit gives what keyOf would build.
   */
  let lastOwner: Stored<ReplicaSetLike> | undefined;
  let lastOwnerKey = '';
  /** [lastOwnerKey], frozen: what a pod event of that owner returns (the runtime only reads a watch's keys). */
  let lastOwnerKeys: string[] = NoKeys;

  /** resolveControllerRef: the owner named by a pod's controller reference, if it is ours and still the same object. */
  function resolve(ns: string, ref: { kind: string; name: string; uid: string } | undefined): string | undefined {
    if (!ref || ref.kind !== kind) return undefined;
    const rs = lister().get(ns, ref.name);
    if (!rs || rs.metadata.uid !== ref.uid) return undefined;
    if (rs === lastOwner) return lastOwnerKey;
    lastOwner = rs;
    lastOwnerKey = keyOf(ns, ref.name);
    lastOwnerKeys = Object.freeze([lastOwnerKey]) as readonly string[] as string[];
    return lastOwnerKey;
  }

  /** The owner's key as a watch's key list: the shared frozen one for the owner resolved last. */
  function keysOf(key: string): string[] {
    return key === lastOwnerKey ? lastOwnerKeys : [key];
  }

  /** getPodReplicaSets: owners in the pod's namespace whose selector matches it (for orphans). */
  function matchingOwners(p: StoredPod): string[] {
    const ns = p.metadata.namespace ?? '';
    const labels = p.metadata.labels ?? {};
    if (Object.keys(labels).length === 0) return [];
    const out: string[] = [];
    for (const rs of lister().list(ns)) {
      let sel: Selector;
      try {
        sel = selectorOf(kind, rs);
      } catch {
        continue;
      }
      if (sel.empty) continue;
      if (sel.matches(labels)) out.push(keyOf(ns, rs.metadata.name ?? ''));
    }
    return out;
  }

  function deletePodKeys(p: StoredPod): string[] {
    const ns = p.metadata.namespace ?? '';
    const key = resolve(ns, getControllerOf(p));
    if (!key) return [];
    expectations.deletionObservedOf(key, podKey(p));
    return [key];
  }

  /**
   * The uids of this kind's live objects. A pod whose controller reference
   * names another kind is claimed by uid alone (ClaimPods compares uids), so
   * such a pod is ours only if the uid is one of these.
   */
  const ownerUids = new Set<string>();

  /** Whether a pod's controller is something other than one of ours (a Job, a StatefulSet…): no key, count or claim of ours can involve it. */
  function foreign(p: StoredPod): boolean {
    const ref = getControllerOf(p);
    return ref !== undefined && ref.kind !== kind && !ownerUids.has(ref.uid);
  }

  /** The pod informer's handlers (addPod, updatePod, deletePod). */
  function podEvent(ev: WatchEvent): string[] {
    // An orphan before and after, in a namespace with no owner of ours and whose orphans the index does not
    // file: the index would not change, no owner can adopt it (getPodReplicaSets lists none) and it names no
    // controller to resolve, so every branch below answers no key.
    if (pods.ignores(ev) && !ownerNamespaces.has(ev.object.metadata.namespace ?? '')) return NoKeys;
    // A pod added as, or staying, another controller's: resolveControllerRef rejects its kind in every branch
    // below, and the index need not file it (nothing of ours asks for its owner's pods). Why: a cluster of Jobs
    // delivered every pod event to the indexes of both this controller and the ReplicationController one.
    // Deletions always reach the index: a pod filed before it changed hands is unfiled then.
    if (ev.type !== 'DELETED' && foreign(ev.object as StoredPod) && (ev.type === 'ADDED' || foreign((ev.oldObject ?? ev.object) as StoredPod))) return NoKeys;
    pods.observe(ev);
    const cur = ev.object as StoredPod;
    const ns = cur.metadata.namespace ?? '';
    if (ev.type === 'ADDED') {
      if (cur.metadata.deletionTimestamp) return deletePodKeys(cur);
      const ref = getControllerOf(cur);
      if (ref) {
        const key = resolve(ns, ref);
        if (!key) return NoKeys;
        expectations.creationObserved(key);
        return keysOf(key);
      }
      return matchingOwners(cur);
    }
    if (ev.type === 'DELETED') return deletePodKeys(cur);
    const old = (ev.oldObject ?? cur) as StoredPod;
    if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return NoKeys;
    // Stored objects are frozen, and writes that leave labels alone keep the same labels object.
    const labelChanged = old.metadata.labels !== cur.metadata.labels && !labelsEqual(old.metadata.labels, cur.metadata.labels);
    if (cur.metadata.deletionTimestamp) {
      const keys = deletePodKeys(cur);
      if (labelChanged) keys.push(...deletePodKeys(old));
      return keys;
    }
    // The commonest event, a binding or status write: the same (frozen) ownerReferences array means the same
    // controller, so keysForOwnedUpdate's answer is the current controller's key, or the adopters on a label change.
    if (old.metadata.ownerReferences === cur.metadata.ownerReferences) {
      const ref = getControllerOf(cur);
      if (ref) {
        const key = resolve(ns, ref);
        return key === undefined ? NoKeys : keysOf(key);
      }
      return labelChanged ? matchingOwners(cur) : NoKeys;
    }
    return keysForOwnedUpdate(old, cur, labelChanged, (ref) => resolve(ns, ref), () => matchingOwners(cur));
  }

  function ownerEvent(ev: WatchEvent): string[] {
    owners.observe(ev);
    ownerNamespaces.observe(ev);
    const uid = ev.object.metadata.uid;
    if (uid !== undefined) {
      if (ev.type === 'DELETED') ownerUids.delete(uid);
      else ownerUids.add(uid);
    }
    const key = keyOf(ev.object.metadata.namespace ?? '', ev.object.metadata.name ?? '');
    if (ev.type === 'DELETED') expectations.deleteExpectations(key);
    return [key];
  }

  /** getIndirectlyRelatedPods: pods of every ReplicaSet sharing this one's controller. */
  function relatedPods(rs: Stored<ReplicaSetLike>): StoredPod[] {
    const ref = getControllerOf(rs);
    if (!ref) return [];
    const out: StoredPod[] = [];
    const seen = new Set<string>();
    for (const sibling of owners.owned(ref.uid)) {
      for (const p of pods.owned(sibling.metadata.uid ?? '')) {
        const uid = p.metadata.uid ?? '';
        if (seen.has(uid)) continue;
        seen.add(uid);
        out.push(p);
      }
    }
    return out;
  }

  function manageReplicas(ctx: ReconcileContext, rs: Stored<ReplicaSetLike>, filtered: StoredPod[], key: string): ApiError | undefined {
    const ns = rs.metadata.namespace ?? '';
    const desired = rs.spec?.replicas ?? 1;
    let diff = filtered.length - desired;
    if (diff < 0) {
      diff = Math.min(-diff, burst);
      expectations.expectCreations(key, diff, ctx.now);
      const template = rs.spec?.template ?? {};
      const ref = newControllerRef(rs);
      const result = slowStartBatch(diff, SlowStartInitialBatchSize, () => {
        const pod = getPodFromTemplate(template, rs, ref);
        if (Object.keys(pod.metadata.labels ?? {}).length === 0) throw ApiError.badRequest('unable to create pods, no labels');
        try {
          // The pod is built fresh for this create and not used after: the store may take it over (no copy).
          const created = ctx.store.create(pod, { actor: name, adopt: true });
          // join: one flat string (the Event keeps it; a template made a cons rope the recorder then flattened into a second string).
          ctx.recorder.event(rs, 'Normal', SuccessfulCreatePodReason, ['Created pod: ', created.metadata.name ?? ''].join(''), source);
        } catch (e) {
          if (!isApiError(e)) throw e;
          ctx.recorder.event(rs, 'Warning', FailedCreatePodReason, `Error creating: ${e.message}`, source);
          // A terminating namespace refuses every create: not an error worth retrying (NamespaceTerminatingCause).
          if (e.reason === 'Forbidden' && e.message.includes('because it is being terminated')) return;
          throw e;
        }
      });
      for (let i = result.successes; i < diff; i++) expectations.creationObserved(key);
      if (result.error !== undefined) {
        if (!isApiError(result.error)) throw result.error;
        return result.error;
      }
      return undefined;
    }
    if (diff > 0) {
      diff = Math.min(diff, burst);
      const toDelete = getPodsToDelete(filtered, relatedPods(rs), diff, ctx.now, opts.parseTime);
      expectations.expectDeletionsOf(key, toDelete.map(podKey), ctx.now);
      let firstErr: ApiError | undefined;
      for (const p of toDelete) {
        const podName = p.metadata.name ?? '';
        try {
          ctx.store.delete('Pod', ns, podName, { actor: name });
          ctx.recorder.event(rs, 'Normal', SuccessfulDeletePodReason, `Deleted pod: ${podName}`, source);
        } catch (e) {
          if (!isApiError(e)) throw e;
          expectations.deletionObservedOf(key, podKey(p));
          if (e.reason === 'NotFound') continue;
          ctx.recorder.event(rs, 'Warning', FailedDeletePodReason, `Error deleting: ${e.message}`, source);
          firstErr ??= new ApiError(e.reason, e.code, `unable to delete pods: ${e.message}`);
        }
      }
      return firstErr;
    }
    return undefined;
  }

  return {
    name,
    watches: [
      { kind, toKeys: ownerEvent },
      { kind: 'Pod', toKeys: podEvent },
    ],
    reconcile(key: string, ctx: ReconcileContext): ReconcileResult | void {
      const slash = key.indexOf('/');
      const ns = key.slice(0, slash);
      const rsName = key.slice(slash + 1);
      const rs = lister().get(ns, rsName);
      if (!rs) {
        expectations.deleteExpectations(key);
        return;
      }
      const needsSync = expectations.satisfiedExpectations(key, ctx.now);
      let selector: Selector;
      try {
        selector = selectorOf(kind, rs);
      } catch {
        return; // an invalid selector is not retried (validation keeps them out)
      }
      const uid = rs.metadata.uid ?? '';
      const candidates = [...pods.owned(uid), ...pods.orphansIn(ns, ctx.lister<PodObj>('Pod'))];
      const claim = claimObjects(filterActivePods(candidates), { store: ctx.store, controller: rs, selector, actor: name });
      if (claim.errors.length > 0) return { requeue: true };
      const filtered = claim.claimed;

      let manageErr: ApiError | undefined;
      if (needsSync && !rs.metadata.deletionTimestamp) manageErr = manageReplicas(ctx, rs, filtered, key);

      // FilterTerminatingPods + FilterClaimedPods: our pods being deleted, not yet terminal, still matching.
      let terminating = 0;
      for (const p of pods.owned(uid)) {
        if (!p.metadata.deletionTimestamp || p.status?.phase === 'Failed' || p.status?.phase === 'Succeeded') continue;
        if (selector.matches(p.metadata.labels ?? {})) terminating++;
      }
      const status = calculateStatus(rs, filtered, terminating, manageErr, ctx.now, opts.parseTime, opts.timestamp(ctx.now));
      // Gate off: the field is not written (and Deployments, which sum it, leave theirs unset too).
      if (opts.terminatingReplicas === false) delete status.terminatingReplicas;
      let current: Stored<ReplicaSetLike> = rs;
      if (!statusUnchanged(rs, status)) {
        status.observedGeneration = rs.metadata.generation ?? 0;
        try {
          current = ctx.store.patch<ReplicaSetLike>(kind, ns, rsName, (d) => void (d.status = wireStatus(status)), { subresource: 'status', actor: name });
        } catch (e) {
          if (isApiError(e, 'NotFound')) return;
          throw e;
        }
      }
      if (manageErr) return { requeue: true };
      // Requeue for the moment the next Ready pod becomes available (minReadySeconds).
      const minReady = current.spec?.minReadySeconds ?? 0;
      if (minReady > 0 && (current.status?.availableReplicas ?? 0) < (current.status?.readyReplicas ?? 0)) {
        let next = Infinity;
        for (const p of filtered) {
          if (isPodAvailable(p, minReady, ctx.now, opts.parseTime)) continue;
          const at = podAvailableAt(p, minReady, opts.parseTime);
          if (at !== undefined && at < next) next = at;
        }
        if (next !== Infinity) return { requeueAfter: Math.max(1, next - ctx.now) };
      }
      return;
    },
  };
}
