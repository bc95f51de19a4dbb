/**
 * The framework's filter pass with nominated pods
 * (RunFilterPluginsWithNominatedPods), remembered per node (fast path; no
 * upstream counterpart).
 *
 * Why: while preemptors wait for their victims to go, their nodes carry
 * nominations, and every other pod's cycle filters those nodes twice (with
 * the nominated pods added, then without), which the framework's per-node
 * Filter memo does not cover (framework/nodeMemo.ts: it skips nodes with
 * nominations). In PreemptionBasic that was a fifth of the run: up to 1,000
 * nominated nodes per cycle, unchanged from one cycle to the next.
 *
 * A verdict is reused under the same conditions as a dry-run result
 * (dryRunMemo.ts): every active Filter node-local, no PreFilter extension
 * active (the state is then never copied or changed), the same active
 * Filters and pod shape, the same Node object, NodeInfo generation and
 * PodInfos, the same nominated PodInfos, and the pod not itself nominated
 * to the node. Error statuses are not kept.
 */
import type { CycleState, FilterPlugin, NodeInfo, PodInfo, Result } from './types.ts';
import { Code } from './types.ts';
import { NodeInfoImpl } from './nodeInfo.ts';
import { MemoContexts, NodeResultMemo, nominatedHere } from './dryRunMemo.ts';

/** What the memo needs of the framework runtime. */
export interface NominatedPassRuntime {
  filtersNotSkipped(skip: Set<string>): readonly FilterPlugin[];
  hasActivePreFilterExtensions(state: CycleState): boolean;
  /** The pass itself, for a node with these nominated pods. */
  filterWithNominated(state: CycleState, pod: PodInfo, nodeInfo: NodeInfo, nominated: readonly PodInfo[]): Result;
}

export class NominatedPassMemo {
  private readonly memo = new NodeResultMemo<Result>();
  private readonly contexts = new MemoContexts();
  /** Eligibility of the last active Filter list seen (its identity stands for the cycle's skip set). */
  private lastFilters: readonly FilterPlugin[] | null = null;
  private eligible = false;

  constructor(private readonly fw: NominatedPassRuntime) {}

  run(state: CycleState, pod: PodInfo, nodeInfo: NodeInfo, nominated: readonly PodInfo[]): Result {
    const fw = this.fw;
    const filters = fw.filtersNotSkipped(state.skipFilterPlugins);
    if (filters !== this.lastFilters) {
      this.lastFilters = filters;
      this.eligible = filters.every((f) => f.nodeLocal === true) && !fw.hasActivePreFilterExtensions(state);
    }
    if (!this.eligible || !(nodeInfo instanceof NodeInfoImpl)) return fw.filterWithNominated(state, pod, nodeInfo, nominated);
    const uid = pod.pod.metadata?.uid;
    const context = this.contexts.idFor(filters, pod);
    // A pod nominated to the node misses (get) and its result is not kept.
    const hit = this.memo.get(nodeInfo, context, 0, nominated, uid);
    if (hit !== undefined) return hit;
    const result = fw.filterWithNominated(state, pod, nodeInfo, nominated);
    if (!nominatedHere(nominated, uid) && (result === null || result.code !== Code.Error)) this.memo.set(nodeInfo, context, 0, nominated, result);
    return result;
  }
}
