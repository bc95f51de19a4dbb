/**
 * Reading input files with the limits a user can rely on: every file is read
 * up to a size limit (so `ksim run /dev/zero` or a runaway generated file stops
 * with a message instead of exhausting memory), and must be UTF-8 text (YAML
 * 1.2 input as kubectl reads it), said plainly when it is not.
 */
import { closeSync, openSync, readSync } from 'node:fs';

/** One input file at most: far above any realistic scenario (150,000 pods are about 25 MiB of YAML). */
export const MAX_INPUT_FILE_BYTES = 128 * 1024 * 1024;
/** All input files of one load together. */
export const MAX_INPUT_TOTAL_BYTES = 256 * 1024 * 1024;

export class InputError extends Error {}

const MiB = 1024 * 1024;

/** Read a file as UTF-8 text, failing with an InputError past `limit` bytes or on bytes that are not UTF-8. */
export function readInputFile(path: string, limit = MAX_INPUT_FILE_BYTES, limitText = `ksim's input limit of ${MAX_INPUT_FILE_BYTES / (1024 * 1024)} MiB per file`): string {
  const fd = openSync(path, 'r');
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(8 * MiB, limit + 1 - total));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(n === chunk.length ? chunk : chunk.subarray(0, n));
      total += n;
      if (total > limit) throw new InputError(`is larger than ${limitText}`);
    }
  } finally {
    closeSync(fd);
  }
  return decodeUtf8(Buffer.concat(chunks, total));
}

/** UTF-8 text without a BOM; a clear message for UTF-16 and other encodings. */
export function decodeUtf8(bytes: Uint8Array): string {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    throw new InputError('is UTF-16 text; ksim reads UTF-8 (convert it, e.g. iconv -f UTF-16 -t UTF-8)');
  }
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch {
    const at = firstInvalidUtf8(bytes);
    const line = countLines(bytes, at);
    throw new InputError(`is not UTF-8 text (invalid byte 0x${bytes[at]!.toString(16).padStart(2, '0')} at line ${line}, byte offset ${at}); ksim reads UTF-8`);
  }
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    const len = c < 0x80 ? 1 : c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
    if (len === 0) return i;
    for (let k = 1; k < len; k++) {
      const cc = b[i + k];
      if (cc === undefined || (cc & 0xc0) !== 0x80) return i;
    }
    i += len;
  }
  return Math.max(0, b.length - 1);
}

function countLines(b: Uint8Array, upTo: number): number {
  let line = 1;
  for (let i = 0; i < upTo; i++) if (b[i] === 0x0a) line++;
  return line;
}
