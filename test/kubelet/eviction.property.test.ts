/**
 * Properties of node-pressure eviction on small random nodes (>= 200 runs each):
 *  - a Guaranteed pod using less than its requests is never evicted for
 *    another pod's usage while BestEffort pods remain;
 *  - whenever a housekeeping round sees a hard threshold crossed while an
 *    evictable pod runs, a pod is evicted within one housekeeping interval
 *    plus the eviction grace period.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { boundPod, cluster, kubeletsOnly, node } from './helpers.ts';
import { endpointsOf } from '../../src/sim/endpoints.ts';
import type { ResourceMetrics } from '../../src/kubelet/stats.ts';

const Mi = 2 ** 20;
const MIN = 60_000;

type Usage = { kind: 'constant'; mi: number } | { kind: 'leak'; startMi: number; rateMi: number };
const usageArb: fc.Arbitrary<Usage> = fc.oneof(
  fc.record({ kind: fc.constant('constant' as const), mi: fc.integer({ min: 1, max: 900 }) }),
  fc.record({ kind: fc.constant('leak' as const), startMi: fc.integer({ min: 1, max: 300 }), rateMi: fc.integer({ min: 10, max: 300 }) }),
);
const model = (u: Usage) => (u.kind === 'constant' ? `${u.mi}Mi` : { type: 'leak', start: `${u.startMi}Mi`, rate: `${u.rateMi}Mi`, per: '1m' });

describe('eviction properties', () => {
  it('a Guaranteed pod under its requests outlives every BestEffort pod', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1024, max: 2048 }),
        fc.integer({ min: 64, max: 512 }),
        fc.array(usageArb, { minLength: 1, maxLength: 2 }),
        fc.boolean(),
        (nodeMi, guaranteedMi, bestEffort, guaranteedFirst) => {
          const load = [
            { namespace: 'default', selector: { matchLabels: { app: 'g' } }, memory: `${guaranteedMi - 1}Mi` },
            ...bestEffort.map((u, i) => ({ namespace: 'default', selector: { matchLabels: { app: `be-${i}` } }, memory: model(u) })),
          ];
          const sim = kubeletsOnly(load);
          sim.apply(node('n1', { cpu: '8', memory: `${nodeMi}Mi`, pods: '110' }));
          const g = boundPod('g', 'n1', { requests: { cpu: '100m', memory: `${guaranteedMi}Mi` }, limits: { cpu: '100m', memory: `${guaranteedMi}Mi` } });
          const bes = bestEffort.map((_u, i) => boundPod(`be-${i}`, 'n1'));
          for (const p of guaranteedFirst ? [g, ...bes] : [...bes, g]) sim.apply(p);
          sim.runUntil(5 * MIN);
          const evicted = sim.events().filter((e) => e.reason === 'Evicted' && e.source.component === 'kubelet' && e.involvedObject.kind === 'Pod');
          const gEvicted = evicted.find((e) => e.involvedObject.name === 'g');
          if (!gEvicted) return true;
          // Every BestEffort pod was gone (evicted earlier) when the Guaranteed one was evicted.
          return bestEffort.every((_u, i) => evicted.some((e) => e.involvedObject.name === `be-${i}` && e.firstTimestamp <= gEvicted.firstTimestamp));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a hard threshold seen with an evictable pod running leads to an eviction within one interval plus grace', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1024, max: 2048 }), fc.array(usageArb, { minLength: 1, maxLength: 4 }), (nodeMi, usages) => {
        const load = usages.map((u, i) => ({ namespace: 'default', selector: { matchLabels: { app: `p-${i}` } }, memory: model(u) }));
        const sim = kubeletsOnly(load);
        sim.apply(node('n1', { cpu: '8', memory: `${nodeMi}Mi`, pods: '110' }));
        usages.forEach((_u, i) => sim.apply(boundPod(`p-${i}`, 'n1', { requests: { cpu: '10m' } })));
        const crossings: number[] = [];
        for (let t = 10_000; t <= 4 * MIN; t += 10_000) {
          sim.runUntil(t);
          const m = endpointsOf(sim).get<ResourceMetrics>('kubelet/n1/metrics/resource');
          if (!m || m.time !== t || m.pods.length === 0) continue;
          const available = nodeMi * Mi - m.node.memory;
          if (available < 100 * Mi) crossings.push(t);
        }
        sim.runUntil(4 * MIN + 30_000);
        const evictions = sim.events().filter((e) => e.reason === 'Evicted' && e.involvedObject.kind === 'Pod').map((e) => e.firstTimestamp);
        const kills = sim.events().filter((e) => e.reason === 'SystemOOM').map((e) => e.firstTimestamp);
        // Interval (10 s) plus the hard eviction grace (1 s).
        return crossings.every((t) => evictions.some((e) => e >= t && e <= t + 11_000) || kills.some((k) => k === t));
      }),
      { numRuns: 200 },
    );
  });
});

it('sanity: the properties see evictions at all', () => {
  const sim = cluster([{ namespace: 'default', selector: { matchLabels: { app: 'p-0' } }, memory: '1000Mi' }]);
  sim.apply(node('n1', { cpu: '8', memory: '1024Mi', pods: '110' }));
  sim.apply(boundPod('p-0', 'n1'));
  sim.runUntil(MIN);
  expect(sim.events().some((e) => e.reason === 'Evicted')).toBe(true);
});
