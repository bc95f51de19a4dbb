/**
 * Node allocatable and the kubelet's initial node status, following
 * pkg/kubelet/cm/node_container_manager_linux.go (GetNodeAllocatableReservation,
 * hardEvictionReservation), pkg/kubelet/nodestatus/setters.go (MachineInfo,
 * MemoryPressureCondition, DiskPressureCondition, PIDPressureCondition,
 * ReadyCondition) and pkg/kubelet/kubelet_node_status.go (initialNode labels), v1.35 (unchanged since v1.31 in what ksim models, per the v1.32-v1.35 release notes).
 *
 *   Allocatable[r] = max(0, Capacity[r] - kubeReserved[r] - systemReserved[r] - hardEviction[r])
 *
 * where the hard-eviction reservation is the `memory.available` threshold for memory
 * and the `nodefs.available` threshold for ephemeral-storage (an absolute quantity,
 * or a percentage of that resource's capacity). Hugepages capacity is also taken
 * out of allocatable memory, as the kubelet does.
 */
import type { Node, NodeCondition, NodeStatus } from 'kubernetes-types/core/v1.js';
import { FieldErrorList, type FieldError } from './errors.ts';
import { parseEvictionThresholds, thresholdQuantity, type KubeletConfiguration } from './kubeletConfig.ts';
import { Quantity } from './quantity.ts';

export const HUGEPAGES_PREFIX = 'hugepages-';

function parseList(list: Record<string, string> | undefined, path: string, errs: FieldError[]): Map<string, Quantity> {
  const out = new Map<string, Quantity>();
  for (const [k, v] of Object.entries(list ?? {})) {
    const q = Quantity.tryParse(v);
    if (q === undefined) {
      errs.push({ path: `${path}[${k}]`, type: 'Invalid', value: v, detail: "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'" });
      continue;
    }
    out.set(k, q);
  }
  return out;
}

/** hardEvictionReservation: memory and ephemeral-storage held back by hard eviction thresholds. */
export function hardEvictionReservation(capacity: Map<string, Quantity>, kubelet: KubeletConfiguration): Map<string, Quantity> {
  const ret = new Map<string, Quantity>();
  for (const t of parseEvictionThresholds({ ...kubelet, evictionSoft: {} })) {
    if (!t.hard || t.operator !== 'LessThan') continue;
    if (t.signal === 'memory.available') {
      ret.set('memory', thresholdQuantity(t.value, capacity.get('memory') ?? Quantity.zero('BinarySI')));
    } else if (t.signal === 'nodefs.available') {
      ret.set('ephemeral-storage', thresholdQuantity(t.value, capacity.get('ephemeral-storage') ?? Quantity.zero('BinarySI')));
    }
  }
  return ret;
}

/** The number of CPUs in a cpuset list ("0-1,8" is 3); 0 when empty or malformed (validation reports it). */
export function cpuListSize(list: string | undefined): number {
  if (!list || list.trim() === '') return 0;
  const cpus = new Set<number>();
  for (const part of list.split(',')) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (!m) return 0;
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    if (hi < lo) return 0;
    for (let i = lo; i <= hi; i++) cpus.add(i);
  }
  return cpus.size;
}

/** GetNodeAllocatableReservation: per capacity resource, system + kube reserved + hard eviction (non-zero only). */
export function nodeAllocatableReservation(capacity: Map<string, Quantity>, kubelet: KubeletConfiguration): Map<string, Quantity> {
  const errs: FieldError[] = [];
  const sys = parseList(kubelet.systemReserved, 'systemReserved', errs);
  const kube = parseList(kubelet.kubeReserved, 'kubeReserved', errs);
  if (errs.length) throw new FieldErrorList(errs);
  // --reserved-cpus overwrites the cpu of kube-reserved and system-reserved: system-reserved
  // cpu becomes the number of reserved CPUs (cmd/kubelet/app/server.go).
  const reservedCPUs = cpuListSize(kubelet.reservedSystemCPUs);
  if (reservedCPUs > 0) {
    kube.delete('cpu');
    sys.set('cpu', Quantity.parse(String(reservedCPUs)));
  }
  const eviction = hardEvictionReservation(capacity, kubelet);
  const result = new Map<string, Quantity>();
  for (const k of capacity.keys()) {
    let v = Quantity.zero('DecimalSI');
    for (const src of [sys, kube, eviction]) {
      const q = src.get(k);
      if (q) v = v.add(q);
    }
    if (!v.isZero()) result.set(k, v);
  }
  return result;
}

/** The pod capacity the kubelet reports: maxPods, or podsPerCore × cores when smaller. */
export function podCapacity(capacity: Record<string, string>, kubelet: KubeletConfiguration): string {
  const maxPods = kubelet.maxPods || 110;
  if (kubelet.podsPerCore > 0) {
    const cores = Quantity.tryParse(capacity['cpu'] ?? '0')?.value() ?? 0;
    return String(Math.min(cores * kubelet.podsPerCore, maxPods));
  }
  return String(maxPods);
}

/**
 * Allocatable from capacity and kubelet reservations, in canonical Quantity strings,
 * keys sorted. A capacity without `pods` gets the kubelet's pod capacity.
 */
export function computeAllocatable(capacity: Record<string, string>, kubelet: KubeletConfiguration): Record<string, string> {
  const errs: FieldError[] = [];
  const cap = parseList(capacity, 'capacity', errs);
  if (errs.length) throw new FieldErrorList(errs);
  if (!cap.has('pods')) cap.set('pods', Quantity.parse(podCapacity(capacity, kubelet)));
  const reservation = nodeAllocatableReservation(cap, kubelet);
  const alloc = new Map<string, Quantity>();
  for (const [k, c] of cap) {
    let v = c;
    const r = reservation.get(k);
    if (r) v = v.sub(r);
    // Negative allocatable makes no sense: clamp at zero, keeping the format.
    if (v.sign() < 0) v = Quantity.zero(c.format);
    alloc.set(k, v);
  }
  // Every hugepages reservation comes out of allocatable memory. Upstream reads
  // Allocatable[memory] as a zero Quantity when it is absent, so a hugepages capacity
  // without a memory capacity still yields memory: 0 (clamped, keeping the format).
  for (const [k, c] of cap) {
    if (!k.startsWith(HUGEPAGES_PREFIX)) continue;
    const mem = alloc.get('memory') ?? Quantity.zero();
    let v = mem.sub(c);
    if (v.sign() < 0) v = Quantity.zero(v.format);
    alloc.set('memory', v);
  }
  const out: Record<string, string> = {};
  for (const k of [...alloc.keys()].sort()) out[k] = alloc.get(k)!.toString();
  return out;
}

export const LabelHostname = 'kubernetes.io/hostname';
export const LabelOSStable = 'kubernetes.io/os';
export const LabelArchStable = 'kubernetes.io/arch';
export const LabelOSBeta = 'beta.kubernetes.io/os';
export const LabelArchBeta = 'beta.kubernetes.io/arch';

/** The four conditions the kubelet posts on a healthy node, in the kubelet's setter order. */
export function healthyNodeConditions(now: string): NodeCondition[] {
  const c = (type: string, status: string, reason: string, message: string): NodeCondition => ({
    type,
    status,
    lastHeartbeatTime: now,
    lastTransitionTime: now,
    reason,
    message,
  });
  return [
    c('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
    c('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
    c('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
    c('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
  ];
}

/**
 * What a kubelet registering this node would fill in: well-known labels, pod
 * capacity, allocatable and healthy conditions, each only when absent. Works in
 * place (e.g. on an admission draft); `now` is the virtual timestamp (RFC 3339)
 * for the conditions. Allocatable is only computed when missing, since it is
 * the expensive part.
 */
export function registerNodeInPlace(node: Node, kubelet: KubeletConfiguration, now: string): void {
  const name = node.metadata?.name ?? '';
  const meta = (node.metadata ??= {});
  const labels: Record<string, string> = (meta.labels ??= {});
  const setIfAbsent = (k: string, v: string): void => {
    if (!(k in labels)) labels[k] = v;
  };
  setIfAbsent(LabelHostname, name);
  setIfAbsent(LabelOSStable, 'linux');
  setIfAbsent(LabelArchStable, 'amd64');
  setIfAbsent(LabelOSBeta, labels[LabelOSStable]!);
  setIfAbsent(LabelArchBeta, labels[LabelArchStable]!);
  const writable = node as { status?: NodeStatus };
  const status = (writable.status ??= {});
  const capacity = (status.capacity ??= {}) as Record<string, string>;
  if (capacity['pods'] === undefined) capacity['pods'] = podCapacity(capacity, kubelet);
  if (status.allocatable === undefined) status.allocatable = computeAllocatable(capacity, kubelet);
  if (status.conditions === undefined || status.conditions.length === 0) status.conditions = healthyNodeConditions(now);
}

/** {@link registerNodeInPlace} on a copy. */
export function defaultNode<T extends Node>(node: T, kubelet: KubeletConfiguration, now: string): T {
  const out = structuredClone(node) as T;
  registerNodeInPlace(out, kubelet, now);
  return out;
}
