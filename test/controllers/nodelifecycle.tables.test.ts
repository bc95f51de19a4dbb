/**
 * Table tests for the node lifecycle controller's pure parts: the per-zone
 * RateLimitedTimedQueue (ported from upstream's
 * pkg/controller/nodelifecycle/scheduler/rate_limited_queue_test.go), the
 * token bucket behind it, ComputeZoneState, GetZoneKey and the zone rates of
 * setLimiterInZone, and the NoSchedule taint set difference.
 */
import { describe, expect, it } from 'vitest';
import {
  NeverRateLimiter,
  RateLimitedTimedQueue,
  TokenBucketRateLimiter,
  type RateLimiter,
  type TimedValue,
} from '../../src/controllers/nodelifecycle/rateLimitedQueue.ts';
import { computeZoneState, getZoneKey, zoneEvictionQPS } from '../../src/controllers/nodelifecycle/zones.ts';
import { conditionTaintKey, desiredNoScheduleTaints, taintSetDiff } from '../../src/controllers/nodelifecycle/nodeLifecycleController.ts';
import { parseNodeLifecycleConfig } from '../../src/controllers/nodelifecycle/config.ts';

/** flowcontrol.NewFakeAlwaysRateLimiter (QPS 1). */
class AlwaysRateLimiter implements RateLimiter {
  readonly qps = 1;
  tryAccept(): boolean {
    return true;
  }
}

function queueOf(...values: string[]): RateLimitedTimedQueue {
  const q = new RateLimitedTimedQueue(new AlwaysRateLimiter());
  values.forEach((v, i) => q.add(v, String(i), i));
  return q;
}

function drain(q: RateLimitedTimedQueue, now = 100): string[] {
  const out: string[] = [];
  q.try(now, (v) => {
    out.push(v.value);
    return [true, 0];
  });
  return out;
}

describe('RateLimitedTimedQueue (upstream rate_limited_queue_test.go)', () => {
  it('TestAddNode: values queue in order, once each', () => {
    const q = queueOf('first', 'second', 'third');
    expect(q.length).toBe(3);
    expect(q.add('second', 'x', 5)).toBe(false);
    expect(drain(q)).toEqual(['first', 'second', 'third']);
  });

  it.each([
    ['first', ['second', 'third']],
    ['second', ['first', 'third']],
    ['third', ['first', 'second']],
  ])('TestDelNode: removing %s leaves %j', (removed, left) => {
    const q = queueOf('first', 'second', 'third');
    expect(q.remove(removed)).toBe(true);
    expect(q.has(removed)).toBe(false);
    expect(drain(q)).toEqual(left);
  });

  it('TestTryOrdering: a failed value is retried at now + wait + 1, after the others', () => {
    const q = queueOf('first', 'second', 'third');
    const order: string[] = [];
    let retried: TimedValue | undefined;
    q.try(10, (v) => {
      if (v.value === 'second' && !retried) {
        retried = v;
        return [false, 2];
      }
      order.push(v.value);
      return [true, 0];
    });
    expect(order).toEqual(['first', 'third']);
    expect(q.length).toBe(1);
    // Not due before 10 + 2 + 1.
    q.try(12, (v) => {
      order.push(v.value);
      return [true, 0];
    });
    expect(order).toEqual(['first', 'third']);
    q.try(13, (v) => {
      order.push(v.value);
      return [true, 0];
    });
    expect(order).toEqual(['first', 'third', 'second']);
  });

  it('TestAddAfterTry: a processed value stays in the set until removed', () => {
    const q = queueOf('first', 'second', 'third');
    q.remove('second');
    expect(drain(q)).toEqual(['first', 'third']);
    expect(q.add('first', '1', 200)).toBe(false);
    expect(drain(q, 300)).toEqual([]);
    q.remove('first');
    expect(q.add('first', '1', 300)).toBe(true);
    expect(drain(q, 300)).toEqual(['first']);
  });

  it('TestSwapLimiter: 0 stops everything, another qps makes a token bucket of that qps', () => {
    const q = new RateLimitedTimedQueue(new AlwaysRateLimiter());
    expect(q.qps).toBe(1);
    q.swapLimiter(0, 0);
    expect(q.qps).toBe(0);
    q.add('a', 'a', 0);
    expect(drain(q, 1000)).toEqual([]);
    q.swapLimiter(5.5, 1000);
    expect(q.qps).toBe(5.5);
    // The never limiter counts as an empty bucket, so the new one starts drained: one token after 1/5.5 s.
    expect(drain(q, 1000)).toEqual([]);
    expect(drain(q, 1182)).toEqual(['a']);
  });
});

describe('token bucket (flowcontrol.NewTokenBucketRateLimiter, burst 1)', () => {
  it.each([
    // qps, times asked, accepted
    [0.1, [0, 1, 9_999, 10_000, 15_000, 20_000], [true, false, false, true, false, true]],
    [0.01, [0, 50_000, 100_000], [true, false, true]],
    [1, [0, 500, 1000, 1000], [true, false, true, false]],
  ])('qps %s at %j accepts %j', (qps, times, accepted) => {
    const b = new TokenBucketRateLimiter(qps, 1);
    expect(times.map((t) => b.tryAccept(t))).toEqual(accepted);
  });

  it('the never limiter accepts nothing', () => {
    expect(new NeverRateLimiter().tryAccept()).toBe(false);
  });

  it('nodeEvictionRate 0.1 taints one node per 10 s; swapping a drained bucket keeps it drained', () => {
    const q = new RateLimitedTimedQueue(new TokenBucketRateLimiter(0.1, 1));
    for (const n of ['a', 'b', 'c']) q.add(n, n, 0);
    const done: Array<[string, number]> = [];
    for (let t = 0; t <= 25_000; t += 100) {
      q.try(t, (v) => {
        done.push([v.value, t]);
        return [true, 0];
      });
    }
    expect(done).toEqual([
      ['a', 0],
      ['b', 10_000],
      ['c', 20_000],
    ]);
    const q2 = new RateLimitedTimedQueue(new TokenBucketRateLimiter(0.1, 1));
    q2.add('x', 'x', 0);
    q2.add('y', 'y', 0);
    expect(drain(q2, 0)).toEqual(['x']);
    q2.swapLimiter(1, 0); // old bucket empty: the new one starts empty
    expect(drain(q2, 0)).toEqual([]);
    expect(drain(q2, 1000)).toEqual(['y']);
  });
});

describe('ComputeZoneState', () => {
  const c = (s: string) => ({ status: s });
  it.each([
    ['all ready', [c('True'), c('True'), c('True')], 0, 'Normal'],
    ['no ready node', [c('False'), c('Unknown')], 2, 'FullDisruption'],
    ['a node without Ready counts as not ready', [undefined, c('Unknown')], 2, 'FullDisruption'],
    ['two of three down: not more than 2 unhealthy', [c('False'), c('Unknown'), c('True')], 2, 'Normal'],
    ['3 of 5 down (60% >= 55%)', [c('False'), c('False'), c('Unknown'), c('True'), c('True')], 3, 'PartialDisruption'],
    ['3 of 6 down (50% < 55%)', [c('False'), c('False'), c('False'), c('True'), c('True'), c('True')], 3, 'Normal'],
    ['11 of 20 down (exactly 55%)', [...Array(11).fill(c('Unknown')), ...Array(9).fill(c('True'))], 11, 'PartialDisruption'],
    ['empty zone', [], 0, 'Normal'],
  ])('%s', (_name, conds, notReady, state) => {
    expect(computeZoneState(conds as Array<{ status: string } | undefined>, 0.55)).toEqual({ notReady, state });
  });

  it.each([
    ['Normal', 10, 0.1],
    ['Normal', 100, 0.1],
    ['PartialDisruption', 50, 0],
    ['PartialDisruption', 51, 0.01],
    ['FullDisruption', 3, 0.1],
    ['Initial', 3, undefined],
  ] as const)('zone %s of %i nodes evicts at %s nodes/s', (state, size, qps) => {
    expect(zoneEvictionQPS(state, size, { nodeEvictionRate: 0.1, secondaryNodeEvictionRate: 0.01, largeClusterSizeThreshold: 50 })).toBe(qps);
  });

  it.each([
    [{}, ''],
    [{ 'topology.kubernetes.io/zone': 'a' }, ':\x00:a'],
    [{ 'topology.kubernetes.io/zone': 'a', 'topology.kubernetes.io/region': 'r' }, 'r:\x00:a'],
    [{ 'failure-domain.beta.kubernetes.io/zone': 'b', 'topology.kubernetes.io/zone': 'a' }, ':\x00:b'],
  ])('GetZoneKey(%j) = %j', (labels, key) => {
    expect(getZoneKey({ metadata: { labels } })).toBe(key);
  });
});

describe('TaintNodesByCondition', () => {
  it.each([
    ['Ready False', [{ type: 'Ready', status: 'False' }], false, ['node.kubernetes.io/not-ready']],
    ['Ready Unknown', [{ type: 'Ready', status: 'Unknown' }], false, ['node.kubernetes.io/unreachable']],
    ['pressure conditions in condition order', [{ type: 'PIDPressure', status: 'True' }, { type: 'MemoryPressure', status: 'True' }, { type: 'DiskPressure', status: 'False' }], false, ['node.kubernetes.io/pid-pressure', 'node.kubernetes.io/memory-pressure']],
    ['network unavailable and cordoned', [{ type: 'NetworkUnavailable', status: 'True' }], true, ['node.kubernetes.io/network-unavailable', 'node.kubernetes.io/unschedulable']],
    ['healthy', [{ type: 'Ready', status: 'True' }], false, []],
  ])('%s', (_n, conditions, unschedulable, keys) => {
    const taints = desiredNoScheduleTaints({ spec: { unschedulable }, status: { conditions: conditions as never } });
    expect(taints.map((t) => t.key)).toEqual(keys);
    expect(taints.every((t) => t.effect === 'NoSchedule')).toBe(true);
  });

  it('maps only the five condition types, and no type or status named like an Object member (as the Go map)', () => {
    const conditions = [
      { type: 'constructor', status: 'name' },
      { type: '__proto__', status: 'toString' },
      { type: 'Ready', status: 'hasOwnProperty' },
      { type: 'toString', status: 'True' },
      { type: 'MemoryPressure', status: 'Unknown' },
      { type: 'Ready', status: 'True' },
    ];
    expect(desiredNoScheduleTaints({ status: { conditions: conditions as never } })).toEqual([]);
    const table: Array<[string, string, string | undefined]> = [
      ['Ready', 'False', 'node.kubernetes.io/not-ready'],
      ['Ready', 'Unknown', 'node.kubernetes.io/unreachable'],
      ['Ready', 'True', undefined],
      ['MemoryPressure', 'True', 'node.kubernetes.io/memory-pressure'],
      ['DiskPressure', 'True', 'node.kubernetes.io/disk-pressure'],
      ['NetworkUnavailable', 'True', 'node.kubernetes.io/network-unavailable'],
      ['PIDPressure', 'True', 'node.kubernetes.io/pid-pressure'],
      ['PIDPressure', 'False', undefined],
      ['Other', 'True', undefined],
    ];
    for (const [type, status, key] of table) expect(conditionTaintKey(type, status)).toBe(key);
  });

  it('TaintSetDiff compares key and effect only', () => {
    const { add, remove } = taintSetDiff(
      [{ key: 'a', effect: 'NoSchedule' }, { key: 'b', effect: 'NoSchedule' }],
      [{ key: 'b', effect: 'NoSchedule', timeAdded: 'x' }, { key: 'c', effect: 'NoSchedule' }],
    );
    expect(add).toEqual([{ key: 'a', effect: 'NoSchedule' }]);
    expect(remove).toEqual([{ key: 'c', effect: 'NoSchedule' }]);
  });
});

describe('spec.config.controllers.nodeLifecycle', () => {
  it('defaults to the newest upstream values', () => {
    expect(parseNodeLifecycleConfig(undefined).config).toEqual({
      nodeMonitorPeriod: 5000,
      nodeMonitorGracePeriod: 50_000,
      nodeStartupGracePeriod: 60_000,
      nodeEvictionRate: 0.1,
      secondaryNodeEvictionRate: 0.01,
      largeClusterSizeThreshold: 50,
      unhealthyZoneThreshold: 0.55,
    });
  });

  it('reads flags in camelCase and names every bad field', () => {
    const { config, errors } = parseNodeLifecycleConfig({ nodeMonitorGracePeriod: '40s', nodeEvictionRate: 0.5, podEvictionTimeout: '5m', unhealthyZoneThreshold: 2, nodeMonitorPeriod: 'soon' });
    expect(config.nodeMonitorGracePeriod).toBe(40_000);
    expect(config.nodeEvictionRate).toBe(0.5);
    expect(errors.map((e) => e.path)).toEqual([
      'spec.config.controllers.nodeLifecycle.nodeMonitorPeriod',
      'spec.config.controllers.nodeLifecycle.podEvictionTimeout',
      'spec.config.controllers.nodeLifecycle.unhealthyZoneThreshold',
    ]);
  });
});

describe('controller settings reach the cluster', () => {
  it('startComponents refuses bad nodeLifecycle and podGC settings with every field named', async () => {
    const { Simulation } = await import('../../src/sim/simulation.ts');
    const { startComponents } = await import('../../src/components.ts');
    const { FieldErrorList } = await import('../../src/api/errors.ts');
    const sim = Simulation.create({ seed: 1 });
    let err: unknown;
    try {
      startComponents(sim, { controllers: { nodeLifecycle: { nodeMonitorGracePeriod: 'forty' }, podGC: { terminatedPodGCThreshold: -1, ttl: 3 } } });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FieldErrorList);
    expect((err as InstanceType<typeof FieldErrorList>).errors.map((e) => e.path)).toEqual([
      'spec.config.controllers.nodeLifecycle.nodeMonitorGracePeriod',
      'spec.config.controllers.podGC.terminatedPodGCThreshold',
      'spec.config.controllers.podGC.ttl',
    ]);
  });
});

describe('scenario loader', () => {
  it('reports bad node health settings with file, line and column before anything runs', async () => {
    const { loadScenarioFromText } = await import('../../src/scenario/load.ts');
    const { ScenarioError } = await import('../../src/scenario/problems.ts');
    const text = [
      'apiVersion: ksim.dev/v1alpha1',
      'kind: Scenario',
      'metadata: {name: bad}',
      'spec:',
      '  config:',
      '    controllers:',
      '      nodeLifecycle: {nodeEvictionRate: fast}',
      '  nodes: [{count: 1, capacity: {cpu: "1", memory: 1Gi}}]',
      '',
    ].join('\n');
    let err: unknown;
    try {
      loadScenarioFromText([{ file: 'bad.yaml', text }]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ScenarioError);
    const p = (err as InstanceType<typeof ScenarioError>).problems;
    expect(p.map((x) => [x.file, x.line, x.path, x.message])).toEqual([['bad.yaml', 7, 'spec.config.controllers.nodeLifecycle.nodeEvictionRate', 'Invalid value: "fast": must be a non-negative number']]);
  });
});
