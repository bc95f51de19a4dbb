/**
 * The HPA's replica calculator, as upstream's
 * pkg/controller/podautoscaler/replica_calculator.go and metrics/utilization.go
 * (v1.35), as pure functions over plain inputs: the pods the target's
 * selector matches, the metrics fetched for them (milli-values with their
 * timestamp and window), the target, the tolerances and "now".
 *
 * Errors carry upstream's messages ("did not receive metrics for targeted
 * pods (pods might be unready)", "missing request for cpu in container c of
 * Pod web-1", ...) and are thrown as MetricCalculationError; the controller
 * turns them into conditions and events as upstream does.
 *
 * Sums and the utilization percentage use BigInt where upstream relies on
 * int64/big.Int arithmetic (memory milli-values times 100 overflow 2^53).
 */
import type { Container, Pod, PodCondition } from 'kubernetes-types/core/v1.js';
import { Quantity } from '../../api/quantity.ts';
import { isRestartableInitContainer } from '../../api/resources.ts';
import { parseRFC3339 } from '../../sim/time.ts';

/** A calculation failed; `message` is upstream's error text. */
export class MetricCalculationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MetricCalculationError';
  }
}

/** One pod's metric: a milli-value sampled at `timestamp` (Unix ms) over `window` (ms). */
export interface PodMetric {
  value: number;
  timestamp: number;
  window: number;
}

/** Pod name -> metric (metricsclient.PodMetricsInfo). */
export type PodMetricsInfo = Map<string, PodMetric>;

/**
 * Scale-up and scale-down tolerances on the usage ratio. Per direction since
 * v1.33's HPAConfigurableTolerance (alpha 1.33, beta and on by default since
 * v1.35); both default to --horizontal-pod-autoscaler-tolerance (0.1).
 */
export interface Tolerances {
  scaleDown: number;
  scaleUp: number;
}

export const DEFAULT_TOLERANCE = 0.1;

/** Tolerances.isWithin: (1 - scaleDown) <= ratio <= (1 + scaleUp). */
export function isWithin(t: Tolerances, usageRatio: number): boolean {
  return 1.0 - t.scaleDown <= usageRatio && usageRatio <= 1.0 + t.scaleUp;
}

/** The readiness windows of groupPods (controller-manager flags). */
export interface ReadinessConfig {
  /** --horizontal-pod-autoscaler-cpu-initialization-period, default 5m. */
  cpuInitializationPeriod: number;
  /** --horizontal-pod-autoscaler-initial-readiness-delay, default 30s. */
  delayOfInitialReadinessStatus: number;
}

export const DEFAULT_CPU_INITIALIZATION_PERIOD = 5 * 60_000;
export const DEFAULT_INITIAL_READINESS_DELAY = 30_000;

const MAX_INT32 = 2147483647;

/** Go's zero time.Time (0001-01-01T00:00:00Z) in Unix ms: an unset lastTransitionTime. */
export const GO_ZERO_TIME = parseRFC3339('0001-01-01T00:00:00Z');

function podName(p: Pod): string {
  return p.metadata?.name ?? '';
}

function readyCondition(p: Pod): PodCondition | undefined {
  return p.status?.conditions?.find((c) => c.type === 'Ready');
}

/** podutil.IsPodReady. */
export function isPodReady(p: Pod): boolean {
  return readyCondition(p)?.status === 'True';
}

/** Parsed timestamps: every sync reads the same few start and transition times again. */
const TIMES = new Map<string, number | undefined>();

/** Unix ms of an RFC 3339 timestamp, undefined when absent or malformed (memoised). */
export function time(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  if (TIMES.has(s)) return TIMES.get(s);
  let v: number | undefined;
  try {
    v = parseRFC3339(s);
  } catch {
    v = undefined;
  }
  if (TIMES.size >= 4096) TIMES.clear();
  TIMES.set(s, v);
  return v;
}

export interface PodGroups {
  readyPodCount: number;
  unreadyPods: Set<string>;
  missingPods: Set<string>;
  ignoredPods: Set<string>;
}

/**
 * groupPods: deleted and Failed pods are ignored; Pending pods are unready;
 * pods without a metric are missing; for cpu, a pod is unready when it has no
 * Ready condition or start time, or (inside the cpu initialization period)
 * when it is not ready or its sample does not cover a full window since its
 * last readiness transition, or (after it) when it is not ready and has never
 * been ready (its last transition came within the initial readiness delay).
 */
export function groupPods(pods: readonly Pod[], metrics: PodMetricsInfo, resource: string, cfg: ReadinessConfig, now: number): PodGroups {
  const g: PodGroups = { readyPodCount: 0, unreadyPods: new Set(), missingPods: new Set(), ignoredPods: new Set() };
  for (const pod of pods) {
    const name = podName(pod);
    if (pod.metadata?.deletionTimestamp || pod.status?.phase === 'Failed') {
      g.ignoredPods.add(name);
      continue;
    }
    if (pod.status?.phase === 'Pending') {
      g.unreadyPods.add(name);
      continue;
    }
    const metric = metrics.get(name);
    if (!metric) {
      g.missingPods.add(name);
      continue;
    }
    if (resource === 'cpu') {
      let unready: boolean;
      const condition = readyCondition(pod);
      const startTime = time(pod.status?.startTime);
      if (!condition || startTime === undefined) {
        unready = true;
      } else {
        const transition = time(condition.lastTransitionTime) ?? GO_ZERO_TIME;
        if (startTime + cfg.cpuInitializationPeriod > now) {
          // Still initialising: drop the sample if unready or not a full window since the last transition.
          unready = condition.status === 'False' || metric.timestamp < transition + metric.window;
        } else {
          // Unready and never been ready.
          unready = condition.status === 'False' && startTime + cfg.delayOfInitialReadinessStatus > transition;
        }
      }
      if (unready) {
        g.unreadyPods.add(name);
        continue;
      }
    }
    g.readyPodCount++;
  }
  return g;
}

function milli(q: unknown): number | undefined {
  const parsed = Quantity.tryParse(q);
  return parsed === undefined ? undefined : parsed.milliValue();
}

/** Requests of one pod summed over its containers (and restartable init containers), or one named container. */
function calculatePodRequestsFromContainers(pod: Pod, container: string, resource: string): number {
  const containers: Container[] = [...(pod.spec?.containers ?? [])];
  for (const c of pod.spec?.initContainers ?? []) if (isRestartableInitContainer(c)) containers.push(c);
  let request = 0;
  for (const c of containers) {
    if (container === '' || container === c.name) {
      const v = milli(c.resources?.requests?.[resource]);
      if (v === undefined) throw new MetricCalculationError(`missing request for ${resource} in container ${c.name} of Pod ${podName(pod)}`);
      request += v;
    }
    if (container === c.name) return request;
  }
  if (container !== '') throw new MetricCalculationError(`container ${container} not found in Pod ${podName(pod)}`);
  return request;
}

/** Pod-level requests (PodLevelResources, beta and on by default since v1.34) win unless a container is named. */
function calculatePodLevelRequests(pod: Pod, resource: string): number {
  const v = milli((pod.spec as { resources?: { requests?: Record<string, unknown> } } | undefined)?.resources?.requests?.[resource]);
  if (v === undefined) throw new MetricCalculationError(`missing pod-level request for ${resource} in Pod ${podName(pod)}`);
  return v;
}

function podLevelRequestsSet(pod: Pod): boolean {
  const r = (pod.spec as { resources?: { requests?: Record<string, unknown> } } | undefined)?.resources?.requests;
  return r !== undefined && Object.keys(r).length > 0;
}

/** calculateRequests: pod name -> request milli-value for the resource. */
export function calculateRequests(pods: readonly Pod[], container: string, resource: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const pod of pods) {
    const usePodLevel = container === '' && podLevelRequestsSet(pod);
    out.set(podName(pod), usePodLevel ? calculatePodLevelRequests(pod, resource) : calculatePodRequestsFromContainers(pod, container, resource));
  }
  return out;
}

export interface UtilizationRatio {
  usageRatio: number;
  utilization: number;
  rawUtilization: number;
}

/**
 * metricsclient.GetResourceUtilizationRatio: utilization = trunc(100 × Σusage
 * / Σrequests) over pods with both (an int32, clamped), raw = trunc(Σusage / n).
 */
export function getResourceUtilizationRatio(metrics: PodMetricsInfo, requests: Map<string, number>, targetUtilization: number): UtilizationRatio {
  let metricsTotal = 0n;
  let requestsTotal = 0n;
  let numEntries = 0n;
  for (const [name, m] of metrics) {
    const request = requests.get(name);
    if (request === undefined) continue; // extraneous metrics
    metricsTotal += BigInt(m.value);
    requestsTotal += BigInt(request);
    numEntries++;
  }
  if (requestsTotal === 0n) throw new MetricCalculationError('no metrics returned matched known pods');
  let pct = (metricsTotal * 100n) / requestsTotal;
  if (pct > 2147483647n) pct = 2147483647n;
  if (pct < -2147483648n) pct = -2147483648n;
  const utilization = Number(pct);
  return { usageRatio: utilization / targetUtilization, utilization, rawUtilization: Number(metricsTotal / numEntries) };
}

/** metricsclient.GetMetricUsageRatio: usage = trunc(Σvalues / n). */
export function getMetricUsageRatio(metrics: PodMetricsInfo, targetUsage: number): { usageRatio: number; usage: number } {
  let total = 0n;
  for (const m of metrics.values()) total += BigInt(m.value);
  const usage = Number(total / BigInt(metrics.size));
  return { usageRatio: usage / targetUsage, usage };
}

function removeMetricsForPods(metrics: PodMetricsInfo, pods: Set<string>): void {
  for (const p of pods) metrics.delete(p);
}

function ceilInt32(x: number): number {
  return x > MAX_INT32 ? MAX_INT32 : Math.ceil(x);
}

/** The pods and metrics a pod-based calculation starts from. */
export interface PodMetricsInput {
  currentReplicas: number;
  tolerances: Tolerances;
  /** Pods matched by the target's selector, in the HPA's namespace. */
  pods: readonly Pod[];
  /** Fetched metrics (a copy is modified, never this map). */
  metrics: PodMetricsInfo;
  readiness: ReadinessConfig;
  /** Unix ms. */
  now: number;
}

export interface ResourceReplicas {
  replicaCount: number;
  utilization: number;
  rawUtilization: number;
}

/**
 * GetResourceReplicas: replicas for a target average utilization (percent of
 * request) of `resource`, with the conservative recomputation for missing
 * and unready pods.
 */
export function GetResourceReplicas(input: PodMetricsInput & { targetUtilization: number; resource: string; container?: string }): ResourceReplicas {
  const { currentReplicas, tolerances, pods, resource, targetUtilization } = input;
  if (pods.length === 0) throw new MetricCalculationError('no pods returned by selector while calculating replica count');
  const metrics: PodMetricsInfo = new Map(input.metrics);
  const { readyPodCount, unreadyPods, missingPods, ignoredPods } = groupPods(pods, metrics, resource, input.readiness, input.now);
  removeMetricsForPods(metrics, ignoredPods);
  removeMetricsForPods(metrics, unreadyPods);
  if (metrics.size === 0) throw new MetricCalculationError('did not receive metrics for targeted pods (pods might be unready)');
  const requests = calculateRequests(pods, input.container ?? '', resource);
  const { usageRatio, utilization, rawUtilization } = getResourceUtilizationRatio(metrics, requests, targetUtilization);

  const scaleUpWithUnready = unreadyPods.size > 0 && usageRatio > 1.0;
  if (!scaleUpWithUnready && missingPods.size === 0) {
    if (isWithin(tolerances, usageRatio)) return { replicaCount: currentReplicas, utilization, rawUtilization };
    return { replicaCount: Math.ceil(usageRatio * readyPodCount), utilization, rawUtilization };
  }
  if (missingPods.size > 0) {
    if (usageRatio < 1.0) {
      // Scale-down: missing pods use 100% of their request, or the target when it is above 100%.
      const fallback = BigInt(Math.max(100, targetUtilization));
      for (const name of missingPods) metrics.set(name, { value: Number((BigInt(requests.get(name) ?? 0) * fallback) / 100n), timestamp: 0, window: 0 });
    } else if (usageRatio > 1.0) {
      for (const name of missingPods) metrics.set(name, { value: 0, timestamp: 0, window: 0 });
    }
  }
  if (scaleUpWithUnready) {
    for (const name of unreadyPods) metrics.set(name, { value: 0, timestamp: 0, window: 0 });
  }
  const { usageRatio: newUsageRatio } = getResourceUtilizationRatio(metrics, requests, targetUtilization);
  if (isWithin(tolerances, newUsageRatio) || (usageRatio < 1.0 && newUsageRatio > 1.0) || (usageRatio > 1.0 && newUsageRatio < 1.0)) {
    return { replicaCount: currentReplicas, utilization, rawUtilization };
  }
  const newReplicas = Math.ceil(newUsageRatio * metrics.size);
  if ((newUsageRatio < 1.0 && newReplicas > currentReplicas) || (newUsageRatio > 1.0 && newReplicas < currentReplicas)) {
    return { replicaCount: currentReplicas, utilization, rawUtilization };
  }
  return { replicaCount: newReplicas, utilization, rawUtilization };
}

/** calcPlainMetricReplicas: replicas for a target average value of per-pod metrics. */
export function calcPlainMetricReplicas(input: PodMetricsInput & { targetUsage: number; resource: string }): { replicaCount: number; usage: number } {
  const { currentReplicas, tolerances, pods, resource, targetUsage } = input;
  if (pods.length === 0) throw new MetricCalculationError('no pods returned by selector while calculating replica count');
  const metrics: PodMetricsInfo = new Map(input.metrics);
  const { readyPodCount, unreadyPods, missingPods, ignoredPods } = groupPods(pods, metrics, resource, input.readiness, input.now);
  removeMetricsForPods(metrics, ignoredPods);
  removeMetricsForPods(metrics, unreadyPods);
  if (metrics.size === 0) throw new MetricCalculationError('did not receive metrics for targeted pods (pods might be unready)');
  const { usageRatio, usage } = getMetricUsageRatio(metrics, targetUsage);

  const scaleUpWithUnready = unreadyPods.size > 0 && usageRatio > 1.0;
  if (!scaleUpWithUnready && missingPods.size === 0) {
    if (isWithin(tolerances, usageRatio)) return { replicaCount: currentReplicas, usage };
    return { replicaCount: Math.ceil(usageRatio * readyPodCount), usage };
  }
  if (missingPods.size > 0) {
    if (usageRatio < 1.0) {
      // Scale-down: missing pods use exactly the target.
      for (const name of missingPods) metrics.set(name, { value: targetUsage, timestamp: 0, window: 0 });
    } else if (usageRatio > 1.0) {
      for (const name of missingPods) metrics.set(name, { value: 0, timestamp: 0, window: 0 });
    }
  }
  if (scaleUpWithUnready) {
    for (const name of unreadyPods) metrics.set(name, { value: 0, timestamp: 0, window: 0 });
  }
  const { usageRatio: newUsageRatio } = getMetricUsageRatio(metrics, targetUsage);
  if (isWithin(tolerances, newUsageRatio) || (usageRatio < 1.0 && newUsageRatio > 1.0) || (usageRatio > 1.0 && newUsageRatio < 1.0)) {
    return { replicaCount: currentReplicas, usage };
  }
  const newReplicas = Math.ceil(newUsageRatio * metrics.size);
  if ((newUsageRatio < 1.0 && newReplicas > currentReplicas) || (newUsageRatio > 1.0 && newReplicas < currentReplicas)) {
    return { replicaCount: currentReplicas, usage };
  }
  return { replicaCount: newReplicas, usage };
}

/** GetRawResourceReplicas: replicas for a target average value (milli) of a resource. */
export function GetRawResourceReplicas(input: PodMetricsInput & { targetUsage: number; resource: string }): { replicaCount: number; usage: number } {
  return calcPlainMetricReplicas(input);
}

/** GetMetricReplicas: replicas for a Pods metric's target average value (milli). */
export function GetMetricReplicas(input: PodMetricsInput & { targetUsage: number }): { replicaCount: number; usage: number } {
  return calcPlainMetricReplicas({ ...input, resource: '' });
}

/** getReadyPodsCount: Running and Ready pods. */
export function getReadyPodsCount(pods: readonly Pod[]): number {
  if (pods.length === 0) throw new MetricCalculationError('unable to calculate ready pods: no pods returned by selector while calculating replica count');
  let n = 0;
  for (const p of pods) if (p.status?.phase === 'Running' && isPodReady(p)) n++;
  return n;
}

/**
 * getUsageRatioReplicaCount: ceil(ratio × ready pods) outside the tolerance;
 * with 0 current replicas, ceil(ratio) (scale from zero, HPAScaleToZero).
 */
export function getUsageRatioReplicaCount(currentReplicas: number, usageRatio: number, tolerances: Tolerances, pods: readonly Pod[]): number {
  if (currentReplicas !== 0) {
    if (isWithin(tolerances, usageRatio)) return currentReplicas;
    return ceilInt32(usageRatio * getReadyPodsCount(pods));
  }
  return Math.ceil(usageRatio);
}

/** GetObjectMetricReplicas: an Object metric's Value target. `usage` is the object's metric (milli). */
export function GetObjectMetricReplicas(input: { currentReplicas: number; targetUsage: number; usage: number; tolerances: Tolerances; pods: readonly Pod[] }): { replicaCount: number; usage: number } {
  const usageRatio = input.usage / input.targetUsage;
  return { replicaCount: getUsageRatioReplicaCount(input.currentReplicas, usageRatio, input.tolerances, input.pods), usage: input.usage };
}

/** GetObjectPerPodMetricReplicas: an Object metric's AverageValue target, against status.replicas. */
export function GetObjectPerPodMetricReplicas(input: { statusReplicas: number; targetAverageUsage: number; usage: number; tolerances: Tolerances }): { replicaCount: number; usage: number } {
  const { statusReplicas, targetAverageUsage, usage, tolerances } = input;
  let replicaCount = statusReplicas;
  const usageRatio = usage / (targetAverageUsage * replicaCount);
  if (!isWithin(tolerances, usageRatio)) replicaCount = Math.ceil(usage / targetAverageUsage);
  return { replicaCount, usage: Math.ceil(usage / statusReplicas) };
}

function sumCapped(values: readonly number[]): number {
  let s = 0;
  for (const v of values) {
    s += v;
    if (s > Number.MAX_SAFE_INTEGER) return Number.MAX_SAFE_INTEGER;
  }
  return s;
}

/** GetExternalMetricReplicas: an External metric's Value target; matching series are summed. */
export function GetExternalMetricReplicas(input: { currentReplicas: number; targetUsage: number; values: readonly number[]; tolerances: Tolerances; pods: readonly Pod[] }): { replicaCount: number; usage: number } {
  const usage = sumCapped(input.values);
  const usageRatio = usage / input.targetUsage;
  return { replicaCount: getUsageRatioReplicaCount(input.currentReplicas, usageRatio, input.tolerances, input.pods), usage };
}

/** GetExternalPerPodMetricReplicas: an External metric's AverageValue target, against status.replicas. */
export function GetExternalPerPodMetricReplicas(input: { statusReplicas: number; targetUsagePerPod: number; values: readonly number[]; tolerances: Tolerances }): { replicaCount: number; usage: number } {
  const { statusReplicas, targetUsagePerPod, tolerances } = input;
  const usage = sumCapped(input.values);
  let replicaCount = statusReplicas;
  const usageRatio = usage / (targetUsagePerPod * replicaCount);
  if (!isWithin(tolerances, usageRatio)) replicaCount = ceilInt32(usage / targetUsagePerPod);
  return { replicaCount, usage: Math.ceil(usage / statusReplicas) };
}
