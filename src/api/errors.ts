/**
 * Field errors as apimachinery's `field.Error`: a path, a type and a detail,
 * rendered as `<path>: <Type>: <detail>` with the offending value where
 * upstream shows it, e.g.
 *   spec.containers[0].resources.requests[cpu]: Invalid value: "abc": quantities must match the regular expression ...
 *
 * Paths use upstream's notation: dots for fields, [i] for list indexes,
 * [key] for map keys.
 */

export type FieldErrorType =
  | 'Required'
  | 'Invalid'
  | 'NotSupported'
  | 'Duplicate'
  | 'Forbidden'
  | 'TooLong'
  | 'TooMany'
  | 'TypeInvalid'
  | 'FieldValueUnknown'
  | 'NotFound';

const TYPE_TEXT: Record<FieldErrorType, string> = {
  Required: 'Required value',
  Invalid: 'Invalid value',
  NotSupported: 'Unsupported value',
  Duplicate: 'Duplicate value',
  Forbidden: 'Forbidden',
  TooLong: 'Too long',
  TooMany: 'Too many',
  TypeInvalid: 'Invalid value',
  FieldValueUnknown: 'Unknown field',
  NotFound: 'Not found',
};

export interface FieldError {
  /** e.g. "spec.containers[0].resources.requests[cpu]" */
  path: string;
  type: FieldErrorType;
  /** The offending value, when upstream prints it. */
  value?: unknown;
  /** Human detail, e.g. "must be greater than or equal to 0". */
  detail: string;
}

/** The value as upstream prints it in an error: strings quoted, numbers bare. */
function renderValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (v === null) return 'null';
  return JSON.stringify(v);
}

export function formatFieldError(e: FieldError): string {
  const head = `${e.path}: ${TYPE_TEXT[e.type]}`;
  const showsValue = e.value !== undefined && (e.type === 'Invalid' || e.type === 'NotSupported' || e.type === 'Duplicate' || e.type === 'TypeInvalid');
  const parts = [head];
  if (showsValue) parts.push(renderValue(e.value));
  if (e.detail) parts.push(e.detail);
  return parts.join(': ');
}

/** Helpers that build paths the way upstream prints them. */
export const fieldPath = {
  child(base: string, name: string): string {
    return base ? `${base}.${name}` : name;
  },
  index(base: string, i: number): string {
    return `${base}[${i}]`;
  },
  key(base: string, k: string): string {
    return `${base}[${k}]`;
  },
};

/** Thrown by pure api/ functions that reject input; carries every problem found. */
export class FieldErrorList extends Error {
  constructor(readonly errors: FieldError[]) {
    super(errors.map(formatFieldError).join('; '));
    this.name = 'FieldErrorList';
  }
}
