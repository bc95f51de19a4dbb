/**
 * The API server's handling of HorizontalPodAutoscaler writes (the
 * autoscaling registry strategy, v1.35):
 *  - defaulting (pkg/apis/autoscaling/v2/defaults.go, v1/defaults.go):
 *    minReplicas 1; for autoscaling/v2 a cpu Utilization metric of 80% when
 *    there are no metrics, and a given behavior completed from the defaults
 *    (scaleDown's stabilizationWindowSeconds stays unset: the controller's
 *    --horizontal-pod-autoscaler-downscale-stabilization fills it);
 *  - validation (pkg/apis/autoscaling/validation): replicas bounds, the
 *    scale target reference, every metric source and target, behaviour
 *    rules and policies, and behavior.*.tolerance >= 0
 *    (HPAConfigurableTolerance). minReplicas 0 needs HPAScaleToZero (alpha,
 *    off), so it is rejected.
 * Errors come back as the API server's Invalid error, e.g.
 * `HorizontalPodAutoscaler.autoscaling "web" is invalid: spec.maxReplicas:
 * Invalid value: 0: must be greater than 0`.
 */
import type { MetricSpec, MetricTarget } from 'kubernetes-types/autoscaling/v2.js';
import type { FieldError } from '../../api/errors.ts';
import { Quantity } from '../../api/quantity.ts';
import { ApiError } from '../../sim/errors.ts';
import type { AdmissionPlugin, AdmissionRequest, KObject } from '../../sim/types.ts';
import { DEFAULT_CPU_UTILIZATION, ANNOTATION_BEHAVIOR, ANNOTATION_METRICS } from './spec.ts';

/** MaxPeriodSeconds, MaxStabilizationWindowSeconds. */
export const MAX_PERIOD_SECONDS = 1800;
export const MAX_STABILIZATION_WINDOW_SECONDS = 3600;

type Plain = Record<string, unknown>;

const plain = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v);

const SCALE_UP_DEFAULTS = { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] };
const SCALE_DOWN_DEFAULTS = { selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] };

/** copyHPAScalingRules over a copy of the defaults: every field given wins. */
function rules(given: unknown, defaults: Plain): Plain {
  const out: Plain = structuredClone(defaults);
  if (!plain(given)) return out;
  for (const k of ['selectPolicy', 'stabilizationWindowSeconds', 'policies', 'tolerance']) if (given[k] !== undefined && given[k] !== null) out[k] = given[k];
  return out;
}

/** SetDefaults_HorizontalPodAutoscaler, on the object being written (a draft). */
export function defaultHorizontalPodAutoscaler(obj: KObject): void {
  const spec = (plain(obj['spec']) ? obj['spec'] : (obj['spec'] = {})) as Plain;
  if (spec['minReplicas'] === undefined || spec['minReplicas'] === null) spec['minReplicas'] = 1;
  if (obj.apiVersion === 'autoscaling/v1') return;
  if (!Array.isArray(spec['metrics']) || spec['metrics'].length === 0) {
    spec['metrics'] = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: DEFAULT_CPU_UTILIZATION } } }];
  }
  const b = spec['behavior'];
  if (plain(b)) spec['behavior'] = { scaleUp: rules(b['scaleUp'], SCALE_UP_DEFAULTS), scaleDown: rules(b['scaleDown'], SCALE_DOWN_DEFAULTS) };
}

/** IsValidPathSegmentName. */
function pathSegmentErrors(name: string): string[] {
  if (name === '.' || name === '..') return [`may not be '${name}'`];
  const out: string[] = [];
  if (name.includes('/')) out.push("may not contain '/'");
  if (name.includes('%')) out.push("may not contain '%'");
  return out;
}

function crossVersionObjectReference(ref: unknown, path: string, errs: FieldError[]): void {
  const r = plain(ref) ? ref : {};
  for (const f of ['kind', 'name']) {
    const v = r[f];
    if (typeof v !== 'string' || v === '') errs.push({ path: `${path}.${f}`, type: 'Required', detail: '' });
    else for (const msg of pathSegmentErrors(v)) errs.push({ path: `${path}.${f}`, type: 'Invalid', value: v, detail: msg });
  }
}

function sign(q: unknown): number {
  return Quantity.tryParse(q)?.sign() ?? 0;
}

function metricTarget(mt: MetricTarget | undefined, path: string, errs: FieldError[]): void {
  const t = mt ?? ({} as MetricTarget);
  if (!t.type) errs.push({ path: `${path}.type`, type: 'Required', detail: 'must specify a metric target type' });
  if (t.type !== 'Utilization' && t.type !== 'Value' && t.type !== 'AverageValue') errs.push({ path: `${path}.type`, type: 'Invalid', value: t.type ?? '', detail: 'must be either Utilization, Value, or AverageValue' });
  if (t.value !== undefined && sign(t.value) !== 1) errs.push({ path: `${path}.value`, type: 'Invalid', value: String(t.value), detail: 'must be positive' });
  if (t.averageValue !== undefined && sign(t.averageValue) !== 1) errs.push({ path: `${path}.averageValue`, type: 'Invalid', value: String(t.averageValue), detail: 'must be positive' });
  if (t.averageUtilization !== undefined && t.averageUtilization < 1) errs.push({ path: `${path}.averageUtilization`, type: 'Invalid', value: t.averageUtilization, detail: 'must be greater than 0' });
}

function metricIdentifier(id: { name?: string } | undefined, path: string, errs: FieldError[]): void {
  const name = id?.name;
  if (!name) errs.push({ path: `${path}.name`, type: 'Required', detail: 'must specify a metric name' });
  else for (const msg of pathSegmentErrors(name)) errs.push({ path: `${path}.name`, type: 'Invalid', value: name, detail: msg });
}

const SOURCE_TYPES = ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'];
const FIELD_OF: Record<string, keyof MetricSpec> = { Object: 'object', Pods: 'pods', Resource: 'resource', External: 'external', ContainerResource: 'containerResource' };
const supported = (list: string[]): string => `supported values: ${list.map((v) => JSON.stringify(v)).join(', ')}`;

function metricSpec(spec: MetricSpec, path: string, errs: FieldError[]): void {
  if (!spec.type) errs.push({ path: `${path}.type`, type: 'Required', detail: 'must specify a metric source type' });
  if (!SOURCE_TYPES.includes(spec.type)) errs.push({ path: `${path}.type`, type: 'NotSupported', value: spec.type ?? '', detail: supported(SOURCE_TYPES) });
  const present: string[] = [];
  const check = (field: keyof MetricSpec, fn: () => void): void => {
    if (spec[field] === undefined || spec[field] === null) return;
    present.push(field);
    if (present.length === 1) fn();
  };
  check('object', () => {
    const o = spec.object!;
    crossVersionObjectReference(o.describedObject, `${path}.object.describedObject`, errs);
    metricIdentifier(o.metric, `${path}.object.metric`, errs);
    metricTarget(o.target, `${path}.object.target`, errs);
    if (o.target?.value === undefined && o.target?.averageValue === undefined) errs.push({ path: `${path}.object.target.averageValue`, type: 'Required', detail: 'must set either a target value or averageValue' });
  });
  check('external', () => {
    const x = spec.external!;
    metricIdentifier(x.metric, `${path}.external.metric`, errs);
    metricTarget(x.target, `${path}.external.target`, errs);
    if (x.target?.value === undefined && x.target?.averageValue === undefined) errs.push({ path: `${path}.external.target.averageValue`, type: 'Required', detail: 'must set either a target value for metric or a per-pod target' });
    if (x.target?.value !== undefined && x.target?.averageValue !== undefined) errs.push({ path: `${path}.external.target.value`, type: 'Forbidden', detail: 'may not set both a target value for metric and a per-pod target' });
  });
  check('pods', () => {
    const p = spec.pods!;
    metricIdentifier(p.metric, `${path}.pods.metric`, errs);
    metricTarget(p.target, `${path}.pods.target`, errs);
    if (p.target?.averageValue === undefined) errs.push({ path: `${path}.pods.target.averageValue`, type: 'Required', detail: 'must specify a positive target averageValue' });
  });
  const resourceLike = (field: 'resource' | 'containerResource'): void => {
    const r = spec[field]!;
    const base = `${path}.${field}`;
    if (!r.name) errs.push({ path: `${base}.name`, type: 'Required', detail: 'must specify a resource name' });
    if (field === 'containerResource') {
      const c = (r as { container?: string }).container;
      if (!c) errs.push({ path: `${base}.container`, type: 'Required', detail: 'must specify a container' });
    }
    metricTarget(r.target, `${base}.target`, errs);
    if (r.target?.averageUtilization === undefined && r.target?.averageValue === undefined) errs.push({ path: `${base}.target.averageUtilization`, type: 'Required', detail: 'must set either a target raw value or a target utilization' });
    if (r.target?.averageUtilization !== undefined && r.target?.averageValue !== undefined) errs.push({ path: `${base}.target.averageValue`, type: 'Forbidden', detail: 'may not set both a target raw value and a target utilization' });
  };
  check('resource', () => resourceLike('resource'));
  check('containerResource', () => resourceLike('containerResource'));
  const expected = FIELD_OF[spec.type];
  if (expected) {
    if (spec[expected] === undefined || spec[expected] === null) errs.push({ path: `${path}.${expected}`, type: 'Required', detail: 'must populate information for the given metric source' });
  } else if (spec.type) {
    errs.push({ path: `${path}.type`, type: 'NotSupported', value: spec.type, detail: supported(SOURCE_TYPES) });
  }
  if (present.length !== 1) for (const f of present.filter((f) => f !== expected)) errs.push({ path: `${path}.${f}`, type: 'Forbidden', detail: 'must populate the given metric source only' });
}

function scalingRules(r: unknown, path: string, errs: FieldError[]): void {
  if (!plain(r)) return;
  const w = r['stabilizationWindowSeconds'];
  if (typeof w === 'number' && w < 0) errs.push({ path: `${path}.stabilizationWindowSeconds`, type: 'Invalid', value: w, detail: 'must be greater than or equal to zero' });
  if (typeof w === 'number' && w > MAX_STABILIZATION_WINDOW_SECONDS) errs.push({ path: `${path}.stabilizationWindowSeconds`, type: 'Invalid', value: w, detail: `must be less than or equal to ${MAX_STABILIZATION_WINDOW_SECONDS}` });
  const sp = r['selectPolicy'];
  if (sp !== undefined && sp !== 'Max' && sp !== 'Min' && sp !== 'Disabled') errs.push({ path: `${path}.selectPolicy`, type: 'NotSupported', value: sp, detail: supported(['Disabled', 'Max', 'Min']) });
  const policies = Array.isArray(r['policies']) ? (r['policies'] as Plain[]) : [];
  if (policies.length === 0) errs.push({ path: `${path}.policies`, type: 'Required', detail: 'must specify at least one Policy' });
  policies.forEach((p, i) => {
    const pp = `${path}.policies[${i}]`;
    if (p['type'] !== 'Pods' && p['type'] !== 'Percent') errs.push({ path: `${pp}.type`, type: 'NotSupported', value: p['type'] ?? '', detail: supported(['Percent', 'Pods']) });
    const value = typeof p['value'] === 'number' ? p['value'] : 0;
    if (value <= 0) errs.push({ path: `${pp}.value`, type: 'Invalid', value, detail: 'must be greater than zero' });
    const period = typeof p['periodSeconds'] === 'number' ? p['periodSeconds'] : 0;
    if (period <= 0) errs.push({ path: `${pp}.periodSeconds`, type: 'Invalid', value: period, detail: 'must be greater than zero' });
    if (period > MAX_PERIOD_SECONDS) errs.push({ path: `${pp}.periodSeconds`, type: 'Invalid', value: period, detail: `must be less than or equal to ${MAX_PERIOD_SECONDS}` });
  });
  // HPAConfigurableTolerance (beta, on by default since v1.35).
  if (r['tolerance'] !== undefined && sign(r['tolerance']) < 0) errs.push({ path: `${path}.tolerance`, type: 'Invalid', value: String(r['tolerance']), detail: 'must be greater than or equal to 0' });
}

/** ValidateHorizontalPodAutoscaler on the internal (v2-shaped) view of the object. */
export function validateHorizontalPodAutoscaler(obj: KObject): FieldError[] {
  const errs: FieldError[] = [];
  const spec = plain(obj['spec']) ? obj['spec'] : {};
  const min = spec['minReplicas'];
  const max = typeof spec['maxReplicas'] === 'number' ? spec['maxReplicas'] : 0;
  if (typeof min === 'number' && min < 1) errs.push({ path: 'spec.minReplicas', type: 'Invalid', value: min, detail: 'must be greater than or equal to 1' });
  if (max < 1) errs.push({ path: 'spec.maxReplicas', type: 'Invalid', value: max, detail: 'must be greater than 0' });
  if (typeof min === 'number' && max < min) errs.push({ path: 'spec.maxReplicas', type: 'Invalid', value: max, detail: 'must be greater than or equal to `minReplicas`' });
  crossVersionObjectReference(spec['scaleTargetRef'], 'spec.scaleTargetRef', errs);
  let metrics: MetricSpec[] = [];
  if (obj.apiVersion === 'autoscaling/v1') {
    const t = spec['targetCPUUtilizationPercentage'];
    if (typeof t === 'number') metrics.push({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: t } } });
    const extra = obj.metadata.annotations?.[ANNOTATION_METRICS];
    if (extra !== undefined) {
      try {
        const parsed: unknown = JSON.parse(extra);
        if (Array.isArray(parsed)) metrics.push(...(parsed as MetricSpec[]));
        else errs.push({ path: `metadata.annotations[${ANNOTATION_METRICS}]`, type: 'Invalid', value: extra, detail: 'must be a JSON list of autoscaling/v2 MetricSpec' });
      } catch (e) {
        errs.push({ path: `metadata.annotations[${ANNOTATION_METRICS}]`, type: 'Invalid', value: extra, detail: e instanceof Error ? e.message : String(e) });
      }
    }
    const behavior = obj.metadata.annotations?.[ANNOTATION_BEHAVIOR];
    if (behavior !== undefined) {
      try {
        const parsed: unknown = JSON.parse(behavior);
        if (plain(parsed)) {
          scalingRules(parsed['scaleUp'], 'spec.behavior.scaleUp', errs);
          scalingRules(parsed['scaleDown'], 'spec.behavior.scaleDown', errs);
        } else errs.push({ path: `metadata.annotations[${ANNOTATION_BEHAVIOR}]`, type: 'Invalid', value: behavior, detail: 'must be a JSON autoscaling/v2 HorizontalPodAutoscalerBehavior' });
      } catch (e) {
        errs.push({ path: `metadata.annotations[${ANNOTATION_BEHAVIOR}]`, type: 'Invalid', value: behavior, detail: e instanceof Error ? e.message : String(e) });
      }
    }
  } else if (Array.isArray(spec['metrics'])) {
    metrics = spec['metrics'] as MetricSpec[];
  }
  metrics.forEach((m, i) => metricSpec(plain(m) ? m : ({} as MetricSpec), `spec.metrics[${i}]`, errs));
  const b = spec['behavior'];
  if (plain(b)) {
    scalingRules(b['scaleUp'], 'spec.behavior.scaleUp', errs);
    scalingRules(b['scaleDown'], 'spec.behavior.scaleDown', errs);
  }
  return errs;
}

/** The admission plugin: default, then validate, every create and update of the main resource. */
export const horizontalPodAutoscalerAdmission: AdmissionPlugin = {
  name: 'HorizontalPodAutoscalerStrategy',
  kinds: ['HorizontalPodAutoscaler'],
  mutate(req: AdmissionRequest): void {
    if (req.operation === 'DELETE') return;
    defaultHorizontalPodAutoscaler(req.object);
  },
  validate(req: AdmissionRequest): void {
    if (req.operation === 'DELETE') return;
    const errs = validateHorizontalPodAutoscaler(req.object);
    if (errs.length > 0) throw ApiError.invalid('HorizontalPodAutoscaler', req.object.metadata.name ?? '', errs, req.object.apiVersion);
  },
};
