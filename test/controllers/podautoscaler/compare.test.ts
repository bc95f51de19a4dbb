/** `ksim compare`: variants as merge-patch files, side-by-side table and JSON, clear errors. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../cli/helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'ksim-compare-'));
const fast = join(dir, 'fast.yaml');
writeFileSync(fast, 'kind: HorizontalPodAutoscaler\nmetadata: {name: php-apache}\nspec:\n  behavior:\n    scaleDown: {stabilizationWindowSeconds: 0}\n');

describe('ksim compare', () => {
  it('runs the baseline and each variant with one seed and prints them side by side (JSON)', () => {
    const r = runCli(['compare', 'scenarios/hpa-php-apache.yaml', '--variant', `fast-down=${fast}`, '--every', '1m', '--output', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      seed: number;
      hpas: string[];
      variants: Array<{ name: string; samples: Array<{ t: number; hpas: Record<string, { replicas: number; usage: string | null; pending: number }> }>; summary: Record<string, { maxReplicas: number; rescales: number }> }>;
    };
    expect(doc.hpas).toEqual(['default/php-apache']);
    expect(doc.variants.map((v) => v.name)).toEqual(['baseline', 'fast-down']);
    const at = (v: number, minute: number) => doc.variants[v]!.samples.find((s) => s.t === minute * 60_000)!.hpas['default/php-apache']!;
    // Same load, same seed: identical until the load stops at 11m ...
    expect(at(0, 8)).toEqual(at(1, 8));
    expect(at(0, 8).replicas).toBe(6);
    expect(at(0, 8).usage).toMatch(/^\d+%$/);
    // ... then the variant without a downscale window drops at once, the baseline waits 5 minutes.
    expect(at(1, 13).replicas).toBe(1);
    expect(at(0, 13).replicas).toBe(6);
    expect(doc.variants[0]!.summary['default/php-apache']!.maxReplicas).toBe(6);
  });

  it('prints a table with one column group per variant and a summary', () => {
    const r = runCli(['compare', 'scenarios/hpa-php-apache.yaml', '--variant', `fast-down=${fast}`, '--every', '5m']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('HorizontalPodAutoscaler default/php-apache');
    expect(r.stdout).toMatch(/TIME\s+baseline\s+fast-down/);
    expect(r.stdout).toMatch(/REPLICAS\s+USAGE\s+PENDING\s+REPLICAS\s+USAGE\s+PENDING/);
    expect(r.stdout).toMatch(/VARIANT\s+MAX REPLICAS\s+REPLICA-MINUTES/);
  });

  it('reports bad variants clearly (exit 2, no stack)', () => {
    const missing = runCli(['compare', 'scenarios/hpa-php-apache.yaml', '--variant', 'x=/nonexistent.yaml']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--variant x: cannot read /nonexistent.yaml: no such file or directory');
    const noTarget = join(dir, 'none.yaml');
    writeFileSync(noTarget, 'kind: HorizontalPodAutoscaler\nmetadata: {name: nope}\nspec: {maxReplicas: 3}\n');
    const r = runCli(['compare', 'scenarios/hpa-php-apache.yaml', '--variant', `y=${noTarget}`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--variant y: ${noTarget}, document 1: no HorizontalPodAutoscaler default/nope among the scenario's objects at time 0`);
    expect(runCli(['compare', 'scenarios/hpa-php-apache.yaml', '--variant', 'nofile']).stderr).toContain('expected NAME=FILE');
    expect(runCli(['compare', 'scenarios/hpa-php-apache.yaml', '--every', '0s']).stderr).toContain('invalid --every "0s": must be positive');
  });
});
