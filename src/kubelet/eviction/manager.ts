/**
 * One node's eviction manager (pkg/kubelet/eviction/eviction_manager.go
 * synchronize), run every housekeeping interval (10 s) on a fresh stats
 * summary:
 *
 *  1. thresholds met now, plus previously met ones whose minimum reclaim is
 *     not yet satisfied;
 *  2. when each was first observed; node conditions for them, kept for the
 *     pressure transition period (evictionPressureTransitionPeriod, 5m)
 *     after last observed;
 *  3. thresholds whose grace period has passed (0 for hard ones) drive
 *     eviction: the highest priority one (memory first) is reclaimed, first at
 *     node level (dead containers, unused images, for disk signals) and, if
 *     that is not enough, by evicting ONE pod, ranked for that signal.
 *
 * The manager decides; the kubelet carries the decision out (reclaim, pod
 * termination, node status) and owns the timing.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Time } from '../../sim/types.ts';
import type { EvictionThreshold } from '../../api/kubeletConfig.ts';
import type { NodeSummary, PodStats } from '../stats.ts';
import { isCriticalPod } from '../oom.ts';
import {
  evictionMessage,
  getReclaimableThreshold,
  isHardEvictionThreshold,
  makeSignalObservations,
  mergeThresholds,
  nodeConditions,
  nodeConditionsLastObservedAt,
  nodeConditionsObservedSince,
  rankFor,
  sortByEvictionPriority,
  thresholdsFirstObservedAt,
  thresholdsMet,
  thresholdsMetGracePeriod,
  type NodeConditionType,
  type ReclaimResource,
  type SignalObservations,
  type ThresholdsObservedAt,
} from './helpers.ts';

/** Housekeeping interval of the eviction manager (evictionMonitoringPeriod). */
export const EvictionMonitoringPeriod = 10_000;
/** immediateEvictionGracePeriodSeconds: what a hard threshold gives a pod to stop. */
export const ImmediateEvictionGracePeriodSeconds = 1;

export interface EvictionConfig {
  thresholds: EvictionThreshold[];
  pressureTransitionPeriod: Time;
  /** evictionMaxPodGracePeriod (seconds): the grace period of soft evictions. */
  maxPodGracePeriodSeconds: number;
}

export interface Eviction {
  pod: Pod;
  signal: string;
  resource: ReclaimResource;
  message: string;
  annotations: Record<string, string>;
  gracePeriodSeconds: number;
}

export interface SyncResult {
  /** The node's pressure conditions now (the kubelet reports them True, the others False). */
  conditions: NodeConditionType[];
  /** The resource being reclaimed (an EvictionThresholdMet event on the node), if any. */
  reclaiming: ReclaimResource | undefined;
  /** Node-level reclaim was enough: no pod is evicted this round. */
  reclaimedAtNodeLevel: boolean;
  eviction: Eviction | undefined;
}

/** Node-level reclaim for a signal; returns a fresh summary afterwards, or undefined if nothing could be reclaimed. */
export type NodeReclaim = (signal: string) => NodeSummary | undefined;

export class EvictionManager {
  private thresholdsObserved: ThresholdsObservedAt = new Map();
  private conditionsObserved = new Map<NodeConditionType, Time>();
  private met: EvictionThreshold[] = [];
  private conditions: NodeConditionType[] = [];

  constructor(readonly config: EvictionConfig) {}

  /** The pressure conditions reported now (for the admission handler). */
  get nodeConditions(): readonly NodeConditionType[] {
    return this.conditions;
  }

  synchronize(summary: NodeSummary, activePods: Pod[], now: Time, reclaim: NodeReclaim): SyncResult {
    const result: SyncResult = { conditions: this.conditions, reclaiming: undefined, reclaimedAtNodeLevel: false, eviction: undefined };
    if (this.config.thresholds.length === 0) return result;
    const obs = makeSignalObservations(summary);
    let thresholds = thresholdsMet(this.config.thresholds, obs, false);
    if (this.met.length > 0) thresholds = mergeThresholds(thresholds, thresholdsMet(this.met, obs, true));
    const firstObserved = thresholdsFirstObservedAt(thresholds, this.thresholdsObserved, now);
    const lastObserved = nodeConditionsLastObservedAt(nodeConditions(thresholds), this.conditionsObserved, now);
    const conditions = nodeConditionsObservedSince(lastObserved, this.config.pressureTransitionPeriod, now);
    thresholds = thresholdsMetGracePeriod(firstObserved, now);
    this.conditions = conditions;
    this.thresholdsObserved = firstObserved;
    this.conditionsObserved = lastObserved;
    this.met = thresholds;
    result.conditions = conditions;
    if (thresholds.length === 0) return result;

    const sorted = sortByEvictionPriority([...thresholds]);
    const target = getReclaimableThreshold(sorted);
    if (!target) return result;
    result.reclaiming = target.resource;
    const after = reclaim(target.threshold.signal);
    if (after && thresholdsMet(this.config.thresholds, makeSignalObservations(after), true).length === 0) {
      result.reclaimedAtNodeLevel = true;
      return result;
    }
    const rank = rankFor(target.threshold.signal);
    if (!rank || activePods.length === 0) return result;
    const statsByUid = new Map<string, PodStats>();
    for (const p of summary.pods) statsByUid.set(p.uid, p);
    const stats = (p: Pod): PodStats | undefined => statsByUid.get(p.metadata?.uid ?? '');
    const ranked = rank([...activePods], stats);
    for (const pod of ranked) {
      // evictPod refuses critical pods and moves on to the next.
      if (isCriticalPod(pod)) continue;
      const grace = isHardEvictionThreshold(target.threshold) ? ImmediateEvictionGracePeriodSeconds : this.config.maxPodGracePeriodSeconds;
      const { message, annotations } = evictionMessage(target.resource, pod, stats, thresholds, obs);
      result.eviction = { pod, signal: target.threshold.signal, resource: target.resource, message, annotations, gracePeriodSeconds: grace };
      break;
    }
    return result;
  }

  /** For tests and explain: the observations a summary gives. */
  static observe(summary: NodeSummary): SignalObservations {
    return makeSignalObservations(summary);
  }
}
