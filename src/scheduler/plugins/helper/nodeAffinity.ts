/**
 * The pod's required node affinity as one predicate, following
 * k8s.io/component-helpers/scheduling/corev1/nodeaffinity v1.35
 * GetRequiredNodeAffinity(pod).Match(node): spec.nodeSelector (every pair
 * must be a node label) AND requiredDuringSchedulingIgnoredDuringExecution
 * (terms ORed). Parse errors of the node selector count as "no match", as the
 * spreading plugin does ("we ignore parsing errors here for backwards
 * compatibility").
 */
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { compileNodeSelector } from '../../../api/nodeSelector.ts';

export interface RequiredNodeAffinity {
  match(node: Node): boolean;
}

const always: RequiredNodeAffinity = { match: () => true };

export function getRequiredNodeAffinity(pod: Pod): RequiredNodeAffinity {
  const sel = pod.spec?.nodeSelector;
  const selEntries = sel ? Object.entries(sel) : [];
  const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (selEntries.length === 0 && !required) return always;
  let compiled: { matches(node: Node): boolean } | undefined;
  let broken = false;
  if (required) {
    try {
      compiled = compileNodeSelector(required);
    } catch {
      broken = true;
    }
  }
  return {
    match(node: Node): boolean {
      const labels = node.metadata?.labels ?? {};
      for (const [k, v] of selEntries) if (labels[k] !== v) return false;
      if (broken) return false;
      return compiled ? compiled.matches(node) : true;
    },
  };
}
