/** `ksim report RUNLOG -o out.html`: an HTML report with plots from a saved run log. */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from '../command.ts';
import { EXIT_OK, UsageError } from '../io.ts';
import { reportFromNdjson, ReportInputError } from '../report/data.ts';
import { renderReport } from '../report/html.ts';

/** Write the report file; a path that cannot be written is a usage error naming it. */
export function writeReport(path: string, html: string, command: string): void {
  try {
    writeFileSync(path, html);
  } catch (e) {
    throw new UsageError(`cannot write the report ${JSON.stringify(path)}: ${e instanceof Error ? e.message : String(e)}`, command);
  }
}

export const reportCommand: Command = {
  name: 'report',
  summary: 'Write an HTML report with plots from a run log (ksim run --log)',
  help: `Usage: ksim report RUNLOG -o OUT.html

Reads the NDJSON run log written by 'ksim run FILE --log RUNLOG' and writes
one self-contained HTML file (inline SVG, no script, nothing fetched): the
run's figures, pods by phase over time, pending time percentiles, per-node
CPU and memory allocation (and usage, when the run has NodeMetrics) as
heatmaps, scheduling throughput and attempts, Events over time by reason,
replicas against load for each HorizontalPodAutoscaler, evictions, and the
expectations' results. 'ksim run FILE --report OUT.html' writes the same
report straight from a run.

Options:
  -o, --output FILE    Where to write the HTML (required)
  -h, --help           Show this help`,
  options: {
    output: { type: 'string', short: 'o' },
  },
  run(args, io) {
    if (args.positionals.length !== 1) throw new UsageError('exactly one RUNLOG file is required (the NDJSON from ksim run --log)', 'report');
    const out = args.values['output'];
    if (typeof out !== 'string' || out === '') throw new UsageError('-o OUT.html is required', 'report');
    const path = args.positionals[0]!;
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      throw new UsageError(`cannot read the run log ${JSON.stringify(path)}: ${e instanceof Error ? e.message : String(e)}`, 'report');
    }
    let html: string;
    try {
      html = renderReport(reportFromNdjson(text, path));
    } catch (e) {
      if (e instanceof ReportInputError) throw new UsageError(e.message, 'report');
      throw e;
    }
    writeReport(out, html, 'report');
    io.stderr(`wrote ${out}\n`);
    return EXIT_OK;
  },
};
