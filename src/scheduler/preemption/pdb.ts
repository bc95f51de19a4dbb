/**
 * PodDisruptionBudget accounting for preemption, following kube-scheduler
 * v1.35 pkg/scheduler/framework/plugins/defaultpreemption
 * (filterPodsWithPDBViolation): a victim violates a PDB when removing it
 * would take the PDB's remaining status.disruptionsAllowed below zero,
 * counting the victims before it in the (importance-sorted) list.
 */
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import type { KObject, Stored } from '../../sim/types.ts';
import { labelSelectorAsSelector } from '../../api/labels.ts';
import type { LabelMatcher, PodInfo } from '../framework/types.ts';

export type PDB = Stored<PodDisruptionBudget & KObject>;

/** A PDB with its selector compiled once per preemption attempt. */
export interface CompiledPDB {
  namespace: string;
  /** null: the selector is invalid, or nil/empty (upstream: matches nothing). */
  selector: LabelMatcher | null;
  disruptionsAllowed: number;
  disruptedPods: Readonly<Record<string, string>>;
}

export function compilePDBs(pdbs: readonly PDB[]): CompiledPDB[] {
  return pdbs.map((pdb) => {
    let selector: LabelMatcher | null = null;
    try {
      const s = labelSelectorAsSelector(pdb.spec?.selector);
      // "A PDB with a nil or empty selector matches nothing."
      if (!s.empty) selector = s;
    } catch {
      // An invalid selector does not match the pod.
      selector = null;
    }
    return {
      namespace: pdb.metadata?.namespace ?? '',
      selector,
      disruptionsAllowed: pdb.status?.disruptionsAllowed ?? 0,
      disruptedPods: (pdb.status?.disruptedPods ?? {}) as Readonly<Record<string, string>>,
    };
  });
}

/**
 * Splits pods into those whose eviction would violate a PDB and the others,
 * keeping the input order in both groups. A pod in several PDBs decrements
 * each of them; it violates if any goes below zero. Pods already listed in a
 * PDB's status.disruptedPods were counted by the API server and do not
 * decrement it again.
 */
export function filterPodsWithPDBViolation(pods: readonly PodInfo[], pdbs: readonly CompiledPDB[]): { violating: PodInfo[]; nonViolating: PodInfo[] } {
  const allowed = pdbs.map((p) => p.disruptionsAllowed);
  const violating: PodInfo[] = [];
  const nonViolating: PodInfo[] = [];
  for (const pi of pods) {
    const pod = pi.pod;
    const labels = pod.metadata?.labels;
    let violated = false;
    // A pod without labels matches no PDB.
    if (labels && Object.keys(labels).length > 0) {
      const ns = pod.metadata?.namespace ?? '';
      const name = pod.metadata?.name ?? '';
      for (let i = 0; i < pdbs.length; i++) {
        const pdb = pdbs[i]!;
        if (pdb.namespace !== ns || pdb.selector === null || !pdb.selector.matches(labels)) continue;
        if (Object.prototype.hasOwnProperty.call(pdb.disruptedPods, name)) continue;
        allowed[i] = allowed[i]! - 1;
        if (allowed[i]! < 0) violated = true;
      }
    }
    (violated ? violating : nonViolating).push(pi);
  }
  return { violating, nonViolating };
}
