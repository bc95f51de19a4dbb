/**
 * What the kubelet decided about a bound pod, read back from the store (the
 * pod's status and its ksim.dev/resource-assignment annotation, the node's
 * kubelet configuration), for `ksim explain`. Nothing here talks to the
 * kubelet: a rejected pod carries the admit handler's reason and "Pod was
 * rejected: <message>" in its status, as upstream's rejectPod writes it.
 */
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { AnnotationResourceAssignment, RejectedMessagePrefix } from './admission.ts';
import type { PodAssignment } from './cm/containerManager.ts';
import { nodeKubeletConfiguration } from './nodeConfig.ts';
import type { KubeletConfiguration } from '../api/kubeletConfig.ts';

export interface KubeletVerdict {
  node: string;
  /** admitted: past the admit handlers; rejected: Failed by one; pending: not decided yet. */
  decision: 'admitted' | 'rejected' | 'pending';
  reason?: string;
  message?: string;
  /** Why, in words, for a rejection. */
  explanation?: string;
  assignment?: PodAssignment;
}

function why(reason: string, cfg: KubeletConfiguration | undefined): string {
  const tm = cfg ? `${cfg.topologyManagerPolicy} (scope ${cfg.topologyManagerScope})` : 'its policy';
  if (reason === 'TopologyAffinityError') {
    return `the kubelet's Topology Manager, policy ${tm}, found no NUMA placement of the pod's CPUs, memory and devices that its policy admits; the scheduler does not see NUMA topology, so a controller's replacement may be bound here and rejected again`;
  }
  if (reason === 'SMTAlignmentError') return 'the static CPU Manager with full-pcpus-only gives whole physical cores only: request a multiple of the threads per core, or free whole cores';
  if (reason === 'UnexpectedAdmissionError') return "a resource manager could not allocate what the Topology Manager's hint promised (or the kubelet's managers could not start with this configuration)";
  if (reason.startsWith('OutOf')) return `the kubelet's own count of the node's ${reason.slice(5)} (allocatable minus the requests of the pods it admitted) differs from what the scheduler assumed, e.g. a pod bound with spec.nodeName or a race with another binding`;
  if (reason === 'NodeAffinity') return "the node's labels no longer match the pod's node selector or required node affinity (they changed after scheduling, or the pod named the node directly)";
  if (reason === 'TaintToleration') return 'the node has a NoExecute taint the pod does not tolerate';
  if (reason === 'NodePorts') return 'another admitted pod on the node holds one of the host ports the pod asks for';
  if (reason === 'NodeShutdown') return 'the node was shutting down gracefully when the pod arrived';
  if (reason === 'Evicted') return 'the node was under resource pressure (the eviction manager admits only some pods then)';
  return 'an admit handler of the kubelet refused the pod';
}

/** The kubelet's decision about `pod`, if it is bound. */
export function kubeletVerdict(pod: Pod, node: Node | undefined, cluster: Partial<KubeletConfiguration> | undefined): KubeletVerdict | undefined {
  const nodeName = pod.spec?.nodeName;
  if (!nodeName) return undefined;
  const cfg = node && cluster ? nodeKubeletConfiguration(cluster, node) : undefined;
  const message = pod.status?.message;
  if (pod.status?.phase === 'Failed' && message?.startsWith(RejectedMessagePrefix)) {
    const reason = pod.status.reason ?? 'UnknownReason';
    return { node: nodeName, decision: 'rejected', reason, message: message.slice(RejectedMessagePrefix.length), explanation: why(reason, cfg) };
  }
  const raw = pod.metadata?.annotations?.[AnnotationResourceAssignment];
  let assignment: PodAssignment | undefined;
  try {
    assignment = raw ? (JSON.parse(raw) as PodAssignment) : undefined;
  } catch {
    assignment = undefined;
  }
  const started = (pod.status?.phase ?? 'Pending') !== 'Pending' || (pod.status?.containerStatuses?.length ?? 0) > 0 || assignment !== undefined;
  return { node: nodeName, decision: started ? 'admitted' : 'pending', ...(assignment ? { assignment } : {}) };
}

/** Lines for the table output. */
export function renderKubeletVerdict(v: KubeletVerdict): string[] {
  if (v.decision === 'rejected') {
    return [`Kubelet on ${v.node}: rejected the pod at admission: ${v.reason}: ${v.message}`, `  why: ${v.explanation}`];
  }
  if (v.decision === 'pending') return [`Kubelet on ${v.node}: has not admitted the pod yet`];
  const out = [`Kubelet on ${v.node}: admitted the pod`];
  const a = v.assignment;
  if (a) {
    out.push(`  Topology Manager: policy ${a.topologyManagerPolicy}, scope ${a.topologyManagerScope}`);
    for (const [name, c] of Object.entries(a.containers)) {
      const parts: string[] = [];
      if (c.numaNodes) parts.push(`NUMA ${c.numaNodes.join(',')}`);
      if (c.cpuset !== undefined) parts.push(`${c.exclusive ? 'exclusive' : 'shared'} CPUs ${c.cpuset}`);
      for (const m of c.memory ?? []) parts.push(`${m.type} ${m.size} on NUMA ${m.numaNodes.join(',')}`);
      for (const [r, d] of Object.entries(c.devices ?? {})) parts.push(`${r} ${d.ids.join(',')} on NUMA ${d.numaNodes.join(',')}`);
      out.push(`  ${name}: ${parts.join('; ') || 'no NUMA preference'}`);
    }
  }
  return out;
}
