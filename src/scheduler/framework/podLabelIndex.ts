/**
 * The scheduler cache's pods by (namespace, label key, label value), each
 * with the NodeInfo it is on (fast path; no upstream counterpart). Kept by
 * NodeInfoImpl on every pod it adds or removes, so a bucket holds exactly the
 * pods of the cache's NodeInfos that carry that label. Only labels some
 * reader asked about are kept (see below): the first question files them
 * from every pod of the table's NodeInfos, and from then on they are kept as
 * the pods change.
 *
 * Why: a spreading selector met for the first time needs its matching pods
 * counted on every node (PodTopologySpread's per-domain sums). Scanning all
 * pods of 5,000 nodes for each of 300 Deployments' selectors was a large part
 * of a 150,000-pod run; the pods that can match a selector requiring
 * app=web are the pods labelled app=web.
 *
 * A kept key starts out kept for the values asked about alone (each
 * (namespace, value) filed from the nodes' pods when first asked about), and
 * is kept for all its values once more than PARTIAL_VALUES of them were
 * asked about (one scan of the nodes' pods then, instead of one per value).
 * Why: the day run asks about app=web alone, yet every churn pod (app=task,
 * app=batch) was filed on every change, ~1.7% of the day.
 */
import type { NodeInfo, PodInfo } from './types.ts';

/**
 * The pods carrying one label pair, those each node (by table slot) holds,
 * and the stamp of the last time one was filed on or taken off each node.
 */
interface Bucket {
  readonly pods: Map<PodInfo, NodeInfo>;
  /**
   * Per slot: the bucket's pods there (in no particular order) and the stamp
   * of the last filing or unfiling there; no entry when neither ever happened.
   * (One map for both: filing a pod was two map writes per label.)
   */
  readonly onNode: Map<number, OnNode>;
}

interface OnNode {
  readonly pods: PodInfo[];
  stamp: number;
}

export class PodLabelIndex {
  /** namespace -> label key -> label value -> pods (nested, so filing a pod builds no key strings). */
  private readonly buckets = new Map<string, Map<string, Map<string, Bucket>>>();
  /** Last stamp given (stamps only grow, so no two changes share one). */
  private stamp = 0;
  /**
   * The label keys kept, each from the first time a reader asked for it (the
   * keys spreading selectors require). Why: every pod's every label was
   * filed, moved on each binding (which adds zone labels) and unfiled on
   * deletion, though most keys (a Job's controller-uid and job-name, the
   * zone labels) are never asked for; in churn and the day runs that was a
   * few percent of the run.
   */
  private readonly tracked = new Set<string>();
  /**
   * The kept keys kept for some values only, each with how many (namespace,
   * value) pairs were asked about. Such a key's pairs asked about are those
   * with a bucket (never dropped while the key is partial, even empty), and
   * a pod's label is filed only where its bucket is there.
   */
  private readonly partial = new Map<string, number>();
  /**
   * The kept keys as a list while there are at most FEW_KEYS of them (null
   * beyond). Why: with a key or two kept (the day run keeps `app` alone), a
   * pod's kept labels are found by looking those keys up in its labels
   * instead of walking every label it has (a Job's pod has four or five)
   * through the set; add, remove and replace run on every pod change in the
   * cache, ~2% of the day. The same buckets are filed either way; only the
   * order in which one pod's keys are filed differs, and stamps are compared
   * per bucket alone.
   */
  private few: string[] | null = [];
  /** keptKeys' answer, reused by every call (read before the next one). */
  private readonly kept: string[] = [];

  /** `nodes`: the table's NodeInfos, kept by the table (a key asked about the first time is filed from their pods). */
  constructor(private readonly nodes: ReadonlySet<NodeInfo>) {}

  /**
   * Keep label k=v in `namespace` from now on: nothing when it is kept
   * already; else the pair's bucket is made and filed from every pod of the
   * table's NodeInfos, or, past PARTIAL_VALUES pairs of the key, the key is
   * kept for all its values (its partial buckets dropped and every label k
   * filed again).
   */
  private track(namespace: string, k: string, v: string): void {
    if (this.tracked.has(k)) {
      const asked = this.partial.get(k);
      if (asked === undefined || this.buckets.get(namespace)?.get(k)?.has(v) === true) return;
      if (asked >= PARTIAL_VALUES) {
        this.partial.delete(k);
        // Dropped and filed again (in node order): stamps only grow, so a reader's
        // remembered stamp of a dropped bucket is never met again (it recounts).
        for (const byKey of this.buckets.values()) byKey.delete(k);
        for (const ni of this.nodes) for (const pi of ni.pods) if (typeof pi.pod.metadata?.labels?.[k] === 'string' && Object.hasOwn(pi.pod.metadata.labels, k)) this.fileKey(pi, ni, k);
        return;
      }
      this.partial.set(k, asked + 1);
    } else {
      this.tracked.add(k);
      this.few = this.few !== null && this.few.length < FEW_KEYS ? [...this.few, k] : null;
      this.partial.set(k, 1);
    }
    this.bucketFor(namespace, k, v);
    for (const ni of this.nodes)
      for (const pi of ni.pods) {
        const meta = pi.pod.metadata;
        if ((meta?.namespace ?? '') === namespace && meta?.labels?.[k] === v && Object.hasOwn(meta.labels, k)) this.fileKey(pi, ni, k);
      }
  }

  /** The bucket of k=v in `namespace`, made when missing. */
  private bucketFor(namespace: string, k: string, v: string): Bucket {
    let byKey = this.buckets.get(namespace);
    if (byKey === undefined) this.buckets.set(namespace, (byKey = new Map()));
    let byValue = byKey.get(k);
    if (byValue === undefined) byKey.set(k, (byValue = new Map()));
    let b = byValue.get(v);
    if (b === undefined) byValue.set(v, (b = { pods: new Map(), onNode: new Map() }));
    return b;
  }

  add(pi: PodInfo, on: NodeInfo): void {
    const labels = pi.pod.metadata?.labels;
    if (!labels || this.tracked.size === 0) return;
    const n = this.keptKeys(labels);
    for (let i = 0; i < n; i++) this.fileKey(pi, on, this.kept[i]!);
  }

  /** How many of the labels' keys are kept, written to this.kept[0..n). */
  private keptKeys(labels: Readonly<Record<string, string>>): number {
    const kept = this.kept;
    const few = this.few;
    let n = 0;
    if (few !== null) {
      // An own label's value is a string; a missing key may still find an Object.prototype member (`constructor`).
      for (let i = 0; i < few.length; i++) if (typeof labels[few[i]!] === 'string' && Object.hasOwn(labels, few[i]!)) kept[n++] = few[i]!;
    } else for (const k in labels) if (this.tracked.has(k)) kept[n++] = k;
    return n;
  }

  /** File the pod's label k (a kept key) on `on`; nothing when k is kept for other values only. */
  private fileKey(pi: PodInfo, on: NodeInfo, k: string): void {
    const meta = pi.pod.metadata;
    const ns = meta.namespace ?? '';
    const v = meta.labels![k]!;
    let b: Bucket | undefined;
    if (this.partial.size > 0 && this.partial.has(k)) {
      b = this.buckets.get(ns)?.get(k)?.get(v);
      if (b === undefined) return;
    } else b = this.bucketFor(ns, k, v);
    const was = b.pods.get(pi);
    if (was !== undefined) unfile(b, was.resourceSlot ?? -1, pi, ++this.stamp);
    b.pods.set(pi, on);
    file(b, on.resourceSlot ?? -1, pi, ++this.stamp);
  }

  remove(pi: PodInfo): void {
    const meta = pi.pod.metadata;
    const labels = meta?.labels;
    if (!labels || this.tracked.size === 0) return;
    const byKey = this.buckets.get(meta.namespace ?? '');
    if (byKey === undefined) return;
    const n = this.keptKeys(labels);
    for (let i = 0; i < n; i++) {
      const k = this.kept[i]!;
      const byValue = byKey.get(k);
      const v = labels[k]!;
      const b = byValue?.get(v);
      if (b === undefined) continue;
      const on = b.pods.get(pi);
      if (on === undefined) continue;
      b.pods.delete(pi);
      unfile(b, on.resourceSlot ?? -1, pi, ++this.stamp);
      // (A partial key's bucket stays: it marks the pair as asked about.)
      if (b.pods.size === 0 && !this.partial.has(k)) byValue!.delete(v);
    }
  }

  /**
   * File `next` in place of `prev` on the same node: a pod whose labels,
   * namespace and deletion timestamp are unchanged (a status write). The
   * buckets' order changes as remove-then-add changes it (the pod goes last),
   * but counts and stamps stay: the node holds pods of the same labels.
   * Anything else is a remove and an add.
   */
  replace(prev: PodInfo, next: PodInfo, on: NodeInfo): void {
    if (this.tracked.size === 0) return;
    const pm = prev.pod.metadata;
    const nm = next.pod.metadata;
    const labels = nm?.labels;
    const byKey = labels ? this.buckets.get(nm.namespace ?? '') : undefined;
    if (labels === undefined || pm?.labels !== labels || pm?.namespace !== nm?.namespace || pm?.deletionTimestamp !== nm?.deletionTimestamp || byKey === undefined) {
      this.remove(prev);
      this.add(next, on);
      return;
    }
    const n = this.keptKeys(labels);
    const partial = this.partial.size > 0;
    for (let i = 0; i < n; i++) {
      const k = this.kept[i]!;
      const b = byKey.get(k)?.get(labels[k]!);
      // A pair not asked about (partial key, no bucket) has nothing filed.
      if (b === undefined && partial && this.partial.has(k)) continue;
      if (b === undefined || b.pods.get(prev) !== on) {
        // Not filed as expected: the long way (remove what is there, file the new one).
        this.remove(prev);
        this.add(next, on);
        return;
      }
    }
    const slot = on.resourceSlot ?? -1;
    // (this.kept still holds the labels' kept keys: nothing since the check asked again.)
    for (let i = 0; i < n; i++) {
      const k = this.kept[i]!;
      const b = byKey.get(k)?.get(labels[k]!);
      if (b === undefined) continue;
      b.pods.delete(prev);
      b.pods.set(next, on);
      const list = slot >= 0 ? b.onNode.get(slot)?.pods : undefined;
      if (list !== undefined) {
        const i = list.indexOf(prev);
        if (i >= 0) list[i] = next;
      }
    }
  }

  /**
   * The bucket of k=v in `namespace`, the pair kept from now on (a bucket is
   * there only for a kept pair, so one found is the answer); undefined when
   * no pod carries it.
   */
  private bucketOf(namespace: string, k: string, v: string): Bucket | undefined {
    const b = this.buckets.get(namespace)?.get(k)?.get(v);
    if (b !== undefined) return b;
    this.track(namespace, k, v);
    return this.buckets.get(namespace)?.get(k)?.get(v);
  }

  /** The pods in `namespace` labelled k=v, with their NodeInfos (empty when none). */
  podsWith(namespace: string, k: string, v: string): ReadonlyMap<PodInfo, NodeInfo> {
    return this.bucketOf(namespace, k, v)?.pods ?? EMPTY;
  }

  /**
   * How many pods in `namespace` labelled k=v the node in table slot `slot`
   * holds (terminating ones included): a bound on the pods there that a
   * selector requiring k=v can match, so 0 spares looking at them.
   */
  countOn(namespace: string, k: string, v: string, slot: number): number {
    return this.bucketOf(namespace, k, v)?.onNode.get(slot)?.pods.length ?? 0;
  }

  /**
   * The pods in `namespace` labelled k=v on the node in table slot `slot`
   * (terminating ones included; in no particular order). Why: a spreading
   * selector's count on a node is over these alone, and recounting a node's
   * every pod (cold objects, a few dozen) after each binding there was a
   * visible share of a zoned 150,000-pod run. Read-only for the caller.
   */
  podsOn(namespace: string, k: string, v: string, slot: number): readonly PodInfo[] {
    return this.bucketOf(namespace, k, v)?.onNode.get(slot)?.pods ?? NO_PODS;
  }

  /**
   * The stamp of the last time a pod in `namespace` labelled k=v was filed on
   * or taken off the node in table slot `slot`, or 0. While it stays the
   * same, that node holds the very same such pods (NodeInfo files a pod
   * again on every change, a status write included), so anything counted
   * from them alone is unchanged. 0 both times also means none then and now:
   * a bucket is dropped only when it holds no pods, and stamps only grow.
   */
  stampOn(namespace: string, k: string, v: string, slot: number): number {
    return this.bucketOf(namespace, k, v)?.onNode.get(slot)?.stamp ?? 0;
  }
}

/** Up to how many kept keys are looked up in a pod's labels instead of walking its labels. */
const FEW_KEYS = 4;

/**
 * How many (namespace, value) pairs of a key are kept one by one before the
 * key is kept for all values: each costs a scan of the table's pods when
 * first asked about, so a selector per Deployment (hundreds of values)
 * costs this many scans and then one, not one per Deployment.
 */
export const PARTIAL_VALUES = 4;

function file(b: Bucket, slot: number, pi: PodInfo, stamp: number): void {
  if (slot < 0) return;
  const here = b.onNode.get(slot);
  if (here === undefined) b.onNode.set(slot, { pods: [pi], stamp });
  else {
    here.pods.push(pi);
    here.stamp = stamp;
  }
}

function unfile(b: Bucket, slot: number, pi: PodInfo, stamp: number): void {
  if (slot < 0) return;
  const here = b.onNode.get(slot);
  if (here === undefined) {
    b.onNode.set(slot, { pods: [], stamp });
    return;
  }
  here.stamp = stamp;
  const list = here.pods;
  const i = list.indexOf(pi);
  if (i < 0) return;
  // Order carries no meaning: the last pod takes the removed one's place.
  const last = list.pop()!;
  if (i < list.length) list[i] = last;
}

const NO_PODS: readonly PodInfo[] = Object.freeze([]);

const EMPTY: ReadonlyMap<PodInfo, NodeInfo> = new Map();
