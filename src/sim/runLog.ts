/**
 * The run log: one NDJSON record per store write (create/update/delete), per
 * recorded Event (new or count bumped), per timeline action and note, each
 * with virtual time `t` (ms) and `time` (RFC3339), in execution order — like
 * an audit log of kube-apiserver plus `kubectl get events -w`.
 *
 * Record bodies: `create` carries the full object; `update` carries `patch`,
 * an RFC 7386 JSON merge patch from the old to the new object (null deletes a
 * field, arrays are replaced whole), so a reader can replay the log;
 * `delete` carries neither.
 *
 * Sinks: memory (an array), file (buffered, flushed in chunks with
 * fs.writeSync and at close()), and none. With no sink the store and recorder
 * do not build records at all.
 */
import type { RunLogRecord, RunLogSink } from './types.ts';
import { NdjsonFile } from './ndjsonFile.ts';

/** Keeps every record in memory (tests, the CLI's step mode). */
export class MemoryRunLogSink implements RunLogSink {
  readonly records: RunLogRecord[] = [];

  write(record: RunLogRecord): void {
    this.records.push(record);
  }

  /** The log as NDJSON text. */
  toNDJSON(): string {
    return toNDJSON(this.records);
  }
}

/** Writes NDJSON to a file, buffered; call close() at the end of the run. */
export class FileRunLogSink implements RunLogSink {
  private readonly file: NdjsonFile;

  constructor(
    readonly path: string,
    chunkBytes = 1 << 20,
  ) {
    this.file = new NdjsonFile(path, chunkBytes);
  }

  write(record: RunLogRecord): void {
    this.file.writeLine(record);
  }

  flush(): void {
    this.file.flush();
  }

  close(): void {
    this.file.close();
  }
}

/** A sink that drops everything; the Simulation treats it as "no log" and builds no records. */
export const NULL_RUN_LOG: RunLogSink = Object.freeze({
  write(): void {},
});

export function toNDJSON(records: readonly RunLogRecord[]): string {
  let s = '';
  for (const r of records) s += `${JSON.stringify(r)}\n`;
  return s;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const bo = b as Record<string, unknown>;
  const ao = a as Record<string, unknown>;
  let an = 0;
  // for-in, not Object.keys: the same own keys in the same order for JSON data, without a key array per object
  // compared (the store compares every update with the stored object). a's members first: most unequal pairs
  // differ in one of them, and b's members are then never counted.
  for (const k in ao) {
    if (ao[k] === undefined) continue;
    an++;
    if (!jsonEqual(ao[k], bo[k])) return false;
  }
  // Every defined member of a equals b's: equal unless b has more defined members.
  let bn = 0;
  for (const k in bo) if (bo[k] !== undefined && ++bn > an) return false;
  return an === bn;
}

/** Deep equality of JSON-like values (undefined members count as absent). */
export { jsonEqual };

/**
 * RFC 7386 merge patch taking `from` to `to`, or undefined when they are equal.
 * Structural sharing makes it cheap: identical references are skipped at once.
 */
export function mergePatch(from: unknown, to: unknown): unknown {
  if (from === to) return undefined;
  if (!isPlainObject(from) || !isPlainObject(to)) return jsonEqual(from, to) ? undefined : to === undefined ? null : to;
  const patch: Record<string, unknown> = {};
  let changed = false;
  for (const k in from) {
    if (from[k] !== undefined && (!(k in to) || to[k] === undefined)) {
      patch[k] = null;
      changed = true;
    }
  }
  for (const k in to) {
    const v = to[k];
    if (v === undefined) continue;
    const old = from[k];
    if (old === v) continue;
    if (isPlainObject(old) && isPlainObject(v)) {
      const sub = mergePatch(old, v);
      if (sub !== undefined) {
        patch[k] = sub;
        changed = true;
      }
    } else if (!jsonEqual(old, v)) {
      patch[k] = v;
      changed = true;
    }
  }
  return changed ? patch : undefined;
}

/** Apply an RFC 7386 merge patch (used to replay a run log). */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return patch;
  const out: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const k in patch) {
    const v = patch[k];
    if (v === null) delete out[k];
    else out[k] = applyMergePatch(out[k], v);
  }
  return out;
}
