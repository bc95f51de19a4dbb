/**
 * The eviction manager's pure rules, following pkg/kubelet/eviction
 * (helpers.go, api/types.go): signals and the node conditions and resources
 * they map to, observations from the stats summary, which thresholds are met
 * (with minimum reclaim), grace periods, the pressure transition period, the
 * order thresholds are reclaimed in, the ranking of pods, and the eviction
 * message with its event annotations. Newest upstream unless noted.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Time } from '../../sim/types.ts';
import { Quantity } from '../../api/quantity.ts';
import { podRequests } from '../../api/resources.ts';
import { float32Percentage, type EvictionThreshold, type ThresholdValue } from '../../api/kubeletConfig.ts';
import type { NodeSummary, PodStats } from '../stats.ts';
import { BYTES_PER_FILE } from '../stats.ts';

export const Reason = 'Evicted';
export const OffendingContainersKey = 'offending_containers';
export const OffendingContainersUsageKey = 'offending_containers_usage';
export const StarvedResourceKey = 'starved_resource';

export type NodeConditionType = 'MemoryPressure' | 'DiskPressure' | 'PIDPressure';
/** The resource a signal reclaims: memory, ephemeral-storage, and the module-internal inodes and pids. */
export type ReclaimResource = 'memory' | 'ephemeral-storage' | 'inodes' | 'pids';

export const signalToNodeCondition: Readonly<Record<string, NodeConditionType>> = {
  'memory.available': 'MemoryPressure',
  'allocatableMemory.available': 'MemoryPressure',
  'imagefs.available': 'DiskPressure',
  'containerfs.available': 'DiskPressure',
  'nodefs.available': 'DiskPressure',
  'imagefs.inodesFree': 'DiskPressure',
  'nodefs.inodesFree': 'DiskPressure',
  'containerfs.inodesFree': 'DiskPressure',
  'pid.available': 'PIDPressure',
};

export const signalToResource: Readonly<Record<string, ReclaimResource>> = {
  'memory.available': 'memory',
  'allocatableMemory.available': 'memory',
  'imagefs.available': 'ephemeral-storage',
  'imagefs.inodesFree': 'inodes',
  'containerfs.available': 'ephemeral-storage',
  'containerfs.inodesFree': 'inodes',
  'nodefs.available': 'ephemeral-storage',
  'nodefs.inodesFree': 'inodes',
  'pid.available': 'pids',
};

/** Byte signals render as BinarySI quantities, counts as DecimalSI. */
function formatFor(signal: string): 'BinarySI' | 'DecimalSI' {
  return signal.endsWith('inodesFree') || signal === 'pid.available' ? 'DecimalSI' : 'BinarySI';
}

export interface SignalObservation {
  available: number;
  capacity: number;
  time: Time;
}

export type SignalObservations = Map<string, SignalObservation>;

/** makeSignalObservations: one observation per signal the summary supports. */
export function makeSignalObservations(s: NodeSummary): SignalObservations {
  const out: SignalObservations = new Map();
  // A node that reports no memory capacity has no memory signals (nothing to measure against).
  if (s.memory.capacityBytes > 0) {
    out.set('memory.available', { available: s.memory.availableBytes, capacity: s.memory.capacityBytes, time: s.time });
    const a = s.allocatableMemory;
    // Upstream: capacity = available + working set of the pods cgroup.
    out.set('allocatableMemory.available', { available: a.availableBytes, capacity: a.availableBytes + a.workingSetBytes, time: s.time });
  }
  const fsSignals = (prefix: string, fs: NodeSummary['fs']): void => {
    if (!fs) return;
    out.set(`${prefix}.available`, { available: fs.availableBytes, capacity: fs.capacityBytes, time: s.time });
    out.set(`${prefix}.inodesFree`, { available: fs.inodesFree, capacity: fs.inodes, time: s.time });
  };
  fsSignals('nodefs', s.fs);
  fsSignals('imagefs', s.imageFs);
  // One filesystem: the container filesystem is the node filesystem.
  fsSignals('containerfs', s.fs);
  out.set('pid.available', { available: s.pids.max - s.pids.running, capacity: s.pids.max, time: s.time });
  return out;
}

/** GetThresholdQuantity in base units: a quantity as is, a percentage as int64(float64(capacity) × float32 percentage). */
export function thresholdAmount(v: ThresholdValue, capacity: number): number {
  if (v.quantity) return v.quantity.value();
  const pct = v.fraction ?? float32Percentage(v.percent ?? '0');
  return Math.trunc(capacity * pct);
}

/** A stable identity for a threshold (upstream keys maps by the Threshold struct). */
export function thresholdKey(t: EvictionThreshold): string {
  const v = t.value.quantity ? t.value.quantity.toString() : `${t.value.percent}%`;
  return `${t.signal}|${t.operator}|${t.gracePeriodMs}|${v}`;
}

export function isHardEvictionThreshold(t: EvictionThreshold): boolean {
  return t.gracePeriodMs === 0;
}

/** addAllocatableThresholds: with enforceNodeAllocatable containing "pods", each hard memory.available threshold also applies to allocatableMemory.available. */
export function addAllocatableThresholds(thresholds: readonly EvictionThreshold[], enforceNodeAllocatable: readonly string[]): EvictionThreshold[] {
  if (!enforceNodeAllocatable.includes('pods')) return [...thresholds];
  const extra: EvictionThreshold[] = [];
  for (const t of thresholds) {
    if (t.signal === 'memory.available' && isHardEvictionThreshold(t)) {
      const copy: EvictionThreshold = { signal: 'allocatableMemory.available', operator: t.operator, value: t.value, gracePeriodMs: 0, hard: true };
      if (t.minReclaim) copy.minReclaim = t.minReclaim;
      extra.push(copy);
    }
  }
  return [...thresholds, ...extra];
}

/**
 * UpdateContainerFsThresholds for one filesystem (no dedicated imagefs): the
 * user's containerfs thresholds are dropped and the nodefs ones copied to
 * containerfs. The signals read the same device, so the copies change no
 * decision; they keep the set of thresholds as upstream builds it.
 */
export function updateContainerFsThresholds(thresholds: readonly EvictionThreshold[]): EvictionThreshold[] {
  const out = thresholds.filter((t) => !t.signal.startsWith('containerfs.'));
  for (const t of thresholds) {
    if (t.signal === 'nodefs.available' || t.signal === 'nodefs.inodesFree') out.push({ ...t, signal: t.signal.replace('nodefs.', 'containerfs.') });
  }
  return out;
}

/** thresholdsMet: thresholds whose signal is below the threshold (plus minReclaim when enforcing it). */
export function thresholdsMet(thresholds: readonly EvictionThreshold[], obs: SignalObservations, enforceMinReclaim: boolean): EvictionThreshold[] {
  const out: EvictionThreshold[] = [];
  for (const t of thresholds) {
    const o = obs.get(t.signal);
    if (!o) continue;
    let q = thresholdAmount(t.value, o.capacity);
    if (enforceMinReclaim && t.minReclaim) q += thresholdAmount(t.minReclaim, o.capacity);
    if (q > o.available) out.push(t);
  }
  return out;
}

export function mergeThresholds(a: readonly EvictionThreshold[], b: readonly EvictionThreshold[]): EvictionThreshold[] {
  const out = [...a];
  const keys = new Set(a.map(thresholdKey));
  for (const t of b) if (!keys.has(thresholdKey(t))) out.push(t);
  return out;
}

export type ThresholdsObservedAt = Map<string, { threshold: EvictionThreshold; at: Time }>;

export function thresholdsFirstObservedAt(thresholds: readonly EvictionThreshold[], last: ThresholdsObservedAt, now: Time): ThresholdsObservedAt {
  const out: ThresholdsObservedAt = new Map();
  for (const t of thresholds) {
    const k = thresholdKey(t);
    out.set(k, { threshold: t, at: last.get(k)?.at ?? now });
  }
  return out;
}

export function thresholdsMetGracePeriod(observedAt: ThresholdsObservedAt, now: Time): EvictionThreshold[] {
  const out: EvictionThreshold[] = [];
  for (const { threshold, at } of observedAt.values()) if (now - at >= threshold.gracePeriodMs) out.push(threshold);
  return out;
}

export function nodeConditions(thresholds: readonly EvictionThreshold[]): NodeConditionType[] {
  const out: NodeConditionType[] = [];
  for (const t of thresholds) {
    const c = signalToNodeCondition[t.signal];
    if (c && !out.includes(c)) out.push(c);
  }
  return out;
}

export function nodeConditionsLastObservedAt(conds: readonly NodeConditionType[], last: ReadonlyMap<NodeConditionType, Time>, now: Time): Map<NodeConditionType, Time> {
  const out = new Map<NodeConditionType, Time>();
  for (const c of conds) out.set(c, now);
  for (const [c, at] of last) if (!out.has(c)) out.set(c, at);
  return out;
}

/** Conditions observed within the pressure transition period stay reported. */
export function nodeConditionsObservedSince(observedAt: ReadonlyMap<NodeConditionType, Time>, period: Time, now: Time): NodeConditionType[] {
  const out: NodeConditionType[] = [];
  for (const [c, at] of observedAt) if (now - at < period) out.push(c);
  return out;
}

/** byEvictionPriority: memory signals first, thresholds with no resource to reclaim last (stable otherwise). */
export function sortByEvictionPriority(thresholds: EvictionThreshold[]): EvictionThreshold[] {
  const rank = (t: EvictionThreshold): number =>
    t.signal === 'memory.available' || t.signal === 'allocatableMemory.available' ? 0 : signalToResource[t.signal] !== undefined ? 1 : 2;
  return thresholds.sort((a, b) => rank(a) - rank(b));
}

export function getReclaimableThreshold(thresholds: readonly EvictionThreshold[]): { threshold: EvictionThreshold; resource: ReclaimResource } | undefined {
  for (const t of thresholds) {
    const r = signalToResource[t.signal];
    if (r) return { threshold: t, resource: r };
  }
  return undefined;
}

// ---- ranking ----

export type StatsFunc = (pod: Pod) => PodStats | undefined;
type Cmp = (a: Pod, b: Pod) => number;

function cmpBool(a: boolean, b: boolean): number {
  if (a === b) return 0;
  return a ? -1 : 1;
}

function request(pod: Pod, resource: string): number {
  const q = podRequests(pod).get(resource);
  return q === undefined ? 0 : q.value();
}

function priority(a: Pod, b: Pod): number {
  const pa = a.spec?.priority ?? 0;
  const pb = b.spec?.priority ?? 0;
  return pa === pb ? 0 : pa > pb ? 1 : -1;
}

function withStats(stats: StatsFunc, f: (a: Pod, sa: PodStats, b: Pod, sb: PodStats) => number): Cmp {
  return (a, b) => {
    const sa = stats(a);
    const sb = stats(b);
    // Prioritise evicting the pod for which no stats were found.
    if (!sa || !sb) return cmpBool(!sa, !sb);
    return f(a, sa, b, sb);
  };
}

export const exceedMemoryRequests = (stats: StatsFunc): Cmp =>
  withStats(stats, (a, sa, b, sb) => cmpBool(sa.workingSetBytes > request(a, 'memory'), sb.workingSetBytes > request(b, 'memory')));

export const memory = (stats: StatsFunc): Cmp =>
  withStats(stats, (a, sa, b, sb) => Math.sign(sb.workingSetBytes - request(b, 'memory') - (sa.workingSetBytes - request(a, 'memory'))));

export const process = (stats: StatsFunc): Cmp => withStats(stats, (_a, sa, _b, sb) => Math.sign(sb.processes - sa.processes));

function diskUsage(s: PodStats, resource: 'ephemeral-storage' | 'inodes'): number {
  return resource === 'inodes' ? Math.ceil(s.ephemeralBytes / BYTES_PER_FILE) : s.ephemeralBytes;
}

export const exceedDiskRequests = (stats: StatsFunc, resource: 'ephemeral-storage' | 'inodes'): Cmp =>
  withStats(stats, (a, sa, b, sb) => cmpBool(diskUsage(sa, resource) > request(a, resource), diskUsage(sb, resource) > request(b, resource)));

/** Upstream subtracts the ephemeral-storage request for both disk resources. */
export const disk = (stats: StatsFunc, resource: 'ephemeral-storage' | 'inodes'): Cmp =>
  withStats(stats, (a, sa, b, sb) => Math.sign(diskUsage(sb, resource) - request(b, 'ephemeral-storage') - (diskUsage(sa, resource) - request(a, 'ephemeral-storage'))));

function orderedBy(...cmps: Cmp[]): (pods: Pod[]) => Pod[] {
  return (pods) =>
    pods.sort((a, b) => {
      for (const c of cmps) {
        const r = c(a, b);
        if (r !== 0) return r;
      }
      return 0;
    });
}

/** rankMemoryPressure: usage above requests first, then lower priority, then the most memory above requests. */
export function rankMemoryPressure(pods: Pod[], stats: StatsFunc): Pod[] {
  return orderedBy(exceedMemoryRequests(stats), priority, memory(stats))(pods);
}

/** rankPIDPressure: lower priority first, then the most processes. */
export function rankPIDPressure(pods: Pod[], stats: StatsFunc): Pod[] {
  return orderedBy(priority, process(stats))(pods);
}

/** rankDiskPressureFunc (one filesystem: all of a pod's disk use counts). */
export function rankDiskPressure(resource: 'ephemeral-storage' | 'inodes'): (pods: Pod[], stats: StatsFunc) => Pod[] {
  return (pods, stats) => orderedBy(exceedDiskRequests(stats, resource), priority, disk(stats, resource))(pods);
}

export function rankFor(signal: string): ((pods: Pod[], stats: StatsFunc) => Pod[]) | undefined {
  const r = signalToResource[signal];
  if (r === 'memory') return rankMemoryPressure;
  if (r === 'pids') return rankPIDPressure;
  if (r === 'ephemeral-storage' || r === 'inodes') return rankDiskPressure(r);
  return undefined;
}

// ---- messages ----

function quantityText(v: number, format: 'BinarySI' | 'DecimalSI'): string {
  return Quantity.fromValue(BigInt(Math.max(0, Math.round(v))), format).toString();
}

/** getThresholdMetInfo: the first met threshold for the resource with an observation. */
function thresholdMetInfo(resource: ReclaimResource, thresholds: readonly EvictionThreshold[], obs: SignalObservations): { quantity: string; available: string } | undefined {
  for (const t of thresholds) {
    if (signalToResource[t.signal] !== resource) continue;
    const o = obs.get(t.signal);
    if (!o) continue;
    const format = formatFor(t.signal);
    const quantity = t.value.quantity ? t.value.quantity.toString() : quantityText(thresholdAmount(t.value, o.capacity), format);
    return { quantity, available: quantityText(o.available, format) };
  }
  return undefined;
}

function containerRequestText(pod: Pod, container: string, resource: ReclaimResource): { text: string; value: number } {
  const all = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  const c = all.find((x) => x.name === container);
  const raw = c?.resources?.requests?.[resource];
  const q = raw === undefined ? undefined : Quantity.tryParse(raw);
  return q === undefined ? { text: '0', value: 0 } : { text: q.toString(), value: q.value() };
}

/** evictionMessage: the Evicted message and the event's annotations. */
export function evictionMessage(resource: ReclaimResource, pod: Pod, stats: StatsFunc, thresholds: readonly EvictionThreshold[], obs: SignalObservations): { message: string; annotations: Record<string, string> } {
  const annotations: Record<string, string> = {};
  let message = `The node was low on resource: ${resource}. `;
  const info = thresholdMetInfo(resource, thresholds, obs);
  if (info) message += `Threshold quantity: ${info.quantity}, available: ${info.available}. `;
  const s = stats(pod);
  if (!s) return { message, annotations };
  const exceeded: string[] = [];
  const usages: string[] = [];
  for (const cs of s.containers) {
    let usage: number | undefined;
    if (resource === 'memory') usage = cs.workingSetBytes;
    else if (resource === 'ephemeral-storage') usage = cs.ephemeralBytes;
    if (usage === undefined) continue;
    const req = containerRequestText(pod, cs.name, resource);
    if (usage > req.value) {
      const u = quantityText(usage, 'BinarySI');
      message += `Container ${cs.name} was using ${u}, request is ${req.text}, has larger consumption of ${resource}. `;
      exceeded.push(cs.name);
      usages.push(u);
    }
  }
  annotations[OffendingContainersKey] = exceeded.join(',');
  annotations[OffendingContainersUsageKey] = usages.join(',');
  annotations[StarvedResourceKey] = resource;
  return { message, annotations };
}
