/**
 * A progress line for long runs, on stderr only when stderr is a terminal:
 * the virtual time reached, run-log records (store writes and Events) per
 * second of wall time, and the number of objects, redrawn in place and
 * cleared when the run ends. It appears only once a run has taken
 * PROGRESS_DELAY_MS of wall time, so short runs print nothing.
 *
 * It watches the run through the run log (a RunLogSink that forwards every
 * record to the real sink, if any): the engine knows nothing of it, and the
 * run is the same with or without it. Wall-clock reading is allowed here
 * (src/cli), never in the engine.
 */
import { formatDuration } from '../api/duration.ts';
import type { RunLogRecord, RunLogSink } from '../sim/types.ts';

export const PROGRESS_DELAY_MS = 1500;
const REDRAW_MS = 250;
/** Read the clock once per this many records (cheap enough for 10^6 records/s). */
const CHECK_EVERY = 512;

export type WallClock = () => number;

export class ProgressSink implements RunLogSink {
  private records = 0;
  private objects = 0;
  private virtual = 0;
  private readonly start: number;
  private lastDraw = -Infinity;
  private drawn = false;

  constructor(
    private readonly write_: (text: string) => void,
    private readonly inner: RunLogSink | undefined,
    private readonly clock: WallClock = () => performance.now(),
  ) {
    this.start = clock();
  }

  write(record: RunLogRecord): void {
    this.inner?.write(record);
    this.records++;
    this.virtual = record.t;
    if (record.type === 'create') this.objects++;
    else if (record.type === 'delete') this.objects--;
    if (this.records % CHECK_EVERY === 0) this.maybeDraw();
  }

  private maybeDraw(): void {
    const now = this.clock();
    const elapsed = now - this.start;
    if (elapsed < PROGRESS_DELAY_MS || now - this.lastDraw < REDRAW_MS) return;
    this.lastDraw = now;
    const rate = Math.round(this.records / (elapsed / 1000));
    this.write_(`\r\x1b[Kksim: virtual time ${formatDuration(this.virtual)}, ${rate} writes+events/s, ${this.objects} objects`);
    this.drawn = true;
  }

  /** Erase the line (call when the run ends, before anything else is printed). */
  clear(): void {
    if (this.drawn) this.write_('\r\x1b[K');
    this.drawn = false;
  }
}
