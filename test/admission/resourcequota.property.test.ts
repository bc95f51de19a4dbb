/**
 * Properties of ResourceQuota admission with the quota controller running:
 * the usage of admitted, live pods never exceeds hard, nor does status.used;
 * and the same seed gives byte-identical runs.
 */
import { describe, it } from 'vitest';
import fc from 'fast-check';
import { Simulation } from '../../src/sim/simulation.ts';
import { startApiServer } from '../../src/components.ts';
import { createResourceQuotaController } from '../../src/controllers/resourcequota/resourceQuotaController.ts';
import { isApiError } from '../../src/sim/errors.ts';
import { Quantity } from '../../src/api/quantity.ts';
import { MemoryRunLogSink } from '../../src/sim/runLog.ts';
import type { KObject } from '../../src/sim/types.ts';

type Step = { cpu: number; wait: number; del: number | null };

function run(hardPods: number, hardCpuMilli: number, steps: Step[], seed = 1, log?: MemoryRunLogSink): { sim: Simulation; ok: boolean } {
  const sim = Simulation.create({ seed, ...(log ? { log } : {}) });
  startApiServer(sim);
  sim.runtime.register(createResourceQuotaController({ epochMs: sim.epochMs }));
  sim.apply({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q', namespace: 'default' }, spec: { hard: { pods: String(hardPods), 'requests.cpu': `${hardCpuMilli}m` } } });
  sim.runUntil(5);
  let ok = true;
  for (const s of steps) {
    try {
      sim.apply({ apiVersion: 'v1', kind: 'Pod', metadata: { generateName: 'p-', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: `${s.cpu}m` } } }] } } as KObject);
    } catch (e) {
      if (!isApiError(e, 'Forbidden')) throw e;
    }
    if (s.del !== null) {
      const pods = sim.store.list('Pod', 'default');
      const victim = pods[s.del % Math.max(1, pods.length)];
      if (victim) sim.store.delete('Pod', 'default', victim.metadata.name!, { gracePeriodSeconds: 0 });
    }
    sim.runUntil(sim.now + s.wait);
    const pods = sim.store.list('Pod', 'default');
    const cpu = pods.reduce((m, p) => m + Quantity.parse(((p['spec'] as { containers: Array<{ resources: { requests: { cpu: string } } }> }).containers[0]!.resources.requests.cpu)).milliValue(), 0);
    const used = (sim.get('ResourceQuota', 'default', 'q')!['status'] as { used: Record<string, string> }).used;
    if (pods.length > hardPods || cpu > hardCpuMilli) ok = false;
    if (Number(used['pods']) > hardPods || Quantity.parse(used['requests.cpu']!).milliValue() > hardCpuMilli) ok = false;
  }
  return { sim, ok };
}

const steps = fc.array(fc.record({ cpu: fc.integer({ min: 1, max: 900 }), wait: fc.integer({ min: 0, max: 3 }), del: fc.option(fc.nat(10), { nil: null }) }), { minLength: 1, maxLength: 10 });

describe('ResourceQuota properties', () => {
  it('admitted usage never exceeds hard (pods and requests.cpu), including in-flight admissions in one instant', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 2000 }), steps, (pods, cpu, s) => run(pods, cpu, s).ok),
      { numRuns: 200, seed: 11 },
    );
  });

  it('the same seed gives a byte-identical run log', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), steps, (seed, s) => {
        const a = new MemoryRunLogSink();
        const b = new MemoryRunLogSink();
        run(3, 1500, s, seed, a);
        run(3, 1500, s, seed, b);
        return JSON.stringify(a.records) === JSON.stringify(b.records);
      }),
      { numRuns: 200, seed: 5 },
    );
  });
});
