/**
 * The subcommand table. A new subcommand (explain, step, get, describe,
 * sweep) is one file in this folder plus one line here.
 */
import type { Command } from '../command.ts';
import { compareCommand } from './compare.ts';
import { describeCommand } from './describe.ts';
import { eventsCommand } from './events.ts';
import { explainCommand } from './explain.ts';
import { getCommand } from './get.ts';
import { reportCommand } from './report.ts';
import { runCommand } from './run.ts';
import { stepCommand } from './step.ts';
import { topCommand } from './top.ts';
import { validateCommand } from './validate.ts';

export const commands: readonly Command[] = [runCommand, validateCommand, explainCommand, compareCommand, stepCommand, getCommand, describeCommand, eventsCommand, topCommand, reportCommand];

export function findCommand(name: string): Command | undefined {
  return commands.find((c) => c.name === name);
}
