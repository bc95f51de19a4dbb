/**
 * One-pass structural check of a decoded JSON/YAML value against a compiled
 * schema node, as the API server's strict decoding (fieldValidation=Strict,
 * k8s.io/apimachinery json/yaml serializers with sigs.k8s.io/json strict
 * options) and Go's encoding/json type rules see it:
 *  - a field the Go struct does not declare is an unknown field (field names
 *    are case-sensitive, as in sigs.k8s.io/json);
 *  - a value of the wrong JSON type is a type error (encoding/json's
 *    "cannot unmarshal <got> into Go struct field ... of type <want>");
 *    int32 fields also reject numbers outside the int32 range, and integers
 *    reject fractions;
 *  - null is accepted for any field (it decodes to the zero value);
 *  - a field upstream's OpenAPI marks required that is absent or null is
 *    Required (what client-side schema validation reported), except inside a
 *    `status` object, which components write and API validation leaves to
 *    each status field.
 */
import type { FieldError } from '../errors.ts';
import type { ObjectType, Scalar, SchemaNode } from './model.ts';

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
// int64 bounds as doubles: a JSON number beyond them cannot be decoded.
const INT64_LIMIT = 9223372036854775807;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The JSON type of a value, as error details name it. */
export function jsonTypeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  if (typeof v === 'bigint') return 'integer';
  return typeof v;
}

const EXPECTED: Record<Scalar, string> = {
  string: 'string',
  boolean: 'boolean',
  int32: 'integer',
  int64: 'integer',
  number: 'number',
  quantity: 'quantity (string or number)',
  'int-or-string': 'integer or string',
  'int64-or-string': 'duration string or integer',
  any: 'any',
};

function typeError(path: string, v: unknown, expected: string): FieldError {
  // Composite values are not echoed: the path says where, the detail says what.
  const value = typeof v === 'object' && v !== null ? undefined : v;
  return { path, type: 'TypeInvalid', value, detail: `expected ${expected}, got ${jsonTypeName(v)}` };
}

function rangeError(path: string, v: unknown, bits: 32 | 64): FieldError {
  const detail =
    bits === 32
      ? `expected a 32-bit integer (${INT32_MIN} to ${INT32_MAX})`
      : 'expected a 64-bit integer (-9223372036854775808 to 9223372036854775807)';
  return { path, type: 'TypeInvalid', value: v, detail };
}

/** Integer check for int32/int64 fields; returns an error or undefined. */
function checkInteger(v: unknown, path: string, bits: 32 | 64): FieldError | undefined {
  if (typeof v === 'bigint') {
    const ok = bits === 32 ? v >= BigInt(INT32_MIN) && v <= BigInt(INT32_MAX) : v >= -(2n ** 63n) && v < 2n ** 63n;
    return ok ? undefined : rangeError(path, v, bits);
  }
  if (typeof v !== 'number' || !Number.isInteger(v)) return typeError(path, v, 'integer');
  if (bits === 32 ? v < INT32_MIN || v > INT32_MAX : v < -INT64_LIMIT - 1 || v >= INT64_LIMIT) {
    return rangeError(path, v, bits);
  }
  return undefined;
}

function checkScalar(s: Scalar, v: unknown, path: string): FieldError | undefined {
  let err: FieldError | undefined;
  switch (s) {
    case 'any':
      return undefined;
    case 'string':
      if (typeof v !== 'string') err = typeError(path, v, EXPECTED.string);
      break;
    case 'boolean':
      if (typeof v !== 'boolean') err = typeError(path, v, EXPECTED.boolean);
      break;
    case 'int32':
      err = checkInteger(v, path, 32);
      break;
    case 'int64':
      err = checkInteger(v, path, 64);
      break;
    case 'number':
      if (!(typeof v === 'number' && Number.isFinite(v))) err = typeError(path, v, EXPECTED.number);
      break;
    case 'quantity':
      // resource.Quantity.UnmarshalJSON accepts a JSON string or a bare number.
      if (typeof v !== 'string' && !(typeof v === 'number' && Number.isFinite(v)) && typeof v !== 'bigint') {
        err = typeError(path, v, EXPECTED.quantity);
      }
      break;
    case 'int-or-string':
      // intstr.IntOrString: a JSON string, else an int32.
      if (typeof v !== 'string') {
        err = typeof v === 'number' || typeof v === 'bigint' ? checkInteger(v, path, 32) : typeError(path, v, EXPECTED['int-or-string']);
      }
      break;
    case 'int64-or-string':
      if (typeof v !== 'string') {
        err = typeof v === 'number' || typeof v === 'bigint' ? checkInteger(v, path, 64) : typeError(path, v, EXPECTED['int64-or-string']);
      }
      break;
  }
  return err;
}

/** A likely intended field for an unknown one: same name ignoring case, or one or two edits away. */
export function suggestField(type: ObjectType, unknown: string): string | undefined {
  const lower = unknown.toLowerCase();
  let best: string | undefined;
  let bestDist = Infinity;
  let tie = false;
  for (const name of type.fields.keys()) {
    const d = name.toLowerCase() === lower ? 0 : editDistance(lower, name.toLowerCase(), 2);
    if (d < bestDist) {
      best = name;
      bestDist = d;
      tie = false;
    } else if (d === bestDist) tie = true;
  }
  const allowed = unknown.length >= 5 ? 2 : unknown.length >= 3 ? 1 : 0;
  return best !== undefined && !tie && bestDist <= allowed ? best : undefined;
}

/**
 * Edit distance counting an adjacent transposition as one edit ("nmae" is
 * one edit from "name"); gives up, returning limit+1, once past `limit`.
 */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) {
        v = Math.min(v, prev2[j - 2]! + 1);
      }
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > limit) return limit + 1;
    prev2 = prev;
    prev = cur;
  }
  return prev[b.length]!;
}

/**
 * The walk keeps the current path as a stack of segments (".name", "[3]",
 * "[key]") and joins it only when it reports an error, so a valid object
 * costs no string building.
 */
class Walker {
  readonly errs: FieldError[] = [];
  private readonly segs: string[] = [];
  /** Inside a `status` object, where Required is not reported. */
  private inStatus = false;

  constructor(
    private readonly root: string,
    private readonly required: boolean,
  ) {}

  private path(last?: string): string {
    let p = this.root;
    const n = this.segs.length;
    for (let i = 0; i < n; i++) p += this.segs[i];
    if (last !== undefined) p += last;
    // A root-level field has no leading dot.
    return p.charCodeAt(0) === 46 /* . */ ? p.slice(1) : p;
  }

  node(node: SchemaNode, v: unknown): void {
    switch (node.k) {
      case 'scalar':
        if (!scalarOk(node.s, v)) this.errs.push(scalarError(node.s, v, this.path()));
        return;
      case 'object':
        if (!isPlainObject(v)) this.errs.push(typeError(this.path(), v, 'object'));
        else this.object(node.type, v);
        return;
      case 'list':
        if (!Array.isArray(v)) {
          this.errs.push(typeError(this.path(), v, 'array'));
          return;
        }
        for (let i = 0; i < v.length; i++) {
          const item: unknown = v[i];
          if (item === null || item === undefined) continue;
          this.segs.push(`[${i}]`);
          this.node(node.item, item);
          this.segs.pop();
        }
        return;
      case 'map':
        if (!isPlainObject(v)) {
          this.errs.push(typeError(this.path(), v, 'object'));
          return;
        }
        for (const key of Object.keys(v)) {
          const item = v[key];
          if (item === null || item === undefined) continue;
          this.segs.push(`[${key}]`);
          this.node(node.value, item);
          this.segs.pop();
        }
        return;
    }
  }

  private object(type: ObjectType, v: Record<string, unknown>): void {
    for (const key of Object.keys(v)) {
      const fieldNode = type.fields.get(key);
      if (!fieldNode) {
        const hint = suggestField(type, key);
        this.errs.push({ path: this.path(`.${key}`), type: 'FieldValueUnknown', detail: hint ? `did you mean "${hint}"?` : '' });
        continue;
      }
      const fv = v[key];
      if (fv === null || fv === undefined) continue;
      this.segs.push(`.${key}`);
      // Everything inside a status object is written by components; upstream
      // never rejects it for missing "required" members.
      const entersStatus = key === 'status' && fieldNode.k === 'object' && !this.inStatus;
      if (entersStatus) this.inStatus = true;
      this.node(fieldNode, fv);
      if (entersStatus) this.inStatus = false;
      this.segs.pop();
    }
    if (this.required && !this.inStatus) {
      for (const name of type.required) {
        if (v[name] === undefined || v[name] === null) this.errs.push({ path: this.path(`.${name}`), type: 'Required', detail: '' });
      }
    }
  }
}

function scalarOk(s: Scalar, v: unknown): boolean {
  switch (s) {
    case 'any':
      return true;
    case 'string':
      return typeof v === 'string';
    case 'boolean':
      return typeof v === 'boolean';
    case 'int32':
      return typeof v === 'number' && Number.isInteger(v) && v >= INT32_MIN && v <= INT32_MAX;
    case 'quantity':
      return typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));
    case 'int-or-string':
      return typeof v === 'string' || (typeof v === 'number' && Number.isInteger(v) && v >= INT32_MIN && v <= INT32_MAX);
    default:
      // Rarer scalars (and bigint inputs) take the detailed path.
      return checkScalar(s, v, '') === undefined;
  }
}

function scalarError(s: Scalar, v: unknown, path: string): FieldError {
  return checkScalar(s, v, path) ?? typeError(path, v, EXPECTED[s]);
}

export interface WalkOptions {
  /** Report Required errors for fields the schema marks required (default true). */
  required?: boolean;
}

/** Validate a possibly-absent value against `node`: null/undefined pass. */
export function checkValue(node: SchemaNode, v: unknown, path: string, opts: WalkOptions = {}): FieldError[] {
  if (v === null || v === undefined) return [];
  const w = new Walker(path, opts.required ?? true);
  w.node(node, v);
  return w.errs;
}
