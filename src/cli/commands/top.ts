/** `ksim top nodes|pods`: kubectl top over a moment of a run. */
import type { Command } from '../command.ts';
import { EXIT_FAILED, EXIT_OK, UsageError } from '../io.ts';
import { loadMoment, MOMENT_HELP, MOMENT_OPTIONS, namespaceOption, NAMESPACE_OPTIONS } from '../views/input.ts';
import { runTop } from '../views/top.ts';

export const topCommand: Command = {
  name: 'top',
  summary: "Show node or pod resource usage at a moment of a run as 'kubectl top' does",
  help: `Usage: ksim top nodes|pods (-f FILE... | --log FILE) [--at DURATION] [-n NS | -A]

Reads the metrics-server's NodeMetrics and PodMetrics (present when the
scenario has load models) and prints kubectl top's columns: NAME CPU(cores)
CPU(%) MEMORY(bytes) MEMORY(%) for nodes, NAME CPU(cores) MEMORY(bytes) for
pods. Without metrics: "error: Metrics API not available".

${MOMENT_HELP}
Options:
  -n, --namespace NS   Namespace for pods (default "default")
  -A, --all-namespaces Pods in every namespace
  -h, --help           Show this help`,
  options: { ...MOMENT_OPTIONS, ...NAMESPACE_OPTIONS },
  run(args, io) {
    const what = args.positionals[0];
    const kind = what === 'node' || what === 'nodes' || what === 'no' ? 'nodes' : what === 'pod' || what === 'pods' || what === 'po' ? 'pods' : undefined;
    if (!kind) throw new UsageError(`top needs nodes or pods${what === undefined ? '' : `, got ${JSON.stringify(what)}`}`, 'top');
    const namespace = namespaceOption(args, 'top');
    const view = loadMoment(args, io, 'top');
    const r = runTop(view, kind, namespace);
    io.stdout(r.stdout);
    io.stderr(r.stderr);
    return r.exitCode === 0 ? EXIT_OK : EXIT_FAILED;
  },
};
