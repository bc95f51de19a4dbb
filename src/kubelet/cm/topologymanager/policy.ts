/**
 * The Topology Manager's hint merging (pkg/kubelet/cm/topologymanager:
 * policy.go, numa_info.go, policy_best_effort.go, policy_restricted.go,
 * policy_single_numa_node.go, policy_none.go), newest upstream:
 *
 *   - every provider's hints per resource are collected (filterProvidersHints):
 *     no hints at all = one preferred "don't care" hint; an empty list for a
 *     resource = one non-preferred "don't care" hint (nothing can satisfy it);
 *   - the cross product of those lists is merged permutation by permutation:
 *     the bitwise AND of the affinities, preferred only if every hint is
 *     preferred and every non-nil affinity is the same mask (mergePermutation);
 *   - HintMerger.compare keeps the best: preferred over non-preferred, the
 *     narrowest (or, with prefer-closest-numa-nodes, the closest) among
 *     preferred, and among non-preferred the one closest to the
 *     bestNonPreferredAffinityCount.
 *
 * Go iterates a provider's map of resources in random order; ksim sorts the
 * resource names so that a merge is deterministic (upstream's result does not
 * depend on that order except in exact ties, which sorting settles).
 */
import { and, BitMask } from './bitmask.ts';

export interface TopologyHint {
  /** undefined: no NUMA preference ("don't care"), upstream's nil mask. */
  numaNodeAffinity: BitMask | undefined;
  preferred: boolean;
}

/** One provider's hints per resource name. `undefined` for a resource = no preference; [] = cannot be satisfied. */
export type ProviderHints = Map<string, TopologyHint[] | undefined> | undefined;

export const PolicyNone = 'none';
export const PolicyBestEffort = 'best-effort';
export const PolicyRestricted = 'restricted';
export const PolicySingleNumaNode = 'single-numa-node';

export interface PolicyOptions {
  /** prefer-closest-numa-nodes (GA since v1.32). */
  preferClosestNUMA: boolean;
  /** max-allowable-numa-nodes (beta since v1.31: TopologyManagerPolicyBetaOptions), default 8, minimum 8. */
  maxAllowableNUMANodes: number;
}

export const DefaultMaxAllowableNUMANodes = 8;

/** NUMAInfo: the machine's NUMA node ids and, for prefer-closest, the distance rows. */
export class NUMAInfo {
  constructor(
    readonly nodes: readonly number[],
    readonly distances: ReadonlyMap<number, readonly number[]> = new Map(),
  ) {}

  defaultAffinityMask(): BitMask {
    return BitMask.of(...this.nodes);
  }

  narrowest(m1: BitMask, m2: BitMask): BitMask {
    return m1.isNarrowerThan(m2) ? m1 : m2;
  }

  /** Same width: the smaller average distance; equal distances: more lower-numbered bits. */
  closest(m1: BitMask, m2: BitMask): BitMask {
    if (m1.count() !== m2.count()) return this.narrowest(m1, m2);
    const d1 = this.averageDistance(m1);
    const d2 = this.averageDistance(m2);
    if (d1 === d2) return m1.isLessThan(m2) ? m1 : m2;
    return d1 < d2 ? m1 : m2;
  }

  /** NUMADistances.CalculateAverageFor: the mean over all ordered pairs (self pairs included). */
  averageDistance(bm: BitMask): number {
    const bits = bm.getBits();
    if (bits.length === 0) return 0;
    let sum = 0;
    let count = 0;
    for (const a of bits) {
      for (const b of bits) {
        sum += this.distances.get(a)?.[b] ?? 0;
        count++;
      }
    }
    return sum / count;
  }
}

/** mergePermutation. */
export function mergePermutation(defaultAffinity: BitMask, permutation: readonly TopologyHint[]): TopologyHint {
  let preferred = true;
  const affinities: BitMask[] = [];
  for (const hint of permutation) {
    if (hint.numaNodeAffinity !== undefined) {
      affinities.push(hint.numaNodeAffinity);
      if (!hint.numaNodeAffinity.isEqual(affinities[0]!)) preferred = false;
    }
    if (!hint.preferred) preferred = false;
  }
  return { numaNodeAffinity: and(defaultAffinity, ...affinities), preferred };
}

/** filterProvidersHints, with each provider's resources in name order. */
export function filterProvidersHints(providersHints: readonly ProviderHints[]): TopologyHint[][] {
  const all: TopologyHint[][] = [];
  for (const hints of providersHints) {
    if (hints === undefined || hints.size === 0) {
      all.push([{ numaNodeAffinity: undefined, preferred: true }]);
      continue;
    }
    for (const resource of [...hints.keys()].sort()) {
      const list = hints.get(resource);
      if (list === undefined) all.push([{ numaNodeAffinity: undefined, preferred: true }]);
      else if (list.length === 0) all.push([{ numaNodeAffinity: undefined, preferred: false }]);
      else all.push(list);
    }
  }
  return all;
}

function narrowestHint(hints: readonly TopologyHint[]): TopologyHint | undefined {
  let best: TopologyHint | undefined;
  for (const h of hints) {
    if (h.numaNodeAffinity === undefined) continue;
    if (best === undefined) best = h;
    if (h.numaNodeAffinity.isNarrowerThan(best.numaNodeAffinity!)) best = h;
  }
  return best;
}

/** maxOfMinAffinityCounts: the widest of the providers' narrowest hints. */
export function maxOfMinAffinityCounts(filtered: readonly (readonly TopologyHint[])[]): number {
  let max = 0;
  for (const hints of filtered) {
    const n = narrowestHint(hints);
    if (n && n.numaNodeAffinity!.count() > max) max = n.numaNodeAffinity!.count();
  }
  return max;
}

/** iterateAllProviderTopologyHints: the cross product, first provider outermost. */
export function iterateAllProviderTopologyHints(all: readonly (readonly TopologyHint[])[], callback: (permutation: TopologyHint[]) => void): void {
  const iterate = (i: number, accum: TopologyHint[]): void => {
    if (i === all.length) {
      callback(accum);
      return;
    }
    for (const h of all[i]!) iterate(i + 1, [...accum, h]);
  };
  iterate(0, []);
}

/** HintMerger (policy.go). */
export class HintMerger {
  readonly bestNonPreferredAffinityCount: number;

  constructor(
    readonly numaInfo: NUMAInfo,
    readonly hints: readonly (readonly TopologyHint[])[],
    readonly policyName: string,
    readonly opts: PolicyOptions,
  ) {
    this.bestNonPreferredAffinityCount = maxOfMinAffinityCounts(hints);
  }

  /** compareNumaAffinityMasks: equal masks keep the current hint. */
  private compareMasks(current: TopologyHint, candidate: TopologyHint): TopologyHint {
    const cur = current.numaNodeAffinity!;
    const cand = candidate.numaNodeAffinity!;
    if (cand.isEqual(cur)) return current;
    const best = this.policyName !== PolicySingleNumaNode && this.opts.preferClosestNUMA ? this.numaInfo.closest(cur, cand) : this.numaInfo.narrowest(cur, cand);
    return best.isEqual(cur) ? current : candidate;
  }

  /** compare: which of the current best and a candidate merged hint wins (the cases are upstream's). */
  compare(current: TopologyHint | undefined, candidate: TopologyHint): TopologyHint | undefined {
    const candCount = candidate.numaNodeAffinity!.count();
    if (candCount === 0) return current;
    if (current === undefined) return candidate;
    if (!current.preferred && candidate.preferred) return candidate;
    if (current.preferred && !candidate.preferred) return current;
    if (current.preferred && candidate.preferred) return this.compareMasks(current, candidate);
    const best = this.bestNonPreferredAffinityCount;
    const curCount = current.numaNodeAffinity!.count();
    // 1: wider than the target: any fitter mask is better.
    if (curCount > best) return this.compareMasks(current, candidate);
    // 2: at the target: only another mask at the target may replace it.
    if (curCount === best) return candCount !== best ? current : this.compareMasks(current, candidate);
    // 3a/3b: below the target.
    if (candCount > best) return current;
    if (candCount === best) return candidate;
    // 3c: both below: the one closer to the target, then the fitter.
    if (candCount > curCount) return candidate;
    if (candCount < curCount) return current;
    return this.compareMasks(current, candidate);
  }

  merge(): TopologyHint {
    const defaultAffinity = this.numaInfo.defaultAffinityMask();
    let best: TopologyHint | undefined;
    iterateAllProviderTopologyHints(this.hints, (perm) => {
      best = this.compare(best, mergePermutation(defaultAffinity, perm));
    });
    return best ?? { numaNodeAffinity: defaultAffinity, preferred: false };
  }
}

/** filterSingleNumaHints: keep only preferred hints that are "don't care" or name exactly one NUMA node. */
export function filterSingleNumaHints(all: readonly (readonly TopologyHint[])[]): TopologyHint[][] {
  return all.map((hints) => hints.filter((h) => h.preferred && (h.numaNodeAffinity === undefined || h.numaNodeAffinity.count() === 1)));
}

export interface MergeResult {
  hint: TopologyHint;
  admit: boolean;
}

/**
 * Policy.Merge for every policy. `none` admits with a "don't care" hint; best-effort
 * always admits; restricted admits only a preferred best hint; single-numa-node first
 * filters to single-NUMA preferred hints, reports the all-nodes mask as "don't care",
 * and admits only a preferred best hint.
 */
export function mergeProvidersHints(policy: string, numaInfo: NUMAInfo, opts: PolicyOptions, providersHints: readonly ProviderHints[]): MergeResult {
  if (policy === PolicyNone) return { hint: { numaNodeAffinity: undefined, preferred: true }, admit: true };
  const filtered = filterProvidersHints(providersHints);
  if (policy === PolicySingleNumaNode) {
    const single = filterSingleNumaHints(filtered);
    let hint = new HintMerger(numaInfo, single, policy, opts).merge();
    if (hint.numaNodeAffinity?.isEqual(numaInfo.defaultAffinityMask())) hint = { numaNodeAffinity: undefined, preferred: hint.preferred };
    return { hint, admit: hint.preferred };
  }
  const hint = new HintMerger(numaInfo, filtered, policy, opts).merge();
  if (policy === PolicyRestricted) return { hint, admit: hint.preferred };
  return { hint, admit: true };
}

/** TopologyHint's String() form: "{01 true}" / "{<nil> false}", for messages and the annotation. */
export function hintString(h: TopologyHint): string {
  return `{${h.numaNodeAffinity ? h.numaNodeAffinity.toString() : '<nil>'} ${h.preferred}}`;
}
