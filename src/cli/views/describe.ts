/**
 * kubectl describe over a moment of a run (staging/src/k8s.io/kubectl/pkg/
 * describe/describe.go, v1.33): the Pod, Node and Deployment describers
 * section by section, and for other kinds the generic one (Name, Namespace,
 * Labels, Annotations and the Events table). Pure: returns the text.
 */
import type { Container, ContainerState, ContainerStatus, Node, PersistentVolumeClaim, Pod, PodTemplateSpec, Volume } from 'kubernetes-types/core/v1.js';
import type { DaemonSet, Deployment, ReplicaSet, StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import type { Job } from 'kubernetes-types/batch/v1.js';
import type { HorizontalPodAutoscaler } from 'kubernetes-types/autoscaling/v2.js';
import type { KindInfo } from '../../api/discovery.ts';
import { getPodQOS } from '../../api/qos.ts';
import { Quantity } from '../../api/quantity.ts';
import { podLimits, podRequests } from '../../api/resources.ts';
import type { KObject } from '../../sim/types.ts';
import type { ClusterView } from './cluster.ts';
import { annotationsMultiline, describeEvents, eventsFor, labelsMultiline, PrefixWriter, rfc1123z, tolerationsMultiline } from './describeWriter.ts';
import { humanDuration, since } from './humanDuration.ts';
import { accessModesString, formatLabelSelector, nodeRoles } from './printers.ts';

function controllerOf(o: KObject): string {
  const ref = o.metadata?.ownerReferences?.find((r) => r.controller);
  return ref ? `${ref.kind}/${ref.name}` : '';
}

function describeStatus(w: PrefixWriter, title: string, state: ContainerState | undefined): void {
  if (state?.running) {
    w.write(2, `${title}:\tRunning\n`);
    w.write(3, `Started:\t${rfc1123z(state.running.startedAt)}\n`);
  } else if (state?.waiting) {
    w.write(2, `${title}:\tWaiting\n`);
    if (state.waiting.reason) w.write(3, `Reason:\t${state.waiting.reason}\n`);
  } else if (state?.terminated) {
    const t = state.terminated;
    w.write(2, `${title}:\tTerminated\n`);
    if (t.reason) w.write(3, `Reason:\t${t.reason}\n`);
    if (t.message) w.write(3, `Message:\t${t.message}\n`);
    w.write(3, `Exit Code:\t${t.exitCode}\n`);
    if (t.signal) w.write(3, `Signal:\t${t.signal}\n`);
    w.write(3, `Started:\t${rfc1123z(t.startedAt)}\n`);
    w.write(3, `Finished:\t${rfc1123z(t.finishedAt)}\n`);
  } else {
    w.write(2, `${title}:\tWaiting\n`);
  }
}

/** SortedResourceNames: cpu, memory, ephemeral-storage... alphabetical, as kubectl sorts them. */
function sortedResources(list: Readonly<Record<string, string>> | undefined): string[] {
  return Object.keys(list ?? {}).sort();
}

function quantityString(s: string): string {
  return Quantity.tryParse(s)?.toString() ?? s;
}

function describeContainers(w: PrefixWriter, label: string, containers: readonly Container[], statuses: readonly ContainerStatus[] | undefined, space: string): void {
  const byName = new Map((statuses ?? []).map((s) => [s.name, s]));
  if (containers.length === 0) {
    w.write(0, `${space}${label}: <none>\n`);
    return;
  }
  w.write(0, `${space}${label}:\n`);
  for (const c of containers) {
    const status = statuses === undefined ? undefined : byName.get(c.name);
    w.write(1, `${space ? ' ' : ''}${c.name}:\n`);
    if (status) w.write(2, `Container ID:\t${status.containerID ?? ''}\n`);
    w.write(2, `Image:\t${c.image ?? ''}\n`);
    if (status) w.write(2, `Image ID:\t${status.imageID ?? ''}\n`);
    const ports = (c.ports ?? []).map((p) => `${p.containerPort}/${p.protocol ?? 'TCP'}`).join(', ');
    const hostPorts = (c.ports ?? []).map((p) => `${p.hostPort ?? 0}/${p.protocol ?? 'TCP'}`).join(', ');
    w.write(2, ports.includes(',') ? `Ports:\t${ports}\n` : `Port:\t${ports || '<none>'}\n`);
    w.write(2, hostPorts.includes(',') ? `Host Ports:\t${hostPorts}\n` : `Host Port:\t${hostPorts || '<none>'}\n`);
    if (c.command?.length) {
      w.write(2, 'Command:\n');
      for (const a of c.command) w.write(3, `${a}\n`);
    }
    if (c.args?.length) {
      w.write(2, 'Args:\n');
      for (const a of c.args) w.write(3, `${a}\n`);
    }
    if (status) {
      describeStatus(w, 'State', status.state);
      if (status.lastState?.terminated) describeStatus(w, 'Last State', status.lastState);
      w.write(2, `Ready:\t${status.ready ? 'True' : 'False'}\n`);
      w.write(2, `Restart Count:\t${status.restartCount ?? 0}\n`);
    }
    const limits = c.resources?.limits as Record<string, string> | undefined;
    const requests = c.resources?.requests as Record<string, string> | undefined;
    if (sortedResources(limits).length > 0) w.write(2, 'Limits:\n');
    for (const r of sortedResources(limits)) w.write(3, `${r}:\t${quantityString(limits![r]!)}\n`);
    if (sortedResources(requests).length > 0) w.write(2, 'Requests:\n');
    for (const r of sortedResources(requests)) w.write(3, `${r}:\t${quantityString(requests![r]!)}\n`);
    if (!c.env?.length) w.write(2, 'Environment:\t<none>\n');
    else {
      w.write(2, 'Environment:\n');
      for (const e of c.env) w.write(3, `${e.name}:\t${e.value ?? (e.valueFrom ? '<set from a reference>' : '')}\n`);
    }
    if (!c.volumeMounts?.length) w.write(2, 'Mounts:\t<none>\n');
    else {
      w.write(2, 'Mounts:\n');
      for (const m of c.volumeMounts) w.write(3, `${m.mountPath} from ${m.name} (${m.readOnly ? 'ro' : 'rw'})\n`);
    }
  }
}

function describeVolumes(w: PrefixWriter, volumes: readonly Volume[] | undefined, space: string): void {
  if (!volumes?.length) {
    w.write(0, `${space}Volumes:\t<none>\n`);
    return;
  }
  w.write(0, `${space}Volumes:\n`);
  for (const v of volumes) {
    w.write(1, `${space}${v.name}:\n`);
    if (v.persistentVolumeClaim) {
      w.write(2, `${space}Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n`);
      w.write(2, `${space}ClaimName:\t${v.persistentVolumeClaim.claimName}\n`);
      w.write(2, `${space}ReadOnly:\t${v.persistentVolumeClaim.readOnly ?? false}\n`);
    } else if (v.emptyDir) {
      w.write(2, `${space}Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n`);
      w.write(2, `${space}Medium:\t${v.emptyDir.medium ?? ''}\n`);
      w.write(2, `${space}SizeLimit:\t${v.emptyDir.sizeLimit ?? '<unset>'}\n`);
    } else if (v.configMap) {
      w.write(2, `${space}Type:\tConfigMap (a volume populated by a ConfigMap)\n`);
      w.write(2, `${space}Name:\t${v.configMap.name ?? ''}\n`);
      w.write(2, `${space}Optional:\t${v.configMap.optional ?? false}\n`);
    } else if (v.secret) {
      w.write(2, `${space}Type:\tSecret (a volume populated by a Secret)\n`);
      w.write(2, `${space}SecretName:\t${v.secret.secretName ?? ''}\n`);
      w.write(2, `${space}Optional:\t${v.secret.optional ?? false}\n`);
    } else {
      const type = Object.keys(v).find((k) => k !== 'name') ?? 'unknown';
      w.write(2, `${space}<${type} volume: not described by ksim>\n`);
    }
  }
}

export function describePod(view: ClusterView, pod: Pod): string {
  const w = new PrefixWriter();
  const meta = pod.metadata ?? {};
  const spec = pod.spec;
  const status = pod.status ?? {};
  w.write(0, `Name:\t${meta.name ?? ''}\n`);
  w.write(0, `Namespace:\t${meta.namespace ?? ''}\n`);
  if (spec?.priority !== undefined && spec.priority !== null) w.write(0, `Priority:\t${spec.priority}\n`);
  if (spec?.priorityClassName) w.write(0, `Priority Class Name:\t${spec.priorityClassName}\n`);
  if (spec?.runtimeClassName) w.write(0, `Runtime Class Name:\t${spec.runtimeClassName}\n`);
  if (spec?.serviceAccountName) w.write(0, `Service Account:\t${spec.serviceAccountName}\n`);
  w.write(0, spec?.nodeName ? `Node:\t${spec.nodeName}/${status.hostIP ?? ''}\n` : 'Node:\t<none>\n');
  if (status.startTime) w.write(0, `Start Time:\t${rfc1123z(status.startTime)}\n`);
  labelsMultiline(w, 'Labels', meta.labels);
  annotationsMultiline(w, 'Annotations', meta.annotations);
  if (meta.deletionTimestamp && status.phase !== 'Failed' && status.phase !== 'Succeeded') {
    const until = view.virtualTime(meta.deletionTimestamp);
    w.write(0, `Status:\tTerminating (lasts ${until === undefined ? '<unknown>' : since(view.now, until)})\n`);
    w.write(0, `Termination Grace Period:\t${meta.deletionGracePeriodSeconds ?? 0}s\n`);
  } else w.write(0, `Status:\t${status.phase ?? ''}\n`);
  if (status.reason) w.write(0, `Reason:\t${status.reason}\n`);
  if (status.message) w.write(0, `Message:\t${status.message}\n`);
  w.write(0, `IP:\t${status.podIP ?? ''}\n`);
  if (!status.podIPs?.length) w.write(0, 'IPs:\t<none>\n');
  else {
    w.write(0, 'IPs:\n');
    for (const ip of status.podIPs) w.write(1, `IP:\t${ip.ip}\n`);
  }
  const controlledBy = controllerOf(pod as unknown as KObject);
  if (controlledBy) w.write(0, `Controlled By:\t${controlledBy}\n`);
  if (status.nominatedNodeName) w.write(0, `NominatedNodeName:\t${status.nominatedNodeName}\n`);
  if (spec?.initContainers?.length) describeContainers(w, 'Init Containers', spec.initContainers, status.initContainerStatuses ?? [], '');
  describeContainers(w, 'Containers', spec?.containers ?? [], status.containerStatuses ?? [], '');
  if (spec?.readinessGates?.length) {
    w.write(0, 'Readiness Gates:\n  Type\tStatus\n');
    for (const g of spec.readinessGates) {
      const c = status.conditions?.find((x) => x.type === g.conditionType);
      w.write(1, `${g.conditionType} \t${c?.status ?? '<none>'} \n`);
    }
  }
  if (status.conditions?.length) {
    w.write(0, 'Conditions:\n  Type\tStatus\n');
    for (const c of status.conditions) w.write(1, `${c.type} \t${c.status} \n`);
  }
  describeVolumes(w, spec?.volumes, '');
  w.write(0, `QoS Class:\t${getPodQOS(pod)}\n`);
  labelsMultiline(w, 'Node-Selectors', spec?.nodeSelector);
  tolerationsMultiline(w, 'Tolerations', spec?.tolerations);
  const tscs = [...(spec?.topologySpreadConstraints ?? [])].sort((a, b) => (a.topologyKey < b.topologyKey ? -1 : a.topologyKey > b.topologyKey ? 1 : 0));
  if (tscs.length > 0) {
    w.write(0, 'Topology Spread Constraints:\t');
    tscs.forEach((t, i) => {
      if (i !== 0) w.write(0, '\t');
      w.line(`${t.topologyKey}:${t.whenUnsatisfiable} when max skew ${t.maxSkew} is exceeded${t.labelSelector ? ` for selector ${formatLabelSelector(t.labelSelector)}` : ''}`);
    });
  }
  describeEvents(w, eventsFor(view.events(), 'Pod', meta.namespace ?? '', meta.name ?? '', meta.uid), view.now);
  return w.toString();
}

function describePodTemplate(w: PrefixWriter, t: PodTemplateSpec | undefined): void {
  w.write(0, 'Pod Template:\n');
  if (!t) {
    w.write(1, '<unset>');
    return;
  }
  labelsMultiline(w, 'Labels', t.metadata?.labels, '  ');
  if (Object.keys(t.metadata?.annotations ?? {}).length > 0) annotationsMultiline(w, 'Annotations', t.metadata?.annotations, '  ');
  if (t.spec?.serviceAccountName) w.write(1, `Service Account:\t${t.spec.serviceAccountName}\n`);
  if (t.spec?.initContainers?.length) describeContainers(w, 'Init Containers', t.spec.initContainers, undefined, '  ');
  describeContainers(w, 'Containers', t.spec?.containers ?? [], undefined, '  ');
  describeVolumes(w, t.spec?.volumes, '  ');
  if (t.spec?.priorityClassName) w.write(1, `Priority Class Name:\t${t.spec.priorityClassName}\n`);
  labelsMultiline(w, 'Node-Selectors', t.spec?.nodeSelector, '  ');
  tolerationsMultiline(w, 'Tolerations', t.spec?.tolerations, '  ');
}

export function describeDeployment(view: ClusterView, d: Deployment): string {
  const w = new PrefixWriter();
  const meta = d.metadata ?? {};
  const st = d.status ?? {};
  w.write(0, `Name:\t${meta.name ?? ''}\n`);
  w.write(0, `Namespace:\t${meta.namespace ?? ''}\n`);
  w.write(0, `CreationTimestamp:\t${rfc1123z(meta.creationTimestamp)}\n`);
  labelsMultiline(w, 'Labels', meta.labels);
  annotationsMultiline(w, 'Annotations', meta.annotations);
  w.write(0, `Selector:\t${formatLabelSelector(d.spec?.selector)}\n`);
  w.write(0, `Replicas:\t${d.spec?.replicas ?? 0} desired | ${st.updatedReplicas ?? 0} updated | ${st.replicas ?? 0} total | ${st.availableReplicas ?? 0} available | ${st.unavailableReplicas ?? 0} unavailable\n`);
  w.write(0, `StrategyType:\t${d.spec?.strategy?.type ?? ''}\n`);
  w.write(0, `MinReadySeconds:\t${d.spec?.minReadySeconds ?? 0}\n`);
  const ru = d.spec?.strategy?.rollingUpdate;
  if (ru) w.write(0, `RollingUpdateStrategy:\t${ru.maxUnavailable ?? ''} max unavailable, ${ru.maxSurge ?? ''} max surge\n`);
  describePodTemplate(w, d.spec?.template);
  if (st.conditions?.length) {
    w.write(0, 'Conditions:\n  Type\tStatus\tReason\n');
    w.write(1, '----\t------\t------\n');
    for (const c of st.conditions) w.write(1, `${c.type} \t${c.status}\t${c.reason ?? ''}\n`);
  }
  // The ReplicaSets this Deployment controls; the new one has the current template hash (its revision annotation is the Deployment's).
  const owned = view
    .list('ReplicaSet', meta.namespace ?? '')
    .filter((rs) => rs.metadata?.ownerReferences?.some((r) => r.controller && r.uid === meta.uid && r.kind === 'Deployment')) as unknown as ReplicaSet[];
  const revision = meta.annotations?.['deployment.kubernetes.io/revision'];
  const isNew = (rs: ReplicaSet): boolean => revision !== undefined && rs.metadata?.annotations?.['deployment.kubernetes.io/revision'] === revision;
  const fmt = (list: ReplicaSet[]): string => (list.length === 0 ? '<none>' : list.map((rs) => `${rs.metadata?.name ?? ''} (${rs.status?.replicas ?? 0}/${rs.spec?.replicas ?? 0} replicas created)`).join(', '));
  const newRS = owned.filter(isNew);
  // Old ReplicaSets that still have pods, as deploymentutil.GetOldReplicaSets' first list.
  const oldRS = owned.filter((rs) => !isNew(rs) && (rs.spec?.replicas ?? 0) > 0);
  if (owned.length > 0) {
    w.write(0, `OldReplicaSets:\t${fmt(oldRS)}\n`);
    w.write(0, `NewReplicaSet:\t${fmt(newRS)}\n`);
  }
  describeEvents(w, eventsFor(view.events(), 'Deployment', meta.namespace ?? '', meta.name ?? '', meta.uid), view.now);
  return w.toString();
}

function pct(q: Quantity | undefined, alloc: Quantity | undefined, milli: boolean): string {
  const v = q ?? Quantity.zero();
  const a = alloc ? (milli ? alloc.milliValue() : alloc.value()) : 0;
  const r = milli ? v.milliValue() : v.value();
  return `${v.toString()} (${a === 0 ? 0 : Math.trunc((r / a) * 100)}%)`;
}

/** Pods by spec.nodeName, built once per view: describing every node of a large cluster stays one pass over the pods. */
const podIndex = new WeakMap<ClusterView, Map<string, Pod[]>>();
function podsByNode(view: ClusterView): Map<string, Pod[]> {
  let m = podIndex.get(view);
  if (!m) {
    m = new Map();
    for (const p of view.list('Pod') as unknown as Pod[]) {
      const n = p.spec?.nodeName;
      if (!n) continue;
      let list = m.get(n);
      if (!list) m.set(n, (list = []));
      list.push(p);
    }
    podIndex.set(view, m);
  }
  return m;
}

export function describeNode(view: ClusterView, node: Node): string {
  const w = new PrefixWriter();
  const meta = node.metadata ?? {};
  const st = node.status ?? {};
  w.write(0, `Name:\t${meta.name ?? ''}\n`);
  w.write(0, `Roles:\t${nodeRoles(node)}\n`);
  labelsMultiline(w, 'Labels', meta.labels);
  annotationsMultiline(w, 'Annotations', meta.annotations);
  w.write(0, `CreationTimestamp:\t${rfc1123z(meta.creationTimestamp)}\n`);
  const taints = node.spec?.taints ?? [];
  w.write(0, 'Taints:\t');
  if (taints.length === 0) w.line('<none>');
  taints.forEach((t, i) => {
    if (i !== 0) w.write(0, '\t');
    w.line(`${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`);
  });
  w.write(0, `Unschedulable:\t${node.spec?.unschedulable ?? false}\n`);
  const lease = view.get('Lease', 'kube-node-lease', meta.name ?? '') as { spec?: { holderIdentity?: string; acquireTime?: string; renewTime?: string } } | undefined;
  if (lease) {
    w.write(0, 'Lease:\n');
    w.write(1, `HolderIdentity:\t${lease.spec?.holderIdentity ?? '<unset>'}\n`);
    w.write(1, `AcquireTime:\t${lease.spec?.acquireTime ? rfc1123z(lease.spec.acquireTime) : '<unset>'}\n`);
    w.write(1, `RenewTime:\t${lease.spec?.renewTime ? rfc1123z(lease.spec.renewTime) : '<unset>'}\n`);
  }
  if (st.conditions?.length) {
    w.write(0, 'Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n');
    w.write(1, '----\t------\t-----------------\t------------------\t------\t-------\n');
    for (const c of st.conditions) {
      w.write(1, `${c.type} \t${c.status} \t${rfc1123z(c.lastHeartbeatTime)} \t${rfc1123z(c.lastTransitionTime)} \t${c.reason ?? ''} \t${c.message ?? ''}\n`);
    }
  }
  w.write(0, 'Addresses:\n');
  for (const a of st.addresses ?? []) w.write(1, `${a.type}:\t${a.address}\n`);
  const capacity = (st.capacity ?? {}) as Record<string, string>;
  const allocatable = (st.allocatable ?? {}) as Record<string, string>;
  if (Object.keys(capacity).length > 0) {
    w.write(0, 'Capacity:\n');
    for (const r of sortedResources(capacity)) w.write(1, `${r}:\t${quantityString(capacity[r]!)}\n`);
  }
  if (Object.keys(allocatable).length > 0) {
    w.write(0, 'Allocatable:\n');
    for (const r of sortedResources(allocatable)) w.write(1, `${r}:\t${quantityString(allocatable[r]!)}\n`);
  }
  const info = st.nodeInfo;
  w.write(0, 'System Info:\n');
  w.write(1, `Machine ID:\t${info?.machineID ?? ''}\n`);
  w.write(1, `System UUID:\t${info?.systemUUID ?? ''}\n`);
  w.write(1, `Boot ID:\t${info?.bootID ?? ''}\n`);
  w.write(1, `Kernel Version:\t${info?.kernelVersion ?? ''}\n`);
  w.write(1, `OS Image:\t${info?.osImage ?? ''}\n`);
  w.write(1, `Operating System:\t${info?.operatingSystem ?? ''}\n`);
  w.write(1, `Architecture:\t${info?.architecture ?? ''}\n`);
  w.write(1, `Container Runtime Version:\t${info?.containerRuntimeVersion ?? ''}\n`);
  w.write(1, `Kubelet Version:\t${info?.kubeletVersion ?? ''}\n`);
  w.write(1, `Kube-Proxy Version:\t${info?.kubeProxyVersion ?? ''}\n`);
  if (node.spec?.podCIDR) w.write(0, `PodCIDR:\t${node.spec.podCIDR}\n`);
  if (node.spec?.podCIDRs?.length) w.write(0, `PodCIDRs:\t${node.spec.podCIDRs.join(',')}\n`);
  if (node.spec?.providerID) w.write(0, `ProviderID:\t${node.spec.providerID}\n`);
  // Non-terminated pods bound to this node (kubectl lists them with a field selector on spec.nodeName).
  const pods = (podsByNode(view).get(meta.name ?? '') ?? []).filter((p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
  const alloc = Object.keys(allocatable).length > 0 ? allocatable : capacity;
  const allocQ = (r: string): Quantity | undefined => (alloc[r] !== undefined ? Quantity.tryParse(alloc[r]!) : undefined);
  w.write(0, `Non-terminated Pods:\t(${pods.length} in total)\n`);
  w.write(1, 'Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n');
  w.write(1, '---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n');
  const totals = { cpuReq: Quantity.zero(), cpuLim: Quantity.zero(), memReq: Quantity.zero(), memLim: Quantity.zero(), ephReq: Quantity.zero(), ephLim: Quantity.zero() };
  for (const p of pods) {
    const req = podRequests(p);
    const lim = podLimits(p);
    const cr = req.get('cpu');
    const cl = lim.get('cpu');
    const mr = req.get('memory');
    const ml = lim.get('memory');
    if (cr) totals.cpuReq = totals.cpuReq.add(cr);
    if (cl) totals.cpuLim = totals.cpuLim.add(cl);
    if (mr) totals.memReq = totals.memReq.add(mr);
    if (ml) totals.memLim = totals.memLim.add(ml);
    const er = req.get('ephemeral-storage');
    const el = lim.get('ephemeral-storage');
    if (er) totals.ephReq = totals.ephReq.add(er);
    if (el) totals.ephLim = totals.ephLim.add(el);
    const podAge = since(view.virtualTime(p.metadata?.creationTimestamp), view.now);
    w.write(1, `${p.metadata?.namespace ?? ''}\t${p.metadata?.name ?? ''}\t\t${pct(cr, allocQ('cpu'), true)}\t${pct(cl, allocQ('cpu'), true)}\t${pct(mr, allocQ('memory'), false)}\t${pct(ml, allocQ('memory'), false)}\t${podAge}\n`);
  }
  w.write(0, 'Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n');
  w.write(1, 'Resource\tRequests\tLimits\n');
  w.write(1, '--------\t--------\t------\n');
  w.write(1, `cpu\t${pct(totals.cpuReq, allocQ('cpu'), true)}\t${pct(totals.cpuLim, allocQ('cpu'), true)}\n`);
  w.write(1, `memory\t${pct(totals.memReq, allocQ('memory'), false)}\t${pct(totals.memLim, allocQ('memory'), false)}\n`);
  w.write(1, `ephemeral-storage\t${pct(totals.ephReq, allocQ('ephemeral-storage'), false)}\t${pct(totals.ephLim, allocQ('ephemeral-storage'), false)}\n`);
  describeEvents(w, eventsFor(view.events(), 'Node', '', meta.name ?? '', undefined), view.now);
  return w.toString();
}

/** "Pods Status": the controller's pods by phase (getPodStatusForController: Pending counts as Waiting). */
function podsStatus(view: ClusterView, o: KObject): string {
  const uid = o.metadata?.uid;
  let running = 0;
  let waiting = 0;
  let succeeded = 0;
  let failed = 0;
  for (const p of view.list('Pod', o.metadata?.namespace ?? '') as unknown as Pod[]) {
    if (!p.metadata?.ownerReferences?.some((r) => r.controller && r.uid === uid)) continue;
    const phase = p.status?.phase;
    if (phase === 'Running') running++;
    else if (phase === 'Pending' || phase === undefined) waiting++;
    else if (phase === 'Succeeded') succeeded++;
    else if (phase === 'Failed') failed++;
  }
  return `${running} Running / ${waiting} Waiting / ${succeeded} Succeeded / ${failed} Failed`;
}

export function describeReplicaSet(view: ClusterView, rs: ReplicaSet): string {
  const w = new PrefixWriter();
  const meta = rs.metadata ?? {};
  w.write(0, `Name:\t${meta.name ?? ''}\n`);
  w.write(0, `Namespace:\t${meta.namespace ?? ''}\n`);
  w.write(0, `Selector:\t${formatLabelSelector(rs.spec?.selector)}\n`);
  labelsMultiline(w, 'Labels', meta.labels);
  annotationsMultiline(w, 'Annotations', meta.annotations);
  const controlledBy = controllerOf(rs as unknown as KObject);
  if (controlledBy) w.write(0, `Controlled By:\t${controlledBy}\n`);
  w.write(0, `Replicas:\t${rs.status?.replicas ?? 0} current / ${rs.spec?.replicas ?? 0} desired\n`);
  w.write(0, `Pods Status:\t${podsStatus(view, rs as unknown as KObject)}\n`);
  describePodTemplate(w, rs.spec?.template);
  if (rs.status?.conditions?.length) {
    w.write(0, 'Conditions:\n  Type\tStatus\tReason\n');
    w.write(1, '----\t------\t------\n');
    for (const c of rs.status.conditions) w.write(1, `${c.type} \t${c.status}\t${c.reason ?? ''}\n`);
  }
  describeEvents(w, eventsFor(view.events(), 'ReplicaSet', meta.namespace ?? '', meta.name ?? '', meta.uid), view.now);
  return w.toString();
}

export function describeStatefulSet(view: ClusterView, ss: StatefulSet): string {
  const w = new PrefixWriter();
  const meta = ss.metadata ?? {};
  w.write(0, `Name:\t${meta.name ?? ''}\n`);
  w.write(0, `Namespace:\t${meta.namespace ?? ''}\n`);
  w.write(0, `CreationTimestamp:\t${rfc1123z(meta.creationTimestamp)}\n`);
  w.write(0, `Selector:\t${formatLabelSelector(ss.spec?.selector)}\n`);
  labelsMultiline(w, 'Labels', meta.labels);
  annotationsMultiline(w, 'Annotations', meta.annotations);
  w.write(0, `Replicas:\t${ss.spec?.replicas ?? 0} desired | ${ss.status?.replicas ?? 0} total\n`);
  w.write(0, `Update Strategy:\t${ss.spec?.updateStrategy?.type ?? ''}\n`);
  const partition = ss.spec?.updateStrategy?.rollingUpdate?.partition;
  if (partition !== undefined && partition !== null) w.write(1, `Partition:\t${partition}\n`);
  w.write(0, `Pods Status:\t${podsStatus(view, ss as unknown as KObject)}\n`);
  describePodTemplate(w, ss.spec?.template);
  const claims = ss.spec?.volumeClaimTemplates ?? [];
  if (claims.length === 0) w.write(0, 'Volume Claims:\t<none>\n');
  else {
    w.write(0, 'Volume Claims:\n');
    for (const c of claims) {
      w.write(1, `Name:\t${c.metadata?.name ?? ''}\n`);
      w.write(1, `StorageClass:\t${c.spec?.storageClassName ?? ''}\n`);
      labelsMultiline(w, 'Labels', c.metadata?.labels, '  ');
      annotationsMultiline(w, 'Annotations', c.metadata?.annotations, '  ');
      w.write(1, `Capacity:\t${(c.spec?.resources?.requests as Record<string, string> | undefined)?.['storage'] ?? ''}\n`);
      w.write(1, `Access Modes:\t${(c.spec?.accessModes ?? []).join(', ')}\n`);
    }
  }
  describeEvents(w, eventsFor(view.events(), 'StatefulSet', meta.namespace ?? '', meta.name ?? '', meta.uid), view.now);
  return w.toString();
}

export function describeDaemonSet(view: ClusterView, ds: DaemonSet): string {
  const w = new PrefixWriter();
  const meta = ds.metadata ?? {};
  const st = ds.status;
  w.write(0, `Name:\t${meta.name ?? ''}\n`);
  w.write(0, `Namespace:\t${meta.namespace ?? ''}\n`);
  w.write(0, `Selector:\t${formatLabelSelector(ds.spec?.selector)}\n`);
  const nodeSelector = Object.keys(ds.spec?.template?.spec?.nodeSelector ?? {}).sort();
  w.write(0, `Node-Selector:\t${nodeSelector.length === 0 ? '<none>' : nodeSelector.map((k) => `${k}=${ds.spec!.template.spec!.nodeSelector![k]}`).join(',')}\n`);
  labelsMultiline(w, 'Labels', meta.labels);
  annotationsMultiline(w, 'Annotations', meta.annotations);
  w.write(0, `Desired Number of Nodes Scheduled:\t${st?.desiredNumberScheduled ?? 0}\n`);
  w.write(0, `Current Number of Nodes Scheduled:\t${st?.currentNumberScheduled ?? 0}\n`);
  w.write(0, `Number of Nodes Scheduled with Up-to-date Pods:\t${st?.updatedNumberScheduled ?? 0}\n`);
  w.write(0, `Number of Nodes Scheduled with Available Pods:\t${st?.numberAvailable ?? 0}\n`);
  w.write(0, `Number of Nodes Misscheduled:\t${st?.numberMisscheduled ?? 0}\n`);
  w.write(0, `Pods Status:\t${podsStatus(view, ds as unknown as KObject)}\n`);
  describePodTemplate(w, ds.spec?.template);
  describeEvents(w, eventsFor(view.events(), 'DaemonSet', meta.namespace ?? '', meta.name ?? '', meta.uid), view.now);
  return w.toString();
}

export function describePodDisruptionBudget(view: ClusterView, pdb: PodDisruptionBudget): string {
  const w = new PrefixWriter();
  const meta = pdb.metadata ?? {};
  const st = pdb.status;
  w.write(0, `Name:\t${meta.name ?? ''}\n`);
  w.write(0, `Namespace:\t${meta.namespace ?? ''}\n`);
  if (pdb.spec?.minAvailable !== undefined) w.write(0, `Min available:\t${pdb.spec.minAvailable}\n`);
  else if (pdb.spec?.maxUnavailable !== undefined) w.write(0, `Max unavailable:\t${pdb.spec.maxUnavailable}\n`);
  w.write(0, pdb.spec?.selector ? `Selector:\t${formatLabelSelector(pdb.spec.selector)}\n` : 'Selector:\t<unset>\n');
  w.write(0, 'Status:\n');
  w.write(2, `Allowed disruptions:\t${st?.disruptionsAllowed ?? 0}\n`);
  w.write(2, `Current:\t${st?.currentHealthy ?? 0}\n`);
  w.write(2, `Desired:\t${st?.desiredHealthy ?? 0}\n`);
  w.write(2, `Total:\t${st?.expectedPods ?? 0}\n`);
  describeEvents(w, eventsFor(view.events(), 'PodDisruptionBudget', meta.namespace ?? '', meta.name ?? '', meta.uid), view.now);
  return w.toString();
}

export function describeJob(view: ClusterView, job: Job): string {
  const w = new PrefixWriter();
  const meta = job.metadata ?? {};
  const spec = job.spec;
  const st = job.status ?? {};
  w.write(0, `Name:\t${meta.name ?? ''}\n`);
  w.write(0, `Namespace:\t${meta.namespace ?? ''}\n`);
  w.write(0, `Selector:\t${formatLabelSelector(spec?.selector)}\n`);
  labelsMultiline(w, 'Labels', meta.labels);
  annotationsMultiline(w, 'Annotations', meta.annotations);
  const controlledBy = controllerOf(job as unknown as KObject);
  if (controlledBy) w.write(0, `Controlled By:\t${controlledBy}\n`);
  if (spec?.parallelism !== undefined && spec.parallelism !== null) w.write(0, `Parallelism:\t${spec.parallelism}\n`);
  w.write(0, spec?.completions !== undefined && spec.completions !== null ? `Completions:\t${spec.completions}\n` : 'Completions:\t<unset>\n');
  if (spec?.completionMode) w.write(0, `Completion Mode:\t${spec.completionMode}\n`);
  if (spec?.suspend !== undefined && spec.suspend !== null) w.write(0, `Suspend:\t${spec.suspend}\n`);
  if (spec?.backoffLimit !== undefined && spec.backoffLimit !== null) w.write(0, `Backoff Limit:\t${spec.backoffLimit}\n`);
  if (spec?.ttlSecondsAfterFinished !== undefined && spec.ttlSecondsAfterFinished !== null) w.write(0, `TTL Seconds After Finished:\t${spec.ttlSecondsAfterFinished}\n`);
  if (st.startTime) w.write(0, `Start Time:\t${rfc1123z(st.startTime)}\n`);
  if (st.completionTime) w.write(0, `Completed At:\t${rfc1123z(st.completionTime)}\n`);
  const start = view.virtualTime(st.startTime ?? undefined);
  const done = view.virtualTime(st.completionTime ?? undefined);
  if (start !== undefined && done !== undefined) w.write(0, `Duration:\t${humanDuration(done - start)}\n`);
  if (spec?.activeDeadlineSeconds !== undefined && spec.activeDeadlineSeconds !== null) w.write(0, `Active Deadline Seconds:\t${spec.activeDeadlineSeconds}s\n`);
  const ready = st.ready === undefined || st.ready === null ? '' : ` (${st.ready} Ready)`;
  w.write(0, `Pods Statuses:\t${st.active ?? 0} Active${ready} / ${st.succeeded ?? 0} Succeeded / ${st.failed ?? 0} Failed\n`);
  if (spec?.completionMode === 'Indexed') w.write(0, `Completed Indexes:\t${st.completedIndexes || '<none>'}\n`);
  describePodTemplate(w, spec?.template);
  describeEvents(w, eventsFor(view.events(), 'Job', meta.namespace ?? '', meta.name ?? '', meta.uid), view.now);
  return w.toString();
}

export function describeNamespace(view: ClusterView, n: KObject): string {
  const w = new PrefixWriter();
  const name = n.metadata?.name ?? '';
  w.write(0, `Name:\t${name}\n`);
  labelsMultiline(w, 'Labels', n.metadata?.labels);
  annotationsMultiline(w, 'Annotations', n.metadata?.annotations);
  w.write(0, `Status:\t${String((n as { status?: { phase?: string } }).status?.phase ?? '')}\n`);
  w.write(0, '\n');
  const quotas = view.list('ResourceQuota', name);
  if (quotas.length === 0) w.write(0, 'No resource quota.\n');
  else {
    w.write(0, 'Resource Quotas\n');
    for (const q of quotas) {
      const st = (q as { status?: { hard?: Record<string, string>; used?: Record<string, string> } }).status;
      const scopes = [...(((q as { spec?: { scopes?: string[] } }).spec?.scopes) ?? [])].sort();
      w.write(1, `Name:\t${q.metadata?.name ?? ''}\n`);
      if (scopes.length > 0) w.write(1, `Scopes:\t${scopes.join(', ')}\n`);
      w.write(1, 'Resource\tUsed\tHard\n');
      w.write(1, '--------\t---\t---\n');
      for (const r of Object.keys(st?.hard ?? {}).sort()) {
        const used = st?.used?.[r] !== undefined ? quantityString(st.used[r]!) : '0';
        w.write(1, `${r}\t${used}\t${quantityString(st!.hard![r]!)}\n`);
      }
    }
  }
  w.write(0, '\n');
  const ranges = view.list('LimitRange', name);
  if (ranges.length === 0) w.write(0, 'No LimitRange resource.\n');
  else {
    w.write(0, 'Resource Limits\n Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n');
    w.write(0, ' ----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n');
    type Item = { type?: string; min?: Record<string, string>; max?: Record<string, string>; default?: Record<string, string>; defaultRequest?: Record<string, string>; maxLimitRequestRatio?: Record<string, string> };
    for (const lr of ranges) {
      for (const item of ((lr as { spec?: { limits?: Item[] } }).spec?.limits ?? [])) {
        // Upstream walks a Go map here (random order); sorted keeps the output stable.
        const names = [...new Set([...Object.keys(item.max ?? {}), ...Object.keys(item.min ?? {}), ...Object.keys(item.default ?? {}), ...Object.keys(item.defaultRequest ?? {}), ...Object.keys(item.maxLimitRequestRatio ?? {})])].sort();
        const cell = (m: Record<string, string> | undefined, r: string): string => (m?.[r] !== undefined ? quantityString(m[r]!) : '-');
        for (const r of names) {
          w.write(0, ` ${item.type ?? ''}\t${r}\t${cell(item.min, r)}\t${cell(item.max, r)}\t${cell(item.defaultRequest, r)}\t${cell(item.default, r)}\t${cell(item.maxLimitRequestRatio, r)}\n`);
        }
      }
    }
  }
  return w.toString();
}

export function describeHorizontalPodAutoscaler(view: ClusterView, hpa: HorizontalPodAutoscaler): string {
  const w = new PrefixWriter();
  const meta = hpa.metadata ?? {};
  const spec = hpa.spec;
  const st = hpa.status;
  w.write(0, `Name:\t${meta.name ?? ''}\n`);
  w.write(0, `Namespace:\t${meta.namespace ?? ''}\n`);
  labelsMultiline(w, 'Labels', meta.labels);
  annotationsMultiline(w, 'Annotations', meta.annotations);
  w.write(0, `CreationTimestamp:\t${rfc1123z(meta.creationTimestamp)}\n`);
  w.write(0, `Reference:\t${spec?.scaleTargetRef.kind ?? ''}/${spec?.scaleTargetRef.name ?? ''}\n`);
  w.write(0, 'Metrics:\t( current / target )\n');
  (spec?.metrics ?? []).forEach((m, i) => {
    const cur = st?.currentMetrics?.[i];
    if (m.type === 'Resource' && m.resource) {
      const c = cur?.resource?.current;
      if (m.resource.target.averageValue !== undefined) {
        w.write(1, `resource ${m.resource.name} on pods:\t${c?.averageValue ?? '<unknown>'} / ${m.resource.target.averageValue}\n`);
      } else {
        const current = c?.averageUtilization !== undefined && c.averageUtilization !== null ? `${c.averageUtilization}% (${c.averageValue ?? '0'})` : '<unknown>';
        const target = m.resource.target.averageUtilization !== undefined ? `${m.resource.target.averageUtilization}%` : '<auto>';
        w.write(1, `resource ${m.resource.name} on pods  (as a percentage of request):\t${current} / ${target}\n`);
      }
    } else if (m.type === 'ContainerResource' && m.containerResource) {
      const c = cur?.containerResource?.current;
      const current = c?.averageUtilization !== undefined && c.averageUtilization !== null ? `${c.averageUtilization}% (${c.averageValue ?? '0'})` : '<unknown>';
      const t = m.containerResource.target;
      w.write(1, `resource ${m.containerResource.name} of container "${m.containerResource.container}" on pods  (as a percentage of request):\t${current} / ${t.averageUtilization !== undefined ? `${t.averageUtilization}%` : '<auto>'}\n`);
    } else if (m.type === 'Pods' && m.pods) {
      w.write(1, `"${m.pods.metric.name}" on pods:\t${cur?.pods?.current.averageValue ?? '<unknown>'} / ${m.pods.target.averageValue ?? ''}\n`);
    } else if (m.type === 'Object' && m.object) {
      const ref = m.object.describedObject;
      const t = m.object.target;
      const kind = t.value !== undefined ? 'target value' : 'target average value';
      w.write(1, `"${m.object.metric.name}" on ${ref.kind}/${ref.name} (${kind}):\t${(t.value !== undefined ? cur?.object?.current.value : cur?.object?.current.averageValue) ?? '<unknown>'} / ${t.value ?? t.averageValue ?? ''}\n`);
    } else if (m.type === 'External' && m.external) {
      const t = m.external.target;
      const kind = t.value !== undefined ? 'target value' : 'target average value';
      w.write(1, `"${m.external.metric.name}" (${kind}):\t${(t.value !== undefined ? cur?.external?.current.value : cur?.external?.current.averageValue) ?? '<unknown>'} / ${t.value ?? t.averageValue ?? ''}\n`);
    }
  });
  w.write(0, `Min replicas:\t${spec?.minReplicas ?? '<unset>'}\n`);
  w.write(0, `Max replicas:\t${spec?.maxReplicas ?? 0}\n`);
  const behavior = spec?.behavior;
  if (behavior) {
    w.write(0, 'Behavior:\n');
    for (const [title, rules] of [['Scale Up', behavior.scaleUp], ['Scale Down', behavior.scaleDown]] as const) {
      if (!rules) continue;
      w.write(1, `${title}:\n`);
      if (rules.stabilizationWindowSeconds !== undefined && rules.stabilizationWindowSeconds !== null) w.write(2, `Stabilization Window: ${rules.stabilizationWindowSeconds} seconds\n`);
      if (rules.policies?.length) {
        w.write(2, `Select Policy: ${rules.selectPolicy ?? 'Max'}\n`);
        w.write(2, 'Policies:\n');
        for (const pol of rules.policies) w.write(3, `- Type: ${pol.type}\tValue: ${pol.value}\tPeriod: ${pol.periodSeconds} seconds\n`);
      }
    }
  }
  w.write(0, `${spec?.scaleTargetRef.kind ?? ''} pods:\t${st?.currentReplicas ?? 0} current / ${st?.desiredReplicas ?? 0} desired\n`);
  if (st?.conditions?.length) {
    w.write(0, 'Conditions:\n');
    w.write(1, 'Type\tStatus\tReason\tMessage\n');
    w.write(1, '----\t------\t------\t-------\n');
    for (const c of st.conditions) w.write(1, `${c.type}\t${c.status}\t${c.reason ?? ''}\t${c.message ?? ''}\n`);
  }
  describeEvents(w, eventsFor(view.events(), 'HorizontalPodAutoscaler', meta.namespace ?? '', meta.name ?? '', meta.uid), view.now);
  return w.toString();
}

export function describePersistentVolumeClaim(view: ClusterView, pvc: PersistentVolumeClaim): string {
  const w = new PrefixWriter();
  const meta = pvc.metadata ?? {};
  const bound = pvc.spec?.volumeName ?? '';
  w.write(0, `Name:\t${meta.name ?? ''}\n`);
  w.write(0, `Namespace:\t${meta.namespace ?? ''}\n`);
  w.write(0, `StorageClass:\t${pvc.spec?.storageClassName ?? ''}\n`);
  if (meta.deletionTimestamp) w.write(0, `Status:\tTerminating (lasts ${since(view.virtualTime(meta.deletionTimestamp), view.now)})\n`);
  else w.write(0, `Status:\t${pvc.status?.phase ?? ''}\n`);
  w.write(0, `Volume:\t${bound}\n`);
  labelsMultiline(w, 'Labels', meta.labels);
  annotationsMultiline(w, 'Annotations', meta.annotations);
  // Go's %v of a []string.
  w.write(0, `Finalizers:\t[${(meta.finalizers ?? []).join(' ')}]\n`);
  const capacity = bound !== '' ? ((pvc.status?.capacity as Record<string, string> | undefined)?.['storage'] ?? '') : '';
  const modes = bound !== '' ? accessModesString(pvc.status?.accessModes) : '';
  w.write(0, `Capacity:\t${capacity ? quantityString(capacity) : ''}\n`);
  w.write(0, `Access Modes:\t${modes}\n`);
  if (pvc.spec?.volumeMode) w.write(0, `VolumeMode:\t${pvc.spec.volumeMode}\n`);
  const users = (view.list('Pod', meta.namespace ?? '') as unknown as Pod[])
    .filter((p) => p.spec?.volumes?.some((v) => v.persistentVolumeClaim?.claimName === meta.name))
    .map((p) => p.metadata?.name ?? '');
  w.write(0, 'Used By:\t');
  if (users.length === 0) w.line('<none>');
  users.forEach((u, i) => {
    if (i !== 0) w.write(0, '\t');
    w.line(u);
  });
  describeEvents(w, eventsFor(view.events(), 'PersistentVolumeClaim', meta.namespace ?? '', meta.name ?? '', meta.uid), view.now);
  return w.toString();
}

/** Kinds without their own describer here: the metadata and the Events, as kubectl's generic describer. */
export function describeGeneric(view: ClusterView, info: KindInfo, o: KObject): string {
  const w = new PrefixWriter();
  const meta = o.metadata ?? {};
  w.write(0, `Name:\t${meta.name ?? ''}\n`);
  if (info.namespaced) w.write(0, `Namespace:\t${meta.namespace ?? ''}\n`);
  labelsMultiline(w, 'Labels', meta.labels);
  annotationsMultiline(w, 'Annotations', meta.annotations);
  w.write(0, `API Version:\t${o.apiVersion ?? ''}\n`);
  w.write(0, `Kind:\t${o.kind}\n`);
  describeEvents(w, eventsFor(view.events(), info.kind, meta.namespace ?? '', meta.name ?? '', meta.uid ?? undefined), view.now);
  return w.toString();
}

export function describeObject(view: ClusterView, info: KindInfo, o: KObject): string {
  if (info.kind === 'Pod') return describePod(view, o as unknown as Pod);
  if (info.kind === 'Node') return describeNode(view, o as unknown as Node);
  if (info.kind === 'Deployment') return describeDeployment(view, o as unknown as Deployment);
  if (info.kind === 'ReplicaSet') return describeReplicaSet(view, o as unknown as ReplicaSet);
  if (info.kind === 'StatefulSet') return describeStatefulSet(view, o as unknown as StatefulSet);
  if (info.kind === 'DaemonSet') return describeDaemonSet(view, o as unknown as DaemonSet);
  if (info.kind === 'Namespace') return describeNamespace(view, o);
  if (info.kind === 'HorizontalPodAutoscaler') return describeHorizontalPodAutoscaler(view, o as unknown as HorizontalPodAutoscaler);
  if (info.kind === 'PersistentVolumeClaim') return describePersistentVolumeClaim(view, o as unknown as PersistentVolumeClaim);
  if (info.kind === 'Job') return describeJob(view, o as unknown as Job);
  if (info.kind === 'PodDisruptionBudget') return describePodDisruptionBudget(view, o as unknown as PodDisruptionBudget);
  return describeGeneric(view, info, o);
}
