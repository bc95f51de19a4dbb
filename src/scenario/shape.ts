/**
 * Strict structural checks for ksim's own documents (the Scenario kind):
 * unknown fields and wrong types are errors, as the API server's strict
 * field validation (fieldValidation=Strict) treats Kubernetes objects.
 */
import type { FieldError } from '../api/errors.ts';

export type Plain = Record<string, unknown>;

export function isPlainObject(v: unknown): v is Plain {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The JSON type name of a value, as error messages name it. */
export function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v === 'object' ? 'object' : typeof v;
}

export function typeError(path: string, v: unknown, expected: string): FieldError {
  return { path, type: 'TypeInvalid', value: isPlainObject(v) || Array.isArray(v) ? undefined : v, detail: `expected ${expected}, got ${typeName(v)}` };
}

export class ShapeChecker {
  readonly errors: FieldError[] = [];

  /** A mapping with exactly these fields allowed; returns it or undefined (error recorded). */
  object(v: unknown, path: string, allowed: readonly string[], required: readonly string[] = []): Plain | undefined {
    if (!isPlainObject(v)) {
      this.errors.push(typeError(path, v, 'object'));
      return undefined;
    }
    for (const k of Object.keys(v)) {
      if (!allowed.includes(k)) this.errors.push({ path: path ? `${path}.${k}` : k, type: 'FieldValueUnknown', detail: '' });
    }
    for (const k of required) {
      if (v[k] === undefined || v[k] === null) this.errors.push({ path: path ? `${path}.${k}` : k, type: 'Required', detail: '' });
    }
    return v;
  }

  /** Any mapping (free-form content). */
  mapping(v: unknown, path: string): Plain | undefined {
    if (isPlainObject(v)) return v;
    this.errors.push(typeError(path, v, 'object'));
    return undefined;
  }

  string(v: unknown, path: string): string | undefined {
    if (typeof v === 'string') return v;
    this.errors.push(typeError(path, v, 'string'));
    return undefined;
  }

  int(v: unknown, path: string, min?: number): number | undefined {
    if (typeof v === 'number' && Number.isInteger(v) && !Number.isSafeInteger(v)) {
      // An integer too large to hold exactly: say so, not "expected integer, got integer".
      this.errors.push({ path, type: 'Invalid', value: v, detail: `must be an integer of at most ${Number.MAX_SAFE_INTEGER} in magnitude` });
      return undefined;
    }
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) {
      this.errors.push(typeError(path, v, 'integer'));
      return undefined;
    }
    if (min !== undefined && v < min) {
      this.errors.push({ path, type: 'Invalid', value: v, detail: `must be greater than or equal to ${min}` });
      return undefined;
    }
    return v;
  }

  bool(v: unknown, path: string): boolean | undefined {
    if (typeof v === 'boolean') return v;
    this.errors.push(typeError(path, v, 'boolean'));
    return undefined;
  }

  list(v: unknown, path: string): unknown[] | undefined {
    if (Array.isArray(v)) return v;
    this.errors.push(typeError(path, v, 'array'));
    return undefined;
  }

  /** A map of strings (labels, annotations). */
  stringMap(v: unknown, path: string): Record<string, string> | undefined {
    if (!isPlainObject(v)) {
      this.errors.push(typeError(path, v, 'object'));
      return undefined;
    }
    const out: Record<string, string> = {};
    let ok = true;
    for (const [k, val] of Object.entries(v)) {
      if (typeof val !== 'string') {
        this.errors.push(typeError(`${path}[${k}]`, val, 'string'));
        ok = false;
      } else out[k] = val;
    }
    return ok ? out : undefined;
  }
}

/** A deep copy of JSON-like data (api/jsonClone.ts). */
export { cloneJson } from '../api/jsonClone.ts';
