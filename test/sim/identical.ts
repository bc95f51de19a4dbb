/**
 * Test helper: whether two values are the same to any reader — isDeepStrictEqual (Object.is on leaves:
 * NaN, -0) and the same keys in the same order all the way down. Shared by the tests of the store's
 * interning (pod specs, Job templates), whose shortcuts must change nothing a reader can see.
 */
import { isDeepStrictEqual } from 'node:util';

export function identical(a: unknown, b: unknown): boolean {
  if (!isDeepStrictEqual(a, b)) return false;
  if (typeof a !== 'object' || a === null) return true;
  const ka = Object.keys(a);
  const kb = Object.keys(b as object);
  if (ka.join('\u0000') !== kb.join('\u0000')) return false;
  return ka.every((k) => identical((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
