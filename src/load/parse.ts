/**
 * Parsing and validating a Scenario's `spec.load` into a LoadSpec. Every
 * problem is a FieldError with its path from the document root
 * (`spec.load[2].memory.rate`), so the scenario loader reports it with file,
 * line and column like any other field. Nothing here touches the simulation.
 */
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import type { FieldError } from '../api/errors.ts';
import { parseDuration } from '../api/duration.ts';
import { Quantity } from '../api/quantity.ts';
import { labelSelectorAsSelector, validateLabelSelector } from '../api/labels.ts';
import type { Time } from '../sim/types.ts';
import { parseTraceCSV } from './csv.ts';
import type { Demand, LoadClock, LoadModel, LoadModelBody, LoadResource, LoadSpec, PodLoadEntry, WorkloadRef } from './types.ts';
import { LOAD_RESOURCES } from './types.ts';

type Plain = Record<string, unknown>;

export const LOAD_MODEL_TYPES = ['constant', 'step', 'ramp', 'sine', 'randomWalk', 'spikes', 'leak', 'trace'] as const;

const MODEL_FIELDS: Record<(typeof LOAD_MODEL_TYPES)[number], readonly string[]> = {
  constant: ['value'],
  step: ['from', 'to', 'at'],
  ramp: ['from', 'to', 'start', 'duration'],
  sine: ['base', 'amplitude', 'period', 'phase'],
  randomWalk: ['start', 'step', 'interval', 'min', 'max'],
  spikes: ['base', 'peak', 'every', 'duration', 'probability'],
  leak: ['start', 'rate', 'per', 'max'],
  trace: ['points', 'file', 'interpolation', 'repeat'],
};

const POD_ENTRY_FIELDS = ['name', 'namespace', 'selector', 'workload', 'containers', 'demand', ...LOAD_RESOURCES];
const SERIES_ENTRY_FIELDS = ['series', 'model'];
const DEMAND_FIELDS = ['requests', 'cpuPerRequest', 'memoryPerRequest', 'baseCpu', 'baseMemory'];
/** Workload kinds whose spec.selector picks their pods. */
export const LOAD_WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'ReplicaSet', 'DaemonSet', 'Job', 'ReplicationController'];

export interface ParseLoadOptions {
  /** Reads a trace CSV named by `file:` (relative to the scenario file; the caller resolves). */
  readFile?: (file: string) => string;
}

function isPlain(v: unknown): v is Plain {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

class Checker {
  readonly errors: FieldError[] = [];

  type(path: string, v: unknown, want: string): void {
    this.errors.push({ path, type: 'TypeInvalid', value: v, detail: `must be ${want}, got ${typeName(v)}` });
  }

  invalid(path: string, v: unknown, detail: string): void {
    this.errors.push({ path, type: 'Invalid', value: v, detail });
  }

  object(v: unknown, path: string, allowed: readonly string[]): Plain | undefined {
    if (!isPlain(v)) {
      this.type(path, v, 'an object');
      return undefined;
    }
    for (const k of Object.keys(v)) if (!allowed.includes(k)) this.errors.push({ path: `${path}.${k}`, type: 'FieldValueUnknown', detail: '' });
    return v;
  }

  required(o: Plain, path: string, field: string): unknown {
    const v = o[field];
    if (v === undefined || v === null) this.errors.push({ path: `${path}.${field}`, type: 'Required', detail: '' });
    return v;
  }

  /** A quantity ("250m", "512Mi") or a plain number, as a number in base units. */
  amount(v: unknown, path: string): number | undefined {
    if (typeof v === 'number') {
      if (Number.isFinite(v)) return v;
      this.invalid(path, v, 'must be a finite number');
      return undefined;
    }
    if (typeof v !== 'string') {
      this.type(path, v, 'a quantity or a number');
      return undefined;
    }
    const q = Quantity.tryParse(v);
    if (q === undefined) {
      this.invalid(path, v, "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
      return undefined;
    }
    return q.milliValue() / 1000;
  }

  duration(v: unknown, path: string, opts: { positive?: boolean } = {}): Time | undefined {
    if (typeof v !== 'string') {
      this.type(path, v, 'a duration string such as "90s"');
      return undefined;
    }
    try {
      const ms = parseDuration(v);
      if (ms < 0 || (opts.positive && ms === 0)) {
        this.invalid(path, v, opts.positive ? 'must be greater than 0' : 'must not be negative');
        return undefined;
      }
      return ms;
    } catch (e) {
      this.invalid(path, v, e instanceof Error ? e.message : String(e));
      return undefined;
    }
  }

  string(v: unknown, path: string): string | undefined {
    if (typeof v === 'string' && v !== '') return v;
    if (typeof v === 'string') this.errors.push({ path, type: 'Required', detail: '' });
    else this.type(path, v, 'a string');
    return undefined;
  }
}

/** Parse one model (a mapping with `type`, or a bare quantity meaning `constant`). */
function parseModel(ck: Checker, v: unknown, path: string, opts: ParseLoadOptions): LoadModel | undefined {
  if (typeof v === 'string' || typeof v === 'number') {
    const value = ck.amount(v, path);
    return value === undefined ? undefined : { type: 'constant', value, clock: 'scenario' };
  }
  if (!isPlain(v)) {
    ck.type(path, v, 'a load model (an object with a type) or a quantity');
    return undefined;
  }
  const type = v['type'];
  if (typeof type !== 'string' || !(LOAD_MODEL_TYPES as readonly string[]).includes(type)) {
    if (type === undefined) ck.errors.push({ path: `${path}.type`, type: 'Required', detail: `one of ${LOAD_MODEL_TYPES.map((t) => JSON.stringify(t)).join(', ')}` });
    else ck.errors.push({ path: `${path}.type`, type: 'NotSupported', value: type, detail: `supported values: ${LOAD_MODEL_TYPES.map((t) => JSON.stringify(t)).join(', ')}` });
    return undefined;
  }
  const t = type as (typeof LOAD_MODEL_TYPES)[number];
  const before = ck.errors.length;
  ck.object(v, path, ['type', 'clock', ...MODEL_FIELDS[t]]);
  const num = (f: string, dflt?: number): number | undefined => {
    if (v[f] === undefined || v[f] === null) {
      if (dflt === undefined) ck.required(v, path, f);
      return dflt;
    }
    return ck.amount(v[f], `${path}.${f}`);
  };
  const dur = (f: string, dflt?: Time, positive = false): Time | undefined => {
    if (v[f] === undefined || v[f] === null) {
      if (dflt === undefined) ck.required(v, path, f);
      return dflt;
    }
    return ck.duration(v[f], `${path}.${f}`, { positive });
  };
  let clock: LoadClock = t === 'leak' ? 'container' : 'scenario';
  if (v['clock'] !== undefined) {
    if (v['clock'] === 'scenario' || v['clock'] === 'container') clock = v['clock'];
    else ck.errors.push({ path: `${path}.clock`, type: 'NotSupported', value: v['clock'], detail: 'supported values: "scenario", "container"' });
  }
  let body: LoadModelBody | undefined;
  switch (t) {
    case 'constant': {
      const value = num('value');
      if (value !== undefined) body = { type: t, value };
      break;
    }
    case 'step': {
      const from = num('from');
      const to = num('to');
      const at = dur('at');
      if (from !== undefined && to !== undefined && at !== undefined) body = { type: t, from, to, at };
      break;
    }
    case 'ramp': {
      const from = num('from');
      const to = num('to');
      const start = dur('start', 0);
      const duration = dur('duration', undefined, true);
      if (from !== undefined && to !== undefined && start !== undefined && duration !== undefined) body = { type: t, from, to, start, duration };
      break;
    }
    case 'sine': {
      const base = num('base');
      const amplitude = num('amplitude');
      const period = dur('period', 24 * 3600_000, true);
      const phase = dur('phase', 0);
      if (base !== undefined && amplitude !== undefined && period !== undefined && phase !== undefined) body = { type: t, base, amplitude, period, phase };
      break;
    }
    case 'randomWalk': {
      const start = num('start');
      const step = num('step');
      const interval = dur('interval', 60_000, true);
      const min = num('min', 0);
      const max = num('max', Number.POSITIVE_INFINITY);
      if (min !== undefined && max !== undefined && min > max) ck.invalid(`${path}.max`, v['max'], 'must not be less than min');
      if (start !== undefined && step !== undefined && interval !== undefined && min !== undefined && max !== undefined) body = { type: t, start, step, interval, min, max };
      break;
    }
    case 'spikes': {
      const base = num('base');
      const peak = num('peak');
      const every = dur('every', undefined, true);
      const duration = dur('duration', undefined, true);
      const probability = num('probability', 1);
      if (probability !== undefined && (probability < 0 || probability > 1)) ck.invalid(`${path}.probability`, v['probability'], 'must be between 0 and 1, inclusive');
      if (every !== undefined && duration !== undefined && duration > every) ck.invalid(`${path}.duration`, v['duration'], 'must not be longer than every');
      if (base !== undefined && peak !== undefined && every !== undefined && duration !== undefined && probability !== undefined) body = { type: t, base, peak, every, duration, probability };
      break;
    }
    case 'leak': {
      const start = num('start', 0);
      const rate = num('rate');
      const per = dur('per', 60_000, true);
      const max = num('max', Number.POSITIVE_INFINITY);
      if (start !== undefined && rate !== undefined && per !== undefined && max !== undefined) body = { type: t, start, ratePerMs: rate / per, max };
      break;
    }
    case 'trace': {
      body = parseTrace(ck, v, path, opts);
      break;
    }
  }
  if (!body || ck.errors.length > before) return undefined;
  return { ...body, clock } as LoadModel;
}

function parseTrace(ck: Checker, v: Plain, path: string, opts: ParseLoadOptions): LoadModelBody | undefined {
  let interpolation: 'step' | 'linear' = 'linear';
  if (v['interpolation'] !== undefined) {
    if (v['interpolation'] === 'step' || v['interpolation'] === 'linear') interpolation = v['interpolation'];
    else ck.errors.push({ path: `${path}.interpolation`, type: 'NotSupported', value: v['interpolation'], detail: 'supported values: "linear", "step"' });
  }
  let repeat = false;
  if (v['repeat'] !== undefined) {
    if (typeof v['repeat'] === 'boolean') repeat = v['repeat'];
    else ck.type(`${path}.repeat`, v['repeat'], 'a boolean');
  }
  const hasPoints = v['points'] !== undefined;
  const hasFile = v['file'] !== undefined;
  if (hasPoints === hasFile) {
    ck.errors.push({ path: `${path}.points`, type: hasPoints ? 'Forbidden' : 'Required', detail: 'exactly one of points and file must be given' });
    return undefined;
  }
  const points: Array<[Time, number]> = [];
  if (hasPoints) {
    const list = v['points'];
    if (!Array.isArray(list)) {
      ck.type(`${path}.points`, list, 'an array of [time, value] pairs');
      return undefined;
    }
    list.forEach((p, i) => {
      const pp = `${path}.points[${i}]`;
      let at: unknown;
      let value: unknown;
      if (Array.isArray(p) && p.length === 2) [at, value] = p;
      else if (isPlain(p)) {
        ck.object(p, pp, ['at', 'value']);
        at = p['at'];
        value = p['value'];
      } else {
        ck.type(pp, p, 'a [time, value] pair or {at, value}');
        return;
      }
      const ms = ck.duration(at, `${pp}.at`);
      const n = ck.amount(value, `${pp}.value`);
      if (ms !== undefined && n !== undefined) points.push([ms, n]);
    });
  } else {
    const file = ck.string(v['file'], `${path}.file`);
    if (file === undefined) return undefined;
    if (!opts.readFile) {
      ck.invalid(`${path}.file`, file, 'trace files can only be read when the scenario is loaded from a file');
      return undefined;
    }
    let text: string;
    try {
      text = opts.readFile(file);
    } catch (e) {
      ck.invalid(`${path}.file`, file, `cannot read the trace: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
    const parsed = parseTraceCSV(text);
    if ('error' in parsed) {
      ck.invalid(`${path}.file`, file, parsed.error);
      return undefined;
    }
    points.push(...parsed.points);
  }
  if (points.length === 0) {
    ck.errors.push({ path: `${path}.points`, type: 'Required', detail: 'a trace needs at least one point' });
    return undefined;
  }
  for (let i = 1; i < points.length; i++) {
    if (points[i]![0] < points[i - 1]![0]) {
      ck.invalid(`${path}.points[${i}].at`, points[i]![0], 'trace times must not decrease');
      return undefined;
    }
  }
  return { type: 'trace', points, interpolation, repeat };
}

function parseWorkload(ck: Checker, v: unknown, path: string, entryNamespace: string | undefined): WorkloadRef | undefined {
  const o = ck.object(v, path, ['kind', 'name', 'namespace']);
  if (!o) return undefined;
  const kind = ck.required(o, path, 'kind') === undefined ? undefined : ck.string(o['kind'], `${path}.kind`);
  const name = ck.required(o, path, 'name') === undefined ? undefined : ck.string(o['name'], `${path}.name`);
  const namespace = o['namespace'] === undefined ? entryNamespace ?? 'default' : ck.string(o['namespace'], `${path}.namespace`);
  if (kind !== undefined && !LOAD_WORKLOAD_KINDS.includes(kind)) {
    ck.errors.push({ path: `${path}.kind`, type: 'NotSupported', value: kind, detail: `supported values: ${LOAD_WORKLOAD_KINDS.map((k) => JSON.stringify(k)).join(', ')}` });
    return undefined;
  }
  if (kind === undefined || name === undefined || namespace === undefined) return undefined;
  return { kind, name, namespace };
}

function parseDemand(ck: Checker, v: unknown, path: string, opts: ParseLoadOptions): Demand | undefined {
  const o = ck.object(v, path, DEMAND_FIELDS);
  if (!o) return undefined;
  const before = ck.errors.length;
  const requests = ck.required(o, path, 'requests') === undefined ? undefined : parseModel(ck, o['requests'], `${path}.requests`, opts);
  const amt = (f: string): number => (o[f] === undefined ? 0 : ck.amount(o[f], `${path}.${f}`) ?? 0);
  const d = { cpuPerRequest: amt('cpuPerRequest'), memoryPerRequest: amt('memoryPerRequest'), baseCpu: amt('baseCpu'), baseMemory: amt('baseMemory') };
  if (o['cpuPerRequest'] === undefined && o['memoryPerRequest'] === undefined) {
    ck.errors.push({ path: `${path}.cpuPerRequest`, type: 'Required', detail: 'a demand needs cpuPerRequest and/or memoryPerRequest' });
  }
  if (!requests || ck.errors.length > before) return undefined;
  return { requests, ...d };
}

/**
 * Parse `spec.load` (the raw list). `basePath` is the list's path ("spec.load").
 * Returns the spec of every valid entry and the errors of the others.
 */
export function parseLoadSpec(raw: readonly unknown[], basePath = 'spec.load', opts: ParseLoadOptions = {}): { spec: LoadSpec; errors: FieldError[] } {
  const ck = new Checker();
  const spec: LoadSpec = { pods: [], series: [] };
  const seriesNames = new Set<string>();
  raw.forEach((entry, index) => {
    const path = `${basePath}[${index}]`;
    if (!isPlain(entry)) {
      ck.type(path, entry, 'an object');
      return;
    }
    const before = ck.errors.length;
    if (entry['series'] !== undefined) {
      ck.object(entry, path, SERIES_ENTRY_FIELDS);
      const name = ck.string(entry['series'], `${path}.series`);
      const model = ck.required(entry, path, 'model') === undefined ? undefined : parseModel(ck, entry['model'], `${path}.model`, opts);
      if (name !== undefined && seriesNames.has(name)) ck.errors.push({ path: `${path}.series`, type: 'Duplicate', value: name, detail: '' });
      if (name !== undefined && model && ck.errors.length === before) {
        seriesNames.add(name);
        spec.series.push({ index, name, model });
      }
      return;
    }
    ck.object(entry, path, POD_ENTRY_FIELDS);
    const name = entry['name'] === undefined ? `load[${index}]` : ck.string(entry['name'], `${path}.name`) ?? '';
    const namespace = entry['namespace'] === undefined ? undefined : ck.string(entry['namespace'], `${path}.namespace`);
    let selector: PodLoadEntry['selector'];
    if (entry['selector'] !== undefined) {
      if (!isPlain(entry['selector'])) ck.type(`${path}.selector`, entry['selector'], 'a label selector (matchLabels, matchExpressions)');
      else {
        ck.object(entry['selector'], `${path}.selector`, ['matchLabels', 'matchExpressions']);
        const errs = validateLabelSelector(entry['selector'] as LabelSelector, `${path}.selector`);
        ck.errors.push(...errs);
        if (errs.length === 0) {
          try {
            selector = labelSelectorAsSelector(entry['selector'] as LabelSelector);
          } catch (e) {
            ck.invalid(`${path}.selector`, entry['selector'], e instanceof Error ? e.message : String(e));
          }
        }
      }
    }
    const workload = entry['workload'] === undefined ? undefined : parseWorkload(ck, entry['workload'], `${path}.workload`, namespace);
    if (entry['selector'] === undefined && entry['workload'] === undefined && entry['namespace'] === undefined) {
      ck.errors.push({ path: `${path}.selector`, type: 'Required', detail: 'a load entry selects its pods by namespace, selector and/or workload' });
    }
    let containers: string[] | undefined;
    if (entry['containers'] !== undefined) {
      const list = entry['containers'];
      if (!Array.isArray(list) || list.length === 0) ck.type(`${path}.containers`, list, 'a non-empty array of container names');
      else containers = list.map((c, i) => ck.string(c, `${path}.containers[${i}]`) ?? '');
    }
    const models: Partial<Record<LoadResource, LoadModel>> = {};
    for (const r of LOAD_RESOURCES) {
      if (entry[r] === undefined) continue;
      const m = parseModel(ck, entry[r], `${path}.${r}`, opts);
      if (m) models[r] = m;
    }
    let demand: Demand | undefined;
    if (entry['demand'] !== undefined) {
      demand = parseDemand(ck, entry['demand'], `${path}.demand`, opts);
      if (entry['workload'] === undefined && entry['selector'] === undefined) {
        ck.errors.push({ path: `${path}.demand`, type: 'Invalid', value: undefined, detail: 'a demand is shared among the Ready pods of a workload or selector: give workload or selector' });
      }
      if (demand && demand.cpuPerRequest > 0 && models.cpu) ck.errors.push({ path: `${path}.cpu`, type: 'Forbidden', detail: 'cpu comes from demand.cpuPerRequest; give one or the other' });
      if (demand && demand.memoryPerRequest > 0 && models.memory) ck.errors.push({ path: `${path}.memory`, type: 'Forbidden', detail: 'memory comes from demand.memoryPerRequest; give one or the other' });
    }
    if (!LOAD_RESOURCES.some((r) => entry[r] !== undefined) && entry['demand'] === undefined) {
      ck.errors.push({ path: `${path}.cpu`, type: 'Required', detail: 'a load entry models at least one of cpu, memory, ephemeralStorage, pids or demand' });
    }
    if (ck.errors.length > before) return;
    spec.pods.push({ index, name, namespace, selector, workload, containers, models, demand });
  });
  return { spec, errors: ck.errors };
}
