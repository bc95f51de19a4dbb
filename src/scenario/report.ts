/**
 * Collects problems and warnings while loading, resolving each field path
 * to a line and column through the value's Origin.
 */
import type { FieldError } from '../api/errors.ts';
import { fieldErrorMessage, joinPath, type Problem } from './problems.ts';
import { locate } from './source.ts';
import type { Origin } from './types.ts';

export class Reporter {
  readonly problems: Problem[] = [];
  readonly warnings: string[] = [];

  /** A field error at `e.path`, relative to the origin's value. */
  field(origin: Origin, e: FieldError): void {
    this.add(origin, e.path, fieldErrorMessage(e), e.value);
  }

  fields(origin: Origin, errs: readonly FieldError[]): void {
    for (const e of errs) this.field(origin, e);
  }

  /** A problem at a path relative to the origin's value ("" for the value itself). */
  add(origin: Origin, path: string, message: string, valueHint?: unknown): void {
    const docPath = origin.mapPath ? origin.mapPath(path) : joinPath(origin.basePath, path);
    const pos = locate(origin.source, docPath, valueHint);
    this.problems.push({
      file: origin.file,
      document: origin.document,
      ...(origin.object ? { object: origin.object } : {}),
      ...(pos ? { line: pos.line, column: pos.column } : {}),
      ...(path ? { path } : {}),
      message,
    });
  }

  warn(message: string): void {
    this.warnings.push(message);
  }
}

/** A child origin for a value nested at `path` under `origin` (same document). */
export function childOrigin(origin: Origin, path: string, object?: string): Origin {
  return { ...origin, basePath: joinPath(origin.basePath, path), ...(object !== undefined ? { object } : {}) };
}
