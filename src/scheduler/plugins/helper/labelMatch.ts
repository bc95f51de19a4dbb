/**
 * Small label-matcher combinators the spreading and affinity plugins need on
 * top of src/api/labels.ts, following k8s.io/apimachinery/pkg/labels v1.31:
 * labels.Nothing(), labels.Everything(), Selector.Add (AND of requirements)
 * and labels.SelectorFromSet.
 *
 * A matcher also carries a `key`: a canonical string that identifies what it
 * matches, so plugins can cache per-node match counts by selector.
 */
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import type { LabelMatcher } from '../../framework/types.ts';
import { labelSelectorAsSelector } from '../../../api/labels.ts';

export interface KeyedMatcher extends LabelMatcher {
  /** Canonical identity of the selector (equal keys => equal matching). */
  readonly key: string;
  /** Label pairs every matching label set has (perf: lets a pod label index find candidates); absent when none is known. */
  readonly requiredPairs?: ReadonlyArray<readonly [string, string]>;
}

/** labels.Nothing(): matches no label set; not Empty(). */
export const nothing: KeyedMatcher = { matches: () => false, empty: false, key: '<nothing>' };

/** labels.Everything(): matches every label set; Empty(). */
export const everything: KeyedMatcher = { matches: () => true, empty: true, key: '' };

function sortedEntries(set: Readonly<Record<string, string>>): Array<[string, string]> {
  return Object.entries(set).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** labels.SelectorFromSet: every key=value must be present; an empty set matches everything. */
export function setMatcher(set: Readonly<Record<string, string>>): KeyedMatcher {
  const entries = sortedEntries(set);
  if (entries.length === 0) return everything;
  return {
    empty: false,
    key: 'set:' + JSON.stringify(entries),
    requiredPairs: entries,
    matches(l) {
      if (!l) return false;
      for (const [k, v] of entries) if (l[k] !== v) return false;
      return true;
    },
  };
}

/**
 * metav1.LabelSelectorAsSelector, keyed. nil => Nothing, {} => Everything.
 * Throws what src/api/labels.ts throws on an invalid selector.
 */
export function labelSelectorMatcher(ls: LabelSelector | null | undefined): KeyedMatcher {
  if (ls === null || ls === undefined) return nothing;
  const sel = labelSelectorAsSelector(ls);
  if (sel.empty) return everything;
  const pairs = sortedEntries(ls.matchLabels ?? {});
  return { empty: false, key: 'ls:' + canonicalSelector(ls), ...(pairs.length > 0 ? { requiredPairs: pairs } : {}), matches: (l) => sel.matches(l) };
}

function canonicalSelector(ls: LabelSelector): string {
  const ml = sortedEntries(ls.matchLabels ?? {});
  const me = (ls.matchExpressions ?? [])
    .map((e) => [e.key, e.operator, [...(e.values ?? [])].sort()] as const)
    .map((e) => JSON.stringify(e))
    .sort();
  return JSON.stringify([ml, me]);
}

/**
 * Selector.Add over several selectors: a label set must match all of them.
 * Empty (match-everything) parts are dropped, as they add no requirement.
 */
export function andMatchers(parts: readonly KeyedMatcher[]): KeyedMatcher {
  const real = parts.filter((p) => !p.empty);
  if (real.length === 0) return everything;
  if (real.length === 1) return real[0]!;
  const pairs = real.flatMap((p) => p.requiredPairs ?? []);
  return {
    empty: false,
    key: real.map((p) => p.key).join('&'),
    ...(pairs.length > 0 ? { requiredPairs: pairs } : {}),
    matches(l) {
      for (const p of real) if (!p.matches(l)) return false;
      return true;
    },
  };
}
