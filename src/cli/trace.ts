/**
 * `--trace-scheduling FILE`: every scheduling attempt as one NDJSON line, in
 * the AttemptRecord form `ksim explain --output json` prints (filter verdicts
 * per evaluated node, per-plugin scores, the chosen node or the failure
 * message, and PostFilter/preemption: candidates, victims, nominated node).
 * Only created when asked for: without it the scheduler has no recorder and
 * builds no records.
 */
import * as fs from 'node:fs';
import type { AttemptRecord, AttemptRecorder } from '../scheduler/explain/record.ts';

export class NdjsonTraceRecorder implements AttemptRecorder {
  private fd: number | undefined;
  private buffer: string[] = [];
  private buffered = 0;
  count = 0;

  constructor(
    readonly path: string,
    private readonly chunkBytes = 1 << 20,
  ) {
    this.fd = fs.openSync(path, 'w');
  }

  record(r: AttemptRecord): void {
    const line = `${JSON.stringify(r)}\n`;
    this.buffer.push(line);
    this.buffered += line.length;
    this.count++;
    if (this.buffered >= this.chunkBytes) this.flush();
  }

  flush(): void {
    if (this.fd === undefined || this.buffer.length === 0) return;
    fs.writeSync(this.fd, this.buffer.join(''));
    this.buffer = [];
    this.buffered = 0;
  }

  close(): void {
    if (this.fd === undefined) return;
    this.flush();
    fs.closeSync(this.fd);
    this.fd = undefined;
  }
}
