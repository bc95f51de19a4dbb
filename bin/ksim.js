#!/usr/bin/env node
// The `ksim` command. An installed package runs its compiled JavaScript (dist/, built by
// `npm run build`, which `prepare` runs before packing). A developer's checkout (a .git
// beside it) runs the TypeScript sources through tsx, so the command is never a stale build.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';

/**
 * V8's young generation for every run, 64 MiB semi-spaces instead of 16. A simulation's objects
 * mostly live for a few virtual seconds to minutes (a Lease version 10 s, a running pod's status
 * a minute): with the default, a scavenge comes every ~1-15 virtual seconds of a large run, copies
 * them once and promotes them to the old generation on the second; with 64 MiB most die young. The
 * scavenger's time in the 1,000-node churn and the 5,000-node day falls by a third to a half
 * (README, "Long runs"). It cannot be set from inside a running process, so the command starts
 * Node with it (bench/run.ts gives its benchmarks the same).
 */
const YoungGenerationFlag = '--max-semi-space-size=64';
const hasYoungGenerationFlag = process.execArgv.some((a) => a.startsWith('--max-semi-space-size')) || /--max-semi-space-size/.test(process.env.NODE_OPTIONS ?? '');

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const compiled = join(root, 'dist', 'cli', 'main.js');
const checkout = existsSync(join(root, '.git'));

if (!checkout && existsSync(compiled)) {
  if (hasYoungGenerationFlag) {
    // main.js runs itself when it is the entry point: make it so.
    process.argv[1] = compiled;
    await import(pathToFileURL(compiled).href);
  } else {
    const result = spawnSync(process.execPath, [...process.execArgv, YoungGenerationFlag, compiled, ...process.argv.slice(2)], { stdio: 'inherit' });
    process.exit(result.status ?? 1);
  }
} else {
  const require = createRequire(import.meta.url);
  const tsxCli = require.resolve('tsx/cli');
  const main = join(root, 'src', 'cli', 'main.ts');
  // tsx starts its own Node child, which takes V8 flags only from NODE_OPTIONS.
  const env = hasYoungGenerationFlag ? process.env : { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} ${YoungGenerationFlag}`.trim() };
  const result = spawnSync(process.execPath, [tsxCli, main, ...process.argv.slice(2)], { stdio: 'inherit', env });
  process.exit(result.status ?? 1);
}
