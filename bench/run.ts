/**
 * `npm run bench` runs every bench/*.ts except this file, each in its own
 * child process (a fresh heap and JIT per benchmark), in name order.
 * `npm run bench -- engine scheduler` runs only bench/engine.ts and
 * bench/scheduler.ts. Exit status: the first non-zero child status, if any.
 *
 * Each benchmark is first compiled with esbuild into one ES module under
 * `.bench-build/` (a folder beside `bench/`, so a benchmark's paths relative
 * to its own file still land in the checkout), then run as `node --expose-gc
 * --max-semi-space-size=64 .bench-build/<name>.mjs`: a benchmark can collect
 * garbage between workloads (global.gc) and no workload pays for the
 * previous one's heap, with the young generation the `ksim` command gives its
 * runs (see bin/ksim.js).
 *
 * Why compiled and not through tsx: tsx compiles with esbuild's `keepNames`,
 * which wraps every named function and closure the code creates in a
 * `__name(fn, "…")` call (an Object.defineProperty) — a cost the shipped
 * package, compiled by tsc, never pays. Measured on the 1,000-node churn, the
 * tsx run took 3–7% more process CPU than the same code compiled. The
 * benchmarks measure what a user runs, so they run compiled code; the
 * compile itself takes well under a second and is not inside any timed
 * interval either way.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** The young generation bin/ksim.js gives every `ksim` run (the reason is written there). */
const YoungGenerationFlag = '--max-semi-space-size=64';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(benchDir);
/** Beside bench/, so `new URL('../scenarios/…', import.meta.url)` in a compiled benchmark finds the checkout's files. */
const buildDir = path.join(root, '.bench-build');
const all = fs
  .readdirSync(benchDir)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_')) // _*.ts: local profiling scripts
  .map((f) => f.slice(0, -3))
  .sort();
const wanted = process.argv.slice(2).map((a) => a.replace(/^bench\//, '').replace(/\.ts$/, ''));
const unknown = wanted.filter((w) => !all.includes(w));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; available: ${all.join(', ')}`);
  process.exit(2);
}
const selected = wanted.length > 0 ? all.filter((b) => wanted.includes(b)) : all;

/** One self-contained ES module per benchmark; npm packages stay imports, resolved from the checkout's node_modules. */
async function compile(name: string): Promise<string> {
  const outfile = path.join(buildDir, `${name}.mjs`);
  await build({
    entryPoints: [path.join(benchDir, `${name}.ts`)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: `node${process.versions.node}`,
    packages: 'external',
    logLevel: 'error',
  });
  return outfile;
}

let status = 0;
for (const name of selected) {
  console.log(`# bench/${name}.ts`);
  const file = await compile(name);
  const r = spawnSync(process.execPath, ['--expose-gc', YoungGenerationFlag, file], { stdio: 'inherit', cwd: root });
  const code = r.status ?? 1;
  if (code !== 0) {
    console.error(`bench/${name}.ts exited with ${r.signal ?? code}`);
    if (status === 0) status = code;
  }
}
process.exit(status);
