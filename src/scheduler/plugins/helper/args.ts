/**
 * Decoding of a plugin's `args` from KubeSchedulerConfiguration.pluginConfig,
 * in the spirit of kube-scheduler v1.31's strict decoding into the typed args
 * (pkg/scheduler/apis/config/v1): unknown fields are rejected, `apiVersion`
 * and `kind` are accepted (they name the args type), and a missing args
 * object means "all defaults".
 */
import { FieldErrorList, type FieldError } from '../../../api/errors.ts';

export type ArgsObject = Record<string, unknown>;

/** Returns the args as an object (empty when absent); throws FieldErrorList on a non-object or unknown fields. */
export function decodeArgs(args: unknown, kind: string, known: readonly string[], path = ''): ArgsObject {
  if (args === undefined || args === null) return {};
  if (typeof args !== 'object' || Array.isArray(args)) {
    throw new FieldErrorList([{ path: path || 'args', type: 'Invalid', value: args, detail: `want args to be of type ${kind}` }]);
  }
  const obj = args as ArgsObject;
  const errs: FieldError[] = [];
  for (const k of Object.keys(obj)) {
    if (k === 'apiVersion') continue;
    if (k === 'kind') {
      if (obj[k] !== kind) errs.push({ path: join(path, 'kind'), type: 'Invalid', value: obj[k], detail: `want args to be of type ${kind}` });
      continue;
    }
    if (!known.includes(k)) errs.push({ path: join(path, k), type: 'FieldValueUnknown', detail: '' });
  }
  if (errs.length > 0) throw new FieldErrorList(errs);
  return obj;
}

export function join(path: string, child: string): string {
  return path ? `${path}.${child}` : child;
}

/** A field that must be an integer (Go int32/int64) when present. */
export function intField(obj: ArgsObject, field: string, def: number, path: string, errs: FieldError[]): number {
  const v = obj[field];
  if (v === undefined || v === null) return def;
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    errs.push({ path: join(path, field), type: 'TypeInvalid', value: v, detail: 'must be an integer' });
    return def;
  }
  return v;
}

export function boolField(obj: ArgsObject, field: string, def: boolean, path: string, errs: FieldError[]): boolean {
  const v = obj[field];
  if (v === undefined || v === null) return def;
  if (typeof v !== 'boolean') {
    errs.push({ path: join(path, field), type: 'TypeInvalid', value: v, detail: 'must be a boolean' });
    return def;
  }
  return v;
}

export function stringField(obj: ArgsObject, field: string, def: string, path: string, errs: FieldError[]): string {
  const v = obj[field];
  if (v === undefined || v === null) return def;
  if (typeof v !== 'string') {
    errs.push({ path: join(path, field), type: 'TypeInvalid', value: v, detail: 'must be a string' });
    return def;
  }
  return v;
}
