/**
 * NodeResourcesBalancedAllocation, following kube-scheduler
 * pkg/scheduler/framework/plugins/noderesources/balanced_allocation.go:
 * favours nodes whose resource usage, after placing the pod, is balanced
 * across the configured resources (default cpu and memory). The score is
 * (1 - std) * MaxNodeScore, truncated, where std is the standard deviation of
 * the requested/allocatable fractions (each capped at 1), |f1 - f2| / 2 for two
 * resources. It uses the plain requests (not the non-zero defaults), and an
 * extended resource only when the pod requests it and the node has it.
 *
 * Since v1.33 (PR 130260, no gate) PreScore returns Skip for a pod that
 * requests none of the scored resources (a best-effort pod), so such pods are
 * no longer all drawn to the one node whose balance looks best.
 */
import { Status, type CycleState, type NodeInfo, type PluginFactory, type PodInfo, type PreScorePlugin, type Result, type ScorePlugin, SkipStatus } from '../framework/types.ts';
import { parseNodeResourcesBalancedAllocationArgs, type NodeResourcesBalancedAllocationArgs } from './noderesources/args.ts';
import { ResourceAllocationScorer, type RequestsState } from './noderesources/resourceAllocation.ts';
import { balancedResourceScorer } from './noderesources/scorers.ts';
import { StateSlot } from '../framework/cycleState.ts';

export const name = 'NodeResourcesBalancedAllocation';

const preScoreStateKey = 'PreScore' + name;

export class NodeResourcesBalancedAllocation implements PreScorePlugin, ScorePlugin {
  readonly name = name;
  /** Filter/Score read only the pod and this NodeInfo (fast-path memo, framework/nodeMemo.ts). */
  readonly nodeLocal = true;
  readonly podSpecOnly = true;
  private readonly preScoreSlot = new StateSlot<RequestsState>(preScoreStateKey);
  private readonly scorer: ResourceAllocationScorer;

  constructor(
    readonly args: NodeResourcesBalancedAllocationArgs,
    /** Emulated release >= 1.33: best-effort pods are not scored. */
    private readonly skipBestEffort = true,
    /** SchedulerOptions.fastPath: score from the cache's compact resource columns. */
    fastPath = true,
  ) {
    this.scorer = new ResourceAllocationScorer(name, args.resources, balancedResourceScorer, true, fastPath);
  }

  preScore(state: CycleState, pod: PodInfo): Result {
    const s = this.scorer.preScoreState(pod);
    if (this.skipBestEffort && s.podRequests.every((r) => r === 0)) return SkipStatus;
    state.write(preScoreStateKey, s);
    return null;
  }

  score(state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): number | Status {
    // Without PreScore (disabled), compute the requests here as upstream does.
    const s = this.preScoreSlot.read(state);
    return this.scorer.score(nodeInfo, s ? s.podRequests : this.scorer.podRequests(pod));
  }
}


export const factory: PluginFactory = (args, handle) =>
  new NodeResourcesBalancedAllocation(parseNodeResourcesBalancedAllocationArgs(args), handle?.featureGates.atLeast('1.33') ?? true, handle?.fastPath ?? true);
