/** `ksim get KIND [NAME...]`: kubectl get's tables over a moment of a run. */
import type { Command } from '../command.ts';
import { EXIT_FAILED, EXIT_OK, UsageError } from '../io.ts';
import { runGet, parseOutput } from '../views/get.ts';
import { loadMoment, MOMENT_HELP, MOMENT_OPTIONS, namespaceOption, NAMESPACE_OPTIONS } from '../views/input.ts';
import { SHORT_NAMES } from '../views/resources.ts';

export const getCommand: Command = {
  name: 'get',
  summary: "Show objects at a moment of a run as 'kubectl get' prints them",
  help: `Usage: ksim get KIND[,KIND...] [NAME...] (-f FILE... | --log FILE) [--at DURATION]
                [-n NS | -A] [-l SELECTOR] [--field-selector SELECTOR] [-o wide|name|yaml|json]

Runs the scenario to --at (or replays the run log) and prints the objects as
kubectl get would at that moment: the same columns, AGE in kubectl's form
(virtual time), "No resources found in default namespace." when nothing
matches and "Error from server (NotFound)" for a missing NAME. KIND is a
resource name as kubectl takes it (pods, pod, Pod, po; KIND/NAME also works).
Short names: ${Object.entries(SHORT_NAMES)
    .map(([k, s]) => `${s} (${k})`)
    .join(', ')}.

Examples:
  ksim get pods -f scenario.yaml --at 5m -o wide
  ksim get deploy,rs -A -f scenario.yaml
  ksim get events --log run.ndjson --field-selector involvedObject.name=web-1

${MOMENT_HELP}
Options:
  -n, --namespace NS   Namespace (default "default")
  -A, --all-namespaces List in every namespace (adds a NAMESPACE column)
  -l, --selector SEL   Label selector, e.g. app=web,tier!=db
  --field-selector SEL Field selector, e.g. spec.nodeName=node-1,status.phase=Pending
  -o, --output FORMAT  wide, name, yaml or json
  --no-headers         Print the rows without the header line
  --sort-by FIELD      Sort by a field path, e.g. .lastTimestamp, .metadata.creationTimestamp
  -h, --help           Show this help`,
  options: {
    ...MOMENT_OPTIONS,
    ...NAMESPACE_OPTIONS,
    selector: { type: 'string', short: 'l' },
    'field-selector': { type: 'string' },
    output: { type: 'string', short: 'o' },
    'no-headers': { type: 'boolean' },
    'sort-by': { type: 'string' },
  },
  run(args, io) {
    const [resource, ...names] = args.positionals;
    if (resource === undefined) throw new UsageError('you must specify the type of resource to get (e.g. ksim get pods -f scenario.yaml)', 'get');
    const output = parseOutput(typeof args.values['output'] === 'string' ? args.values['output'] : undefined);
    const namespace = namespaceOption(args, 'get');
    const selector = args.values['selector'];
    const fieldSelector = args.values['field-selector'];
    const view = loadMoment(args, io, 'get');
    const r = runGet(view, {
      resource,
      names,
      namespace,
      output,
      noHeaders: args.values['no-headers'] === true,
      ...(typeof args.values['sort-by'] === 'string' ? { sortBy: args.values['sort-by'] } : {}),
      ...(typeof selector === 'string' ? { labelSelector: selector } : {}),
      ...(typeof fieldSelector === 'string' ? { fieldSelector } : {}),
    });
    io.stdout(r.stdout);
    io.stderr(r.stderr);
    return r.exitCode === 0 ? EXIT_OK : EXIT_FAILED;
  },
};
