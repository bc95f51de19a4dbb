/**
 * Driving a StepPrompt: a script's lines in, one transcript out (each
 * command echoed after the prompt, as a student would see it), or an
 * interactive readline loop over a terminal or a pipe.
 */
import { createInterface } from 'node:readline';
import type { StepPrompt } from './prompt.ts';

export const PROMPT = 'ksim> ';

/** Run every line of a script; `#` starts a comment line. Stops at quit. */
export function runScript(prompt: StepPrompt, script: string): string {
  let out = prompt.banner();
  for (const raw of script.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    out += `${PROMPT}${line}\n`;
    const r = prompt.exec(line);
    out += r.text;
    if (r.quit) break;
  }
  return out;
}

/**
 * The interactive prompt. On a terminal it shows `ksim> ` and waits; under a
 * pipe it echoes each command so the output reads as a transcript. Calls
 * `done` when the input ends or the user quits.
 */
export function runInteractive(prompt: StepPrompt, input: NodeJS.ReadableStream & { isTTY?: boolean }, write: (s: string) => void, done: () => void): void {
  const tty = input.isTTY === true;
  const rl = createInterface({ input, ...(tty ? { output: process.stdout, prompt: PROMPT } : {}), terminal: tty });
  write(prompt.banner());
  if (tty) rl.prompt();
  let finished = false;
  const finish = (): void => {
    if (finished) return;
    finished = true;
    done();
  };
  rl.on('line', (raw) => {
    const line = raw.trim();
    if (!tty && (line === '' || line.startsWith('#'))) return;
    if (!tty) write(`${PROMPT}${line}\n`);
    let r;
    try {
      r = prompt.exec(line);
    } catch (e) {
      write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
      rl.close();
      return;
    }
    write(r.text);
    if (r.quit) rl.close();
    else if (tty) rl.prompt();
  });
  rl.on('close', finish);
}
