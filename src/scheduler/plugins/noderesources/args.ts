/**
 * NodeResourcesFitArgs and NodeResourcesBalancedAllocationArgs: decoding,
 * defaulting and validation, following kube-scheduler v1.31
 * pkg/scheduler/apis/config/v1/defaults.go (SetDefaults_NodeResourcesFitArgs,
 * SetDefaults_NodeResourcesBalancedAllocationArgs) and
 * pkg/scheduler/apis/config/validation/validation_pluginargs.go
 * (ValidateNodeResourcesFitArgs, validateResources, validateFunctionShape,
 * ValidateNodeResourcesBalancedAllocationArgs).
 */
import { FieldErrorList, type FieldError } from '../../../api/errors.ts';
import { isQualifiedName } from '../../../api/names.ts';
import { decodeArgs, join, type ArgsObject } from '../helper/args.ts';

export interface ResourceSpec {
  name: string;
  weight: number;
}

export type ScoringStrategyType = 'LeastAllocated' | 'MostAllocated' | 'RequestedToCapacityRatio';

export interface UtilizationShapePoint {
  utilization: number;
  score: number;
}

export interface ScoringStrategy {
  type: ScoringStrategyType;
  resources: ResourceSpec[];
  requestedToCapacityRatio?: { shape: UtilizationShapePoint[] };
}

export interface NodeResourcesFitArgs {
  ignoredResources: string[];
  ignoredResourceGroups: string[];
  scoringStrategy: ScoringStrategy;
}

export interface NodeResourcesBalancedAllocationArgs {
  resources: ResourceSpec[];
}

/** config.MaxCustomPriorityScore: shape scores are on a 0..10 scale. */
export const MaxCustomPriorityScore = 10;

const supportedScoringStrategyTypes: readonly string[] = ['LeastAllocated', 'MostAllocated', 'RequestedToCapacityRatio'];

/** upstream defaultResourceSpec */
function defaultResourceSpec(): ResourceSpec[] {
  return [
    { name: 'cpu', weight: 1 },
    { name: 'memory', weight: 1 },
  ];
}

/** upstream defaultFunctionShape for RequestedToCapacityRatio: least-requested-like. */
function defaultFunctionShape(): UtilizationShapePoint[] {
  return [
    { utilization: 0, score: 10 },
    { utilization: 100, score: 0 },
  ];
}

function isObject(v: unknown): v is ArgsObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function typeErr(path: string, value: unknown, detail: string): FieldError {
  return { path, type: 'TypeInvalid', value, detail };
}

function unknownFields(obj: ArgsObject, known: readonly string[], path: string, errs: FieldError[]): void {
  for (const k of Object.keys(obj)) if (!known.includes(k)) errs.push({ path: join(path, k), type: 'FieldValueUnknown', detail: '' });
}

function intValue(v: unknown, path: string, errs: FieldError[]): number {
  if (v === undefined || v === null) return 0;
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    errs.push(typeErr(path, v, 'must be an integer'));
    return 0;
  }
  return v;
}

function stringList(v: unknown, path: string, errs: FieldError[]): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) {
    errs.push(typeErr(path, v, 'must be a list of strings'));
    return [];
  }
  const out: string[] = [];
  v.forEach((s, i) => {
    if (typeof s !== 'string') errs.push(typeErr(`${path}[${i}]`, s, 'must be a string'));
    else out.push(s);
  });
  return out;
}

/** Decode a resources list; weight 0 (or absent) defaults to 1, an empty list to cpu/memory. */
function decodeResources(v: unknown, path: string, errs: FieldError[]): ResourceSpec[] {
  if (v === undefined || v === null) return defaultResourceSpec();
  if (!Array.isArray(v)) {
    errs.push(typeErr(path, v, 'must be a list'));
    return defaultResourceSpec();
  }
  if (v.length === 0) return defaultResourceSpec();
  const out: ResourceSpec[] = [];
  v.forEach((r, i) => {
    const p = `${path}[${i}]`;
    if (!isObject(r)) {
      errs.push(typeErr(p, r, 'must be an object'));
      return;
    }
    unknownFields(r, ['name', 'weight'], p, errs);
    const name = r['name'];
    if (name !== undefined && typeof name !== 'string') errs.push(typeErr(join(p, 'name'), name, 'must be a string'));
    const weight = intValue(r['weight'], join(p, 'weight'), errs);
    out.push({ name: typeof name === 'string' ? name : '', weight: weight === 0 ? 1 : weight });
  });
  return out;
}

/** metav1validation.ValidateLabelName: a qualified name. */
function validateLabelName(name: string, path: string, errs: FieldError[]): void {
  for (const msg of isQualifiedName(name)) errs.push({ path, type: 'Invalid', value: name, detail: msg });
}

/** upstream validateResources: weights in [1, 100]. */
function validateResources(resources: ResourceSpec[], path: string, errs: FieldError[]): void {
  resources.forEach((r, i) => {
    if (r.weight <= 0 || r.weight > 100) {
      errs.push({
        path: join(`${path}[${i}]`, 'weight'),
        type: 'Invalid',
        value: r.weight,
        detail: `resource weight of ${r.name} not in valid range [1, 100]`,
      });
    }
  });
}

/** upstream validateFunctionShape. */
function validateFunctionShape(shape: UtilizationShapePoint[], path: string, errs: FieldError[]): void {
  if (shape.length === 0) {
    errs.push({ path, type: 'Required', detail: 'at least one point must be specified' });
    return;
  }
  for (let i = 1; i < shape.length; i++) {
    if (shape[i - 1]!.utilization >= shape[i]!.utilization) {
      errs.push({
        path: join(`${path}[${i}]`, 'utilization'),
        type: 'Invalid',
        value: shape[i]!.utilization,
        detail: 'utilization values must be sorted in increasing order',
      });
      break;
    }
  }
  shape.forEach((p, i) => {
    if (p.utilization < 0 || p.utilization > 100) {
      errs.push({ path: join(`${path}[${i}]`, 'utilization'), type: 'Invalid', value: p.utilization, detail: 'not in valid range [0, 100]' });
    }
    if (p.score < 0 || p.score > MaxCustomPriorityScore) {
      errs.push({
        path: join(`${path}[${i}]`, 'score'),
        type: 'Invalid',
        value: p.score,
        detail: `not in valid range [0, ${MaxCustomPriorityScore}]`,
      });
    }
  });
}

function decodeShape(v: unknown, path: string, errs: FieldError[]): UtilizationShapePoint[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) {
    errs.push(typeErr(path, v, 'must be a list'));
    return [];
  }
  const out: UtilizationShapePoint[] = [];
  v.forEach((pt, i) => {
    const p = `${path}[${i}]`;
    if (!isObject(pt)) {
      errs.push(typeErr(p, pt, 'must be an object'));
      return;
    }
    unknownFields(pt, ['utilization', 'score'], p, errs);
    out.push({ utilization: intValue(pt['utilization'], join(p, 'utilization'), errs), score: intValue(pt['score'], join(p, 'score'), errs) });
  });
  return out;
}

/** Decode, default and validate NodeResourcesFitArgs; throws FieldErrorList listing every problem. */
export function parseNodeResourcesFitArgs(raw: unknown): NodeResourcesFitArgs {
  const obj = decodeArgs(raw, 'NodeResourcesFitArgs', ['ignoredResources', 'ignoredResourceGroups', 'scoringStrategy']);
  const errs: FieldError[] = [];
  const ignoredResources = stringList(obj['ignoredResources'], 'ignoredResources', errs);
  const ignoredResourceGroups = stringList(obj['ignoredResourceGroups'], 'ignoredResourceGroups', errs);

  let scoringStrategy: ScoringStrategy;
  const ss = obj['scoringStrategy'];
  if (ss === undefined || ss === null) {
    scoringStrategy = { type: 'LeastAllocated', resources: defaultResourceSpec() };
  } else if (!isObject(ss)) {
    errs.push(typeErr('scoringStrategy', ss, 'must be an object'));
    scoringStrategy = { type: 'LeastAllocated', resources: defaultResourceSpec() };
  } else {
    unknownFields(ss, ['type', 'resources', 'requestedToCapacityRatio'], 'scoringStrategy', errs);
    const type = ss['type'] ?? '';
    if (typeof type !== 'string' || !supportedScoringStrategyTypes.includes(type)) {
      errs.push({
        path: 'scoringStrategy.type',
        type: 'NotSupported',
        value: type,
        detail: `supported values: ${supportedScoringStrategyTypes.map((t) => JSON.stringify(t)).join(', ')}`,
      });
    }
    scoringStrategy = {
      type: (typeof type === 'string' && supportedScoringStrategyTypes.includes(type) ? type : 'LeastAllocated') as ScoringStrategyType,
      resources: decodeResources(ss['resources'], 'scoringStrategy.resources', errs),
    };
    const rtcr = ss['requestedToCapacityRatio'];
    if (rtcr !== undefined && rtcr !== null) {
      if (!isObject(rtcr)) {
        errs.push(typeErr('scoringStrategy.requestedToCapacityRatio', rtcr, 'must be an object'));
      } else {
        unknownFields(rtcr, ['shape'], 'scoringStrategy.requestedToCapacityRatio', errs);
        scoringStrategy.requestedToCapacityRatio = { shape: decodeShape(rtcr['shape'], 'scoringStrategy.requestedToCapacityRatio.shape', errs) };
      }
    } else if (scoringStrategy.type === 'RequestedToCapacityRatio') {
      // SetDefaults_NodeResourcesFitArgs gives RequestedToCapacityRatio a default shape.
      scoringStrategy.requestedToCapacityRatio = { shape: defaultFunctionShape() };
    }
  }

  // ValidateNodeResourcesFitArgs
  ignoredResources.forEach((r, i) => validateLabelName(r, `ignoredResources[${i}]`, errs));
  ignoredResourceGroups.forEach((g, i) => {
    const p = `ignoredResourceGroups[${i}]`;
    if (g.includes('/')) errs.push({ path: p, type: 'Invalid', value: g, detail: "resource group name can't contain '/'" });
    validateLabelName(g, p, errs);
  });
  validateResources(scoringStrategy.resources, 'scoringStrategy.resources', errs);
  if (scoringStrategy.requestedToCapacityRatio) {
    // upstream reports shape errors under scoringStrategy.shape
    validateFunctionShape(scoringStrategy.requestedToCapacityRatio.shape, 'scoringStrategy.shape', errs);
  }
  if (errs.length > 0) throw new FieldErrorList(errs);
  return { ignoredResources, ignoredResourceGroups, scoringStrategy };
}

/** Decode, default and validate NodeResourcesBalancedAllocationArgs. */
export function parseNodeResourcesBalancedAllocationArgs(raw: unknown): NodeResourcesBalancedAllocationArgs {
  const obj = decodeArgs(raw, 'NodeResourcesBalancedAllocationArgs', ['resources']);
  const errs: FieldError[] = [];
  const resources = decodeResources(obj['resources'], 'resources', errs);
  const seen = new Set<string>();
  resources.forEach((r, i) => {
    if (seen.has(r.name)) errs.push({ path: join(`resources[${i}]`, 'name'), type: 'Duplicate', value: r.name, detail: '' });
    else seen.add(r.name);
    if (r.weight !== 1) errs.push({ path: join(`resources[${i}]`, 'weight'), type: 'Invalid', value: r.weight, detail: 'must be 1' });
  });
  if (errs.length > 0) throw new FieldErrorList(errs);
  return { resources };
}
