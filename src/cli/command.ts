/**
 * The shape of a subcommand. Each lives in src/cli/commands/<name>.ts and is
 * registered in src/cli/commands/index.ts; main.ts parses its flags with
 * node:util parseArgs (strict: unknown flags are usage errors).
 */
import type { ParseArgsConfig } from 'node:util';
import type { CliIO } from './io.ts';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export interface ParsedArgs {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
}

export interface Command {
  name: string;
  /** One line for `ksim --help`. */
  summary: string;
  /** Usage text for `ksim <name> --help` (without the trailing newline). */
  help: string;
  options: OptionSpec;
  run(args: ParsedArgs, io: CliIO): number;
}
