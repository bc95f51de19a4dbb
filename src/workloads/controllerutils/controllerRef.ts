/**
 * ControllerRef helpers and the ControllerRefManager's claim, as
 * pkg/controller/controller_ref_manager.go: a controller owns the objects
 * whose ownerReferences name it with controller=true. Claiming (ClaimObject):
 *  - owned by another controller: ignored;
 *  - owned by us and matching the selector: kept;
 *  - owned by us but no longer matching: released (our reference removed by
 *    a patch), unless we are being deleted;
 *  - an orphan that matches, is not being deleted and is in our namespace:
 *    adopted (a controller reference added by a patch), unless we are being
 *    deleted; before the first adoption a fresh read of the owner checks that
 *    it still exists with the same uid and no deletionTimestamp
 *    (RecheckDeletionTimestamp), as an informer cache may be stale.
 * A NotFound from the patch is ignored (the object is gone); other errors are
 * collected and returned, so the controller requeues.
 */
import type { KObject, OwnerReference, Store, Stored } from '../../sim/types.ts';
import { ApiError, isApiError } from '../../sim/errors.ts';
import type { Selector } from '../../api/labels.ts';

/** metav1.GetControllerOf: the owner reference with controller=true. */
export function getControllerOf(o: { metadata?: { ownerReferences?: readonly OwnerReference[] } }): OwnerReference | undefined {
  const refs = o.metadata?.ownerReferences;
  if (!refs) return undefined;
  // Indexed: called on every pod event by several controllers, and a for-of left to unoptimised code allocates an iterator result per step.
  for (let i = 0; i < refs.length; i++) {
    const r = refs[i]!;
    if (r.controller === true) return r;
  }
  return undefined;
}

/**
 * The owners to sync when an owned object (a pod, a ReplicaSet) is updated,
 * as upstream's updatePod/updateRS do: the old controller when the reference
 * changed, then the current controller; an object with no controller goes to
 * every owner that might adopt it, when its labels or its reference changed.
 */
export function keysForOwnedUpdate(
  old: { metadata?: { ownerReferences?: readonly OwnerReference[] } },
  cur: { metadata?: { ownerReferences?: readonly OwnerReference[] } },
  labelsChanged: boolean,
  resolve: (ref: OwnerReference) => string | undefined,
  adopters: () => string[],
): string[] {
  const keys: string[] = [];
  const curRef = getControllerOf(cur);
  const oldRef = getControllerOf(old);
  const refChanged = curRef?.uid !== oldRef?.uid;
  if (refChanged && oldRef) {
    const k = resolve(oldRef);
    if (k) keys.push(k);
  }
  if (curRef) {
    const k = resolve(curRef);
    if (k) keys.push(k);
    return keys;
  }
  if (labelsChanged || refChanged) keys.push(...adopters());
  return keys;
}

/** metav1.NewControllerRef: controller and blockOwnerDeletion both true. */
export function newControllerRef(owner: KObject): OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name ?? '',
    uid: owner.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

export interface ClaimOptions {
  store: Store;
  /** The would-be owner, as the controller's cache has it. */
  controller: Stored;
  selector: Selector;
  /** Who writes (the run log's actor). */
  actor: string;
  /** Extra match conditions after the selector (upstream's filters). */
  filter?: (o: Stored) => boolean;
  /**
   * Finalizers the manager adds on adoption and removes on release (NewPodControllerRefManager's
   * finalizers: the Job controller's batch.kubernetes.io/job-tracking), merged as the strategic-merge
   * patches upstream sends do: appended when missing, and every copy deleted on release.
   */
  finalizers?: readonly string[];
}

export interface ClaimResult<T extends KObject> {
  claimed: Stored<T>[];
  /** Errors from adopt/release patches (not NotFound); the caller returns them so the key is retried. */
  errors: ApiError[];
}

/** ClaimObject over a list (ClaimPods / ClaimReplicaSets), in the list's order. */
export function claimObjects<T extends KObject>(objs: readonly Stored<T>[], opts: ClaimOptions): ClaimResult<T> {
  const { controller, selector, store } = opts;
  const uid = controller.metadata.uid;
  const ownerDeleting = controller.metadata.deletionTimestamp !== undefined && controller.metadata.deletionTimestamp !== null;
  const claimed: Stored<T>[] = [];
  const errors: ApiError[] = [];
  let canAdoptChecked: ApiError | null | undefined = undefined;
  const match = (o: Stored<T>): boolean => selector.matches(o.metadata.labels ?? {}) && (opts.filter ? opts.filter(o) : true);

  for (let i = 0; i < objs.length; i++) {
    const o = objs[i]!;
    const ref = getControllerOf(o);
    if (ref) {
      if (ref.uid !== uid) continue;
      if (match(o)) {
        claimed.push(o);
        continue;
      }
      if (ownerDeleting) continue;
      try {
        release(store, o, uid ?? '', opts.actor, opts.finalizers);
      } catch (e) {
        if (!isApiError(e)) throw e;
        if (e.reason !== 'NotFound' && e.reason !== 'Invalid') errors.push(e);
      }
      continue;
    }
    if (ownerDeleting || !match(o)) continue;
    if (o.metadata.deletionTimestamp) continue;
    if (controller.metadata.namespace && controller.metadata.namespace !== o.metadata.namespace) continue;
    if (canAdoptChecked === undefined) canAdoptChecked = recheckDeletionTimestamp(store, controller);
    try {
      if (canAdoptChecked) {
        throw new ApiError(
          canAdoptChecked.reason,
          canAdoptChecked.code,
          `can't adopt ${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''} (${o.metadata.uid ?? ''}): ${canAdoptChecked.message}`,
        );
      }
      claimed.push(adopt(store, o, controller, opts.actor, opts.finalizers));
    } catch (e) {
      if (!isApiError(e)) throw e;
      if (e.reason !== 'NotFound') errors.push(e);
    }
  }
  return { claimed, errors };
}

/** RecheckDeletionTimestamp: a fresh (uncached) read of the owner; null when adoption may go ahead. */
function recheckDeletionTimestamp(store: Store, controller: Stored): ApiError | null {
  const ns = controller.metadata.namespace ?? '';
  const name = controller.metadata.name ?? '';
  const fresh = store.get(controller.kind, ns, name);
  if (!fresh) return ApiError.notFound(controller.kind, name, controller.apiVersion);
  if (fresh.metadata.uid !== controller.metadata.uid) {
    return new ApiError('Conflict', 409, `original ${ns}/${name} is gone: got uid ${fresh.metadata.uid ?? ''}, wanted ${controller.metadata.uid ?? ''}`);
  }
  if (fresh.metadata.deletionTimestamp) {
    return new ApiError('Conflict', 409, `${ns}/${name} has just been deleted at ${fresh.metadata.deletionTimestamp}`);
  }
  return null;
}

function uidPrecondition(o: KObject, uid: string | undefined): void {
  if (uid !== undefined && o.metadata.uid !== uid) {
    throw ApiError.conflict(o.kind, o.metadata.name ?? '', `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${o.metadata.uid ?? ''}`, o.apiVersion);
  }
}

/** The strategic-merge patch upstream sends to adopt: our controller reference merged by uid. */
function adopt<T extends KObject>(store: Store, o: Stored<T>, controller: Stored, actor: string, finalizers: readonly string[] | undefined): Stored<T> {
  const ref = newControllerRef(controller);
  return store.patch<T>(
    o.kind,
    o.metadata.namespace ?? '',
    o.metadata.name ?? '',
    (d) => {
      uidPrecondition(d, o.metadata.uid);
      // A second controller reference is Invalid upstream (validation: only one controller).
      if (getControllerOf(d)) throw ApiError.conflict(d.kind, d.metadata.name ?? '', 'Object already has a controller reference', d.apiVersion);
      const refs = (d.metadata.ownerReferences ?? []).filter((r) => r.uid !== ref.uid);
      refs.push(ref);
      d.metadata.ownerReferences = refs;
      if (finalizers !== undefined && finalizers.length > 0) {
        const f = [...(d.metadata.finalizers ?? [])];
        for (const x of finalizers) if (!f.includes(x)) f.push(x);
        d.metadata.finalizers = f;
      }
    },
    { actor, metadataOnly: true },
  );
}

/** deleteOwnerRefStrategicMergePatch: our reference removed, matched by uid (and the manager's finalizers, $deleteFromPrimitiveList). */
function release(store: Store, o: Stored, ownerUid: string, actor: string, finalizers: readonly string[] | undefined): void {
  store.patch<KObject>(
    o.kind,
    o.metadata.namespace ?? '',
    o.metadata.name ?? '',
    (d) => {
      uidPrecondition(d, o.metadata.uid);
      const refs = (d.metadata.ownerReferences ?? []).filter((r) => r.uid !== ownerUid);
      if (refs.length === 0) delete d.metadata.ownerReferences;
      else d.metadata.ownerReferences = refs;
      if (finalizers !== undefined && finalizers.length > 0 && d.metadata.finalizers !== undefined) {
        const f = d.metadata.finalizers.filter((x) => !finalizers.includes(x));
        if (f.length > 0) d.metadata.finalizers = f;
        else delete d.metadata.finalizers;
      }
    },
    { actor, metadataOnly: true },
  );
}
