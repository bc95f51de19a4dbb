/**
 * `npm run bench` runs every bench/*.ts except this file, each in its own
 * tsx child process (a fresh heap and JIT per benchmark), in name order.
 * `npm run bench -- engine scheduler` runs only bench/engine.ts and
 * bench/scheduler.ts. Exit status: the first non-zero child status, if any.
 * Children run as `node --expose-gc --max-semi-space-size=64 --import tsx
 * <file>` so that a benchmark can collect garbage between workloads
 * (global.gc) and no workload pays for the previous one's heap, with the
 * young generation the `ksim` command gives its runs (see bin/ksim.js).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The young generation bin/ksim.js gives every `ksim` run (the reason is written there). */
const YoungGenerationFlag = '--max-semi-space-size=64';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(benchDir);
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
let status = 0;
for (const name of selected) {
  console.log(`# bench/${name}.ts`);
  const r = spawnSync(process.execPath, ['--expose-gc', YoungGenerationFlag, '--import', 'tsx', path.join(benchDir, `${name}.ts`)], { stdio: 'inherit', cwd: root });
  const code = r.status ?? 1;
  if (code !== 0) {
    console.error(`bench/${name}.ts exited with ${r.signal ?? code}`);
    if (status === 0) status = code;
  }
}
process.exit(status);
