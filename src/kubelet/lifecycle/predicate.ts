/**
 * The kubelet's predicate admit handler (pkg/kubelet/lifecycle/predicate.go),
 * newest upstream: the OS checks, then generalFilter = the scheduler's
 * AdmissionCheck (noderesources.Fits, required node affinity/selector,
 * NodeName, NodePorts, every failure collected) and the NoExecute taints a
 * (non-static) pod does not tolerate. The first failure names the rejection:
 *
 *   InsufficientResourceError  reason OutOfcpu / OutOfmemory / OutOfpods /
 *                              OutOfephemeral-storage / OutOf<name>, message
 *                              "Node didn't have enough resource: cpu, requested: 4000, used: 0, capacity: 2000"
 *   PredicateFailureError      reason = the plugin name, message
 *                              "Predicate NodeAffinity failed: node(s) didn't match Pod's node affinity/selector"
 *
 * Requests follow the scheduler's Fits: pod requests (with overhead) against
 * allocatable minus what the node's admitted pods request; the pod count is
 * always checked; extended resources the node does not have are dropped
 * (removeMissingExtendedResources). Upstream iterates scalar resources in Go
 * map order; ksim sorts them by name.
 */
import type { ContainerPort, Node, Pod, Taint, Toleration } from 'kubernetes-types/core/v1.js';
import { compileNodeSelector } from '../../api/nodeSelector.ts';
import { Quantity } from '../../api/quantity.ts';
import { podRequests } from '../../api/resources.ts';
import { toleratesTaint } from '../../api/taints.ts';

export const OutOfPrefix = 'OutOf';
export const PodOSSelectorNodeLabelDoesNotMatch = 'PodOSSelectorNodeLabelDoesNotMatch';
export const PodOSNotSupported = 'PodOSNotSupported';
export const ErrReasonNodeAffinity = "node(s) didn't match Pod's node affinity/selector";
export const ErrReasonNodeName = "node(s) didn't match the requested node name";
export const ErrReasonNodePorts = "node(s) didn't have free ports for the requested pod ports";
export const ErrReasonTaints = "node(s) had taints that the pod didn't tolerate";
export const MirrorPodAnnotation = 'kubernetes.io/config.mirror';

export interface AdmitResult {
  admit: boolean;
  reason?: string;
  message?: string;
}

/** Amounts in the units Fits compares: milli-CPU, bytes, counts. */
export type ResourceAmounts = Map<string, number>;

/** What the node's admitted pods hold (nodeInfo built from attrs.OtherPods). */
export interface NodeUsage {
  pods: number;
  requested: ResourceAmounts;
  hostPorts: readonly HostPort[];
}

export interface HostPort {
  protocol: string;
  hostIP: string;
  port: number;
}

const isExtended = (name: string): boolean => name.includes('/') && !name.startsWith('kubernetes.io/') && !name.startsWith('requests.');

function amount(name: string, q: Quantity): number {
  return name === 'cpu' ? q.milliValue() : q.value();
}

/**
 * The amounts of the last spec parts seen, by the (frozen) containers array:
 * pods of one template share it even after the binding copies their spec to
 * set nodeName, and each pod's admission parsed every quantity twice.
 * PodRequests reads only containers, initContainers, resources and overhead.
 */
const requestAmounts = new WeakMap<object, { init: unknown; resources: unknown; overhead: unknown; amounts: ReadonlyMap<string, number> }>();

const frozenOrAbsent = (v: unknown): boolean => v === undefined || (typeof v === 'object' && v !== null && Object.isFrozen(v));

/** Pod requests in Fits units (computePodResourceRequest), cpu in millis. Shared between pods: never to be changed. */
export function podRequestAmounts(pod: Pod): ReadonlyMap<string, number> {
  const spec = pod.spec as (Pod['spec'] & { resources?: unknown }) | undefined;
  const containers = spec?.containers;
  const memo = spec !== undefined && containers !== undefined && Object.isFrozen(containers) && frozenOrAbsent(spec.initContainers) && frozenOrAbsent(spec.resources) && frozenOrAbsent(spec.overhead);
  if (memo) {
    const m = requestAmounts.get(containers);
    if (m !== undefined && m.init === spec.initContainers && m.resources === spec.resources && m.overhead === spec.overhead) return m.amounts;
  }
  const out: ResourceAmounts = new Map();
  for (const [name, q] of podRequests(pod)) out.set(name, amount(name, q));
  if (memo) requestAmounts.set(containers, { init: spec.initContainers, resources: spec.resources, overhead: spec.overhead, amounts: out });
  return out;
}

/** Parsed allocatable by the (frozen, shared between versions) allocatable object: parsed once per change. */
const allocatableCache = new WeakMap<object, ResourceAmounts>();

export function allocatableAmounts(node: Node): ResourceAmounts {
  const list = node.status?.allocatable;
  const cached = list ? allocatableCache.get(list) : undefined;
  if (cached) return cached;
  const out: ResourceAmounts = new Map();
  for (const [name, raw] of Object.entries(list ?? {})) {
    const q = Quantity.tryParse(raw);
    if (q) out.set(name, amount(name, q));
  }
  if (list && Object.isFrozen(list)) allocatableCache.set(list, out);
  return out;
}

/** A pod without host ports (nearly every pod) shares this list: it is never changed. */
const NoHostPorts: readonly HostPort[] = Object.freeze([]);

function addHostPorts(out: HostPort[] | undefined, containers: readonly { ports?: readonly ContainerPort[] }[] | undefined): HostPort[] | undefined {
  if (containers === undefined) return out;
  for (let i = 0; i < containers.length; i++) {
    const ports = containers[i]!.ports;
    if (ports === undefined) continue;
    for (let j = 0; j < ports.length; j++) {
      const p = ports[j]!;
      if (p.hostPort && p.hostPort > 0) (out ??= []).push({ protocol: p.protocol ?? 'TCP', hostIP: p.hostIP || '0.0.0.0', port: p.hostPort });
    }
  }
  return out;
}

/**
 * The pod's host ports, init containers first. Indexed loops and no closure: the kubelet asks twice per
 * admitted pod, and the list is almost always empty (then the one shared frozen list).
 */
export function podHostPorts(pod: Pod): readonly HostPort[] {
  return addHostPorts(addHostPorts(undefined, pod.spec?.initContainers), pod.spec?.containers) ?? NoHostPorts;
}

function portsConflict(a: HostPort, b: HostPort): boolean {
  if (a.protocol !== b.protocol || a.port !== b.port) return false;
  return a.hostIP === '0.0.0.0' || b.hostIP === '0.0.0.0' || a.hostIP === b.hostIP;
}

export interface Failure {
  reason: string;
  message: string;
}

export function insufficient(name: string, requested: number, used: number, capacity: number): Failure {
  const reason = `${OutOfPrefix}${name}`;
  return { reason, message: `Node didn't have enough resource: ${name}, requested: ${requested}, used: ${used}, capacity: ${capacity}` };
}

/** The resources Fits checks first, in this order. */
const FirstChecked = ['cpu', 'memory', 'ephemeral-storage'] as const;

/** Whether Fits checks a requested resource at all: a positive amount, not the pod count, and no extended resource the node lacks. */
function checked(name: string, r: number | undefined, allocatable: ResourceAmounts): r is number {
  return r !== undefined && r > 0 && name !== 'pods' && (!isExtended(name) || allocatable.has(name));
}

/**
 * noderesources.Fits: every insufficient resource, pods first, then cpu, memory, ephemeral-storage, then the rest by name.
 * Allocates only the failures (and a name list when the pod requests other resources): every admitted pod passes here.
 */
export function fits(request: ReadonlyMap<string, number>, allocatable: ResourceAmounts, usage: NodeUsage): Failure[] {
  const out: Failure[] = [];
  const allowedPods = allocatable.get('pods') ?? 0;
  if (usage.pods + 1 > allowedPods) out.push(insufficient('pods', 1, usage.pods, allowedPods));
  for (let i = 0; i < FirstChecked.length; i++) {
    const name = FirstChecked[i]!;
    const r = request.get(name);
    if (checked(name, r, allocatable)) checkFit(out, name, r, allocatable, usage);
  }
  let rest: string[] | undefined;
  for (const name of request.keys()) {
    if (name === 'cpu' || name === 'memory' || name === 'ephemeral-storage') continue;
    if (checked(name, request.get(name), allocatable)) (rest ??= []).push(name);
  }
  if (rest !== undefined) {
    rest.sort();
    for (let i = 0; i < rest.length; i++) checkFit(out, rest[i]!, request.get(rest[i]!)!, allocatable, usage);
  }
  return out;
}

function checkFit(out: Failure[], name: string, r: number, allocatable: ResourceAmounts, usage: NodeUsage): void {
  const used = usage.requested.get(name) ?? 0;
  const cap = allocatable.get(name) ?? 0;
  if (r > cap - used) out.push(insufficient(name, r, used, cap));
}

/** GetRequiredNodeAffinity(pod).Match(node): spec.nodeSelector and required node affinity terms. */
export function matchesRequiredNodeAffinity(pod: Pod, node: Node): boolean {
  const selector = pod.spec?.nodeSelector;
  if (selector !== undefined) {
    const labels = node.metadata?.labels ?? {};
    for (const k in selector) if (Object.hasOwn(selector, k) && labels[k] !== selector[k]) return false;
  }
  const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (!required) return true;
  return compileNodeSelector(required).matches(node);
}

/** The first NoExecute taint no toleration tolerates, if any. */
export function untoleratedNoExecuteTaint(taints: readonly Taint[] | undefined, tolerations: readonly Toleration[] | undefined): Taint | undefined {
  for (const taint of taints ?? []) {
    if (taint.effect !== 'NoExecute') continue;
    if (!(tolerations ?? []).some((t) => toleratesTaint(t, taint))) return taint;
  }
  return undefined;
}

function predicate(name: string, desc: string): Failure {
  return { reason: name, message: `Predicate ${name} failed: ${desc}` };
}

/** The verdict of a pod the handlers admit: one shared frozen object (the kubelet only reads it), not one per admitted pod. */
export const Admitted = Object.freeze({ admit: true as const });

/**
 * predicateAdmitHandler.Admit against a node and the usage of its admitted pods. `allocatable` is
 * allocatableAmounts(node), given by a caller that keeps it for the node's current allocatable.
 */
export function predicateAdmit(pod: Pod, node: Node, usage: NodeUsage, allocatable: ResourceAmounts = allocatableAmounts(node)): AdmitResult {
  return predicateAdmitAfterFits(pod, node, usage.hostPorts, fits(podRequestAmounts(pod), allocatable, usage)[0], podHostPorts(pod));
}

/**
 * predicateAdmit given the first of Fits' failures (`firstFit`, undefined when the pod fits) and the pod's host
 * ports (podHostPorts): a caller that keeps the node's amounts in its own form (admission.ts) works out Fits
 * there. Fits and the other checks are pure, so the first failure in their order (Fits', then NodeAffinity,
 * NodeName, NodePorts, TaintToleration) is the first element of the list upstream collects; the checks after
 * it are not run.
 */
export function predicateAdmitAfterFits(pod: Pod, node: Node, usedPorts: readonly HostPort[], firstFit: Failure | undefined, ports: readonly HostPort[]): AdmitResult {
  const osLabel = pod.metadata?.labels?.['kubernetes.io/os'];
  if (osLabel !== undefined && osLabel !== 'linux') {
    return { admit: false, reason: PodOSSelectorNodeLabelDoesNotMatch, message: "Failed to admit pod as the `kubernetes.io/os` label doesn't match node label" };
  }
  if (pod.spec?.os?.name !== undefined && pod.spec.os.name !== 'linux') {
    return { admit: false, reason: PodOSNotSupported, message: "Failed to admit pod as the OS field doesn't match node OS" };
  }
  const first = firstFit ?? otherPredicateFailure(pod, node, usedPorts, ports);
  if (!first) return Admitted;
  return { admit: false, reason: first.reason, message: first.message };
}

/** The first failure of the checks after Fits, in upstream's order. */
function otherPredicateFailure(pod: Pod, node: Node, usedPorts: readonly HostPort[], ports: readonly HostPort[]): Failure | undefined {
  if (!matchesRequiredNodeAffinity(pod, node)) return predicate('NodeAffinity', ErrReasonNodeAffinity);
  if (pod.spec?.nodeName && pod.spec.nodeName !== node.metadata?.name) return predicate('NodeName', ErrReasonNodeName);
  if (ports.length > 0 && ports.some((p) => usedPorts.some((u) => portsConflict(p, u)))) return predicate('NodePorts', ErrReasonNodePorts);
  const isStatic = pod.metadata?.annotations?.[MirrorPodAnnotation] !== undefined;
  if (!isStatic && untoleratedNoExecuteTaint(node.spec?.taints, pod.spec?.tolerations)) return predicate('TaintToleration', ErrReasonTaints);
  return undefined;
}
