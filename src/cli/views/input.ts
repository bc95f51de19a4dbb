/**
 * The moment the views look at, from the command line: a scenario given
 * with -f FILE (as kubectl takes -f), run to --at (default: its end), or a
 * saved run log given with --log FILE, replayed to --at.
 */
import { parseDuration } from '../../api/duration.ts';
import { loadScenario } from '../../scenario/load.ts';
import { buildSimulation, runScenario, type RunOptions } from '../../scenario/run.ts';
import type { Time } from '../../sim/types.ts';
import type { OptionSpec, ParsedArgs } from '../command.ts';
import { UsageError, type CliIO } from '../io.ts';
import { VERSION_OPTION_DEFS, versionOptions } from '../inputs.ts';
import { ProgressSink } from '../progress.ts';
import { replayRunLog, simulationView, type ClusterView } from './cluster.ts';

export const MOMENT_OPTIONS: OptionSpec = {
  filename: { type: 'string', short: 'f', multiple: true },
  log: { type: 'string' },
  at: { type: 'string' },
  seed: { type: 'string' },
  config: { type: 'string' },
  ...VERSION_OPTION_DEFS,
};

export const MOMENT_HELP = `Where the cluster comes from (one of):
  -f, --filename FILE  A scenario or manifest file (repeatable), run in virtual
                       time to --at (default: the end of the run, as 'ksim run')
  --log FILE           A run log saved with 'ksim run --log FILE', replayed to --at
  --at DURATION        The moment to show, a Go duration of virtual time (e.g. 90s, 5m)
  --seed N             Random seed (overrides spec.seed)
  --config FILE        A KubeSchedulerConfiguration or KubeletConfiguration file`;

function atOption(args: ParsedArgs, command: string): Time | undefined {
  const at = args.values['at'];
  if (typeof at !== 'string') return undefined;
  let ms: number;
  try {
    ms = parseDuration(at);
  } catch (e) {
    throw new UsageError(`invalid --at ${JSON.stringify(at)}: ${e instanceof Error ? e.message : String(e)}`, command);
  }
  if (ms < 0) throw new UsageError(`invalid --at ${JSON.stringify(at)}: must not be negative`, command);
  return ms;
}

export function loadMoment(args: ParsedArgs, io: CliIO, command: string): ClusterView {
  const at = atOption(args, command);
  const log = args.values['log'];
  const fileValues = args.values['filename'];
  const files = Array.isArray(fileValues) ? fileValues.filter((f): f is string => typeof f === 'string') : [];
  const config = args.values['config'];
  if (typeof config === 'string') files.push(config);
  if (typeof log === 'string') {
    if (files.length > 0) throw new UsageError('give either -f FILE or --log FILE, not both', command);
    return replayRunLog(log, at);
  }
  if (files.length === 0) throw new UsageError('a scenario (-f FILE) or a run log (--log FILE) is required', command);
  const opts: RunOptions = { ...versionOptions(args, command) };
  const seed = args.values['seed'];
  if (typeof seed === 'string') {
    if (!/^\d+$/.test(seed) || !Number.isSafeInteger(Number(seed))) throw new UsageError(`invalid --seed ${JSON.stringify(seed)}: must be a non-negative integer`, command);
    opts.seed = Number(seed);
  }
  const loaded = loadScenario(files);
  for (const w of loaded.warnings) io.stderr(`warning: ${w}\n`);
  // A long run to the moment shown gets ksim run's progress line on a terminal.
  const progress = io.stderrIsTTY ? new ProgressSink((s) => io.stderr(s), undefined) : undefined;
  if (progress) opts.log = progress;
  try {
    if (at === undefined) return simulationView(runScenario(loaded, opts).sim);
    const sim = buildSimulation(loaded, opts);
    sim.runUntil(at);
    return simulationView(sim);
  } finally {
    progress?.clear();
  }
}

/** -n NS / -A as kubectl reads them: undefined means all namespaces. */
export function namespaceOption(args: ParsedArgs, command: string): string | undefined {
  const all = args.values['all-namespaces'] === true;
  const ns = args.values['namespace'];
  if (all) return undefined;
  if (typeof ns === 'string') {
    if (ns === '') throw new UsageError('--namespace needs a name', command);
    return ns;
  }
  return 'default';
}

export const NAMESPACE_OPTIONS: OptionSpec = {
  namespace: { type: 'string', short: 'n' },
  'all-namespaces': { type: 'boolean', short: 'A' },
};
