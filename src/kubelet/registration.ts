/**
 * Node registration. Upstream the kubelet creates its own Node object, and it
 * runs its status setters first (pkg/kubelet/kubelet_node_status.go:
 * initialNode + setNodeStatus), so a Node arrives with its well-known labels,
 * capacity.pods, allocatable and conditions. In ksim the scenario creates the
 * Node; this admission step completes it in the kubelet's name at creation,
 * with the KubeletConfiguration of that node's kubelet (nodeConfig.ts: the
 * cluster-wide one with its group's deep-merged over it), so
 * that a Node given with only status.capacity is schedulable from its first
 * instant, as a registered node is. Fields already present are kept.
 *
 * registerWithTaints: initialNode sets the node's taints to them; ksim adds
 * each one the Node does not already carry (same key and effect), keeping the
 * taints the scenario gave the node group.
 */
import { KUBERNETES_VERSION } from '../api/featureGates.ts';
import type { Node, Taint } from 'kubernetes-types/core/v1.js';
import type { AdmissionPlugin, KObject, Time } from '../sim/types.ts';
import { registerNodeInPlace } from '../api/node.ts';
import type { KubeletConfiguration } from '../api/kubeletConfig.ts';
import { nodeKubeletConfiguration } from './nodeConfig.ts';

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

/**
 * `cluster` is the raw cluster-wide configuration (spec.config.kubelet) the node's own is
 * merged onto; without it the defaulted `kubelet` is used for every node.
 */
export function kubeletRegistrationAdmission(
  kubelet: KubeletConfiguration,
  timestamp: (t: Time) => string,
  cluster?: Partial<KubeletConfiguration>,
  /** The emulated release, reported as the kubelet's version ("v1.35.0"). */
  version = KUBERNETES_VERSION,
): AdmissionPlugin {
  return {
    name: 'KubeletNodeRegistration',
    kinds: ['Node'],
    mutate(req) {
      if (req.operation !== 'CREATE') return;
      const node = req.object as Node & KObject;
      const cfg = nodeKubeletConfiguration(cluster ?? kubelet, node);
      addRegisterWithTaints(node, cfg);
      registerNodeInPlace(node, cfg, timestamp(req.now));
      setNodeInfo(node, version);
    },
  };
}

/**
 * status.nodeInfo as the kubelet reports it (kubectl's VERSION column reads
 * kubeletVersion). Values a scenario gives are kept; the runtime is named as
 * ksim's simulated containerd.
 */
function setNodeInfo(node: Node, version: string): void {
  const status = ((node as { status?: NonNullable<Node['status']> }).status ??= {});
  const info = (status.nodeInfo ??= {} as NonNullable<NonNullable<Node['status']>['nodeInfo']>) as unknown as Record<string, string>;
  const setIfAbsent = (k: string, v: string): void => {
    if (info[k] === undefined || info[k] === '') info[k] = v;
  };
  setIfAbsent('kubeletVersion', `v${version}.0`);
  setIfAbsent('kubeProxyVersion', '');
  setIfAbsent('operatingSystem', node.metadata?.labels?.['kubernetes.io/os'] ?? 'linux');
  setIfAbsent('architecture', node.metadata?.labels?.['kubernetes.io/arch'] ?? 'amd64');
  setIfAbsent('containerRuntimeVersion', 'containerd://ksim');
  for (const k of ['machineID', 'systemUUID', 'bootID', 'kernelVersion', 'osImage']) setIfAbsent(k, '');
}
