/**
 * kubectl get's table printers (pkg/printers/internalversion/printers.go,
 * v1.33): for each kind the columns kubectl shows, the extra `-o wide`
 * columns, and each cell computed as kubectl computes it. AGE is
 * HumanDuration(now - creationTimestamp) in virtual time.
 */
import type { Container, LimitRange, Namespace, Node, PersistentVolume, PersistentVolumeClaim, Pod, ResourceQuota } from 'kubernetes-types/core/v1.js';
import type { DaemonSet, Deployment, ReplicaSet, StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { CronJob, Job } from 'kubernetes-types/batch/v1.js';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import type { HorizontalPodAutoscaler, MetricSpec, MetricStatus } from 'kubernetes-types/autoscaling/v2.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import type { PriorityClass } from 'kubernetes-types/scheduling/v1.js';
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import { Quantity } from '../../api/quantity.ts';
import type { KObject, RecordedEvent, Time } from '../../sim/types.ts';
import type { ClusterView } from './cluster.ts';
import { humanDuration, since } from './humanDuration.ts';
import { podStatusColumns, restartsColumn } from './podStatus.ts';

export interface PrintContext {
  now: Time;
  view: ClusterView;
  wide: boolean;
}

export interface Printer {
  columns: string[];
  wideColumns?: string[];
  row(o: KObject, ctx: PrintContext): string[];
  wideRow?(o: KObject, ctx: PrintContext): string[];
}

const NONE = '<none>';

export function age(o: KObject, ctx: PrintContext): string {
  return since(ctx.view.virtualTime(o.metadata?.creationTimestamp ?? undefined), ctx.now);
}

/** labels.FormatLabels: sorted k=v joined by ",", "<none>" when empty. */
export function formatLabels(m: Readonly<Record<string, string>> | undefined | null): string {
  const keys = Object.keys(m ?? {}).sort();
  return keys.length === 0 ? NONE : keys.map((k) => `${k}=${m![k]}`).join(',');
}

/** metav1.FormatLabelSelector. */
export function formatLabelSelector(s: LabelSelector | undefined | null): string {
  if (!s) return NONE;
  const parts: string[] = [];
  for (const k of Object.keys(s.matchLabels ?? {}).sort()) parts.push(`${k}=${s.matchLabels![k]}`);
  for (const r of s.matchExpressions ?? []) {
    const op = r.operator;
    if (op === 'In') parts.push(`${r.key} in (${(r.values ?? []).join(',')})`);
    else if (op === 'NotIn') parts.push(`${r.key} notin (${(r.values ?? []).join(',')})`);
    else if (op === 'Exists') parts.push(r.key);
    else if (op === 'DoesNotExist') parts.push(`!${r.key}`);
  }
  const out = parts.join(',');
  return out === '' ? NONE : out;
}

function containersAndImages(cs: readonly Container[] | undefined): [string, string] {
  return [(cs ?? []).map((c) => c.name).join(','), (cs ?? []).map((c) => c.image ?? '').join(',')];
}

function intOrString(v: number | string | undefined): string {
  return v === undefined ? 'N/A' : String(v);
}

const pod: Printer = {
  columns: ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'],
  wideColumns: ['IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES'],
  row(o, ctx) {
    const p = o as unknown as Pod;
    const s = podStatusColumns(p);
    return [o.metadata?.name ?? '', s.ready, s.status, restartsColumn(s, ctx.now, (t) => ctx.view.virtualTime(t), since), age(o, ctx)];
  },
  wideRow(o) {
    const p = o as unknown as Pod;
    const gates = p.spec?.readinessGates ?? [];
    let readiness = NONE;
    if (gates.length > 0) {
      const trueCount = gates.filter((g) => p.status?.conditions?.find((c) => c.type === g.conditionType)?.status === 'True').length;
      readiness = `${trueCount}/${gates.length}`;
    }
    return [p.status?.podIPs?.[0]?.ip || NONE, p.spec?.nodeName || NONE, p.status?.nominatedNodeName || NONE, readiness];
  },
};

const deployment: Printer = {
  columns: ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'],
  wideColumns: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
  row(o, ctx) {
    const d = o as unknown as Deployment;
    const st = d.status ?? {};
    return [o.metadata?.name ?? '', `${st.readyReplicas ?? 0}/${d.spec?.replicas ?? 0}`, String(st.updatedReplicas ?? 0), String(st.availableReplicas ?? 0), age(o, ctx)];
  },
  wideRow(o) {
    const d = o as unknown as Deployment;
    return [...containersAndImages(d.spec?.template?.spec?.containers), formatLabelSelector(d.spec?.selector)];
  },
};

const replicaSet: Printer = {
  columns: ['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE'],
  wideColumns: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
  row(o, ctx) {
    const r = o as unknown as ReplicaSet;
    return [o.metadata?.name ?? '', String(r.spec?.replicas ?? 0), String(r.status?.replicas ?? 0), String(r.status?.readyReplicas ?? 0), age(o, ctx)];
  },
  wideRow(o) {
    const r = o as unknown as ReplicaSet;
    return [...containersAndImages(r.spec?.template?.spec?.containers), formatLabelSelector(r.spec?.selector)];
  },
};

const statefulSet: Printer = {
  columns: ['NAME', 'READY', 'AGE'],
  wideColumns: ['CONTAINERS', 'IMAGES'],
  row(o, ctx) {
    const s = o as unknown as StatefulSet;
    return [o.metadata?.name ?? '', `${s.status?.readyReplicas ?? 0}/${s.spec?.replicas ?? 0}`, age(o, ctx)];
  },
  wideRow(o) {
    return containersAndImages((o as unknown as StatefulSet).spec?.template?.spec?.containers);
  },
};

const daemonSet: Printer = {
  columns: ['NAME', 'DESIRED', 'CURRENT', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'NODE SELECTOR', 'AGE'],
  wideColumns: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
  row(o, ctx) {
    const d = o as unknown as DaemonSet;
    const st = d.status;
    return [
      o.metadata?.name ?? '',
      String(st?.desiredNumberScheduled ?? 0),
      String(st?.currentNumberScheduled ?? 0),
      String(st?.numberReady ?? 0),
      String(st?.updatedNumberScheduled ?? 0),
      String(st?.numberAvailable ?? 0),
      formatLabels(d.spec?.template?.spec?.nodeSelector),
      age(o, ctx),
    ];
  },
  wideRow(o) {
    const d = o as unknown as DaemonSet;
    return [...containersAndImages(d.spec?.template?.spec?.containers), formatLabelSelector(d.spec?.selector)];
  },
};

function hasCondition(conds: readonly { type: string; status: string }[] | undefined, type: string): boolean {
  return (conds ?? []).some((c) => c.type === type && c.status === 'True');
}

const job: Printer = {
  columns: ['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE'],
  wideColumns: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
  row(o, ctx) {
    const j = o as unknown as Job;
    const st = j.status ?? {};
    let completions: string;
    if (j.spec?.completions !== undefined && j.spec.completions !== null) completions = `${st.succeeded ?? 0}/${j.spec.completions}`;
    else if ((j.spec?.parallelism ?? 0) > 1) completions = `${st.succeeded ?? 0}/1 of ${j.spec!.parallelism}`;
    else completions = `${st.succeeded ?? 0}/1`;
    const start = ctx.view.virtualTime(st.startTime);
    const done = ctx.view.virtualTime(st.completionTime);
    const duration = start === undefined ? '' : humanDuration((done ?? ctx.now) - start);
    const c = st.conditions;
    const status = hasCondition(c, 'Complete')
      ? 'Complete'
      : hasCondition(c, 'Failed')
        ? 'Failed'
        : j.metadata?.deletionTimestamp
          ? 'Terminating'
          : hasCondition(c, 'Suspended')
            ? 'Suspended'
            : hasCondition(c, 'FailureTarget')
              ? 'FailureTarget'
              : hasCondition(c, 'SuccessCriteriaMet')
                ? 'SuccessCriteriaMet'
                : 'Running';
    return [o.metadata?.name ?? '', status, completions, duration, age(o, ctx)];
  },
  wideRow(o) {
    const j = o as unknown as Job;
    return [...containersAndImages(j.spec?.template?.spec?.containers), formatLabelSelector(j.spec?.selector)];
  },
};

function printBoolPtr(v: boolean | undefined | null): string {
  return v === undefined || v === null ? '<unset>' : v ? 'True' : 'False';
}

const cronJob: Printer = {
  columns: ['NAME', 'SCHEDULE', 'TIMEZONE', 'SUSPEND', 'ACTIVE', 'LAST SCHEDULE', 'AGE'],
  wideColumns: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
  row(o, ctx) {
    const c = o as unknown as CronJob;
    const last = c.status?.lastScheduleTime ? since(ctx.view.virtualTime(c.status.lastScheduleTime), ctx.now) : NONE;
    return [o.metadata?.name ?? '', c.spec?.schedule ?? '', c.spec?.timeZone || NONE, printBoolPtr(c.spec?.suspend), String(c.status?.active?.length ?? 0), last, age(o, ctx)];
  },
  wideRow(o) {
    const c = o as unknown as CronJob;
    return [...containersAndImages(c.spec?.jobTemplate?.spec?.template?.spec?.containers), formatLabelSelector(c.spec?.jobTemplate?.spec?.selector)];
  },
};

const node: Printer = {
  columns: ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION'],
  wideColumns: ['INTERNAL-IP', 'EXTERNAL-IP', 'OS-IMAGE', 'KERNEL-VERSION', 'CONTAINER-RUNTIME'],
  row(o, ctx) {
    const n = o as unknown as Node;
    return [o.metadata?.name ?? '', nodeStatusColumn(n), nodeRoles(n), age(o, ctx), n.status?.nodeInfo?.kubeletVersion ?? ''];
  },
  wideRow(o) {
    const n = o as unknown as Node;
    const addr = (t: string): string => n.status?.addresses?.find((a) => a.type === t)?.address || NONE;
    const info = n.status?.nodeInfo;
    return [addr('InternalIP'), addr('ExternalIP'), info?.osImage || '<unknown>', info?.kernelVersion || '<unknown>', info?.containerRuntimeVersion || '<unknown>'];
  },
};

/** Node STATUS: the Ready condition (Ready, NotReady, Unknown), then SchedulingDisabled when cordoned. */
export function nodeStatusColumn(n: Node): string {
  const ready = n.status?.conditions?.find((c) => c.type === 'Ready');
  const parts = [ready === undefined ? 'Unknown' : ready.status === 'True' ? 'Ready' : ready.status === 'False' ? 'NotReady' : 'Unknown'];
  if (n.spec?.unschedulable) parts.push('SchedulingDisabled');
  return parts.join(',');
}

/** Node ROLES: node-role.kubernetes.io/<role> labels and kubernetes.io/role, sorted; "<none>". */
export function nodeRoles(n: Node): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(n.metadata?.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/')) {
      const role = k.slice('node-role.kubernetes.io/'.length);
      if (role !== '') roles.add(role);
    } else if (k === 'kubernetes.io/role' && v !== '') roles.add(v);
  }
  return roles.size === 0 ? NONE : [...roles].sort().join(',');
}

const namespace: Printer = {
  columns: ['NAME', 'STATUS', 'AGE'],
  row(o, ctx) {
    return [o.metadata?.name ?? '', (o as unknown as Namespace).status?.phase ?? '', age(o, ctx)];
  },
};

const pdb: Printer = {
  columns: ['NAME', 'MIN AVAILABLE', 'MAX UNAVAILABLE', 'ALLOWED DISRUPTIONS', 'AGE'],
  row(o, ctx) {
    const p = o as unknown as PodDisruptionBudget;
    return [o.metadata?.name ?? '', intOrString(p.spec?.minAvailable), intOrString(p.spec?.maxUnavailable), String(p.status?.disruptionsAllowed ?? 0), age(o, ctx)];
  },
};

/** HPA TARGETS as kubectl v1.30+ prints them: "cpu: 40%/50%", "<unknown>" before a reading. */
function hpaTargets(h: HorizontalPodAutoscaler): string {
  const specs: readonly MetricSpec[] = h.spec?.metrics ?? [];
  const statuses: readonly MetricStatus[] = h.status?.currentMetrics ?? [];
  if (specs.length === 0) return NONE;
  const list: string[] = [];
  specs.forEach((m, i) => {
    const cur = statuses[i];
    if (m.type === 'Resource' && m.resource) {
      const t = m.resource.target;
      const c = cur?.type === 'Resource' ? cur.resource?.current : undefined;
      if (t.averageUtilization !== undefined && t.averageUtilization !== null) {
        const now = c?.averageUtilization !== undefined && c.averageUtilization !== null ? `${c.averageUtilization}%` : '<unknown>';
        list.push(`${m.resource.name}: ${now}/${t.averageUtilization}%`);
      } else {
        const now = c?.averageValue ?? '<unknown>';
        list.push(`${m.resource.name}: ${now}/${t.averageValue ?? ''}`);
      }
    } else {
      // Pods, Object, External, ContainerResource: current/target of whichever value the target sets.
      const body = (m.pods ?? m.object ?? m.external ?? m.containerResource) as { target?: { averageValue?: string; value?: string; averageUtilization?: number } } | undefined;
      const cb = (cur?.pods ?? cur?.object ?? cur?.external ?? cur?.containerResource) as { current?: { averageValue?: string; value?: string; averageUtilization?: number } } | undefined;
      const t = body?.target;
      if (t?.averageUtilization !== undefined) list.push(`${cb?.current?.averageUtilization !== undefined ? `${cb.current.averageUtilization}%` : '<unknown>'}/${t.averageUtilization}%`);
      else if (t?.averageValue !== undefined) list.push(`${cb?.current?.averageValue ?? '<unknown>'}/${t.averageValue} (avg)`);
      else list.push(`${cb?.current?.value ?? '<unknown>'}/${t?.value ?? '<unknown>'}`);
    }
  });
  return list.join(', ');
}

const hpa: Printer = {
  columns: ['NAME', 'REFERENCE', 'TARGETS', 'MINPODS', 'MAXPODS', 'REPLICAS', 'AGE'],
  row(o, ctx) {
    const h = o as unknown as HorizontalPodAutoscaler;
    const ref = h.spec?.scaleTargetRef;
    const min = h.spec?.minReplicas;
    return [o.metadata?.name ?? '', `${ref?.kind ?? ''}/${ref?.name ?? ''}`, hpaTargets(h), min === undefined || min === null ? '<unset>' : String(min), String(h.spec?.maxReplicas ?? 0), String(h.status?.currentReplicas ?? 0), age(o, ctx)];
  },
};

/** v1helper's SortableResourceNames order: plain alphabetical. */
const resourceQuota: Printer = {
  columns: ['NAME', 'AGE', 'REQUEST', 'LIMIT'],
  row(o, ctx) {
    const q = o as unknown as ResourceQuota;
    const hard = (q.status?.hard ?? {}) as Record<string, string>;
    const used = (q.status?.used ?? {}) as Record<string, string>;
    const request: string[] = [];
    const limit: string[] = [];
    for (const r of Object.keys(hard).sort()) {
      const u = used[r] !== undefined ? (Quantity.tryParse(used[r]!)?.toString() ?? used[r]!) : '0';
      const h = Quantity.tryParse(hard[r]!)?.toString() ?? hard[r]!;
      const pieces = r.split('.');
      (pieces.length > 1 && pieces[0] === 'limits' ? limit : request).push(`${r}: ${u}/${h}`);
    }
    return [o.metadata?.name ?? '', age(o, ctx), request.join(', '), limit.join(', ')];
  },
};

const limitRange: Printer = {
  columns: ['NAME', 'CREATED AT'],
  row(o) {
    return [o.metadata?.name ?? '', (o as unknown as LimitRange).metadata?.creationTimestamp ?? ''];
  },
};

const ACCESS_MODES: Record<string, string> = { ReadWriteOnce: 'RWO', ReadOnlyMany: 'ROX', ReadWriteMany: 'RWX', ReadWriteOncePod: 'RWOP' };
export function accessModesString(modes: readonly string[] | undefined): string {
  // GetAccessModesAsString: each mode once, in this fixed order.
  const set = new Set(modes ?? []);
  return ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'].filter((m) => set.has(m)).map((m) => ACCESS_MODES[m]).join(',');
}

const pvc: Printer = {
  columns: ['NAME', 'STATUS', 'VOLUME', 'CAPACITY', 'ACCESS MODES', 'STORAGECLASS', 'VOLUMEATTRIBUTESCLASS', 'AGE'],
  wideColumns: ['VOLUMEMODE'],
  row(o, ctx) {
    const c = o as unknown as PersistentVolumeClaim;
    const phase = c.metadata?.deletionTimestamp ? 'Terminating' : (c.status?.phase ?? '');
    const bound = c.spec?.volumeName ?? '';
    const capacity = bound !== '' ? ((c.status?.capacity as Record<string, string> | undefined)?.['storage'] ?? '') : '';
    const modes = bound !== '' ? accessModesString(c.status?.accessModes) : '';
    return [o.metadata?.name ?? '', phase, bound, capacity, modes, c.spec?.storageClassName ?? '', c.spec?.volumeAttributesClassName || '<unset>', age(o, ctx)];
  },
  wideRow(o) {
    return [(o as unknown as PersistentVolumeClaim).spec?.volumeMode ?? '<unset>'];
  },
};

const pv: Printer = {
  columns: ['NAME', 'CAPACITY', 'ACCESS MODES', 'RECLAIM POLICY', 'STATUS', 'CLAIM', 'STORAGECLASS', 'VOLUMEATTRIBUTESCLASS', 'REASON', 'AGE'],
  wideColumns: ['VOLUMEMODE'],
  row(o, ctx) {
    const v = o as unknown as PersistentVolume;
    const ref = v.spec?.claimRef;
    const claim = ref ? `${ref.namespace ?? ''}/${ref.name ?? ''}` : '';
    const phase = v.metadata?.deletionTimestamp ? 'Terminating' : (v.status?.phase ?? '');
    return [
      o.metadata?.name ?? '',
      (v.spec?.capacity as Record<string, string> | undefined)?.['storage'] ?? '',
      accessModesString(v.spec?.accessModes),
      v.spec?.persistentVolumeReclaimPolicy ?? '',
      phase,
      claim,
      v.spec?.storageClassName ?? '',
      v.spec?.volumeAttributesClassName || '<unset>',
      v.status?.reason ?? '',
      age(o, ctx),
    ];
  },
  wideRow(o) {
    return [(o as unknown as PersistentVolume).spec?.volumeMode ?? '<unset>'];
  },
};

const storageClass: Printer = {
  columns: ['NAME', 'PROVISIONER', 'RECLAIMPOLICY', 'VOLUMEBINDINGMODE', 'ALLOWVOLUMEEXPANSION', 'AGE'],
  row(o, ctx) {
    const s = o as unknown as StorageClass;
    const ann = s.metadata?.annotations ?? {};
    const isDefault = ann['storageclass.kubernetes.io/is-default-class'] === 'true' || ann['storageclass.beta.kubernetes.io/is-default-class'] === 'true';
    return [
      `${o.metadata?.name ?? ''}${isDefault ? ' (default)' : ''}`,
      s.provisioner ?? '',
      s.reclaimPolicy ?? 'Delete',
      s.volumeBindingMode ?? 'Immediate',
      String(s.allowVolumeExpansion ?? false),
      age(o, ctx),
    ];
  },
};

const priorityClass: Printer = {
  columns: ['NAME', 'VALUE', 'GLOBAL-DEFAULT', 'AGE', 'PREEMPTIONPOLICY'],
  row(o, ctx) {
    const p = o as unknown as PriorityClass;
    return [o.metadata?.name ?? '', String(p.value ?? 0), String(p.globalDefault ?? false), age(o, ctx), p.preemptionPolicy ?? ''];
  },
};

type Loose = Record<string, unknown> & KObject;
const field = (o: KObject, ...path: string[]): unknown => path.reduce<unknown>((cur, k) => (typeof cur === 'object' && cur !== null ? (cur as Record<string, unknown>)[k] : undefined), o);

const service: Printer = {
  columns: ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE'],
  wideColumns: ['SELECTOR'],
  row(o, ctx) {
    const spec = (field(o, 'spec') ?? {}) as { type?: string; clusterIP?: string; externalIPs?: string[]; ports?: { port: number; nodePort?: number; protocol?: string }[] };
    const type = spec.type ?? 'ClusterIP';
    const lbIngress = (field(o, 'status', 'loadBalancer', 'ingress') ?? []) as { ip?: string; hostname?: string }[];
    let external: string;
    if (type === 'LoadBalancer') {
      const ips = [...lbIngress.map((i) => i.ip || i.hostname || ''), ...(spec.externalIPs ?? [])].filter((x) => x !== '');
      external = ips.length > 0 ? ips.join(',') : '<pending>';
    } else if (type === 'ExternalName') external = String(field(o, 'spec', 'externalName') ?? '');
    else external = spec.externalIPs?.length ? spec.externalIPs.join(',') : NONE;
    const ports = (spec.ports ?? []).map((p) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol ?? 'TCP'}` : `${p.port}/${p.protocol ?? 'TCP'}`)).join(',');
    return [o.metadata?.name ?? '', type, spec.clusterIP || NONE, external, ports || NONE, age(o, ctx)];
  },
  wideRow(o) {
    return [formatLabels(field(o, 'spec', 'selector') as Record<string, string> | undefined)];
  },
};

const configMap: Printer = {
  columns: ['NAME', 'DATA', 'AGE'],
  row(o, ctx) {
    const l = o as Loose;
    return [o.metadata?.name ?? '', String(Object.keys((l['data'] ?? {}) as object).length + Object.keys((l['binaryData'] ?? {}) as object).length), age(o, ctx)];
  },
};

const secret: Printer = {
  columns: ['NAME', 'TYPE', 'DATA', 'AGE'],
  row(o, ctx) {
    const l = o as Loose;
    return [o.metadata?.name ?? '', String(l['type'] ?? 'Opaque'), String(Object.keys((l['data'] ?? {}) as object).length + Object.keys((l['stringData'] ?? {}) as object).length), age(o, ctx)];
  },
};

const serviceAccount: Printer = {
  columns: ['NAME', 'SECRETS', 'AGE'],
  row(o, ctx) {
    return [o.metadata?.name ?? '', String(((o as Loose)['secrets'] as unknown[] | undefined)?.length ?? 0), age(o, ctx)];
  },
};

const lease: Printer = {
  columns: ['NAME', 'HOLDER', 'AGE'],
  row(o, ctx) {
    return [o.metadata?.name ?? '', String(field(o, 'spec', 'holderIdentity') ?? ''), age(o, ctx)];
  },
};

const controllerRevision: Printer = {
  columns: ['NAME', 'CONTROLLER', 'REVISION', 'AGE'],
  row(o, ctx) {
    const ref = o.metadata?.ownerReferences?.find((r) => r.controller);
    // kubectl names the controller kind.group/name, e.g. daemonset.apps/fluentd.
    const controller = ref ? `${ref.kind.toLowerCase()}${ref.apiVersion.includes('/') ? `.${ref.apiVersion.split('/')[0]}` : ''}/${ref.name}` : NONE;
    return [o.metadata?.name ?? '', controller, String((o as Loose)['revision'] ?? 0), age(o, ctx)];
  },
};

const runtimeClass: Printer = {
  columns: ['NAME', 'HANDLER', 'AGE'],
  row(o, ctx) {
    return [o.metadata?.name ?? '', String((o as Loose)['handler'] ?? ''), age(o, ctx)];
  },
};

const replicationController: Printer = {
  columns: ['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE'],
  wideColumns: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
  row(o, ctx) {
    return [o.metadata?.name ?? '', String(field(o, 'spec', 'replicas') ?? 0), String(field(o, 'status', 'replicas') ?? 0), String(field(o, 'status', 'readyReplicas') ?? 0), age(o, ctx)];
  },
  wideRow(o) {
    return [...containersAndImages(field(o, 'spec', 'template', 'spec', 'containers') as Container[] | undefined), formatLabels(field(o, 'spec', 'selector') as Record<string, string> | undefined)];
  },
};

/** Any other kind: kubectl's default table from the server, NAME and AGE. */
export const DEFAULT_PRINTER: Printer = {
  columns: ['NAME', 'AGE'],
  row(o, ctx) {
    return [o.metadata?.name ?? '', age(o, ctx)];
  },
};

export const PRINTERS: Readonly<Record<string, Printer>> = {
  Pod: pod,
  Deployment: deployment,
  ReplicaSet: replicaSet,
  StatefulSet: statefulSet,
  DaemonSet: daemonSet,
  Job: job,
  CronJob: cronJob,
  Node: node,
  Namespace: namespace,
  PodDisruptionBudget: pdb,
  HorizontalPodAutoscaler: hpa,
  ResourceQuota: resourceQuota,
  LimitRange: limitRange,
  PersistentVolumeClaim: pvc,
  PersistentVolume: pv,
  StorageClass: storageClass,
  PriorityClass: priorityClass,
  Service: service,
  ConfigMap: configMap,
  Secret: secret,
  ServiceAccount: serviceAccount,
  Lease: lease,
  ControllerRevision: controllerRevision,
  RuntimeClass: runtimeClass,
  ReplicationController: replicationController,
};

/** `kubectl get events` (LAST SEEN TYPE REASON OBJECT MESSAGE), one row per Event. */
export function eventRow(e: RecordedEvent, now: Time): string[] {
  const io = e.involvedObject;
  const target = io.name ? `${io.kind.toLowerCase()}/${io.name}` : io.kind.toLowerCase();
  return [since(e.lastTimestamp, now), e.type, e.reason, target, e.message.trim()];
}

/** `kubectl get events -o wide`: LAST SEEN TYPE REASON OBJECT SUBOBJECT SOURCE MESSAGE FIRST SEEN COUNT NAME. */
export function eventWideRow(e: RecordedEvent, now: Time, name: string): string[] {
  const [last, type, reason, target, message] = eventRow(e, now) as [string, string, string, string, string];
  const source = e.source.host ? `${e.source.component}, ${e.source.host}` : e.source.component;
  return [last, type, reason, target, e.involvedObject.fieldPath ?? '', source, message, since(e.firstTimestamp, now), String(e.count), name];
}
