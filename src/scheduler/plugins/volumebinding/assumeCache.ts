/**
 * The scheduler's assume cache for PVs and PVCs, following kube-scheduler
 * v1.35 pkg/scheduler/util/assumecache: Reserve records the object as the
 * scheduler expects it to become (PV with claimRef, PVC with selected-node),
 * so later pods do not pick the same PV; the assumed version is dropped as
 * soon as the API object moves past the version it was based on, or on
 * Unreserve (Restore).
 */
import type { KObject, Stored } from '../../../sim/types.ts';

interface Assumed<T> {
  obj: T;
  baseResourceVersion: string | undefined;
}

export class AssumeCache<T extends KObject> {
  private readonly assumed = new Map<string, Assumed<Stored<T>>>();

  /** The effective object: the assumed one while the API object is still the one it was based on. */
  effective(key: string, current: Stored<T> | undefined): Stored<T> | undefined {
    const a = this.assumed.get(key);
    if (!a) return current;
    if (!current || current.metadata.resourceVersion !== a.baseResourceVersion) {
      // The informer has seen a newer version (or a deletion): trust the API.
      this.assumed.delete(key);
      return current;
    }
    return a.obj;
  }

  assume(key: string, obj: Stored<T>, base: Stored<T> | undefined): void {
    this.assumed.set(key, { obj, baseResourceVersion: base?.metadata.resourceVersion });
  }

  restore(key: string): void {
    this.assumed.delete(key);
  }
}
