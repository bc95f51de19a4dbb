/**
 * KubeletConfiguration (kubelet.config.k8s.io/v1beta1) for the fields ksim models,
 * following pkg/kubelet/apis/config/v1beta1/defaults.go (SetDefaults_KubeletConfiguration),
 * pkg/kubelet/apis/config/validation and pkg/kubelet/eviction (ParseThresholdConfig,
 * DefaultEvictionHard), v1.35.
 *
 * Eviction defaults: when evictionHard is absent the kubelet uses the full default
 * set; when it is given it is used AS GIVEN (the omitted signals are not
 * thresholds at all) unless mergeDefaultEvictionSettings (a field since v1.33,
 * default false) is true: then the omitted default signals keep their defaults.
 * Only evictionHard has defaults, so only it is merged.
 */
import { fieldPath, type FieldError } from './errors.ts';
import { parseDuration } from './duration.ts';
import { Quantity } from './quantity.ts';

export const KUBELET_CONFIG_API_VERSION = 'kubelet.config.k8s.io/v1beta1';
export const KUBELET_CONFIG_KIND = 'KubeletConfiguration';

export interface ReservedMemory {
  numaNode: number;
  limits: Record<string, string>;
}

export interface KubeletConfiguration {
  apiVersion?: string;
  kind?: string;
  /** Reservations for kube daemons / system daemons, e.g. {cpu: "1", memory: "2Gi"}. Default nil. */
  kubeReserved?: Record<string, string>;
  systemReserved?: Record<string, string>;
  /** signal -> threshold ("100Mi" or "10%"); the kubelet writes them as `signal<value`. */
  evictionHard: Record<string, string>;
  /** v1.33+: merge the default evictionHard signals into a given evictionHard. */
  mergeDefaultEvictionSettings?: boolean;
  evictionSoft?: Record<string, string>;
  /** signal -> Go duration string ("1m30s"). */
  evictionSoftGracePeriod?: Record<string, string>;
  evictionPressureTransitionPeriod: string;
  evictionMinimumReclaim?: Record<string, string>;
  /** Seconds; 0 means "use the pod's terminationGracePeriodSeconds" cap of 0 as upstream. */
  evictionMaxPodGracePeriod: number;
  maxPods: number;
  podsPerCore: number;
  podPidsLimit: number;
  nodeStatusUpdateFrequency: string;
  nodeStatusReportFrequency: string;
  nodeLeaseDurationSeconds: number;
  cpuManagerPolicy: string;
  cpuManagerPolicyOptions?: Record<string, string>;
  cpuManagerReconcilePeriod: string;
  /** A cpuset list ("0-1,8"). */
  reservedSystemCPUs?: string;
  memoryManagerPolicy: string;
  reservedMemory?: ReservedMemory[];
  topologyManagerPolicy: string;
  topologyManagerScope: string;
  topologyManagerPolicyOptions?: Record<string, string>;
  enforceNodeAllocatable: string[];
  imageGCHighThresholdPercent: number;
  imageGCLowThresholdPercent: number;
  imageMinimumGCAge: string;
  serializeImagePulls: boolean;
  maxParallelImagePulls?: number;
  registerNode: boolean;
  registerWithTaints?: Array<{ key: string; value?: string; effect: string }>;
  failSwapOn: boolean;
  featureGates?: Record<string, boolean>;
  shutdownGracePeriod?: string;
  shutdownGracePeriodCriticalPods?: string;
}

/** pkg/kubelet/eviction DefaultEvictionHard (Linux), unchanged v1.31-v1.35. */
export const DEFAULT_EVICTION_HARD: Readonly<Record<string, string>> = Object.freeze({
  'memory.available': '100Mi',
  'nodefs.available': '10%',
  'nodefs.inodesFree': '5%',
  'imagefs.available': '15%',
  'imagefs.inodesFree': '5%',
});

/** Eviction signals the Linux kubelet accepts (pkg/kubelet/eviction/api). */
export const EVICTION_SIGNALS = [
  'memory.available',
  'allocatableMemory.available',
  'nodefs.available',
  'nodefs.inodesFree',
  'imagefs.available',
  'imagefs.inodesFree',
  'containerfs.available',
  'containerfs.inodesFree',
  'pid.available',
] as const;

export const TOPOLOGY_MANAGER_POLICIES = ['none', 'best-effort', 'restricted', 'single-numa-node'] as const;
export const TOPOLOGY_MANAGER_SCOPES = ['container', 'pod'] as const;
export const CPU_MANAGER_POLICIES = ['none', 'static'] as const;
export const MEMORY_MANAGER_POLICIES = ['None', 'Static'] as const;
export const ENFORCE_NODE_ALLOCATABLE_OPTIONS = ['pods', 'system-reserved', 'kube-reserved', 'none'] as const;

/**
 * SetDefaults_KubeletConfiguration for the modelled fields (plus the file loader's
 * evictionHard default). Zero values count as unset, as in Go.
 */
export function defaultKubeletConfiguration(partial: Partial<KubeletConfiguration> = {}): KubeletConfiguration {
  const p = partial;
  const dur = (v: string | undefined): string | undefined => (v === undefined || v === '' || isZeroDuration(v) ? undefined : v);
  const updateFreq = dur(p.nodeStatusUpdateFrequency);
  // For backward compatibility upstream defaults the report frequency to an explicitly
  // set update frequency, and to 5m only when neither is set.
  const reportFreq = dur(p.nodeStatusReportFrequency) ?? updateFreq ?? '5m0s';
  const maxParallel = p.maxParallelImagePulls;
  const cfg: KubeletConfiguration = {
    ...p,
    apiVersion: p.apiVersion ?? KUBELET_CONFIG_API_VERSION,
    kind: p.kind ?? KUBELET_CONFIG_KIND,
    evictionHard:
      p.evictionHard === undefined || p.evictionHard === null
        ? { ...DEFAULT_EVICTION_HARD }
        : p.mergeDefaultEvictionSettings === true
          ? { ...DEFAULT_EVICTION_HARD, ...p.evictionHard }
          : { ...p.evictionHard },
    evictionPressureTransitionPeriod: dur(p.evictionPressureTransitionPeriod) ?? '5m0s',
    evictionMaxPodGracePeriod: p.evictionMaxPodGracePeriod ?? 0,
    maxPods: p.maxPods || 110,
    podsPerCore: p.podsPerCore ?? 0,
    podPidsLimit: p.podPidsLimit === undefined || p.podPidsLimit < 0 ? -1 : p.podPidsLimit,
    nodeStatusUpdateFrequency: updateFreq ?? '10s',
    nodeStatusReportFrequency: reportFreq,
    nodeLeaseDurationSeconds: p.nodeLeaseDurationSeconds || 40,
    cpuManagerPolicy: p.cpuManagerPolicy || 'none',
    cpuManagerReconcilePeriod: dur(p.cpuManagerReconcilePeriod) ?? '10s',
    memoryManagerPolicy: p.memoryManagerPolicy || 'None',
    topologyManagerPolicy: p.topologyManagerPolicy || 'none',
    topologyManagerScope: p.topologyManagerScope || 'container',
    enforceNodeAllocatable: p.enforceNodeAllocatable ?? ['pods'],
    imageGCHighThresholdPercent: p.imageGCHighThresholdPercent ?? 85,
    imageGCLowThresholdPercent: p.imageGCLowThresholdPercent ?? 80,
    imageMinimumGCAge: dur(p.imageMinimumGCAge) ?? '2m0s',
    serializeImagePulls: p.serializeImagePulls ?? (maxParallel === undefined || maxParallel < 2),
    registerNode: p.registerNode ?? true,
    failSwapOn: p.failSwapOn ?? true,
  };
  return cfg;
}

function isZeroDuration(s: string): boolean {
  try {
    return parseDuration(s) === 0;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------
// Eviction thresholds (pkg/kubelet/eviction/helpers.go ParseThresholdConfig)

export interface ThresholdValue {
  /** An absolute threshold. */
  quantity?: Quantity;
  /**
   * A percentage of capacity: the decimal text before '%' ("10", "7.5"), and `fraction`,
   * upstream's float32 value of it divided by 100.
   */
  percent?: string;
  fraction?: number;
}

export interface EvictionThreshold {
  signal: string;
  operator: 'LessThan';
  value: ThresholdValue;
  /** Soft thresholds only: milliseconds. */
  gracePeriodMs: number;
  /** From evictionMinimumReclaim, if any. */
  minReclaim?: ThresholdValue;
  hard: boolean;
}

export class ThresholdParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ThresholdParseError';
  }
}

/**
 * parseThresholdStatement: "0%" and "100%" mean "no threshold" (upstream ignores them);
 * other percentages must lie in [0%, 100%]; quantities must be positive.
 */
export function parseThresholdValue(signal: string, val: string): ThresholdValue | undefined {
  if (val.endsWith('%')) {
    if (val === '0%' || val === '100%') return undefined;
    const text = val.slice(0, -1);
    const n = Number(text);
    if (text.trim() === '' || !Number.isFinite(n)) {
      throw new ThresholdParseError(`strconv.ParseFloat: parsing ${JSON.stringify(text)}: invalid syntax`);
    }
    if (n < 0) throw new ThresholdParseError(`eviction percentage threshold ${signal} must be >= 0%: ${val}`);
    if (n > 100) throw new ThresholdParseError(`eviction percentage threshold ${signal} must be <= 100%: ${val}`);
    return { percent: text, fraction: float32Percentage(text) };
  }
  const q = Quantity.tryParse(val);
  if (q === undefined) throw new ThresholdParseError(`quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`);
  // parseThresholdStatement: a threshold quantity must be positive (zero is an error too).
  if (q.sign() <= 0) throw new ThresholdParseError(`eviction threshold ${signal} must be positive: ${q.toString()}`);
  return { quantity: q };
}

/**
 * parseMinimumReclaims: a percentage must be positive (no 0%/100% special
 * case), a quantity must not be negative (0 is allowed).
 */
export function parseMinimumReclaim(signal: string, val: string): ThresholdValue {
  if (val.endsWith('%')) {
    const text = val.slice(0, -1);
    const n = Number(text);
    if (text.trim() === '' || !Number.isFinite(n)) throw new ThresholdParseError(`strconv.ParseFloat: parsing ${JSON.stringify(text)}: invalid syntax`);
    if (n <= 0) throw new ThresholdParseError(`eviction percentage minimum reclaim ${signal} must be positive: ${val}`);
    return { percent: text, fraction: float32Percentage(text) };
  }
  const q = Quantity.tryParse(val);
  if (q === undefined) throw new ThresholdParseError(`quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`);
  if (q.sign() < 0) throw new ThresholdParseError(`negative eviction minimum reclaim specified for ${signal}`);
  return { quantity: q };
}

function isKnownSignal(s: string): boolean {
  return (EVICTION_SIGNALS as readonly string[]).includes(s);
}

/**
 * ParseThresholdConfig: hard and soft thresholds with grace periods and minimum
 * reclaims. Throws ThresholdParseError with upstream's messages.
 */
export function parseEvictionThresholds(kc: KubeletConfiguration): EvictionThreshold[] {
  const out: EvictionThreshold[] = [];
  const minReclaim = new Map<string, ThresholdValue>();
  for (const [signal, val] of Object.entries(kc.evictionMinimumReclaim ?? {})) {
    if (!isKnownSignal(signal)) throw new ThresholdParseError(`unsupported eviction signal ${signal}`);
    minReclaim.set(signal, parseMinimumReclaim(signal, val));
  }
  const parseSet = (m: Record<string, string> | undefined, hard: boolean): void => {
    for (const [signal, val] of Object.entries(m ?? {})) {
      if (!isKnownSignal(signal)) throw new ThresholdParseError(`unsupported eviction signal ${signal}`);
      const v = parseThresholdValue(signal, val);
      if (!v) continue;
      let gracePeriodMs = 0;
      if (!hard) {
        const gp = kc.evictionSoftGracePeriod?.[signal];
        if (gp === undefined) throw new ThresholdParseError(`no grace period specified for soft eviction threshold ${signal}`);
        gracePeriodMs = parseDuration(gp);
        if (gracePeriodMs < 0) throw new ThresholdParseError(`invalid eviction grace period specified: ${gp}, must be a positive value`);
      }
      const t: EvictionThreshold = { signal, operator: 'LessThan', value: v, gracePeriodMs, hard };
      const mr = minReclaim.get(signal);
      if (mr) t.minReclaim = mr;
      out.push(t);
    }
  };
  parseSet(kc.evictionHard, true);
  parseSet(kc.evictionSoft, false);
  return out;
}

/**
 * GetThresholdQuantity: an absolute value as is, or int64(float64(capacity) × percentage)
 * (BinarySI). Upstream keeps the percentage as a float32 (parsePercentage:
 * float32(ParseFloat(text, 32)) / 100), so 10% is 0.100000001490116...: 10% of 100Gi
 * reserves 10737418400 bytes, 160 bytes more than 10Gi. ksim reproduces that exactly;
 * the docs' round figures (e.g. "88Gi" allocatable) are approximations of it.
 */
export function thresholdQuantity(v: ThresholdValue, capacity: Quantity): Quantity {
  if (v.quantity) return v.quantity;
  const pct = float32Percentage(v.percent ?? '0');
  const bytes = Math.trunc(capacity.value() * pct);
  return Quantity.fromValue(BigInt(bytes), 'BinarySI');
}

/** parsePercentage: the text before '%' parsed as a float32, divided by 100 in float32. */
export function float32Percentage(text: string): number {
  return Math.fround(Math.fround(Number(text)) / 100);
}

// ---------------------------------------------------------------------------
// Validation

type FieldKind = 'resourceMap' | 'stringMap' | 'durationMap' | 'duration' | 'int' | 'number' | 'bool' | 'string' | 'stringList' | 'boolMap' | 'reservedMemory' | 'taints';

const FIELDS: Record<string, FieldKind> = {
  apiVersion: 'string',
  kind: 'string',
  kubeReserved: 'resourceMap',
  systemReserved: 'resourceMap',
  evictionHard: 'stringMap',
  evictionSoft: 'stringMap',
  evictionSoftGracePeriod: 'durationMap',
  evictionPressureTransitionPeriod: 'duration',
  evictionMinimumReclaim: 'stringMap',
  evictionMaxPodGracePeriod: 'int',
  maxPods: 'int',
  podsPerCore: 'int',
  podPidsLimit: 'int',
  nodeStatusUpdateFrequency: 'duration',
  nodeStatusReportFrequency: 'duration',
  nodeLeaseDurationSeconds: 'int',
  cpuManagerPolicy: 'string',
  cpuManagerPolicyOptions: 'stringMap',
  cpuManagerReconcilePeriod: 'duration',
  reservedSystemCPUs: 'string',
  memoryManagerPolicy: 'string',
  reservedMemory: 'reservedMemory',
  topologyManagerPolicy: 'string',
  topologyManagerScope: 'string',
  topologyManagerPolicyOptions: 'stringMap',
  enforceNodeAllocatable: 'stringList',
  imageGCHighThresholdPercent: 'int',
  imageGCLowThresholdPercent: 'int',
  imageMinimumGCAge: 'duration',
  serializeImagePulls: 'bool',
  maxParallelImagePulls: 'int',
  registerNode: 'bool',
  registerWithTaints: 'taints',
  failSwapOn: 'bool',
  featureGates: 'boolMap',
  shutdownGracePeriod: 'duration',
  shutdownGracePeriodCriticalPods: 'duration',
};

/** The field names validateKubeletConfiguration accepts. */
export const KUBELET_CONFIG_FIELDS: readonly string[] = Object.keys(FIELDS);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function typeErr(path: string, v: unknown, want: string): FieldError {
  return { path, type: 'TypeInvalid', value: v, detail: `must be ${want}, got ${typeName(v)}` };
}

function checkShape(path: string, kind: FieldKind, v: unknown, errs: FieldError[]): boolean {
  const before = errs.length;
  const checkMap = (each: (k: string, x: unknown) => void): void => {
    if (!isRecord(v)) {
      errs.push(typeErr(path, v, 'an object'));
      return;
    }
    for (const [k, x] of Object.entries(v)) each(k, x);
  };
  switch (kind) {
    case 'string':
      if (typeof v !== 'string') errs.push(typeErr(path, v, 'a string'));
      break;
    case 'bool':
      if (typeof v !== 'boolean') errs.push(typeErr(path, v, 'a boolean'));
      break;
    case 'int':
      if (typeof v !== 'number' || !Number.isInteger(v)) errs.push(typeErr(path, v, 'an integer'));
      break;
    case 'number':
      if (typeof v !== 'number') errs.push(typeErr(path, v, 'a number'));
      break;
    case 'duration':
      if (typeof v !== 'string') errs.push(typeErr(path, v, 'a duration string'));
      else durationErr(path, v, errs);
      break;
    case 'stringList':
      if (!Array.isArray(v)) errs.push(typeErr(path, v, 'an array'));
      else v.forEach((x, i) => typeof x !== 'string' && errs.push(typeErr(fieldPath.index(path, i), x, 'a string')));
      break;
    case 'stringMap':
      checkMap((k, x) => typeof x !== 'string' && errs.push(typeErr(fieldPath.key(path, k), x, 'a string')));
      break;
    case 'boolMap':
      checkMap((k, x) => typeof x !== 'boolean' && errs.push(typeErr(fieldPath.key(path, k), x, 'a boolean')));
      break;
    case 'durationMap':
      checkMap((k, x) => {
        if (typeof x !== 'string') errs.push(typeErr(fieldPath.key(path, k), x, 'a duration string'));
        else durationErr(fieldPath.key(path, k), x, errs);
      });
      break;
    case 'resourceMap':
      checkMap((k, x) => {
        if (typeof x !== 'string' && typeof x !== 'number') errs.push(typeErr(fieldPath.key(path, k), x, 'a quantity'));
        else if (Quantity.tryParse(x) === undefined) {
          errs.push({ path: fieldPath.key(path, k), type: 'Invalid', value: x, detail: "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'" });
        }
      });
      break;
    case 'reservedMemory':
      if (!Array.isArray(v)) errs.push(typeErr(path, v, 'an array'));
      else
        v.forEach((x, i) => {
          const p = fieldPath.index(path, i);
          if (!isRecord(x)) return void errs.push(typeErr(p, x, 'an object'));
          for (const k of Object.keys(x)) if (k !== 'numaNode' && k !== 'limits') errs.push({ path: fieldPath.child(p, k), type: 'FieldValueUnknown', detail: '' });
          checkShape(fieldPath.child(p, 'numaNode'), 'int', x['numaNode'], errs);
          checkShape(fieldPath.child(p, 'limits'), 'resourceMap', x['limits'], errs);
        });
      break;
    case 'taints':
      if (!Array.isArray(v)) errs.push(typeErr(path, v, 'an array'));
      else
        v.forEach((x, i) => {
          const p = fieldPath.index(path, i);
          if (!isRecord(x)) return void errs.push(typeErr(p, x, 'an object'));
          for (const [k, y] of Object.entries(x)) {
            if (k === 'key' || k === 'value' || k === 'effect') checkShape(fieldPath.child(p, k), 'string', y, errs);
            else errs.push({ path: fieldPath.child(p, k), type: 'FieldValueUnknown', detail: '' });
          }
        });
      break;
  }
  return errs.length === before;
}

function durationErr(path: string, v: string, errs: FieldError[]): void {
  try {
    parseDuration(v);
  } catch (e) {
    errs.push({ path, type: 'Invalid', value: v, detail: e instanceof Error ? e.message : String(e) });
  }
}

/**
 * Structural checks (unknown fields, wrong types) plus the semantic checks of
 * ValidateKubeletConfiguration for the modelled fields, with upstream's messages.
 */
export function validateKubeletConfiguration(obj: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!isRecord(obj)) return [typeErr(path, obj, 'an object')];
  const ok = new Set<string>();
  for (const [k, v] of Object.entries(obj)) {
    const p = fieldPath.child(path, k);
    const kind = FIELDS[k];
    if (kind === undefined) {
      errs.push({ path: p, type: 'FieldValueUnknown', detail: '' });
      continue;
    }
    if (v === undefined || v === null) continue;
    if (checkShape(p, kind, v, errs)) ok.add(k);
  }
  if (ok.has('apiVersion') && obj['apiVersion'] !== KUBELET_CONFIG_API_VERSION) {
    errs.push({ path: fieldPath.child(path, 'apiVersion'), type: 'NotSupported', value: obj['apiVersion'], detail: `supported values: "${KUBELET_CONFIG_API_VERSION}"` });
  }
  if (ok.has('kind') && obj['kind'] !== KUBELET_CONFIG_KIND) {
    errs.push({ path: fieldPath.child(path, 'kind'), type: 'NotSupported', value: obj['kind'], detail: `supported values: "${KUBELET_CONFIG_KIND}"` });
  }
  const inv = (field: string, detail: string): void => {
    errs.push({ path: fieldPath.child(path, field), type: 'Invalid', value: obj[field], detail });
  };
  const num = (f: string): number | undefined => (ok.has(f) ? (obj[f] as number) : undefined);
  const str = (f: string): string | undefined => (ok.has(f) ? (obj[f] as string) : undefined);
  const maxPods = num('maxPods');
  if (maxPods !== undefined && maxPods < 0) inv('maxPods', `invalid configuration: maxPods (--max-pods) ${maxPods} must not be a negative number`);
  const ppc = num('podsPerCore');
  if (ppc !== undefined && ppc < 0) inv('podsPerCore', `invalid configuration: podsPerCore (--pods-per-core) ${ppc} must not be a negative number`);
  const nlds = num('nodeLeaseDurationSeconds');
  if (nlds !== undefined && nlds < 0) inv('nodeLeaseDurationSeconds', `invalid configuration: nodeLeaseDurationSeconds must be greater than 0`);
  const emp = num('evictionMaxPodGracePeriod');
  if (emp !== undefined && emp < 0) inv('evictionMaxPodGracePeriod', `invalid configuration: evictionMaxPodGracePeriod (--eviction-max-pod-grace-period) ${emp} must not be a negative number`);
  const hi = num('imageGCHighThresholdPercent');
  const lo = num('imageGCLowThresholdPercent');
  if (hi !== undefined && (hi < 0 || hi > 100)) inv('imageGCHighThresholdPercent', `invalid configuration: imageGCHighThresholdPercent (--image-gc-high-threshold) ${hi} must be between 0 and 100, inclusive`);
  if (lo !== undefined && (lo < 0 || lo > 100)) inv('imageGCLowThresholdPercent', `invalid configuration: imageGCLowThresholdPercent (--image-gc-low-threshold) ${lo} must be between 0 and 100, inclusive`);
  if ((lo ?? 80) >= (hi ?? 85) && (lo !== undefined || hi !== undefined)) {
    inv('imageGCLowThresholdPercent', `invalid configuration: imageGCLowThresholdPercent (--image-gc-low-threshold) ${lo ?? 80} must be less than imageGCHighThresholdPercent (--image-gc-high-threshold) ${hi ?? 85}`);
  }
  for (const f of ['nodeStatusUpdateFrequency', 'nodeStatusReportFrequency', 'evictionPressureTransitionPeriod', 'cpuManagerReconcilePeriod']) {
    const s = str(f);
    if (s === undefined) continue;
    let ms: number | undefined;
    try {
      ms = parseDuration(s);
    } catch {
      ms = undefined;
    }
    // Zero means "unset" and is defaulted, as upstream; only negative values are invalid.
    if (ms !== undefined && ms < 0) inv(f, `invalid configuration: ${f} must be > 0`);
  }
  const tmp = str('topologyManagerPolicy');
  if (tmp !== undefined && tmp !== '' && !(TOPOLOGY_MANAGER_POLICIES as readonly string[]).includes(tmp)) {
    errs.push({ path: fieldPath.child(path, 'topologyManagerPolicy'), type: 'NotSupported', value: tmp, detail: `invalid configuration: topologyManagerPolicy (--topology-manager-policy) ${JSON.stringify(tmp)} must be one of: ["none" "best-effort" "restricted" "single-numa-node"]` });
  }
  const tms = str('topologyManagerScope');
  if (tms !== undefined && tms !== '' && !(TOPOLOGY_MANAGER_SCOPES as readonly string[]).includes(tms)) {
    errs.push({ path: fieldPath.child(path, 'topologyManagerScope'), type: 'NotSupported', value: tms, detail: `invalid configuration: topologyManagerScope (--topology-manager-scope) ${JSON.stringify(tms)} must be one of: "container", or "pod"` });
  }
  const cmp = str('cpuManagerPolicy');
  if (cmp !== undefined && cmp !== '' && !(CPU_MANAGER_POLICIES as readonly string[]).includes(cmp)) {
    errs.push({ path: fieldPath.child(path, 'cpuManagerPolicy'), type: 'NotSupported', value: cmp, detail: 'supported values: "none", "static"' });
  }
  const mmp = str('memoryManagerPolicy');
  if (mmp !== undefined && mmp !== '' && !(MEMORY_MANAGER_POLICIES as readonly string[]).includes(mmp)) {
    errs.push({ path: fieldPath.child(path, 'memoryManagerPolicy'), type: 'NotSupported', value: mmp, detail: 'supported values: "None", "Static"' });
  }
  if (ok.has('enforceNodeAllocatable')) {
    const vals = obj['enforceNodeAllocatable'] as string[];
    vals.forEach((v, i) => {
      if (!(ENFORCE_NODE_ALLOCATABLE_OPTIONS as readonly string[]).includes(v)) {
        errs.push({
          path: fieldPath.index(fieldPath.child(path, 'enforceNodeAllocatable'), i),
          type: 'NotSupported',
          value: v,
          detail: `invalid configuration: option ${JSON.stringify(v)} specified for enforceNodeAllocatable (--enforce-node-allocatable). Valid options are "pods", "system-reserved", "kube-reserved", or "none"`,
        });
      }
    });
    if (vals.includes('none') && vals.length > 1) {
      inv('enforceNodeAllocatable', 'invalid configuration: enforceNodeAllocatable (--enforce-node-allocatable) may not contain additional enforcements when "none" is specified');
    }
  }
  if (ok.has('reservedSystemCPUs') && (obj['reservedSystemCPUs'] as string) !== '') {
    const sys = ok.has('systemReserved') ? (obj['systemReserved'] as Record<string, unknown>) : {};
    const kube = ok.has('kubeReserved') ? (obj['kubeReserved'] as Record<string, unknown>) : {};
    if ('cpu' in sys || 'cpu' in kube) {
      inv('reservedSystemCPUs', "invalid configuration: can't use reservedSystemCPUs (--reserved-cpus) with systemReserved (--system-reserved) or kubeReserved (--kube-reserved)");
    }
  }
  // Eviction thresholds must parse as the kubelet would at start-up (ParseThresholdConfig).
  for (const f of ['evictionHard', 'evictionSoft', 'evictionMinimumReclaim']) {
    if (!ok.has(f)) continue;
    for (const [signal, val] of Object.entries(obj[f] as Record<string, string>)) {
      const p = fieldPath.key(fieldPath.child(path, f), signal);
      if (!isKnownSignal(signal)) {
        errs.push({ path: p, type: 'NotSupported', value: signal, detail: `unsupported eviction signal ${signal}` });
        continue;
      }
      try {
        const v = f === 'evictionMinimumReclaim' ? parseMinimumReclaim(signal, val) : parseThresholdValue(signal, val);
        if (v && f === 'evictionSoft') {
          const gp = ok.has('evictionSoftGracePeriod') ? (obj['evictionSoftGracePeriod'] as Record<string, string>)[signal] : undefined;
          if (gp === undefined) errs.push({ path: fieldPath.key(fieldPath.child(path, 'evictionSoftGracePeriod'), signal), type: 'Required', detail: `no grace period specified for soft eviction threshold ${signal}` });
        }
      } catch (e) {
        if (!(e instanceof ThresholdParseError)) throw e;
        errs.push({ path: p, type: 'Invalid', value: val, detail: e.message });
      }
    }
  }
  return errs;
}
