/**
 * `--trace-scheduling FILE`: every scheduling attempt as one NDJSON line, in
 * the AttemptRecord form `ksim explain --output json` prints (filter verdicts
 * per evaluated node, per-plugin scores, the chosen node or the failure
 * message, and PostFilter/preemption: candidates, victims, nominated node).
 * Only created when asked for: without it the scheduler has no recorder and
 * builds no records.
 */
import type { AttemptRecord, AttemptRecorder } from '../scheduler/explain/record.ts';
import { NdjsonFile } from '../sim/ndjsonFile.ts';

export class NdjsonTraceRecorder implements AttemptRecorder {
  private readonly file: NdjsonFile;

  constructor(
    readonly path: string,
    chunkBytes = 1 << 20,
  ) {
    this.file = new NdjsonFile(path, chunkBytes);
  }

  /** Attempts written so far. */
  get count(): number {
    return this.file.count;
  }

  record(r: AttemptRecord): void {
    this.file.writeLine(r);
  }

  flush(): void {
    this.file.flush();
  }

  close(): void {
    this.file.close();
  }
}
