/**
 * Exact equality of JSON-like trees, stricter than comparing their JSON: the
 * same keys in the same order, arrays of the same length, and Object.is on
 * every leaf, so an undefined member, NaN or -0 is not taken for a missing
 * member, null or 0. Used where one tree stands in for another it equals
 * (the store's shared pod specs, validation results remembered per spec).
 */

/**
 * Keys of the objects being compared, on one shared stack (no array per
 * object: this runs for every pod created).
 */
const keyStack: string[] = [];
/** Entries of keyStack in use; the array itself never shrinks (shrinking it gave its storage back, and each pod's compare took new storage). */
let top = 0;

/** Whether two JSON-like trees are the same: same keys in the same order, same leaves (Object.is). */
export function sameTree(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const arrA = Array.isArray(a);
  if (arrA !== Array.isArray(b)) return false;
  if (arrA) {
    const x = a as unknown[];
    const y = b as unknown[];
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!sameTree(x[i], y[i])) return false;
    return true;
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const base = top;
  for (const k in x) keyStack[top++] = k;
  const end = top;
  let i = base;
  let same = true;
  for (const k in y) {
    if (i >= end || keyStack[i] !== k) {
      same = false;
      break;
    }
    i++;
  }
  if (same && i !== end) same = false;
  for (let j = base; same && j < end; j++) {
    const k = keyStack[j]!;
    if (!sameTree(x[k], y[k])) same = false;
  }
  top = base;
  return same;
}
