/**
 * Feeding a report from a run as it happens (`ksim run --report`): a run log
 * sink that hands every record to a ReportBuilder and on to the --log file,
 * if any, so the report of a run and the report of its saved log are the same.
 */
import type { RunLogRecord, RunLogSink } from '../../sim/types.ts';
import { ReportBuilder, RUN_RESULT_NOTE, type RunSummary } from './data.ts';

export class ReportSink implements RunLogSink {
  readonly builder = new ReportBuilder();

  constructor(private readonly next?: RunLogSink) {}

  write(record: RunLogRecord): void {
    this.builder.add(record);
    this.next?.write(record);
  }
}

/** The final record of a `ksim run` log: what the run knows beyond its writes and Events. */
export function runResultRecord(t: number, time: string, summary: RunSummary): RunLogRecord {
  return { t, time, type: 'note', message: RUN_RESULT_NOTE, detail: summary };
}
