/**
 * ControllerExpectations and UIDTrackingControllerExpectations, as
 * pkg/controller/controller_utils.go: a controller records how many creates
 * and deletes it has issued and does not act again on a key until its
 * informer has observed them all (or 5 minutes have passed, in case a watch
 * event was lost). This is what keeps a ReplicaSet from creating a second
 * burst of pods while its cache still shows the first burst missing.
 *
 * Time is the simulation's virtual clock, passed in by the caller.
 */
import type { Time } from '../../sim/types.ts';

/** ExpectationsTimeout: expectations older than this are ignored (the watch may have dropped an event). */
export const ExpectationsTimeout: Time = 5 * 60 * 1000;

export interface ControlleeExpectations {
  add: number;
  del: number;
  /** When the expectations were set (virtual ms). */
  timestamp: Time;
}

export class ControllerExpectations {
  private readonly store = new Map<string, ControlleeExpectations>();

  getExpectations(key: string): Readonly<ControlleeExpectations> | undefined {
    return this.store.get(key);
  }

  /**
   * SatisfiedExpectations: true when the controller may sync the key: no
   * expectations recorded, all observed (add <= 0 and del <= 0), or expired.
   */
  satisfiedExpectations(key: string, now: Time): boolean {
    const exp = this.store.get(key);
    if (!exp) return true;
    if (exp.add <= 0 && exp.del <= 0) return true;
    return now - exp.timestamp > ExpectationsTimeout;
  }

  deleteExpectations(key: string): void {
    this.store.delete(key);
  }

  setExpectations(key: string, add: number, del: number, now: Time): void {
    this.store.set(key, { add, del, timestamp: now });
  }

  expectCreations(key: string, adds: number, now: Time): void {
    this.setExpectations(key, adds, 0, now);
  }

  expectDeletions(key: string, dels: number, now: Time): void {
    this.setExpectations(key, 0, dels, now);
  }

  /** LowerExpectations: a no-op for a key without expectations (the timestamp is kept). */
  lowerExpectations(key: string, add: number, del: number): void {
    const exp = this.store.get(key);
    if (!exp) return;
    exp.add -= add;
    exp.del -= del;
  }

  raiseExpectations(key: string, add: number, del: number): void {
    const exp = this.store.get(key);
    if (!exp) return;
    exp.add += add;
    exp.del += del;
  }

  creationObserved(key: string): void {
    this.lowerExpectations(key, 1, 0);
  }

  deletionObserved(key: string): void {
    this.lowerExpectations(key, 0, 1);
  }
}

/**
 * UIDTrackingControllerExpectations: deletions are tracked by the deleted
 * pods' keys, so a deletion observed twice (the pod's graceful-deletion update,
 * then its removal) or a deletion by someone else lowers the count at most once.
 */
export class UIDTrackingControllerExpectations extends ControllerExpectations {
  private readonly uids = new Map<string, Set<string>>();

  getUIDs(key: string): ReadonlySet<string> | undefined {
    return this.uids.get(key);
  }

  expectDeletionsOf(key: string, deletedKeys: readonly string[], now: Time): void {
    const set = new Set(deletedKeys);
    this.uids.set(key, set);
    this.expectDeletions(key, set.size, now);
  }

  /** DeletionObserved(rcKey, deleteKey): lowers only for a key this controller is waiting on. */
  deletionObservedOf(key: string, deleteKey: string): void {
    const set = this.uids.get(key);
    if (set && set.has(deleteKey)) {
      this.deletionObserved(key);
      set.delete(deleteKey);
    }
  }

  override deleteExpectations(key: string): void {
    super.deleteExpectations(key);
    this.uids.delete(key);
  }
}
