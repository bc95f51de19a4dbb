/**
 * `{ ...o }` for the frozen plain objects the store copies (a stored object's top level, its metadata).
 *
 * Why: V8's spread has no fast path for a frozen source (its properties are read-only, the copy's
 * are not): ~150 ns for a pod's metadata against ~25 ns for an object literal naming the same keys
 * (Node 20). The store spreads a frozen object on every status write and every metadata-keeping
 * write (~140,000 a churn hour). So each key layout seen gets an object literal of its own, made
 * once: `{"apiVersion": o["apiVersion"], "kind": o["kind"], ...}`, the keys in the source's order.
 *
 * Exactly the spread's result: a spread copies the own enumerable string-keyed properties in
 * [[OwnPropertyKeys]] order (integer-like keys first, ascending, then the rest in insertion order)
 * by [[Get]], into new writable, enumerable, configurable data properties. With the prototype
 * Object.prototype or null (no inherited enumerable keys), for-in visits exactly those keys in that
 * order, so the layout found is the key list; the literal reads each by [[Get]] and defines the same
 * data properties in the same order (a literal's integer-like keys end up first, ascending, as
 * well). Not taken: any other prototype, and a `__proto__` key (in a literal it would set the
 * prototype, not define a property); those are spread. Symbol keys (which for-in does not see) are
 * outside the store's objects (JSON-like: from YAML, JSON or code literals); the store's deep
 * freeze and JSON output ignore them too. test/sim/plainCopy.property.test.ts compares with the
 * spread on generated objects.
 */

type Copier = (o: object) => Record<string, unknown>;

/** A trie of key layouts: the child after each next key, and a copier where a layout ends. */
class Layout {
  readonly keys: string[] = [];
  readonly kids: Layout[] = [];
  copy: Copier | undefined = undefined;

  next(k: string): Layout | undefined {
    const keys = this.keys;
    for (let i = 0; i < keys.length; i++) if (keys[i] === k) return this.kids[i];
    return undefined;
  }

  add(k: string): Layout {
    const kid = new Layout();
    this.keys.push(k);
    this.kids.push(kid);
    return kid;
  }
}

const root = new Layout();
let layouts = 0;
/** A bound on the literals made (each is a compiled function): beyond it, new layouts are spread. */
const MAX_LAYOUTS = 256;

/** The copy's type: the source's keys, writable (a spread's copy is not frozen). */
export type Thawed<T> = { -readonly [K in keyof T]: T[K] };

export function plainCopy<T extends object>(o: T): Thawed<T> {
  const proto: unknown = Object.getPrototypeOf(o);
  if (proto !== Object.prototype && proto !== null) return { ...o };
  let at: Layout | undefined = root;
  for (const k in o) {
    at = at.next(k);
    if (at === undefined) break;
  }
  if (at?.copy !== undefined) return at.copy(o) as Thawed<T>;
  learn(o);
  return { ...o };
}

/** Records `o`'s layout and makes its literal (once per layout, up to MAX_LAYOUTS). */
function learn(o: object): void {
  if (layouts >= MAX_LAYOUTS) return;
  const keys: string[] = [];
  for (const k in o) keys.push(k);
  if (keys.includes('__proto__')) return;
  let at = root;
  for (const k of keys) at = at.next(k) ?? at.add(k);
  if (at.copy !== undefined) return;
  layouts++;
  const fields = keys.map((k) => `${JSON.stringify(k)}: o[${JSON.stringify(k)}]`).join(', ');
  // A literal per layout is the point (see the top): a generic loop of keyed stores is as slow as the spread.
  // The keys are quoted with JSON.stringify, so the source is an object literal whatever they contain.
  at.copy = new Function('o', `'use strict'; return { ${fields} };`) as Copier;
}
