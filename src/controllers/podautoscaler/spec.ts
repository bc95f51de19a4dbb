/**
 * The HPA spec the controller works from: an autoscaling/v2 spec with
 * upstream's defaults, whichever version the object was written in.
 *
 *  - autoscaling/v1 converts as upstream's
 *    pkg/apis/autoscaling/v1/conversion.go: targetCPUUtilizationPercentage
 *    becomes a cpu Resource metric with an Utilization target; the
 *    `autoscaling.alpha.kubernetes.io/metrics` and
 *    `autoscaling.alpha.kubernetes.io/behavior` annotations carry the v2
 *    metrics and behavior that v1 cannot express.
 *  - v2 defaults (pkg/apis/autoscaling/v2/defaults.go): minReplicas 1;
 *    no metrics means cpu at 80% utilization; a behavior given in part is
 *    completed from the defaults (scaleUp: window 0, select Max, 4 pods or 100%
 *    per 15 s; scaleDown: select Max, 100% per 15 s, window from the
 *    controller's --horizontal-pod-autoscaler-downscale-stabilization).
 *  - Tolerances: behavior.scaleUp/scaleDown.tolerance (HPAConfigurableTolerance,
 *    beta and on by default since v1.35), else --horizontal-pod-autoscaler-tolerance.
 */
import type { HPAScalingPolicy as K8sPolicy, MetricSpec } from 'kubernetes-types/autoscaling/v2.js';
import { Quantity } from '../../api/quantity.ts';
import type { KObject } from '../../sim/types.ts';
import type { Behavior, HPAScalingPolicy, ScalingRules, SelectPolicy } from './behavior.ts';
import type { Tolerances } from './replicaCalculator.ts';

export const ANNOTATION_METRICS = 'autoscaling.alpha.kubernetes.io/metrics';
export const ANNOTATION_BEHAVIOR = 'autoscaling.alpha.kubernetes.io/behavior';

/** autoscaling.DefaultCPUUtilization. */
export const DEFAULT_CPU_UTILIZATION = 80;

export interface ScaleTargetRef {
  apiVersion?: string;
  kind: string;
  name: string;
}

export interface HpaSpec {
  /** The version the object was written in: the status is written in its shape. */
  version: 'v1' | 'v2';
  scaleTargetRef: ScaleTargetRef;
  minReplicas: number;
  maxReplicas: number;
  metrics: MetricSpec[];
  /** Defaulted; undefined when the spec has none (the legacy normalisation applies). */
  behavior?: Behavior;
  tolerances: Tolerances;
}

interface RawRules {
  stabilizationWindowSeconds?: number;
  selectPolicy?: string;
  policies?: K8sPolicy[];
  tolerance?: string | number;
}

interface RawBehavior {
  scaleUp?: RawRules;
  scaleDown?: RawRules;
}

export interface SpecDefaults {
  /** --horizontal-pod-autoscaler-downscale-stabilization, ms. */
  downscaleStabilisationWindow: number;
  /** --horizontal-pod-autoscaler-tolerance. */
  tolerance: number;
}

function policies(list: K8sPolicy[]): HPAScalingPolicy[] {
  return list.map((p) => ({ type: p.type === 'Pods' ? 'Pods' : 'Percent', value: p.value, periodSeconds: p.periodSeconds }));
}

function selectPolicy(s: string | undefined): SelectPolicy {
  return s === 'Min' || s === 'Disabled' ? s : 'Max';
}

function tolerance(v: string | number | undefined): number | undefined {
  if (v === undefined) return undefined;
  return Quantity.tryParse(v)?.asApproximateFloat64();
}

/** GenerateHPAScaleUpRules / GenerateHPAScaleDownRules + maybeInitScaleDownStabilizationWindow. */
export function defaultBehavior(raw: RawBehavior, downscaleStabilisationWindow: number): Behavior {
  const up = raw.scaleUp ?? {};
  const down = raw.scaleDown ?? {};
  const upTol = tolerance(up.tolerance);
  const downTol = tolerance(down.tolerance);
  return {
    scaleUp: {
      stabilizationWindowSeconds: up.stabilizationWindowSeconds ?? 0,
      selectPolicy: selectPolicy(up.selectPolicy),
      policies: up.policies
        ? policies(up.policies)
        : [
            { type: 'Pods', value: 4, periodSeconds: 15 },
            { type: 'Percent', value: 100, periodSeconds: 15 },
          ],
      ...(upTol !== undefined ? { tolerance: upTol } : {}),
    },
    scaleDown: {
      stabilizationWindowSeconds: down.stabilizationWindowSeconds ?? Math.trunc(downscaleStabilisationWindow / 1000),
      selectPolicy: selectPolicy(down.selectPolicy),
      policies: down.policies ? policies(down.policies) : [{ type: 'Percent', value: 100, periodSeconds: 15 }],
      ...(downTol !== undefined ? { tolerance: downTol } : {}),
    },
  };
}

function parseAnnotation<T>(obj: KObject, key: string, problems: string[]): T | undefined {
  const text = obj.metadata.annotations?.[key];
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    problems.push(`annotation ${key} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
}

function rulesTolerance(r: ScalingRules | undefined, fallback: number): number {
  return r?.tolerance ?? fallback;
}

/**
 * The v2 view of a stored HPA, defaulted. `problems` collects what could not
 * be read (a bad annotation); the spec is still usable.
 */
export function hpaSpec(obj: KObject, defaults: SpecDefaults, problems: string[] = []): HpaSpec {
  const spec = (obj['spec'] ?? {}) as Record<string, unknown>;
  const version = obj.apiVersion === 'autoscaling/v1' ? 'v1' : 'v2';
  const ref = (spec['scaleTargetRef'] ?? {}) as ScaleTargetRef;
  let metrics: MetricSpec[];
  let rawBehavior: RawBehavior | undefined;
  if (version === 'v1') {
    metrics = [];
    const target = spec['targetCPUUtilizationPercentage'];
    if (typeof target === 'number') {
      metrics.push({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: target } } });
    }
    const extra = parseAnnotation<MetricSpec[]>(obj, ANNOTATION_METRICS, problems);
    if (Array.isArray(extra)) metrics.push(...extra);
    rawBehavior = parseAnnotation<RawBehavior>(obj, ANNOTATION_BEHAVIOR, problems);
  } else {
    metrics = Array.isArray(spec['metrics']) ? [...(spec['metrics'] as MetricSpec[])] : [];
    rawBehavior = (spec['behavior'] ?? undefined) as RawBehavior | undefined;
  }
  if (metrics.length === 0) {
    metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: DEFAULT_CPU_UTILIZATION } } }];
  }
  const behavior = rawBehavior ? defaultBehavior(rawBehavior, defaults.downscaleStabilisationWindow) : undefined;
  const minReplicas = typeof spec['minReplicas'] === 'number' ? spec['minReplicas'] : 1;
  const maxReplicas = typeof spec['maxReplicas'] === 'number' ? spec['maxReplicas'] : 0;
  return {
    version,
    scaleTargetRef: { ...(ref.apiVersion !== undefined ? { apiVersion: ref.apiVersion } : {}), kind: ref.kind ?? '', name: ref.name ?? '' },
    minReplicas,
    maxReplicas,
    metrics,
    ...(behavior ? { behavior } : {}),
    tolerances: { scaleUp: rulesTolerance(behavior?.scaleUp, defaults.tolerance), scaleDown: rulesTolerance(behavior?.scaleDown, defaults.tolerance) },
  };
}
