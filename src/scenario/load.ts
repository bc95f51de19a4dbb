/**
 * Loading scenarios: plain multi-document Kubernetes YAML (applied at time
 * 0) and at most one `ksim.dev/v1alpha1 Scenario` document, possibly mixed in
 * one file. Every problem in every input is collected and thrown as one
 * ScenarioError naming file, document, line, column and field path; nothing
 * else is ever thrown. Unknown kinds are skipped with a warning.
 */
import { InputError, MAX_INPUT_FILE_BYTES, MAX_INPUT_TOTAL_BYTES, readInputFile } from './input.ts';
import { basename, dirname, extname, resolve, relative, isAbsolute, join } from 'node:path';
import { KUBELET_CONFIG_API_VERSION, KUBELET_CONFIG_KIND, validateKubeletConfiguration } from '../api/kubeletConfig.ts';
import { parseLoadSpec } from '../load/index.ts';
import type { KObject } from '../sim/types.ts';
import { validateImageConfig } from '../kubelet/images.ts';
import { kubeletConfigWarnings } from '../kubelet/configFields.ts';
import { SCHEDULER_CONFIG_API_VERSION, validateSchedulerConfigurationShape } from '../api/schema/index.ts';
import { checkDocument } from './manifests.ts';
import { crossCheck } from './checks.ts';
import { notModelledWarnings } from './notModelled.ts';
import { expandNodeGroups } from './nodes.ts';
import { parseTimeline, parseAt } from './timeline.ts';
import { parseExpectations } from './expect.ts';
import { parseRFC3339 } from './rfc3339.ts';
import { ScenarioError } from './problems.ts';
import { childOrigin, Reporter } from './report.ts';
import { isPlainObject, ShapeChecker, type Plain } from './shape.ts';
import { parseYamlFile, type SourceDocument } from './source.ts';
import { DEFAULT_START_TIME, SCENARIO_API_VERSION, type LoadedObject, type LoadedScenario, type Origin, type ScenarioConfig, type TimelineAction, type Expectation } from './types.ts';
import { formatDuration, parseDuration } from '../api/duration.ts';
import { DEFAULT_LIMITS } from '../sim/simulation.ts';
import { KUBERNETES_VERSION, normalizeEmulatedVersion, settingProblem } from '../api/featureGates.ts';
import { parseNodeLifecycleConfig } from '../controllers/nodelifecycle/config.ts';
import { parsePodGCConfig } from '../controllers/podgc/podGCController.ts';

export interface LoadInput {
  /** The name used in messages (as given on the command line). */
  file: string;
  text: string;
}

export interface LoadOptions {
  /** Reads an input or included file; defaults to the file system (UTF-8). */
  readFile?: (path: string) => string;
}

function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** "no such file or directory" for ENOENT and friends, like Go's os.PathError text. */
function fsErrorText(e: unknown): string {
  if (e instanceof InputError) return e.message;
  const code = (e as { code?: unknown } | null)?.code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'EACCES') return 'permission denied';
  return errText(e);
}

/** Reads files within the per-file and total input limits, as UTF-8 text. */
function boundedReader(): (p: string) => string {
  let total = 0;
  return (p) => {
    const remaining = MAX_INPUT_TOTAL_BYTES - total;
    const text =
      remaining < MAX_INPUT_FILE_BYTES
        ? readInputFile(p, remaining, `what is left of ksim's input limit of ${MAX_INPUT_TOTAL_BYTES / (1024 * 1024)} MiB for all files together`)
        : readInputFile(p);
    // Characters, not bytes, but close enough for a limit whose purpose is to stop runaway input.
    total += text.length;
    return text;
  };
}

/** Load scenario files from disk (or through opts.readFile). */
export function loadScenario(files: string | string[], opts: LoadOptions = {}): LoadedScenario {
  const read = opts.readFile ?? boundedReader();
  const list = Array.isArray(files) ? files : [files];
  const inputs: Array<LoadInput | { file: string; error: string }> = list.map((file) => {
    try {
      return { file, text: read(file) };
    } catch (e) {
      // "x.yaml: is not UTF-8 text ..." reads as a sentence; an OS error keeps "cannot read file:".
      return { file, error: e instanceof InputError ? `the file ${e.message}` : `cannot read file: ${fsErrorText(e)}` };
    }
  });
  return loadInputs(inputs, read);
}

/** Load from text already in memory; includes are read through opts.readFile. */
export function loadScenarioFromText(inputs: LoadInput[], opts: LoadOptions = {}): LoadedScenario {
  return loadInputs(inputs, opts.readFile ?? boundedReader());
}

function loadInputs(inputs: Array<LoadInput | { file: string; error: string }>, read: (p: string) => string): LoadedScenario {
  try {
    return loadUnsafe(inputs, read);
  } catch (e) {
    if (e instanceof ScenarioError) throw e;
    // A bug in ksim is not the user's input being wrong: it must not look like a
    // problem with their file (exit 2); the CLI reports it as an internal error (exit 70).
    throw new Error(`while loading ${inputs.map((i) => i.file).join(', ')}: ${errText(e)}`, { cause: e });
  }
}

/**
 * Append every item: `into.push(...items)` passes each item as a call argument
 * and overflows the stack for arrays of a few hundred thousand (a 150,000-pod include).
 */
function pushAll<T>(into: T[], items: readonly T[]): void {
  for (const item of items) into.push(item);
}

const SCENARIO_FIELDS = ['apiVersion', 'kind', 'metadata', 'spec'];
const SPEC_FIELDS = ['seed', 'until', 'startTime', 'config', 'nodes', 'objects', 'include', 'timeline', 'load', 'expect'];
const METADATA_FIELDS = ['name', 'labels', 'annotations'];
const CONFIG_FIELDS = ['scheduler', 'kubelet', 'controllers', 'apiServer', 'images', 'metricsServer', 'featureGates', 'emulatedVersion'];
const API_SERVER_FIELDS = ['eventTTL'];
/** spec.config.controllers sections, one per controller that takes settings (kube-controller-manager flags in camelCase). */
const CONTROLLER_SECTIONS = ['nodeLifecycle', 'podGC', 'horizontalPodAutoscaler', 'volume'];

interface ScenarioDoc {
  doc: SourceDocument;
  value: Plain;
}

function loadUnsafe(inputs: Array<LoadInput | { file: string; error: string }>, read: (p: string) => string): LoadedScenario {
  const rep = new Reporter();
  const plainObjects: LoadedObject[] = [];
  const componentDocs: ComponentDoc[] = [];
  let scenario: ScenarioDoc | undefined;
  for (const input of inputs) {
    if ('error' in input) {
      rep.problems.push({ file: input.file, message: input.error });
      continue;
    }
    const docs = parseYamlFile(input.file, input.text, rep.problems);
    for (const doc of docs) {
      if (doc.value === null) continue;
      const origin: Origin = { file: doc.file, document: doc.index, basePath: '', source: doc.source };
      const v = doc.value;
      if (isPlainObject(v) && v['kind'] === 'Scenario' && typeof v['apiVersion'] === 'string' && v['apiVersion'].startsWith('ksim.dev/')) {
        if (scenario) {
          rep.add(origin, '', `only one Scenario document is allowed (the first is in ${scenario.doc.file}, document ${scenario.doc.index})`);
        } else {
          scenario = { doc, value: v };
        }
        continue;
      }
      const component = componentConfigOf(v);
      if (component && isPlainObject(v)) {
        componentDocs.push({ component, value: v, origin });
        continue;
      }
      pushAll(plainObjects, checkDocument(v, origin, rep, `${doc.file}, document ${doc.index}`, doc.aliasFree));
    }
  }

  const firstFile = inputs[0]?.file ?? 'scenario';
  const result: LoadedScenario = {
    name: basename(firstFile, extname(firstFile)),
    files: inputs.map((i) => i.file),
    hasScenarioDocument: scenario !== undefined,
    startTime: DEFAULT_START_TIME,
    config: {},
    objects: [],
    timeline: [],
    expectations: [],
    load: [],
    warnings: rep.warnings,
  };
  let scenarioObjects: LoadedObject[] = [];
  const external = componentConfigs(componentDocs, rep);
  if (scenario) scenarioObjects = parseScenario(scenario, result, rep, read, external);
  mergeComponentConfigs(result, external, rep);
  const objects = [...plainObjects, ...scenarioObjects];
  if (objects.length > DEFAULT_LIMITS.maxObjects) {
    rep.problems.push({ file: inputs[0]?.file ?? '<input>', message: `the input has ${objects.length} objects, more than the ${DEFAULT_LIMITS.maxObjects} a simulation may hold` });
  }
  crossCheck(objects, result.timeline, rep);
  // What ksim stores but does not act on is said once, never silently ignored.
  const applied = result.timeline.flatMap((a) => (a.type === 'apply' ? a.objects : []));
  for (const w of notModelledWarnings([...objects, ...applied], result.config)) rep.warn(w);
  for (const w of loadTargetWarnings(result, objects)) rep.warn(w);
  if (result.until !== undefined) {
    for (const a of result.timeline) {
      if (a.at > result.until) rep.warn(`${a.origin.file}: spec.timeline[${a.index}] at ${a.atText} is after spec.until (${formatDuration(result.until)}) and will not run`);
    }
  }
  if (rep.problems.length > 0) throw new ScenarioError(rep.problems);
  result.objects = objects;
  return result;
}

/** A spec.load entry naming a workload the scenario never creates applies to no pod: say so. */
function loadTargetWarnings(result: LoadedScenario, objects: LoadedObject[]): string[] {
  const spec = result.config.load;
  if (!spec || spec.pods.length === 0) return [];
  const present = new Map<string, KObject>();
  const add = (o: KObject): void => void present.set(`${o.kind}/${o.metadata?.namespace || 'default'}/${o.metadata?.name}`, o);
  for (const lo of objects) add(lo.object);
  for (const a of result.timeline) if (a.type === 'apply') for (const lo of a.objects) add(lo.object);
  const file = result.files[0] ?? '<input>';
  const out: string[] = [];
  for (const e of spec.pods) {
    const w = e.workload;
    const obj = w ? present.get(`${w.kind}/${w.namespace}/${w.name}`) : undefined;
    if (w && !obj) {
      out.push(`${file}: spec.load[${e.index}].workload: the scenario creates no ${w.kind} ${w.namespace}/${w.name}; the entry drives no pods unless one is created`);
    }
    // Containers the workload's pods do not have get no usage.
    const template = (obj as { spec?: { template?: { spec?: { containers?: Array<{ name?: string }> } } } } | undefined)?.spec?.template?.spec;
    if (template && e.containers) {
      const names = new Set((template.containers ?? []).map((c) => c.name));
      e.containers.forEach((c, i) => {
        if (!names.has(c)) out.push(`${file}: spec.load[${e.index}].containers[${i}]: ${w!.kind} ${w!.namespace}/${w!.name} has no container ${JSON.stringify(c)}; it gets no usage`);
      });
    }
  }
  return out;
}

/**
 * spec.config.emulatedVersion and spec.config.featureGates, validated as
 * kube-apiserver's --emulated-version and --feature-gates are at start-up.
 */
function checkVersionConfig(c: Plain, config: ScenarioConfig, ck: ShapeChecker): void {
  let version: string | undefined;
  if (c['emulatedVersion'] !== undefined) {
    // A YAML 1.33 is a number; a release is text ("1.30" would read back as 1.3).
    const raw = c['emulatedVersion'];
    const text = typeof raw === 'number' ? undefined : ck.string(raw, 'spec.config.emulatedVersion');
    if (typeof raw === 'number') ck.errors.push({ path: 'spec.config.emulatedVersion', type: 'Invalid', value: raw, detail: `must be a string, e.g. "${KUBERNETES_VERSION}" (quoted: an unquoted 1.30 is the number 1.3)` });
    if (text !== undefined) {
      try {
        version = normalizeEmulatedVersion(text);
        config.emulatedVersion = version;
      } catch (e) {
        ck.errors.push({ path: 'spec.config.emulatedVersion', type: 'Invalid', value: text, detail: e instanceof Error ? e.message : String(e) });
      }
    }
  }
  if (c['featureGates'] !== undefined) {
    const m = ck.mapping(c['featureGates'], 'spec.config.featureGates');
    if (!m) return;
    const settings: Record<string, boolean> = {};
    for (const [name, value] of Object.entries(m)) {
      const path = `spec.config.featureGates.${name}`;
      if (typeof value !== 'boolean') {
        ck.errors.push({ path, type: 'TypeInvalid', value, detail: `expected boolean, got ${typeof value}` });
        continue;
      }
      const problem = settingProblem(name, value, version ?? KUBERNETES_VERSION);
      if (problem) ck.errors.push({ path, type: 'Invalid', value, detail: problem });
      else settings[name] = value;
    }
    config.featureGates = settings;
  }
}

/** The component a configuration document configures, by its apiVersion and kind. */
function componentConfigOf(v: unknown): 'scheduler' | 'kubelet' | undefined {
  if (!isPlainObject(v)) return undefined;
  if (v['apiVersion'] === SCHEDULER_CONFIG_API_VERSION && v['kind'] === 'KubeSchedulerConfiguration') return 'scheduler';
  if (v['apiVersion'] === KUBELET_CONFIG_API_VERSION && v['kind'] === KUBELET_CONFIG_KIND) return 'kubelet';
  return undefined;
}

interface ComponentDoc {
  component: 'scheduler' | 'kubelet';
  value: Plain;
  origin: Origin;
}

/** Configuration given as documents of their own (as kube-scheduler --config and kubelet --config read them). */
interface ExternalConfigs {
  scheduler?: ComponentDoc;
  kubelet?: ComponentDoc;
}

function componentConfigs(docs: ComponentDoc[], rep: Reporter): ExternalConfigs {
  const out: ExternalConfigs = {};
  for (const d of docs) {
    const first = out[d.component];
    const kind = d.component === 'scheduler' ? 'KubeSchedulerConfiguration' : KUBELET_CONFIG_KIND;
    const here: Origin = { ...d.origin, object: kind };
    if (first) {
      rep.add(here, '', `only one ${kind} is allowed (the first is in ${first.origin.file}, document ${first.origin.document})`);
      continue;
    }
    const errs = d.component === 'scheduler' ? validateSchedulerConfigurationShape(d.value, '') : validateKubeletConfiguration(d.value, '');
    if (errs.length > 0) {
      rep.fields(here, errs);
      continue;
    }
    out[d.component] = { ...d, origin: here };
  }
  return out;
}

/** Documents of their own apply as spec.config would; both at once is ambiguous. */
function mergeComponentConfigs(result: LoadedScenario, external: ExternalConfigs, rep: Reporter): void {
  for (const component of ['scheduler', 'kubelet'] as const) {
    const d = external[component];
    if (!d) continue;
    if (result.config[component] !== undefined && result.config[component] !== d.value) {
      rep.add(d.origin, '', `the scenario's spec.config.${component} is given too; use one of them`);
      continue;
    }
    result.config[component] = d.value;
    if (!result.configOrigin) result.configOrigin = d.origin;
  }
}

function parseScenario(sd: ScenarioDoc, result: LoadedScenario, rep: Reporter, read: (p: string) => string, external: ExternalConfigs = {}): LoadedObject[] {
  const v = sd.value;
  const ck = new ShapeChecker();
  const meta = isPlainObject(v['metadata']) ? v['metadata'] : undefined;
  const name = meta && typeof meta['name'] === 'string' && meta['name'] !== '' ? meta['name'] : undefined;
  const origin: Origin = { file: sd.doc.file, document: sd.doc.index, object: `Scenario ${name ?? result.name}`, basePath: '', source: sd.doc.source };
  if (name) result.name = name;
  ck.object(v, '', SCENARIO_FIELDS, ['spec']);
  if (v['apiVersion'] !== SCENARIO_API_VERSION) {
    ck.errors.push({ path: 'apiVersion', type: 'NotSupported', value: v['apiVersion'], detail: `supported values: "${SCENARIO_API_VERSION}"` });
  }
  if (v['metadata'] !== undefined) {
    const m = ck.object(v['metadata'], 'metadata', METADATA_FIELDS);
    if (m) {
      if (m['name'] !== undefined) ck.string(m['name'], 'metadata.name');
      if (m['labels'] !== undefined) ck.stringMap(m['labels'], 'metadata.labels');
      if (m['annotations'] !== undefined) ck.stringMap(m['annotations'], 'metadata.annotations');
    }
  }
  const objects: LoadedObject[] = [];
  const spec = v['spec'] === undefined ? undefined : ck.object(v['spec'], 'spec', SPEC_FIELDS);
  if (!spec) {
    rep.fields(origin, ck.errors);
    return objects;
  }
  if (spec['seed'] !== undefined) {
    const seed = ck.int(spec['seed'], 'spec.seed', 0);
    if (seed !== undefined) result.seed = seed;
  }
  if (spec['until'] !== undefined) {
    const until = parseAt(ck, spec['until'], 'spec.until');
    if (until !== undefined) result.until = until;
  }
  if (spec['startTime'] !== undefined) {
    const st = ck.string(spec['startTime'], 'spec.startTime');
    if (st !== undefined) {
      if (parseRFC3339(st) === undefined) ck.errors.push({ path: 'spec.startTime', type: 'Invalid', value: st, detail: 'must be an RFC 3339 timestamp such as "2025-01-01T00:00:00Z"' });
      else result.startTime = st;
    }
  }
  // A KubeletConfiguration document of its own sizes node groups as spec.config.kubelet does.
  let kubelet: unknown = spec['config'] === undefined || !isPlainObject(spec['config']) || spec['config']['kubelet'] === undefined ? external.kubelet?.value : undefined;
  if (spec['config'] !== undefined) {
    const c = ck.object(spec['config'], 'spec.config', CONFIG_FIELDS);
    if (c) {
      const config: ScenarioConfig = {};
      if (c['scheduler'] !== undefined && ck.mapping(c['scheduler'], 'spec.config.scheduler')) {
        // Structure only (unknown fields, types); the scheduler validates the values when it starts.
        const sErrs = validateSchedulerConfigurationShape(c['scheduler'], 'spec.config.scheduler');
        pushAll(ck.errors, sErrs);
        if (sErrs.length === 0) config.scheduler = c['scheduler'];
      }
      if (c['kubelet'] !== undefined) {
        const kErrs = validateKubeletConfiguration(c['kubelet'], 'spec.config.kubelet');
        pushAll(ck.errors, kErrs);
        if (kErrs.length === 0) {
          config.kubelet = c['kubelet'];
          kubelet = c['kubelet'];
          for (const w of kubeletConfigWarnings(c['kubelet'], 'spec.config.kubelet')) rep.warn(`${origin.file}: ${w}`);
        }
      }
      if (c['apiServer'] !== undefined) {
        const api = ck.object(c['apiServer'], 'spec.config.apiServer', API_SERVER_FIELDS);
        const ttl = api && api['eventTTL'] !== undefined ? ck.string(api['eventTTL'], 'spec.config.apiServer.eventTTL') : undefined;
        if (ttl !== undefined) {
          try {
            const ms = parseDuration(ttl);
            if (ms <= 0) ck.errors.push({ path: 'spec.config.apiServer.eventTTL', type: 'Invalid', value: ttl, detail: 'must be a positive duration, as kube-apiserver --event-ttl' });
            else config.apiServer = { eventTTL: ms };
          } catch (e) {
            ck.errors.push({ path: 'spec.config.apiServer.eventTTL', type: 'Invalid', value: ttl, detail: e instanceof Error ? e.message : String(e) });
          }
        }
      }
      if (c['controllers'] !== undefined) {
        // Only sections some controller reads: a typo (`nodeLifecylce`) must not pass as silence.
        const ctl = ck.object(c['controllers'], 'spec.config.controllers', CONTROLLER_SECTIONS);
        if (ctl) {
          // Values of the node health controllers' settings are checked here, so `ksim validate` reports them too.
          pushAll(ck.errors, parseNodeLifecycleConfig(ctl['nodeLifecycle']).errors);
          pushAll(ck.errors, parsePodGCConfig(ctl['podGC']).errors);
          config.controllers = ctl;
        }
      }
      if (c['images'] !== undefined) {
        const iErrs = validateImageConfig(c['images'], 'spec.config.images');
        pushAll(ck.errors, iErrs);
        if (iErrs.length === 0) config.images = c['images'] as ScenarioConfig['images'];
      }
      if (c['metricsServer'] !== undefined) {
        const ms = ck.object(c['metricsServer'], 'spec.config.metricsServer', ['metricResolution']);
        const res = ms && ms['metricResolution'] !== undefined ? ck.string(ms['metricResolution'], 'spec.config.metricsServer.metricResolution') : undefined;
        if (res !== undefined) {
          let ok = false;
          try {
            ok = parseDuration(res) > 0;
          } catch {
            ok = false;
          }
          if (ok) config.metricsServer = { metricResolution: res };
          else ck.errors.push({ path: 'spec.config.metricsServer.metricResolution', type: 'Invalid', value: res, detail: 'must be a positive duration such as "15s", as metrics-server --metric-resolution' });
        }
      }
      checkVersionConfig(c, config, ck);
      result.config = config;
      result.configOrigin = origin;
    }
  }
  const list = (field: string): unknown[] => {
    if (spec[field] === undefined || spec[field] === null) return [];
    return ck.list(spec[field], `spec.${field}`) ?? [];
  };
  const nodeGroups = list('nodes');
  const inline = list('objects');
  const includes = list('include');
  const timeline = list('timeline');
  const load = list('load');
  const expect = list('expect');
  // The raw entries are kept for tools; parseLoadSpec reports entries that are not objects.
  for (const l of load) if (isPlainObject(l)) result.load.push(l);
  if (load.length > 0) {
    // Load models (src/load); trace files are read relative to the scenario file.
    const base = dirname(sd.doc.file);
    const parsed = parseLoadSpec(load, 'spec.load', { readFile: (f) => read(isAbsolute(f) ? f : join(base, f)) });
    pushAll(ck.errors, parsed.errors);
    result.config = { ...result.config, load: parsed.spec };
  }
  rep.fields(origin, ck.errors);

  pushAll(objects, expandNodeGroups(nodeGroups, kubelet, origin, rep));
  inline.forEach((m, i) => {
    const path = `spec.objects[${i}]`;
    pushAll(objects, checkDocument(m, childOrigin(origin, path), rep, `${sd.doc.file}, document ${sd.doc.index}, ${path}`, sd.doc.aliasFree));
  });
  pushAll(objects, loadIncludes(includes, sd.doc.file, origin, rep, read));
  result.timeline = parseTimeline(timeline, origin, rep, sd.doc.file) as TimelineAction[];
  result.expectations = parseExpectations(expect, origin, rep) as Expectation[];
  return objects;
}

/** Display name of an included file: relative to the working directory when the scenario's was. */
function includeName(scenarioFile: string, rel: string): string {
  return isAbsolute(rel) ? rel : join(dirname(scenarioFile), rel);
}

function loadIncludes(includes: unknown[], scenarioFile: string, origin: Origin, rep: Reporter, read: (p: string) => string): LoadedObject[] {
  const out: LoadedObject[] = [];
  const seen = new Map<string, number>();
  includes.forEach((inc, i) => {
    const path = `spec.include[${i}]`;
    if (typeof inc !== 'string' || inc === '') {
      rep.add(origin, path, typeof inc === 'string' ? 'Required value: a file path' : `Invalid value: expected a file path (string), got ${Array.isArray(inc) ? 'array' : typeof inc}`);
      return;
    }
    const file = includeName(scenarioFile, inc);
    const abs = resolve(file);
    const prev = seen.get(abs);
    if (prev !== undefined) {
      rep.add(origin, path, `Duplicate value: ${JSON.stringify(inc)}: already included at spec.include[${prev}]`);
      return;
    }
    seen.set(abs, i);
    let text: string;
    try {
      text = read(file);
    } catch (e) {
      if (e instanceof InputError) rep.add(origin, path, `Invalid value: ${JSON.stringify(inc)}: ${relative('.', abs) || abs} ${e.message}`);
      else rep.add(origin, path, `Not found: ${JSON.stringify(inc)}: open ${relative('.', abs) || abs}: ${fsErrorText(e)}`);
      return;
    }
    for (const doc of parseYamlFile(file, text, rep.problems)) {
      if (doc.value === null) continue;
      const docOrigin: Origin = { file, document: doc.index, basePath: '', source: doc.source };
      const v = doc.value;
      if (isPlainObject(v) && v['kind'] === 'Scenario' && typeof v['apiVersion'] === 'string' && v['apiVersion'].startsWith('ksim.dev/')) {
        rep.add(docOrigin, '', `an included file may not contain a Scenario document (included from ${scenarioFile}, ${path})`);
        continue;
      }
      pushAll(out, checkDocument(v, docOrigin, rep, `${file}, document ${doc.index}`, doc.aliasFree));
    }
  });
  return out;
}
