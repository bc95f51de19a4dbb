/**
 * Go int64 arithmetic the scoring functions depend on: `a * b / c` with the
 * division truncating toward zero, as kube-scheduler's integer score formulas
 * (least/most allocated, broken-linear shape, image locality) compute it.
 *
 * Doubles are exact up to 2^53; when the product could exceed that (e.g. bytes
 * of memory times 100 on a very large node) we fall back to BigInt so the
 * result is still the exact int64 one.
 */

const SAFE_PRODUCT = 2 ** 50;

/** trunc(a * b / c) for integers, exactly as Go's int64 `a * b / c`. c must be non-zero. */
export function mulDiv(a: number, b: number, c: number): number {
  const p = a * b;
  // `+ 0` turns -0 into 0: Go integers have no negative zero.
  if (Math.abs(p) < SAFE_PRODUCT) return Math.trunc(p / c) + 0;
  return Number((BigInt(a) * BigInt(b)) / BigInt(c));
}

/** Go's int64 `a / b` (truncating toward zero). */
export function idiv(a: number, b: number): number {
  if (Math.abs(a) < SAFE_PRODUCT) return Math.trunc(a / b) + 0;
  return Number(BigInt(a) / BigInt(b));
}

/** Go's math.Round: halves round away from zero (JS Math.round rounds -0.5 up). */
export function goRound(x: number): number {
  return (x < 0 ? -Math.round(-x) : Math.round(x)) + 0;
}
