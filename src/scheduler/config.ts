/**
 * KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1) reading,
 * defaulting and validation, following kube-scheduler v1.35 (the defaults
 * and the default plugin set unchanged since v1.31 for the plugins ksim models):
 *   pkg/scheduler/apis/config/v1/defaults.go (SetDefaults_*),
 *   pkg/scheduler/apis/config/v1/default_plugins.go (getDefaultPlugins, mergePluginSet),
 *   pkg/scheduler/apis/config/validation/validation.go and validation_pluginargs.go.
 *
 * Not modelled: VolumeRestrictions and the deprecated in-tree volume-limit
 * plugins (EBSLimits, GCEPDLimits, AzureDiskLimits) are left out of the
 * default set; leader election, client connection and extenders are ignored;
 * `parallelism` is accepted and validated but has no effect (ksim is
 * single-threaded and deterministic).
 */
import { FieldErrorList, type FieldError } from '../api/errors.ts';
import type { ExtensionPoint } from './framework/types.ts';

export const DefaultSchedulerName = 'default-scheduler';
export const ConfigAPIVersion = 'kubescheduler.config.k8s.io/v1';

export interface PluginRef {
  name: string;
  /** Only meaningful for score plugins; undefined/0 become 1 in the framework (upstream getScoreWeights). */
  weight?: number;
}

export interface PluginSet {
  enabled: PluginRef[];
  disabled: PluginRef[];
}

/** Extension points in upstream's Plugins struct, multiPoint first. */
export const ExtensionPoints: readonly ExtensionPoint[] = [
  'multiPoint',
  'preEnqueue',
  'queueSort',
  'preFilter',
  'filter',
  'postFilter',
  'preScore',
  'score',
  'reserve',
  'permit',
  'preBind',
  'bind',
  'postBind',
];

export type Plugins = Record<ExtensionPoint, PluginSet>;

export interface PluginConfig {
  name: string;
  args: Record<string, unknown>;
}

export interface ProfileConfig {
  schedulerName: string;
  percentageOfNodesToScore?: number;
  plugins: Plugins;
  pluginConfig: PluginConfig[];
}

export interface SchedulerConfiguration {
  apiVersion: string;
  kind: 'KubeSchedulerConfiguration';
  parallelism: number;
  /** 0 means adaptive (upstream DefaultPercentageOfNodesToScore). */
  percentageOfNodesToScore: number;
  podInitialBackoffSeconds: number;
  podMaxBackoffSeconds: number;
  profiles: ProfileConfig[];
}

/**
 * upstream getDefaultPlugins (v1.35), minus the plugins ksim does not model
 * (DynamicResources, enabled by default with DRA since v1.34; the alpha
 * GangScheduling and NodeDeclaredFeatures of v1.35).
 */
export function defaultMultiPoint(): PluginRef[] {
  return [
    { name: 'SchedulingGates' },
    { name: 'PrioritySort' },
    { name: 'NodeUnschedulable' },
    { name: 'NodeName' },
    { name: 'TaintToleration', weight: 3 },
    { name: 'NodeAffinity', weight: 2 },
    { name: 'NodePorts' },
    { name: 'NodeResourcesFit', weight: 1 },
    // VolumeRestrictions: not modelled (no volume attach semantics in ksim).
    // EBSLimits, GCEPDLimits, AzureDiskLimits: deprecated in-tree cloud limits, not modelled.
    { name: 'NodeVolumeLimits' },
    { name: 'VolumeBinding' },
    { name: 'VolumeZone' },
    { name: 'PodTopologySpread', weight: 2 },
    { name: 'InterPodAffinity', weight: 2 },
    { name: 'DefaultPreemption' },
    { name: 'NodeResourcesBalancedAllocation', weight: 1 },
    { name: 'ImageLocality', weight: 1 },
    { name: 'DefaultBinder' },
  ];
}

/** Plugins removed from the v1 API: naming them is a validation error (upstream invalidPluginsByVersion). */
const invalidV1Plugins = new Set(['AzureDiskLimits', 'CinderLimits', 'EBSLimits', 'GCEPDLimits']);

function emptyPlugins(): Plugins {
  const p = {} as Plugins;
  for (const e of ExtensionPoints) p[e] = { enabled: [], disabled: [] };
  return p;
}

/** upstream mergePluginSet: defaults minus disabled ("*" = all), custom ones replace defaults in place, others appended. */
export function mergePluginSet(defaults: PluginSet, custom: PluginSet): PluginSet {
  const disabled: PluginRef[] = [];
  const disabledNames = new Set<string>();
  for (const d of custom.disabled) {
    disabled.push({ name: d.name });
    disabledNames.add(d.name);
  }
  for (const d of defaults.disabled) {
    disabled.push({ name: d.name });
    disabledNames.add(d.name);
  }
  const customByName = new Map<string, { index: number; plugin: PluginRef }>();
  custom.enabled.forEach((p, index) => customByName.set(p.name, { index, plugin: p }));
  const replaced = new Set<number>();
  const enabled: PluginRef[] = [];
  if (!disabledNames.has('*')) {
    for (const d of defaults.enabled) {
      if (disabledNames.has(d.name)) continue;
      const c = customByName.get(d.name);
      if (c) {
        enabled.push(c.plugin);
        replaced.add(c.index);
      } else {
        enabled.push(d);
      }
    }
  }
  custom.enabled.forEach((p, i) => {
    if (!replaced.has(i)) enabled.push(p);
  });
  return { enabled, disabled };
}

// ---------------------------------------------------------------------------
// Plugin args defaulting (upstream SetDefaults_<Name>Args)
// ---------------------------------------------------------------------------

const defaultResourceSpec = (): Array<{ name: string; weight: number }> => [
  { name: 'cpu', weight: 1 },
  { name: 'memory', weight: 1 },
];

type ArgsDefaulter = (args: Record<string, unknown>) => void;

function asRecordArray(v: unknown): Record<string, unknown>[] | undefined {
  return Array.isArray(v) ? (v.filter((x) => typeof x === 'object' && x !== null) as Record<string, unknown>[]) : undefined;
}

/** Kinds of args known in-tree (upstream's <Name>Args types); plugins without one get no pluginConfig entry. */
export const argsDefaulters: Record<string, ArgsDefaulter> = {
  DefaultPreemption(a) {
    a['minCandidateNodesPercentage'] ??= 10;
    a['minCandidateNodesAbsolute'] ??= 100;
  },
  InterPodAffinity(a) {
    a['hardPodAffinityWeight'] ??= 1;
  },
  NodeAffinity() {
    // addedAffinity has no default.
  },
  NodeResourcesBalancedAllocation(a) {
    const rs = asRecordArray(a['resources']);
    if (!rs || rs.length === 0) {
      a['resources'] = defaultResourceSpec();
      return;
    }
    for (const r of rs) if (!r['weight']) r['weight'] = 1;
  },
  NodeResourcesFit(a) {
    let s = a['scoringStrategy'] as Record<string, unknown> | undefined;
    if (s === undefined || s === null || typeof s !== 'object') {
      s = { type: 'LeastAllocated', resources: defaultResourceSpec() };
      a['scoringStrategy'] = s;
    }
    const rs = asRecordArray(s['resources']);
    if (!rs || rs.length === 0) s['resources'] = defaultResourceSpec();
    else for (const r of rs) if (!r['weight']) r['weight'] = 1;
  },
  PodTopologySpread(a) {
    if (!a['defaultingType']) a['defaultingType'] = 'System';
  },
  VolumeBinding(a) {
    a['bindTimeoutSeconds'] ??= 600;
  },
};

// ---------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

class Reader {
  errs: FieldError[] = [];
  int(v: unknown, path: string, bits: 32 | 64 = 32): number | undefined {
    if (v === undefined || v === null) return undefined;
    const max = bits === 32 ? 2147483647 : Number.MAX_SAFE_INTEGER;
    if (typeof v !== 'number' || !Number.isInteger(v) || v > max || v < -max - 1) {
      this.errs.push({ path, type: 'TypeInvalid', value: v, detail: `must be an int${bits}` });
      return undefined;
    }
    return v;
  }
  str(v: unknown, path: string): string | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') {
      this.errs.push({ path, type: 'TypeInvalid', value: v, detail: 'must be a string' });
      return undefined;
    }
    return v;
  }
  pluginList(v: unknown, path: string): PluginRef[] {
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) {
      this.errs.push({ path, type: 'TypeInvalid', value: v, detail: 'must be a list' });
      return [];
    }
    const out: PluginRef[] = [];
    v.forEach((item, i) => {
      const p = `${path}[${i}]`;
      if (!isObj(item)) {
        this.errs.push({ path: p, type: 'TypeInvalid', value: item, detail: 'must be an object' });
        return;
      }
      const name = this.str(item['name'], `${p}.name`);
      if (!name) {
        if (item['name'] === undefined) this.errs.push({ path: `${p}.name`, type: 'Required', detail: '' });
        return;
      }
      const weight = this.int(item['weight'], `${p}.weight`);
      out.push(weight === undefined ? { name } : { name, weight });
    });
    return out;
  }
  plugins(v: unknown, path: string): Plugins {
    const out = emptyPlugins();
    if (v === undefined || v === null) return out;
    if (!isObj(v)) {
      this.errs.push({ path, type: 'TypeInvalid', value: v, detail: 'must be an object' });
      return out;
    }
    for (const key of Object.keys(v)) {
      if (!(ExtensionPoints as readonly string[]).includes(key)) {
        this.errs.push({ path: `${path}.${key}`, type: 'FieldValueUnknown', detail: `unknown field "${key}"` });
        continue;
      }
      const set = v[key];
      if (set === undefined || set === null) continue;
      if (!isObj(set)) {
        this.errs.push({ path: `${path}.${key}`, type: 'TypeInvalid', value: set, detail: 'must be an object' });
        continue;
      }
      out[key as ExtensionPoint] = {
        enabled: this.pluginList(set['enabled'], `${path}.${key}.enabled`),
        disabled: this.pluginList(set['disabled'], `${path}.${key}.disabled`),
      };
    }
    return out;
  }
}

/** A deep copy of plain data (args are user input; defaulting must not mutate the caller's object). */
function copyData<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

/**
 * Read, default and validate a KubeSchedulerConfiguration. `undefined` gives
 * the upstream default configuration. Throws FieldErrorList on any problem.
 */
export function loadSchedulerConfig(raw: unknown): SchedulerConfiguration {
  const r = new Reader();
  const src: Record<string, unknown> = raw === undefined || raw === null ? {} : isObj(raw) ? raw : {};
  if (raw !== undefined && raw !== null && !isObj(raw)) r.errs.push({ path: '', type: 'TypeInvalid', value: raw, detail: 'must be an object' });
  const apiVersion = r.str(src['apiVersion'], 'apiVersion') ?? ConfigAPIVersion;
  if (apiVersion !== ConfigAPIVersion) {
    r.errs.push({ path: 'apiVersion', type: 'NotSupported', value: apiVersion, detail: `supported values: "${ConfigAPIVersion}"` });
  }
  const kind = r.str(src['kind'], 'kind');
  if (kind !== undefined && kind !== 'KubeSchedulerConfiguration') {
    r.errs.push({ path: 'kind', type: 'NotSupported', value: kind, detail: 'supported values: "KubeSchedulerConfiguration"' });
  }
  const parallelism = r.int(src['parallelism'], 'parallelism') ?? 16;
  const percentageOfNodesToScore = r.int(src['percentageOfNodesToScore'], 'percentageOfNodesToScore');
  const podInitialBackoffSeconds = r.int(src['podInitialBackoffSeconds'], 'podInitialBackoffSeconds', 64) ?? 1;
  const podMaxBackoffSeconds = r.int(src['podMaxBackoffSeconds'], 'podMaxBackoffSeconds', 64) ?? 10;

  let rawProfiles: unknown[] = [];
  if (src['profiles'] !== undefined && src['profiles'] !== null) {
    if (Array.isArray(src['profiles'])) rawProfiles = src['profiles'];
    else r.errs.push({ path: 'profiles', type: 'TypeInvalid', value: src['profiles'], detail: 'must be a list' });
  }
  // upstream: no profiles -> one empty profile; a single profile without a name is the default scheduler.
  if (rawProfiles.length === 0) rawProfiles = [{}];
  const profiles: ProfileConfig[] = [];
  rawProfiles.forEach((rp, i) => {
    const path = `profiles[${i}]`;
    const p = isObj(rp) ? rp : {};
    if (!isObj(rp)) r.errs.push({ path, type: 'TypeInvalid', value: rp, detail: 'must be an object' });
    let schedulerName = r.str(p['schedulerName'], `${path}.schedulerName`);
    if (schedulerName === undefined && rawProfiles.length === 1) schedulerName = DefaultSchedulerName;
    const custom = r.plugins(p['plugins'], `${path}.plugins`);
    const defaults = emptyPlugins();
    defaults.multiPoint.enabled = defaultMultiPoint();
    const plugins = emptyPlugins();
    for (const e of ExtensionPoints) plugins[e] = mergePluginSet(defaults[e], custom[e]);

    const pluginConfig: PluginConfig[] = [];
    const rawPC = p['pluginConfig'];
    if (rawPC !== undefined && rawPC !== null) {
      if (!Array.isArray(rawPC)) r.errs.push({ path: `${path}.pluginConfig`, type: 'TypeInvalid', value: rawPC, detail: 'must be a list' });
      else
        rawPC.forEach((pc, j) => {
          const pcPath = `${path}.pluginConfig[${j}]`;
          if (!isObj(pc)) {
            r.errs.push({ path: pcPath, type: 'TypeInvalid', value: pc, detail: 'must be an object' });
            return;
          }
          const name = r.str(pc['name'], `${pcPath}.name`) ?? '';
          const args = pc['args'] === undefined || pc['args'] === null ? {} : pc['args'];
          if (!isObj(args)) {
            r.errs.push({ path: `${pcPath}.args`, type: 'TypeInvalid', value: args, detail: 'must be an object' });
            return;
          }
          const copy = copyData(args);
          delete copy['apiVersion'];
          delete copy['kind'];
          argsDefaulters[name]?.(copy);
          pluginConfig.push({ name, args: copy });
        });
    }
    // upstream: append defaulted args for every enabled plugin that has an args type and no explicit config.
    const existing = new Set(pluginConfig.map((c) => c.name));
    const names = new Set<string>();
    for (const e of ExtensionPoints) for (const pl of plugins[e].enabled) names.add(pl.name);
    for (const name of [...names].sort()) {
      if (existing.has(name) || !argsDefaulters[name]) continue;
      const args: Record<string, unknown> = {};
      argsDefaulters[name]!(args);
      pluginConfig.push({ name, args });
    }
    const pct = r.int(p['percentageOfNodesToScore'], `${path}.percentageOfNodesToScore`);
    profiles.push({
      schedulerName: schedulerName ?? '',
      ...(pct !== undefined ? { percentageOfNodesToScore: pct } : {}),
      plugins,
      pluginConfig,
    });
  });

  const cfg: SchedulerConfiguration = {
    apiVersion,
    kind: 'KubeSchedulerConfiguration',
    parallelism,
    percentageOfNodesToScore: percentageOfNodesToScore ?? 0,
    podInitialBackoffSeconds,
    podMaxBackoffSeconds,
    profiles,
  };
  const errs = [...r.errs, ...validateSchedulerConfig(cfg, src)];
  if (errs.length > 0) throw new FieldErrorList(errs);
  return cfg;
}

// ---------------------------------------------------------------------------
// Validation (upstream ValidateKubeSchedulerConfiguration)
// ---------------------------------------------------------------------------

function validatePercentage(path: string, v: number | undefined): FieldError[] {
  if (v !== undefined && (v < 0 || v > 100)) return [{ path, type: 'Invalid', value: v, detail: 'not in valid range [0-100]' }];
  return [];
}

function num(v: unknown): number {
  return typeof v === 'number' ? v : 0;
}

/** upstream validation_pluginargs.go for the args kinds whose validation runs at config load. */
export function validatePluginArgs(name: string, args: Record<string, unknown>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  switch (name) {
    case 'DefaultPreemption': {
      const pct = num(args['minCandidateNodesPercentage']);
      const abs = num(args['minCandidateNodesAbsolute']);
      const pp = `${path}.minCandidateNodesPercentage`;
      const ap = `${path}.minCandidateNodesAbsolute`;
      if (pct < 0 || pct > 100) errs.push({ path: pp, type: 'Invalid', value: pct, detail: 'not in valid range [0, 100]' });
      if (abs < 0) errs.push({ path: ap, type: 'Invalid', value: abs, detail: 'not in valid range [0, inf)' });
      if (pct === 0 && abs === 0) {
        errs.push({ path: pp, type: 'Invalid', value: pct, detail: 'cannot be zero at the same time as minCandidateNodesAbsolute' });
        errs.push({ path: ap, type: 'Invalid', value: abs, detail: 'cannot be zero at the same time as minCandidateNodesPercentage' });
      }
      break;
    }
    case 'InterPodAffinity': {
      const w = num(args['hardPodAffinityWeight']);
      if (w < 0 || w > 100) errs.push({ path: `${path}.hardPodAffinityWeight`, type: 'Invalid', value: w, detail: 'not in valid range [0, 100]' });
      break;
    }
    case 'PodTopologySpread': {
      const t = args['defaultingType'];
      const constraints = args['defaultConstraints'];
      if (t !== 'System' && t !== 'List') {
        errs.push({ path: `${path}.defaultingType`, type: 'NotSupported', value: t, detail: 'supported values: "List", "System"' });
      } else if (t === 'System' && Array.isArray(constraints) && constraints.length > 0) {
        errs.push({ path: `${path}.defaultingType`, type: 'Invalid', value: t, detail: 'when .defaultConstraints are not empty' });
      }
      break;
    }
    case 'VolumeBinding': {
      const s = num(args['bindTimeoutSeconds']);
      if (s < 0) errs.push({ path: `${path}.bindTimeoutSeconds`, type: 'Invalid', value: s, detail: 'invalid BindTimeoutSeconds, should not be a negative value' });
      break;
    }
    default:
  }
  return errs;
}

export function validateSchedulerConfig(cfg: SchedulerConfiguration, src: Record<string, unknown> = {}): FieldError[] {
  const errs: FieldError[] = [];
  if (cfg.parallelism <= 0) errs.push({ path: 'parallelism', type: 'Invalid', value: cfg.parallelism, detail: 'should be an integer value greater than zero' });
  const seen = new Map<string, number>();
  cfg.profiles.forEach((p, i) => {
    const path = `profiles[${i}]`;
    if (!p.schedulerName) errs.push({ path: `${path}.schedulerName`, type: 'Required', detail: '' });
    errs.push(...validatePercentage(`${path}.percentageOfNodesToScore`, p.percentageOfNodesToScore));
    // Plugins removed from the v1 API.
    for (const e of ExtensionPoints) {
      if (e === 'multiPoint') continue;
      p.plugins[e].enabled.forEach((pl, j) => {
        if (invalidV1Plugins.has(pl.name)) {
          errs.push({
            path: `${path}.plugins.${e}.enabled[${j}]`,
            type: 'Invalid',
            value: pl.name,
            detail: `was invalid in version "${ConfigAPIVersion}" (KubeSchedulerConfiguration is version "${cfg.apiVersion}")`,
          });
        }
      });
    }
    const seenPC = new Set<string>();
    p.pluginConfig.forEach((pc, j) => {
      const pcPath = `${path}.pluginConfig[${j}]`;
      if (seenPC.has(pc.name)) errs.push({ path: pcPath, type: 'Duplicate', value: pc.name, detail: '' });
      seenPC.add(pc.name);
      if (invalidV1Plugins.has(pc.name)) {
        errs.push({ path: pcPath, type: 'Invalid', value: pc.name, detail: `was invalid in version "${ConfigAPIVersion}" (KubeSchedulerConfiguration is version "${cfg.apiVersion}")` });
      } else {
        errs.push(...validatePluginArgs(pc.name, pc.args, `${pcPath}.args`));
      }
    });
    const prev = seen.get(p.schedulerName);
    if (prev !== undefined) errs.push({ path: `${path}.schedulerName`, type: 'Duplicate', value: `profiles[${prev}].schedulerName`, detail: '' });
    seen.set(p.schedulerName, i);
  });
  // upstream validateCommonQueueSort: every profile must use the same queue sort (as configured).
  const rawProfiles = Array.isArray(src['profiles']) ? (src['profiles'] as unknown[]) : [];
  const qsOf = (rp: unknown): string => {
    const plugins = isObj(rp) && isObj(rp['plugins']) ? rp['plugins'] : {};
    return JSON.stringify(plugins['queueSort'] ?? null);
  };
  for (let i = 1; i < rawProfiles.length; i++) {
    if (qsOf(rawProfiles[i]) !== qsOf(rawProfiles[0])) {
      errs.push({ path: `profiles[${i}].plugins.queueSort`, type: 'Invalid', value: JSON.parse(qsOf(rawProfiles[i])) as unknown, detail: 'must be the same for all profiles' });
    }
  }
  errs.push(...validatePercentage('percentageOfNodesToScore', cfg.percentageOfNodesToScore));
  if (cfg.podInitialBackoffSeconds <= 0) {
    errs.push({ path: 'podInitialBackoffSeconds', type: 'Invalid', value: cfg.podInitialBackoffSeconds, detail: 'must be greater than 0' });
  }
  if (cfg.podMaxBackoffSeconds < cfg.podInitialBackoffSeconds) {
    errs.push({ path: 'podMaxBackoffSeconds', type: 'Invalid', value: cfg.podMaxBackoffSeconds, detail: 'must be greater than or equal to PodInitialBackoffSeconds' });
  }
  return errs;
}
