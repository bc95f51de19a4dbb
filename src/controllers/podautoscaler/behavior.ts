/**
 * Normalising a metric recommendation into the replica count the HPA sets, as
 * upstream's pkg/controller/podautoscaler/horizontal.go (v1.35): pure
 * functions over an explicit per-HPA history (recommendations and scale
 * events) and "now" (ms), so they can be tested against upstream's tables.
 *
 *  - Without spec.behavior: normalizeDesiredReplicas (the downscale
 *    stabilization window of --horizontal-pod-autoscaler-downscale-stabilization,
 *    then min/max and the legacy scale-up limit max(2 × current, 4)).
 *  - With spec.behavior: normalizeDesiredReplicasWithBehaviors
 *    (stabilizeRecommendationWithBehaviors, then
 *    convertDesiredReplicasWithBehaviorRate against the scale events of each
 *    policy's period).
 */

export type PolicyType = 'Pods' | 'Percent';
export type SelectPolicy = 'Max' | 'Min' | 'Disabled';

export interface HPAScalingPolicy {
  type: PolicyType;
  value: number;
  periodSeconds: number;
}

/** HPAScalingRules after defaulting (stabilizationWindowSeconds filled in by the controller for scale-down). */
export interface ScalingRules {
  stabilizationWindowSeconds: number;
  selectPolicy: SelectPolicy;
  policies: HPAScalingPolicy[];
  /** Per-direction tolerance (HPAConfigurableTolerance); undefined = the controller's default. */
  tolerance?: number;
}

export interface Behavior {
  scaleUp: ScalingRules;
  scaleDown: ScalingRules;
}

export interface TimestampedRecommendation {
  recommendation: number;
  timestamp: number;
}

export interface TimestampedScaleEvent {
  /** Replicas added (scale-up list) or removed (scale-down list). */
  replicaChange: number;
  timestamp: number;
  outdated: boolean;
}

/** The controller's memory of one HPA (upstream keeps these maps by HPA key). */
export interface HpaHistory {
  recommendations: TimestampedRecommendation[];
  scaleUpEvents: TimestampedScaleEvent[];
  scaleDownEvents: TimestampedScaleEvent[];
}

export function newHistory(): HpaHistory {
  return { recommendations: [], scaleUpEvents: [], scaleDownEvents: [] };
}

/** A condition the normalisation proposes: reason and message, word for word as upstream. */
export interface Proposal {
  replicas: number;
  reason: string;
  message: string;
}

const MAX_INT32 = 2147483647;
const MIN_INT32 = -2147483648;

/** Go's int32(float64) conversion for in-range values: truncation toward zero. */
function int32(x: number): number {
  return Math.trunc(x);
}

/** recordInitialRecommendation: the first sync seeds the history with the current size. */
export function recordInitialRecommendation(h: HpaHistory, currentReplicas: number, now: number): void {
  if (h.recommendations.length === 0) h.recommendations = [{ recommendation: currentReplicas, timestamp: now }];
}

/** stabilizeRecommendation (no behavior): the max recommendation within the downscale window; records this one. */
export function stabilizeRecommendation(h: HpaHistory, prenormalizedDesiredReplicas: number, downscaleStabilisationWindow: number, now: number): number {
  let maxRecommendation = prenormalizedDesiredReplicas;
  let oldSampleIndex = -1;
  const cutoff = now - downscaleStabilisationWindow;
  h.recommendations.forEach((rec, i) => {
    if (rec.timestamp < cutoff) oldSampleIndex = i;
    else if (rec.recommendation > maxRecommendation) maxRecommendation = rec.recommendation;
  });
  const entry = { recommendation: prenormalizedDesiredReplicas, timestamp: now };
  if (oldSampleIndex >= 0) h.recommendations[oldSampleIndex] = entry;
  else h.recommendations.push(entry);
  return maxRecommendation;
}

/** calculateScaleUpLimit: max(2 × current, 4), the legacy guard against bogus usage spikes. */
export function calculateScaleUpLimit(currentReplicas: number): number {
  return int32(Math.max(2.0 * currentReplicas, 4.0));
}

/** convertDesiredReplicasWithRules: min/max and the legacy scale-up limit. */
export function convertDesiredReplicasWithRules(currentReplicas: number, desiredReplicas: number, hpaMinReplicas: number, hpaMaxReplicas: number): Proposal {
  const scaleUpLimit = calculateScaleUpLimit(currentReplicas);
  let maximumAllowedReplicas: number;
  let reason: string;
  let message: string;
  if (hpaMaxReplicas > scaleUpLimit) {
    maximumAllowedReplicas = scaleUpLimit;
    reason = 'ScaleUpLimit';
    message = 'the desired replica count is increasing faster than the maximum scale rate';
  } else {
    maximumAllowedReplicas = hpaMaxReplicas;
    reason = 'TooManyReplicas';
    message = 'the desired replica count is more than the maximum replica count';
  }
  if (desiredReplicas < hpaMinReplicas) {
    return { replicas: hpaMinReplicas, reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count' };
  }
  if (desiredReplicas > maximumAllowedReplicas) return { replicas: maximumAllowedReplicas, reason, message };
  return { replicas: desiredReplicas, reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' };
}

/** A condition setter: (type, status, reason, message). */
export type SetCondition = (type: 'AbleToScale' | 'ScalingLimited', status: 'True' | 'False', reason: string, message: string) => void;

/** normalizeDesiredReplicas: the path without spec.behavior. */
export function normalizeDesiredReplicas(
  h: HpaHistory,
  args: { currentReplicas: number; prenormalizedDesiredReplicas: number; minReplicas: number; maxReplicas: number; downscaleStabilisationWindow: number; now: number },
  setCondition: SetCondition,
): number {
  const stabilized = stabilizeRecommendation(h, args.prenormalizedDesiredReplicas, args.downscaleStabilisationWindow, args.now);
  if (stabilized !== args.prenormalizedDesiredReplicas) {
    setCondition('AbleToScale', 'True', 'ScaleDownStabilized', 'recent recommendations were higher than current one, applying the highest recent recommendation');
  } else {
    setCondition('AbleToScale', 'True', 'ReadyForNewScale', 'recommended size matches current size');
  }
  const p = convertDesiredReplicasWithRules(args.currentReplicas, stabilized, args.minReplicas, args.maxReplicas);
  setCondition('ScalingLimited', p.replicas === stabilized ? 'False' : 'True', p.reason, p.message);
  return p.replicas;
}

/** NormalizationArg. */
export interface NormalizationArg {
  scaleUpBehavior: ScalingRules;
  scaleDownBehavior: ScalingRules;
  minReplicas: number;
  maxReplicas: number;
  currentReplicas: number;
  desiredReplicas: number;
}

/**
 * stabilizeRecommendationWithBehaviors: the recommendation is held between the
 * lowest recommendation of the scale-up window and the highest of the
 * scale-down window (starting from the current size); records this one.
 */
export function stabilizeRecommendationWithBehaviors(h: HpaHistory, args: NormalizationArg, now: number): Proposal {
  let oldSampleIndex = -1;
  let upRecommendation = args.desiredReplicas;
  const upCutoff = now - args.scaleUpBehavior.stabilizationWindowSeconds * 1000;
  let downRecommendation = args.desiredReplicas;
  const downCutoff = now - args.scaleDownBehavior.stabilizationWindowSeconds * 1000;
  h.recommendations.forEach((rec, i) => {
    if (rec.timestamp > upCutoff) upRecommendation = Math.min(rec.recommendation, upRecommendation);
    if (rec.timestamp > downCutoff) downRecommendation = Math.max(rec.recommendation, downRecommendation);
    if (rec.timestamp < upCutoff && rec.timestamp < downCutoff) oldSampleIndex = i;
  });
  let recommendation = args.currentReplicas;
  if (recommendation < upRecommendation) recommendation = upRecommendation;
  if (recommendation > downRecommendation) recommendation = downRecommendation;
  const entry = { recommendation: args.desiredReplicas, timestamp: now };
  if (oldSampleIndex >= 0) h.recommendations[oldSampleIndex] = entry;
  else h.recommendations.push(entry);
  if (args.desiredReplicas >= args.currentReplicas) {
    return { replicas: recommendation, reason: 'ScaleUpStabilized', message: 'recent recommendations were lower than current one, applying the lowest recent recommendation' };
  }
  return { replicas: recommendation, reason: 'ScaleDownStabilized', message: 'recent recommendations were higher than current one, applying the highest recent recommendation' };
}

/** getReplicasChangePerPeriod: the replicas changed by events strictly inside the last periodSeconds. */
export function getReplicasChangePerPeriod(periodSeconds: number, events: readonly TimestampedScaleEvent[], now: number): number {
  const cutoff = now - periodSeconds * 1000;
  let replicas = 0;
  for (const e of events) if (e.timestamp > cutoff) replicas += e.replicaChange;
  return replicas;
}

/** calculateScaleUpLimitWithScalingRules: the highest size the scale-up policies allow now. */
export function calculateScaleUpLimitWithScalingRules(currentReplicas: number, scaleUpEvents: readonly TimestampedScaleEvent[], scaleDownEvents: readonly TimestampedScaleEvent[], rules: ScalingRules, now: number): number {
  if (rules.selectPolicy === 'Disabled') return currentReplicas;
  const minPolicy = rules.selectPolicy === 'Min';
  let result = minPolicy ? MAX_INT32 : MIN_INT32;
  for (const policy of rules.policies) {
    const added = getReplicasChangePerPeriod(policy.periodSeconds, scaleUpEvents, now);
    const deleted = getReplicasChangePerPeriod(policy.periodSeconds, scaleDownEvents, now);
    const periodStartReplicas = currentReplicas - added + deleted;
    let proposed = 0;
    if (policy.type === 'Pods') proposed = periodStartReplicas + policy.value;
    // Rounded up: a small percentage of a small count must still allow one more pod.
    else if (policy.type === 'Percent') proposed = int32(Math.ceil(periodStartReplicas * (1 + policy.value / 100)));
    result = minPolicy ? Math.min(result, proposed) : Math.max(result, proposed);
  }
  return result;
}

/** calculateScaleDownLimitWithBehaviors: the lowest size the scale-down policies allow now. */
export function calculateScaleDownLimitWithBehaviors(currentReplicas: number, scaleUpEvents: readonly TimestampedScaleEvent[], scaleDownEvents: readonly TimestampedScaleEvent[], rules: ScalingRules, now: number): number {
  if (rules.selectPolicy === 'Disabled') return currentReplicas;
  const minPolicy = rules.selectPolicy === 'Min';
  let result = minPolicy ? MIN_INT32 : MAX_INT32;
  for (const policy of rules.policies) {
    const added = getReplicasChangePerPeriod(policy.periodSeconds, scaleUpEvents, now);
    const deleted = getReplicasChangePerPeriod(policy.periodSeconds, scaleDownEvents, now);
    const periodStartReplicas = currentReplicas - added + deleted;
    let proposed = 0;
    if (policy.type === 'Pods') proposed = periodStartReplicas - policy.value;
    // Truncated (int32 of a float64), as upstream.
    else if (policy.type === 'Percent') proposed = int32(periodStartReplicas * (1 - policy.value / 100));
    result = minPolicy ? Math.max(result, proposed) : Math.min(result, proposed);
  }
  return result;
}

/** convertDesiredReplicasWithBehaviorRate: limit the change by the policies' rates and min/max. */
export function convertDesiredReplicasWithBehaviorRate(h: HpaHistory, args: NormalizationArg, now: number): Proposal {
  if (args.desiredReplicas > args.currentReplicas) {
    let scaleUpLimit = calculateScaleUpLimitWithScalingRules(args.currentReplicas, h.scaleUpEvents, h.scaleDownEvents, args.scaleUpBehavior, now);
    if (scaleUpLimit < args.currentReplicas) scaleUpLimit = args.currentReplicas; // wait until old events leave the period
    let maximumAllowedReplicas = args.maxReplicas;
    let reason: string;
    let message: string;
    if (maximumAllowedReplicas > scaleUpLimit) {
      maximumAllowedReplicas = scaleUpLimit;
      reason = 'ScaleUpLimit';
      message = 'the desired replica count is increasing faster than the maximum scale rate';
    } else {
      reason = 'TooManyReplicas';
      message = 'the desired replica count is more than the maximum replica count';
    }
    if (args.desiredReplicas > maximumAllowedReplicas) return { replicas: maximumAllowedReplicas, reason, message };
  } else if (args.desiredReplicas < args.currentReplicas) {
    let scaleDownLimit = calculateScaleDownLimitWithBehaviors(args.currentReplicas, h.scaleUpEvents, h.scaleDownEvents, args.scaleDownBehavior, now);
    if (scaleDownLimit > args.currentReplicas) scaleDownLimit = args.currentReplicas;
    let minimumAllowedReplicas = args.minReplicas;
    let reason: string;
    let message: string;
    if (minimumAllowedReplicas < scaleDownLimit) {
      minimumAllowedReplicas = scaleDownLimit;
      reason = 'ScaleDownLimit';
      message = 'the desired replica count is decreasing faster than the maximum scale rate';
    } else {
      reason = 'TooFewReplicas';
      message = 'the desired replica count is less than the minimum replica count';
    }
    if (args.desiredReplicas < minimumAllowedReplicas) return { replicas: minimumAllowedReplicas, reason, message };
  }
  return { replicas: args.desiredReplicas, reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' };
}

/** normalizeDesiredReplicasWithBehaviors: stabilise, then rate-limit; sets AbleToScale and ScalingLimited. */
export function normalizeDesiredReplicasWithBehaviors(h: HpaHistory, args: NormalizationArg, now: number, setCondition: SetCondition): number {
  const stabilized = stabilizeRecommendationWithBehaviors(h, args, now);
  if (stabilized.replicas !== args.desiredReplicas) setCondition('AbleToScale', 'True', stabilized.reason, stabilized.message);
  else setCondition('AbleToScale', 'True', 'ReadyForNewScale', 'recommended size matches current size');
  const p = convertDesiredReplicasWithBehaviorRate(h, { ...args, desiredReplicas: stabilized.replicas }, now);
  setCondition('ScalingLimited', p.replicas === stabilized.replicas ? 'False' : 'True', p.reason, p.message);
  return p.replicas;
}

function getLongestPolicyPeriod(rules: ScalingRules): number {
  let longest = 0;
  for (const p of rules.policies) if (p.periodSeconds > longest) longest = p.periodSeconds;
  return longest;
}

/** markScaleEventsOutdated: events older than the longest policy period may be reused. */
export function markScaleEventsOutdated(events: TimestampedScaleEvent[], longestPolicyPeriod: number, now: number): void {
  const cutoff = now - longestPolicyPeriod * 1000;
  for (const e of events) if (e.timestamp < cutoff) e.outdated = true;
}

/** storeScaleEvent: record a rescale (only with a behavior: the legacy path never reads events). */
export function storeScaleEvent(h: HpaHistory, behavior: Behavior | undefined, prevReplicas: number, newReplicas: number, now: number): void {
  if (!behavior) return;
  const up = newReplicas > prevReplicas;
  const events = up ? h.scaleUpEvents : h.scaleDownEvents;
  markScaleEventsOutdated(events, getLongestPolicyPeriod(up ? behavior.scaleUp : behavior.scaleDown), now);
  let oldSampleIndex = -1;
  events.forEach((e, i) => {
    if (e.outdated) oldSampleIndex = i;
  });
  const entry: TimestampedScaleEvent = { replicaChange: up ? newReplicas - prevReplicas : prevReplicas - newReplicas, timestamp: now, outdated: false };
  if (oldSampleIndex >= 0) events[oldSampleIndex] = entry;
  else events.push(entry);
}
