/**
 * What-if results by node (preemption's dry run; the framework's filter pass
 * with nominated pods), reused while nothing they depend on has changed
 * (fast path only; no upstream counterpart).
 *
 * Why: a preempting pod dry-runs nodes until it has enough candidates; once
 * many nodes hold nominated or bound preemptors, that is most of the cluster
 * (PreemptionBasic: ~330 of 1,000 nodes per pod), and between two preempting
 * pods only the node the last one took has changed.
 *
 * What a node's result (victims, PDB violations, status) depends on, under
 * the fast dry run's conditions (evaluator.ts fastDryRun: every active
 * Filter node-local, no PreFilter extension active):
 *  - the preemptor, through everything a node-local plugin may read of it
 *    (namespace, labels, annotations, spec: priority included), and its UID
 *    only where it is itself nominated to the node (the nominated-pods pass
 *    leaves it out): such nodes are never memoised;
 *  - which Filters run (the PreFilter skips), and the PDBs: both part of
 *    the context the caller identifies (`context`, `pdbEpoch`);
 *  - the node's NodeInfo: the same Node object, generation and PodInfo
 *    objects in the same order (a kubelet status write keeps the generation
 *    but replaces the PodInfo and moves it to the end, which changes victim
 *    order and start times: the cache's NodeInfos count such changes in
 *    podsChanged, other NodeInfos' pods are compared one by one);
 *  - the pods nominated to the node: the same PodInfo objects in order.
 * Callers keep no Error status.
 */
import type { NodeInfo, PodInfo } from './types.ts';
import { NodeInfoImpl } from './nodeInfo.ts';

interface Entry<V> {
  context: number;
  pdbEpoch: number;
  /** The NodeInfo the result was computed for (entries by slot: the same object). */
  ni: NodeInfo;
  node: object;
  generation: number;
  /** Entries by slot: the cache NodeInfo's podsChanged (its pod list unchanged since). */
  podsChanged: number;
  /** Entries by name: a copy of the pod list. */
  pods: PodInfo[] | null;
  /** The nominated pods: the first inline (the usual case), the rest in a copy. */
  nominatedCount: number;
  nominated0: PodInfo | null;
  nominatedRest: PodInfo[] | null;
  /** Their UIDs, likewise: a pod nominated here gets no result kept while it was not (see get). */
  nominatedUid0: string | undefined;
  nominatedUidsRest: Array<string | undefined> | null;
  result: V;
}

function sameList(a: readonly PodInfo[], b: readonly PodInfo[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The slot of a scheduler cache NodeInfo (whose podsChanged counts every pod list change), or -1. */
function cacheSlot(ni: NodeInfo): number {
  return ni instanceof NodeInfoImpl && ni.resourceTable !== null ? ni.resourceSlot : -1;
}

/**
 * Results by node. The scheduler cache's NodeInfos are found by their slot
 * in the cache's resource table and checked by identity, generation and pod
 * list change count (perf: the dry run and the nominated pass check
 * hundreds of nodes per cycle, and a Map lookup by name plus a comparison of
 * the pod list against a copy were most of a hit); other NodeInfos by name,
 * with a copy of the pod list compared one by one.
 */
export class NodeResultMemo<V> {
  private readonly bySlot: Array<Entry<V> | undefined> = [];
  private readonly byNode = new Map<string, Entry<V>>();

  /**
   * The result kept for this node, or undefined. `uid` is the pod being
   * evaluated: a result kept while it was not nominated to the node is
   * not its (the nominated-pods pass leaves it out), so its nodes miss.
   */
  get(ni: NodeInfo, context: number, pdbEpoch: number, nominated: readonly PodInfo[], uid: string | undefined): V | undefined {
    const slot = cacheSlot(ni);
    const e = slot >= 0 ? this.bySlot[slot] : this.byNode.get(ni.node.metadata?.name ?? '');
    if (e === undefined || e.context !== context || e.pdbEpoch !== pdbEpoch || e.node !== ni.node || e.generation !== ni.generation) return undefined;
    if (slot >= 0 ? e.ni !== ni || e.podsChanged !== (ni as NodeInfoImpl).podsChanged : !sameList(e.pods!, ni.pods)) return undefined;
    const n = nominated.length;
    if (n !== e.nominatedCount) return undefined;
    if (n > 0) {
      if (nominated[0] !== e.nominated0) return undefined;
      if (e.nominatedUid0 === uid) return undefined;
      if (n > 1) {
        for (let i = 1; i < n; i++) if (nominated[i] !== e.nominatedRest![i - 1]) return undefined;
        const uids = e.nominatedUidsRest!;
        for (let i = 0; i < uids.length; i++) if (uids[i] === uid) return undefined;
      }
    }
    return e.result;
  }

  /** Keep a result; the caller made sure the pod is not among `nominated`. */
  set(ni: NodeInfo, context: number, pdbEpoch: number, nominated: readonly PodInfo[], result: V): void {
    const slot = cacheSlot(ni);
    const n = nominated.length;
    let nominatedUidsRest: Array<string | undefined> | null = null;
    if (n > 1) {
      nominatedUidsRest = [];
      for (let i = 1; i < n; i++) nominatedUidsRest.push(nominated[i]!.pod.metadata?.uid);
    }
    const e: Entry<V> = {
      context,
      pdbEpoch,
      ni,
      node: ni.node,
      generation: ni.generation,
      podsChanged: slot >= 0 ? (ni as NodeInfoImpl).podsChanged : 0,
      pods: slot >= 0 ? null : ni.pods.slice(),
      nominatedCount: n,
      nominated0: n > 0 ? nominated[0]! : null,
      nominatedRest: n > 1 ? nominated.slice(1) : null,
      nominatedUid0: n > 0 ? nominated[0]!.pod.metadata?.uid : undefined,
      nominatedUidsRest,
      result,
    };
    if (slot >= 0) {
      // Grown densely (an assignment far past the end would make a sparse array).
      const bySlot = this.bySlot;
      while (bySlot.length <= slot) bySlot.push(undefined);
      bySlot[slot] = e;
    } else this.byNode.set(ni.node.metadata?.name ?? '', e);
  }
}

/**
 * Ids for memo contexts: the active Filters (by name) and everything a
 * node-local plugin may read of the pod being filtered (namespace, labels,
 * annotations, spec: priority included). Ids are never reused; the table is
 * emptied when it grows past 64 contexts (older entries then just miss).
 */
export class MemoContexts {
  /** Ids by Filter names, then by pod text (perf: one key string per cycle was a 2 KiB copy). */
  private readonly byNames = new Map<string, Map<string, number>>();
  private size = 0;
  private next = 0;
  private lastFilters: readonly { name: string }[] | null = null;
  private lastNames = '';
  private lastByPod: Map<string, number> | null = null;
  private lastPod: PodInfo | null = null;
  private lastPodFilters: readonly { name: string }[] | null = null;
  private lastId = -1;

  idFor(filters: readonly { name: string }[], pod: PodInfo): number {
    if (pod === this.lastPod && filters === this.lastPodFilters) return this.lastId;
    if (filters !== this.lastFilters) {
      // A new list (one per cycle) usually names the same Filters.
      if (this.lastFilters === null || !sameNames(filters, this.lastFilters)) {
        this.lastNames = filters.map((f) => f.name).join(',');
        this.lastByPod = null;
      }
      this.lastFilters = filters;
    }
    let byPod = this.lastByPod ?? this.byNames.get(this.lastNames);
    if (byPod === undefined) this.byNames.set(this.lastNames, (byPod = new Map()));
    this.lastByPod = byPod;
    const text = podText(pod);
    let id = byPod.get(text);
    if (id === undefined) {
      if (this.size >= 64) {
        this.byNames.clear();
        this.size = 0;
        this.byNames.set(this.lastNames, (byPod = new Map()));
        this.lastByPod = byPod;
      }
      id = this.next++;
      byPod.set(text, id);
      this.size++;
    }
    this.lastPod = pod;
    this.lastPodFilters = filters;
    this.lastId = id;
    return id;
  }
}

function sameNames(a: readonly { name: string }[], b: readonly { name: string }[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i]!.name !== b[i]!.name) return false;
  return true;
}

/** Whether the pod with this UID is among the nominated pods (such a node's result is the pod's own). */
export function nominatedHere(nominated: readonly PodInfo[], uid: string | undefined): boolean {
  for (let i = 0; i < nominated.length; i++) if (nominated[i]!.pod.metadata?.uid === uid) return true;
  return false;
}

const texts = new WeakMap<PodInfo, string>();
/**
 * Texts by stored (deeply frozen) spec object, with the namespace, labels
 * and annotations they were made with: a pod's later PodInfos (one per
 * status write) and pods sharing an interned spec reuse the text instead of
 * serialising the spec again (perf).
 */
const textsBySpec = new WeakMap<object, { namespace: string; labels: unknown; annotations: unknown; text: string }>();
function podText(pod: PodInfo): string {
  let s = texts.get(pod);
  if (s === undefined) {
    const p = pod.pod;
    const namespace = p.metadata?.namespace ?? '';
    const labels = p.metadata?.labels ?? null;
    const annotations = p.metadata?.annotations ?? null;
    const spec = p.spec;
    const frozen = spec !== undefined && Object.isFrozen(spec) && Object.isFrozen(labels) && Object.isFrozen(annotations);
    const known = frozen ? textsBySpec.get(spec) : undefined;
    if (known !== undefined && known.namespace === namespace && known.labels === labels && known.annotations === annotations) s = known.text;
    else {
      s = JSON.stringify([namespace, labels, annotations, spec ?? null]);
      if (frozen) textsBySpec.set(spec, { namespace, labels, annotations, text: s });
    }
    texts.set(pod, s);
  }
  return s;
}
