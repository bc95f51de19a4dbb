/**
 * Running a generated cluster, and turning a failing (shrunk) case into a
 * scenario file that `ksim run` replays exactly: same objects, same seed.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { Simulation } from '../sim/simulation.ts';
import { startComponents, type ClusterConfig, type ComponentOptions } from '../components.ts';
import type { ClusterCase } from './arbitraries.ts';
import type { Time } from '../sim/types.ts';

export interface RunCaseOptions {
  config?: ClusterConfig;
  components?: ComponentOptions;
  /** Stop at this virtual time even if work remains (default: 1 hour). */
  until?: Time;
}

/** Apply a generated case at time 0 and run until only periodic loops remain. */
export function runCase(c: ClusterCase, opts: RunCaseOptions = {}): Simulation {
  const sim = Simulation.create({ seed: c.seed });
  startComponents(sim, opts.config ?? {}, opts.components ?? {});
  sim.apply(c.objects, 'test');
  sim.runUntilQuiet(opts.until ?? 3_600_000);
  return sim;
}

/** The case as a multi-document scenario file: a Scenario document with the seed, then the manifests. */
export function caseToScenarioYaml(c: ClusterCase, name = 'property-counterexample', until = '1h'): string {
  const scenario = { apiVersion: 'ksim.dev/v1alpha1', kind: 'Scenario', metadata: { name }, spec: { seed: c.seed, until } };
  return [scenario, ...c.objects].map((d) => stringify(d)).join('---\n');
}

export interface PropertyOptions {
  numRuns?: number;
  /** Where to write the shrunk counterexample as a scenario file. */
  counterexampleFile?: string;
  seed?: number;
}

/**
 * fc.assert over generated clusters; when the property fails, the shrunk case
 * is written as a scenario file and its path is put in the error message.
 */
export function assertClusterProperty(arb: fc.Arbitrary<ClusterCase>, property: (c: ClusterCase) => string[], opts: PropertyOptions = {}): void {
  const details = fc.check(
    fc.property(arb, (c) => {
      const problems = property(c);
      if (problems.length > 0) throw new Error(problems.join('\n'));
    }),
    { numRuns: opts.numRuns ?? 100, seed: opts.seed },
  );
  if (!details.failed) return;
  const counterexample = details.counterexample?.[0];
  let where = '';
  if (counterexample && opts.counterexampleFile) {
    mkdirSync(dirname(opts.counterexampleFile), { recursive: true });
    writeFileSync(opts.counterexampleFile, caseToScenarioYaml(counterexample));
    where = `\nreplay: npx ksim run ${opts.counterexampleFile}`;
  }
  const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  throw new Error(`property failed after ${details.numRuns} runs (seed ${details.seed}, path ${details.counterexamplePath}):\n${cause}${where}`);
}
