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
import { allocatableAmounts, podHostPorts, podRequestAmounts, predicateAdmit, type AdmitResult, type HostPort, type NodeUsage, type ResourceAmounts } from './lifecycle/predicate.ts';

export const AnnotationResourceAssignment = 'ksim.dev/resource-assignment';
export const NodeShutdownNotAdmittedReason = 'NodeShutdown';
export const NodeShutdownNotAdmittedMessage = 'Pod was rejected as the node is shutting down.';
export const RejectedMessagePrefix = 'Pod was rejected: ';

interface Admitted {
  requests: ReadonlyMap<string, number>;
  ports: readonly HostPort[];
}

export class NodeAdmission {
  private readonly admitted = new Map<string, Admitted>();
  private readonly requested: ResourceAmounts = new Map();
  private hostPorts: readonly HostPort[] = [];
  /** Count a pod's request in, or out: made once (no entry array per resource, as for-of over the map made, per admitted and released pod). */
  private readonly addRequest = (v: number, k: string): void => void this.requested.set(k, (this.requested.get(k) ?? 0) + v);
  private readonly subtractRequest = (v: number, k: string): void => void this.requested.set(k, (this.requested.get(k) ?? 0) - v);
  readonly managers: NodeResourceManagers | undefined;
  shuttingDown = false;
  /**
   * The node's last frozen status.allocatable and allocatableAmounts of it: while the Node keeps that
   * object (it changes with the node's capacity only), an admission reads the amounts here rather than
   * through allocatableAmounts' WeakMap (an identity-hash probe per admitted pod, on a cold table).
   */
  private allocatableList: object | undefined;
  private allocatable: ResourceAmounts | undefined;

  constructor(
    node: Node,
    readonly config: KubeletConfiguration,
    /** Keep the node's allocatable amounts (false: allocatableAmounts on every admission, for tests that compare the two). */
    private readonly keepAllocatable = true,
  ) {
    const rm = resourceManagersConfig(config);
    const layout = numaLayoutOf(node)?.layout;
    this.managers = layout && managersActive(rm) ? new NodeResourceManagers(layout, rm) : undefined;
  }

  usage(): NodeUsage {
    return { pods: this.admitted.size, requested: this.requested, hostPorts: this.hostPorts };
  }

  isAdmitted(uid: string): boolean {
    return this.admitted.has(uid);
  }

  /** Run the handlers; on success the pod counts against the node until released. */
  admit(pod: Pod, node: Node): AdmitResult {
    const uid = pod.metadata?.uid ?? '';
    if (this.admitted.has(uid)) return { admit: true };
    if (this.managers) {
      const r = this.managers.admit(pod);
      if (!r.admit) return r;
    }
    const p = predicateAdmit(pod, node, this.usage(), this.allocatableOf(node));
    if (!p.admit) {
      this.managers?.removePod(uid);
      return p;
    }
    if (this.shuttingDown) {
      this.managers?.removePod(uid);
      return { admit: false, reason: NodeShutdownNotAdmittedReason, message: NodeShutdownNotAdmittedMessage };
    }
    const requests = podRequestAmounts(pod);
    const ports = podHostPorts(pod);
    this.admitted.set(uid, { requests, ports });
    requests.forEach(this.addRequest);
    if (ports.length) this.hostPorts = [...this.hostPorts, ...ports];
    return { admit: true };
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
    }
    return amounts;
  }

  /** The pod is terminal or gone: it no longer counts, and its exclusive resources return. */
  release(uid: string): void {
    this.managers?.removePod(uid);
    const a = this.admitted.get(uid);
    if (!a) return;
    this.admitted.delete(uid);
    a.requests.forEach(this.subtractRequest);
    if (a.ports.length) this.hostPorts = this.hostPorts.filter((p) => !a.ports.includes(p));
  }

  assignment(uid: string): PodAssignment | undefined {
    return this.managers?.assignment(uid);
  }
}
