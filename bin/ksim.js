#!/usr/bin/env node
// The `ksim` command. An installed package runs its compiled JavaScript (dist/, built by
// `npm run build`, which `prepare` runs before packing). A developer's checkout (a .git
// beside it) runs the TypeScript sources through tsx, so the command is never a stale build.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const compiled = join(root, 'dist', 'cli', 'main.js');
const checkout = existsSync(join(root, '.git'));

if (!checkout && existsSync(compiled)) {
  // main.js runs itself when it is the entry point: make it so.
  process.argv[1] = compiled;
  await import(pathToFileURL(compiled).href);
} else {
  const require = createRequire(import.meta.url);
  const tsxCli = require.resolve('tsx/cli');
  const main = join(root, 'src', 'cli', 'main.ts');
  const result = spawnSync(process.execPath, [tsxCli, main, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(result.status ?? 1);
}
