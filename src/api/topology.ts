/**
 * k8s.io/component-helpers/node/topology GetZoneKey: the one zone key the scheduler's node tree and the node
 * lifecycle controller's zones both use. The deprecated beta labels are read first, and a label that is present
 * wins even when empty (Go's `labels[key]` with `ok`), as upstream still does (see kubernetes#88493).
 */
import type { Node } from 'kubernetes-types/core/v1.js';

export const LabelTopologyZone = 'topology.kubernetes.io/zone';
export const LabelTopologyRegion = 'topology.kubernetes.io/region';
export const LabelFailureDomainBetaZone = 'failure-domain.beta.kubernetes.io/zone';
export const LabelFailureDomainBetaRegion = 'failure-domain.beta.kubernetes.io/region';

/** "" for a node with neither region nor zone; otherwise region + ":\x00:" + zone. */
export function getZoneKey(node: Node): string {
  const labels = node.metadata?.labels;
  if (!labels) return '';
  const zone = labels[LabelFailureDomainBetaZone] ?? labels[LabelTopologyZone] ?? '';
  const region = labels[LabelFailureDomainBetaRegion] ?? labels[LabelTopologyRegion] ?? '';
  if (region === '' && zone === '') return '';
  return `${region}:\x00:${zone}`;
}
