/** The kubelet's example scenarios meet their own expectations. */
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.ts';
import { runScenario } from '../../src/scenario/run.ts';

describe('example scenarios', () => {
  it.each(['scenarios/memory-leak-eviction.yaml', 'scenarios/besteffort-pressure.yaml', 'scenarios/diurnal-load.yaml'])('%s passes', (file) => {
    const r = runScenario(loadScenario(file));
    expect(r.expectations.filter((e) => !e.passed).map((e) => `${e.expectation}: ${e.actual}`)).toEqual([]);
    expect(r.expectations.length).toBeGreaterThan(4);
  });
});
