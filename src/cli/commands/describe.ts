/** `ksim describe KIND [NAME...]`: kubectl describe over a moment of a run. */
import { parseSelector } from '../../api/labels.ts';
import type { KObject } from '../../sim/types.ts';
import type { Command } from '../command.ts';
import { EXIT_FAILED, EXIT_OK, UsageError } from '../io.ts';
import { describeObject } from '../views/describe.ts';
import { loadMoment, MOMENT_HELP, MOMENT_OPTIONS, namespaceOption, NAMESPACE_OPTIONS } from '../views/input.ts';
import { qualifiedResource, resolveKind } from '../views/resources.ts';

export const describeCommand: Command = {
  name: 'describe',
  summary: "Describe objects at a moment of a run as 'kubectl describe' does",
  help: `Usage: ksim describe KIND [NAME...] (-f FILE... | --log FILE) [--at DURATION] [-n NS | -A] [-l SELECTOR]

Prints kubectl describe's view of the objects at that moment: for a Pod its
node, status, containers (state, ready, restart count, requests, limits),
conditions, QoS class, node selectors, tolerations and its Events table
(Type Reason Age From Message); for a Node its conditions, capacity,
non-terminated pods and allocated resources; for a Deployment its replicas,
strategy, pod template, conditions and ReplicaSets. Other kinds show their
metadata and Events. Without NAME, every object of the kind (NAME may also
be a prefix, as kubectl matches it).

${MOMENT_HELP}
Options:
  -n, --namespace NS   Namespace (default "default")
  -A, --all-namespaces Every namespace
  -l, --selector SEL   Label selector
  -h, --help           Show this help`,
  options: { ...MOMENT_OPTIONS, ...NAMESPACE_OPTIONS, selector: { type: 'string', short: 'l' } },
  run(args, io) {
    let [resource, ...names] = args.positionals;
    if (resource === undefined) throw new UsageError('you must specify the type of resource to describe (e.g. ksim describe pod web-1 -f scenario.yaml)', 'describe');
    const slash = resource.indexOf('/');
    if (slash >= 0) {
      names = [resource.slice(slash + 1), ...names];
      resource = resource.slice(0, slash);
    }
    const info = resolveKind(resource);
    const namespace = namespaceOption(args, 'describe');
    if (names.length > 0 && namespace === undefined && info.namespaced) throw new UsageError('a resource cannot be retrieved by name across all namespaces', 'describe');
    const selectorText = args.values['selector'];
    let selector;
    try {
      selector = typeof selectorText === 'string' ? parseSelector(selectorText) : undefined;
    } catch (e) {
      throw new UsageError(`unable to parse requirement: ${e instanceof Error ? e.message : String(e)}`, 'describe');
    }
    const view = loadMoment(args, io, 'describe');
    const all = view.list(info.kind, info.namespaced ? namespace : undefined).filter((o) => !selector || selector.matches(o.metadata?.labels ?? undefined));
    const chosen: KObject[] = [];
    let failed = false;
    // Item by item: a spread of 150,000 pods into push() would overflow the stack.
    if (names.length === 0) for (const o of all) chosen.push(o);
    for (const name of names) {
      const exact = view.get(info.kind, info.namespaced ? (namespace ?? 'default') : '', name);
      // kubectl describe falls back to objects whose name starts with NAME.
      const matches = exact ? [exact] : all.filter((o) => (o.metadata?.name ?? '').startsWith(name));
      if (matches.length === 0) {
        io.stderr(`Error from server (NotFound): ${qualifiedResource(info)} "${name}" not found\n`);
        failed = true;
      }
      for (const o of matches) chosen.push(o);
    }
    if (chosen.length === 0 && !failed) {
      io.stderr(namespace === undefined || !info.namespaced ? 'No resources found\n' : `No resources found in ${namespace} namespace.\n`);
      return EXIT_OK;
    }
    io.stdout(chosen.map((o) => describeObject(view, info, o)).join('\n\n'));
    return failed ? EXIT_FAILED : EXIT_OK;
  },
};
