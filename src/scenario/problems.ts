/**
 * Problems found while loading a scenario: every one names where it is (file,
 * 1-based document index, line and column, field path) so a user can fix all
 * of them in one pass. The loader collects them all and throws one
 * ScenarioError; it never throws anything else.
 *
 * Field messages are rendered as apimachinery's field.Error
 * ("<path>: Invalid value: "lots": ..."); see src/api/errors.ts.
 */
import { formatFieldError, type FieldError } from '../api/errors.ts';

export interface Problem {
  file: string;
  /** 1-based index of the YAML document in the file. */
  document?: number;
  /** "Pod default/web", "Scenario quickstart", "Pod default/web at spec.objects[3]". */
  object?: string;
  /** 1-based line and column. */
  line?: number;
  column?: number;
  /** Field path inside the document or object, upstream notation. */
  path?: string;
  /** The message without the path. */
  message: string;
}

export function formatProblem(p: Problem): string {
  let where = p.file;
  const parts: string[] = [];
  if (p.document !== undefined) parts.push(`document ${p.document}${p.object ? ` (${p.object})` : ''}`);
  if (p.line !== undefined) parts.push(`line ${p.line}${p.column !== undefined ? `, column ${p.column}` : ''}`);
  if (parts.length) where += `: ${parts.join(', ')}`;
  return p.path ? `${where}: ${p.path}: ${p.message}` : `${where}: ${p.message}`;
}

/** The field error's text without its leading "<path>: ". */
export function fieldErrorMessage(e: FieldError): string {
  return formatFieldError({ ...e, path: '' }).replace(/^: /, '');
}

export class ScenarioError extends Error {
  constructor(readonly problems: Problem[]) {
    super(problems.length === 1 ? formatProblem(problems[0]!) : `${problems.length} problems:\n${problems.map(formatProblem).join('\n')}`);
    this.name = 'ScenarioError';
  }
}

/** Join a base path and a relative field path as upstream prints them. */
export function joinPath(base: string, rel: string): string {
  if (!base) return rel;
  if (!rel) return base;
  return rel.startsWith('[') ? `${base}${rel}` : `${base}.${rel}`;
}
