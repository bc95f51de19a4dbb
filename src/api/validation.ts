/**
 * API-server validation per kind, following v1.35 (unchanged since v1.31 in what
 * ksim checks, except StatefulSet serviceName and revisionHistoryLimit, checked
 * since v1.33 and selected by the gates given to validateObject):
 *   k8s.io/apimachinery/pkg/api/validation   ValidateObjectMeta, ValidateAnnotations
 *   pkg/apis/core/validation                 ValidatePodCreate/ValidatePodSpec (containers, resources,
 *                                            ports, probes, tolerations, affinity, topology spread),
 *                                            ValidateNode, ValidateNamespace, ValidateResourceRequirements
 *   pkg/apis/apps/validation                 Deployment, ReplicaSet, StatefulSet, DaemonSet
 *   pkg/apis/batch/validation                Job (parts), CronJob template
 *   pkg/apis/scheduling/validation           ValidatePriorityClass
 *   pkg/apis/policy/validation               ValidatePodDisruptionBudgetSpec
 * Field paths and messages are upstream's. validateObject never throws.
 *
 * The API server validates after defaulting. Fields that defaulting always fills
 * (restartPolicy, dnsPolicy, imagePullPolicy, terminationMessagePolicy, port protocol)
 * are checked when present and not reported as missing, so an undefaulted manifest
 * (e.g. `ksim validate`) gets the same errors as the server would give it.
 *
 * Values that Go prints with %#v (structs, maps) are carried as the JS value and so
 * render as JSON: the path, type and detail are upstream's, the value rendering of
 * those few cases is not.
 */
import type { KObject } from '../sim/types.ts';
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import type { NodeSelector, NodeSelectorTerm } from 'kubernetes-types/core/v1.js';
import { validateNodeSelector as validateNodeSelectorTyped, validateNodeSelectorTerm } from './nodeSelector.ts';
import { isNamespaced } from './defaults.ts';
import { fieldPath, type FieldError } from './errors.ts';
import { labelSelectorAsSelector, labelsAreValid, validateLabelName, validateLabels, validateLabelsInFull, validateLabelSelector, isValidLabelValue } from './labels.ts';
import {
  dns1123SubdomainIsValid,
  inclusiveRangeError,
  isDNS1123Label,
  isQualifiedName,
  isValidQualifiedName,
  nameIsDNS1035Label,
  nameIsDNSLabel,
  nameIsDNSSubdomain,
  type NameValidator,
} from './names.ts';
import { Quantity, quantityFieldError } from './quantity.ts';
import { validateCronJobSchedule } from './cron.ts';
import { FeatureGates } from './featureGates.ts';
import { sameTree } from './sameTree.ts';

type Obj = Record<string, unknown>;

export const IsNegativeErrorMsg = 'must be greater than or equal to 0';
export const IsNotPositiveErrorMsg = 'must be greater than zero';
export const IsNotIntegerErrorMsg = 'must be an integer';
export const TotalAnnotationSizeLimitB = 256 * (1 << 10);
export const HighestUserDefinablePriority = 1000000000;
export const SystemPriorityClassPrefix = 'system-';
export const SYSTEM_PRIORITY_CLASSES: ReadonlyArray<{ name: string; value: number; globalDefault: boolean }> = [
  { name: 'system-node-critical', value: 2000001000, globalDefault: false },
  { name: 'system-cluster-critical', value: 2000000000, globalDefault: false },
];

const child = fieldPath.child;
const index = fieldPath.index;
const key = fieldPath.key;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}
function num(v: unknown): number | undefined {
  return typeof v === 'number' ? v : undefined;
}
function strMap(v: unknown): Record<string, string> | undefined {
  return isObj(v) ? (v as Record<string, string>) : undefined;
}

const invalid = (path: string, value: unknown, detail: string): FieldError => ({ path, type: 'Invalid', value, detail });
const required = (path: string, detail = ''): FieldError => ({ path, type: 'Required', detail });
const forbidden = (path: string, detail: string): FieldError => ({ path, type: 'Forbidden', detail });
const duplicate = (path: string, value: unknown, detail = ''): FieldError => ({ path, type: 'Duplicate', value, detail });
/** field.NotSupported: `supported values: "a", "b"`. */
export function notSupported(path: string, value: unknown, valid: readonly string[]): FieldError {
  return { path, type: 'NotSupported', value, detail: valid.length ? `supported values: ${valid.map((v) => JSON.stringify(v)).join(', ')}` : '' };
}

function nameErrors(fn: NameValidator, value: string, path: string): FieldError[] {
  return fn(value, false).map((m) => invalid(path, value, m));
}

/** ValidateNonnegativeField. */
function nonNegative(v: unknown, path: string): FieldError[] {
  const n = num(v);
  return n !== undefined && n < 0 ? [invalid(path, n, IsNegativeErrorMsg)] : [];
}

// ---------------------------------------------------------------------------
// Metadata

/** ValidateAnnotations: keys are qualified names (case-insensitive), total size ≤ 256 KiB. */
export function validateAnnotations(annotations: Record<string, string> | undefined, path: string): FieldError[] {
  return annotationsAreValid(annotations) ? [] : validateAnnotationsInFull(annotations!, path);
}

/**
 * Whether validateAnnotations(annotations, path) reports nothing, for any path. Errors come in sorted key
 * order, but the total size does not depend on the order: most annotation maps have no error, so look first
 * without sorting the keys or a list per key (every created pod passes here).
 */
export function annotationsAreValid(annotations: Record<string, string> | undefined): boolean {
  if (!annotations) return true;
  // A UTF-16 code unit is at most 3 bytes of UTF-8 (a surrogate pair, two units, is 4), so 3 × length bounds
  // the size: only a map that could be over the limit is measured in bytes (Buffer.byteLength, a call into
  // the runtime per string, was ~8% of a created object's metadata validation).
  let bound = 0;
  for (const k in annotations) {
    if (!isValidQualifiedName(k.toLowerCase())) return false;
    const v = annotations[k];
    bound += 3 * (k.length + (typeof v === 'string' ? v.length : String(v ?? '').length));
  }
  if (bound <= TotalAnnotationSizeLimitB) return true;
  let total = 0;
  for (const k in annotations) total += Buffer.byteLength(k) + Buffer.byteLength(String(annotations[k] ?? ''));
  return total <= TotalAnnotationSizeLimitB;
}

/** validateAnnotations' full pass in sorted key order (what it returns whenever it finds an error; exported for its test). */
export function validateAnnotationsInFull(annotations: Record<string, string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let size = 0;
  for (const k of Object.keys(annotations).sort()) {
    for (const m of isQualifiedName(k.toLowerCase())) errs.push(invalid(path, k, m));
    size += Buffer.byteLength(k) + Buffer.byteLength(String(annotations[k] ?? ''));
  }
  if (size > TotalAnnotationSizeLimitB) errs.push({ path, type: 'TooLong', value: '', detail: `may not be more than ${TotalAnnotationSizeLimitB} bytes` });
  return errs;
}

/**
 * A name validator's messages for the text it was asked about last: a validator is a function of
 * its text (and whether it is a generateName prefix), and the objects of a burst share their
 * generateName and namespace (a ReplicaSet's 500 pods: each was matched against the regular
 * expressions again). Read only by the caller.
 */
class LastNameCheck {
  private fn: NameValidator | undefined;
  private prefix = false;
  private value = '';
  private result: readonly string[] = [];

  messages(fn: NameValidator, value: string, prefix: boolean): readonly string[] {
    if (fn !== this.fn || value !== this.value || prefix !== this.prefix) {
      this.result = fn(value, prefix);
      this.fn = fn;
      this.value = value;
      this.prefix = prefix;
    }
    return this.result;
  }
}

const lastGenerateName = new LastNameCheck();
const lastNamespace = new LastNameCheck();

/** ValidateObjectMeta. */
export function validateObjectMeta(meta: unknown, requiresNamespace: boolean, nameFn: NameValidator, path = 'metadata'): FieldError[] {
  const errs: FieldError[] = [];
  const m = isObj(meta) ? meta : {};
  const generateName = str(m['generateName']);
  const name = str(m['name']);
  if (generateName) for (const msg of lastGenerateName.messages(nameFn, generateName, true)) errs.push(invalid(child(path, 'generateName'), generateName, msg));
  if (!name) {
    // The API server turns generateName into a name before validating, so only a
    // manifest with neither is missing its name.
    if (!generateName) errs.push(required(child(path, 'name'), 'name or generateName is required'));
  } else if (nameFn !== nameIsDNSSubdomain || !dns1123SubdomainIsValid(name)) {
    // Most names are DNS subdomains and valid: answered by the scan, without the validator's empty list.
    for (const msg of nameFn(name, false)) errs.push(invalid(child(path, 'name'), name, msg));
  }
  const ns = str(m['namespace']);
  if (requiresNamespace) {
    if (!ns) errs.push(required(child(path, 'namespace')));
    else for (const msg of lastNamespace.messages(nameIsDNSLabel, ns, false)) errs.push(invalid(child(path, 'namespace'), ns, msg));
  } else if (ns) {
    errs.push(forbidden(child(path, 'namespace'), 'not allowed on this type'));
  }
  // Every created object passes here: a child path is made, and a list filled, only when there is something to
  // report (each was a string and an empty list per check and object before).
  const generation = num(m['generation']);
  if (generation !== undefined && generation < 0) errs.push(invalid(child(path, 'generation'), generation, IsNegativeErrorMsg));
  const labels = strMap(m['labels']);
  if (!labelsAreValid(labels)) pushAll(errs, validateLabelsInFull(labels!, child(path, 'labels')));
  const annotations = strMap(m['annotations']);
  if (!annotationsAreValid(annotations)) pushAll(errs, validateAnnotationsInFull(annotations!, child(path, 'annotations')));
  const f0 = m['finalizers'];
  const finalizers: readonly unknown[] = Array.isArray(f0) ? f0 : NO_FINALIZERS;
  for (let i = 0; i < finalizers.length; i++) {
    if (!(i in finalizers)) continue; // a hole, which forEach skipped
    const f = finalizers[i];
    // Checked first without a list: a Job's pods carry its tracking finalizer, and it is valid.
    if (isValidQualifiedName(str(f))) continue;
    for (const msg of isQualifiedName(str(f))) errs.push(invalid(child(path, 'finalizers'), f, msg));
  }
  return errs;
}

/** No finalizers (shared: only read). */
const NO_FINALIZERS: readonly unknown[] = Object.freeze([]);

function pushAll<T>(to: T[], items: readonly T[]): void {
  for (let i = 0; i < items.length; i++) to.push(items[i]!);
}

// ---------------------------------------------------------------------------
// Resources (pkg/apis/core/helper resource-name predicates)

const HUGEPAGES_PREFIX = 'hugepages-';
const STANDARD_CONTAINER_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);
const STANDARD_RESOURCES = new Set([
  'cpu', 'memory', 'ephemeral-storage',
  'requests.cpu', 'requests.memory', 'requests.ephemeral-storage',
  'limits.cpu', 'limits.memory', 'limits.ephemeral-storage',
  'pods', 'resourcequotas', 'services', 'replicationcontrollers', 'secrets', 'configmaps',
  'persistentvolumeclaims', 'storage', 'requests.storage', 'services.nodeports', 'services.loadbalancers',
]);
const INTEGER_RESOURCES = new Set(['pods', 'resourcequotas', 'services', 'replicationcontrollers', 'secrets', 'configmaps', 'persistentvolumeclaims', 'services.nodeports', 'services.loadbalancers']);

export function isHugePageResourceName(name: string): boolean {
  return name.startsWith(HUGEPAGES_PREFIX);
}
export function isNativeResource(name: string): boolean {
  return !name.includes('/') || name.includes('kubernetes.io/');
}
export function isExtendedResourceName(name: string): boolean {
  if (isNativeResource(name) || name.startsWith('requests.')) return false;
  return isValidQualifiedName(`requests.${name}`);
}
/** Overcommit is allowed for native resources other than hugepages. */
export function isOvercommitAllowed(name: string): boolean {
  return isNativeResource(name) && !isHugePageResourceName(name);
}
function isIntegerResourceName(name: string): boolean {
  return INTEGER_RESOURCES.has(name) || isExtendedResourceName(name);
}
function isStandardResourceName(name: string): boolean {
  return STANDARD_RESOURCES.has(name) || name.startsWith(HUGEPAGES_PREFIX) || name.startsWith(`requests.${HUGEPAGES_PREFIX}`);
}

function validateResourceName(name: string, path: string): FieldError[] {
  const errs = isQualifiedName(name).map((m) => invalid(path, name, m));
  if (errs.length) return errs;
  if (!name.includes('/') && !isStandardResourceName(name)) errs.push(invalid(path, name, 'must be a standard resource type or fully qualified'));
  return errs;
}

function validateContainerResourceName(name: string, path: string): FieldError[] {
  const errs = validateResourceName(name, path);
  if (!name.includes('/')) {
    if (!STANDARD_CONTAINER_RESOURCES.has(name) && !isHugePageResourceName(name)) errs.push(invalid(path, name, 'must be a standard resource for containers'));
  } else if (!isNativeResource(name) && !isExtendedResourceName(name)) {
    errs.push(invalid(path, name, "doesn't follow extended resource name standard"));
  }
  return errs;
}

/** ValidateResourceQuantityValue: non-negative, and whole for integer resources. */
function validateResourceQuantityValue(name: string, q: Quantity, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (q.sign() < 0) errs.push(invalid(path, q.toString(), IsNegativeErrorMsg));
  if (isIntegerResourceName(name) && q.milliValue() % 1000 !== 0) errs.push(invalid(path, q.toString(), IsNotIntegerErrorMsg));
  return errs;
}

function hugePageValueError(name: string, q: Quantity): string | undefined {
  const size = Quantity.tryParse(name.slice(HUGEPAGES_PREFIX.length));
  const divisible = size !== undefined && size.sign() > 0 && size.milliValue() % 1000 === 0 && q.value() % size.value() === 0;
  return divisible ? undefined : `${q.toString()} is not positive integer multiple of ${name}`;
}

function parseResourceList(list: unknown, path: string, errs: FieldError[]): Array<[string, Quantity, string]> {
  const out: Array<[string, Quantity, string]> = [];
  if (!isObj(list)) return out;
  for (const k of Object.keys(list).sort()) {
    const p = key(path, k);
    const raw = list[k];
    const q = Quantity.tryParse(raw);
    if (q === undefined) {
      const e = quantityFieldError(raw, p);
      if (e) errs.push(e);
      continue;
    }
    out.push([k, q, p]);
  }
  return out;
}

/** ValidateResourceRequirements (container resources; also pod overhead as limits-only). */
export function validateResourceRequirements(res: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!isObj(res)) return errs;
  const limPath = child(path, 'limits');
  const reqPath = child(path, 'requests');
  let limCpuMem = false;
  let reqCpuMem = false;
  let limHuge = false;
  let reqHuge = false;
  const limits = new Map<string, Quantity>();
  for (const [name, q, p] of parseResourceList(res['limits'], limPath, errs)) {
    limits.set(name, q);
    errs.push(...validateContainerResourceName(name, p));
    errs.push(...validateResourceQuantityValue(name, q, p));
    if (isHugePageResourceName(name)) {
      limHuge = true;
      const e = hugePageValueError(name, q);
      if (e) errs.push(invalid(p, q.toString(), e));
    }
    if (name === 'cpu' || name === 'memory') limCpuMem = true;
  }
  const limitsValid = isObj(res['limits']) && Object.keys(res['limits']).length === limits.size;
  for (const [name, q, p] of parseResourceList(res['requests'], reqPath, errs)) {
    errs.push(...validateContainerResourceName(name, p));
    errs.push(...validateResourceQuantityValue(name, q, p));
    const lim = limits.get(name);
    if (lim !== undefined) {
      // Non-overcommittable resources (extended, hugepages) need request == limit.
      if (q.cmp(lim) !== 0 && !isOvercommitAllowed(name)) {
        errs.push(invalid(reqPath, q.toString(), `must be equal to ${name} limit of ${lim.toString()}`));
      } else if (q.cmp(lim) > 0) {
        errs.push(invalid(reqPath, q.toString(), `must be less than or equal to ${name} limit of ${lim.toString()}`));
      }
    } else if (!isOvercommitAllowed(name) && (limitsValid || !isObj(res['limits']) || !(name in res['limits']))) {
      errs.push(required(limPath, 'Limit must be set for non overcommitable resources'));
    }
    if (isHugePageResourceName(name)) {
      reqHuge = true;
      const e = hugePageValueError(name, q);
      if (e) errs.push(invalid(p, q.toString(), e));
    }
    if (name === 'cpu' || name === 'memory') reqCpuMem = true;
  }
  if (!limCpuMem && !reqCpuMem && (reqHuge || limHuge)) errs.push(forbidden(path, 'HugePages require cpu or memory'));
  return errs;
}

// ---------------------------------------------------------------------------
// Containers

const PORT_NAME_CHARSET = /^[-a-z0-9]+$/;
const PORT_NAME_ONE_LETTER = /[a-z]/;

/** IsValidPortName. */
function isValidPortName(port: string): string[] {
  const errs: string[] = [];
  if (port.length > 15) errs.push('must be no more than 15 characters');
  if (!PORT_NAME_CHARSET.test(port)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!PORT_NAME_ONE_LETTER.test(port)) errs.push('must contain at least one letter (a-z)');
  if (port.includes('--')) errs.push('must not contain consecutive hyphens');
  if (port.length > 0 && (port.startsWith('-') || port.endsWith('-'))) errs.push('must not begin or end with a hyphen');
  return errs;
}

function isValidPortNum(p: number): string[] {
  return p >= 1 && p <= 65535 ? [] : [inclusiveRangeError(1, 65535)];
}

const SUPPORTED_PORT_PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

function validateContainerPorts(ports: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  arr(ports).forEach((raw, i) => {
    const p = isObj(raw) ? raw : {};
    const ip = index(path, i);
    const name = str(p['name']);
    if (name) {
      const msgs = isValidPortName(name);
      if (msgs.length) for (const m of msgs) errs.push(invalid(child(ip, 'name'), name, m));
      else if (names.has(name)) errs.push(duplicate(child(ip, 'name'), name));
      else names.add(name);
    }
    const cp = num(p['containerPort']) ?? 0;
    if (cp === 0) errs.push(required(child(ip, 'containerPort')));
    else for (const m of isValidPortNum(cp)) errs.push(invalid(child(ip, 'containerPort'), cp, m));
    const hp = num(p['hostPort']) ?? 0;
    if (hp !== 0) for (const m of isValidPortNum(hp)) errs.push(invalid(child(ip, 'hostPort'), hp, m));
    const proto = p['protocol'];
    if (proto !== undefined && !SUPPORTED_PORT_PROTOCOLS.includes(str(proto))) {
      errs.push(str(proto) === '' ? required(child(ip, 'protocol')) : notSupported(child(ip, 'protocol'), proto, SUPPORTED_PORT_PROTOCOLS));
    }
  });
  return errs;
}

/** AccumulateUniqueHostPorts: hostIP/protocol/hostPort must be unique across the containers. */
function checkHostPortConflicts(containers: unknown[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  containers.forEach((c, ci) => {
    if (!isObj(c)) return;
    arr(c['ports']).forEach((raw, pi) => {
      if (!isObj(raw)) return;
      const hp = num(raw['hostPort']) ?? 0;
      if (hp === 0) return;
      const s = `${str(raw['hostIP'])}/${str(raw['protocol']) || 'TCP'}/${hp}`;
      const p = child(index(child(index(path, ci), 'ports'), pi), 'hostPort');
      if (seen.has(s)) errs.push(duplicate(p, s));
      else seen.add(s);
    });
  });
  return errs;
}

const HANDLER_TYPES = ['exec', 'httpGet', 'tcpSocket', 'grpc'];

function validateProbe(probe: unknown, path: string, kind: 'liveness' | 'readiness' | 'startup'): FieldError[] {
  if (!isObj(probe)) return [];
  const errs: FieldError[] = [];
  const handlers = HANDLER_TYPES.filter((h) => probe[h] !== undefined && probe[h] !== null);
  if (handlers.length === 0) errs.push(required(path, 'must specify a handler type'));
  for (const h of handlers.slice(1)) errs.push(forbidden(child(path, h), 'may not specify more than 1 handler type'));
  for (const f of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold', 'terminationGracePeriodSeconds']) {
    errs.push(...nonNegative(probe[f], child(path, f)));
  }
  if ((kind === 'liveness' || kind === 'startup') && probe['successThreshold'] !== undefined && probe['successThreshold'] !== 1) {
    errs.push(invalid(child(path, 'successThreshold'), probe['successThreshold'], 'must be 1'));
  }
  return errs;
}

function validateContainerCommon(c: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(c['name']);
  if (!name) errs.push(required(child(path, 'name')));
  else errs.push(...isDNS1123Label(name).map((m) => invalid(child(path, 'name'), name, m)));
  if (!str(c['image'])) errs.push(required(child(path, 'image')));
  const tmp = c['terminationMessagePolicy'];
  if (tmp !== undefined && tmp !== 'File' && tmp !== 'FallbackToLogsOnError') {
    errs.push(tmp === '' ? required(child(path, 'terminationMessagePolicy')) : notSupported(child(path, 'terminationMessagePolicy'), tmp, ['File', 'FallbackToLogsOnError']));
  }
  errs.push(...validateContainerPorts(c['ports'], child(path, 'ports')));
  const pp = c['imagePullPolicy'];
  if (pp !== undefined && pp !== 'Always' && pp !== 'IfNotPresent' && pp !== 'Never') {
    errs.push(pp === '' ? required(child(path, 'imagePullPolicy')) : notSupported(child(path, 'imagePullPolicy'), pp, ['Always', 'IfNotPresent', 'Never']));
  }
  errs.push(...validateResourceRequirements(c['resources'], child(path, 'resources')));
  return errs;
}

function validateContainers(containers: unknown, path: string): FieldError[] {
  const list = arr(containers);
  if (list.length === 0) return [required(path)];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  list.forEach((raw, i) => {
    const c = isObj(raw) ? raw : {};
    const p = index(path, i);
    errs.push(...validateContainerCommon(c, p));
    const name = str(c['name']);
    if (names.has(name)) errs.push(duplicate(child(p, 'name'), name));
    else names.add(name);
    errs.push(...validateProbe(c['livenessProbe'], child(p, 'livenessProbe'), 'liveness'));
    errs.push(...validateProbe(c['readinessProbe'], child(p, 'readinessProbe'), 'readiness'));
    errs.push(...validateProbe(c['startupProbe'], child(p, 'startupProbe'), 'startup'));
    if (c['restartPolicy'] !== undefined && c['restartPolicy'] !== null) errs.push(forbidden(child(p, 'restartPolicy'), 'may not be set for non-init containers'));
  });
  errs.push(...checkHostPortConflicts(list, path));
  return errs;
}

function validateInitContainers(inits: unknown, regular: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>(arr(regular).map((c) => (isObj(c) ? str(c['name']) : '')));
  arr(inits).forEach((raw, i) => {
    const c = isObj(raw) ? raw : {};
    const p = index(path, i);
    errs.push(...validateContainerCommon(c, p));
    let restartAlways = false;
    const rp = c['restartPolicy'];
    if (rp !== undefined && rp !== null) {
      if (rp !== 'Always') errs.push(notSupported(child(p, 'restartPolicy'), rp, ['Always']));
      restartAlways = rp === 'Always';
    }
    const name = str(c['name']);
    if (names.has(name)) errs.push(duplicate(child(p, 'name'), name));
    else if (name) names.add(name);
    // Init containers run one at a time, so host ports are checked per container.
    errs.push(...checkHostPortConflicts([c], path).map((e) => ({ ...e, path: e.path.replace(`${path}[0]`, p) })));
    if (restartAlways) {
      errs.push(...validateProbe(c['livenessProbe'], child(p, 'livenessProbe'), 'liveness'));
      errs.push(...validateProbe(c['readinessProbe'], child(p, 'readinessProbe'), 'readiness'));
      errs.push(...validateProbe(c['startupProbe'], child(p, 'startupProbe'), 'startup'));
    } else {
      for (const f of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe']) {
        if (c[f] !== undefined && c[f] !== null) errs.push(forbidden(child(p, f), 'may not be set for init containers without restartPolicy=Always'));
      }
    }
  });
  return errs;
}

// ---------------------------------------------------------------------------
// Scheduling-related pod spec fields

function validateTaintEffect(effect: unknown, allowEmpty: boolean, path: string): FieldError[] {
  const e = str(effect);
  if (!allowEmpty && e === '') return [required(path)];
  if (e === 'NoSchedule' || e === 'PreferNoSchedule' || e === 'NoExecute') return [];
  return [notSupported(path, effect, ['NoSchedule', 'PreferNoSchedule', 'NoExecute'])];
}

/** ValidateTolerations. */
export function validateTolerations(tolerations: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  arr(tolerations).forEach((raw, i) => {
    const t = isObj(raw) ? raw : {};
    const p = index(path, i);
    const k = str(t['key']);
    const op = str(t['operator']);
    const value = str(t['value']);
    if (k) errs.push(...validateLabelName(k, child(p, 'key')));
    if (!k && op !== 'Exists') {
      errs.push(invalid(child(p, 'operator'), op, 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    }
    if (t['tolerationSeconds'] !== undefined && t['tolerationSeconds'] !== null && t['effect'] !== 'NoExecute') {
      errs.push(invalid(child(p, 'effect'), str(t['effect']), "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
    if (op === 'Equal' || op === '') {
      const msgs = isValidLabelValue(value);
      if (msgs.length) errs.push(invalid(child(p, 'operator'), value, msgs.join(';')));
    } else if (op === 'Exists') {
      if (value.length > 0) errs.push(invalid(child(p, 'operator'), raw, "value must be empty when `operator` is 'Exists'"));
    } else {
      errs.push(notSupported(child(p, 'operator'), op, ['Equal', 'Exists']));
    }
    if (str(t['effect'])) errs.push(...validateTaintEffect(t['effect'], true, child(p, 'effect')));
  });
  return errs;
}

/** validateNodeTaints. */
export function validateTaints(taints: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Map<string, Set<string>>();
  arr(taints).forEach((raw, i) => {
    const t = isObj(raw) ? raw : {};
    const p = index(path, i);
    const k = str(t['key']);
    errs.push(...validateLabelName(k, child(p, 'key')));
    const msgs = isValidLabelValue(str(t['value']));
    if (msgs.length) errs.push(invalid(child(p, 'value'), str(t['value']), msgs.join(';')));
    errs.push(...validateTaintEffect(t['effect'], false, child(p, 'effect')));
    const effect = str(t['effect']);
    const keys = seen.get(effect) ?? new Set<string>();
    if (keys.has(k)) {
      errs.push(duplicate(p, raw, 'taints must be unique by key and effect pair'));
      return;
    }
    keys.add(k);
    seen.set(effect, keys);
  });
  return errs;
}

/**
 * ValidateNodeSelector for a required node affinity: the one implementation in
 * nodeSelector.ts (label values of required terms are checked on create, as
 * upstream; the copy that lived here had drifted and skipped them).
 */
export function validateNodeSelector(ns: unknown, path: string): FieldError[] {
  return validateNodeSelectorTyped((isObj(ns) ? ns : {}) as unknown as NodeSelector, path);
}

function weightError(w: unknown, path: string): FieldError[] {
  const n = num(w) ?? 0;
  return n <= 0 || n > 100 ? [invalid(path, n, 'must be in the range 1-100')] : [];
}

/**
 * validateLabelKeys + validateMatchLabelKeysAndMismatchLabelKeys (MatchLabelKeysInPodAffinity,
 * beta and on in v1.31): the keys must be label names, need a labelSelector, and a key may not
 * be in both lists. (Upstream also flags a matchLabelKeys key repeated in the selector after the
 * registry merged it in; ksim does not merge keys into the stored selector, so that check has
 * nothing to look at here.)
 */
function validateLabelKeys(path: string, keys: unknown[], selector: unknown): FieldError[] {
  if (keys.length === 0) return [];
  if (selector === undefined || selector === null) return [forbidden(path, 'must not be specified when labelSelector is not set')];
  return keys.flatMap((k, i) => validateLabelName(str(k), index(path, i)));
}

function validateMatchLabelKeysAndMismatchLabelKeys(path: string, matchKeys: unknown[], mismatchKeys: unknown[], selector: unknown): FieldError[] {
  const errs = [...validateLabelKeys(child(path, 'matchLabelKeys'), matchKeys, selector), ...validateLabelKeys(child(path, 'mismatchLabelKeys'), mismatchKeys, selector)];
  const mismatch = new Set(mismatchKeys.map(str));
  matchKeys.forEach((k, i) => {
    if (mismatch.has(str(k))) errs.push(invalid(index(child(path, 'matchLabelKeys'), i), str(k), 'exists in both matchLabelKeys and mismatchLabelKeys'));
  });
  return errs;
}

function validatePodAffinityTerm(term: unknown, path: string): FieldError[] {
  const t = isObj(term) ? term : {};
  const errs: FieldError[] = [];
  errs.push(...validateLabelSelector(t['labelSelector'] as LabelSelector | undefined, child(path, 'labelSelector')));
  errs.push(...validateLabelSelector(t['namespaceSelector'] as LabelSelector | undefined, child(path, 'namespaceSelector')));
  for (const n of arr(t['namespaces'])) errs.push(...nameErrors(nameIsDNSLabel, str(n), child(path, 'namespace')));
  errs.push(...validateMatchLabelKeysAndMismatchLabelKeys(path, arr(t['matchLabelKeys']), arr(t['mismatchLabelKeys']), t['labelSelector']));
  const tk = str(t['topologyKey']);
  if (!tk) errs.push(required(child(path, 'topologyKey'), 'can not be empty'));
  errs.push(...validateLabelName(tk, child(path, 'topologyKey')));
  return errs;
}

function validatePodAffinityKind(pa: unknown, path: string): FieldError[] {
  if (!isObj(pa)) return [];
  const errs: FieldError[] = [];
  const reqPath = child(path, 'requiredDuringSchedulingIgnoredDuringExecution');
  arr(pa['requiredDuringSchedulingIgnoredDuringExecution']).forEach((t, i) => errs.push(...validatePodAffinityTerm(t, index(reqPath, i))));
  const prefPath = child(path, 'preferredDuringSchedulingIgnoredDuringExecution');
  arr(pa['preferredDuringSchedulingIgnoredDuringExecution']).forEach((w, j) => {
    const wt = isObj(w) ? w : {};
    errs.push(...weightError(wt['weight'], child(index(prefPath, j), 'weight')));
    errs.push(...validatePodAffinityTerm(wt['podAffinityTerm'], child(index(prefPath, j), 'podAffinityTerm')));
  });
  return errs;
}

/** validateAffinity. */
export function validateAffinity(affinity: unknown, path: string): FieldError[] {
  if (!isObj(affinity)) return [];
  const errs: FieldError[] = [];
  const na = affinity['nodeAffinity'];
  if (isObj(na)) {
    const np = child(path, 'nodeAffinity');
    if (na['requiredDuringSchedulingIgnoredDuringExecution'] !== undefined && na['requiredDuringSchedulingIgnoredDuringExecution'] !== null) {
      errs.push(...validateNodeSelector(na['requiredDuringSchedulingIgnoredDuringExecution'], child(np, 'requiredDuringSchedulingIgnoredDuringExecution')));
    }
    const pp = child(np, 'preferredDuringSchedulingIgnoredDuringExecution');
    arr(na['preferredDuringSchedulingIgnoredDuringExecution']).forEach((t, i) => {
      const term = isObj(t) ? t : {};
      errs.push(...weightError(term['weight'], child(index(pp, i), 'weight')));
      // Preferences are not checked for label values (allowInvalidLabelValue), as upstream.
      errs.push(...validateNodeSelectorTerm((isObj(term['preference']) ? term['preference'] : {}) as unknown as NodeSelectorTerm, child(index(pp, i), 'preference'), true));
    });
  }
  errs.push(...validatePodAffinityKind(affinity['podAffinity'], child(path, 'podAffinity')));
  errs.push(...validatePodAffinityKind(affinity['podAntiAffinity'], child(path, 'podAntiAffinity')));
  return errs;
}

/** validateTopologySpreadConstraints. */
export function validateTopologySpreadConstraints(constraints: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const list = arr(constraints);
  list.forEach((raw, i) => {
    const c = isObj(raw) ? raw : {};
    const p = index(path, i);
    const maxSkew = num(c['maxSkew']) ?? 0;
    if (maxSkew <= 0) errs.push(invalid(child(p, 'maxSkew'), maxSkew, IsNotPositiveErrorMsg));
    const tk = str(c['topologyKey']);
    if (!tk) errs.push(required(child(p, 'topologyKey'), 'can not be empty'));
    const wu = str(c['whenUnsatisfiable']);
    if (wu !== 'DoNotSchedule' && wu !== 'ScheduleAnyway') errs.push(notSupported(child(p, 'whenUnsatisfiable'), wu, ['DoNotSchedule', 'ScheduleAnyway']));
    // {topologyKey, whenUnsatisfiable} identifies a constraint; repeats are reported once, on the first.
    const later = list.slice(i + 1).some((o) => isObj(o) && str(o['topologyKey']) === tk && str(o['whenUnsatisfiable']) === wu);
    if (later) errs.push(duplicate(child(p, '{topologyKey, whenUnsatisfiable}'), `{${tk}, ${wu}}`));
    const md = c['minDomains'];
    if (md !== undefined && md !== null) {
      const n = num(md) ?? 0;
      if (n <= 0) errs.push(invalid(child(p, 'minDomains'), n, IsNotPositiveErrorMsg));
      if (wu !== 'DoNotSchedule') errs.push(invalid(child(p, 'minDomains'), n, `can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ${wu}`));
    }
    for (const f of ['nodeAffinityPolicy', 'nodeTaintsPolicy']) {
      const v = c[f];
      if (v !== undefined && v !== null && v !== 'Honor' && v !== 'Ignore') errs.push(notSupported(child(p, f), v, ['Honor', 'Ignore']));
    }
    const mlk = arr(c['matchLabelKeys']);
    if (mlk.length > 0) {
      const ls = c['labelSelector'];
      const selectorKeys = new Set<string>();
      if (isObj(ls)) {
        for (const k of Object.keys(isObj(ls['matchLabels']) ? ls['matchLabels'] : {})) selectorKeys.add(k);
        for (const e of arr(ls['matchExpressions'])) if (isObj(e)) selectorKeys.add(str(e['key']));
      } else {
        errs.push(forbidden(child(p, 'matchLabelKeys'), 'must not be specified when labelSelector is not set'));
      }
      mlk.forEach((k, j) => {
        const kp = index(child(p, 'matchLabelKeys'), j);
        errs.push(...validateLabelName(str(k), kp));
        if (selectorKeys.has(str(k))) errs.push(invalid(kp, k, 'exists in both matchLabelKeys and labelSelector'));
      });
    }
    errs.push(...validateLabelSelector(c['labelSelector'] as LabelSelector | undefined, child(p, 'labelSelector')));
  });
  return errs;
}

// ---------------------------------------------------------------------------
// Pod spec

const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];

/**
 * Results of validatePodSpec by (isPod, path, the spec's JSON), the most
 * recent kept. Why: every pod a controller creates from one template has the
 * same spec, and pod spec validation was a large share of a pod's creation;
 * the function is pure in its arguments, so a remembered result is the result.
 */
const podSpecResults = new Map<string, { spec: unknown; errs: readonly FieldError[] }>();
const POD_SPEC_RESULTS = 256;

/**
 * The same results by the identity of a frozen spec, per (isPod, path): the store
 * gives pods with equal specs one frozen spec object (src/sim/specIntern.ts), so
 * most pods are found here without writing their spec as JSON.
 */
const frozenPodSpecResults = bySite<WeakMap<object, readonly FieldError[]>>();

/**
 * The last spec validated per (isPod, path), as a private copy, with its result:
 * a loader checks thousands of manifests from one template in a row, and
 * comparing with the last one (sameTree) costs less than writing each as JSON.
 */
const lastPodSpec = bySite<{ spec: unknown; errs: readonly FieldError[] }>();

/**
 * A map per (isPod, path): one for pods and one for templates, each keyed by the path itself. Why: the
 * "p"/"t" + path key was a new string built and hashed on every call, where a pod's path is the constant
 * 'spec' (hashed once); in profiles that lookup was most of a created pod's spec validation.
 */
function bySite<V>(): { pod: Map<string, V>; template: Map<string, V> } {
  return { pod: new Map(), template: new Map() };
}

/** ValidatePodSpec for the fields ksim models. */
export function validatePodSpec(spec: unknown, path: string, isPod: boolean): FieldError[] {
  return podSpecErrors(spec, path, isPod).map(copyError);
}

/** A copy of a remembered error (callers own what they are given). */
function copyError(e: FieldError): FieldError {
  return { ...e };
}

/** `from`'s errors copied onto the end of `to`. */
function pushCopies(to: FieldError[], from: readonly FieldError[]): void {
  for (let i = 0; i < from.length; i++) to.push({ ...from[i]! });
}

/**
 * validatePodSpec's errors as remembered (shared: read only, copied by whoever hands them out). Why not the
 * copied list: the callers that add them to a list of their own copied each error into a new list first.
 */
function podSpecErrors(spec: unknown, path: string, isPod: boolean): readonly FieldError[] {
  const frozen = typeof spec === 'object' && spec !== null && Object.isFrozen(spec);
  let byObject: WeakMap<object, readonly FieldError[]> | undefined;
  if (frozen) {
    const sites = isPod ? frozenPodSpecResults.pod : frozenPodSpecResults.template;
    byObject = sites.get(path);
    if (byObject === undefined) sites.set(path, (byObject = new WeakMap()));
    const hit = byObject.get(spec);
    if (hit !== undefined) return hit;
  }
  const lastSites = isPod ? lastPodSpec.pod : lastPodSpec.template;
  let remembered = lastSites.get(path);
  let known: readonly FieldError[];
  if (remembered !== undefined && sameTree(remembered.spec, spec)) known = remembered.errs;
  else {
    // JSON files candidates only: NaN and null, -0 and 0, an undefined member and none write the same.
    const key = `${isPod ? 'p' : 't'}${path}\u0000${JSON.stringify(spec)}`;
    remembered = podSpecResults.get(key);
    if (remembered !== undefined && sameTree(remembered.spec, spec)) known = remembered.errs;
    else {
      known = validatePodSpecUncached(spec, path, isPod);
      let copy: unknown;
      try {
        copy = structuredClone(spec);
      } catch {
        copy = undefined; // not cloneable (a function inside): not remembered
      }
      if (copy !== undefined) {
        if (podSpecResults.size >= POD_SPEC_RESULTS) podSpecResults.clear();
        podSpecResults.set(key, (remembered = { spec: copy, errs: known }));
      } else remembered = undefined;
    }
    if (remembered !== undefined) lastSites.set(path, remembered);
  }
  if (byObject !== undefined) byObject.set(spec as object, known);
  return known;
}

/** The straightforward evaluation validatePodSpec remembers (exported for the tests that compare the two). */
export function validatePodSpecUncached(spec: unknown, path: string, isPod: boolean): FieldError[] {
  const s = isObj(spec) ? spec : {};
  const errs: FieldError[] = [];
  const volNames = new Set<string>();
  arr(s['volumes']).forEach((v, i) => {
    const name = isObj(v) ? str(v['name']) : '';
    const p = child(index(child(path, 'volumes'), i), 'name');
    if (!name) errs.push(required(p));
    else {
      errs.push(...isDNS1123Label(name).map((m) => invalid(p, name, m)));
      if (volNames.has(name)) errs.push(duplicate(p, name));
      volNames.add(name);
    }
  });
  errs.push(...validateContainers(s['containers'], child(path, 'containers')));
  errs.push(...validateInitContainers(s['initContainers'], s['containers'], child(path, 'initContainers')));
  if (s['hostNetwork'] === true) {
    arr(s['containers']).forEach((c, i) => {
      arr(isObj(c) ? c['ports'] : undefined).forEach((raw, j) => {
        if (!isObj(raw)) return;
        const hp = num(raw['hostPort']) ?? 0;
        const cp = num(raw['containerPort']) ?? 0;
        // In a Pod the host port must equal the container port; a template may leave it 0.
        if ((isPod || hp !== 0) && hp !== cp) {
          errs.push(invalid(child(index(child(index(child(path, 'containers'), i), 'ports'), j), 'hostPort'), hp, 'must match `containerPort` when `hostNetwork` is true'));
        }
      });
    });
  }
  const rp = s['restartPolicy'];
  if (rp !== undefined && !RESTART_POLICIES.includes(str(rp))) {
    errs.push(str(rp) === '' ? required(child(path, 'restartPolicy')) : notSupported(child(path, 'restartPolicy'), rp, RESTART_POLICIES));
  }
  const dp = s['dnsPolicy'];
  if (dp !== undefined && !DNS_POLICIES.includes(str(dp))) {
    errs.push(str(dp) === '' ? required(child(path, 'dnsPolicy')) : notSupported(child(path, 'dnsPolicy'), dp, DNS_POLICIES));
  }
  errs.push(...validateLabels(strMap(s['nodeSelector']), child(path, 'nodeSelector')));
  errs.push(...validateAffinity(s['affinity'], child(path, 'affinity')));
  const gates = new Set<string>();
  arr(s['schedulingGates']).forEach((g, i) => {
    const name = isObj(g) ? str(g['name']) : '';
    const p = index(child(path, 'schedulingGates'), i);
    errs.push(...isQualifiedName(name).map((m) => invalid(p, name, m)));
    if (gates.has(name)) errs.push(duplicate(p, name));
    gates.add(name);
  });
  errs.push(...validateTopologySpreadConstraints(s['topologySpreadConstraints'], child(path, 'topologySpreadConstraints')));
  const nodeName = str(s['nodeName']);
  if (nodeName) errs.push(...nameErrors(nameIsDNSSubdomain, nodeName, child(path, 'nodeName')));
  const ads = s['activeDeadlineSeconds'];
  if (ads !== undefined && ads !== null) {
    const n = num(ads) ?? 0;
    if (n < 1 || n > 2147483647) errs.push(invalid(child(path, 'activeDeadlineSeconds'), n, inclusiveRangeError(1, 2147483647)));
  }
  for (const f of ['hostname', 'subdomain']) {
    const v = str(s[f]);
    if (v) errs.push(...isDNS1123Label(v).map((m) => invalid(child(path, f), v, m)));
  }
  errs.push(...validateTolerations(s['tolerations'], child(path, 'tolerations')));
  const pcn = str(s['priorityClassName']);
  if (pcn) errs.push(...nameErrors(nameIsDNSSubdomain, pcn, child(path, 'priorityClassName')));
  const pp = s['preemptionPolicy'];
  if (pp !== undefined && pp !== null) {
    if (pp === '') errs.push(required(child(path, 'preemptionPolicy')));
    else if (pp !== 'PreemptLowerPriority' && pp !== 'Never') errs.push(notSupported(child(path, 'preemptionPolicy'), pp, ['PreemptLowerPriority', 'Never']));
  }
  if (s['overhead'] !== undefined && s['overhead'] !== null) errs.push(...validateResourceRequirements({ limits: s['overhead'] }, child(path, 'overhead')));
  errs.push(...nonNegative(s['terminationGracePeriodSeconds'], child(path, 'terminationGracePeriodSeconds')));
  return errs;
}

/** ValidatePodTemplateSpec: labels/annotations of the template and its pod spec. */
function validatePodTemplateSpec(template: unknown, path: string): FieldError[] {
  if (!isObj(template)) return [required(path)];
  const errs: FieldError[] = [];
  const meta = isObj(template['metadata']) ? template['metadata'] : {};
  // Paths made only for an error, and no list per check (every created Job passes here).
  const labels = strMap(meta['labels']);
  if (!labelsAreValid(labels)) pushAll(errs, validateLabelsInFull(labels!, child(child(path, 'metadata'), 'labels')));
  const annotations = strMap(meta['annotations']);
  if (!annotationsAreValid(annotations)) pushAll(errs, validateAnnotationsInFull(annotations!, child(child(path, 'metadata'), 'annotations')));
  pushCopies(errs, podSpecErrors(template['spec'], path === 'spec.template' ? 'spec.template.spec' : child(path, 'spec'), false));
  return errs;
}

// ---------------------------------------------------------------------------
// Workloads

/** ValidatePositiveIntOrPercent + IsNotMoreThan100Percent. */
function validateIntOrPercent(v: unknown, path: string, max100: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (typeof v === 'string') {
    if (!/^[0-9]+%$/.test(v)) {
      errs.push(invalid(path, v, "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"));
    } else if (max100 && Number(v.slice(0, -1)) > 100) {
      errs.push(invalid(path, v, 'must not be greater than 100%'));
    }
  } else if (typeof v === 'number') {
    errs.push(...nonNegative(v, path));
  } else if (v !== undefined && v !== null) {
    errs.push(invalid(path, v, "must be an integer or percentage (e.g '5%')"));
  }
  return errs;
}

function intOrPercentIsZero(v: unknown): boolean {
  if (typeof v === 'number') return v === 0;
  if (typeof v === 'string' && /^[0-9]+%$/.test(v)) return Number(v.slice(0, -1)) === 0;
  return false;
}

/** ValidatePodTemplateSpecForReplicaSet: selector must match template labels; restartPolicy Always. */
function validateTemplateForSelector(spec: Obj, path: string, requireRestartAlways: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const tpath = child(path, 'template');
  const template = spec['template'];
  const sel = spec['selector'];
  if (!isObj(template)) return [required(tpath)];
  const tmeta = isObj(template['metadata']) ? template['metadata'] : {};
  const tlabels = strMap(tmeta['labels']) ?? {};
  if (isObj(sel)) {
    const selector = labelSelectorAsSelectorSafe(sel as LabelSelector);
    if (selector && !selector.empty && !selector.matches(tlabels)) {
      errs.push(invalid(child(child(tpath, 'metadata'), 'labels'), tlabels, '`selector` does not match template `labels`'));
    }
  }
  errs.push(...validatePodTemplateSpec(template, tpath));
  const tspec = isObj(template['spec']) ? template['spec'] : {};
  if (requireRestartAlways && tspec['restartPolicy'] !== undefined && tspec['restartPolicy'] !== 'Always') {
    errs.push(notSupported(child(child(tpath, 'spec'), 'restartPolicy'), tspec['restartPolicy'], ['Always']));
  }
  if (requireRestartAlways && tspec['activeDeadlineSeconds'] !== undefined && tspec['activeDeadlineSeconds'] !== null) {
    errs.push(invalid(child(child(tpath, 'spec'), 'activeDeadlineSeconds'), tspec['activeDeadlineSeconds'], 'activeDeadlineSeconds in ReplicaSet is not Supported'));
  }
  return errs;
}

function labelSelectorAsSelectorSafe(ls: LabelSelector): ReturnType<typeof labelSelectorAsSelector> | undefined {
  try {
    return labelSelectorAsSelector(ls);
  } catch {
    return undefined;
  }
}

/** The selector checks shared by Deployment, ReplicaSet, StatefulSet, DaemonSet. */
function validateWorkloadSelector(spec: Obj, path: string, kindText: string): FieldError[] {
  const errs: FieldError[] = [];
  const sel = spec['selector'];
  const sp = child(path, 'selector');
  if (sel === undefined || sel === null) return [required(sp)];
  errs.push(...validateLabelSelector(sel as LabelSelector, sp));
  const s = isObj(sel) ? sel : {};
  const n = Object.keys(isObj(s['matchLabels']) ? s['matchLabels'] : {}).length + arr(s['matchExpressions']).length;
  if (n === 0) errs.push(invalid(sp, sel, `empty selector is invalid for ${kindText}`));
  else if (labelSelectorAsSelectorSafe(sel as LabelSelector) === undefined) errs.push(invalid(sp, sel, 'invalid label selector'));
  return errs;
}

function validateDeploymentSpec(spec: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  errs.push(...nonNegative(spec['replicas'], child(path, 'replicas')));
  errs.push(...validateWorkloadSelector(spec, path, 'deployment'));
  errs.push(...validateTemplateForSelector(spec, path, true));
  const strategy = isObj(spec['strategy']) ? spec['strategy'] : {};
  const stPath = child(path, 'strategy');
  const type = strategy['type'];
  if (type === 'Recreate') {
    if (strategy['rollingUpdate'] !== undefined && strategy['rollingUpdate'] !== null) {
      errs.push(forbidden(child(stPath, 'rollingUpdate'), "may not be specified when strategy `type` is 'Recreate'"));
    }
  } else if (type === 'RollingUpdate' || type === undefined) {
    const ru = strategy['rollingUpdate'];
    if (isObj(ru)) {
      const rp = child(stPath, 'rollingUpdate');
      errs.push(...validateIntOrPercent(ru['maxUnavailable'], child(rp, 'maxUnavailable'), false));
      errs.push(...validateIntOrPercent(ru['maxSurge'], child(rp, 'maxSurge'), false));
      if (intOrPercentIsZero(ru['maxUnavailable'] ?? '25%') && intOrPercentIsZero(ru['maxSurge'] ?? '25%')) {
        errs.push(invalid(child(rp, 'maxUnavailable'), ru['maxUnavailable'], 'may not be 0 when `maxSurge` is 0'));
      }
      const mu = ru['maxUnavailable'];
      if (typeof mu === 'string' && /^[0-9]+%$/.test(mu) && Number(mu.slice(0, -1)) > 100) errs.push(invalid(child(rp, 'maxUnavailable'), mu, 'must not be greater than 100%'));
    }
  } else {
    errs.push(notSupported(stPath, strategy, ['Recreate', 'RollingUpdate']));
  }
  errs.push(...nonNegative(spec['minReadySeconds'], child(path, 'minReadySeconds')));
  errs.push(...nonNegative(spec['revisionHistoryLimit'], child(path, 'revisionHistoryLimit')));
  const pds = spec['progressDeadlineSeconds'];
  if (typeof pds === 'number') {
    errs.push(...nonNegative(pds, child(path, 'progressDeadlineSeconds')));
    if (pds <= (num(spec['minReadySeconds']) ?? 0)) errs.push(invalid(child(path, 'progressDeadlineSeconds'), pds, 'must be greater than minReadySeconds'));
  }
  return errs;
}

function validateReplicaSetSpec(spec: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  errs.push(...nonNegative(spec['replicas'], child(path, 'replicas')));
  errs.push(...nonNegative(spec['minReadySeconds'], child(path, 'minReadySeconds')));
  errs.push(...validateWorkloadSelector(spec, path, 'deployment'));
  errs.push(...validateTemplateForSelector(spec, path, true));
  return errs;
}

function validateStatefulSetSpec(spec: Obj, path: string, gates: FeatureGates): FieldError[] {
  const errs: FieldError[] = [];
  if (gates.atLeast('1.33')) {
    // v1.33 (kubernetes#130233): a set serviceName must be a DNS-1123 label (it
    // names the pods' DNS subdomain); before, such a StatefulSet was accepted but
    // could create no pods.
    const svc = str(spec['serviceName']);
    if (svc) errs.push(...isDNS1123Label(svc).map((m) => invalid(child(path, 'serviceName'), svc, m)));
    // v1.33 (kubernetes#129017): revisionHistoryLimit may not be negative.
    errs.push(...nonNegative(spec['revisionHistoryLimit'], child(path, 'revisionHistoryLimit')));
  }
  const pmp = spec['podManagementPolicy'];
  if (pmp !== undefined && pmp !== 'OrderedReady' && pmp !== 'Parallel') {
    errs.push(notSupported(child(path, 'podManagementPolicy'), pmp, ['OrderedReady', 'Parallel']));
  }
  const us = isObj(spec['updateStrategy']) ? spec['updateStrategy'] : {};
  const ut = us['type'];
  if (ut !== undefined && ut !== 'RollingUpdate' && ut !== 'OnDelete') {
    errs.push(notSupported(child(child(path, 'updateStrategy'), 'type'), ut, ['OnDelete', 'RollingUpdate']));
  }
  if (isObj(us['rollingUpdate'])) errs.push(...nonNegative(us['rollingUpdate']['partition'], child(child(child(path, 'updateStrategy'), 'rollingUpdate'), 'partition')));
  errs.push(...nonNegative(spec['replicas'], child(path, 'replicas')));
  errs.push(...nonNegative(spec['minReadySeconds'], child(path, 'minReadySeconds')));
  errs.push(...validateWorkloadSelector(spec, path, 'statefulset'));
  errs.push(...validateTemplateForSelector(spec, path, true));
  return errs;
}

function validateDaemonSetSpec(spec: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  errs.push(...validateWorkloadSelector(spec, path, 'daemonset'));
  errs.push(...validateTemplateForSelector(spec, path, true));
  errs.push(...nonNegative(spec['minReadySeconds'], child(path, 'minReadySeconds')));
  const us = isObj(spec['updateStrategy']) ? spec['updateStrategy'] : {};
  const ut = us['type'];
  if (ut !== undefined && ut !== 'RollingUpdate' && ut !== 'OnDelete') {
    errs.push(notSupported(child(child(path, 'updateStrategy'), 'type'), ut, ['OnDelete', 'RollingUpdate']));
  }
  if (isObj(us['rollingUpdate'])) {
    const rp = child(child(path, 'updateStrategy'), 'rollingUpdate');
    const ru = us['rollingUpdate'];
    errs.push(...validateIntOrPercent(ru['maxUnavailable'], child(rp, 'maxUnavailable'), true));
    errs.push(...validateIntOrPercent(ru['maxSurge'], child(rp, 'maxSurge'), true));
    // Exactly one of maxSurge and maxUnavailable must be non-zero.
    const hasUnavailable = !intOrPercentIsZero(ru['maxUnavailable'] ?? 0);
    const hasSurge = !intOrPercentIsZero(ru['maxSurge'] ?? 0);
    if (hasUnavailable && hasSurge) errs.push(invalid(child(rp, 'maxSurge'), ru['maxSurge'], 'may not be set when maxUnavailable is non-zero'));
    else if (!hasUnavailable && !hasSurge) errs.push(invalid(child(rp, 'maxUnavailable'), ru['maxUnavailable'] ?? 0, 'cannot be 0 when maxSurge is 0'));
  }
  return errs;
}

/**
 * validateJobSpec's errors for path 'spec' by the frozen spec object (shared: copied when handed out). Why:
 * a Job's metadata patches (the garbage collector's foregroundDeletion finalizer, on and off: nearly one main
 * resource update per Job) keep the stored spec object, and each validated the whole spec again. The
 * result is a function of the spec, and a frozen spec cannot change (the store freezes what it keeps deeply,
 * as validatePodSpec's frozenPodSpecResults relies on too). Weak: a spec no Job holds goes with its result.
 */
const jobSpecResults = new WeakMap<object, readonly FieldError[]>();

/** The Job spec's counts that must not be negative, in the order their errors come. */
const JOB_COUNTS = ['parallelism', 'completions', 'backoffLimit'] as const;

function validateJobSpec(spec: Obj, path: string): FieldError[] {
  if (path !== 'spec' || !Object.isFrozen(spec)) return validateJobSpecUncached(spec, path);
  let known = jobSpecResults.get(spec);
  if (known === undefined) jobSpecResults.set(spec, (known = validateJobSpecUncached(spec, path)));
  return known.map(copyError);
}

/** The evaluation validateJobSpec remembers. */
function validateJobSpecUncached(spec: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (let i = 0; i < JOB_COUNTS.length; i++) {
    const f = JOB_COUNTS[i]!;
    const n = num(spec[f]);
    if (n !== undefined && n < 0) errs.push(invalid(child(path, f), n, IsNegativeErrorMsg));
  }
  const ads = spec['activeDeadlineSeconds'];
  if (typeof ads === 'number' && ads <= 0) errs.push(invalid(child(path, 'activeDeadlineSeconds'), ads, IsNotPositiveErrorMsg));
  const cm = spec['completionMode'];
  if (cm !== undefined && cm !== 'NonIndexed' && cm !== 'Indexed') errs.push(notSupported(child(path, 'completionMode'), cm, ['NonIndexed', 'Indexed']));
  if (cm === 'Indexed' && (spec['completions'] === undefined || spec['completions'] === null)) {
    errs.push(required(child(path, 'completions'), 'when completion mode is Indexed'));
  }
  if (spec['manualSelector'] === true) errs.push(...validateWorkloadSelector(spec, path, 'job'));
  const tpath = path === 'spec' ? 'spec.template' : child(path, 'template');
  errs.push(...validatePodTemplateSpec(spec['template'], tpath));
  const tspec = isObj(spec['template']) && isObj(spec['template']['spec']) ? spec['template']['spec'] : {};
  // An unset restartPolicy is defaulted to Always, which a Job does not allow.
  const rp = tspec['restartPolicy'] ?? 'Always';
  if (rp !== 'OnFailure' && rp !== 'Never') errs.push(notSupported(child(child(tpath, 'spec'), 'restartPolicy'), rp, ['OnFailure', 'Never']));
  return errs;
}

// ---------------------------------------------------------------------------
// Per kind

function metaOf(o: Obj): Obj {
  return isObj(o['metadata']) ? o['metadata'] : {};
}

function validatePriorityClass(o: Obj): FieldError[] {
  const errs = validateObjectMeta(o['metadata'], false, nameIsDNSSubdomain);
  const name = str(metaOf(o)['name']);
  const value = num(o['value']) ?? 0;
  const globalDefault = o['globalDefault'] === true;
  if (name.startsWith(SystemPriorityClassPrefix)) {
    const known = SYSTEM_PRIORITY_CLASSES.find((s) => s.name === name);
    let why: string | undefined;
    if (!known) why = `${name} is not a known system priority class`;
    else if (known.value !== value) why = `value of ${name} PriorityClass must be ${known.value}`;
    else if (known.globalDefault !== globalDefault) why = `globalDefault of ${name} PriorityClass must be ${known.globalDefault}`;
    if (why) errs.push(forbidden('metadata.name', `priority class names with '${SystemPriorityClassPrefix}' prefix are reserved for system use only. error: ${why}`));
  } else if (value > HighestUserDefinablePriority) {
    errs.push(forbidden('value', `maximum allowed value of a user defined priority is ${HighestUserDefinablePriority}`));
  }
  const pp = o['preemptionPolicy'];
  if (pp !== undefined && pp !== null) {
    if (pp === '') errs.push(required('preemptionPolicy'));
    else if (pp !== 'PreemptLowerPriority' && pp !== 'Never') errs.push(notSupported('preemptionPolicy', pp, ['PreemptLowerPriority', 'Never']));
  }
  return errs;
}

function validatePDB(o: Obj): FieldError[] {
  const errs = validateObjectMeta(o['metadata'], true, nameIsDNSSubdomain);
  const spec = isObj(o['spec']) ? o['spec'] : {};
  const hasMin = spec['minAvailable'] !== undefined && spec['minAvailable'] !== null;
  const hasMax = spec['maxUnavailable'] !== undefined && spec['maxUnavailable'] !== null;
  if (hasMin && hasMax) errs.push(invalid('spec', spec, 'minAvailable and maxUnavailable cannot be both set'));
  if (hasMin) errs.push(...validateIntOrPercent(spec['minAvailable'], 'spec.minAvailable', true));
  if (hasMax) errs.push(...validateIntOrPercent(spec['maxUnavailable'], 'spec.maxUnavailable', true));
  errs.push(...validateLabelSelector(spec['selector'] as LabelSelector | undefined, 'spec.selector'));
  const uhp = spec['unhealthyPodEvictionPolicy'];
  if (uhp !== undefined && uhp !== null && uhp !== 'IfHealthyBudget' && uhp !== 'AlwaysAllow') {
    errs.push(notSupported('spec.unhealthyPodEvictionPolicy', uhp, ['AlwaysAllow', 'IfHealthyBudget']));
  }
  return errs;
}

function validateNode(o: Obj): FieldError[] {
  const errs = validateObjectMeta(o['metadata'], false, nameIsDNSSubdomain);
  const spec = isObj(o['spec']) ? o['spec'] : {};
  errs.push(...validateTaints(spec['taints'], 'spec.taints'));
  const status = isObj(o['status']) ? o['status'] : {};
  for (const f of ['capacity', 'allocatable']) {
    const list = status[f];
    if (!isObj(list)) continue;
    for (const k of Object.keys(list).sort()) {
      // Upstream builds these paths with Child, not Key: status.capacity.cpu
      const p = `status.${f}.${k}`;
      const q = Quantity.tryParse(list[k]);
      if (q === undefined) {
        const e = quantityFieldError(list[k], p);
        if (e) errs.push(e);
        continue;
      }
      errs.push(...validateResourceQuantityValue(k, q, p));
    }
  }
  return errs;
}

function specOf(o: Obj): Obj {
  return isObj(o['spec']) ? o['spec'] : {};
}

/**
 * Validate an object as the API server would on create. Unknown kinds get only the
 * metadata checks (DNS subdomain names, namespaced unless known cluster-scoped).
 * `gates` (default: the newest release) selects the checks that changed between
 * releases.
 */
export function validateObject(obj: KObject, gates: FeatureGates = FeatureGates.defaults()): FieldError[] {
  const o = obj as Obj;
  try {
    switch (obj.kind) {
      case 'Pod': {
        // The metadata's list, then the spec's errors copied onto it (no two spreads into a third list per pod).
        const errs = validateObjectMeta(o['metadata'], true, nameIsDNSSubdomain);
        pushCopies(errs, podSpecErrors(o['spec'], 'spec', true));
        return errs;
      }
      case 'Node':
        return validateNode(o);
      case 'Namespace':
        return validateObjectMeta(o['metadata'], false, nameIsDNSLabel);
      case 'Service':
        return validateObjectMeta(o['metadata'], true, nameIsDNS1035Label);
      case 'PriorityClass':
        return validatePriorityClass(o);
      case 'PodDisruptionBudget':
        return validatePDB(o);
      case 'Deployment':
        return [...validateObjectMeta(o['metadata'], true, nameIsDNSSubdomain), ...validateDeploymentSpec(specOf(o), 'spec')];
      case 'ReplicaSet':
        return [...validateObjectMeta(o['metadata'], true, nameIsDNSSubdomain), ...validateReplicaSetSpec(specOf(o), 'spec')];
      case 'StatefulSet':
        return [...validateObjectMeta(o['metadata'], true, nameIsDNSSubdomain), ...validateStatefulSetSpec(specOf(o), 'spec', gates)];
      case 'DaemonSet':
        return [...validateObjectMeta(o['metadata'], true, nameIsDNSSubdomain), ...validateDaemonSetSpec(specOf(o), 'spec')];
      case 'Job': {
        const errs = validateObjectMeta(o['metadata'], true, nameIsDNSSubdomain);
        pushAll(errs, validateJobSpec(specOf(o), 'spec'));
        return errs;
      }
      case 'CronJob': {
        const errs = validateObjectMeta(o['metadata'], true, nameIsDNSSubdomain);
        const spec = specOf(o);
        if (!str(spec['schedule'])) errs.push(required('spec.schedule'));
        // The controller appends an 11-character suffix (-<minutes>) to the Job names it creates.
        const cjName = str(metaOf(o)['name']);
        if (cjName.length > 52) errs.push(invalid('metadata.name', cjName, 'must be no more than 52 characters'));
        for (const e of validateCronJobSchedule(spec['schedule'], spec['timeZone'])) errs.push(invalid(e.path, e.value, e.detail));
        const cp = spec['concurrencyPolicy'];
        if (cp !== undefined && cp !== 'Allow' && cp !== 'Forbid' && cp !== 'Replace') errs.push(notSupported('spec.concurrencyPolicy', cp, ['Allow', 'Forbid', 'Replace']));
        for (const f of ['startingDeadlineSeconds', 'successfulJobsHistoryLimit', 'failedJobsHistoryLimit']) errs.push(...nonNegative(spec[f], `spec.${f}`));
        const jt = isObj(spec['jobTemplate']) ? spec['jobTemplate'] : {};
        errs.push(...validateJobSpec(isObj(jt['spec']) ? jt['spec'] : {}, 'spec.jobTemplate.spec'));
        return errs;
      }
      default:
        return validateObjectMeta(o['metadata'], isNamespaced(obj.kind), nameIsDNSSubdomain);
    }
  } catch (e) {
    // Validation must never throw; an unexpected shape is reported, not raised.
    return [{ path: '', type: 'Invalid', value: obj.kind, detail: `internal validation error: ${e instanceof Error ? e.message : String(e)}` }];
  }
}
