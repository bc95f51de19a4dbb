/**
 * Upstream's replica_calculator_test.go tables (v1.35), ported as data. The
 * harness is upstream's: pods "test-pod-N" with two containers, each
 * requesting the pod's request; metric levels per container; tolerance 0.1,
 * cpu initialization period 2m, initial readiness delay 10s; pods start at
 * Go's zero time unless "hot" (1 minute ago) or "cool" (3 minutes ago); the
 * metric timestamp is the zero time with a 1 minute window.
 * Rows marked `derived` are not in upstream's file: their expectations were
 * worked out by hand from upstream's rules (comments show the arithmetic).
 */
import { describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1';
import {
  GetExternalMetricReplicas,
  GetExternalPerPodMetricReplicas,
  GetMetricReplicas,
  GetObjectMetricReplicas,
  GetObjectPerPodMetricReplicas,
  GetResourceReplicas,
  GetRawResourceReplicas,
  GO_ZERO_TIME,
  MetricCalculationError,
  isWithin,
  type PodMetricsInfo,
} from '../../../src/controllers/podautoscaler/replicaCalculator.ts';
import { formatRFC3339 } from '../../../src/sim/time.ts';

const NOW = 1_735_689_600_000; // 2025-01-01T00:00:00Z
const HOT = NOW - 60_000;
const COOL = NOW - 3 * 60_000;
const READINESS = { cpuInitializationPeriod: 2 * 60_000, delayOfInitialReadinessStatus: 10_000 };
const TOL = { scaleUp: 0.1, scaleDown: 0.1 };

type Readiness = 'True' | 'False';
interface PodOpts {
  readiness?: Readiness[];
  startTime?: number[];
  phase?: string[];
  deleted?: boolean[];
  /** Per-pod request (both containers), e.g. "1.0". */
  requests?: string[];
}

function pods(n: number, o: PodOpts, resource = 'cpu'): Pod[] {
  const out: Pod[] = [];
  for (let i = 0; i < n; i++) {
    const req = o.requests?.[i];
    const resources = req !== undefined ? { requests: { [resource]: req } } : {};
    out.push({
      metadata: { name: `test-pod-${i}`, namespace: 'test-namespace', labels: { name: 'test-pod' }, ...(o.deleted?.[i] ? { deletionTimestamp: formatRFC3339(NOW) } : {}) },
      spec: { containers: [{ name: 'container1', resources }, { name: 'container2', resources }] },
      status: {
        phase: o.phase?.[i] ?? 'Running',
        startTime: formatRFC3339(o.startTime?.[i] ?? GO_ZERO_TIME),
        conditions: [{ type: 'Ready', status: o.readiness?.[i] ?? 'True' }],
      },
    } as Pod);
  }
  return out;
}

/** Sum of container levels (or one container's) as PodMetricsInfo, upstream's fake metrics client. */
function resourceMetrics(levels: number[][], container = '', podNames?: string[]): PodMetricsInfo {
  const m: PodMetricsInfo = new Map();
  levels.forEach((l, i) => {
    const name = podNames?.[i] ?? `test-pod-${i}`;
    let v: number | undefined;
    if (container === '') v = l.reduce((a, b) => a + b, 0);
    else {
      const idx = Number(container.replace('container', '')) - 1;
      v = l[idx];
    }
    if (v !== undefined) m.set(name, { value: v, timestamp: GO_ZERO_TIME, window: 60_000 });
  });
  return m;
}

const both = (...v: number[]): number[][] => v.map((x) => [x, x]);

interface ResourceRow {
  name: string;
  derived?: true;
  current: number;
  expected?: number;
  error?: string;
  pods: PodOpts;
  /** Number of pods listed (default: current, or the phase list's length). */
  podCount?: number;
  levels: number[][];
  podNames?: string[];
  container?: string;
  /** Metrics summed over the pod even though a container is named (to reach the requests check). */
  metricsOfPod?: true;
  target: number;
  utilization?: number;
  value?: number;
}

const one = (n: number): string[] => Array(n).fill('1.0');

const RESOURCE_ROWS: ResourceRow[] = [
  { name: 'DisjointResourcesMetrics', current: 1, error: 'no metrics returned matched known pods', pods: { requests: ['1.0'] }, levels: both(100), podNames: ['an-older-pod-name'], target: 100 },
  { name: 'ScaleUp', current: 3, expected: 5, pods: { requests: one(3) }, levels: both(300, 500, 700), target: 30, utilization: 50, value: 1000 },
  { name: 'ContainerScaleUp', current: 3, expected: 5, pods: { requests: one(3) }, levels: [[1000, 300], [1000, 500], [1000, 700]], container: 'container2', target: 30, utilization: 50, value: 500 },
  { name: 'ScaleUpUnreadyLessScale', current: 3, expected: 4, pods: { requests: one(3), readiness: ['False', 'True', 'True'] }, levels: both(300, 500, 700), target: 30, utilization: 60, value: 1200 },
  { name: 'ScaleUpContainerHotCpuLessScale', current: 3, expected: 4, pods: { requests: one(3), startTime: [HOT, COOL, COOL] }, levels: [[0, 300], [0, 500], [0, 700]], container: 'container2', target: 30, utilization: 60, value: 600 },
  { name: 'ScaleUpHotCpuLessScale', current: 3, expected: 4, pods: { requests: one(3), startTime: [HOT, COOL, COOL] }, levels: both(300, 500, 700), target: 30, utilization: 60, value: 1200 },
  { name: 'ScaleUpUnreadyNoScale', current: 3, expected: 3, pods: { requests: one(3), readiness: ['True', 'False', 'False'] }, levels: both(400, 500, 700), target: 30, utilization: 40, value: 800 },
  { name: 'ScaleHotCpuNoScale', current: 3, expected: 3, pods: { requests: one(3), readiness: ['True', 'False', 'False'], startTime: [COOL, HOT, HOT] }, levels: both(400, 500, 700), target: 30, utilization: 40, value: 800 },
  {
    name: 'ScaleUpIgnoresFailedPods',
    current: 2,
    expected: 4,
    pods: { requests: one(4), readiness: ['True', 'True', 'False', 'False'], phase: ['Running', 'Running', 'Failed', 'Failed'] },
    podCount: 4,
    levels: both(500, 700),
    target: 30,
    utilization: 60,
    value: 1200,
  },
  {
    name: 'MissingContainerMetricScaleUpIgnoresFailedPods',
    current: 2,
    expected: 4,
    pods: { requests: one(4), readiness: ['True', 'True', 'False', 'False'], phase: ['Running', 'Running', 'Failed', 'Failed'] },
    podCount: 4,
    levels: [[1000, 500], [9000, 700], [1000], [9000]],
    container: 'container2',
    target: 30,
    utilization: 60,
    value: 600,
  },
  {
    name: 'ScaleUpIgnoresDeletionPods',
    current: 2,
    expected: 4,
    pods: { requests: one(4), readiness: ['True', 'True', 'False', 'False'], deleted: [false, false, true, true] },
    podCount: 4,
    levels: both(500, 700),
    target: 30,
    utilization: 60,
    value: 1200,
  },
  { name: 'ScaleDown', current: 5, expected: 3, pods: { requests: one(5) }, levels: both(100, 300, 500, 250, 250), target: 50, utilization: 28, value: 560 },
  { name: 'ContainerScaleDown', current: 5, expected: 3, pods: { requests: one(5) }, levels: [[1000, 100], [1000, 300], [1000, 500], [1000, 250], [1000, 250]], container: 'container2', target: 50, utilization: 28, value: 280 },
  // Missing metrics on a scale-down count as 100% of request: (510 + 1000) / 4000 = 37% -> ceil(0.74 * 4) = 3.
  { name: 'MissingMetricsScaleDown', current: 4, expected: 3, pods: { requests: one(4) }, levels: both(400, 95, 15), target: 50, utilization: 17, value: 340 },
  // derived: ratio exactly 1.0 with a missing pod: neither direction, recomputation lands in tolerance.
  { name: 'MissingMetricsNoChangeEq', derived: true, current: 2, expected: 2, pods: { requests: one(2) }, levels: both(1000), target: 100, utilization: 100, value: 2000 },
  // derived: 3600m of 4000m = 90% against 30% (ratio 3); the missing pod at 0%: 3600/6000 = 60% -> ceil(2.0 × 3) = 6.
  { name: 'MissingMetricsScaleUp', derived: true, current: 3, expected: 6, pods: { requests: one(3) }, levels: both(900, 900), target: 30, utilization: 90, value: 1800 },
  // derived: a target above 100% counts missing pods at the target on a scale-down (fallback max(100, target)):
  // 2000m of 4000m = 50% against 200%; the missing pod at 200% of 2000m: 6000/6000 = 100% -> ceil(0.5 × 3) = 2 (1 with a 100% fallback).
  { name: 'MissingMetricsScaleDownHighTarget', derived: true, current: 3, expected: 2, pods: { requests: one(3) }, levels: both(500, 500), target: 200, utilization: 50, value: 1000 },
  { name: 'ToleranceNoScale', derived: true, current: 3, expected: 3, pods: { requests: one(3) }, levels: both(1050, 1075, 1025), target: 100, utilization: 105, value: 2100 },
  { name: 'MissingRequest', current: 3, error: 'missing request for cpu in container container1 of Pod test-pod-0', pods: {}, levels: both(100, 100, 100), target: 50 },
  { name: 'NoMetricsForReadyPods', current: 3, error: 'did not receive metrics for targeted pods (pods might be unready)', pods: { requests: one(3), readiness: ['False', 'False', 'False'] }, levels: both(100, 100, 100), target: 50 },
  { name: 'ContainerNotFound', current: 1, error: 'container container3 not found in Pod test-pod-0', pods: { requests: one(1) }, levels: [[100, 100]], container: 'container3', metricsOfPod: true, target: 50 },
];

describe('GetResourceReplicas (replica_calculator_test.go)', () => {
  for (const row of RESOURCE_ROWS) {
    it(`${row.name}${row.derived ? ' (derived)' : ''}`, () => {
      const n = row.podCount ?? row.current;
      const input = {
        currentReplicas: row.current,
        targetUtilization: row.target,
        resource: 'cpu',
        tolerances: TOL,
        pods: pods(n, row.pods),
        metrics: resourceMetrics(row.levels, row.metricsOfPod ? '' : (row.container ?? ''), row.podNames),
        readiness: READINESS,
        now: NOW,
        ...(row.container ? { container: row.container } : {}),
      };
      if (row.error) {
        expect(() => GetResourceReplicas(input)).toThrow(MetricCalculationError);
        expect(() => GetResourceReplicas(input)).toThrow(row.error);
        return;
      }
      const r = GetResourceReplicas(input);
      expect(r.replicaCount).toBe(row.expected);
      expect(r.utilization).toBe(row.utilization);
      expect(r.rawUtilization).toBe(row.value);
    });
  }
});

interface MetricRow {
  name: string;
  type: 'pods' | 'object' | 'objectPerPod' | 'external' | 'externalPerPod';
  current: number;
  expected: number;
  levels: number[];
  target: number;
  usage: number;
  readiness?: Readiness[];
  startTime?: number[];
}

const METRIC_ROWS: MetricRow[] = [
  { name: 'ScaleUpCM', type: 'pods', current: 3, expected: 4, levels: [20000, 10000, 30000], target: 15000, usage: 20000 },
  { name: 'ScaleUpCMUnreadyHotCpuNoLessScale', type: 'pods', current: 3, expected: 6, levels: [50000, 10000, 30000], target: 15000, usage: 30000, readiness: ['True', 'True', 'False'], startTime: [COOL, COOL, HOT] },
  { name: 'ScaleUpCMUnreadyHotCpuScaleWouldScaleDown', type: 'pods', current: 3, expected: 7, levels: [50000, 15000, 30000], target: 15000, usage: 31666, readiness: ['False', 'True', 'False'], startTime: [HOT, COOL, HOT] },
  { name: 'ScaleUpCMObject', type: 'object', current: 3, expected: 4, levels: [20000], target: 15000, usage: 20000 },
  { name: 'ScaleUpCMPerPodObject', type: 'objectPerPod', current: 3, expected: 4, levels: [20000], target: 5000, usage: 6667 },
  { name: 'ScaleUpCMObjectIgnoresUnreadyPods', type: 'object', current: 3, expected: 5, levels: [50000], target: 10000, usage: 50000, readiness: ['False', 'True', 'False'] },
  { name: 'ScaleUpCMExternal', type: 'pods', current: 1, expected: 2, levels: [8600], target: 4400, usage: 8600 },
  { name: 'ScaleUpCMExternalIgnoresUnreadyPods', type: 'external', current: 3, expected: 2, levels: [8600], target: 4400, usage: 8600, readiness: ['False', 'True', 'False'] },
  { name: 'ScaleUpPerPodCMExternal', type: 'externalPerPod', current: 3, expected: 4, levels: [8600], target: 2150, usage: 2867 },
  { name: 'ScaleDownCM', type: 'pods', current: 5, expected: 3, levels: [12000, 12000, 12000, 12000, 12000], target: 20000, usage: 12000 },
  { name: 'ScaleDownPerPodCMObject', type: 'objectPerPod', current: 5, expected: 3, levels: [6000], target: 2000, usage: 1200 },
  { name: 'ScaleDownCMObject', type: 'object', current: 5, expected: 3, levels: [12000], target: 20000, usage: 12000 },
  { name: 'ScaleDownCMExternal', type: 'external', current: 5, expected: 3, levels: [8600], target: 14334, usage: 8600 },
];

describe('GetMetricReplicas / Object / External (replica_calculator_test.go)', () => {
  for (const row of METRIC_ROWS) {
    it(row.name, () => {
      const ps = pods(row.current, { ...(row.readiness ? { readiness: row.readiness } : {}), ...(row.startTime ? { startTime: row.startTime } : {}) });
      let r: { replicaCount: number; usage: number };
      switch (row.type) {
        case 'pods': {
          const metrics: PodMetricsInfo = new Map(row.levels.map((v, i) => [`test-pod-${i}`, { value: v, timestamp: GO_ZERO_TIME, window: 60_000 }]));
          r = GetMetricReplicas({ currentReplicas: row.current, targetUsage: row.target, tolerances: TOL, pods: ps, metrics, readiness: READINESS, now: NOW });
          break;
        }
        case 'object':
          r = GetObjectMetricReplicas({ currentReplicas: row.current, targetUsage: row.target, usage: row.levels[0]!, tolerances: TOL, pods: ps });
          break;
        case 'objectPerPod':
          r = GetObjectPerPodMetricReplicas({ statusReplicas: row.current, targetAverageUsage: row.target, usage: row.levels[0]!, tolerances: TOL });
          break;
        case 'external':
          r = GetExternalMetricReplicas({ currentReplicas: row.current, targetUsage: row.target, values: row.levels, tolerances: TOL, pods: ps });
          break;
        case 'externalPerPod':
          r = GetExternalPerPodMetricReplicas({ statusReplicas: row.current, targetUsagePerPod: row.target, values: row.levels, tolerances: TOL });
          break;
      }
      expect(r.replicaCount).toBe(row.expected);
      expect(r.usage).toBe(row.usage);
    });
  }

  it('AverageValue of a resource (GetRawResourceReplicas) averages milli-values', () => {
    // (1000 + 1400 + 2000) / 3 = 1466m against 1000m: ceil(1.466 × 3) = 5
    const r = GetRawResourceReplicas({ currentReplicas: 3, targetUsage: 1000, resource: 'memory', tolerances: TOL, pods: pods(3, {}), metrics: resourceMetrics([[500, 500], [700, 700], [1000, 1000]]), readiness: READINESS, now: NOW });
    expect(r).toEqual({ replicaCount: 5, usage: 1466 });
  });

  it('scales from zero on an external metric: ceil(ratio) without ready pods', () => {
    expect(GetExternalMetricReplicas({ currentReplicas: 0, targetUsage: 4400, values: [8600], tolerances: TOL, pods: [] }).replicaCount).toBe(2);
  });
});

describe('Tolerances (HPAConfigurableTolerance)', () => {
  it('isWithin uses the per-direction bounds', () => {
    const t = { scaleUp: 0.05, scaleDown: 0.2 };
    expect(isWithin(t, 1.05)).toBe(true);
    expect(isWithin(t, 1.06)).toBe(false);
    expect(isWithin(t, 0.8)).toBe(true);
    expect(isWithin(t, 0.79)).toBe(false);
  });

  it('a small scale-up tolerance lets 5% over target scale up that the default would not', () => {
    const base = { currentReplicas: 10, targetUtilization: 100, resource: 'cpu', pods: pods(10, { requests: one(10) }), metrics: resourceMetrics(both(...Array(10).fill(1060))), readiness: READINESS, now: NOW };
    expect(GetResourceReplicas({ ...base, tolerances: TOL }).replicaCount).toBe(10);
    expect(GetResourceReplicas({ ...base, tolerances: { scaleUp: 0.01, scaleDown: 0.1 } }).replicaCount).toBe(11);
  });
});
