/**
 * The HPA example scenarios end as documented: every expectation passes.
 * (hpa-diurnal, a day of virtual time, has its own file to keep each file short.)
 */
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../../src/scenario/load.ts';
import { runScenario } from '../../../src/scenario/run.ts';

describe('HPA scenarios', () => {
  it.each(['scenarios/hpa-php-apache.yaml', 'scenarios/hpa-full-cluster.yaml', 'scenarios/hpa-queue-worker.yaml'])('%s: every expectation passes', (file) => {
    const r = runScenario(loadScenario(file));
    expect(r.expectations.filter((e) => !e.passed)).toEqual([]);
    expect(r.expectations.length).toBeGreaterThan(3);
  });

  it('php-apache: the walkthrough events, word for word', () => {
    const r = runScenario(loadScenario('scenarios/hpa-php-apache.yaml'));
    const hpa = r.sim.events().filter((e) => e.involvedObject.kind === 'HorizontalPodAutoscaler' && e.reason === 'SuccessfulRescale');
    expect(hpa.map((e) => e.message)).toContain('New size: 4; reason: cpu resource utilization (percentage of request) above target');
    expect(hpa.map((e) => e.message)).toContain('New size: 1; reason: All metrics below target');
  });
});
