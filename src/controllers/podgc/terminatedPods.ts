/**
 * The pod GC's terminated pods, kept in the order gcTerminated deletes them:
 * evicted first, then by creationTimestamp, then by name
 * (byEvictionAndCreationTimestamp), ties in the order the pods became
 * terminated (the stable sort over the informer's listing, whose order is
 * that of first insertion).
 *
 * Why: a cluster at the 12,500 threshold has a few pods to delete every 20 s
 * out of ~12,600. Choosing them from a listing costs a comparison per
 * terminated pod per pass (most of the pod GC's time in a day of churn); here
 * a pod is placed once, when it becomes terminated (binary search; pods end
 * roughly in creation order, so near the tail), and a pass reads the head.
 * podgc.terminatedPods.test.ts checks the choice against sorting a listing.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';

interface Entry<P> {
  /** Undefined once dead: a deleted pod is not kept alive until the next compaction. */
  pod: P | undefined;
  evicted: boolean;
  created: string;
  name: string;
  /** Insertion sequence: the listing's position, the stable sort's tie-break. */
  seq: number;
  /** Deleted (or moved): left in place until the next compaction, skipped by readers. */
  dead: boolean;
}

/** eviction.PodIsEvicted */
function isEvicted(pod: Pod): boolean {
  return pod.status?.phase === 'Failed' && pod.status?.reason === 'Evicted';
}

/** Entry order: byEvictionAndCreationTimestamp, then insertion sequence. */
function before<P>(a: Entry<P>, b: Entry<P>): boolean {
  if (a.evicted !== b.evicted) return a.evicted;
  if (a.created !== b.created) return a.created < b.created;
  if (a.name !== b.name) return a.name < b.name;
  return a.seq < b.seq;
}

export class TerminatedPods<P extends Pod> {
  private readonly byKey = new Map<string, Entry<P>>();
  /**
   * Entries in order from `head`, dead ones included (they keep their place, so the order
   * stays sorted): removing from the middle of a 12,600-entry array on every delete would
   * move half of it each time.
   */
  private sorted: Entry<P>[] = [];
  private head = 0;
  private dead = 0;
  private seq = 0;

  /** `compactAfter`: dead entries tolerated before a compaction is considered (small in tests, to exercise it). */
  constructor(private readonly compactAfter = 1024) {}

  get size(): number {
    return this.byKey.size;
  }

  /** Add or refresh a terminated pod under `key` (a refresh keeps its place among equal keys, as Map.set keeps a key's position). */
  set(key: string, pod: P): void {
    const evicted = isEvicted(pod);
    const created = pod.metadata?.creationTimestamp ?? '';
    const name = pod.metadata?.name ?? '';
    const e = this.byKey.get(key);
    if (e && e.evicted === evicted && e.created === created && e.name === name) {
      e.pod = pod;
      return;
    }
    if (e) this.kill(e);
    this.insert(key, { pod, evicted, created, name, seq: e ? e.seq : this.seq++, dead: false });
  }

  /** File a new entry under `key`, at its place in the order. */
  private insert(key: string, entry: Entry<P>): void {
    this.byKey.set(key, entry);
    const at = this.insertionPoint(entry);
    if (at === this.sorted.length) this.sorted.push(entry);
    else this.sorted.splice(at, 0, entry);
  }

  /**
   * set() for a key known to have no entry (the caller saw the pod's previous version not terminated): the
   * same entry filed at the same place, without first looking the key up.
   */
  add(key: string, pod: P): void {
    this.insert(key, { pod, evicted: isEvicted(pod), created: pod.metadata?.creationTimestamp ?? '', name: pod.metadata?.name ?? '', seq: this.seq++, dead: false });
  }

  delete(key: string): void {
    const e = this.byKey.get(key);
    if (!e) return;
    this.byKey.delete(key);
    this.kill(e);
  }

  /**
   * gcTerminated's choice (terminatedPodsToDelete over a listing): beyond
   * `threshold`, the first pods in order, skipping those only waiting for
   * their finalizers (`waiting`; they still count towards the threshold).
   */
  toDelete(threshold: number, waiting: (p: P) => boolean): P[] {
    const deleteCount = this.byKey.size - threshold;
    if (threshold <= 0 || deleteCount <= 0) return [];
    const out: P[] = [];
    for (let i = this.head; i < this.sorted.length && out.length < deleteCount; i++) {
      const e = this.sorted[i]!;
      if (!e.dead && !waiting(e.pod!)) out.push(e.pod!);
    }
    return out;
  }

  private kill(e: Entry<P>): void {
    e.dead = true;
    e.pod = undefined;
    this.dead++;
    const s = this.sorted;
    while (this.head < s.length && s[this.head]!.dead) {
      this.head++;
      this.dead--;
    }
    // Compact once dead entries (and the consumed head) are most of the array: amortised O(1) a delete.
    if (this.head + this.dead > this.compactAfter && (this.head + this.dead) * 2 > s.length) {
      this.sorted = s.filter((x, i) => i >= this.head && !x.dead);
      this.head = 0;
      this.dead = 0;
    }
  }

  /** The first index from `head` whose entry is not before `e` (dead entries keep their order). */
  private insertionPoint(e: Entry<P>): number {
    const s = this.sorted;
    // Pods mostly terminate in creation order: try the tail first.
    const n = s.length;
    if (n === this.head || before(s[n - 1]!, e)) return n;
    let lo = this.head;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (before(s[mid]!, e)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
