/**
 * A short, readable diff between two versions of an object, for `ksim step`:
 * one line per field added (+), changed (~) or removed (-), with paths in the
 * notation expectations use (status.conditions[type=Ready].status). Lists of
 * objects that carry a `type` or `name` (conditions, containers, taints) are
 * matched by that key rather than by position, so a condition flipping shows
 * as one field, not as a replaced array.
 */

export interface FieldChange {
  op: '+' | '~' | '-';
  path: string;
  from?: unknown;
  to?: unknown;
}

/** Bookkeeping the API server changes on every write: it says nothing a student needs. */
const NOISE = new Set(['metadata.resourceVersion', 'metadata.generation', 'metadata.managedFields']);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The key a list's items are matched by, when every item has a distinct one. */
function listKey(a: readonly unknown[], b: readonly unknown[]): 'type' | 'name' | undefined {
  for (const k of ['type', 'name'] as const) {
    const ok = (xs: readonly unknown[]): boolean => {
      const seen = new Set<string>();
      for (const x of xs) {
        if (!isObject(x) || typeof x[k] !== 'string' || seen.has(x[k] as string)) return false;
        seen.add(x[k] as string);
      }
      return true;
    };
    if (a.length + b.length > 0 && ok(a) && ok(b)) return k;
  }
  return undefined;
}

function withoutKey(item: unknown, key: string): unknown {
  if (!isObject(item)) return item;
  const { [key]: _k, ...rest } = item;
  return rest;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function walk(from: unknown, to: unknown, path: string, out: FieldChange[]): void {
  if (NOISE.has(path)) return;
  if (from === undefined && to === undefined) return;
  // A whole new (or removed) object reads better as its fields.
  if (from === undefined && isObject(to) && Object.keys(to).length > 0) from = {};
  if (to === undefined && isObject(from) && Object.keys(from).length > 0) to = {};
  if (from === undefined && Array.isArray(to) && listKey([], to)) from = [];
  if (to === undefined && Array.isArray(from) && listKey(from, [])) to = [];
  if (from === undefined) {
    out.push({ op: '+', path, to });
    return;
  }
  if (to === undefined) {
    out.push({ op: '-', path, from });
    return;
  }
  if (isObject(from) && isObject(to)) {
    const keys = [...new Set([...Object.keys(from), ...Object.keys(to)])].sort();
    for (const k of keys) walk(from[k], to[k], path ? `${path}.${k}` : k, out);
    return;
  }
  if (Array.isArray(from) && Array.isArray(to)) {
    const key = listKey(from, to);
    if (key) {
      const byKey = (xs: readonly unknown[]): Map<string, unknown> => new Map(xs.map((x) => [(x as Record<string, string>)[key]!, x]));
      const a = byKey(from);
      const b = byKey(to);
      const names = [...new Set([...a.keys(), ...b.keys()])];
      for (const n of names) {
        const p = `${path}[${key}=${n}]`;
        // A whole item added or removed (a new condition, a new container) is one line.
        if (!a.has(n)) out.push({ op: '+', path: p, to: withoutKey(b.get(n), key) });
        else if (!b.has(n)) out.push({ op: '-', path: p, from: withoutKey(a.get(n), key) });
        else walk(a.get(n), b.get(n), p, out);
      }
      return;
    }
  }
  if (!same(from, to)) out.push({ op: '~', path, from, to });
}

/** The changes from one version to the next (undefined = the object did not exist). */
export function diffObjects(from: unknown, to: unknown): FieldChange[] {
  const out: FieldChange[] = [];
  walk(from, to, '', out);
  return out;
}

/** Timestamps of a condition: they only repeat the step's own time. */
const TIMESTAMPS = new Set(['lastTransitionTime', 'lastProbeTime', 'lastUpdateTime', 'lastHeartbeatTime']);

/** An object in one line: k=v pairs (timestamps left out), nested values as JSON. */
function compact(o: Record<string, unknown>): string {
  return Object.keys(o)
    .filter((k) => !TIMESTAMPS.has(k) && o[k] !== undefined && o[k] !== null)
    .map((k) => {
      const v = o[k];
      // Quoted only when a bare string would be ambiguous (spaces, quotes, empty).
      return `${k}=${typeof v === 'string' && /^[^\s"=]+$/.test(v) ? v : JSON.stringify(v)}`;
    })
    .join(' ');
}

/** A value in one short line: strings bare, objects as k=v pairs, the rest as JSON, long text cut with an ellipsis. */
export function shortValue(v: unknown, max = 100): string {
  const s = typeof v === 'string' ? v : isObject(v) ? compact(v) : JSON.stringify(v) ?? 'null';
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

export function renderChange(c: FieldChange): string {
  if (c.op === '+') return `+ ${c.path}: ${shortValue(c.to)}`;
  if (c.op === '-') return `- ${c.path} (was ${shortValue(c.from)})`;
  return `~ ${c.path}: ${shortValue(c.from)} -> ${shortValue(c.to)}`;
}
