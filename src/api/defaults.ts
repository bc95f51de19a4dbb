/**
 * API-server defaulting, following (v1.31):
 *   pkg/apis/core/v1/defaults.go      SetDefaults_Pod, _PodSpec, _Container, _Probe, _Volume,
 *                                     _ResourceList, _Service, _Namespace, _NamespaceStatus,
 *                                     _PersistentVolume(Claim), _Secret, _ReplicationController,
 *                                     _HTTPGetAction, _HostPathVolumeSource, default file modes
 *   core/v1 generated defaults        ContainerPort/ServicePort protocol TCP, RC replicas 1
 *   pkg/apis/apps/v1/defaults.go      Deployment, ReplicaSet, StatefulSet, DaemonSet
 *   pkg/apis/batch/v1/defaults.go     Job, CronJob
 *   pkg/apis/scheduling/v1            PriorityClass preemptionPolicy
 *   pkg/apis/storage/v1               StorageClass reclaimPolicy / volumeBindingMode
 * and the registry's namespace handling (EnsureObjectNamespaceMatchesRequestNamespace):
 * namespaced objects without a namespace land in "default", cluster-scoped objects
 * lose any namespace they carry.
 *
 * Pod-only defaults (requests copied from limits, enableServiceLinks, host-network
 * ports) are applied to Pods, NOT to pod templates, as upstream: templates get the
 * PodSpec/Container defaults only.
 *
 * Quantities in ResourceLists are rounded up to milli precision (SetDefaults_ResourceList)
 * and stored in canonical form, as the API server's decode/encode round trip does
 * ("1024Mi" is stored as "1Gi", "0.5" as "500m").
 */
import type { KObject } from '../sim/types.ts';
import { Quantity } from './quantity.ts';
import { CLUSTER_SCOPED_KINDS, isNamespaced } from './discovery.ts';

type Obj = Record<string, unknown>;

/** Scope comes from the discovery table (src/api/discovery.ts). */
export { CLUSTER_SCOPED_KINDS, isNamespaced };

export const DEFAULT_NAMESPACE = 'default';
export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';
export const DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS = 30;
export const TERMINATION_MESSAGE_PATH_DEFAULT = '/dev/termination-log';
/** 0644: the default mode of secret, configMap, downwardAPI and projected volumes. */
export const DEFAULT_VOLUME_MODE = 0o644;
export const LabelMetadataName = 'kubernetes.io/metadata.name';

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The object at o[k], created when absent (only when o is an object). */
function child(o: Obj, k: string): Obj {
  const cur = o[k];
  if (isObj(cur)) return cur;
  const made: Obj = {};
  o[k] = made;
  return made;
}

/** A list field's items, or none (one shared empty list: callers only read it). */
function arr(v: unknown): readonly unknown[] {
  return Array.isArray(v) ? v : NO_ITEMS;
}
const NO_ITEMS: readonly unknown[] = Object.freeze([]);

function setIfUnset(o: Obj, k: string, v: unknown): void {
  if (o[k] === undefined || o[k] === null || o[k] === '') o[k] = v;
}

/**
 * SetDefaults_ResourceList: round every quantity up to milli precision, and store it
 * in canonical form. Unparseable values are left for validation to report.
 */
export function defaultResourceList(list: unknown): void {
  if (!isObj(list)) return;
  for (const k of Object.keys(list)) {
    const raw = list[k];
    const canonical = typeof raw === 'string' ? canonicalQuantity(raw) : milliCanonical(raw);
    // Written only when it changes: defaulting a stored (already canonical, frozen) list then writes nothing.
    if (canonical !== undefined && canonical !== raw) list[k] = canonical;
  }
}

/** A quantity rounded up to milli precision in canonical form; undefined when it does not parse. */
function milliCanonical(raw: unknown): string | undefined {
  const q = Quantity.tryParse(raw);
  if (q === undefined) return undefined;
  // Exact for any size (milliValue() would leave the safe-integer range for huge values).
  const rounded = q.roundUp(-3);
  return (rounded.cmp(q) === 0 ? q : rounded).toString();
}

/**
 * milliCanonical of quantity strings seen before, by their text (null: does not
 * parse). Why: every pod of a template carries the same few quantities, and
 * parsing, rounding and formatting each again was a tenth of a pod's create.
 * The answer is a function of the text alone; bounded, cleared when full.
 */
const canonicalByText = new Map<string, string | null>();

function canonicalQuantity(raw: string): string | undefined {
  const known = canonicalByText.get(raw);
  if (known !== undefined) return known ?? undefined;
  const c = milliCanonical(raw);
  if (canonicalByText.size >= 4096) canonicalByText.clear();
  canonicalByText.set(raw, c ?? null);
  return c;
}

// ---------------------------------------------------------------------------
// Images (k8s.io/kubernetes/pkg/util/parsers.ParseImageName via docker reference grammar)

const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const domainRe = `${domainComponent}(?:\\.${domainComponent})*(?::[0-9]+)?`;
const pathComponent = '[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*';
const nameRe = `(?:${domainRe}/)?${pathComponent}(?:/${pathComponent})*`;
const tagRe = '[\\w][\\w.-]{0,127}';
const digestRe = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}';
const referenceRe = new RegExp(`^(${nameRe})(?::(${tagRe}))?(?:@(${digestRe}))?$`);
const identifierRe = /^[a-f0-9]{64}$/;

export interface ImageRef {
  name: string;
  tag: string;
  digest: string;
}

/**
 * ParseImageName: repository, tag and digest; the tag is "latest" when neither a tag
 * nor a digest is given. Undefined when the reference does not parse.
 */
export function parseImageName(image: string): ImageRef | undefined {
  if (identifierRe.test(image)) return undefined;
  const m = referenceRe.exec(image);
  if (!m) return undefined;
  const name = m[1]!;
  if (name.length > 255) return undefined;
  let tag = m[2] ?? '';
  const digest = m[3] ?? '';
  if (tag === '' && digest === '') tag = 'latest';
  return { name, tag, digest };
}

/** SetDefaults_Container's pull policy: Always for ":latest" (or no tag), else IfNotPresent. */
export function defaultImagePullPolicy(image: string): 'Always' | 'IfNotPresent' {
  let policy = pullPolicyByImage.get(image);
  if (policy === undefined) {
    // An unparseable reference yields an empty tag upstream, hence IfNotPresent.
    policy = parseImageName(image)?.tag === 'latest' ? 'Always' : 'IfNotPresent';
    if (pullPolicyByImage.size >= 4096) pullPolicyByImage.clear();
    pullPolicyByImage.set(image, policy);
  }
  return policy;
}

/** defaultImagePullPolicy by image reference (a function of the text: the reference regex ran for every container created). */
const pullPolicyByImage = new Map<string, 'Always' | 'IfNotPresent'>();

// ---------------------------------------------------------------------------
// Pod spec pieces

function defaultHandler(h: unknown): void {
  if (!isObj(h)) return;
  const get = h['httpGet'];
  if (isObj(get)) {
    setIfUnset(get, 'path', '/');
    setIfUnset(get, 'scheme', 'HTTP');
  }
}

/** SetDefaults_Probe (+ its HTTPGetAction). */
export function defaultProbe(p: unknown): void {
  if (!isObj(p)) return;
  for (const [k, v] of [
    ['timeoutSeconds', 1],
    ['periodSeconds', 10],
    ['successThreshold', 1],
    ['failureThreshold', 3],
  ] as const) {
    if (p[k] === undefined || p[k] === null || p[k] === 0) p[k] = v;
  }
  defaultHandler(p);
  // GRPCAction.service is `+default=""`: the generated defaulter sets it on probes.
  const grpc = p['grpc'];
  if (isObj(grpc) && (grpc['service'] === undefined || grpc['service'] === null)) grpc['service'] = '';
}

function defaultEnv(c: Obj): void {
  for (const e of arr(c['env'])) {
    if (!isObj(e)) continue;
    const vf = e['valueFrom'];
    if (isObj(vf) && isObj(vf['fieldRef'])) setIfUnset(vf['fieldRef'], 'apiVersion', 'v1');
  }
}

/**
 * Why the pod-spec and container defaults below read and write each member by its literal name (an inline cache
 * per site) rather than through setIfUnset or a list of names: the shared keyed accesses see every kind's objects
 * and turn megamorphic, and adding a member through one goes to the runtime. Every created pod passes here; in a
 * churn profile defaultPodSpec cost ~10 µs a pod this way, several times what it costs with sites of its own.
 * Members are read and added in the same order as before, so the defaulted objects' keys keep their order.
 */
function unset(v: unknown): boolean {
  return v === undefined || v === null || v === '';
}

/** SetDefaults_Container, plus the generated defaults of its nested fields. */
export function defaultContainer(c: unknown): void {
  if (!isObj(c)) return;
  if (c['imagePullPolicy'] === undefined || c['imagePullPolicy'] === '') {
    c['imagePullPolicy'] = defaultImagePullPolicy(typeof c['image'] === 'string' ? c['image'] : '');
  }
  if (unset(c['terminationMessagePath'])) c['terminationMessagePath'] = TERMINATION_MESSAGE_PATH_DEFAULT;
  if (unset(c['terminationMessagePolicy'])) c['terminationMessagePolicy'] = 'File';
  const ports = arr(c['ports']);
  for (let i = 0; i < ports.length; i++) {
    const p = ports[i];
    if (isObj(p) && unset(p['protocol'])) p['protocol'] = 'TCP';
  }
  defaultEnv(c);
  defaultProbe(c['livenessProbe']);
  defaultProbe(c['readinessProbe']);
  defaultProbe(c['startupProbe']);
  const lc = c['lifecycle'];
  if (isObj(lc)) {
    defaultHandler(lc['postStart']);
    defaultHandler(lc['preStop']);
  }
  const res = c['resources'];
  if (isObj(res)) {
    defaultResourceList(res['limits']);
    defaultResourceList(res['requests']);
  }
}

/** SetDefaults_Volume and the per-source defaults (file modes, hostPath type, PVC templates). */
export function defaultVolume(v: unknown): void {
  if (!isObj(v)) return;
  const sources = Object.keys(v).filter((k) => k !== 'name' && v[k] !== undefined && v[k] !== null);
  if (sources.length === 0) v['emptyDir'] = {};
  for (const k of ['secret', 'configMap', 'downwardAPI', 'projected']) {
    const s = v[k];
    if (isObj(s) && (s['defaultMode'] === undefined || s['defaultMode'] === null)) s['defaultMode'] = DEFAULT_VOLUME_MODE;
  }
  const hp = v['hostPath'];
  if (isObj(hp) && hp['type'] === undefined) hp['type'] = '';
  const proj = v['projected'];
  if (isObj(proj)) {
    for (const src of arr(proj['sources'])) {
      if (!isObj(src)) continue;
      const sat = src['serviceAccountToken'];
      if (isObj(sat) && (sat['expirationSeconds'] === undefined || sat['expirationSeconds'] === null)) sat['expirationSeconds'] = 3600;
    }
  }
  const eph = v['ephemeral'];
  if (isObj(eph) && isObj(eph['volumeClaimTemplate']) && isObj(eph['volumeClaimTemplate']['spec'])) {
    defaultPVCSpec(eph['volumeClaimTemplate']['spec']);
  }
}

function defaultPVCSpec(spec: Obj): void {
  setIfUnset(spec, 'volumeMode', 'Filesystem');
  const res = spec['resources'];
  if (isObj(res)) {
    defaultResourceList(res['limits']);
    defaultResourceList(res['requests']);
  }
}

/** SetDefaults_PodSpec and everything nested in a PodSpec (containers, volumes, overhead). */
export function defaultPodSpec(spec: unknown): void {
  if (!isObj(spec)) return;
  if (unset(spec['dnsPolicy'])) spec['dnsPolicy'] = 'ClusterFirst';
  if (unset(spec['restartPolicy'])) spec['restartPolicy'] = 'Always';
  if (spec['securityContext'] === undefined || spec['securityContext'] === null) spec['securityContext'] = {};
  if (spec['terminationGracePeriodSeconds'] === undefined || spec['terminationGracePeriodSeconds'] === null) {
    spec['terminationGracePeriodSeconds'] = DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS;
  }
  if (unset(spec['schedulerName'])) spec['schedulerName'] = DEFAULT_SCHEDULER_NAME;
  const volumes = arr(spec['volumes']);
  for (let i = 0; i < volumes.length; i++) defaultVolume(volumes[i]);
  // The container lists in the order upstream's defaulting visits them (indexed: no iterator per pod).
  defaultContainers(arr(spec['initContainers']));
  defaultContainers(arr(spec['containers']));
  defaultContainers(arr(spec['ephemeralContainers']));
  defaultResourceList(spec['overhead']);
}

function defaultContainers(cs: readonly unknown[]): void {
  for (let i = 0; i < cs.length; i++) defaultContainer(cs[i]);
}

/** Requests default to limits for every resource with a limit and no request (SetDefaults_Pod). */
function defaultRequestsFromLimits(c: unknown): void {
  if (!isObj(c) || !isObj(c['resources'])) return;
  const res = c['resources'];
  const limits = res['limits'];
  if (!isObj(limits)) return;
  const requests = child(res, 'requests');
  for (const [k, v] of Object.entries(limits)) if (!(k in requests)) requests[k] = v;
}

/** SetDefaults_Pod + SetDefaults_PodSpec. */
export function defaultPod(pod: Obj): void {
  const spec = pod['spec'];
  if (isObj(spec)) {
    const containers = arr(spec['containers']);
    for (let i = 0; i < containers.length; i++) defaultRequestsFromLimits(containers[i]);
    const initContainers = arr(spec['initContainers']);
    for (let i = 0; i < initContainers.length; i++) defaultRequestsFromLimits(initContainers[i]);
    if (spec['enableServiceLinks'] === undefined || spec['enableServiceLinks'] === null) spec['enableServiceLinks'] = true;
    if (spec['hostNetwork'] === true) {
      // With host networking every container port is a host port.
      for (const k of ['containers', 'initContainers']) {
        for (const c of arr(spec[k])) {
          if (!isObj(c)) continue;
          for (const p of arr(c['ports'])) if (isObj(p) && !p['hostPort']) p['hostPort'] = p['containerPort'];
        }
      }
    }
    defaultPodSpec(spec);
  }
}

/** A PodTemplateSpec inside a workload: PodSpec defaults only. */
function defaultTemplate(template: unknown): void {
  if (!isObj(template)) return;
  const spec = template['spec'];
  // A metadata patch of a stored workload defaults its frozen template again: the store gives Jobs from one
  // source one frozen template spec, so the one defaulting last left as it was (see lastDefaultedSpec) is skipped.
  if (isObj(spec) && spec === lastDefaultedTemplateSpec) return;
  defaultPodSpec(spec);
  if (isObj(spec) && Object.isFrozen(spec) && spec !== lastDefaultedTemplateSpec && deeplyFrozen(spec)) lastDefaultedTemplateSpec = spec;
}

/** The last deeply frozen template pod spec defaultPodSpec left unchanged (it wrote nothing: a write would have thrown). */
let lastDefaultedTemplateSpec: Obj | undefined;

// ---------------------------------------------------------------------------
// Workloads

function defaultDeployment(o: Obj): void {
  const spec = child(o, 'spec');
  if (spec['replicas'] === undefined || spec['replicas'] === null) spec['replicas'] = 1;
  const strategy = child(spec, 'strategy');
  setIfUnset(strategy, 'type', 'RollingUpdate');
  if (strategy['type'] === 'RollingUpdate') {
    const ru = child(strategy, 'rollingUpdate');
    if (ru['maxUnavailable'] === undefined || ru['maxUnavailable'] === null) ru['maxUnavailable'] = '25%';
    if (ru['maxSurge'] === undefined || ru['maxSurge'] === null) ru['maxSurge'] = '25%';
  }
  if (spec['revisionHistoryLimit'] === undefined || spec['revisionHistoryLimit'] === null) spec['revisionHistoryLimit'] = 10;
  if (spec['progressDeadlineSeconds'] === undefined || spec['progressDeadlineSeconds'] === null) spec['progressDeadlineSeconds'] = 600;
  defaultTemplate(spec['template']);
}

function defaultReplicaSet(o: Obj): void {
  const spec = child(o, 'spec');
  if (spec['replicas'] === undefined || spec['replicas'] === null) spec['replicas'] = 1;
  defaultTemplate(spec['template']);
}

function defaultReplicationController(o: Obj): void {
  const spec = child(o, 'spec');
  const template = spec['template'];
  const labels = isObj(template) && isObj(template['metadata']) ? template['metadata']['labels'] : undefined;
  if (isObj(labels)) {
    if (!isObj(spec['selector']) || Object.keys(spec['selector']).length === 0) spec['selector'] = { ...labels };
    const meta = child(o, 'metadata');
    if (!isObj(meta['labels']) || Object.keys(meta['labels']).length === 0) meta['labels'] = { ...labels };
  }
  if (spec['replicas'] === undefined || spec['replicas'] === null) spec['replicas'] = 1;
  defaultTemplate(template);
}

function defaultDaemonSet(o: Obj): void {
  const spec = child(o, 'spec');
  const us = child(spec, 'updateStrategy');
  setIfUnset(us, 'type', 'RollingUpdate');
  if (us['type'] === 'RollingUpdate') {
    const ru = child(us, 'rollingUpdate');
    if (ru['maxUnavailable'] === undefined || ru['maxUnavailable'] === null) ru['maxUnavailable'] = 1;
    if (ru['maxSurge'] === undefined || ru['maxSurge'] === null) ru['maxSurge'] = 0;
  }
  if (spec['revisionHistoryLimit'] === undefined || spec['revisionHistoryLimit'] === null) spec['revisionHistoryLimit'] = 10;
  defaultTemplate(spec['template']);
}

function defaultPVC(o: Obj): void {
  defaultPVCSpec(child(o, 'spec'));
  setIfUnset(child(o, 'status'), 'phase', 'Pending');
}

function defaultStatefulSet(o: Obj): void {
  const spec = child(o, 'spec');
  setIfUnset(spec, 'podManagementPolicy', 'OrderedReady');
  const us = child(spec, 'updateStrategy');
  if (us['type'] === undefined || us['type'] === '') {
    us['type'] = 'RollingUpdate';
    if (!isObj(us['rollingUpdate'])) us['rollingUpdate'] = {};
  }
  // Only an existing rollingUpdate gets a partition: an explicit RollingUpdate type
  // without the block stays without it, as upstream.
  if (us['type'] === 'RollingUpdate' && isObj(us['rollingUpdate'])) {
    const ru = us['rollingUpdate'];
    if (ru['partition'] === undefined || ru['partition'] === null) ru['partition'] = 0;
  }
  const ret = child(spec, 'persistentVolumeClaimRetentionPolicy');
  setIfUnset(ret, 'whenDeleted', 'Retain');
  setIfUnset(ret, 'whenScaled', 'Retain');
  if (spec['replicas'] === undefined || spec['replicas'] === null) spec['replicas'] = 1;
  if (spec['revisionHistoryLimit'] === undefined || spec['revisionHistoryLimit'] === null) spec['revisionHistoryLimit'] = 10;
  defaultTemplate(spec['template']);
  // volumeClaimTemplates are PersistentVolumeClaims and get their defaults too.
  for (const t of arr(spec['volumeClaimTemplates'])) if (isObj(t)) defaultPVC(t);
}

function defaultJobSpecTemplateOnly(spec: Obj): void {
  defaultTemplate(spec['template']);
}

/** Whether a member is absent (undefined or null); read by literal name at each site (see unset). */
function absent(v: unknown): boolean {
  return v === undefined || v === null;
}

function defaultJob(o: Obj): void {
  const spec = child(o, 'spec');
  if (absent(spec['completions']) && absent(spec['parallelism'])) {
    spec['completions'] = 1;
    spec['parallelism'] = 1;
  }
  if (absent(spec['parallelism'])) spec['parallelism'] = 1;
  if (absent(spec['backoffLimit'])) spec['backoffLimit'] = absent(spec['backoffLimitPerIndex']) ? 6 : 2147483647;
  const template = spec['template'];
  const tLabels = isObj(template) && isObj(template['metadata']) ? template['metadata']['labels'] : undefined;
  const meta = child(o, 'metadata');
  if (isObj(tLabels) && (!isObj(meta['labels']) || Object.keys(meta['labels']).length === 0)) meta['labels'] = { ...tLabels };
  if (absent(spec['completionMode'])) spec['completionMode'] = 'NonIndexed';
  if (absent(spec['suspend'])) spec['suspend'] = false;
  const pfp = spec['podFailurePolicy'];
  if (isObj(pfp)) {
    for (const rule of arr(pfp['rules'])) {
      if (!isObj(rule)) continue;
      for (const pat of arr(rule['onPodConditions'])) if (isObj(pat)) setIfUnset(pat, 'status', 'True');
    }
  }
  if (absent(spec['podReplacementPolicy'])) spec['podReplacementPolicy'] = isObj(pfp) ? 'Failed' : 'TerminatingOrFailed';
  if (absent(spec['manualSelector'])) spec['manualSelector'] = false;
  defaultJobSpecTemplateOnly(spec);
}

function defaultCronJob(o: Obj): void {
  const spec = child(o, 'spec');
  setIfUnset(spec, 'concurrencyPolicy', 'Allow');
  if (spec['suspend'] === undefined || spec['suspend'] === null) spec['suspend'] = false;
  if (spec['successfulJobsHistoryLimit'] === undefined || spec['successfulJobsHistoryLimit'] === null) spec['successfulJobsHistoryLimit'] = 3;
  if (spec['failedJobsHistoryLimit'] === undefined || spec['failedJobsHistoryLimit'] === null) spec['failedJobsHistoryLimit'] = 1;
  // SetDefaults_Job does not run on a JobTemplateSpec; only the nested PodSpec defaults do.
  const jt = spec['jobTemplate'];
  if (isObj(jt) && isObj(jt['spec'])) defaultJobSpecTemplateOnly(jt['spec']);
}

// ---------------------------------------------------------------------------
// Core and other kinds

function defaultNamespace(o: Obj): void {
  const meta = child(o, 'metadata');
  const name = meta['name'];
  // Nameless (generateName) namespaces get the label once named, in the registry.
  if (typeof name === 'string' && name.length > 0) {
    const labels = child(meta, 'labels');
    labels[LabelMetadataName] = name;
  }
  setIfUnset(child(o, 'status'), 'phase', 'Active');
}

/** The namespace registry's PrepareForCreate: phase Active and the "kubernetes" finalizer. */
export function prepareNamespaceForCreate(o: KObject): void {
  const obj = o as Obj;
  child(obj, 'status')['phase'] = 'Active';
  const spec = child(obj, 'spec');
  const fin = arr(spec['finalizers']).filter((f): f is string => typeof f === 'string');
  if (!fin.includes('kubernetes')) fin.push('kubernetes');
  spec['finalizers'] = fin;
}

function defaultService(o: Obj): void {
  const spec = child(o, 'spec');
  setIfUnset(spec, 'sessionAffinity', 'None');
  if (spec['sessionAffinity'] === 'None') delete spec['sessionAffinityConfig'];
  if (spec['sessionAffinity'] === 'ClientIP') {
    const sac = spec['sessionAffinityConfig'];
    const cip = isObj(sac) ? sac['clientIP'] : undefined;
    if (!isObj(cip) || cip['timeoutSeconds'] === undefined || cip['timeoutSeconds'] === null) {
      spec['sessionAffinityConfig'] = { clientIP: { timeoutSeconds: 10800 } };
    }
  }
  setIfUnset(spec, 'type', 'ClusterIP');
  for (const p of arr(spec['ports'])) {
    if (!isObj(p)) continue;
    setIfUnset(p, 'protocol', 'TCP');
    if (p['targetPort'] === undefined || p['targetPort'] === 0 || p['targetPort'] === '') p['targetPort'] = p['port'];
  }
  const type = spec['type'];
  const externallyAccessible = type === 'LoadBalancer' || type === 'NodePort' || (type === 'ClusterIP' && arr(spec['externalIPs']).length > 0);
  if (externallyAccessible) setIfUnset(spec, 'externalTrafficPolicy', 'Cluster');
  if ((spec['internalTrafficPolicy'] === undefined || spec['internalTrafficPolicy'] === null) && (type === 'NodePort' || type === 'LoadBalancer' || type === 'ClusterIP')) {
    spec['internalTrafficPolicy'] = 'Cluster';
  }
  if (type === 'LoadBalancer' && (spec['allocateLoadBalancerNodePorts'] === undefined || spec['allocateLoadBalancerNodePorts'] === null)) {
    spec['allocateLoadBalancerNodePorts'] = true;
  }
}

function defaultPV(o: Obj): void {
  setIfUnset(child(o, 'status'), 'phase', 'Pending');
  const spec = child(o, 'spec');
  setIfUnset(spec, 'persistentVolumeReclaimPolicy', 'Retain');
  setIfUnset(spec, 'volumeMode', 'Filesystem');
  defaultResourceList(spec['capacity']);
}

function defaultNode(o: Obj): void {
  // SetDefaults_NodeStatus would copy capacity into a missing allocatable; ksim's
  // kubelet model computes allocatable from its KubeletConfiguration instead (see
  // node.ts defaultNode), so only the quantities are canonicalised here.
  const status = o['status'];
  if (isObj(status)) {
    defaultResourceList(status['capacity']);
    defaultResourceList(status['allocatable']);
  }
}

/** setDefaultsNodeStatus: upstream's allocatable = capacity when absent, for callers that want it. */
export function setDefaultsNodeStatus(o: KObject): void {
  const status = (o as Obj)['status'];
  if (isObj(status) && isObj(status['capacity']) && status['allocatable'] === undefined) status['allocatable'] = { ...status['capacity'] };
}

function defaultLimitRange(o: Obj): void {
  const spec = o['spec'];
  if (!isObj(spec)) return;
  for (const item of arr(spec['limits'])) {
    if (!isObj(item)) continue;
    for (const k of ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio']) defaultResourceList(item[k]);
    if (item['type'] !== 'Container') continue;
    const def = child(item, 'default');
    const defReq = child(item, 'defaultRequest');
    // A default limit falls back to max; a default request to the default limit, then to min.
    if (isObj(item['max'])) for (const [k, v] of Object.entries(item['max'])) if (!(k in def)) def[k] = v;
    for (const [k, v] of Object.entries(def)) if (!(k in defReq)) defReq[k] = v;
    if (isObj(item['min'])) for (const [k, v] of Object.entries(item['min'])) if (!(k in defReq)) defReq[k] = v;
  }
}

/**
 * The last deeply frozen pod spec defaultPod was seen to leave as it was. Why: a metadata patch
 * of a stored pod (the Job controller's finalizer removal, the garbage collector's owner
 * references) runs defaulting over the stored spec, which is frozen; defaultPod then can write
 * nothing (a write into a frozen object throws in module code), so when it returns the spec is
 * a fixed point of defaulting. defaultPod reads only the spec and never spec.nodeName, so a spec
 * whose every other member is the same value (shared frozen subtrees: the pods of one template
 * differ only in the nodeName their binding set) is a fixed point too, and walking it again
 * (containers, probes, resources) would find nothing to write.
 */
let lastDefaultedSpec: Obj | undefined;

/** Whether `spec` is a frozen spec equal, apart from nodeName, member for member (===) to the last one defaulting left unchanged. */
function defaultedBefore(spec: unknown): boolean {
  const last = lastDefaultedSpec;
  if (last === undefined || !isObj(spec) || !Object.isFrozen(spec)) return false;
  if (spec === last) return true;
  // The same keys (nodeName aside; their order does not matter, defaultPod reads by name), each the identical value.
  let i = 0;
  for (const k in spec) {
    if (k === 'nodeName') continue;
    if (!Object.prototype.hasOwnProperty.call(last, k) || spec[k] !== last[k]) return false;
    i++;
  }
  let j = 0;
  for (const k in last) if (k !== 'nodeName') j++;
  return i === j;
}

/** After defaultPod returned: remember `spec` when it is deeply frozen (so nothing could have been written into it). */
function rememberDefaulted(spec: unknown): void {
  if (isObj(spec) && spec !== lastDefaultedSpec && deeplyFrozen(spec)) lastDefaultedSpec = spec;
}

function deeplyFrozen(v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return true;
  if (!Object.isFrozen(v)) return false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (!deeplyFrozen(v[i])) return false;
    return true;
  }
  for (const k in v) if (!deeplyFrozen((v as Obj)[k])) return false;
  return true;
}

/**
 * Default an object in place, as the API server does on create/update before
 * validation. Unknown kinds only get the namespace handling.
 */
export function applyDefaults(obj: KObject): void {
  const o = obj as Obj;
  const meta = child(o, 'metadata');
  if (isNamespaced(obj.kind)) {
    if (meta['namespace'] === undefined || meta['namespace'] === null || meta['namespace'] === '') meta['namespace'] = DEFAULT_NAMESPACE;
  } else if (meta['namespace'] !== undefined) {
    delete meta['namespace'];
  }
  switch (obj.kind) {
    case 'Pod':
      if (!defaultedBefore(o['spec'])) {
        defaultPod(o);
        rememberDefaulted(o['spec']);
      }
      break;
    case 'PodTemplate':
      defaultTemplate(o['template']);
      break;
    case 'Deployment':
      defaultDeployment(o);
      break;
    case 'ReplicaSet':
      defaultReplicaSet(o);
      break;
    case 'ReplicationController':
      defaultReplicationController(o);
      break;
    case 'StatefulSet':
      defaultStatefulSet(o);
      break;
    case 'DaemonSet':
      defaultDaemonSet(o);
      break;
    case 'Job':
      defaultJob(o);
      break;
    case 'CronJob':
      defaultCronJob(o);
      break;
    case 'PriorityClass':
      if (o['preemptionPolicy'] === undefined || o['preemptionPolicy'] === null) o['preemptionPolicy'] = 'PreemptLowerPriority';
      break;
    case 'Namespace':
      defaultNamespace(o);
      break;
    case 'Node':
      defaultNode(o);
      break;
    case 'Service':
      defaultService(o);
      break;
    case 'PersistentVolume':
      defaultPV(o);
      break;
    case 'PersistentVolumeClaim':
      defaultPVC(o);
      break;
    case 'Secret':
      setIfUnset(o, 'type', 'Opaque');
      break;
    case 'StorageClass':
      setIfUnset(o, 'reclaimPolicy', 'Delete');
      setIfUnset(o, 'volumeBindingMode', 'Immediate');
      break;
    case 'ResourceQuota':
      if (isObj(o['spec'])) defaultResourceList(o['spec']['hard']);
      break;
    case 'LimitRange':
      defaultLimitRange(o);
      break;
    default:
      break;
  }
}
