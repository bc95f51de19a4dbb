/** scenarios/hpa-diurnal.yaml: a day of traffic with behaviour limits ends as its expectations say. */
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../../src/scenario/load.ts';
import { runScenario } from '../../../src/scenario/run.ts';

describe('hpa-diurnal', () => {
  it('every expectation passes (night, flash crowd limited by the scale-up policy, lunch, midnight)', () => {
    const r = runScenario(loadScenario('scenarios/hpa-diurnal.yaml'));
    expect(r.expectations.filter((e) => !e.passed)).toEqual([]);
    expect(r.expectations).toHaveLength(6);
  }, 60_000);
});
