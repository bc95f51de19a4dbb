/** `ksim validate FILE...`: every load-time check, without running anything. */
import { loadScenario } from '../../scenario/load.ts';
import { buildSimulation } from '../../scenario/run.ts';
import { pluginRegistry } from '../plugins.ts';
import type { Command } from '../command.ts';
import { EXIT_OK } from '../io.ts';
import { CONFIG_OPTION_HELP, inputFiles, VERSION_OPTION_DEFS, VERSION_OPTIONS_HELP, versionOptions } from '../inputs.ts';

export const validateCommand: Command = {
  name: 'validate',
  summary: 'Check scenario and manifest files without running them',
  help: `Usage: ksim validate FILE... [--config FILE] [--plugin MODULE]...

Checks the files as 'ksim run' would load them (YAML syntax, object structure,
API validation, references between objects, timeline and expectations), then
assembles the cluster at time 0 without running it (admission of every object,
the scheduler's configuration) and prints every problem with its file,
document, line and field path.

Exit status: 0 when the files are valid, 2 when there are problems,
70 for an internal error.

Options:
  --plugin MODULE      Load out-of-tree scheduler plugins the configuration names (repeatable)
${CONFIG_OPTION_HELP}
${VERSION_OPTIONS_HELP}
  -h, --help           Show this help`,
  options: { plugin: { type: 'string', multiple: true }, config: { type: 'string' }, ...VERSION_OPTION_DEFS },
  run(args, io) {
    const files = inputFiles(args, 'validate');
    const components = pluginRegistry(args, io, 'validate');
    const loaded = loadScenario(files);
    for (const w of loaded.warnings) io.stderr(`warning: ${w}\n`);
    // Only the count of objects is read afterwards: the store may take them over (no copy).
    buildSimulation(loaded, { components, ...versionOptions(args, 'validate'), consumeObjects: true });
    io.stdout(`ok: ${loaded.objects.length} objects, ${loaded.timeline.length} timeline actions, ${loaded.expectations.length} expectations\n`);
    return EXIT_OK;
  },
};
