/**
 * Same inputs and seed, same bytes: the Job and CronJob example scenarios run
 * twice to identical NDJSON run logs, and their expectations pass.
 */
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.ts';
import { runScenario } from '../../src/scenario/run.ts';
import type { RunLogRecord } from '../../src/sim/types.ts';

describe('Job and CronJob determinism', () => {
  it('runs the example scenarios to a byte-identical run log for a seed', () => {
    for (const file of ['scenarios/job-failure-policy.yaml', 'scenarios/cronjob-day.yaml']) {
      const logs: string[] = [];
      for (let i = 0; i < 2; i++) {
        const lines: string[] = [];
        const result = runScenario(loadScenario(file), { seed: 21, log: { write: (r: RunLogRecord) => lines.push(JSON.stringify(r)) } });
        expect(result.expectations.every((e) => e.passed)).toBe(true);
        logs.push(lines.join('\n'));
      }
      expect(logs[0]!.length).toBeGreaterThan(1000);
      expect(logs[0] === logs[1]).toBe(true);
    }
  });
});
