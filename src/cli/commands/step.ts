/** `ksim step FILE...`: step through a run one engine event at a time. */
import { readFileSync } from 'node:fs';
import { loadScenario } from '../../scenario/load.ts';
import { buildSimulation, type RunOptions } from '../../scenario/run.ts';
import type { Command } from '../command.ts';
import { EXIT_INTERNAL, EXIT_OK, UsageError } from '../io.ts';
import { pluginRegistry } from '../plugins.ts';
import { CONFIG_OPTION_HELP, inputFiles, VERSION_OPTION_DEFS, VERSION_OPTIONS_HELP, versionOptions } from '../inputs.ts';
import { StepPrompt, STEP_HELP, type StepViews } from '../step/prompt.ts';
import { StepSession } from '../step/session.ts';
import { runInteractive, runScript } from '../step/transcript.ts';
import { stepViews } from '../step/views.ts';

export const stepCommand: Command = {
  name: 'step',
  summary: 'Step through a run one event at a time and see what each actor did',
  help: `Usage: ksim step FILE... [--script FILE] [--seed N] [--config FILE] [--plugin MODULE]...

Builds the scenario's cluster and runs it one engine event at a time. After
each event it says which actor ran (a controller reconciling an object, a
scheduling cycle, a kubelet on its node, the timeline), the objects it wrote
as short diffs (+ added, ~ changed, - removed), the Events it recorded and
what the engine runs next. Commands come from --script, or from the terminal
(a prompt), or from standard input when it is a pipe (echoed, so the output
reads as a transcript). Virtual time only: the same input prints the same text.

${STEP_HELP}

Options:
  --script FILE        Read the commands from FILE (one a line, # comments)
  --seed N             Random seed (overrides spec.seed)
  --plugin MODULE      Load out-of-tree scheduler plugins the configuration names (repeatable)
${CONFIG_OPTION_HELP}
${VERSION_OPTIONS_HELP}
  -h, --help           Show this help`,
  options: {
    script: { type: 'string' },
    seed: { type: 'string' },
    plugin: { type: 'string', multiple: true },
    config: { type: 'string' },
    ...VERSION_OPTION_DEFS,
  },
  run(args, io) {
    const files = inputFiles(args, 'step');
    const opts: RunOptions = { ...versionOptions(args, 'step') };
    const seed = args.values['seed'];
    if (typeof seed === 'string') {
      if (!/^\d+$/.test(seed) || !Number.isSafeInteger(Number(seed))) throw new UsageError(`invalid --seed ${JSON.stringify(seed)}: must be a non-negative integer`, 'step');
      opts.seed = Number(seed);
    }
    opts.components = { ...opts.components, ...pluginRegistry(args, io, 'step') };
    const scriptPath = args.values['script'];
    let script: string | undefined;
    if (typeof scriptPath === 'string') {
      try {
        script = readFileSync(scriptPath, 'utf8');
      } catch (e) {
        throw new UsageError(`cannot read --script file ${JSON.stringify(scriptPath)}: ${e instanceof Error ? e.message : String(e)}`, 'step');
      }
    }
    const loaded = loadScenario(files);
    for (const w of loaded.warnings) io.stderr(`warning: ${w}\n`);
    const session = new StepSession((log) => ({ sim: buildSimulation(loaded, { ...opts, log }), until: loaded.until }));
    const views: StepViews = stepViews();
    const prompt = new StepPrompt(session, views);
    if (script !== undefined) {
      io.stdout(runScript(prompt, script));
      return EXIT_OK;
    }
    // The prompt outlives this call: the exit status is set when the input ends.
    runInteractive(
      prompt,
      process.stdin,
      (s) => io.stdout(s),
      () => {
        process.exitCode = process.exitCode === EXIT_INTERNAL ? EXIT_INTERNAL : EXIT_OK;
      },
    );
    return EXIT_OK;
  },
};
