/**
 * ControllerRevisions, as pkg/controller/history and the StatefulSet and
 * DaemonSet controllers' revision helpers (newest upstream) build them: the
 * revision's data is a strategic-merge patch that replaces spec.template
 * (`{"spec":{"template":{...,"$patch":"replace"}}}`), its name is
 * `<owner>-<hash>` where the hash is FNV-32 of that JSON (Go's json.Marshal of
 * a map sorts keys, so ksim serialises with sorted keys too) followed by the
 * collision count, rendered by rand.SafeEncodeString. Revisions are numbered
 * from 1, one more than the largest existing one.
 *
 * Upstream hashes the Go encoding of the defaulted template; ksim's defaulting
 * writes the same fields, so names have the same shape and change exactly
 * when upstream's do, though a given template need not give the same name.
 */
import { getControllerOf, newControllerRef } from '../controllerutils/controllerRef.ts';
import type { KObject, Stored } from '../../sim/types.ts';

/** apps/v1 ControllerRevision as stored. */
export interface ControllerRevision extends KObject {
  data?: unknown;
  revision: number;
}

/** The generateName alphabet ("bcdfghjklmnpqrstvwxz2456789"), as rand.SafeEncodeString uses it. */
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** rand.SafeEncodeString: each byte of s mapped into the alphabet (no vowels, no confusable characters). */
export function safeEncodeString(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += ALPHANUMS[s.charCodeAt(i) % ALPHANUMS.length];
  return out;
}

/** hash/fnv New32 (FNV-1, 32 bit) over the UTF-8 bytes of s. */
export function fnv32(s: string, h = 0x811c9dc5): number {
  const bytes = new TextEncoder().encode(s);
  for (const b of bytes) {
    h = Math.imul(h, 0x01000193) >>> 0;
    h = (h ^ b) >>> 0;
  }
  return h >>> 0;
}

/** JSON with object keys sorted at every level, as Go's json.Marshal of map[string]interface{}. */
export function sortedJSON(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(sortedJSON).join(',')}]`;
  const obj = v as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${sortedJSON(obj[k])}`).join(',')}}`;
}

/** getPatch: the template, marked to replace the whole of spec.template when applied. */
export function templatePatch(template: unknown): Record<string, unknown> {
  const t = { ...((template ?? {}) as Record<string, unknown>) };
  // metav1.ObjectMeta always encodes creationTimestamp (null for a template).
  const meta = { ...((t['metadata'] ?? {}) as Record<string, unknown>) };
  if (!('creationTimestamp' in meta)) meta['creationTimestamp'] = null;
  t['metadata'] = meta;
  t['$patch'] = 'replace';
  return { spec: { template: t } };
}

/** history.HashControllerRevision: FNV-32 of the data, then the collision count in decimal. */
export function hashRevisionData(data: unknown, collisionCount: number | undefined): string {
  let h = fnv32(sortedJSON(data));
  if (collisionCount !== undefined) h = fnv32(String(collisionCount), h);
  return safeEncodeString(String(h));
}

/** metav1.GetControllerOf (one copy, in controllerutils). */
export const controllerOf = getControllerOf;

/** history.NewControllerRevision: labels from the template, controller reference, data, number, hashed name. */
export function newControllerRevision(owner: KObject, templateLabels: Record<string, string> | undefined, data: unknown, revision: number, collisionCount: number): ControllerRevision {
  const hash = hashRevisionData(data, collisionCount);
  const labels: Record<string, string> = { ...(templateLabels ?? {}), 'controller.kubernetes.io/hash': hash };
  return {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name: `${owner.metadata.name ?? ''}-${hash}`,
      namespace: owner.metadata.namespace ?? 'default',
      labels,
      ownerReferences: [newControllerRef(owner)],
    },
    data,
    revision,
  };
}

/** history.SortControllerRevisions: by revision, then creation time, then name. */
export function sortRevisions<T extends Stored<ControllerRevision>>(revs: T[]): T[] {
  return revs.sort((a, b) => a.revision - b.revision || cmp(a.metadata.creationTimestamp ?? '', b.metadata.creationTimestamp ?? '') || cmp(a.metadata.name ?? '', b.metadata.name ?? ''));
}

/** history.EqualRevision: same data (the hash label is a shortcut upstream; ksim compares the JSON). */
export function equalRevision(a: { data?: unknown }, b: { data?: unknown }): boolean {
  return sortedJSON(a.data ?? null) === sortedJSON(b.data ?? null);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** metav1.NewControllerRef, under the name the StatefulSet and DaemonSet code uses (one copy, in controllerutils). */
export const controllerRef = newControllerRef;
