/**
 * The kubelet's own admission of a pod bound to its node (kubelet.go
 * canAdmitPod over klet.admitHandlers), in upstream's handler order:
 *
 *   1. eviction        rejects under node pressure (src/kubelet/eviction/, the
 *                      kubelet's first handler; not here)
 *   2. resource allocation  the Topology Manager with the device, CPU and memory
 *                      managers (TopologyAffinityError, SMTAlignmentError,
 *                      UnexpectedAdmissionError) — upstream runs it before the
 *                      predicates, so a pod the predicates reject may first have
 *                      had resources allocated; ksim releases them at once
 *   3. predicates      GeneralPredicates and NoExecute taints (OutOfcpu, NodeAffinity, ...)
 *   4. node shutdown   "NodeShutdown" while a graceful shutdown is under way
 *
 * A rejected pod goes Failed with the handler's reason and "Pod was rejected:
 * <message>", with a Warning event of that reason (rejectPod). The node's
 * usage (admitted pods, their requests and host ports) is kept incrementally.
 */
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { KubeletConfiguration } from '../api/kubeletConfig.ts';
import { numaLayoutOf } from '../api/numa.ts';
import { managersActive, NodeResourceManagers, resourceManagersConfig, type PodAssignment } from './cm/containerManager.ts';
import {
  Admitted,
  allocatableAmounts,
  fits,
  insufficient,
  podHostPorts,
  podRequestAmounts,
  predicateAdmitAfterFits,
  type AdmitResult,
  type Failure,
  type HostPort,
  type NodeUsage,
  type ResourceAmounts,
} from './lifecycle/predicate.ts';

export const AnnotationResourceAssignment = 'ksim.dev/resource-assignment';
export const NodeShutdownNotAdmittedReason = 'NodeShutdown';
export const NodeShutdownNotAdmittedMessage = 'Pod was rejected as the node is shutting down.';
export const RejectedMessagePrefix = 'Pod was rejected: ';

interface AdmittedPod {
  requests: ReadonlyMap<string, number>;
  ports: readonly HostPort[];
}

/** The resources Fits checks by name before the rest; their amounts are kept as numbers (below). */
const Cpu = 'cpu';
const Memory = 'memory';
const Ephemeral = 'ephemeral-storage';

/** How many of cpu, memory and ephemeral-storage `request` holds: all its keys are among them when this is its size. */
function standardCount(request: ReadonlyMap<string, number>): number {
  return (request.has(Cpu) ? 1 : 0) + (request.has(Memory) ? 1 : 0) + (request.has(Ephemeral) ? 1 : 0);
}

export class NodeAdmission {
  private readonly admitted = new Map<string, AdmittedPod>();
  /**
   * What the admitted pods request: cpu, memory and ephemeral-storage as numbers, every other resource in
   * `otherRequested`. Why: a node's admissions are minutes apart, so its state is out of the CPU caches at
   * each one, and a map read costs several memory loads where a field of this object costs none more
   * (the amounts in maps made admission and release ~3.5% of a churn run, most of it waiting on memory).
   */
  private cpu = 0;
  private memory = 0;
  private ephemeral = 0;
  private readonly otherRequested: ResourceAmounts = new Map();
  private hostPorts: readonly HostPort[] = [];
  readonly managers: NodeResourceManagers | undefined;
  shuttingDown = false;
  /**
   * The PodAdmitter that keeps this state under its node's name, cleared when it drops it (the node deleted):
   * a reference kept elsewhere is that admitter's current state of the node while this is that admitter.
   */
  keeper: object | undefined = undefined;
  /**
   * The node's last frozen status.allocatable and allocatableAmounts of it: while the Node keeps that
   * object (it changes with the node's capacity only), an admission reads the amounts here rather than
   * through allocatableAmounts' WeakMap (an identity-hash probe per admitted pod, on a cold table).
   */
  private allocatableList: object | undefined;
  private allocatable: ResourceAmounts | undefined;
  /** The kept amounts' pods, cpu, memory and ephemeral-storage (0 when absent, as Fits reads them): numbers, as above. */
  private allocatablePods = 0;
  private allocatableCpu = 0;
  private allocatableMemory = 0;
  private allocatableEphemeral = 0;

  constructor(
    node: Node,
    readonly config: KubeletConfiguration,
    /** Keep the node's allocatable amounts (false: allocatableAmounts on every admission, for tests that compare the two). */
    private readonly keepAllocatable = true,
    /** Fits over the numbers kept here when it can (false: always fits() over usage(), for tests that compare the two). */
    private readonly plainFits = true,
  ) {
    const rm = resourceManagersConfig(config);
    const layout = numaLayoutOf(node)?.layout;
    this.managers = layout && managersActive(rm) ? new NodeResourceManagers(layout, rm) : undefined;
  }

  /** The admitted pods' count, requests (a map made here: the general Fits and tests read it) and host ports. */
  usage(): NodeUsage {
    const requested: ResourceAmounts = new Map();
    if (this.cpu !== 0) requested.set(Cpu, this.cpu);
    if (this.memory !== 0) requested.set(Memory, this.memory);
    if (this.ephemeral !== 0) requested.set(Ephemeral, this.ephemeral);
    for (const [name, v] of this.otherRequested) requested.set(name, v);
    return { pods: this.admitted.size, requested, hostPorts: this.hostPorts };
  }

  isAdmitted(uid: string): boolean {
    return this.admitted.has(uid);
  }

  /** Run the handlers; on success the pod counts against the node until released. */
  admit(pod: Pod, node: Node): AdmitResult {
    const uid = pod.metadata?.uid ?? '';
    if (this.admitted.has(uid)) return Admitted;
    if (this.managers) {
      const r = this.managers.admit(pod);
      if (!r.admit) return r;
    }
    const requests = podRequestAmounts(pod);
    const ports = podHostPorts(pod);
    const p = predicateAdmitAfterFits(pod, node, this.hostPorts, this.firstFitFailure(requests, this.allocatableOf(node)), ports);
    if (!p.admit) {
      this.managers?.removePod(uid);
      return p;
    }
    if (this.shuttingDown) {
      this.managers?.removePod(uid);
      return { admit: false, reason: NodeShutdownNotAdmittedReason, message: NodeShutdownNotAdmittedMessage };
    }
    this.admitted.set(uid, { requests, ports });
    this.count(requests, 1);
    if (ports.length) this.hostPorts = [...this.hostPorts, ...ports];
    return Admitted;
  }

  /**
   * fits(request, allocatable, usage())[0]: worked out over the numbers kept here when the pod requests
   * nothing but cpu, memory and ephemeral-storage and `allocatable` is the kept one - Fits then checks the
   * pod count, then each of those three with a positive request, in that order (none is an extended
   * resource, and there is no other name to check). admissionPlainFits.property.test.ts compares the two.
   */
  private firstFitFailure(request: ReadonlyMap<string, number>, allocatable: ResourceAmounts): Failure | undefined {
    if (!this.plainFits || allocatable !== this.allocatable || standardCount(request) !== request.size) return fits(request, allocatable, this.usage())[0];
    const pods = this.admitted.size;
    if (pods + 1 > this.allocatablePods) return insufficient('pods', 1, pods, this.allocatablePods);
    const cpu = request.get(Cpu);
    if (cpu !== undefined && cpu > 0 && cpu > this.allocatableCpu - this.cpu) return insufficient(Cpu, cpu, this.cpu, this.allocatableCpu);
    const memory = request.get(Memory);
    if (memory !== undefined && memory > 0 && memory > this.allocatableMemory - this.memory) return insufficient(Memory, memory, this.memory, this.allocatableMemory);
    const ephemeral = request.get(Ephemeral);
    if (ephemeral !== undefined && ephemeral > 0 && ephemeral > this.allocatableEphemeral - this.ephemeral) return insufficient(Ephemeral, ephemeral, this.ephemeral, this.allocatableEphemeral);
    return undefined;
  }

  /** Count a pod's requests in (`sign` 1) or out (-1), each amount added as a map entry of it would be. */
  private count(requests: ReadonlyMap<string, number>, sign: 1 | -1): void {
    const standard = standardCount(requests);
    if (standard > 0) {
      const cpu = requests.get(Cpu);
      if (cpu !== undefined) this.cpu += sign * cpu;
      const memory = requests.get(Memory);
      if (memory !== undefined) this.memory += sign * memory;
      const ephemeral = requests.get(Ephemeral);
      if (ephemeral !== undefined) this.ephemeral += sign * ephemeral;
    }
    if (standard === requests.size) return;
    for (const [name, v] of requests) {
      if (name !== Cpu && name !== Memory && name !== Ephemeral) this.otherRequested.set(name, (this.otherRequested.get(name) ?? 0) + sign * v);
    }
  }

  /** allocatableAmounts(node): the kept amounts while the node's allocatable is the frozen object they were made from. */
  private allocatableOf(node: Node): ResourceAmounts {
    const list = node.status?.allocatable;
    if (list !== undefined && list === this.allocatableList) return this.allocatable!;
    const amounts = allocatableAmounts(node);
    // Frozen: the same object holds the same amounts for as long as it is the node's (allocatableAmounts' own rule).
    if (this.keepAllocatable && list !== undefined && Object.isFrozen(list)) {
      this.allocatableList = list;
      this.allocatable = amounts;
      this.allocatablePods = amounts.get('pods') ?? 0;
      this.allocatableCpu = amounts.get(Cpu) ?? 0;
      this.allocatableMemory = amounts.get(Memory) ?? 0;
      this.allocatableEphemeral = amounts.get(Ephemeral) ?? 0;
    }
    return amounts;
  }

  /** The pod is terminal or gone: it no longer counts, and its exclusive resources return. */
  release(uid: string): void {
    this.managers?.removePod(uid);
    const a = this.admitted.get(uid);
    if (!a) return;
    this.admitted.delete(uid);
    this.count(a.requests, -1);
    if (a.ports.length) this.hostPorts = this.hostPorts.filter((p) => !a.ports.includes(p));
  }

  assignment(uid: string): PodAssignment | undefined {
    return this.managers?.assignment(uid);
  }
}
