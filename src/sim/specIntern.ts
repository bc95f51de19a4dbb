/**
 * One frozen copy of each pod spec the API server admits. Why: the pods a
 * controller makes from one template (500 per ReplicaSet in the 150,000-pod
 * cluster) leave admission with equal specs — same containers, defaults,
 * tolerations and priority — and kept one spec object each (~1 KiB, most of
 * a pending pod). Stored objects are deeply frozen and share frozen subtrees
 * already, so pods with equal specs may share one; every reader sees the same
 * values, and caches keyed by a frozen object's identity (validation, the
 * kubelet's and the scheduler's memos) are pure functions of its content.
 *
 * The JSON text only files candidates: a hit is used only when the trees are
 * equal key for key, in the same order, with Object.is on every leaf, so
 * values JSON cannot tell apart (undefined members, NaN, -0) never merge.
 */

import { sameTree } from '../api/sameTree.ts';

export { sameTree };

/** How many recently returned trees are compared before any JSON is written. */
const RECENT = 4;

/**
 * A bounded table of frozen trees by their JSON text. `intern(v)` returns the
 * kept tree equal to `v` (sameTree), or freezes `v` with `freeze` and keeps it.
 * When full it starts again empty: a run has few distinct specs at a time
 * (one per template), and a miss only costs the sharing, never a result.
 */
export class FrozenIntern<T extends object> {
  private readonly byJson = new Map<string, T>();
  /**
   * The trees returned last, most recent first (at most RECENT): pods come in
   * runs from a few templates at a time, so most are equal to one of these and
   * no JSON is written. One was not enough: a churn of bare pods and Jobs'
   * pods alternates two specs that differ only in key order, and every switch
   * wrote the spec's JSON (~13 µs, 7,200 times a churn hour).
   */
  private readonly recent: T[] = [];

  constructor(
    private readonly freeze: (v: T) => T,
    private readonly capacity = 512,
  ) {}

  intern(v: T): T {
    const recent = this.recent;
    for (let i = 0; i < recent.length; i++) {
      const r = recent[i]!;
      if (sameTree(r, v)) {
        this.remember(r, i);
        return r;
      }
    }
    let key: string;
    try {
      key = JSON.stringify(v);
    } catch {
      return this.freeze(v); // not JSON (a cycle, a BigInt): validation reports it; nothing to share
    }
    let kept = this.byJson.get(key);
    if (kept === undefined || !sameTree(kept, v)) {
      const frozen = this.freeze(v);
      if (kept === undefined) {
        if (this.byJson.size >= this.capacity) this.byJson.clear();
        this.byJson.set(key, frozen);
      }
      kept = frozen;
    }
    this.remember(kept, -1); // not among the recent trees: any of them equal to `v` was returned above
    return kept;
  }

  /** Put `kept` first among the recent trees (`at`: where it is now, or -1), dropping the oldest when full. */
  private remember(kept: T, at: number): void {
    const recent = this.recent;
    if (at === 0) return;
    let j = at >= 0 ? at : recent.length < RECENT ? recent.length : RECENT - 1;
    for (; j > 0; j--) recent[j] = recent[j - 1]!;
    recent[0] = kept;
  }

  /** Trees kept (tests). */
  get size(): number {
    return this.byJson.size;
  }
}
