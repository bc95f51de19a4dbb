/**
 * Upstream's horizontal_test.go tables for the normalisation (v1.35), ported
 * as data: TestConvertDesiredReplicasWithRules, TestNormalizeDesiredReplicas,
 * TestScalingWithRules (convertDesiredReplicasWithBehaviorRate),
 * TestStoreScaleEvents, TestNormalizeDesiredReplicasWithBehavior
 * (stabilizeRecommendationWithBehaviors), the single-call limit tests, and
 * the behaviour defaults (GenerateHPAScaleUpRules / ScaleDownRules).
 */
import { describe, expect, it } from 'vitest';
import {
  calculateScaleDownLimitWithBehaviors,
  calculateScaleUpLimit,
  calculateScaleUpLimitWithScalingRules,
  convertDesiredReplicasWithBehaviorRate,
  convertDesiredReplicasWithRules,
  getReplicasChangePerPeriod,
  newHistory,
  stabilizeRecommendation,
  stabilizeRecommendationWithBehaviors,
  storeScaleEvent,
  type HpaHistory,
  type ScalingRules,
  type TimestampedScaleEvent,
} from '../../../src/controllers/podautoscaler/behavior.ts';
import { defaultBehavior } from '../../../src/controllers/podautoscaler/spec.ts';

const NOW = 10_000_000;
const MIN = 60_000;

/** generateScalingRules(pods, podsPeriod, percent, percentPeriod, stabilizationWindow): select Max. */
function rules(pods: number, podsPeriod: number, percent: number, percentPeriod: number, window: number): Record<string, unknown> {
  const policies: Array<Record<string, unknown>> = [];
  if (pods !== 0) policies.push({ type: 'Pods', value: pods, periodSeconds: podsPeriod });
  if (percent !== 0) policies.push({ type: 'Percent', value: percent, periodSeconds: percentPeriod });
  return { stabilizationWindowSeconds: window, selectPolicy: 'Max', ...(policies.length ? { policies } : {}) };
}

/** generateEventsUniformDistribution: events in the centres of equal segments of the last periodSeconds. */
function uniform(raw: number[], periodSeconds: number): TimestampedScaleEvent[] {
  const seg = periodSeconds / raw.length;
  return raw.map((r, i) => ({ replicaChange: r, timestamp: NOW - Math.trunc(periodSeconds - seg * (i + 1) + seg / 2) * 1000, outdated: false }));
}

describe('convertDesiredReplicasWithRules (TestConvertDesiredReplicasWithRules)', () => {
  const rows: Array<[string, number, number, number, number, number, string]> = [
    ['prenormalized desired replicas within range', 5, 7, 3, 8, 7, 'DesiredWithinRange'],
    ['prenormalized desired replicas < minReplicas', 3, 1, 2, 8, 2, 'TooFewReplicas'],
    ['prenormalized desired zeroed replicas within range', 1, 0, 0, 10, 0, 'DesiredWithinRange'],
    ['maxReplicas is the limit because maxReplicas < scaleUpLimit', 20, 1000, 1, 10, 10, 'TooManyReplicas'],
    ['scaleUpLimit is the limit because scaleUpLimit < maxReplicas', 3, 1000, 1, 2000, calculateScaleUpLimit(3), 'ScaleUpLimit'],
  ];
  for (const [name, current, desired, min, max, expected, reason] of rows) {
    it(name, () => {
      const p = convertDesiredReplicasWithRules(current, desired, min, max);
      expect([p.replicas, p.reason]).toEqual([expected, reason]);
    });
  }
  it('the legacy limit is max(2 × current, 4)', () => {
    expect([calculateScaleUpLimit(1), calculateScaleUpLimit(2), calculateScaleUpLimit(3), calculateScaleUpLimit(10)]).toEqual([4, 4, 6, 20]);
  });
});

describe('stabilizeRecommendation (TestNormalizeDesiredReplicas)', () => {
  const rows: Array<[string, Array<[number, number]>, number, number, number]> = [
    ['empty log', [], 5, 5, 1],
    ['stabilize', [[4, -2 * MIN], [5, -1 * MIN]], 3, 5, 3],
    ['no stabilize', [[1, -2 * MIN], [2, -1 * MIN]], 3, 3, 3],
    ['no stabilize - old recommendations', [[10, -10 * MIN], [9, -9 * MIN]], 3, 3, 2],
    ['stabilize - old recommendations', [[10, -10 * MIN], [4, -1 * MIN], [5, -2 * MIN], [9, -9 * MIN]], 3, 5, 4],
  ];
  for (const [name, recs, prenormalized, expected, logLength] of rows) {
    it(name, () => {
      const h = newHistory();
      h.recommendations = recs.map(([r, dt]) => ({ recommendation: r, timestamp: NOW + dt }));
      expect(stabilizeRecommendation(h, prenormalized, 5 * MIN, NOW)).toBe(expected);
      expect(h.recommendations).toHaveLength(logLength);
    });
  }
});

interface RateRow {
  name: string;
  scaleUpEvents?: TimestampedScaleEvent[];
  scaleDownEvents?: TimestampedScaleEvent[];
  min: number;
  max: number;
  up?: Record<string, unknown>;
  down?: Record<string, unknown>;
  current: number;
  desired: number;
  expected: number;
  reason: string;
}

const RATE_ROWS: RateRow[] = [
  { name: 'prenormalized desired replicas within range', current: 5, desired: 7, min: 3, max: 8, expected: 7, reason: 'DesiredWithinRange' },
  { name: 'prenormalized desired replicas < minReplicas', current: 3, desired: 1, min: 2, max: 8, expected: 2, reason: 'TooFewReplicas' },
  { name: 'prenormalized desired replicas within range when minReplicas is 0', current: 1, desired: 0, min: 0, max: 10, expected: 0, reason: 'DesiredWithinRange' },
  { name: 'maxReplicas is the limit because maxReplicas < scaleUpLimit', current: 20, desired: 1000, min: 1, max: 10, expected: 10, reason: 'TooManyReplicas' },
  { name: 'desired replica count is more than the maximum replica count', current: 100, desired: 1000, min: 100, max: 150, expected: 150, reason: 'TooManyReplicas' },
  { name: 'scaleUpLimit is the limit because scaleUpLimit < maxReplicas with user policies', current: 3, desired: 1000, min: 1, max: 2000, up: rules(0, 0, 1, 60, 0), expected: 4, reason: 'ScaleUpLimit' },
  { name: 'scaleUp with default behavior', min: 1, max: 1000, current: 10, desired: 50, expected: 20, reason: 'ScaleUpLimit' },
  { name: 'scaleUp with pods policy larger than percent policy', min: 1, max: 1000, up: rules(100, 60, 100, 60, 0), current: 10, desired: 500, expected: 110, reason: 'ScaleUpLimit' },
  { name: 'scaleUp with percent policy larger than pods policy', min: 1, max: 1000, up: rules(2, 60, 100, 60, 0), current: 10, desired: 500, expected: 20, reason: 'ScaleUpLimit' },
  { name: 'scaleUp with spec MaxReplicas limitation with large pod policy', min: 1, max: 1000, up: rules(100, 60, 0, 0, 0), current: 10, desired: 50, expected: 50, reason: 'DesiredWithinRange' },
  { name: 'scaleUp with spec MaxReplicas limitation with large percent policy', min: 1, max: 1000, up: rules(10000, 60, 0, 0, 0), current: 10, desired: 50, expected: 50, reason: 'DesiredWithinRange' },
  { name: 'scaleUp with pod policy limitation', min: 1, max: 1000, up: rules(30, 60, 0, 0, 0), current: 10, desired: 50, expected: 40, reason: 'ScaleUpLimit' },
  { name: 'scaleUp with percent policy limitation', min: 1, max: 1000, up: rules(0, 0, 200, 60, 0), current: 10, desired: 50, expected: 30, reason: 'ScaleUpLimit' },
  { name: 'scaleDown with percent policy larger than pod policy', min: 1, max: 1000, down: rules(20, 60, 1, 60, 300), current: 100, desired: 2, expected: 80, reason: 'ScaleDownLimit' },
  { name: 'scaleDown with pod policy larger than percent policy', min: 1, max: 1000, down: rules(2, 60, 1, 60, 300), current: 100, desired: 2, expected: 98, reason: 'ScaleDownLimit' },
  { name: 'scaleDown with spec MinReplicas=nil limitation with large pod policy', min: 1, max: 1000, down: rules(100, 60, 0, 0, 300), current: 10, desired: 0, expected: 1, reason: 'TooFewReplicas' },
  { name: 'scaleDown with spec MinReplicas limitation with large pod policy', min: 1, max: 1000, down: rules(100, 60, 0, 0, 300), current: 10, desired: 0, expected: 1, reason: 'TooFewReplicas' },
  { name: 'scaleDown with spec MinReplicas limitation with large percent policy', min: 5, max: 1000, down: rules(0, 0, 100, 60, 300), current: 10, desired: 2, expected: 5, reason: 'TooFewReplicas' },
  { name: 'scaleDown with pod policy limitation', min: 1, max: 1000, down: rules(5, 60, 0, 0, 300), current: 10, desired: 2, expected: 5, reason: 'ScaleDownLimit' },
  { name: 'scaleDown with percent policy limitation', min: 1, max: 1000, down: rules(0, 0, 50, 60, 300), current: 10, desired: 5, expected: 5, reason: 'DesiredWithinRange' },
  { name: 'scaleUp with spec MaxReplicas limitation with large pod policy and events', scaleUpEvents: uniform([1, 5, 9], 120), min: 1, max: 200, up: rules(300, 60, 0, 0, 0), current: 100, desired: 500, expected: 200, reason: 'TooManyReplicas' },
  { name: 'scaleUp with spec MaxReplicas limitation with large percent policy and events', scaleUpEvents: uniform([1, 5, 9], 120), min: 1, max: 200, up: rules(0, 0, 10000, 60, 0), current: 100, desired: 500, expected: 200, reason: 'TooManyReplicas' },
  { name: 'scaleUp with currentReplicas limitation with rate.PeriodSeconds with a lot of recent scale up events', scaleUpEvents: uniform([1, 5, 9], 120), min: 1, max: 1000, up: rules(5, 120, 0, 0, 0), current: 100, desired: 500, expected: 100, reason: 'ScaleUpLimit' },
  { name: 'scaleUp with pod policy and previous scale up events', scaleUpEvents: uniform([1, 5, 9], 120), min: 1, max: 1000, up: rules(150, 120, 0, 0, 0), current: 100, desired: 500, expected: 235, reason: 'ScaleUpLimit' },
  { name: 'scaleUp with percent policy and previous scale up events', scaleUpEvents: uniform([1, 5, 9], 120), min: 1, max: 1000, up: rules(0, 0, 200, 120, 0), current: 100, desired: 500, expected: 255, reason: 'ScaleUpLimit' },
  { name: 'scaleUp with percent policy and previous scale up and down events', scaleUpEvents: uniform([4], 120), scaleDownEvents: uniform([2], 120), min: 1, max: 1000, up: rules(0, 0, 300, 300, 0), current: 6, desired: 24, expected: 16, reason: 'ScaleUpLimit' },
  { name: 'scaleDown with default policy and previous events', scaleDownEvents: uniform([1, 5, 9], 120), min: 1, max: 1000, current: 10, desired: 5, expected: 5, reason: 'DesiredWithinRange' },
  { name: 'scaleDown with spec MinReplicas=nil limitation with large pod policy and previous events', scaleDownEvents: uniform([1, 5, 9], 120), min: 1, max: 1000, down: rules(115, 120, 0, 0, 300), current: 100, desired: 0, expected: 1, reason: 'TooFewReplicas' },
  { name: 'scaleDown with spec MinReplicas limitation with large pod policy and previous events', scaleDownEvents: uniform([1, 5, 9], 120), min: 5, max: 1000, down: rules(130, 120, 0, 0, 300), current: 100, desired: 0, expected: 5, reason: 'TooFewReplicas' },
  { name: 'scaleDown with spec MinReplicas limitation with large percent policy and previous events', scaleDownEvents: uniform([1, 5, 9], 120), min: 5, max: 1000, down: rules(0, 0, 100, 120, 300), current: 100, desired: 2, expected: 5, reason: 'TooFewReplicas' },
  { name: 'scaleDown with pod policy limitation and previous events', scaleDownEvents: uniform([1, 5, 9], 120), min: 1, max: 1000, down: rules(5, 120, 0, 0, 300), current: 100, desired: 2, expected: 100, reason: 'ScaleDownLimit' },
  { name: 'scaleDown with percent policy limitation and previous events', scaleDownEvents: uniform([2, 4, 6], 120), min: 1, max: 1000, down: rules(0, 0, 50, 120, 300), current: 100, desired: 0, expected: 56, reason: 'ScaleDownLimit' },
  { name: 'scaleDown with percent policy and previous scale up and down events', scaleUpEvents: uniform([2], 120), scaleDownEvents: uniform([4], 120), min: 1, max: 1000, down: rules(0, 0, 50, 180, 0), current: 10, desired: 1, expected: 6, reason: 'ScaleDownLimit' },
  { name: 'scaleDown with previous events preventing further scale down', scaleDownEvents: uniform([10, 10, 10], 120), min: 1, max: 1000, down: rules(0, 0, 10, 120, 300), current: 100, desired: 0, expected: 100, reason: 'ScaleDownLimit' },
  { name: 'scaleDown with with previous events still allowing more scale down', scaleDownEvents: uniform([10, 10, 10], 120), min: 1, max: 1000, down: rules(0, 0, 1000, 120, 300), current: 10, desired: 5, expected: 5, reason: 'DesiredWithinRange' },
  { name: "check 'outdated' flag for events for one behavior for up", scaleUpEvents: uniform([8, 12, 9, 11], 120), min: 1, max: 1000, up: rules(1000, 60, 0, 0, 0), current: 100, desired: 200, expected: 200, reason: 'DesiredWithinRange' },
  { name: "check that events were not marked 'outdated' for two different policies in the behavior for up", scaleUpEvents: uniform([8, 12, 9, 11], 120), min: 1, max: 1000, up: rules(1000, 120, 100, 60, 0), current: 100, desired: 200, expected: 200, reason: 'DesiredWithinRange' },
  { name: "check that events were marked 'outdated' for two different policies in the behavior for up", scaleUpEvents: uniform([8, 12, 9, 11], 120), min: 1, max: 1000, up: rules(1000, 30, 100, 60, 0), current: 100, desired: 200, expected: 200, reason: 'DesiredWithinRange' },
  { name: "check 'outdated' flag for events for one behavior for down", scaleDownEvents: uniform([8, 12, 9, 11], 120), min: 1, max: 1000, down: rules(1000, 60, 0, 0, 300), current: 100, desired: 5, expected: 5, reason: 'DesiredWithinRange' },
  { name: "check that events were not marked 'outdated' for two different policies in the behavior for down", scaleDownEvents: uniform([8, 12, 9, 11], 120), min: 1, max: 1000, down: rules(1000, 120, 100, 60, 300), current: 100, desired: 5, expected: 5, reason: 'DesiredWithinRange' },
  { name: "check that events were marked 'outdated' for two different policies in the behavior for down", scaleDownEvents: uniform([8, 12, 9, 11], 120), min: 1, max: 1000, down: rules(1000, 30, 100, 60, 300), current: 100, desired: 5, expected: 5, reason: 'DesiredWithinRange' },
];

describe('convertDesiredReplicasWithBehaviorRate (TestScalingWithRules)', () => {
  for (const row of RATE_ROWS) {
    it(row.name, () => {
      const b = defaultBehavior({ ...(row.up ? { scaleUp: row.up } : {}), ...(row.down ? { scaleDown: row.down } : {}) }, 5 * MIN);
      const h: HpaHistory = { recommendations: [], scaleUpEvents: row.scaleUpEvents ?? [], scaleDownEvents: row.scaleDownEvents ?? [] };
      const p = convertDesiredReplicasWithBehaviorRate(
        h,
        { scaleUpBehavior: b.scaleUp, scaleDownBehavior: b.scaleDown, minReplicas: row.min, maxReplicas: row.max, currentReplicas: row.current, desiredReplicas: row.desired },
        NOW,
      );
      expect([p.replicas, p.reason]).toEqual([row.expected, row.reason]);
    });
  }

  it('Min selects the smallest change (TestCalculateScaleUpLimitWithScalingRules / ...DownLimitWithBehaviors)', () => {
    const r: ScalingRules = { stabilizationWindowSeconds: 300, selectPolicy: 'Min', policies: [{ type: 'Pods', value: 2, periodSeconds: 60 }, { type: 'Percent', value: 50, periodSeconds: 60 }] };
    expect(calculateScaleUpLimitWithScalingRules(1, [], [], r, NOW)).toBe(2);
    expect(calculateScaleDownLimitWithBehaviors(5, [], [], r, NOW)).toBe(3);
  });

  it('Disabled allows no change in that direction', () => {
    const r: ScalingRules = { stabilizationWindowSeconds: 0, selectPolicy: 'Disabled', policies: [{ type: 'Pods', value: 4, periodSeconds: 60 }] };
    expect(calculateScaleUpLimitWithScalingRules(5, [], [], r, NOW)).toBe(5);
    expect(calculateScaleDownLimitWithBehaviors(10, [], [], r, NOW)).toBe(10);
  });

  it("percent rounding: up is rounded up, down truncated (the docs' 80 -> 10 walkthrough: 10% of 72 allows 8)", () => {
    const down: ScalingRules = { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 60 }, { type: 'Percent', value: 10, periodSeconds: 60 }] };
    // 80 -> int32(80 × 0.9) = 72; then from 72: int32(72 × 0.9) = int32(64.8) = 64, a step of 8; at 40 the Pods policy (36) wins.
    expect(calculateScaleDownLimitWithBehaviors(80, [], [], down, NOW)).toBe(72);
    expect(calculateScaleDownLimitWithBehaviors(72, [], [], down, NOW)).toBe(64);
    expect(calculateScaleDownLimitWithBehaviors(40, [], [], down, NOW)).toBe(36);
    const up: ScalingRules = { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 10, periodSeconds: 60 }] };
    expect(calculateScaleUpLimitWithScalingRules(1, [], [], up, NOW)).toBe(2); // ceil(1.1)
    expect(calculateScaleUpLimitWithScalingRules(15, [], [], up, NOW)).toBe(17); // ceil(16.5)
  });
});

describe('storeScaleEvent (TestStoreScaleEvents)', () => {
  const ev = (change: number, agoSeconds: number): TimestampedScaleEvent => ({ replicaChange: change, timestamp: NOW - agoSeconds * 1000, outdated: false });
  const rows: Array<{ name: string; prev: TimestampedScaleEvent[]; next: Array<[number, boolean]>; rules?: Record<string, unknown>; change: number }> = [
    { name: 'empty entries with default behavior', prev: [], next: [], change: 0 },
    { name: 'empty entries with two-policy-behavior', prev: [], next: [[5, false]], rules: rules(10, 60, 100, 60, 0), change: 0 },
    { name: 'one outdated entry to be kept untouched without behavior', prev: [ev(7, 61)], next: [[7, false]], change: 0 },
    { name: 'one outdated entry to be replaced with behavior', prev: [ev(7, 61)], next: [[5, false]], rules: rules(10, 60, 100, 60, 0), change: 0 },
    { name: 'one actual entry to be not touched with behavior', prev: [ev(7, 58)], next: [[7, false], [5, false]], rules: rules(10, 60, 100, 60, 0), change: 7 },
    { name: 'two entries, one of them to be replaced', prev: [ev(7, 61), ev(6, 59)], next: [[5, false], [6, false]], rules: rules(10, 60, 0, 0, 0), change: 6 },
    { name: 'replace one entry, use policies with different periods', prev: [ev(8, 29), ev(6, 59), ev(7, 61), ev(9, 61)], next: [[8, false], [6, false], [7, true], [5, false]], rules: rules(10, 60, 100, 30, 0), change: 14 },
    { name: 'two entries, both actual', prev: [ev(7, 58), ev(6, 59)], next: [[7, false], [6, false], [5, false]], rules: rules(10, 120, 100, 30, 0), change: 13 },
  ];
  for (const row of rows) {
    for (const dir of ['up', 'down'] as const) {
      it(`${row.name} (${dir})`, () => {
        const h = newHistory();
        const events = row.prev.map((e) => ({ ...e }));
        if (dir === 'up') h.scaleUpEvents = events;
        else h.scaleDownEvents = events;
        expect(getReplicasChangePerPeriod(60, events, NOW)).toBe(row.change);
        const behavior = row.rules ? defaultBehavior(dir === 'up' ? { scaleUp: row.rules } : { scaleDown: row.rules }, 5 * MIN) : undefined;
        storeScaleEvent(h, behavior, 10, dir === 'up' ? 15 : 5, NOW);
        const got = dir === 'up' ? h.scaleUpEvents : h.scaleDownEvents;
        expect(got.map((e) => [e.replicaChange, e.outdated])).toEqual(row.next);
      });
    }
  }
});

describe('stabilizeRecommendationWithBehaviors (TestNormalizeDesiredReplicasWithBehavior)', () => {
  const rows: Array<{ name: string; recs: Array<[number, number]>; current: number; desired: number; expected: number; after?: number[]; up?: number; down?: number }> = [
    { name: 'empty recommendations for scaling down', recs: [], current: 100, desired: 5, expected: 5, after: [5] },
    { name: 'simple scale down stabilization', recs: [[4, -2 * MIN], [5, -MIN]], current: 100, desired: 3, expected: 5, after: [4, 5, 3], down: 180 },
    { name: 'simple scale up stabilization', recs: [[4, -2 * MIN], [5, -MIN]], current: 1, desired: 7, expected: 4, after: [4, 5, 7], up: 300 },
    { name: 'no scale down stabilization', recs: [[1, -2 * MIN], [2, -MIN]], current: 100, desired: 3, expected: 3, after: [1, 2, 3], up: 300 },
    { name: 'no scale up stabilization', recs: [[4, -2 * MIN], [5, -MIN]], current: 1, desired: 3, expected: 3, after: [4, 5, 3], down: 300 },
    { name: 'no scale down stabilization, reuse recommendation element', recs: [[10, -10 * MIN], [9, -9 * MIN]], current: 100, desired: 3, expected: 3, after: [10, 3] },
    { name: 'no scale up stabilization, reuse recommendation element', recs: [[10, -10 * MIN], [9, -9 * MIN]], current: 1, desired: 100, expected: 100, after: [10, 100] },
    { name: 'scale down stabilization, reuse one of obsolete recommendation element', recs: [[10, -10 * MIN], [4, -MIN], [5, -2 * MIN], [9, -9 * MIN]], current: 100, desired: 3, expected: 5, after: [10, 4, 5, 3], down: 180 },
    { name: 'scale up stabilization, reuse one of obsolete recommendation element', recs: [[10, -100 * MIN], [6, -MIN], [5, -2 * MIN], [9, -3 * MIN]], current: 1, desired: 100, expected: 5, after: [100, 6, 5, 9], up: 300 },
    { name: 'scale up and down stabilization, do not scale up when prenormalized rec goes down', recs: [[2, -100 * MIN], [3, -3 * MIN]], current: 2, desired: 1, expected: 2, up: 300, down: 300 },
    { name: 'scale up and down stabilization, do not scale down when prenormalized rec goes up', recs: [[2, -100 * MIN], [1, -3 * MIN]], current: 2, desired: 3, expected: 2, up: 300, down: 300 },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const h = newHistory();
      h.recommendations = row.recs.map(([r, dt]) => ({ recommendation: r, timestamp: NOW + dt }));
      const rule = (w: number): ScalingRules => ({ stabilizationWindowSeconds: w, selectPolicy: 'Max', policies: [] });
      const p = stabilizeRecommendationWithBehaviors(h, { scaleUpBehavior: rule(row.up ?? 0), scaleDownBehavior: rule(row.down ?? 0), minReplicas: 1, maxReplicas: 1000, currentReplicas: row.current, desiredReplicas: row.desired }, NOW);
      expect(p.replicas).toBe(row.expected);
      if (row.after) expect(h.recommendations.map((r) => r.recommendation)).toEqual(row.after);
    });
  }
});

describe('behaviour defaults (pkg/apis/autoscaling/v2/defaults.go)', () => {
  it('an empty behavior gets upstream defaults, the scale-down window from the controller flag', () => {
    expect(defaultBehavior({}, 5 * MIN)).toEqual({
      scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] },
      scaleDown: { stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
    });
    expect(defaultBehavior({}, 2 * MIN).scaleDown.stabilizationWindowSeconds).toBe(120);
  });

  it('a partial rule keeps the defaults it does not set; tolerance is read as a quantity', () => {
    const b = defaultBehavior({ scaleDown: { selectPolicy: 'Min', tolerance: '50m' }, scaleUp: { stabilizationWindowSeconds: 60 } }, 5 * MIN);
    expect(b.scaleDown).toEqual({ stabilizationWindowSeconds: 300, selectPolicy: 'Min', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }], tolerance: 0.05 });
    expect(b.scaleUp.stabilizationWindowSeconds).toBe(60);
    expect(b.scaleUp.policies).toHaveLength(2);
  });
});
