/**
 * The kubelet's stats summary (k8s.io/kubelet/pkg/apis/stats/v1alpha1
 * Summary, reduced to what the eviction manager and metrics-server read):
 * per-container CPU, working-set memory, writable layer plus logs and
 * processes, and the node's memory, filesystem and PID figures with the
 * `pods` system container (the allocatable cgroup).
 *
 * Usage comes from the load models (src/load); system daemons use what
 * kubeReserved and systemReserved set aside for them. ksim's node has one
 * filesystem (no dedicated imagefs), so nodefs and imagefs are the same
 * device, as upstream reports them in that case. Inodes: the filesystem has
 * one inode per 16 KiB (mke2fs' default inode_ratio) and files average
 * 32 KiB, so inodes run out only after bytes do.
 */
import type { Time } from '../sim/types.ts';

export const BYTES_PER_INODE = 16 * 1024;
export const BYTES_PER_FILE = 32 * 1024;
/** /proc/sys/kernel/pid_max on a 64-bit node. */
export const DEFAULT_PID_MAX = 4_194_304;
/** Processes of the OS and node daemons, outside any pod. */
export const SYSTEM_PROCESSES = 300;

export interface ContainerStats {
  name: string;
  startTime: Time;
  /** Cores, after throttling at the CPU limit. */
  cpu: number;
  workingSetBytes: number;
  /** Writable layer plus logs. */
  ephemeralBytes: number;
  processes: number;
}

export interface PodStats {
  /** Driven by a load model (only these are served to metrics-server). */
  modelled: boolean;
  namespace: string;
  name: string;
  uid: string;
  startTime: Time;
  containers: ContainerStats[];
  cpu: number;
  workingSetBytes: number;
  ephemeralBytes: number;
  processes: number;
}

export interface FsStats {
  capacityBytes: number;
  availableBytes: number;
  usedBytes: number;
  inodes: number;
  inodesFree: number;
}

export interface NodeSummary {
  nodeName: string;
  time: Time;
  cpu: number;
  memory: { capacityBytes: number; workingSetBytes: number; availableBytes: number };
  /** The pods cgroup (node allocatable): capacity minus kube and system reservations. */
  allocatableMemory: { capacityBytes: number; workingSetBytes: number; availableBytes: number };
  /** Undefined when the node reports no ephemeral-storage capacity. */
  fs: FsStats | undefined;
  imageFs: FsStats | undefined;
  pids: { max: number; running: number };
  pods: PodStats[];
}

export interface NodeStatsInput {
  nodeName: string;
  time: Time;
  memoryCapacity: number;
  /** Memory reserved for (and used by) kube and system daemons. */
  reservedMemory: number;
  /** Ephemeral-storage capacity in bytes, if the node has any. */
  fsCapacity: number | undefined;
  /** Ephemeral storage reserved for (and used by) daemons and the OS. */
  reservedFs: number;
  imageBytes: number;
  /** Bytes of exited containers' writable layers and logs not yet garbage-collected. */
  deadContainerBytes: number;
  pidMax: number;
  pods: PodStats[];
}

function fsStats(capacity: number, used: number): FsStats {
  const inodes = Math.floor(capacity / BYTES_PER_INODE);
  const usedInodes = Math.min(inodes, Math.ceil(used / BYTES_PER_FILE));
  return { capacityBytes: capacity, availableBytes: Math.max(0, capacity - used), usedBytes: used, inodes, inodesFree: inodes - usedInodes };
}

export function summarize(input: NodeStatsInput): NodeSummary {
  let cpu = 0;
  let podsWS = 0;
  let podsFs = 0;
  let procs = 0;
  for (const p of input.pods) {
    cpu += p.cpu;
    podsWS += p.workingSetBytes;
    podsFs += p.ephemeralBytes;
    procs += p.processes;
  }
  const ws = Math.min(input.memoryCapacity, podsWS + input.reservedMemory);
  const allocCap = Math.max(0, input.memoryCapacity - input.reservedMemory);
  let fs: FsStats | undefined;
  if (input.fsCapacity !== undefined) {
    const used = Math.min(input.fsCapacity, input.reservedFs + input.imageBytes + podsFs + input.deadContainerBytes);
    fs = fsStats(input.fsCapacity, used);
  }
  return {
    nodeName: input.nodeName,
    time: input.time,
    cpu,
    memory: { capacityBytes: input.memoryCapacity, workingSetBytes: ws, availableBytes: Math.max(0, input.memoryCapacity - ws) },
    allocatableMemory: { capacityBytes: allocCap, workingSetBytes: podsWS, availableBytes: Math.max(0, allocCap - podsWS) },
    fs,
    imageFs: fs,
    pids: { max: input.pidMax, running: Math.min(input.pidMax, SYSTEM_PROCESSES + procs) },
    pods: input.pods,
  };
}

/** What metrics-server scrapes from a kubelet's /metrics/resource. */
export interface ResourceMetrics {
  nodeName: string;
  time: Time;
  node: { cpu: number; memory: number };
  pods: ReadonlyArray<PodResourceMetrics>;
}

export interface PodResourceMetrics {
  namespace: string;
  name: string;
  time: Time;
  containers: Array<{ name: string; cpu: number; memory: number }>;
}

/**
 * The pod list of every node that runs no modelled pod, shared (frozen: readers only read). Why: metrics-server
 * scrapes each kubelet every 15 s, and in a large cluster most nodes run only pods no load model drives (5,000
 * nodes of the simulated day: a filter, a map and two arrays each, ~1% of the run, to say "none").
 */
const NoPodMetrics: ReadonlyArray<PodResourceMetrics> = Object.freeze([]);

export function resourceMetrics(s: NodeSummary): ResourceMetrics {
  // The modelled pods in summary order; the list is made at the first one.
  let pods: PodResourceMetrics[] | undefined;
  for (const p of s.pods) {
    if (!p.modelled) continue;
    (pods ??= []).push({ namespace: p.namespace, name: p.name, time: s.time, containers: p.containers.map((c) => ({ name: c.name, cpu: c.cpu, memory: c.workingSetBytes })) });
  }
  return {
    nodeName: s.nodeName,
    time: s.time,
    node: { cpu: s.cpu, memory: s.memory.workingSetBytes },
    pods: pods ?? NoPodMetrics,
  };
}
