/**
 * ResourceList arithmetic as k8s.io/apiserver/pkg/quota/v1/resources.go does
 * it (Add, Subtract, Mask, LessThanOrEqual, IsNegative, RemoveZeros,
 * Equals), plus the admission plugin's prettyPrint and
 * prettyPrintResourceNames. Lists are ResourceMaps; every function that
 * produces output walks names in sorted order so results never depend on
 * insertion order.
 */
import { Quantity } from '../../api/quantity.ts';
import type { ResourceMap } from '../../api/resources.ts';

/** Add(a, b): every name of either, summed. */
export function addLists(a: ResourceMap, b: ResourceMap): ResourceMap {
  const out: ResourceMap = new Map(a);
  for (const [k, v] of b) {
    const cur = out.get(k);
    out.set(k, cur === undefined ? v : cur.add(v));
  }
  return out;
}

/** SubtractWithNonNegativeResult(a, b): a - b per name of a, floored at zero. */
export function subtractNonNegative(a: ResourceMap, b: ResourceMap): ResourceMap {
  const out: ResourceMap = new Map();
  for (const [k, v] of a) {
    const other = b.get(k);
    let d = other === undefined ? v : v.sub(other);
    if (d.sign() < 0) d = Quantity.zero(v.format);
    out.set(k, d);
  }
  return out;
}

/** Mask(list, names): only the named entries. */
export function mask(list: ResourceMap, names: Iterable<string>): ResourceMap {
  const out: ResourceMap = new Map();
  for (const n of names) {
    const v = list.get(n);
    if (v !== undefined) out.set(n, v);
  }
  return out;
}

/** LessThanOrEqual(a, b): a[k] <= b[k] for every k in both; returns the names that exceed, sorted. */
export function lessThanOrEqual(a: ResourceMap, b: ResourceMap): { allowed: boolean; exceeded: string[] } {
  const exceeded: string[] = [];
  for (const [k, v] of a) {
    const limit = b.get(k);
    if (limit !== undefined && v.cmp(limit) > 0) exceeded.push(k);
  }
  exceeded.sort();
  return { allowed: exceeded.length === 0, exceeded };
}

/** IsNegative: names whose quantity is below zero, sorted. */
export function negativeNames(list: ResourceMap): string[] {
  return [...list].filter(([, v]) => v.sign() < 0).map(([k]) => k).sort();
}

/** RemoveZeros. */
export function removeZeros(list: ResourceMap): ResourceMap {
  const out: ResourceMap = new Map();
  for (const [k, v] of list) if (!v.isZero()) out.set(k, v);
  return out;
}

/** Equals: the same names with equal quantities. */
export function equalLists(a: ResourceMap, b: ResourceMap): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) {
    const o = b.get(k);
    if (o === undefined || !o.equals(v)) return false;
  }
  return true;
}

/** The admission plugin's prettyPrint: "a=1,b=2Gi", names sorted. */
export function prettyPrint(list: ResourceMap): string {
  return [...list.keys()].sort().map((k) => `${k}=${list.get(k)!.toString()}`).join(',');
}

/** prettyPrintResourceNames: sorted, comma-joined. */
export function prettyPrintResourceNames(names: Iterable<string>): string {
  return [...names].sort().join(',');
}

/** A ResourceList from the API (quantities as strings), ignoring entries that do not parse (validation reports them). */
export function listToMap(list: Readonly<Record<string, unknown>> | null | undefined): ResourceMap {
  const out: ResourceMap = new Map();
  if (!list) return out;
  for (const k of Object.keys(list).sort()) {
    const q = Quantity.tryParse(list[k]);
    if (q !== undefined) out.set(k, q);
  }
  return out;
}

/** A ResourceMap as the API's ResourceList, names sorted (as Go's JSON encoder writes maps). */
export function mapToList(m: ResourceMap): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of [...m.keys()].sort()) out[k] = m.get(k)!.toString();
  return out;
}
