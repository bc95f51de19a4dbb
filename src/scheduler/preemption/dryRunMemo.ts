/**
 * Dry-run results by node, reused while nothing they depend on has changed
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
 * Error statuses are never kept.
 */
import type { NodeInfo, PodInfo } from '../framework/types.ts';
import { Code } from '../framework/types.ts';
import type { VictimSelection } from './evaluator.ts';

interface Entry {
  context: number;
  pdbEpoch: number;
  node: object;
  generation: number;
  pods: PodInfo[];
  nominated: PodInfo[];
  result: VictimSelection;
}

function sameList(a: readonly PodInfo[], b: readonly PodInfo[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export class DryRunMemo {
  private readonly byNode = new Map<string, Entry>();

  get(name: string, context: number, pdbEpoch: number, ni: NodeInfo, nominated: readonly PodInfo[]): VictimSelection | undefined {
    const e = this.byNode.get(name);
    if (e === undefined || e.context !== context || e.pdbEpoch !== pdbEpoch || e.node !== ni.node || e.generation !== ni.generation) return undefined;
    if (!sameList(e.pods, ni.pods) || !sameList(e.nominated, nominated)) return undefined;
    return e.result;
  }

  set(name: string, context: number, pdbEpoch: number, ni: NodeInfo, nominated: readonly PodInfo[], result: VictimSelection): void {
    if (result.status !== null && result.status.code === Code.Error) {
      this.byNode.delete(name);
      return;
    }
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
