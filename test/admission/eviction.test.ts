/**
 * The Eviction subresource, with cases from upstream's
 * pkg/registry/core/pod/storage/eviction_test.go (TestEviction,
 * TestEvictionIgnorePDB, TestEvictionDryRun, TestEvictionPDBStatus,
 * unhealthyPodEvictionPolicy), and a property: an eviction never takes a
 * budget below its minimum.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { evictPod, EvictionError } from '../../src/admission/eviction.ts';
import { createDisruptionController } from '../../src/controllers/disruption/disruptionController.ts';
import { Simulation } from '../../src/sim/simulation.ts';
import { startApiServer } from '../../src/components.ts';
import { ApiError } from '../../src/sim/errors.ts';
import type { KObject } from '../../src/sim/types.ts';

type PdbStatus = { currentHealthy: number; desiredHealthy: number; disruptionsAllowed: number; expectedPods: number; observedGeneration?: number; disruptedPods?: Record<string, string> };

/** An API server only: budgets' status is set by hand, as the tests' fake clients do. */
function apiServer(): Simulation {
  const sim = Simulation.create({ seed: 1 });
  startApiServer(sim);
  return sim;
}
function addPod(sim: Simulation, name: string, phase: string, ready: boolean, labels: Record<string, string> = { a: 'true' }, extra: Record<string, unknown> = {}): void {
  sim.apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'x' }], ...extra } });
  sim.store.patch('Pod', 'default', name, (d) => void ((d as { status?: unknown }).status = { phase, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] }), { subresource: 'status' });
}
function addPdb(sim: Simulation, name: string, status: PdbStatus, spec: Record<string, unknown> = {}, selector: Record<string, unknown> = { matchLabels: { a: 'true' } }): void {
  sim.apply({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name, namespace: 'default' }, spec: { selector, minAvailable: 1, ...spec } });
  sim.store.patch('PodDisruptionBudget', 'default', name, (d) => void ((d as { status?: unknown }).status = { observedGeneration: 1, ...status }), { subresource: 'status' });
}
function refusal(fn: () => unknown): { reason: string; code: number; message: string; causes?: unknown } {
  try {
    fn();
  } catch (e) {
    if (e instanceof ApiError) return { reason: e.reason, code: e.code, message: e.message, ...(e instanceof EvictionError && e.causes.length ? { causes: e.causes } : {}) };
    throw e;
  }
  throw new Error('expected the eviction to be refused');
}
const pdbStatus = (sim: Simulation, name = 'foo') => sim.get('PodDisruptionBudget', 'default', name)!['status'] as PdbStatus & { conditions?: Array<{ reason: string; status: string }> };
const gone = (sim: Simulation, name: string) => {
  const p = sim.get('Pod', 'default', name);
  return p === undefined || p.metadata.deletionTimestamp !== undefined;
};

describe('Eviction subresource (eviction_test.go)', () => {
  it('TestEviction: matching budget with no disruptions allowed is 429 with the cause', () => {
    const sim = apiServer();
    addPod(sim, 't1', 'Running', true);
    addPdb(sim, 'foo', { currentHealthy: 1, desiredHealthy: 1, disruptionsAllowed: 0, expectedPods: 1 });
    expect(refusal(() => evictPod(sim, 'default', 't1'))).toEqual({
      reason: 'TooManyRequests',
      code: 429,
      message: "Cannot evict pod as it would violate the pod's disruption budget.",
      causes: [{ type: 'DisruptionBudget', message: 'The disruption budget foo needs 1 healthy pods and has 1 currently' }],
    });
    expect(gone(sim, 't1')).toBe(false);
  });

  it('TestEviction: allowed evictions decrement, record disruptedPods, flip the condition at 0, add DisruptionTarget and delete', () => {
    const sim = apiServer();
    addPod(sim, 't2', 'Running', true);
    addPdb(sim, 'foo', { currentHealthy: 2, desiredHealthy: 1, disruptionsAllowed: 1, expectedPods: 2 });
    const seen: unknown[] = [];
    sim.store.watch('Pod', (ev) => {
      if (ev.type === 'MODIFIED') seen.push((ev.object['status'] as { conditions?: unknown[] }).conditions?.find((c) => (c as { type: string }).type === 'DisruptionTarget'));
    });
    expect(evictPod(sim, 'default', 't2')).toEqual({ budget: 'foo' });
    expect(seen[0]).toMatchObject({ type: 'DisruptionTarget', status: 'True', reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting' });
    expect(gone(sim, 't2')).toBe(true);
    expect(pdbStatus(sim)).toMatchObject({ disruptionsAllowed: 0, disruptedPods: { t2: '2025-01-01T00:00:00Z' }, conditions: [{ type: 'DisruptionAllowed', status: 'False', reason: 'InsufficientPods' }] });
  });

  it('TestEviction: non-matching budgets do not apply; an empty selector matches nothing here', () => {
    const sim = apiServer();
    addPod(sim, 't3', 'Running', true);
    addPdb(sim, 'foo', { currentHealthy: 1, desiredHealthy: 1, disruptionsAllowed: 0, expectedPods: 1 }, {}, { matchLabels: { a: 'false' } });
    addPdb(sim, 'all', { currentHealthy: 1, desiredHealthy: 1, disruptionsAllowed: 0, expectedPods: 1 }, {}, {});
    evictPod(sim, 'default', 't3');
    expect(gone(sim, 't3')).toBe(true);
  });

  it.each([
    ['Pending', true],
    ['Succeeded', true],
    ['Failed', true],
  ])('TestEvictionIgnorePDB: a %s pod is deleted without using the budget', (phase) => {
    const sim = apiServer();
    addPod(sim, 'p', phase, false);
    addPdb(sim, 'foo', { currentHealthy: 2, desiredHealthy: 2, disruptionsAllowed: 0, expectedPods: 2 });
    evictPod(sim, 'default', 'p');
    expect(gone(sim, 'p')).toBe(true);
    expect(pdbStatus(sim).disruptionsAllowed).toBe(0);
  });

  it('TestEvictionIgnorePDB: unready pods go without the budget only while the budget is met (IfHealthyBudget), always with AlwaysAllow', () => {
    const sim = apiServer();
    addPod(sim, 'met', 'Running', false);
    addPdb(sim, 'foo', { currentHealthy: 2, desiredHealthy: 2, disruptionsAllowed: 0, expectedPods: 2 });
    evictPod(sim, 'default', 'met');
    expect(gone(sim, 'met')).toBe(true);
    expect(pdbStatus(sim).disruptionsAllowed).toBe(0);

    const sim2 = apiServer();
    addPod(sim2, 'unmet', 'Running', false);
    addPdb(sim2, 'foo', { currentHealthy: 1, desiredHealthy: 2, disruptionsAllowed: 0, expectedPods: 2 });
    expect(refusal(() => evictPod(sim2, 'default', 'unmet')).code).toBe(429);
    const sim3 = apiServer();
    addPod(sim3, 'unmet', 'Running', false);
    addPdb(sim3, 'foo', { currentHealthy: 1, desiredHealthy: 2, disruptionsAllowed: 0, expectedPods: 2 }, { unhealthyPodEvictionPolicy: 'AlwaysAllow' });
    evictPod(sim3, 'default', 'unmet');
    expect(gone(sim3, 'unmet')).toBe(true);
  });

  it('a pod under two budgets is a 500; a budget not yet observed is 429 "still being processed"; a missing pod is NotFound', () => {
    const sim = apiServer();
    addPod(sim, 'p', 'Running', true);
    addPdb(sim, 'one', { currentHealthy: 2, desiredHealthy: 1, disruptionsAllowed: 1, expectedPods: 2 });
    addPdb(sim, 'two', { currentHealthy: 2, desiredHealthy: 1, disruptionsAllowed: 1, expectedPods: 2 });
    expect(refusal(() => evictPod(sim, 'default', 'p'))).toEqual({ reason: 'InternalError', code: 500, message: 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.' });
    expect(refusal(() => evictPod(sim, 'default', 'nope')).message).toBe('pods "nope" not found');

    const sim2 = apiServer();
    addPod(sim2, 'p', 'Running', true);
    addPdb(sim2, 'foo', { currentHealthy: 2, desiredHealthy: 1, disruptionsAllowed: 1, expectedPods: 2, observedGeneration: 0 });
    expect(refusal(() => evictPod(sim2, 'default', 'p')).causes).toEqual([{ type: 'DisruptionBudget', message: 'The disruption budget foo is still being processed by the server.' }]);
  });

  it('TestEvictionDryRun: nothing is written', () => {
    const sim = apiServer();
    addPod(sim, 'p', 'Running', true);
    addPdb(sim, 'foo', { currentHealthy: 2, desiredHealthy: 1, disruptionsAllowed: 1, expectedPods: 2 });
    evictPod(sim, 'default', 'p', { dryRun: true });
    expect(gone(sim, 'p')).toBe(false);
    expect(pdbStatus(sim).disruptionsAllowed).toBe(1);
  });
});

describe('property: an eviction never takes a budget below its minimum', () => {
  it('with the disruption controller keeping status, Ready pods never drop below minAvailable through evictions', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 0, max: 5 }),
        fc.array(fc.record({ pod: fc.nat(5), wait: fc.integer({ min: 0, max: 3 }) }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
        (replicas, minAvailable, steps, readiness) => {
          const sim = apiServer();
          sim.runtime.register(createDisruptionController({ epochMs: sim.epochMs, timestamp: (t) => sim.timestamp(t), lister: (k) => sim.runtime.lister(k) }));
          for (let i = 0; i < replicas; i++) addPod(sim, `p${i}`, 'Running', readiness[i]!);
          sim.apply({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'b', namespace: 'default' }, spec: { minAvailable, selector: { matchLabels: { a: 'true' } } } });
          sim.runUntil(sim.now + 5);
          const healthy = (): number =>
            sim.store.list('Pod', 'default').filter((p: KObject) => !p.metadata.deletionTimestamp && ((p['status'] as { conditions?: Array<{ type: string; status: string }> }).conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True')).length;
          const floor = Math.min(minAvailable, healthy());
          for (const s of steps) {
            try {
              evictPod(sim, 'default', `p${s.pod % replicas}`);
            } catch (e) {
              if (!(e instanceof ApiError)) throw e;
            }
            if (healthy() < floor) return false;
            sim.runUntil(sim.now + s.wait);
          }
          return true;
        },
      ),
      { numRuns: 200, seed: 7 },
    );
  });
});
