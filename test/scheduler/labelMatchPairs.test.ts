/**
 * KeyedMatcher.requiredPairs is a promise used to skip work (the pod label
 * index, the one-lookup pre-check in countPodsMatchSelector): every label set
 * a matcher matches must contain every required pair. Checked on generated
 * selectors (matchLabels, matchExpressions, Services' label sets, and their
 * conjunction as defaultSelector builds it) and label sets.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { LabelSelector } from 'kubernetes-types/meta/v1';
import { andMatchers, labelSelectorMatcher, setMatcher, type KeyedMatcher } from '../../src/scheduler/plugins/helper/labelMatch.ts';
import { countPodsMatchSelector } from '../../src/scheduler/plugins/podtopologyspread/common.ts';
import { newPodInfo } from '../../src/scheduler/framework/podInfo.ts';
import type { Pod } from 'kubernetes-types/core/v1';

const key = fc.constantFrom('app', 'tier', 'pod-template-hash');
const value = fc.constantFrom('a', 'b', 'c');
const labelSet = fc.dictionary(key, value, { maxKeys: 3 });
const requirement = fc.record({
  key,
  operator: fc.constantFrom('In', 'NotIn', 'Exists', 'DoesNotExist'),
  values: fc.array(value, { minLength: 1, maxLength: 2 }),
});
const selector: fc.Arbitrary<LabelSelector> = fc.record(
  {
    matchLabels: labelSet,
    matchExpressions: fc.array(requirement, { maxLength: 2 }).map((rs) => rs.map((r) => (r.operator === 'Exists' || r.operator === 'DoesNotExist' ? { key: r.key, operator: r.operator } : r))),
  },
  { requiredKeys: [] },
);
const matcher: fc.Arbitrary<KeyedMatcher> = fc.oneof(
  selector.map(labelSelectorMatcher),
  labelSet.map(setMatcher),
  fc.tuple(labelSet, selector).map(([set, sel]) => andMatchers([setMatcher(set), labelSelectorMatcher(sel)])),
);

describe('KeyedMatcher.requiredPairs', () => {
  it('every matched label set has every required pair (500 runs)', () => {
    let matched = 0;
    fc.assert(
      fc.property(matcher, labelSet, (m, labels) => {
        if (!m.matches(labels)) return;
        matched++;
        for (const [k, v] of m.requiredPairs ?? []) expect(labels[k]).toBe(v);
      }),
      { numRuns: 500 },
    );
    expect(matched).toBeGreaterThan(20);
  });

  it('countPodsMatchSelector counts what matches() accepts, pre-check or not (300 runs)', () => {
    fc.assert(
      fc.property(matcher, fc.array(fc.tuple(labelSet, fc.boolean(), fc.boolean()), { maxLength: 8 }), (m, pods) => {
        const infos = pods.map(([labels, otherNs, deleting], i) =>
          newPodInfo({ metadata: { name: `p${i}`, namespace: otherNs ? 'other' : 'ns', labels, ...(deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) }, spec: { containers: [] } } as Pod),
        );
        const expected = pods.filter(([labels, otherNs, deleting]) => !otherNs && !deleting && m.matches(labels)).length;
        expect(countPodsMatchSelector(infos, m, 'ns')).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });
});
