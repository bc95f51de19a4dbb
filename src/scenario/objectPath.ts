/**
 * Paths into an object for expectations and field selectors:
 *   status.availableReplicas
 *   status.conditions[0].status            list index
 *   metadata.labels[app.kubernetes.io/name] map key (any characters but "]")
 *   status.conditions[type=Ready].status   first list element whose field equals the value
 * Field names are dotted identifiers (letters, digits, "_" and "-"). This is
 * deliberately smaller than kubectl's JSONPath: no wildcards, no ranges, no
 * expressions, so a path names at most one value.
 */

export type PathSegment =
  | { type: 'field'; name: string }
  | { type: 'index'; index: number }
  | { type: 'key'; key: string }
  | { type: 'match'; field: string; value: string };

export class PathSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PathSyntaxError';
  }
}

const FIELD = /^[A-Za-z_][A-Za-z0-9_-]*$/;

export function parseObjectPath(path: string): PathSegment[] {
  if (path === '') throw new PathSyntaxError('empty path');
  if (/^[{$.]/.test(path)) throw new PathSyntaxError(`unsupported path syntax ${JSON.stringify(path)}: use a dotted path such as status.conditions[0].status (not JSONPath)`);
  const segs: PathSegment[] = [];
  let i = 0;
  let expectField = true;
  while (i < path.length) {
    const c = path[i]!;
    if (c === '[') {
      const end = path.indexOf(']', i + 1);
      if (end < 0) throw new PathSyntaxError(`unclosed "[" at offset ${i} in ${JSON.stringify(path)}`);
      const inner = path.slice(i + 1, end);
      if (inner === '') throw new PathSyntaxError(`empty "[]" at offset ${i} in ${JSON.stringify(path)}`);
      if (/^\d+$/.test(inner)) segs.push({ type: 'index', index: Number(inner) });
      else if (inner === '*' || inner.includes(':') || inner.startsWith('?')) throw new PathSyntaxError(`unsupported selector [${inner}] in ${JSON.stringify(path)}: use [N], [key] or [field=value]`);
      else {
        const eq = inner.indexOf('=');
        if (eq > 0 && FIELD.test(inner.slice(0, eq))) segs.push({ type: 'match', field: inner.slice(0, eq), value: inner.slice(eq + 1) });
        else segs.push({ type: 'key', key: inner });
      }
      i = end + 1;
      expectField = false;
      if (i < path.length && path[i] !== '.' && path[i] !== '[') throw new PathSyntaxError(`expected "." or "[" after "]" at offset ${i} in ${JSON.stringify(path)}`);
      continue;
    }
    if (c === '.') {
      if (expectField) throw new PathSyntaxError(`empty field name at offset ${i} in ${JSON.stringify(path)}`);
      expectField = true;
      i++;
      if (i >= path.length) throw new PathSyntaxError(`path ends with "." in ${JSON.stringify(path)}`);
      continue;
    }
    let j = i;
    while (j < path.length && path[j] !== '.' && path[j] !== '[') j++;
    const name = path.slice(i, j);
    if (!FIELD.test(name)) throw new PathSyntaxError(`invalid field name ${JSON.stringify(name)} in ${JSON.stringify(path)}: use [key] for map keys with other characters`);
    segs.push({ type: 'field', name });
    expectField = false;
    i = j;
  }
  return segs;
}

/** The value at the path, or undefined when any step is missing. */
export function getPath(obj: unknown, segs: readonly PathSegment[]): unknown {
  let cur: unknown = obj;
  for (const s of segs) {
    if (cur === null || cur === undefined) return undefined;
    switch (s.type) {
      case 'field':
      case 'key': {
        if (typeof cur !== 'object' || Array.isArray(cur)) return undefined;
        const k = s.type === 'field' ? s.name : s.key;
        if (!Object.prototype.hasOwnProperty.call(cur, k)) return undefined;
        cur = (cur as Record<string, unknown>)[k];
        break;
      }
      case 'index':
        if (!Array.isArray(cur)) return undefined;
        cur = cur[s.index];
        break;
      case 'match':
        if (!Array.isArray(cur)) return undefined;
        cur = cur.find((item) => item !== null && typeof item === 'object' && scalarString((item as Record<string, unknown>)[s.field]) === s.value);
        break;
    }
  }
  return cur;
}

function scalarString(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

export interface FieldRequirement {
  path: PathSegment[];
  pathText: string;
  op: '=' | '!=';
  value: string;
}

/**
 * A field selector as `kubectl get --field-selector`: comma-separated
 * `path=value`, `path==value` or `path!=value` terms, all of which must hold.
 * A missing field compares as the empty string, as upstream's field sets do.
 */
export function parseFieldSelector(s: string): FieldRequirement[] {
  const terms = s.split(',').map((t) => t.trim());
  if (terms.some((t) => t === '')) throw new PathSyntaxError(`invalid field selector ${JSON.stringify(s)}: empty term`);
  return terms.map((t) => {
    const m = /^([^=!]+?)\s*(==|=|!=)\s*(.*)$/.exec(t);
    if (!m) throw new PathSyntaxError(`invalid field selector term ${JSON.stringify(t)}: expected path=value or path!=value`);
    const pathText = m[1]!.trim();
    return { path: parseObjectPath(pathText), pathText, op: m[2] === '!=' ? '!=' : '=', value: m[3]! };
  });
}

export function matchesFieldSelector(obj: unknown, reqs: readonly FieldRequirement[]): boolean {
  return reqs.every((r) => {
    const v = scalarString(getPath(obj, r.path)) ?? '';
    return r.op === '=' ? v === r.value : v !== r.value;
  });
}
