/** `ksim run FILE...`: load, run in virtual time, print the outcome. */
import { parseDuration } from '../../api/duration.ts';
import { FileRunLogSink } from '../../sim/runLog.ts';
import { loadScenario } from '../../scenario/load.ts';
import { renderJson } from '../../scenario/output.ts';
import { runScenario, type RunOptions } from '../../scenario/run.ts';
import type { Command } from '../command.ts';
import { EXIT_FAILED, EXIT_OK, UsageError } from '../io.ts';
import { renderTable } from '../output/table.ts';
import { renderQuiet } from '../output/summary.ts';
import { ProgressSink } from '../progress.ts';
import { NdjsonTraceRecorder } from '../trace.ts';
import { ReportSink, runResultRecord } from '../report/sink.ts';
import { renderReport } from '../report/html.ts';
import { writeReport } from './report.ts';
import { pluginRegistry } from '../plugins.ts';
import { CONFIG_OPTION_HELP, inputFiles, VERSION_OPTION_DEFS, VERSION_OPTIONS_HELP, versionOptions } from '../inputs.ts';

export const runCommand: Command = {
  name: 'run',
  summary: 'Run scenario or manifest files in virtual time and report the outcome',
  help: `Usage: ksim run FILE... [--config FILE] [--seed N] [--until DURATION] [--output table|json] [--log FILE] [--report FILE.html] [--trace-scheduling FILE] [--plugin MODULE]...

Loads plain Kubernetes manifests (created at time 0) and/or one
ksim.dev/v1alpha1 Scenario document, runs the simulated cluster in virtual
time and prints nodes, pods, events and expectation results.

The run ends at spec.until (or --until); without one, when nothing but
periodic background work is left.

Exit status: 0 when every expectation passed, 1 when one failed,
2 for invalid input or usage, 70 for an internal error or a simulation
limit reached (ksim's fault or a guard rail, never the input's).

Options:
  --seed N             Random seed (overrides spec.seed)
  --until DURATION     End of the run as a Go duration, e.g. 10m (overrides spec.until)
  -o, --output FORMAT  table (default) or json
  -q, --quiet          Print only failed expectations (and errors); exit status as usual
  --verbose            List every pod that is not Running and every workload (no cap)
  --log FILE           Write the run log (NDJSON) to FILE
  --report FILE.html   Write an HTML report with plots of the run to FILE.html
                       (the same as 'ksim report' of the run log)
  --trace-scheduling FILE
                       Write every scheduling attempt (NDJSON, one attempt a line,
                       the form of 'ksim explain --output json') to FILE
  --plugin MODULE      Load out-of-tree scheduler plugins from MODULE (exports
                       name + factory, or plugins: [...]); name them in a profile
                       of the scenario's KubeSchedulerConfiguration. Repeatable.
${CONFIG_OPTION_HELP}
${VERSION_OPTIONS_HELP}
  -h, --help           Show this help`,
  options: {
    seed: { type: 'string' },
    until: { type: 'string' },
    output: { type: 'string', short: 'o' },
    quiet: { type: 'boolean', short: 'q' },
    verbose: { type: 'boolean' },
    log: { type: 'string' },
    report: { type: 'string' },
    'trace-scheduling': { type: 'string' },
    plugin: { type: 'string', multiple: true },
    config: { type: 'string' },
    ...VERSION_OPTION_DEFS,
  },
  run(args, io) {
    const files = inputFiles(args, 'run');
    const opts: RunOptions = { ...versionOptions(args, 'run') };
    const seed = args.values['seed'];
    if (typeof seed === 'string') {
      if (!/^\d+$/.test(seed) || !Number.isSafeInteger(Number(seed))) throw new UsageError(`invalid --seed ${JSON.stringify(seed)}: must be a non-negative integer`, 'run');
      opts.seed = Number(seed);
    }
    const until = args.values['until'];
    if (typeof until === 'string') {
      let ms: number;
      try {
        ms = parseDuration(until);
      } catch (e) {
        throw new UsageError(`invalid --until ${JSON.stringify(until)}: ${e instanceof Error ? e.message : String(e)}`, 'run');
      }
      opts.until = ms;
      if (ms < 0) throw new UsageError(`invalid --until ${JSON.stringify(until)}: must not be negative`, 'run');
    }
    const output = args.values['output'] ?? 'table';
    if (output !== 'table' && output !== 'json') throw new UsageError(`invalid --output ${JSON.stringify(output)}: must be table or json`, 'run');
    opts.components = { ...opts.components, ...pluginRegistry(args, io, 'run') };
    const loaded = loadScenario(files);
    const quiet = args.values['quiet'] === true;
    if (quiet && args.values['verbose'] === true) throw new UsageError('--quiet and --verbose cannot be used together', 'run');
    if (!quiet) for (const w of loaded.warnings) io.stderr(`warning: ${w}\n`);
    const logPath = args.values['log'];
    let sink: FileRunLogSink | undefined;
    if (typeof logPath === 'string') {
      try {
        sink = new FileRunLogSink(logPath);
      } catch (e) {
        throw new UsageError(`cannot open --log file ${JSON.stringify(logPath)}: ${e instanceof Error ? e.message : String(e)}`, 'run');
      }
      opts.log = sink;
    }
    const reportPath = args.values['report'];
    // Fail before the run, not after it, when the report cannot be written.
    if (typeof reportPath === 'string') {
      try {
        writeReport(reportPath, '', 'run');
      } catch (e) {
        sink?.close();
        throw e;
      }
    }
    const report = typeof reportPath === 'string' ? new ReportSink(sink) : undefined;
    if (report) opts.log = report;
    const tracePath = args.values['trace-scheduling'];
    let trace: NdjsonTraceRecorder | undefined;
    if (typeof tracePath === 'string') {
      try {
        trace = new NdjsonTraceRecorder(tracePath);
      } catch (e) {
        sink?.close();
        throw new UsageError(`cannot open --trace-scheduling file ${JSON.stringify(tracePath)}: ${e instanceof Error ? e.message : String(e)}`, 'run');
      }
      opts.components = { ...opts.components, schedulingRecorder: trace };
    }
    // A progress line on a terminal's stderr for long runs; it watches the run log, so the run is unchanged.
    const progress = io.stderrIsTTY && !quiet ? new ProgressSink((s) => io.stderr(s), opts.log) : undefined;
    if (progress) opts.log = progress;
    try {
      // The loaded objects are not read again here: their memory goes back for the run.
      const result = runScenario(loaded, { ...opts, consumeObjects: true });
      progress?.clear();
      if (sink || report) {
        // The log's last record: what a report of the log needs beyond writes and Events.
        const rec = runResultRecord(result.endTimeMs, result.endTime, {
          name: result.name,
          seed: result.seed,
          startTime: result.startTime,
          endTimeMs: result.endTimeMs,
          expectations: result.expectations.map((e) => ({ at: e.at, expectation: e.expectation, passed: e.passed, actual: e.actual, ...(e.note ? { note: e.note } : {}) })),
          warnings: result.warnings,
        });
        (report ?? sink)!.write(rec);
      }
      if (report && typeof reportPath === 'string') writeReport(reportPath, renderReport(report.builder.finish(result.endTimeMs)), 'run');
      io.stdout(output === 'json' ? renderJson(result) : quiet ? renderQuiet(result) : renderTable(result, { files, verbose: args.values['verbose'] === true }));
      return result.passed ? EXIT_OK : EXIT_FAILED;
    } finally {
      progress?.clear();
      sink?.close();
      trace?.close();
    }
  },
};
