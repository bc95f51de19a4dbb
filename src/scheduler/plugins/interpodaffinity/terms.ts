/**
 * Affinity-term helpers for InterPodAffinity, following kube-scheduler v1.35
 * (matchLabelKeys/mismatchLabelKeys GA in v1.33; unchanged otherwise)
 * pkg/scheduler/framework/types.go (AffinityTerm.Matches) and
 * plugins/interpodaffinity/plugin.go (mergeAffinityTermNamespacesIfNotEmpty,
 * GetNamespaceLabelsSnapshot).
 */
import type { Namespace, Pod } from 'kubernetes-types/core/v1.js';
import type { KObject, StoreReader } from '../../../sim/types.ts';
import type { AffinityTerm, LabelMatcher, WeightedAffinityTerm } from '../../framework/types.ts';

/** A term the plugin may rewrite (namespaces merged from the namespaceSelector). */
export interface Term {
  namespaces: ReadonlySet<string>;
  selector: LabelMatcher;
  topologyKey: string;
  /** null = labels.Nothing(). */
  namespaceSelector: LabelMatcher | null;
  /** See AffinityTerm.selectorKey (kept by mergeTermNamespaces). */
  selectorKey?: string;
}

export interface WeightedTerm extends Term {
  weight: number;
}

/**
 * AffinityTerm.Matches: the pod is in one of the term's namespaces, or its
 * namespace's labels match the namespaceSelector; and its labels match.
 */
export function termMatches(t: Term | AffinityTerm, pod: Pod, nsLabels: Readonly<Record<string, string>> | undefined): boolean {
  const ns = pod.metadata?.namespace ?? '';
  if (t.namespaces.has(ns) || (t.namespaceSelector !== null && t.namespaceSelector.matches(nsLabels ?? {}))) {
    return t.selector.matches(pod.metadata?.labels ?? {});
  }
  return false;
}

/** podMatchesAllAffinityTerms: false for no terms. Incoming-pod terms have their namespaceSelector merged, so no labels are passed. */
export function podMatchesAllAffinityTerms(terms: readonly (Term | AffinityTerm)[], pod: Pod): boolean {
  if (terms.length === 0) return false;
  for (const t of terms) if (!termMatches(t, pod, undefined)) return false;
  return true;
}

/**
 * mergeAffinityTermNamespacesIfNotEmpty: unroll a non-empty namespaceSelector
 * into the namespace set (listing Namespace objects) and drop the selector;
 * an empty selector (match all) is kept as is.
 */
export function mergeTermNamespaces<T extends AffinityTerm>(t: T, store: StoreReader): T {
  if (t.namespaceSelector === null || t.namespaceSelector.empty) return t;
  const ns = new Set(t.namespaces);
  const sel = t.namespaceSelector;
  for (const n of store.list<Namespace & KObject>('Namespace')) {
    if (sel.matches(n.metadata.labels ?? {})) ns.add(n.metadata.name ?? '');
  }
  return { ...t, namespaces: ns, namespaceSelector: null };
}

export function mergeWeighted(t: WeightedAffinityTerm, store: StoreReader): WeightedTerm {
  return mergeTermNamespaces(t, store);
}

const noLabels: Readonly<Record<string, string>> = Object.freeze({});

/**
 * GetNamespaceLabelsSnapshot: the labels of the pod's namespace, undefined
 * when it does not exist. A stored object's frozen labels are the snapshot
 * as they are (perf: the same object every cycle, so keys made from it are
 * remembered); unfrozen ones (test fakes) are copied.
 */
export function namespaceLabels(ns: string, store: StoreReader): Readonly<Record<string, string>> | undefined {
  const obj = store.get<Namespace & KObject>('Namespace', '', ns);
  if (!obj) return undefined;
  const labels = obj.metadata.labels;
  if (labels === undefined) return noLabels;
  return Object.isFrozen(labels) ? labels : { ...labels };
}
