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
 *    order and start times, so the pods are compared one by one);
 *  - the pods nominated to the node: the same PodInfo objects in order.
 * Callers keep no Error status.
 */
import type { NodeInfo, PodInfo } from './types.ts';

interface Entry<V> {
  context: number;
  pdbEpoch: number;
  node: object;
  generation: number;
  pods: PodInfo[];
  nominated: PodInfo[];
  result: V;
}

function sameList(a: readonly PodInfo[], b: readonly PodInfo[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export class NodeResultMemo<V> {
  private readonly byNode = new Map<string, Entry<V>>();

  get(name: string, context: number, pdbEpoch: number, ni: NodeInfo, nominated: readonly PodInfo[]): V | undefined {
    const e = this.byNode.get(name);
    if (e === undefined || e.context !== context || e.pdbEpoch !== pdbEpoch || e.node !== ni.node || e.generation !== ni.generation) return undefined;
    if (!sameList(e.pods, ni.pods) || !sameList(e.nominated, nominated)) return undefined;
    return e.result;
  }

  set(name: string, context: number, pdbEpoch: number, ni: NodeInfo, nominated: readonly PodInfo[], result: V): void {
    const e = this.byNode.get(name);
    if (e === undefined) {
      this.byNode.set(name, { context, pdbEpoch, node: ni.node, generation: ni.generation, pods: ni.pods.slice(), nominated: nominated.slice(), result });
      return;
    }
    e.context = context;
    e.pdbEpoch = pdbEpoch;
    e.node = ni.node;
    e.generation = ni.generation;
    e.pods = ni.pods.slice();
    e.nominated = nominated.slice();
    e.result = result;
  }
}

/**
 * Ids for memo contexts: the active Filters (by name) and everything a
 * node-local plugin may read of the pod being filtered (namespace, labels,
 * annotations, spec: priority included). Ids are never reused; the table is
 * emptied when it grows past 64 contexts (older entries then just miss).
 */
export class MemoContexts {
  private readonly ids = new Map<string, number>();
  private next = 0;
  private lastFilters: readonly { name: string }[] | null = null;
  private lastNames = '';
  private lastPod: PodInfo | null = null;
  private lastPodFilters: readonly { name: string }[] | null = null;
  private lastId = -1;

  idFor(filters: readonly { name: string }[], pod: PodInfo): number {
    if (pod === this.lastPod && filters === this.lastPodFilters) return this.lastId;
    if (filters !== this.lastFilters) {
      this.lastFilters = filters;
      this.lastNames = filters.map((f) => f.name).join(',');
    }
    const key = `${this.lastNames}\u0001${podText(pod)}`;
    let id = this.ids.get(key);
    if (id === undefined) {
      if (this.ids.size >= 64) this.ids.clear();
      id = this.next++;
      this.ids.set(key, id);
    }
    this.lastPod = pod;
    this.lastPodFilters = filters;
    this.lastId = id;
    return id;
  }
}

/** Whether the pod with this UID is among the nominated pods (such a node's result is the pod's own). */
export function nominatedHere(nominated: readonly PodInfo[], uid: string | undefined): boolean {
  for (let i = 0; i < nominated.length; i++) if (nominated[i]!.pod.metadata?.uid === uid) return true;
  return false;
}

const texts = new WeakMap<PodInfo, string>();
function podText(pod: PodInfo): string {
  let s = texts.get(pod);
  if (s === undefined) {
    const p = pod.pod;
    s = JSON.stringify([p.metadata?.namespace ?? '', p.metadata?.labels ?? null, p.metadata?.annotations ?? null, p.spec ?? null]);
    texts.set(pod, s);
  }
  return s;
}
