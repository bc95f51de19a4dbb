/**
 * What a command may touch: output streams, the environment and the working
 * directory, injected so tests run the CLI in-process.
 */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Record<string, string | undefined>;
  /** stderr is a terminal: progress lines may be drawn there (never otherwise). */
  stderrIsTTY?: boolean;
  /** Scheduler plugin registry with the --plugin modules loaded (see src/cli/plugins.ts). */
  plugins?: Map<string, PluginFactory>;
}

import type { PluginFactory } from '../scheduler/framework/types.ts';

/** Exit codes: 0 ok, 1 expectations failed, 2 bad input or usage, 70 internal error (EX_SOFTWARE). */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERNAL = 70;

/** A command-line mistake: printed with a pointer to --help, exit 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}
