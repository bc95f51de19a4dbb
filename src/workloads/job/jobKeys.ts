/**
 * The Job controller's queue key of a Job ("namespace/name", from the Job itself or from a pod's namespace
 * and its controller reference), as the one-key list a watch's toKeys returns, kept per Job uid while the
 * Job lives or has pods in the controller's index.
 *
 * Why: every event of a Job or of one of its pods built the key anew, and a new string is hashed again by every map it
 * is looked up in (the work queue's sets, the delayed adds, the expectations), plus a new list per event.
 * A kept key is one string whose hash is computed once. A kept list is only handed out for the same
 * namespace and name it was made from (a pod may name its Job's uid with another name or from another
 * namespace: it gets a list of its own, as before), so every answer is `[${namespace}/${name}]`.
 */
interface Kept {
  namespace: string;
  name: string;
  keys: readonly string[];
}

export class JobKeys {
  private readonly byUid = new Map<string, Kept>();

  /** [`${namespace}/${name}`]: the list kept for `uid` when it was made from the same namespace and name, else a new one. */
  keysOf(uid: string, namespace: string, name: string): readonly string[] {
    const k = this.byUid.get(uid);
    if (k !== undefined && k.namespace === namespace && k.name === name) return k.keys;
    return [`${namespace}/${name}`];
  }

  /** As keysOf, keeping a list for `uid` if none is kept yet (the Job's first pod in the controller's index). */
  keep(uid: string, namespace: string, name: string): readonly string[] {
    const k = this.byUid.get(uid);
    if (k === undefined) {
      const keys = Object.freeze([`${namespace}/${name}`]);
      this.byUid.set(uid, { namespace, name, keys });
      return keys;
    }
    if (k.namespace === namespace && k.name === name) return k.keys;
    return [`${namespace}/${name}`];
  }

  /** Forget `uid` (its last pod left the controller's index). */
  release(uid: string): void {
    this.byUid.delete(uid);
  }

  /** How many uids are kept (tests: nothing is kept once a Job's pods are gone). */
  get size(): number {
    return this.byUid.size;
  }
}
