import { main } from '../../src/cli/main.ts';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the ksim CLI in-process with captured output. */
export function runCli(args: string[], env: Record<string, string | undefined> = {}): CliRun {
  let stdout = '';
  let stderr = '';
  const code = main(args, { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), env });
  return { code, stdout, stderr };
}

/** A stack trace line as V8 prints them. */
export const STACK_LINE = /^\s+at .+\(?.*:\d+:\d+\)?$/m;
