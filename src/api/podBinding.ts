/**
 * What the API server's pods/binding subresource does to a pod besides
 * setting spec.nodeName and PodScheduled=True, following kube-apiserver v1.35
 * pkg/registry/core/pod/storage (BindingREST.setPodNodeAndMetadata) and
 * plugin/pkg/admission/podtopologylabels:
 *
 *  - PodTopologyLabelsAdmission (alpha 1.33, beta and on since 1.35): the
 *    admission plugin copies the node's `topology.kubernetes.io/zone` and
 *    `topology.kubernetes.io/region` labels onto the Binding, and the registry
 *    copies the Binding's labels onto the pod, overwriting (copyLabelsWithOverwriting).
 *    A node that does not exist, or has neither label, adds nothing.
 *  - ClearingNominatedNodeNameAfterBinding (alpha 1.34, beta and on since
 *    1.35): `status.nominatedNodeName` is cleared once the pod is bound.
 *
 * Pure: the caller applies it inside its binding write.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { FeatureGates } from './featureGates.ts';

/** The podtopologylabels plugin's default label keys, in the order they are copied. */
export const POD_TOPOLOGY_LABELS = ['topology.kubernetes.io/zone', 'topology.kubernetes.io/region'] as const;

/** The labels the binding copies from a node with these labels (empty when the gate is off). */
export function topologyLabelsToCopy(gates: FeatureGates, nodeLabels: Readonly<Record<string, string>> | undefined): Array<[string, string]> {
  if (!nodeLabels || !gates.enabled('PodTopologyLabelsAdmission')) return [];
  const out: Array<[string, string]> = [];
  for (const k of POD_TOPOLOGY_LABELS) {
    const v = nodeLabels[k];
    if (v !== undefined) out.push([k, v]);
  }
  return out;
}

/** Apply the binding's side effects to a pod being bound (a mutable draft). */
export function applyBindingSideEffects(pod: Pod, gates: FeatureGates, nodeLabels: Readonly<Record<string, string>> | undefined): void {
  const labels = topologyLabelsToCopy(gates, nodeLabels);
  if (labels.length > 0) {
    const meta = (pod.metadata ??= {});
    const target = (meta.labels ??= {});
    for (const [k, v] of labels) target[k] = v;
  }
  if (gates.enabled('ClearingNominatedNodeNameAfterBinding') && pod.status?.nominatedNodeName !== undefined) delete pod.status.nominatedNodeName;
}
