/**
 * The `ksim` command. Parses the subcommand and its flags (node:util
 * parseArgs, strict), runs it, and turns every failure into a message and an
 * exit code: ScenarioError -> its problems, exit 2; usage mistakes -> exit 2;
 * anything else -> `ksim: internal error: <message>`, exit 70 (the stack
 * only with KSIM_DEBUG=1).
 */
import { readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { formatProblem, ScenarioError } from '../scenario/problems.ts';
import { SimulationLimitError } from '../sim/errors.ts';
import { commands, findCommand } from './commands/index.ts';
import { EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, UsageError, type CliIO } from './io.ts';
import { preloadPlugins } from './plugins.ts';
import { EMULATABLE_VERSIONS, KUBERNETES_VERSION } from '../api/featureGates.ts';

export function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'package.json'), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

export function overallHelp(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return `ksim: a deterministic, in-memory Kubernetes cluster simulator

Usage: ksim COMMAND [options] [FILE...]

Commands:
${commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Options:
  -h, --help     Show help (also 'ksim COMMAND --help')
  --version      Print the version

Exit status: 0 ok, 1 expectations failed, 2 invalid input or usage, 70 internal error.
`;
}

function usageFailure(io: CliIO, message: string, command?: string): number {
  io.stderr(`ksim${command ? ` ${command}` : ''}: ${message}\n`);
  io.stderr(`Run 'ksim ${command ? `${command} ` : ''}--help' for usage.\n`);
  return EXIT_USAGE;
}

/** parseArgs' messages, reworded: "Unknown option '--foo'" -> "unknown flag --foo". */
function parseArgsMessage(e: Error): string {
  const m = /^Unknown option '([^']+)'/.exec(e.message);
  if (m) return `unknown flag: ${m[1]}`;
  const first = e.message.split('\n')[0] ?? e.message;
  return first.charAt(0).toLowerCase() + first.slice(1);
}

/** Run the CLI with `argv` (without node and script); returns the exit code. */
export function main(argv: readonly string[], io: CliIO): number {
  const [first, ...rest] = argv;
  if (first === undefined || first === '-h' || first === '--help' || first === 'help') {
    if (first === 'help' && rest[0]) {
      const c = findCommand(rest[0]);
      if (c) {
        io.stdout(`${c.help}\n`);
        return EXIT_OK;
      }
    }
    if (first === undefined) {
      io.stderr(overallHelp());
      return EXIT_USAGE;
    }
    io.stdout(overallHelp());
    return EXIT_OK;
  }
  if (first === '--version' || first === '-v') {
    io.stdout(`ksim ${version()} (emulates Kubernetes v${KUBERNETES_VERSION} by default; --emulated-version ${EMULATABLE_VERSIONS.join(', ')})\n`);
    return EXIT_OK;
  }
  const cmd = findCommand(first);
  if (!cmd) {
    if (first.startsWith('-')) return usageFailure(io, `unknown flag: ${first}`);
    return usageFailure(io, `unknown command ${JSON.stringify(first)}`);
  }
  let parsed;
  try {
    parsed = parseArgs({ args: [...rest], options: { ...cmd.options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (e) {
    return usageFailure(io, e instanceof Error ? parseArgsMessage(e) : String(e), cmd.name);
  }
  if (parsed.values['help']) {
    io.stdout(`${cmd.help}\n`);
    return EXIT_OK;
  }
  try {
    return cmd.run({ values: parsed.values as Record<string, string | boolean | undefined>, positionals: parsed.positionals }, io);
  } catch (e) {
    return reportError(e, cmd.name, io);
  }
}

/** Turn anything a command threw into messages on stderr and an exit code. */
export function reportError(e: unknown, command: string, io: CliIO): number {
  if (e instanceof ScenarioError) {
    for (const p of e.problems) io.stderr(`${formatProblem(p)}\n`);
    io.stderr(`ksim ${command}: ${e.problems.length} problem${e.problems.length === 1 ? '' : 's'} found\n`);
    return EXIT_USAGE;
  }
  if (e instanceof UsageError) return usageFailure(io, e.message, e.command ?? command);
  if (e instanceof SimulationLimitError) {
    io.stderr(`ksim ${command}: the simulation hit a limit: ${e.message}\n`);
    return EXIT_INTERNAL;
  }
  const message = e instanceof Error ? e.message : String(e);
  io.stderr(`ksim: internal error: ${message}\n`);
  if (io.env['KSIM_DEBUG'] === '1' && e instanceof Error && e.stack) io.stderr(`${e.stack}\n`);
  return EXIT_INTERNAL;
}

/** The process-backed IO of the real command. */
export const processIO: CliIO = {
  stdout: (s) => void process.stdout.write(s),
  stderr: (s) => void process.stderr.write(s),
  env: process.env,
  stderrIsTTY: process.stderr.isTTY === true,
};

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return pathToFileURL(realpathSync(script)).href === import.meta.url;
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  const argv = process.argv.slice(2);
  preloadPlugins(argv).then(
    (plugins) => {
      process.exitCode = main(argv, { ...processIO, plugins });
    },
    (e: unknown) => {
      process.stderr.write(`ksim: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = EXIT_USAGE;
    },
  );
}
