/**
 * Same inputs and seed, same bytes: every example scenario run twice through
 * runScenario renders byte-identical JSON.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.ts';
import { renderJson } from '../../src/scenario/output.ts';
import { runScenario } from '../../src/scenario/run.ts';

const files = ['scenarios', 'scenarios/labs'].flatMap((dir) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => `${dir}/${f}`),
);

describe('determinism', () => {
  it('has example scenarios', () => {
    expect(files).toEqual(expect.arrayContaining(['scenarios/quickstart.yaml', 'scenarios/zone-outage.yaml', 'scenarios/large-cluster.yaml', 'scenarios/plain-manifests.yaml']));
  });

  it.each(files)('%s runs to identical JSON twice with one seed', (file) => {
    const a = renderJson(runScenario(loadScenario(file), { seed: 11 }));
    const b = renderJson(runScenario(loadScenario(file), { seed: 11 }));
    expect(a.length).toBeGreaterThan(0);
    expect(a === b).toBe(true);
    const doc = JSON.parse(a) as { seed: number; objects: unknown[] };
    expect(doc.seed).toBe(11);
    expect(doc.objects.length).toBeGreaterThan(0);
  });
});
