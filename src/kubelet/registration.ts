/**
 * Node registration. Upstream the kubelet creates its own Node object, and it
 * runs its status setters first (pkg/kubelet/kubelet_node_status.go:
 * initialNode + setNodeStatus), so a Node arrives with its well-known labels,
 * capacity.pods, allocatable and conditions. In ksim the scenario creates the
 * Node; this admission step completes it in the kubelet's name at creation,
 * with the KubeletConfiguration of that node's kubelet (the cluster-wide one
 * overlaid by its group's, from the ksim.dev/kubelet-config annotation), so
 * that a Node given with only status.capacity is schedulable from its first
 * instant, as a registered node is. Fields already present are kept.
 *
 * registerWithTaints: initialNode sets the node's taints to them; ksim adds
 * each one the Node does not already carry (same key and effect), keeping the
 * taints the scenario gave the node group.
 */
import type { Node, Taint } from 'kubernetes-types/core/v1';
import type { AdmissionPlugin, KObject, Time } from '../sim/types.ts';
import { registerNodeInPlace } from '../api/node.ts';
import { defaultKubeletConfiguration, type KubeletConfiguration } from '../api/kubeletConfig.ts';

/** Same key the scenario loader writes (src/scenario/nodes.ts KUBELET_CONFIG_ANNOTATION). */
const AnnotationKubeletConfig = 'ksim.dev/kubelet-config';

/** The node's kubelet configuration: `cluster` overlaid by the node group's fields. */
export function registeringKubeletConfig(cluster: KubeletConfiguration, node: Node): KubeletConfiguration {
  const raw = node.metadata?.annotations?.[AnnotationKubeletConfig];
  if (!raw) return cluster;
  try {
    const group: unknown = JSON.parse(raw);
    if (typeof group !== 'object' || group === null || Array.isArray(group)) return cluster;
    return defaultKubeletConfiguration({ ...cluster, ...(group as Partial<KubeletConfiguration>) });
  } catch {
    return cluster;
  }
}

/** registerWithTaints onto the Node, each unless already present (key and effect). */
export function addRegisterWithTaints(node: Node, kubelet: KubeletConfiguration): void {
  const want = kubelet.registerWithTaints ?? [];
  if (want.length === 0) return;
  const spec = ((node as { spec?: Node['spec'] }).spec ??= {});
  const taints: Taint[] = [...(spec.taints ?? [])];
  for (const t of want) {
    if (taints.some((x) => x.key === t.key && x.effect === t.effect)) continue;
    taints.push({ key: t.key, ...(t.value ? { value: t.value } : {}), effect: t.effect });
  }
  spec.taints = taints;
}

export function kubeletRegistrationAdmission(kubelet: KubeletConfiguration, timestamp: (t: Time) => string): AdmissionPlugin {
  return {
    name: 'KubeletNodeRegistration',
    kinds: ['Node'],
    mutate(req) {
      if (req.operation !== 'CREATE') return;
      const node = req.object as Node & KObject;
      const cfg = registeringKubeletConfig(kubelet, node);
      addRegisterWithTaints(node, cfg);
      registerNodeInPlace(node, cfg, timestamp(req.now));
    },
  };
}
