/**
 * Node registration. Upstream the kubelet creates its own Node object, and it
 * runs its status setters first (pkg/kubelet/kubelet_node_status.go:
 * initialNode + setNodeStatus), so a Node arrives with its well-known labels,
 * capacity.pods, allocatable and conditions. In ksim the scenario creates the
 * Node; this admission step completes it in the kubelet's name at creation,
 * with the cluster-wide KubeletConfiguration, so that a Node given with only
 * status.capacity is schedulable from its first instant, as a registered node
 * is. Node groups with their own KubeletConfiguration get allocatable from the
 * scenario loader before they reach here; fields already present are kept.
 */
import type { Node } from 'kubernetes-types/core/v1';
import type { AdmissionPlugin, KObject, Time } from '../sim/types.ts';
import { registerNodeInPlace } from '../api/node.ts';
import type { KubeletConfiguration } from '../api/kubeletConfig.ts';

export function kubeletRegistrationAdmission(kubelet: KubeletConfiguration, timestamp: (t: Time) => string): AdmissionPlugin {
  return {
    name: 'KubeletNodeRegistration',
    kinds: ['Node'],
    mutate(req) {
      if (req.operation !== 'CREATE') return;
      registerNodeInPlace(req.object as Node & KObject, kubelet, timestamp(req.now));
    },
  };
}
