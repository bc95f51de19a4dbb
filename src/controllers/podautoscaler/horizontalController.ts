/**
 * The horizontal pod autoscaler controller (kube-controller-manager's
 * `horizontal-pod-autoscaler`), as upstream's
 * pkg/controller/podautoscaler/horizontal.go (v1.35):
 *
 *  - every HPA is synced every --horizontal-pod-autoscaler-sync-period (15 s):
 *    its key is added to the queue with a fixed-interval rate limiter, so the
 *    first sync comes one period after the HPA is created and changes to it
 *    do not make it sync sooner;
 *  - a sync reads the target's scale subresource, computes a proposal per
 *    metric (the largest wins; an invalid metric blocks a scale-down but not a
 *    scale-up), normalises it (stabilization and rate policies of
 *    spec.behavior, or the legacy downscale window and max(2×, 4) limit),
 *    writes the scale and the HPA's status, with upstream's conditions
 *    (AbleToScale, ScalingActive, ScalingLimited) and events.
 *
 * It meets other components only through the store (HPAs, pods, PodMetrics,
 * the scale of Deployments, ReplicaSets, StatefulSets and
 * ReplicationControllers) and the read-only custom/external metrics API.
 * status.observedGeneration is written as kubernetes PR #138228 does (newest
 * releases).
 */
import type {
  HorizontalPodAutoscalerCondition,
  MetricSpec,
  MetricStatus,
  MetricTarget,
  MetricValueStatus,
} from 'kubernetes-types/autoscaling/v2.js';
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { NO_KEYS } from '../../sim/runtime.ts';
import { Quantity } from '../../api/quantity.ts';
import { labelSelectorAsSelector, nothing, parseSelector, type Selector } from '../../api/labels.ts';
import { isApiError } from '../../sim/errors.ts';
import type { Controller, Engine, KObject, Lister, ReconcileContext, Stored, Time, Writable } from '../../sim/types.ts';
import { Priority } from '../../sim/types.ts';
import {
  GetExternalMetricReplicas,
  GetExternalPerPodMetricReplicas,
  GetMetricReplicas,
  GetObjectMetricReplicas,
  GetObjectPerPodMetricReplicas,
  GetRawResourceReplicas,
  GetResourceReplicas,
  DEFAULT_CPU_INITIALIZATION_PERIOD,
  DEFAULT_INITIAL_READINESS_DELAY,
  DEFAULT_TOLERANCE,
  type ReadinessConfig,
  type Tolerances,
} from './replicaCalculator.ts';
import {
  newHistory,
  normalizeDesiredReplicas,
  normalizeDesiredReplicasWithBehaviors,
  recordInitialRecommendation,
  storeScaleEvent,
  type HpaHistory,
  type SetCondition,
} from './behavior.ts';
import { getResourceMetric, NO_CUSTOM_METRICS, type CustomMetricsApi } from './metricsClient.ts';
import { getScale, updateScale, type Scale } from './scale.ts';
import { PodLabelIndex } from './podIndex.ts';
import { hpaSpec, type HpaSpec } from './spec.ts';

export const CONTROLLER_NAME = 'horizontal-pod-autoscaler';
/** --horizontal-pod-autoscaler-sync-period default. */
export const DEFAULT_SYNC_PERIOD: Time = 15_000;
/** --horizontal-pod-autoscaler-downscale-stabilization default. */
export const DEFAULT_DOWNSCALE_STABILIZATION: Time = 5 * 60_000;

export interface HorizontalControllerOptions {
  syncPeriod?: Time;
  downscaleStabilisationWindow?: Time;
  tolerance?: number;
  cpuInitializationPeriod?: Time;
  delayOfInitialReadinessStatus?: Time;
  /** custom.metrics.k8s.io / external.metrics.k8s.io; default: none served. */
  customMetrics?: CustomMetricsApi;
  /** RFC 3339 of a virtual time. */
  timestamp: (t?: Time) => string;
  /** Unix ms of virtual time 0 (pod and metric timestamps are RFC 3339). */
  epochMs: number;
  /** The engine, for the fixed-interval requeue of HPA keys. */
  engine: Engine;
  /** Adds a key to this controller's work queue (the runtime's queue). */
  enqueue: (key: string) => void;
}

type HpaObject = KObject & { spec?: Record<string, unknown>; status?: Record<string, unknown> };
type Condition = Writable<HorizontalPodAutoscalerCondition>;

interface HpaStatusV2 {
  observedGeneration?: number;
  lastScaleTime?: string;
  currentReplicas?: number;
  desiredReplicas: number;
  currentMetrics?: MetricStatus[];
  conditions?: Condition[];
}

/** A metric's failure: the error and the ScalingActive condition it proposes. */
interface MetricFailure {
  error: string;
  condition: { reason: string; message: string };
}

interface MetricProposal {
  replicas: number;
  metricName: string;
  status: MetricStatus;
}

const ACTOR = CONTROLLER_NAME;

/** Go's %+v of a *metav1.LabelSelector (its generated String()), as upstream's metric names print it. */
export function goLabelSelector(sel: LabelSelector | undefined): string {
  if (!sel) return '<nil>';
  const labels = sel.matchLabels ?? {};
  const keys = Object.keys(labels).sort();
  const ml = `map[string]string{${keys.map((k) => `${k}: ${labels[k]},`).join('')}}`;
  const me = `[]LabelSelectorRequirement{${(sel.matchExpressions ?? [])
    .map((r) => `LabelSelectorRequirement{Key:${r.key},Operator:${r.operator},Values:[${(r.values ?? []).join(' ')}],},`)
    .join('')}}`;
  return `&LabelSelector{MatchLabels:${ml},MatchExpressions:${me},}`;
}

function milliOf(q: unknown): number {
  return Quantity.tryParse(q)?.milliValue() ?? 0;
}

function milliQuantity(v: number): string {
  return Quantity.fromMilli(v).toString();
}

/** The controller. Register it with sim.runtime.register(). */
export function createHorizontalController(opts: HorizontalControllerOptions): Controller {
  const syncPeriod = opts.syncPeriod ?? DEFAULT_SYNC_PERIOD;
  const downscaleWindow = opts.downscaleStabilisationWindow ?? DEFAULT_DOWNSCALE_STABILIZATION;
  const tolerance = opts.tolerance ?? DEFAULT_TOLERANCE;
  const readiness: ReadinessConfig = {
    cpuInitializationPeriod: opts.cpuInitializationPeriod ?? DEFAULT_CPU_INITIALIZATION_PERIOD,
    delayOfInitialReadinessStatus: opts.delayOfInitialReadinessStatus ?? DEFAULT_INITIAL_READINESS_DELAY,
  };
  const custom = opts.customMetrics ?? NO_CUSTOM_METRICS;
  const histories = new Map<string, HpaHistory>();
  /** The selector of every known HPA (labels.Nothing() until its first sync), as upstream's hpaSelectors. */
  const hpaSelectors = new Map<string, Selector>();
  /** The Pod informer's cache (the watch below feeds from it), taken at the first reconcile. */
  let podLister: Lister<Pod & KObject> | undefined;
  /** The pods by namespace and label set, fed by the Pod watch, a namespace from an HPA's first look at it on. */
  const podIndex = new PodLabelIndex((namespace) => podLister!.list(namespace));
  /**
   * The v2 view of an HPA's spec, cached by the identity of its (frozen) spec and annotations: a status
   * write keeps both, so the conversion and defaulting run once per spec change. (The API server has
   * already rejected specs and annotations that do not convert.)
   */
  const specs = new WeakMap<object, { annotations: unknown; spec: HpaSpec }>();
  function specOf(hpa: Stored<HpaObject>): HpaSpec {
    const key = (hpa.spec ?? hpa) as object;
    const hit = specs.get(key);
    if (hit && hit.annotations === hpa.metadata.annotations) return hit.spec;
    const spec = hpaSpec(hpa, { downscaleStabilisationWindow: downscaleWindow, tolerance });
    specs.set(key, { annotations: hpa.metadata.annotations, spec });
    return spec;
  }
  /** Keys waiting in the fixed-interval delaying queue, with their due time. */
  const waiting = new Map<string, Time>();

  /** queue.AddRateLimited with NewDefaultHPARateLimiter: always one sync period later; an earlier wait wins. */
  function addRateLimited(key: string): void {
    const due = opts.engine.now + syncPeriod;
    const prev = waiting.get(key);
    if (prev !== undefined && prev <= due) return;
    waiting.set(key, due);
    opts.engine.at(
      due,
      () => {
        if (waiting.get(key) !== due) return;
        waiting.delete(key);
        opts.enqueue(key);
      },
      { priority: Priority.Periodic, source: `controller/${CONTROLLER_NAME}`, periodic: true },
    );
  }

  function reconcile(key: string, ctx: ReconcileContext): void {
    podLister ??= ctx.lister<Pod & KObject>('Pod');
    const slash = key.indexOf('/');
    const namespace = key.slice(0, slash);
    const name = key.slice(slash + 1);
    const hpa = ctx.lister<HpaObject>('HorizontalPodAutoscaler').get(namespace, name);
    if (!hpa) {
      histories.delete(key);
      v1Conditions.delete(key);
      hpaSelectors.delete(key);
      return;
    }
    try {
      reconcileAutoscaler(ctx, hpa, key);
    } finally {
      addRateLimited(key);
    }
  }

  function reconcileAutoscaler(ctx: ReconcileContext, hpa: Stored<HpaObject>, key: string): void {
    const now = ctx.now;
    const unixNow = opts.epochMs + now;
    const spec = specOf(hpa);
    const original = readStatus(hpa, spec);
    const status: HpaStatusV2 = structuredClone(original);
    status.conditions ??= [];
    const setCondition = (type: string, st: 'True' | 'False', reason: string, message: string): void => {
      const conds = status.conditions!;
      let c = conds.find((x) => x.type === type);
      if (!c) {
        c = { type, status: st };
        conds.push(c);
      }
      if (c.status !== st || c.lastTransitionTime === undefined) c.lastTransitionTime = opts.timestamp(now);
      c.status = st;
      c.reason = reason;
      c.message = message;
    };
    const event = (type: 'Normal' | 'Warning', reason: string, message: string): void => ctx.recorder.event(hpa, type, reason, message, { component: CONTROLLER_NAME });
    const ref = spec.scaleTargetRef;

    let scale: Scale;
    try {
      scale = getScale(ctx.store, hpa.metadata.namespace ?? '', ref);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      event('Warning', 'FailedGetScale', msg);
      setCondition('AbleToScale', 'False', 'FailedGetScale', `the HPA controller was unable to get the target's current scale: ${msg}`);
      writeStatusIfNeeded(ctx, hpa, spec, original, status);
      return;
    }
    setCondition('AbleToScale', 'True', 'SucceededGetScale', "the HPA controller was able to get the target's current scale");
    const currentReplicas = scale.specReplicas;
    let history = histories.get(key);
    if (!history) histories.set(key, (history = newHistory()));
    recordInitialRecommendation(history, currentReplicas, now);

    let metricStatuses: MetricStatus[] | undefined;
    let desiredReplicas = 0;
    let rescaleReason = '';
    const minReplicas = spec.minReplicas;
    let rescale = true;

    if (currentReplicas === 0 && minReplicas !== 0) {
      desiredReplicas = 0;
      rescale = false;
      setCondition('ScalingActive', 'False', 'ScalingDisabled', 'scaling is disabled since the replica count of the target is zero');
    } else if (currentReplicas > spec.maxReplicas) {
      rescaleReason = 'Current number of replicas above Spec.MaxReplicas';
      desiredReplicas = spec.maxReplicas;
    } else if (currentReplicas < minReplicas) {
      rescaleReason = 'Current number of replicas below Spec.MinReplicas';
      desiredReplicas = minReplicas;
    } else {
      const computed = computeReplicasForMetrics(ctx, hpa, spec, scale, unixNow, setCondition, event);
      metricStatuses = computed.statuses;
      if (computed.error !== undefined && computed.replicas === -1) {
        status.currentReplicas = currentReplicas;
        status.currentMetrics = metricStatuses;
        writeStatusIfNeeded(ctx, hpa, spec, original, status);
        event('Warning', 'FailedComputeMetricsReplicas', computed.error);
        return;
      }
      let rescaleMetric = '';
      if (computed.replicas > desiredReplicas) {
        desiredReplicas = computed.replicas;
        rescaleMetric = computed.metric;
      }
      if (desiredReplicas > currentReplicas) rescaleReason = `${rescaleMetric} above target`;
      if (desiredReplicas < currentReplicas) rescaleReason = 'All metrics below target';
      const set: SetCondition = (type, st, reason, message) => setCondition(type, st, reason, message);
      if (!spec.behavior) {
        desiredReplicas = normalizeDesiredReplicas(
          history,
          { currentReplicas, prenormalizedDesiredReplicas: desiredReplicas, minReplicas, maxReplicas: spec.maxReplicas, downscaleStabilisationWindow: downscaleWindow, now },
          set,
        );
      } else {
        desiredReplicas = normalizeDesiredReplicasWithBehaviors(
          history,
          { scaleUpBehavior: spec.behavior.scaleUp, scaleDownBehavior: spec.behavior.scaleDown, minReplicas, maxReplicas: spec.maxReplicas, currentReplicas, desiredReplicas },
          now,
          set,
        );
      }
      rescale = desiredReplicas !== currentReplicas;
    }

    if (rescale) {
      try {
        updateScale(ctx.store, hpa.metadata.namespace ?? '', ref, desiredReplicas, ACTOR);
      } catch (e) {
        if (!isApiError(e)) throw e;
        event('Warning', 'FailedRescale', `New size: ${desiredReplicas}; reason: ${rescaleReason}; error: ${e.message}`);
        setCondition('AbleToScale', 'False', 'FailedUpdateScale', `the HPA controller was unable to update the target scale: ${e.message}`);
        status.currentReplicas = currentReplicas;
        status.currentMetrics = metricStatuses;
        writeStatusIfNeeded(ctx, hpa, spec, original, status);
        return;
      }
      setCondition('AbleToScale', 'True', 'SucceededRescale', `the HPA controller was able to update the target scale to ${desiredReplicas}`);
      event('Normal', 'SuccessfulRescale', `New size: ${desiredReplicas}; reason: ${rescaleReason}`);
      storeScaleEvent(history, spec.behavior, currentReplicas, desiredReplicas, now);
    } else {
      desiredReplicas = currentReplicas;
    }
    // setStatus
    status.currentReplicas = currentReplicas;
    status.desiredReplicas = desiredReplicas;
    status.currentMetrics = metricStatuses;
    if (rescale) status.lastScaleTime = opts.timestamp(now);
    status.observedGeneration = hpa.metadata.generation ?? 1;
    writeStatusIfNeeded(ctx, hpa, spec, original, status);
  }

  /** computeReplicasForMetrics: the largest proposal; replicas -1 when nothing can be done. */
  function computeReplicasForMetrics(
    ctx: ReconcileContext,
    hpa: Stored<HpaObject>,
    spec: HpaSpec,
    scale: Scale,
    unixNow: number,
    setCondition: (type: string, st: 'True' | 'False', reason: string, message: string) => void,
    event: (type: 'Normal' | 'Warning', reason: string, message: string) => void,
  ): { replicas: number; metric: string; statuses: MetricStatus[] | undefined; error?: string } {
    if (scale.selector === '') {
      event('Warning', 'SelectorRequired', 'selector is required');
      setCondition('ScalingActive', 'False', 'InvalidSelector', "the HPA target's scale is missing a selector");
      return { replicas: -1, metric: '', statuses: undefined, error: 'selector is required' };
    }
    let selector: Selector;
    try {
      selector = parseSelector(scale.selector);
    } catch (e) {
      const msg = `couldn't convert selector into a corresponding internal selector object: ${e instanceof Error ? e.message : String(e)}`;
      event('Warning', 'InvalidSelector', msg);
      setCondition('ScalingActive', 'False', 'InvalidSelector', msg);
      return { replicas: -1, metric: '', statuses: undefined, error: msg };
    }
    const namespace = hpa.metadata.namespace ?? '';
    const key = `${namespace}/${hpa.metadata.name ?? ''}`;
    if (hpaSelectors.has(key)) hpaSelectors.set(key, selector);
    const pods = podIndex.select(namespace, selector);
    // hpasControllingPodsUnderSelector: every pod may be scaled by one HPA only.
    const labelSets = PodLabelIndex.labelSets(pods);
    const selecting = new Set<string>();
    for (const [other, sel] of hpaSelectors) {
      if (other.startsWith(`${namespace}/`) && PodLabelIndex.anyMatches(sel, labelSets)) selecting.add(other);
    }
    if (selecting.size > 1) {
      const msg = `pods by selector ${scale.selector} are controlled by multiple HPAs: [${[...selecting].sort().join(' ')}]`;
      event('Warning', 'AmbiguousSelector', msg);
      setCondition('ScalingActive', 'False', 'AmbiguousSelector', msg);
      return { replicas: -1, metric: '', statuses: undefined, error: msg };
    }
    const statuses: MetricStatus[] = spec.metrics.map(() => ({ type: '' }));
    let replicas = 0;
    let metric = '';
    let invalidCount = 0;
    let firstError: MetricFailure | undefined;
    spec.metrics.forEach((m, i) => {
      const r = computeReplicasForMetric(ctx, hpa, spec, m, scale, pods, unixNow, event);
      if ('error' in r) {
        if (invalidCount <= 0) firstError = r;
        invalidCount++;
        return;
      }
      statuses[i] = r.status;
      if (replicas === 0 || r.replicas > replicas) {
        replicas = r.replicas;
        metric = r.metricName;
      }
    });
    const error = firstError ? `invalid metrics (${invalidCount} invalid out of ${spec.metrics.length}), first error is: ${firstError.error}` : undefined;
    if (invalidCount >= spec.metrics.length || (invalidCount > 0 && replicas < scale.specReplicas)) {
      setCondition('ScalingActive', 'False', firstError!.condition.reason, firstError!.condition.message);
      return { replicas: -1, metric: '', statuses, error };
    }
    setCondition('ScalingActive', 'True', 'ValidMetricFound', `the HPA was able to successfully calculate a replica count from ${metric}`);
    return { replicas, metric, statuses, ...(error !== undefined ? { error } : {}) };
  }

  function computeReplicasForMetric(
    ctx: ReconcileContext,
    hpa: Stored<HpaObject>,
    spec: HpaSpec,
    m: MetricSpec,
    scale: Scale,
    pods: Array<Stored<Pod & KObject>>,
    unixNow: number,
    event: (type: 'Normal' | 'Warning', reason: string, message: string) => void,
  ): MetricProposal | MetricFailure {
    const namespace = hpa.metadata.namespace ?? '';
    const tolerances: Tolerances = spec.tolerances;
    const fail = (reason: string, err: string, wrapped: string = err): MetricFailure => {
      event('Warning', reason, err);
      return { error: wrapped, condition: { reason, message: `the HPA was unable to compute the replica count: ${err}` } };
    };
    const errText = (e: unknown): string => (e instanceof Error ? e.message : String(e));
    const metricSelector = (sel: LabelSelector | undefined): Selector => labelSelectorAsSelector(sel ?? {});

    switch (m.type) {
      case 'Resource':
      case 'ContainerResource': {
        const src = m.type === 'Resource' ? m.resource : m.containerResource;
        const container = m.type === 'ContainerResource' ? (m.containerResource?.container ?? '') : '';
        const resource = src?.name ?? '';
        const reason = m.type === 'Resource' ? 'FailedGetResourceMetric' : 'FailedGetContainerResourceMetric';
        const outer = (err: string): string => (m.type === 'Resource' ? `failed to get ${resource} resource metric value: ${err}` : `failed to get ${container} container metric value: ${err}`);
        const r = resourceProposal(ctx, scale.specReplicas, src?.target, resource, namespace, container, pods, tolerances, unixNow, m.type === 'ContainerResource');
        if ('error' in r) return fail(reason, r.error, outer(r.error));
        const status: MetricStatus =
          m.type === 'Resource' ? { type: 'Resource', resource: { name: resource, current: r.current } } : { type: 'ContainerResource', containerResource: { name: resource, container, current: r.current } };
        return { replicas: r.replicas, metricName: r.metricName, status };
      }
      case 'Pods': {
        const name = m.pods?.metric.name ?? '';
        let selector: Selector;
        try {
          selector = metricSelector(m.pods?.metric.selector);
        } catch (e) {
          return fail('FailedGetPodsMetric', errText(e), `failed to get pods metric value: ${errText(e)}`);
        }
        try {
          let fetched;
          try {
            fetched = custom.getRawMetric(name, namespace, pods, selector, unixNow);
          } catch (e) {
            throw new Error(`unable to get metric ${name}: ${errText(e)}`);
          }
          const r = GetMetricReplicas({ currentReplicas: scale.specReplicas, targetUsage: milliOf(m.pods?.target.averageValue), tolerances, pods, metrics: fetched.metrics, readiness, now: unixNow });
          return {
            replicas: r.replicaCount,
            metricName: `pods metric ${name}`,
            status: { type: 'Pods', pods: { metric: { name, ...(m.pods?.metric.selector ? { selector: m.pods.metric.selector } : {}) }, current: { averageValue: milliQuantity(r.usage) } } },
          };
        } catch (e) {
          return fail('FailedGetPodsMetric', errText(e), `failed to get pods metric value: ${errText(e)}`);
        }
      }
      case 'Object': {
        const o = m.object;
        const name = o?.metric.name ?? '';
        const described = { ...(o?.describedObject.apiVersion ? { apiVersion: o.describedObject.apiVersion } : {}), kind: o?.describedObject.kind ?? '', name: o?.describedObject.name ?? '' };
        let selector: Selector;
        try {
          selector = metricSelector(o?.metric.selector);
        } catch (e) {
          return fail('FailedGetObjectMetric', errText(e), `failed to get object metric value: ${errText(e)}`);
        }
        const fetch = (): number => {
          try {
            return custom.getObjectMetric(name, namespace, described, selector, unixNow).value;
          } catch (e) {
            throw new Error(`unable to get metric ${name}: ${described.kind} on ${namespace} ${described.name}/${errText(e)}`);
          }
        };
        const identifier = { name, ...(o?.metric.selector ? { selector: o.metric.selector } : {}) };
        if (o?.target.type === 'Value' && o.target.value !== undefined) {
          try {
            const r = GetObjectMetricReplicas({ currentReplicas: scale.specReplicas, targetUsage: milliOf(o.target.value), usage: fetch(), tolerances, pods });
            return {
              replicas: r.replicaCount,
              metricName: `${described.kind} metric ${name}`,
              status: { type: 'Object', object: { describedObject: o.describedObject, metric: identifier, current: { value: milliQuantity(r.usage) } } },
            };
          } catch (e) {
            return fail('FailedGetObjectMetric', errText(e), `failed to get object metric value: ${errText(e)}`);
          }
        }
        if (o?.target.type === 'AverageValue' && o.target.averageValue !== undefined) {
          try {
            const r = GetObjectPerPodMetricReplicas({ statusReplicas: scale.statusReplicas, targetAverageUsage: milliOf(o.target.averageValue), usage: fetch(), tolerances });
            return {
              replicas: r.replicaCount,
              // Upstream names an Object AverageValue metric "external metric" (horizontal.go).
              metricName: `external metric ${name}(${goLabelSelector(o.metric.selector)})`,
              status: { type: 'Object', object: { describedObject: o.describedObject, metric: identifier, current: { averageValue: milliQuantity(r.usage) } } },
            };
          } catch (e) {
            return fail('FailedGetObjectMetric', errText(e), `failed to get object metric value: failed to get ${name} object metric: ${errText(e)}`);
          }
        }
        const err = 'invalid object metric source: neither a value target nor an average value target was set';
        return fail('FailedGetObjectMetric', err, `failed to get object metric value: ${err}`);
      }
      case 'External': {
        const x = m.external;
        const name = x?.metric.name ?? '';
        const outer = (err: string): string => `failed to get ${name} external metric value: ${err}`;
        let selector: Selector;
        try {
          selector = metricSelector(x?.metric.selector);
        } catch (e) {
          return fail('FailedGetExternalMetric', errText(e), outer(errText(e)));
        }
        const identifier = { name, ...(x?.metric.selector ? { selector: x.metric.selector } : {}) };
        const metricName = `external metric ${name}(${goLabelSelector(x?.metric.selector)})`;
        const fetch = (): number[] => {
          try {
            return custom.getExternalMetric(name, namespace, selector, unixNow).values;
          } catch (e) {
            throw new Error(`unable to get external metric ${namespace}/${name}/${goLabelSelector(x?.metric.selector)}: ${errText(e)}`);
          }
        };
        if (x?.target.averageValue !== undefined) {
          try {
            const r = GetExternalPerPodMetricReplicas({ statusReplicas: scale.statusReplicas, targetUsagePerPod: milliOf(x.target.averageValue), values: fetch(), tolerances });
            return { replicas: r.replicaCount, metricName, status: { type: 'External', external: { metric: identifier, current: { averageValue: milliQuantity(r.usage) } } } };
          } catch (e) {
            return fail('FailedGetExternalMetric', errText(e), outer(`failed to get ${name} external metric: ${errText(e)}`));
          }
        }
        if (x?.target.value !== undefined) {
          try {
            const r = GetExternalMetricReplicas({ currentReplicas: scale.specReplicas, targetUsage: milliOf(x.target.value), values: fetch(), tolerances, pods });
            return { replicas: r.replicaCount, metricName, status: { type: 'External', external: { metric: identifier, current: { value: milliQuantity(r.usage) } } } };
          } catch (e) {
            return fail('FailedGetExternalMetric', errText(e), outer(`failed to get external metric ${name}: ${errText(e)}`));
          }
        }
        const err = 'invalid external metric source: neither a value target nor an average value target was set';
        return fail('FailedGetExternalMetric', err, outer(err));
      }
      default: {
        const err = `unknown metric source type "${String(m.type)}"`;
        return fail('InvalidMetricSourceType', err);
      }
    }
  }

  /** computeStatusForResourceMetricGeneric. */
  function resourceProposal(
    ctx: ReconcileContext,
    currentReplicas: number,
    target: MetricTarget | undefined,
    resource: string,
    namespace: string,
    container: string,
    pods: Array<Stored<Pod & KObject>>,
    tolerances: Tolerances,
    unixNow: number,
    isContainer: boolean,
  ): { replicas: number; current: MetricValueStatus; metricName: string } | { error: string } {
    const errText = (e: unknown): string => (e instanceof Error ? e.message : String(e));
    if (target?.averageValue !== undefined) {
      try {
        const fetched = getResourceMetric(ctx.store, resource, namespace, pods, container);
        const r = GetRawResourceReplicas({ currentReplicas, targetUsage: milliOf(target.averageValue), resource, tolerances, pods, metrics: fetched.metrics, readiness, now: unixNow });
        return { replicas: r.replicaCount, current: { averageValue: milliQuantity(r.usage) }, metricName: `${resource} resource` };
      } catch (e) {
        return { error: `failed to get ${resource} usage: ${errText(e)}` };
      }
    }
    if (target?.averageUtilization === undefined) {
      return { error: 'invalid resource metric source: neither an average utilization target nor an average value (usage) target was set' };
    }
    try {
      const fetched = getResourceMetric(ctx.store, resource, namespace, pods, container);
      const r = GetResourceReplicas({ currentReplicas, targetUtilization: target.averageUtilization, resource, container, tolerances, pods, metrics: fetched.metrics, readiness, now: unixNow });
      const metricName = isContainer ? `${resource} container resource utilization (percentage of request)` : `${resource} resource utilization (percentage of request)`;
      return { replicas: r.replicaCount, current: { averageUtilization: r.utilization, averageValue: milliQuantity(r.rawUtilization) }, metricName };
    } catch (e) {
      return { error: `failed to get ${resource} utilization: ${errText(e)}` };
    }
  }

  /** The stored status seen as v2 (a v1 object's status has no conditions or metrics). */
  function readStatus(hpa: Stored<HpaObject>, spec: HpaSpec): HpaStatusV2 {
    const s = (hpa.status ?? {}) as Record<string, unknown>;
    const out: HpaStatusV2 = { desiredReplicas: typeof s['desiredReplicas'] === 'number' ? s['desiredReplicas'] : 0 };
    if (typeof s['observedGeneration'] === 'number') out.observedGeneration = s['observedGeneration'];
    if (typeof s['lastScaleTime'] === 'string') out.lastScaleTime = s['lastScaleTime'];
    if (typeof s['currentReplicas'] === 'number') out.currentReplicas = s['currentReplicas'];
    if (spec.version === 'v2') {
      if (Array.isArray(s['currentMetrics'])) out.currentMetrics = s['currentMetrics'] as MetricStatus[];
      if (Array.isArray(s['conditions'])) out.conditions = s['conditions'] as Condition[];
    } else {
      const conds = v1Conditions.get(`${hpa.metadata.namespace}/${hpa.metadata.name}`);
      if (conds) out.conditions = conds;
    }
    return out;
  }

  /** v1 objects cannot hold conditions in status; the controller keeps them (upstream: an annotation). */
  const v1Conditions = new Map<string, Condition[]>();

  /** The status in the object's own version: v1 keeps only the cpu utilization of currentMetrics. */
  function renderStatus(spec: HpaSpec, s: HpaStatusV2): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    if (s.observedGeneration !== undefined) out['observedGeneration'] = s.observedGeneration;
    if (s.lastScaleTime !== undefined) out['lastScaleTime'] = s.lastScaleTime;
    out['currentReplicas'] = s.currentReplicas ?? 0;
    out['desiredReplicas'] = s.desiredReplicas;
    if (spec.version === 'v1') {
      const cpu = s.currentMetrics?.find((m) => m?.type === 'Resource' && m.resource?.name === 'cpu');
      const pct = cpu?.resource?.current.averageUtilization;
      if (pct !== undefined) out['currentCPUUtilizationPercentage'] = pct;
      return out;
    }
    // A metric that failed keeps its empty status ({type: ""}), as upstream's statuses slice does.
    if (s.currentMetrics && s.currentMetrics.length > 0) out['currentMetrics'] = s.currentMetrics;
    if (s.conditions && s.conditions.length > 0) out['conditions'] = s.conditions;
    return out;
  }

  /** updateStatusIfNeeded: write only when something changed. */
  function writeStatusIfNeeded(ctx: ReconcileContext, hpa: Stored<HpaObject>, spec: HpaSpec, original: HpaStatusV2, next: HpaStatusV2): void {
    if (spec.version === 'v1') v1Conditions.set(`${hpa.metadata.namespace}/${hpa.metadata.name}`, next.conditions ?? []);
    const before = JSON.stringify(renderStatus(spec, original));
    const rendered = renderStatus(spec, next);
    if (JSON.stringify(rendered) === before && hpa.status !== undefined) return;
    try {
      ctx.store.patch<HpaObject>(
        'HorizontalPodAutoscaler',
        hpa.metadata.namespace ?? '',
        hpa.metadata.name ?? '',
        (d) => {
          d.status = rendered;
        },
        { subresource: 'status', actor: ACTOR },
      );
    } catch (e) {
      if (!isApiError(e)) throw e;
      ctx.recorder.event(hpa, 'Warning', 'FailedUpdateStatus', e.message, { component: CONTROLLER_NAME });
    }
  }

  return {
    name: CONTROLLER_NAME,
    watches: [
      // Pods only feed the index: an HPA syncs on its period, not on pod changes.
      { kind: 'Pod', toKeys: (ev) => (podIndex.observe(ev), NO_KEYS) },
      {
        kind: 'HorizontalPodAutoscaler',
        // enqueueHPA / updateHPA: AddRateLimited, so a new or changed HPA syncs one period later.
        toKeys: (ev) => {
          const key = `${ev.object.metadata.namespace ?? ''}/${ev.object.metadata.name ?? ''}`;
          if (ev.type === 'DELETED') {
            waiting.delete(key);
            histories.delete(key);
            v1Conditions.delete(key);
            hpaSelectors.delete(key);
          } else {
            if (!hpaSelectors.has(key)) hpaSelectors.set(key, nothing());
            addRateLimited(key);
          }
          return [];
        },
      },
    ],
    reconcile,
  };
}

/** What the controller needs of its simulation: the engine and the runtime's work queue. */
export interface HorizontalControllerHost {
  readonly engine: Engine;
  readonly epochMs: number;
  timestamp(t?: Time): string;
  readonly runtime: { queueOf(name: string): { add(key: string): void } | undefined };
}

/** The controller for a simulation, from spec.config.controllers.horizontalPodAutoscaler (already parsed). */
export function horizontalControllerFor(
  host: HorizontalControllerHost,
  config: Omit<HorizontalControllerOptions, 'timestamp' | 'epochMs' | 'engine' | 'enqueue'> = {},
): Controller {
  return createHorizontalController({
    ...config,
    timestamp: (t) => host.timestamp(t),
    epochMs: host.epochMs,
    engine: host.engine,
    enqueue: (key) => host.runtime.queueOf(CONTROLLER_NAME)?.add(key),
  });
}
