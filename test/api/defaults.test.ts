// API-server defaulting: pkg/apis/core/v1/defaults.go, apps/v1, batch/v1, scheduling/v1 (v1.31).
import { describe, expect, it } from 'vitest';
import type { KObject } from '../../src/sim/types.ts';
import { applyDefaults, defaultImagePullPolicy, isNamespaced, parseImageName, prepareNamespaceForCreate } from '../../src/api/defaults.ts';

/** Loose JSON view of a defaulted object, for reading nested fields in assertions. */
type Any = { [k: string]: Any; [i: number]: Any };

function defaulted(obj: object): Any {
  const o = structuredClone(obj) as KObject;
  applyDefaults(o);
  return o as unknown as Any;
}

const podSpec = () => ({
  containers: [
    {
      name: 'app',
      image: 'nginx:1.25',
      ports: [{ containerPort: 80 }],
      resources: { limits: { cpu: '500m', memory: '1024Mi' } },
      livenessProbe: { httpGet: { port: 80 } },
    },
  ],
  initContainers: [{ name: 'init', image: 'busybox', resources: { limits: { cpu: '1' }, requests: { memory: '10Mi' } } }],
});

describe('Pod defaults (SetDefaults_Pod + SetDefaults_PodSpec + SetDefaults_Container)', () => {
  const p = defaulted({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: podSpec() });
  it('pod spec fields', () => {
    expect(p.metadata.namespace).toBe('default');
    expect(p.spec).toMatchObject({
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      schedulerName: 'default-scheduler',
      securityContext: {},
      enableServiceLinks: true,
    });
    // admission, not defaulting, sets priority and preemptionPolicy
    expect(p.spec.priority).toBeUndefined();
    expect(p.spec.preemptionPolicy).toBeUndefined();
  });
  it('container fields', () => {
    const c = p.spec.containers[0];
    expect(c.imagePullPolicy).toBe('IfNotPresent');
    expect(c.terminationMessagePath).toBe('/dev/termination-log');
    expect(c.terminationMessagePolicy).toBe('File');
    expect(c.ports[0].protocol).toBe('TCP');
    expect(c.livenessProbe).toMatchObject({ timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
    expect(c.livenessProbe.httpGet).toMatchObject({ path: '/', scheme: 'HTTP' });
    expect(p.spec.initContainers[0].imagePullPolicy).toBe('Always');
  });
  it('requests default to limits, per resource, for containers and init containers; quantities canonical', () => {
    expect(p.spec.containers[0].resources).toEqual({ limits: { cpu: '500m', memory: '1Gi' }, requests: { cpu: '500m', memory: '1Gi' } });
    expect(p.spec.initContainers[0].resources.requests).toEqual({ memory: '10Mi', cpu: '1' });
  });
  it('explicit values are kept', () => {
    const q = defaulted({
      kind: 'Pod',
      apiVersion: 'v1',
      metadata: { name: 'q', namespace: 'team' },
      spec: { restartPolicy: 'Never', terminationGracePeriodSeconds: 0, schedulerName: 'other', enableServiceLinks: false, containers: [{ name: 'c', image: 'x', imagePullPolicy: 'Never' }] },
    });
    expect(q.metadata.namespace).toBe('team');
    expect(q.spec.restartPolicy).toBe('Never');
    expect(q.spec.terminationGracePeriodSeconds).toBe(0);
    expect(q.spec.schedulerName).toBe('other');
    expect(q.spec.enableServiceLinks).toBe(false);
    expect(q.spec.containers[0].imagePullPolicy).toBe('Never');
  });
  it('hostNetwork pods get hostPort = containerPort', () => {
    const q = defaulted({ kind: 'Pod', apiVersion: 'v1', metadata: { name: 'h' }, spec: { hostNetwork: true, containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 8080 }] }] } });
    expect(q.spec.containers[0].ports[0].hostPort).toBe(8080);
  });
  it('SetDefaults_ResourceList rounds up to milli precision', () => {
    const q = defaulted({ kind: 'Pod', apiVersion: 'v1', metadata: { name: 'r' }, spec: { containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: '0.0001', memory: '0.5' } } }] } });
    expect(q.spec.containers[0].resources.requests).toEqual({ cpu: '1m', memory: '500m' });
  });
  it('a volume with no source becomes emptyDir; file modes default to 0644', () => {
    const q = defaulted({ kind: 'Pod', apiVersion: 'v1', metadata: { name: 'v' }, spec: { containers: [{ name: 'c', image: 'x' }], volumes: [{ name: 'a' }, { name: 'b', secret: { secretName: 's' } }] } });
    expect(q.spec.volumes[0]).toEqual({ name: 'a', emptyDir: {} });
    expect(q.spec.volumes[1].secret.defaultMode).toBe(420);
  });
});

describe('image pull policy (SetDefaults_Container via parsers.ParseImageName)', () => {
  const cases: Array<[string, string]> = [
    ['nginx', 'Always'],
    ['nginx:latest', 'Always'],
    ['nginx:1.25', 'IfNotPresent'],
    ['registry.example.com:5000/team/app', 'Always'],
    ['registry.example.com:5000/team/app:v2', 'IfNotPresent'],
    ['nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', 'IfNotPresent'],
    ['nginx:latest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', 'Always'],
    ['', 'IfNotPresent'], // unparseable: empty tag
    ['NGINX', 'IfNotPresent'], // repository names must be lowercase
  ];
  for (const [image, want] of cases) it(`${JSON.stringify(image)} -> ${want}`, () => expect(defaultImagePullPolicy(image)).toBe(want));
  it('parseImageName splits name/tag/digest', () => {
    expect(parseImageName('localhost:5000/a/b:1')).toEqual({ name: 'localhost:5000/a/b', tag: '1', digest: '' });
  });
});

describe('pod templates get PodSpec defaults only', () => {
  const d = defaulted({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'd' },
    spec: { selector: { matchLabels: { app: 'd' } }, template: { metadata: { labels: { app: 'd' } }, spec: podSpec() } },
  });
  it('Deployment (apps/v1 SetDefaults_Deployment)', () => {
    expect(d.spec.replicas).toBe(1);
    expect(d.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
    expect(d.spec.revisionHistoryLimit).toBe(10);
    expect(d.spec.progressDeadlineSeconds).toBe(600);
  });
  it('template: PodSpec defaults, but no requests-from-limits and no enableServiceLinks (Pod-only)', () => {
    const t = d.spec.template.spec;
    expect(t.restartPolicy).toBe('Always');
    expect(t.schedulerName).toBe('default-scheduler');
    expect(t.containers[0].imagePullPolicy).toBe('IfNotPresent');
    expect(t.containers[0].resources.requests).toBeUndefined();
    expect(t.containers[0].resources.limits.memory).toBe('1Gi');
    expect(t.enableServiceLinks).toBeUndefined();
  });
  it('Recreate strategy gets no rollingUpdate', () => {
    const r = defaulted({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'r' }, spec: { strategy: { type: 'Recreate' }, template: { spec: podSpec() } } });
    expect(r.spec.strategy).toEqual({ type: 'Recreate' });
  });
  it('ReplicaSet replicas 1', () => {
    expect(defaulted({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'r' }, spec: { template: { spec: podSpec() } } }).spec.replicas).toBe(1);
  });
  it('StatefulSet', () => {
    const s = defaulted({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 's' }, spec: { template: { spec: podSpec() }, volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { resources: { requests: { storage: '1024Mi' } } } }] } });
    expect(s.spec).toMatchObject({
      replicas: 1,
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      revisionHistoryLimit: 10,
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
    });
    expect(s.spec.volumeClaimTemplates[0].spec.volumeMode).toBe('Filesystem');
    expect(s.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('1Gi');
    expect(s.spec.volumeClaimTemplates[0].status.phase).toBe('Pending');
  });
  it('StatefulSet: explicit RollingUpdate without the block gets no partition (upstream quirk)', () => {
    const s = defaulted({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 's' }, spec: { updateStrategy: { type: 'RollingUpdate' }, template: { spec: podSpec() } } });
    expect(s.spec.updateStrategy).toEqual({ type: 'RollingUpdate' });
  });
  it('DaemonSet', () => {
    const s = defaulted({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'ds' }, spec: { template: { spec: podSpec() } } });
    expect(s.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
    expect(s.spec.revisionHistoryLimit).toBe(10);
  });
});

describe('batch/v1', () => {
  const job = (spec: object) => defaulted({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: { template: { metadata: { labels: { a: 'b' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'x' }] } }, ...spec } });
  it('both completions and parallelism unset => 1/1', () => {
    const j = job({});
    expect(j.spec).toMatchObject({ completions: 1, parallelism: 1, backoffLimit: 6, completionMode: 'NonIndexed', suspend: false, podReplacementPolicy: 'TerminatingOrFailed', manualSelector: false });
    expect(j.metadata.labels).toEqual({ a: 'b' });
  });
  it('only completions set => parallelism 1', () => {
    expect(job({ completions: 5 }).spec).toMatchObject({ completions: 5, parallelism: 1 });
  });
  it('only parallelism set => completions stay unset (work queue)', () => {
    const j = job({ parallelism: 3 });
    expect(j.spec.parallelism).toBe(3);
    expect(j.spec.completions).toBeUndefined();
  });
  it('backoffLimitPerIndex => backoffLimit MaxInt32; podFailurePolicy => podReplacementPolicy Failed', () => {
    const j = job({ backoffLimitPerIndex: 1, completionMode: 'Indexed', completions: 2, podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }] } });
    expect(j.spec.backoffLimit).toBe(2147483647);
    expect(j.spec.podReplacementPolicy).toBe('Failed');
    expect(j.spec.podFailurePolicy.rules[0].onPodConditions[0].status).toBe('True');
  });
  it('CronJob', () => {
    const c = defaulted({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c' }, spec: { schedule: '* * * * *', jobTemplate: { spec: { template: { spec: { containers: [{ name: 'c', image: 'x' }] } } } } } });
    expect(c.spec).toMatchObject({ concurrencyPolicy: 'Allow', suspend: false, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1 });
    // SetDefaults_Job does not apply to a job template
    expect(c.spec.jobTemplate.spec.backoffLimit).toBeUndefined();
    expect(c.spec.jobTemplate.spec.template.spec.restartPolicy).toBe('Always');
  });
});

describe('other kinds', () => {
  it('PriorityClass preemptionPolicy', () => {
    const pc = defaulted({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'high' }, value: 1000 });
    expect(pc.preemptionPolicy).toBe('PreemptLowerPriority');
    expect(pc.metadata.namespace).toBeUndefined();
  });
  it('Namespace: metadata.name label and phase Active', () => {
    const ns = defaulted({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } });
    expect(ns.metadata.labels).toEqual({ 'kubernetes.io/metadata.name': 'team-a' });
    expect(ns.status.phase).toBe('Active');
    const o = ns as unknown as KObject;
    prepareNamespaceForCreate(o);
    expect((o as unknown as Any).spec.finalizers).toEqual(['kubernetes']);
  });
  it('cluster-scoped kinds lose a namespace; namespaced ones get "default"', () => {
    expect(defaulted({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n', namespace: 'x' } }).metadata.namespace).toBeUndefined();
    expect(defaulted({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }).metadata.namespace).toBe('default');
    for (const k of ['Node', 'Namespace', 'PriorityClass', 'PersistentVolume', 'StorageClass', 'CSINode']) expect(isNamespaced(k)).toBe(false);
    for (const k of ['Pod', 'Deployment', 'PodDisruptionBudget', 'PersistentVolumeClaim']) expect(isNamespaced(k)).toBe(true);
  });
  it('Service, PV, PVC, StorageClass', () => {
    const s = defaulted({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 80 }] } });
    expect(s.spec).toMatchObject({ type: 'ClusterIP', sessionAffinity: 'None', internalTrafficPolicy: 'Cluster', ports: [{ port: 80, targetPort: 80, protocol: 'TCP' }] });
    const pv = defaulted({ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv' }, spec: { capacity: { storage: '10Gi' } } });
    expect(pv.spec).toMatchObject({ persistentVolumeReclaimPolicy: 'Retain', volumeMode: 'Filesystem' });
    expect(pv.status.phase).toBe('Pending');
    const pvc = defaulted({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'c' }, spec: {} });
    expect(pvc.spec.volumeMode).toBe('Filesystem');
    const sc = defaulted({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'sc' }, provisioner: 'x' });
    expect(sc).toMatchObject({ reclaimPolicy: 'Delete', volumeBindingMode: 'Immediate' });
  });
});
