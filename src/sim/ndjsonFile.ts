/**
 * An NDJSON file written in large chunks with synchronous writes: the run
 * log and the scheduling trace can run to millions of lines, and the engine
 * loop is synchronous, so lines are buffered and flushed every `chunkBytes`.
 */
import * as fs from 'node:fs';

export class NdjsonFile {
  private fd: number | undefined;
  private buffer: string[] = [];
  private buffered = 0;
  /** Lines written so far. */
  count = 0;

  constructor(
    readonly path: string,
    private readonly chunkBytes = 1 << 20,
  ) {
    this.fd = fs.openSync(path, 'w');
  }

  writeLine(value: unknown): void {
    const line = `${JSON.stringify(value)}\n`;
    this.buffer.push(line);
    this.buffered += line.length;
    this.count++;
    if (this.buffered >= this.chunkBytes) this.flush();
  }

  flush(): void {
    if (this.fd === undefined) throw new Error(`${this.path} is closed`);
    if (this.buffer.length === 0) return;
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
