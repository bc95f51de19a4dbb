// Hint merging under every policy, ported from pkg/kubelet/cm/topologymanager/policy_test.go
// (commonPolicyMergeTestCases, bestEffortPolicy.mergeTestCases, mergeTestCasesNoPolicies,
// singleNumaNodePolicy.mergeTestCases, TestMaxOfMinAffinityCounts, TestCompareHintsNarrowest).
import { describe, expect, it } from 'vitest';
import { BitMask } from '../../../src/kubelet/cm/topologymanager/bitmask.ts';
import {
  HintMerger,
  maxOfMinAffinityCounts,
  mergeProvidersHints,
  NUMAInfo,
  type PolicyOptions,
  type ProviderHints,
  type TopologyHint,
} from '../../../src/kubelet/cm/topologymanager/policy.ts';

type H = [number[] | null, boolean];
/** A provider: resource -> hints (null = no preference for that resource); null provider = no hints at all. */
type P = Record<string, H[] | null> | null;

const hint = ([bits, preferred]: H): TopologyHint => ({ numaNodeAffinity: bits === null ? undefined : BitMask.of(...bits), preferred });
const provider = (p: P): ProviderHints => (p === null ? undefined : new Map(Object.entries(p).map(([k, v]) => [k, v === null ? undefined : v.map(hint)])));
const show = (h: TopologyHint): H => [h.numaNodeAffinity ? h.numaNodeAffinity.getBits() : null, h.preferred];
const opts: PolicyOptions = { preferClosestNUMA: false, maxAllowableNUMANodes: 8 };

interface Case {
  name: string;
  hp: P[];
  expected: H;
}

const common: Case[] = [
  { name: 'Two providers, 1 hint each, same mask, both preferred 1/2', hp: [{ resource1: [[[0], true]] }, { resource2: [[[0], true]] }], expected: [[0], true] },
  { name: 'Two providers, 1 hint each, same mask, both preferred 2/2', hp: [{ resource1: [[[1], true]] }, { resource2: [[[1], true]] }], expected: [[1], true] },
  { name: 'Two providers, 1 no hints, 1 single hint preferred 1/2', hp: [null, { resource: [[[0], true]] }], expected: [[0], true] },
  { name: 'Two providers, 1 no hints, 1 single hint preferred 2/2', hp: [null, { resource: [[[1], true]] }], expected: [[1], true] },
  { name: 'Two providers, 1 with 2 hints, 1 with single hint matching 1/2', hp: [{ resource1: [[[0], true], [[1], true]] }, { resource2: [[[0], true]] }], expected: [[0], true] },
  { name: 'Two providers, 1 with 2 hints, 1 with single hint matching 2/2', hp: [{ resource1: [[[0], true], [[1], true]] }, { resource2: [[[1], true]] }], expected: [[1], true] },
  { name: 'Two providers, both with 2 hints, matching narrower preferred hint from both', hp: [{ resource1: [[[0], true], [[1], true]] }, { resource2: [[[0], true], [[0, 1], false]] }], expected: [[0], true] },
  { name: 'Ensure less narrow preferred hints are chosen over narrower non-preferred hints', hp: [{ resource1: [[[1], true], [[0, 1], false]] }, { resource2: [[[0], true], [[1], true], [[0, 1], false]] }], expected: [[1], true] },
  { name: 'Multiple resources, same provider', hp: [{ resource1: [[[1], true], [[0, 1], false]], resource2: [[[0], true], [[1], true], [[0, 1], false]] }], expected: [[1], true] },
];

const bestEffort = (all: number[]): Case[] => [
  { name: 'Two providers, 2 hints each, same mask (some with different bits), same preferred', hp: [{ resource1: [[[0, 1], true], [[0, 2], true]] }, { resource2: [[[0, 1], true], [[0, 2], true]] }], expected: [[0, 1], true] },
  { name: 'TopologyHint not set', hp: [], expected: [all, true] },
  { name: 'HintProvider returns empty non-nil map[string][]TopologyHint', hp: [{}], expected: [all, true] },
  { name: 'HintProvider returns -nil map[string][]TopologyHint from provider', hp: [{ resource: null }], expected: [all, true] },
  { name: 'HintProvider returns empty non-nil map[string][]TopologyHint from provider', hp: [{ resource: [] }], expected: [all, false] },
  { name: 'Single TopologyHint with Preferred as true and NUMANodeAffinity as nil', hp: [{ resource: [[null, true]] }], expected: [all, true] },
  { name: 'Single TopologyHint with Preferred as false and NUMANodeAffinity as nil', hp: [{ resource: [[null, false]] }], expected: [all, false] },
  { name: 'Two providers, 1 hint each, no common mask', hp: [{ resource1: [[[0], true]] }, { resource2: [[[1], true]] }], expected: [all, false] },
  { name: 'Two providers, 1 hint each, same mask, 1 preferred, 1 not 1/2', hp: [{ resource1: [[[0], true]] }, { resource2: [[[0], false]] }], expected: [[0], false] },
  { name: 'Two providers, 1 hint each, same mask, 1 preferred, 1 not 2/2', hp: [{ resource1: [[[1], true]] }, { resource2: [[[1], false]] }], expected: [[1], false] },
  { name: 'Two providers, 1 hint each, 1 wider mask, both preferred 1/2', hp: [{ resource1: [[[0], true]] }, { resource2: [[[0, 1], true]] }], expected: [[0], false] },
  { name: 'Two providers, 1 with 2 hints, 1 with single non-preferred hint matching', hp: [{ resource1: [[[0], true], [[1], true]] }, { resource2: [[[0, 1], false]] }], expected: [[0], false] },
  { name: 'Two providers, 1 hint each, 1 wider mask, both preferred 2/2', hp: [{ resource1: [[[1], true]] }, { resource2: [[[0, 1], true]] }], expected: [[1], false] },
  { name: 'bestNonPreferredAffinityCount (1)', hp: [{ resource1: [[[0, 1, 2, 3], false], [[0, 1], false]] }, { resource2: [[[0, 1], false]] }], expected: [[0, 1], false] },
  { name: 'bestNonPreferredAffinityCount (2)', hp: [{ resource1: [[[0, 1, 2, 3], false], [[0, 1], false]] }, { resource2: [[[0, 3], false]] }], expected: [[0, 3], false] },
  { name: 'bestNonPreferredAffinityCount (3)', hp: [{ resource1: [[[0, 1, 2, 3], false], [[0, 1], false]] }, { resource2: [[[1, 2], false]] }], expected: [[1, 2], false] },
  { name: 'bestNonPreferredAffinityCount (4)', hp: [{ resource1: [[[0, 1, 2, 3], false], [[0, 1], false]] }, { resource2: [[[2, 3], false]] }], expected: [[2, 3], false] },
  { name: 'bestNonPreferredAffinityCount (5)', hp: [{ resource1: [[[0, 1, 2, 3], false], [[0, 1], false]] }, { resource2: [[[1, 2], false], [[2, 3], false]] }], expected: [[1, 2], false] },
  { name: 'bestNonPreferredAffinityCount (6)', hp: [{ resource1: [[[0, 1, 2, 3], false], [[0, 1], false]] }, { resource2: [[[1, 2, 3], false], [[1, 2], false], [[1, 3], false], [[2, 3], false]] }], expected: [[1, 2], false] },
];

const singleNuma: Case[] = [
  { name: 'TopologyHint not set', hp: [], expected: [null, true] },
  { name: 'HintProvider returns empty non-nil map[string][]TopologyHint', hp: [{}], expected: [null, true] },
  { name: 'HintProvider returns -nil map[string][]TopologyHint from provider', hp: [{ resource: null }], expected: [null, true] },
  { name: 'HintProvider returns empty non-nil map[string][]TopologyHint from provider', hp: [{ resource: [] }], expected: [null, false] },
  { name: 'Single TopologyHint with Preferred as true and NUMANodeAffinity as nil', hp: [{ resource: [[null, true]] }], expected: [null, true] },
  { name: 'Single TopologyHint with Preferred as false and NUMANodeAffinity as nil', hp: [{ resource: [[null, false]] }], expected: [null, false] },
  { name: 'Two providers, 1 hint each, no common mask', hp: [{ resource1: [[[0], true]] }, { resource2: [[[1], true]] }], expected: [null, false] },
  { name: 'Two providers, 1 hint each, same mask, 1 preferred, 1 not 1/2', hp: [{ resource1: [[[0], true]] }, { resource2: [[[0], false]] }], expected: [null, false] },
  { name: 'Two providers, 1 hint each, same mask, 1 preferred, 1 not 2/2', hp: [{ resource1: [[[1], true]] }, { resource2: [[[1], false]] }], expected: [null, false] },
  { name: 'Two providers, 1 with 2 hints, 1 with single non-preferred hint matching', hp: [{ resource1: [[[0], true], [[1], true]] }, { resource2: [[[0, 1], false]] }], expected: [null, false] },
  { name: 'Single NUMA hint generation', hp: [{ resource1: [[[0, 1], true]], resource2: [[[0], true], [[1], true], [[0, 1], false]] }], expected: [null, false] },
  { name: 'One no-preference provider', hp: [{ resource1: [[[0], true], [[1], true], [[0, 1], false]] }, null], expected: [[0], true] },
];

function run(policy: string, nodes: number[], cases: Case[]): void {
  for (const tc of cases) {
    it(`${policy}: ${tc.name}`, () => {
      const r = mergeProvidersHints(policy, new NUMAInfo(nodes), opts, tc.hp.map(provider));
      expect(show(r.hint)).toEqual(tc.expected);
      const admit = policy === 'best-effort' ? true : tc.expected[1];
      expect(r.admit).toBe(admit);
    });
  }
}

describe('Topology Manager policy merge (upstream policy_test.go)', () => {
  run('best-effort', [0, 1], common);
  run('best-effort', [0, 1, 2, 3], bestEffort([0, 1, 2, 3]));
  // Restricted merges as best-effort; it admits only a preferred best hint.
  run('restricted', [0, 1], common);
  run('restricted', [0, 1, 2, 3], bestEffort([0, 1, 2, 3]));
  run('single-numa-node', [0, 1], [...common, ...singleNuma]);

  it('none admits everything with a "don\'t care" hint', () => {
    const r = mergeProvidersHints('none', new NUMAInfo([0, 1]), opts, [provider({ r: [] })]);
    expect(show(r.hint)).toEqual([null, true]);
    expect(r.admit).toBe(true);
  });

  it('maxOfMinAffinityCounts (TestMaxOfMinAffinityCounts)', () => {
    const t = (lists: number[][][]) => maxOfMinAffinityCounts(lists.map((l) => l.map((b) => hint([b, true]))));
    expect(t([])).toBe(0);
    expect(t([[[]]])).toBe(0);
    expect(t([[[0]]])).toBe(1);
    expect(t([[[0, 1]]])).toBe(2);
    expect(t([[[0, 1], [0, 1, 2]]])).toBe(2);
    expect(t([[[0, 1], [0, 1, 2]], [[0, 1, 2]]])).toBe(3);
    expect(t([[[0, 1], [0, 1, 2]], [[0, 1, 2], [0, 1, 2, 3]]])).toBe(3);
  });

  it('compare (TestCompareHintsNarrowest, first cases)', () => {
    const merger = (best: number) => Object.assign(new HintMerger(new NUMAInfo([0, 1, 2, 3]), [], 'best-effort', opts), { bestNonPreferredAffinityCount: best });
    const pick = (best: number, cur: H | null, cand: H): string => {
      const c = cur === null ? undefined : hint(cur);
      const d = hint(cand);
      const r = merger(best).compare(c, d);
      return r === d ? 'candidate' : 'current';
    };
    expect(pick(-1, null, [[], false])).toBe('current');
    expect(pick(-1, [[], true], [[], false])).toBe('current');
    expect(pick(-1, null, [[0], true])).toBe('candidate');
    expect(pick(-1, null, [[0], false])).toBe('candidate');
    expect(pick(-1, [[0], false], [[0], true])).toBe('candidate');
    expect(pick(-1, [[0], true], [[0], false])).toBe('current');
    expect(pick(-1, [[0], true], [[0], true])).toBe('current');
    expect(pick(-1, [[0, 1], true], [[0], true])).toBe('candidate');
    expect(pick(-1, [[0], true], [[0, 1], true])).toBe('current');
    expect(pick(1, [[0, 1], false], [[0, 1], false])).toBe('current');
  });

  // bestEffortPolicy.mergeTestCasesClosestNUMA with commonNUMAInfoEightNodes' distances.
  const eight = new NUMAInfo(
    [0, 1, 2, 3, 4, 5, 6, 7],
    new Map([
      [0, [10, 11, 12, 12, 30, 30, 30, 30]],
      [1, [11, 10, 12, 12, 30, 30, 30, 30]],
      [2, [12, 12, 10, 11, 30, 30, 30, 30]],
      [3, [12, 12, 11, 10, 30, 30, 30, 30]],
      [4, [30, 30, 30, 30, 10, 11, 12, 12]],
      [5, [30, 30, 30, 30, 11, 10, 12, 12]],
      [6, [30, 30, 30, 30, 12, 12, 10, 11]],
      [7, [30, 30, 30, 30, 12, 12, 13, 10]],
    ]),
  );
  const closest: Case[] = [
    { name: 'Two providers, 2 hints each, same mask (some with different bits), same preferred', hp: [{ resource1: [[[0, 4], true], [[0, 2], true]] }, { resource2: [[[0, 4], true], [[0, 2], true]] }], expected: [[0, 2], true] },
    { name: 'Two providers, 2 hints each, different mask', hp: [{ resource1: [[[4], true], [[0, 2], true]] }, { resource2: [[[4], true], [[0, 2], true]] }], expected: [[4], true] },
    { name: 'bestNonPreferredAffinityCount (5)', hp: [{ resource1: [[[0, 1, 2, 3], false], [[0, 1], false]] }, { resource2: [[[1, 2], false], [[2, 3], false]] }], expected: [[2, 3], false] },
    { name: 'bestNonPreferredAffinityCount (6)', hp: [{ resource1: [[[0, 1, 2, 3], false], [[0, 1], false]] }, { resource2: [[[1, 2, 3], false], [[1, 2], false], [[1, 3], false], [[2, 3], false]] }], expected: [[2, 3], false] },
  ];
  for (const tc of closest) {
    it(`best-effort with prefer-closest-numa-nodes: ${tc.name}`, () => {
      expect(show(mergeProvidersHints('best-effort', eight, { ...opts, preferClosestNUMA: true }, tc.hp.map(provider)).hint)).toEqual(tc.expected);
    });
  }

  it('prefer-closest-numa-nodes picks the closer pair among equally wide preferred hints; single-numa-node ignores it', () => {
    // Distances: 0-1 and 2-3 are close (11), every other pair far (21).
    const d = new Map<number, number[]>([
      [0, [10, 11, 21, 21]],
      [1, [11, 10, 21, 21]],
      [2, [21, 21, 10, 11]],
      [3, [21, 21, 11, 10]],
    ]);
    const info = new NUMAInfo([0, 1, 2, 3], d);
    const hp = [provider({ r: [[[0, 2], true], [[2, 3], true]] })];
    expect(show(mergeProvidersHints('best-effort', info, opts, hp).hint)).toEqual([[0, 2], true]);
    expect(show(mergeProvidersHints('best-effort', info, { ...opts, preferClosestNUMA: true }, hp).hint)).toEqual([[2, 3], true]);
  });
});
