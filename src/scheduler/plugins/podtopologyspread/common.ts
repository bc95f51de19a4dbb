/**
 * Shared pieces of PodTopologySpread, following kube-scheduler v1.35
 * (matchLabelKeys merged here; see PodTopologySpread.ts for v1.34's API-server merge)
 * pkg/scheduler/framework/plugins/podtopologyspread/common.go:
 * the internal constraint form (selector parsed, matchLabelKeys merged in,
 * minDomains / node inclusion policies defaulted), the node inclusion check,
 * "does the node carry every topology key", and counting matching pods on a
 * node (terminating pods and other namespaces excluded).
 */
import type { Node, Pod, TopologySpreadConstraint } from 'kubernetes-types/core/v1.js';
import type { NodeInfo, PodInfo } from '../../framework/types.ts';
import { andMatchers, labelSelectorMatcher, nothing, setMatcher, type KeyedMatcher } from '../helper/labelMatch.ts';
import { findMatchingUntoleratedTaint, isDoNotScheduleTaint } from '../../../api/taints.ts';
import type { RequiredNodeAffinity } from '../helper/nodeAffinity.ts';

export type NodeInclusionPolicy = 'Honor' | 'Ignore';

/** upstream topologySpreadConstraint. */
export interface SpreadConstraint {
  maxSkew: number;
  topologyKey: string;
  selector: KeyedMatcher;
  minDomains: number;
  nodeAffinityPolicy: NodeInclusionPolicy;
  nodeTaintsPolicy: NodeInclusionPolicy;
}

export const LabelHostname = 'kubernetes.io/hostname';
export const LabelTopologyZone = 'topology.kubernetes.io/zone';

/**
 * upstream filterTopologySpreadConstraints: the constraints with the given
 * whenUnsatisfiable action. Throws on an invalid label selector.
 */
export function filterTopologySpreadConstraints(
  constraints: readonly TopologySpreadConstraint[],
  podLabels: Readonly<Record<string, string>> | undefined,
  action: 'DoNotSchedule' | 'ScheduleAnyway',
): SpreadConstraint[] {
  const out: SpreadConstraint[] = [];
  for (const c of constraints) {
    if (c.whenUnsatisfiable !== action) continue;
    let selector = labelSelectorMatcher(c.labelSelector);
    if ((c.matchLabelKeys?.length ?? 0) > 0) {
      const matchLabels: Record<string, string> = {};
      let any = false;
      for (const k of c.matchLabelKeys ?? []) {
        const v = podLabels?.[k];
        if (v !== undefined) {
          matchLabels[k] = v;
          any = true;
        }
      }
      if (any) selector = mergeLabelSetWithSelector(matchLabels, selector);
    }
    out.push({
      maxSkew: c.maxSkew,
      topologyKey: c.topologyKey,
      selector,
      // Unset minDomains means 1; unset policies mean Honor (affinity) / Ignore (taints).
      minDomains: c.minDomains ?? 1,
      nodeAffinityPolicy: c.nodeAffinityPolicy === 'Ignore' ? 'Ignore' : 'Honor',
      nodeTaintsPolicy: c.nodeTaintsPolicy === 'Honor' ? 'Honor' : 'Ignore',
    });
  }
  return out;
}

/**
 * upstream mergeLabelSetWithSelector: SelectorFromSet(matchLabels) plus the
 * selector's requirements. labels.Nothing() has no requirements to add, so a
 * constraint without labelSelector ends up selecting by matchLabelKeys alone.
 */
export function mergeLabelSetWithSelector(matchLabels: Record<string, string>, s: KeyedMatcher): KeyedMatcher {
  const base = setMatcher(matchLabels);
  if (s === nothing) return base;
  return andMatchers([base, s]);
}

/** upstream topologySpreadConstraint.matchNodeInclusionPolicies. */
export function matchNodeInclusionPolicies(c: SpreadConstraint, pod: Pod, node: Node, required: RequiredNodeAffinity): boolean {
  if (c.nodeAffinityPolicy === 'Honor' && !required.match(node)) return false;
  if (c.nodeTaintsPolicy === 'Honor') {
    if (findMatchingUntoleratedTaint(node.spec?.taints, pod.spec?.tolerations, isDoNotScheduleTaint)) return false;
  }
  return true;
}

/** upstream nodeLabelsMatchSpreadConstraints: every topology key is a node label. */
export function nodeLabelsMatchSpreadConstraints(nodeLabels: Readonly<Record<string, string>> | undefined, constraints: readonly SpreadConstraint[]): boolean {
  if (!nodeLabels) return constraints.length === 0;
  for (const c of constraints) if (!Object.prototype.hasOwnProperty.call(nodeLabels, c.topologyKey)) return false;
  return true;
}

/**
 * countPodsMatchSelector on a node of the scheduler cache (fast path): when
 * the selector requires a label pair, only the node's pods carrying it can
 * match, and the cache's label index holds those per node (podsOn), so the
 * node's other pods are not read.
 */
export function countPodsMatchSelectorOn(nodeInfo: NodeInfo, selector: KeyedMatcher, ns: string): number {
  const pair = selector.requiredPairs?.[0];
  const table = nodeInfo.resourceTable;
  const slot = nodeInfo.resourceSlot ?? -1;
  if (pair !== undefined && table != null && slot >= 0) return countPodsMatchSelector(table.podLabels.podsOn(ns, pair[0], pair[1], slot), selector, ns);
  return countPodsMatchSelector(nodeInfo.pods, selector, ns);
}

/** upstream countPodsMatchSelector: terminating pods and pods of other namespaces are not counted. */
export function countPodsMatchSelector(pods: readonly PodInfo[], selector: KeyedMatcher, ns: string): number {
  // A label pair every match has rules most other pods out with one lookup (they belong to other workloads).
  const pair = selector.requiredPairs?.[0];
  let n = 0;
  for (let i = 0; i < pods.length; i++) {
    const meta = pods[i]!.pod.metadata;
    if (meta.deletionTimestamp || (meta.namespace ?? '') !== ns) continue;
    if (pair !== undefined && meta.labels?.[pair[0]] !== pair[1]) continue;
    if (selector.matches(meta.labels)) n++;
  }
  return n;
}
