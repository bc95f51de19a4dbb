/** `ksim events`: kubectl events over a moment of a run. */
import type { Command } from '../command.ts';
import { EXIT_OK } from '../io.ts';
import { runEvents } from '../views/events.ts';
import { loadMoment, MOMENT_HELP, MOMENT_OPTIONS, namespaceOption, NAMESPACE_OPTIONS } from '../views/input.ts';

export const eventsCommand: Command = {
  name: 'events',
  summary: "List Events at a moment of a run as 'kubectl events' does",
  help: `Usage: ksim events (-f FILE... | --log FILE) [--at DURATION] [-n NS | -A] [--for KIND/NAME] [--types Warning]

Prints the Events the API server holds at that moment, oldest first:
LAST SEEN (with "(x3 over 10m)" for repeats), TYPE, REASON, OBJECT, MESSAGE.

${MOMENT_HELP}
Options:
  -n, --namespace NS   Namespace (default "default")
  -A, --all-namespaces Every namespace (adds a NAMESPACE column)
  --for KIND/NAME      Only the Events about this object, e.g. pod/web-1
  --types TYPES        Normal, Warning or both (comma-separated)
  -h, --help           Show this help`,
  options: { ...MOMENT_OPTIONS, ...NAMESPACE_OPTIONS, for: { type: 'string' }, types: { type: 'string' } },
  run(args, io) {
    const namespace = namespaceOption(args, 'events');
    const forObj = args.values['for'];
    const types = args.values['types'];
    const view = loadMoment(args, io, 'events');
    const r = runEvents(view, {
      namespace,
      ...(typeof forObj === 'string' ? { for: forObj } : {}),
      ...(typeof types === 'string' ? { types: types.split(',').filter((t) => t !== '') } : {}),
    });
    io.stdout(r.stdout);
    io.stderr(r.stderr);
    return EXIT_OK;
  },
};
