/**
 * Shared by the fast-path equivalence tests: run a generated case with the
 * straightforward evaluation (`fastPath: false`) and with the fast path, and
 * require the same decisions; and the scheduler's events as those tests
 * compare them.
 */
import { expect } from 'vitest';
import fc from 'fast-check';
import type { Pod } from 'kubernetes-types/core/v1';
import type { Simulation } from '../../src/sim/simulation.ts';

/**
 * fc.assert over `arbitraries`: `run(fastPath, ...case)` must give equal
 * decisions (every field) both ways. Returns the straightforward decisions of
 * every run, so a test can check the cases were not trivially empty.
 */
export function assertSameDecisions<Ts extends unknown[], D>(
  arbitraries: { [K in keyof Ts]: fc.Arbitrary<Ts[K]> },
  run: (fastPath: boolean, ...c: Ts) => D,
  numRuns: number,
): D[] {
  const references: D[] = [];
  // (fc.property over several arbitraries draws them as one tuple, as here.)
  const cases = fc.tuple(...(arbitraries as readonly fc.Arbitrary<unknown>[])) as unknown as fc.Arbitrary<Ts>;
  fc.assert(
    fc.property(cases, (c) => {
      const reference = run(false, ...c);
      expect(run(true, ...c)).toEqual(reference);
      references.push(reference);
    }),
    { numRuns },
  );
  return references;
}

/** "<reason> <pod>: <message> (x<count>)" of the events with these reasons, in order. */
export function schedulerEvents(sim: Simulation, reasons: readonly string[] = ['FailedScheduling', 'Preempted', 'Scheduled']): string[] {
  return sim.recorder
    .events()
    .filter((e) => reasons.includes(e.reason ?? ''))
    .map((e) => `${e.reason} ${e.involvedObject.name}: ${e.message} (x${e.count})`);
}

/** "t=<ms> <pod> -> <node>" for every binding as the store writes it, in write order (the list fills as the run goes). */
export function recordBindings(sim: Simulation): string[] {
  const bindings: string[] = [];
  sim.store.watch('Pod', (ev) => {
    const now = (ev.object as Pod).spec?.nodeName;
    const was = (ev.oldObject as Pod | undefined)?.spec?.nodeName;
    if (now && !was) bindings.push(`t=${sim.now} ${ev.object.metadata.name} -> ${now}`);
  });
  return bindings;
}
