/**
 * controller.ComputeHash, the pod-template-hash of a Deployment's
 * ReplicaSets: FNV-32a over the template, then (when set) the collisionCount
 * as 8 little-endian bytes (PutUint32 into an 8-byte buffer), the decimal
 * sum rendered by rand.SafeEncodeString (each character mapped into
 * "bcdfghjklmnpqrstvwxz2456789"), so hashes look like upstream's ("7c9d5f6b4").
 *
 * Upstream feeds the hasher with hashutil.DeepHashObject (a go-spew dump of
 * the Go struct); ksim feeds it the template's JSON with keys sorted at every
 * level. The hash is therefore deterministic and changes exactly when the
 * template or collisionCount changes, but is not byte-equal to Go's for the
 * same template.
 */
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** rand.SafeEncodeString. */
export function safeEncodeString(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += ALPHANUMS[s.charCodeAt(i) % ALPHANUMS.length];
  return out;
}

const FNV32_OFFSET = 0x811c9dc5;
const FNV32_PRIME = 0x01000193;

/** hash/fnv New32a over bytes, continuing from `h`. */
export function fnv32a(bytes: Uint8Array, h: number = FNV32_OFFSET): number {
  for (let i = 0; i < bytes.length; i++) {
    h = (h ^ bytes[i]!) >>> 0;
    h = Math.imul(h, FNV32_PRIME) >>> 0;
  }
  return h >>> 0;
}

/** JSON with keys sorted at every level (undefined members dropped). */
export function canonicalJSON(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(canonicalJSON).join(',')}]`;
  const obj = v as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJSON(obj[k])}`).join(',')}}`;
}

const encoder = new TextEncoder();

/** ComputeHash(template, collisionCount). */
export function computeHash(template: unknown, collisionCount: number | undefined): string {
  let h = fnv32a(encoder.encode(canonicalJSON(template)));
  if (collisionCount !== undefined && collisionCount !== null) {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv32a(b, h);
  }
  return safeEncodeString(String(h));
}
