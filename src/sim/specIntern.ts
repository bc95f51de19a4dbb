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

/** Whether two JSON-like trees are the same: same keys in the same order, same leaves (Object.is). */
export function sameTree(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const arrA = Array.isArray(a);
  if (arrA !== Array.isArray(b)) return false;
  if (arrA) {
    const x = a as unknown[];
    const y = b as unknown[];
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!sameTree(x[i], y[i])) return false;
    return true;
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const kx = Object.keys(x);
  const ky = Object.keys(y);
  if (kx.length !== ky.length) return false;
  for (let i = 0; i < kx.length; i++) {
    const k = kx[i]!;
    if (k !== ky[i] || !sameTree(x[k], y[k])) return false;
  }
  return true;
}

/**
 * A bounded table of frozen trees by their JSON text. `intern(v)` returns the
 * kept tree equal to `v` (sameTree), or freezes `v` with `freeze` and keeps it.
 * When full it starts again empty: a run has few distinct specs at a time
 * (one per template), and a miss only costs the sharing, never a result.
 */
export class FrozenIntern<T extends object> {
  private readonly byJson = new Map<string, T>();

  constructor(
    private readonly freeze: (v: T) => T,
    private readonly capacity = 512,
  ) {}

  intern(v: T): T {
    let key: string;
    try {
      key = JSON.stringify(v);
    } catch {
      return this.freeze(v); // not JSON (a cycle, a BigInt): validation reports it; nothing to share
    }
    const kept = this.byJson.get(key);
    if (kept !== undefined && sameTree(kept, v)) return kept;
    const frozen = this.freeze(v);
    if (kept === undefined) {
      if (this.byJson.size >= this.capacity) this.byJson.clear();
      this.byJson.set(key, frozen);
    }
    return frozen;
  }

  /** Trees kept (tests). */
  get size(): number {
    return this.byJson.size;
  }
}
