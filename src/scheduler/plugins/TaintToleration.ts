/**
 * TaintToleration, following kube-scheduler v1.35
 * (unchanged since v1.31 in what ksim models; the Lt/Gt toleration operators,
 * TaintTolerationComparisonOperators, are alpha and off in v1.35 and rejected by validation)
 * pkg/scheduler/framework/plugins/tainttoleration:
 *   - Filter: the first NoSchedule/NoExecute taint (in node order) that no
 *     toleration tolerates rejects the node, unresolvably, naming that taint
 *     as `{key: value}`;
 *   - Score: the number of PreferNoSchedule taints the pod does not tolerate
 *     (only its tolerations with effect PreferNoSchedule or empty count);
 *     NormalizeScore reverses it, so fewer intolerable taints score higher.
 */
import type { Node, Taint, Toleration } from 'kubernetes-types/core/v1.js';
import { ActionType, MaxNodeScore, Status } from '../framework/types.ts';
import type {
  ClusterEventWithHint,
  CycleState,
  EnqueueExtensions,
  FilterPlugin,
  NodeInfo,
  NodeScore,
  PluginFactory,
  PodInfo,
  PreScorePlugin,
  QueueingHint,
  Result,
  ScorePlugin,
} from '../framework/types.ts';
import type { Stored } from '../../sim/types.ts';
import { findMatchingUntoleratedTaint, isDoNotScheduleTaint, toleratesTaint } from '../../api/taints.ts';
import { defaultNormalizeScore, defaultNormalizeScores } from './helper/normalizeScore.ts';
import { StateSlot, sameState } from '../framework/cycleState.ts';

export const name = 'TaintToleration';

const preScoreStateKey = 'PreScore' + name;

/** The Filter reason for an untolerated taint, formatted as upstream's "{%s: %s}". */
export function untoleratedTaintReason(taint: Taint): string {
  return `node(s) had untolerated taint {${taint.key ?? ''}: ${taint.value ?? ''}}`;
}

interface PreScoreState {
  tolerationsPreferNoSchedule: Toleration[];
  clone(): PreScoreState;
}

/** getAllTolerationPreferNoSchedule: an empty effect matches every effect, PreferNoSchedule included. */
function tolerationsPreferNoSchedule(tolerations: readonly Toleration[] | undefined): Toleration[] {
  const out: Toleration[] = [];
  if (tolerations) {
    for (let i = 0; i < tolerations.length; i++) {
      const t = tolerations[i]!;
      if (!t.effect || t.effect === 'PreferNoSchedule') out.push(t);
    }
  }
  return out;
}

/** countIntolerableTaintsPreferNoSchedule */
export function countIntolerableTaintsPreferNoSchedule(taints: readonly Taint[] | undefined, tolerations: readonly Toleration[]): number {
  if (!taints) return 0;
  let n = 0;
  for (let i = 0; i < taints.length; i++) {
    const taint = taints[i]!;
    if (taint.effect !== 'PreferNoSchedule') continue;
    let tolerated = false;
    for (let j = 0; j < tolerations.length; j++) {
      if (toleratesTaint(tolerations[j]!, taint)) {
        tolerated = true;
        break;
      }
    }
    if (!tolerated) n++;
  }
  return n;
}

/**
 * FindMatchingUntoleratedTaint with DoNotScheduleTaintsFilterFunc, as a plain
 * loop: Filter runs per node per pod, so no closures on the hot path.
 */
function firstUntoleratedDoNotScheduleTaint(taints: readonly Taint[], tolerations: readonly Toleration[] | undefined): Taint | undefined {
  for (let i = 0; i < taints.length; i++) {
    const taint = taints[i]!;
    if (!isDoNotScheduleTaint(taint)) continue;
    let tolerated = false;
    if (tolerations) {
      for (let j = 0; j < tolerations.length; j++) {
        if (toleratesTaint(tolerations[j]!, taint)) {
          tolerated = true;
          break;
        }
      }
    }
    if (!tolerated) return taint;
  }
  return undefined;
}

class TaintToleration implements FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {
  readonly name = name;
  /** Filter/Score read only the pod and this NodeInfo (fast-path memo, framework/nodeMemo.ts). */
  readonly nodeLocal = true;
  readonly podSpecOnly = true;
  /** NormalizeScore is DefaultNormalizeScore (fast path: equal raw scores cannot change the winner). */
  readonly normalizesEqualToEqual = true;
  private readonly preScoreSlot = new StateSlot<PreScoreState>(preScoreStateKey);

  filter(_state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): Result {
    const taints = nodeInfo.node.spec?.taints;
    if (!taints || taints.length === 0) return null;
    const taint = firstUntoleratedDoNotScheduleTaint(taints, pod.pod.spec?.tolerations);
    if (!taint) return null;
    return Status.unresolvable(untoleratedTaintReason(taint));
  }

  preScore(state: CycleState, pod: PodInfo): Result {
    // Pods of one template share their (frozen, interned) tolerations: the state
    // made for the last list is reused (perf: a state and a list per cycle).
    const tolerations = pod.pod.spec?.tolerations;
    let s = this.lastState;
    if (s === null || tolerations !== this.lastTolerations || !Object.isFrozen(tolerations)) {
      s = {
        tolerationsPreferNoSchedule: tolerationsPreferNoSchedule(tolerations),
        // Not affected by other pods: sharing is a valid copy.
        clone: sameState,
      };
      this.lastTolerations = tolerations;
      this.lastState = s;
    }
    state.write(preScoreStateKey, s);
    return null;
  }
  private lastTolerations: readonly Toleration[] | undefined = undefined;
  private lastState: PreScoreState | null = null;

  score(state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): number | Status {
    const s = this.preScoreSlot.read(state);
    if (!s) return Status.error(`failed to read "${preScoreStateKey}" from cycleState: not found`);
    return countIntolerableTaintsPreferNoSchedule(nodeInfo.node.spec?.taints, s.tolerationsPreferNoSchedule);
  }

  normalizeScore(_state: CycleState, _pod: PodInfo, scores: NodeScore[]): Result {
    return defaultNormalizeScore(MaxNodeScore, true, scores);
  }

  normalizeAll(_state: CycleState, _pod: PodInfo, scores: Float64Array, n: number): boolean {
    defaultNormalizeScores(MaxNodeScore, true, scores, n);
    return true;
  }

  eventsToRegister(): ClusterEventWithHint[] {
    // With queueing hints off (the default before v1.32) upstream registers
    // UpdateNodeLabel too (preCheck may hide Node/Add, kubernetes#109437).
    return [
      {
        event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeTaint | ActionType.UpdateNodeLabel },
        hint: isSchedulableAfterNodeChange,
      },
    ];
  }
}

/** Queue only when the change turns an untolerated node into a tolerated one. */
export function isSchedulableAfterNodeChange(pod: Stored, oldObj: Stored | undefined, newObj: Stored | undefined): QueueingHint {
  const modified = newObj as Node | undefined;
  if (!modified) return 'Queue';
  const tolerations = (pod as { spec?: { tolerations?: Toleration[] } }).spec?.tolerations;
  const original = oldObj as Node | undefined;
  const wasUntolerated = original === undefined || findMatchingUntoleratedTaint(original.spec?.taints, tolerations, isDoNotScheduleTaint) !== undefined;
  const isUntolerated = findMatchingUntoleratedTaint(modified.spec?.taints, tolerations, isDoNotScheduleTaint) !== undefined;
  return wasUntolerated && !isUntolerated ? 'Queue' : 'QueueSkip';
}

export const factory: PluginFactory = () => new TaintToleration();
