// The README's examples pass as written: its Scenario block is scenarios/scale-deployment.yaml,
// and it runs with every expectation met.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { loadScenarioFromText } from '../../src/scenario/load.ts';
import { runScenario } from '../../src/scenario/run.ts';

const readme = readFileSync('README.md', 'utf8');
const section = readme.slice(readme.indexOf('## Scenarios'));
const block = section.slice(section.indexOf('```yaml\n') + 8, section.indexOf('```\n', section.indexOf('```yaml\n') + 8));

describe("the README's Scenario example", () => {
  it('is the scenario file, byte for byte', () => {
    const file = readFileSync('scenarios/scale-deployment.yaml', 'utf8');
    expect(file.endsWith(block)).toBe(true);
  });

  it('runs with every expectation met', () => {
    const result = runScenario(loadScenarioFromText([{ file: 'README.md', text: block }]));
    expect(result.expectations.map((e) => `${e.expectation}: ${e.actual}`).filter((_, i) => !result.expectations[i]!.passed)).toEqual([]);
    expect(result.passed).toBe(true);
  });
});
