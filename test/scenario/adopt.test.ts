/**
 * `ksim run` and `ksim validate` hand the loaded objects over to the store
 * (WriteOptions.adopt: admitted in place, not copied). That must change no
 * outcome: the run log of a scenario is the same record for record as when
 * the store copies, and a create with adopt stores the same object as one
 * without, falling back to a copy when some part is already frozen.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadScenario } from '../../src/scenario/load.ts';
import { runScenario } from '../../src/scenario/run.ts';
import { Simulation } from '../../src/sim/simulation.ts';
import { defaultAdmissionChain } from '../../src/admission/apiServer.ts';
import { deepFreeze } from '../../src/sim/store.ts';
import { isApiError } from '../../src/sim/errors.ts';
import type { KObject, RunLogRecord } from '../../src/sim/types.ts';

function logOf(file: string, consumeObjects: boolean): string[] {
  const lines: string[] = [];
  const loaded = loadScenario(file);
  runScenario(loaded, { seed: 3, consumeObjects, log: { write: (r: RunLogRecord) => void lines.push(JSON.stringify(r)) } });
  if (consumeObjects) expect(loaded.objects).toEqual([]);
  return lines;
}

describe('loaded objects handed over to the store', () => {
  it.each(['scenarios/quickstart.yaml', 'scenarios/plain-manifests.yaml'])('%s: the same run log whether the store copies or adopts', (file) => {
    const copied = logOf(file, false);
    const adopted = logOf(file, true);
    expect(copied.length).toBeGreaterThan(10);
    expect(adopted).toEqual(copied);
  });

  it('a create with adopt stores what a create without it stores, and the input only when nothing in it was frozen (fast-check)', () => {
    const store = (): Simulation => {
      const sim = Simulation.create({ seed: 5 });
      for (const p of defaultAdmissionChain(sim.store)) sim.store.addAdmission(p);
      sim.store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } } as KObject);
      return sim;
    };
    const container = fc.record({ name: fc.constantFrom('app', 'Bad_Name'), image: fc.constantFrom('nginx', 'nginx:1.27') });
    const pod = fc.record({
      labels: fc.constantFrom<Record<string, string> | undefined>(undefined, { app: 'web' }),
      containers: fc.array(container, { minLength: 1, maxLength: 2 }),
      freezeSome: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(pod, { minLength: 1, maxLength: 5 }), (pods) => {
        const a = store();
        const b = store();
        pods.forEach((p, i) => {
          const make = (): KObject => {
            const o = { apiVersion: 'v1', kind: 'Pod', metadata: { name: `p-${i}`, ...(p.labels ? { labels: { ...p.labels } } : {}) }, spec: { containers: p.containers.map((c) => ({ ...c })) } } as KObject;
            if (p.freezeSome) deepFreeze((o['spec'] as { containers: unknown[] }).containers[0]);
            return o;
          };
          const attempt = (sim: Simulation, o: KObject, adopt: boolean): { obj?: KObject; error?: string } => {
            try {
              return { obj: sim.store.create(o, { adopt }) };
            } catch (e) {
              if (!isApiError(e)) throw e;
              return { error: e.message };
            }
          };
          const input = make();
          const adopted = attempt(a, input, true);
          const copied = attempt(b, make(), false);
          expect(adopted.error).toBe(copied.error);
          expect(JSON.stringify(adopted.obj)).toBe(JSON.stringify(copied.obj));
          if (adopted.obj) expect(adopted.obj === input).toBe(!p.freezeSome);
        });
      }),
      { numRuns: 200 },
    );
  });
});
