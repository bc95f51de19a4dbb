/**
 * `{ ...o }` for the frozen JSON objects the store keeps, without V8's slow path.
 *
 * Why: V8 spreads (and Object.assigns) a non-extensible source through its
 * generic runtime path, not the object-clone fast path: ~200 ns for an
 * ObjectMeta of ten keys, eight times an unfrozen source, on every update
 * (the new metadata, the status write's top level, the binding's spec and
 * status). An object literal listing the keys is ~35 ns; so for each key
 * layout met (a run has a few: one per writer of each kind) this keeps a
 * function returning that literal, and uses it once `o`'s keys, walked with
 * for-in (the map's enum cache), are that layout's exactly, in order.
 *
 * The copy is what the spread gives: the same keys in the same order, the
 * same values, a plain prototype. Only for JSON-like objects: own enumerable
 * string keys, data properties, Object.prototype (anything else is spread).
 */

type Copier = (o: Readonly<Record<string, unknown>>) => Record<string, unknown>;

interface Layout {
  readonly keys: readonly string[];
  readonly copy: Copier;
}

/** Layouts by their keys joined with NUL (two layouts that join alike: the second is spread). */
const layouts = new Map<string, Layout>();
/** Compiled layouts at most: past it, new layouts are spread (a run has a few dozen). */
const MAX_LAYOUTS = 256;
/**
 * Layouts a copier tries before looking its object's up (Object.keys, a join and a map lookup, ~100 ns):
 * a failed try stops at the first differing key, and a pod's metadata alone has several layouts
 * (bare and owned pods, with finalizers or not, being deleted).
 */
const RECENT = 8;
/** Longest layout compiled (larger objects are rare and spread). */
const MAX_KEYS = 32;

/**
 * A copier per call site: it checks the layouts it used last first (most
 * recent first), so the common case is one for-in walk and one literal.
 */
export class ShallowCopier {
  private readonly recent: Layout[] = [];

  /** `{ ...o }` for a JSON-like object `o` (an unfrozen one is spread: V8's fast path takes it). */
  copy<T extends object>(o: T): T {
    if (typeof o !== 'object' || o === null || !Object.isFrozen(o)) return { ...o };
    const r = o as unknown as Readonly<Record<string, unknown>>;
    const recent = this.recent;
    for (let i = 0; i < recent.length; i++) {
      const l = recent[i]!;
      if (hasLayout(r, l.keys)) {
        if (i > 0) {
          recent.splice(i, 1);
          recent.unshift(l);
        }
        return l.copy(r) as T;
      }
    }
    const l = layoutOf(r);
    if (l === undefined) return { ...o };
    recent.unshift(l);
    if (recent.length > RECENT) recent.pop();
    return l.copy(r) as T;
  }
}

/** Whether `o`'s enumerable keys (for-in: own and inherited, in order) are exactly `keys`. */
function hasLayout(o: Readonly<Record<string, unknown>>, keys: readonly string[]): boolean {
  let i = 0;
  for (const k in o) {
    if (i >= keys.length || keys[i] !== k) return false;
    i++;
  }
  return i === keys.length;
}

/** The compiled layout of `o`'s keys, or undefined when `o` must be spread. */
function layoutOf(o: Readonly<Record<string, unknown>>): Layout | undefined {
  if (Array.isArray(o) || Object.getPrototypeOf(o) !== Object.prototype) return undefined;
  const keys = Object.keys(o);
  if (keys.length > MAX_KEYS || Object.getOwnPropertySymbols(o).length > 0) return undefined;
  const id = keys.join('\u0000');
  let l = layouts.get(id);
  // The id files candidates only (no keys and one empty key, or keys holding a NUL, join alike): the keys decide.
  if (l !== undefined) return sameKeys(l.keys, keys) ? l : undefined;
  if (layouts.size >= MAX_LAYOUTS) return undefined;
  for (const k of keys) {
    // A literal's "__proto__" sets the prototype instead of a key; accessors are not copied by value.
    if (k === '__proto__') return undefined;
    const d = Object.getOwnPropertyDescriptor(o, k);
    if (d === undefined || !('value' in d) || !d.enumerable) return undefined;
  }
  // JSON.stringify quotes any key as a valid JavaScript string literal (the keys come from stored objects, never code).
  const body = `return {${keys.map((k) => `${JSON.stringify(k)}: o[${JSON.stringify(k)}]`).join(', ')}};`;
  const copy = new Function('o', body) as Copier;
  l = { keys, copy };
  layouts.set(id, l);
  return l;
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
