/**
 * resource.Quantity, following k8s.io/apimachinery/pkg/api/resource (quantity.go, suffix.go,
 * amount.go), v1.31.
 *
 * A quantity is an exact decimal: `m × 10^e` with a BigInt mantissa, so nothing is ever a float.
 * What upstream does and this module reproduces:
 *  - Parsing: the fast scanner of parseQuantityString (sign, digits, optional fraction, suffix),
 *    suffixes n u m "" k M G T P E (DecimalSI), Ki..Ei (BinarySI), e/E<int> (DecimalExponent).
 *    Values finer than 1n round away from zero to the next nano ("0.9n" -> "1n"); BinarySI values
 *    are capped at 2^63-1 ("9Ei"); a BinarySI value strictly between 0 and 1 becomes DecimalSI.
 *  - String(): the canonical form (largest exponent that is a multiple of 3, or of 1024 for
 *    BinarySI when exact), BUT when ParseQuantity took its int64 fast path and the input already
 *    looked canonical, upstream caches the input string verbatim and String() returns it. That
 *    cache is why "+1Ki" prints "+1Ki" and "1.100" prints "1.100"; it is reproduced here because
 *    it is what the API server serialises back.
 *  - Value()/MilliValue(): rounded up to an integer away from zero, as the int64 path
 *    (negativeScaleInt64) does: 1.5 -> 2, -1.5 -> -2. (Upstream's rarely used inf.Dec path
 *    truncates negatives and adds one; that quirk is not reproduced.)
 *  - Add/Sub: exact; the result keeps the receiver's format unless the receiver is zero, in which
 *    case it takes the argument's format.
 *
 * Past the suffix tables, newer apimachinery (quantity_test.go TestQuantityString) is followed
 * rather than v1.31, which silently dropped the magnitude ("1000E" printed as "1"):
 *  - DecimalSI with an exponent above 18 (or below -9) uses "e" notation ("1000E" -> "1e21");
 *  - BinarySI multiples of 1024 Ei use the decimal-exponent rendering (2^70 -> its digits,
 *    10^70 -> "10e69");
 *  - an exponent suffix outside int32 is rejected instead of truncated.
 */
import type { FieldError } from './errors.ts';

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

const SPLIT_RE_STRING = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$';
/** ErrFormatWrong */
export const ERR_FORMAT_WRONG = `quantities must match the regular expression '${SPLIT_RE_STRING}'`;
/** ErrNumeric */
export const ERR_NUMERIC = 'unable to parse numeric part of quantity';
/** ErrSuffix */
export const ERR_SUFFIX = "unable to parse quantity's suffix";

export class QuantityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QuantityError';
  }
}

const DEC_SUFFIX_TO_EXP: Readonly<Record<string, number>> = {
  n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18,
};
const DEC_EXP_TO_SUFFIX = new Map<number, string>(Object.entries(DEC_SUFFIX_TO_EXP).map(([s, e]) => [e, s]));
const BIN_SUFFIX_TO_EXP: Readonly<Record<string, number>> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const BIN_POW_TO_SUFFIX = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

const MAX_INT64 = (1n << 63n) - 1n;
const MAX_INT32 = 2147483647n;
const INT64_MAX_FACTORS = 18; // maxInt64Factors: decimal digits that always fit an int64
const NANO = -9;
const SUFFIX_CHARS = 'eEinumkKMGTP';

const POW10_CACHE: bigint[] = [];
function pow10(n: number): bigint {
  if (n < 64) {
    let v = POW10_CACHE[n];
    if (v === undefined) {
      v = 10n ** BigInt(n);
      POW10_CACHE[n] = v;
    }
    return v;
  }
  return 10n ** BigInt(n);
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

interface Scanned {
  positive: boolean;
  value: string;
  num: string;
  denom: string;
  suffix: string;
}

/** parseQuantityString: the permissive split into sign, integer digits, fraction digits and suffix. */
function scanQuantity(str: string): Scanned {
  let positive = true;
  let pos = 0;
  const end = str.length;
  if (pos < end) {
    if (str[0] === '-') {
      positive = false;
      pos++;
    } else if (str[0] === '+') {
      pos++;
    }
  }
  // strip leading zeros
  for (;;) {
    if (pos >= end) return { positive, value: '0', num: '0', denom: '', suffix: '' };
    if (str[pos] !== '0') break;
    pos++;
  }
  let num: string;
  {
    let i = pos;
    while (i < end && isDigit(str[i])) i++;
    if (i >= end) return { positive, value: str, num: str.slice(pos), denom: '', suffix: '' };
    num = str.slice(pos, i);
    pos = i;
  }
  if (num.length === 0) num = '0';
  let denom = '';
  if (pos < end && str[pos] === '.') {
    pos++;
    let i = pos;
    while (i < end && isDigit(str[i])) i++;
    denom = str.slice(pos, i);
    if (i >= end) return { positive, value: str, num, denom, suffix: '' };
    pos = i;
  }
  const value = str.slice(0, pos);
  const suffixStart = pos;
  {
    let i = pos;
    while (i < end && SUFFIX_CHARS.includes(str[i] as string)) i++;
    if (i >= end) return { positive, value, num, denom, suffix: str.slice(suffixStart) };
    pos = i;
  }
  if (str[pos] === '-' || str[pos] === '+') pos++;
  for (let i = pos; ; i++) {
    if (i >= end) return { positive, value, num, denom, suffix: str.slice(suffixStart) };
    if (!isDigit(str[i])) break;
  }
  // a non-digit after the exponent: not a quantity
  throw new QuantityError(ERR_FORMAT_WRONG);
}

/** Go strconv.ParseInt(s, 10, 64), or undefined on error. */
function parseGoInt64(s: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const v = BigInt(s);
  if (v > MAX_INT64 || v < -MAX_INT64 - 1n) return undefined;
  return v;
}

interface Suffix {
  base: 2 | 10;
  exponent: number;
  format: QuantityFormat;
}

/** suffixHandler.interpret */
function interpretSuffix(s: string): Suffix | undefined {
  const dec = DEC_SUFFIX_TO_EXP[s];
  if (dec !== undefined && Object.hasOwn(DEC_SUFFIX_TO_EXP, s)) return { base: 10, exponent: dec, format: 'DecimalSI' };
  const bin = BIN_SUFFIX_TO_EXP[s];
  if (bin !== undefined && Object.hasOwn(BIN_SUFFIX_TO_EXP, s)) return { base: 2, exponent: bin, format: 'BinarySI' };
  if (s.length > 1 && (s[0] === 'E' || s[0] === 'e')) {
    const parsed = parseGoInt64(s.slice(1));
    if (parsed === undefined) return undefined;
    // The exponent lives in an int32 scale that is later negated, so only [-MaxInt32, MaxInt32]
    // is accepted; anything else is a bad suffix rather than a silently truncated exponent
    // (upstream TestInterpretExponentInt32Bounds: "1e4294967297" must not parse as 1e1).
    if (parsed > MAX_INT32 || parsed < -MAX_INT32) return undefined;
    return { base: 10, exponent: Number(parsed), format: 'DecimalExponent' };
  }
  return undefined;
}

/** Ceiling division of a by a positive b. */
function ceilDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b > 0n ? q + 1n : q;
}

/** Number of decimal digits of |m| (m != 0). */
function digitCount(m: bigint): number {
  return (m < 0n ? -m : m).toString().length;
}

/**
 * Parsed quantities by input string. Manifests repeat a handful of strings
 * ("100m", "64Mi") across thousands of pods and every admission, validation
 * and scheduling pass parses them again; the bound keeps odd inputs from
 * growing it without limit (clearing only costs re-parsing).
 */
const PARSED = new Map<string, Quantity>();
const PARSED_MAX = 4096;

export class Quantity {
  /** value = mantissa × 10^exponent, normalised: mantissa has no trailing zero digit, zero is 0×10^0. */
  private readonly m: bigint;
  private readonly e: number;
  /** Upstream's cached string (set only by the parse fast path for canonical-looking input). */
  private readonly s: string | undefined;
  readonly format: QuantityFormat;

  private constructor(m: bigint, e: number, format: QuantityFormat, s?: string) {
    if (m === 0n) {
      e = 0;
    } else {
      while (m % 10n === 0n) {
        m /= 10n;
        e++;
      }
    }
    this.m = m;
    this.e = e;
    this.format = format;
    this.s = s;
  }

  /** resource.ParseQuantity. Numbers are formatted as their decimal string first. */
  static parse(input: string | number): Quantity {
    let str: string;
    if (typeof input === 'number') {
      if (!Number.isFinite(input)) throw new QuantityError(ERR_FORMAT_WRONG);
      str = String(input);
    } else if (typeof input === 'string') {
      str = input;
    } else {
      throw new QuantityError(ERR_FORMAT_WRONG);
    }
    if (str.length === 0) throw new QuantityError(ERR_FORMAT_WRONG);
    // Quantities are immutable, so one parse of a string can be shared by every caller.
    const memo = PARSED.get(str);
    if (memo !== undefined) return memo;
    const q = Quantity.parseUncached(str);
    if (PARSED.size >= PARSED_MAX) PARSED.clear();
    PARSED.set(str, q);
    return q;
  }

  private static parseUncached(str: string): Quantity {
    if (str === '0') return new Quantity(0n, 0, 'DecimalSI', str);

    const { positive, value, num, denom, suffix } = scanQuantity(str);
    const sfx = interpretSuffix(suffix);
    if (sfx === undefined) throw new QuantityError(ERR_SUFFIX);
    let format = sfx.format;
    const exponent = sfx.exponent;

    // Fast path (upstream's int64Amount): small enough to be exact in an int64.
    let precision: number;
    let scale: number;
    let mantissa = 1n;
    if (sfx.base === 10) {
      scale = exponent;
      precision = INT64_MAX_FACTORS - (num.length + denom.length);
    } else {
      scale = 0;
      if (exponent >= 0 && denom.length === 0) {
        mantissa = 1n << BigInt(exponent);
        // 1Mi (2^20) has ~6 digits of decimal precision, so exponent*3/10 - 1 is roughly the precision
        precision = 15 - num.length - Math.trunc((exponent * 3) / 10) - 1;
      } else {
        precision = -1;
      }
    }
    if (precision >= 0) {
      scale -= denom.length;
      if (scale >= NANO) {
        const shifted = num + denom;
        const v = BigInt(shifted);
        let result = v * mantissa;
        if (result <= MAX_INT64) {
          if (!positive) result = -result;
          // if the number is in canonical form, upstream reuses the input string
          let canonical: boolean;
          if (format === 'BinarySI') {
            canonical = exponent % 10 === 0 && (v & 7n) !== 0n;
          } else {
            canonical = scale % 3 === 0 && !shifted.endsWith('000') && shifted[0] !== '0';
          }
          return new Quantity(result, scale, format, canonical ? str : undefined);
        }
      }
    }

    // Slow path (upstream's inf.Dec).
    const dm = /^([+-]?)([0-9]*)(?:\.([0-9]*))?$/.exec(value);
    if (dm === null || ((dm[2] ?? '') === '' && (dm[3] ?? '') === '')) throw new QuantityError(ERR_NUMERIC);
    const intDigits = dm[2] ?? '';
    const fracDigits = dm[3] ?? '';
    let m = BigInt((intDigits + fracDigits) || '0');
    let e = -fracDigits.length;
    if (sfx.base === 10) {
      e += exponent;
    } else {
      m *= 1n << BigInt(exponent);
    }
    // Values finer than a nano round up (away from zero) to the next nano: if you asked for some
    // resource you get some, even if you asked for too little.
    if (m !== 0n && e < NANO) {
      // (a value below 1n is 1n; checked first so absurd exponents never build a huge power)
      m = digitCount(m) <= NANO - e ? 1n : ceilDiv(m, pow10(NANO - e));
      e = NANO;
    }
    if (format === 'BinarySI' && m !== 0n) {
      // The cap is a simple clamp at 2^63-1.
      if (compareMagnitude(m, e, MAX_INT64, 0) > 0) {
        m = MAX_INT64;
        e = 0;
      }
      if (compareMagnitude(m, e, 1n, 0) < 0) format = 'DecimalSI';
    }
    if (dm[1] === '-') m = -m;
    return new Quantity(m, e, format);
  }

  static tryParse(input: unknown): Quantity | undefined {
    if (typeof input !== 'string' && typeof input !== 'number') return undefined;
    try {
      return Quantity.parse(input);
    } catch (err) {
      if (err instanceof QuantityError) return undefined;
      throw err;
    }
  }

  /** resource.NewMilliQuantity */
  static fromMilli(milli: number | bigint, format: QuantityFormat = 'DecimalSI'): Quantity {
    return new Quantity(toBigIntInteger(milli, 'fromMilli'), -3, format);
  }

  /** resource.NewQuantity */
  static fromValue(value: number | bigint, format: QuantityFormat = 'DecimalSI'): Quantity {
    return new Quantity(toBigIntInteger(value, 'fromValue'), 0, format);
  }

  /** resource.NewScaledQuantity: value × 10^scale in DecimalSI. */
  static fromScaled(value: number | bigint, scale: number, format: QuantityFormat = 'DecimalSI'): Quantity {
    if (!Number.isInteger(scale)) throw new QuantityError(`fromScaled: scale must be an integer, got ${scale}`);
    return new Quantity(toBigIntInteger(value, 'fromScaled'), scale, format);
  }

  static zero(format: QuantityFormat = 'DecimalSI'): Quantity {
    return new Quantity(0n, 0, format);
  }

  /** Quantity.String(): canonical form (or the cached input, as upstream). */
  toString(): string {
    if (this.s !== undefined) return this.s;
    if (this.m === 0n) return '0';
    let format = this.format;
    if (format === 'BinarySI') {
      // Between -1024 and 1024 a binary suffix can't be used, and a fraction can't be shown in
      // BinarySI without rounding, so both are emitted as DecimalSI.
      if (compareMagnitude(this.m, this.e, 1024n, 0) < 0 || this.e < 0) format = 'DecimalSI';
    }
    if (format === 'BinarySI') {
      let v = this.m * pow10(this.e);
      let pow = 0;
      while (v % 1024n === 0n) {
        v /= 1024n;
        pow++;
      }
      // No binary suffix beyond Ei: rather than drop the suffix (and 2^70 of magnitude),
      // upstream falls back to the exact decimal-exponent rendering (TestQuantityString,
      // TestBinarySIPastEiArithmeticRoundTrip: 2^70 -> "1180591620717411303424").
      if (pow < BIN_POW_TO_SUFFIX.length) return `${v}${BIN_POW_TO_SUFFIX[pow]}`;
      format = 'DecimalExponent';
    }
    // make the exponent a multiple of 3, moving down (1.5 -> 1500m)
    const r = ((this.e % 3) + 3) % 3;
    const mant = this.m * pow10(r);
    const exp = this.e - r;
    if (format === 'DecimalSI') {
      const suffix = DEC_EXP_TO_SUFFIX.get(exp);
      if (suffix !== undefined) return `${mant}${suffix}`;
    }
    return exp === 0 ? `${mant}` : `${mant}e${exp}`;
  }

  toJSON(): string {
    return this.toString();
  }

  /** Value(): ceil of the value, as an integer. */
  value(): number {
    return this.scaledNumber(0);
  }

  /**
   * RoundUp(scale): the quantity rounded up (away from zero) to a multiple of
   * 10^scale, exactly, whatever its size (SetDefaults_ResourceList rounds
   * every quantity up to milli precision: scale -3).
   */
  roundUp(scale: number): Quantity {
    if (this.e >= scale) return this;
    return new Quantity(this.scaledCeil(scale), scale, this.format);
  }

  /** MilliValue(): ceil of value × 1000. */
  milliValue(): number {
    return this.scaledNumber(-3);
  }

  private scaledNumber(scale: number): number {
    // beyond float64 range anyway: don't build the power of ten
    if (this.m !== 0n && digitCount(this.m) + this.e - scale > 400) return this.m > 0n ? Infinity : -Infinity;
    return Number(this.scaledCeil(scale));
  }

  /** ScaledValue(scale) as an exact bigint: ceil(value / 10^scale). */
  scaledValueBig(scale: number): bigint {
    return this.scaledCeil(scale);
  }

  private scaledCeil(scale: number): bigint {
    const shift = this.e - scale;
    if (this.m === 0n) return 0n;
    // |value| < 1 at this scale: rounds away from zero to ±1 (no huge power)
    if (shift < 0 && digitCount(this.m) <= -shift) return this.m > 0n ? 1n : -1n;
    if (shift >= 0) return this.m * pow10(shift);
    const d = pow10(-shift);
    // BigInt division truncates toward zero; an inexact result moves one step away from zero
    // (negativeScaleInt64: "-1.5" -> -2).
    const q = this.m / d;
    const r = this.m % d;
    return r > 0n ? q + 1n : r < 0n ? q - 1n : q;
  }

  cmp(o: Quantity): -1 | 0 | 1 {
    const sa = this.sign();
    const sb = o.sign();
    if (sa !== sb) return sa > sb ? 1 : -1;
    if (sa === 0) return 0;
    const c = compareMagnitude(this.m, this.e, o.m, o.e);
    if (c === 0) return 0;
    return sa > 0 ? c : c === 1 ? -1 : 1;
  }

  equals(o: Quantity): boolean {
    return this.cmp(o) === 0;
  }

  add(o: Quantity): Quantity {
    if (o.m === 0n) return this.m === 0n ? new Quantity(0n, 0, o.format) : this.withoutCache();
    if (this.m === 0n) return new Quantity(o.m, o.e, o.format);
    const e = Math.min(this.e, o.e);
    return new Quantity(this.m * pow10(this.e - e) + o.m * pow10(o.e - e), e, this.format);
  }

  sub(o: Quantity): Quantity {
    if (o.m === 0n) return this.m === 0n ? new Quantity(0n, 0, o.format) : this.withoutCache();
    if (this.m === 0n) return new Quantity(-o.m, o.e, o.format);
    const e = Math.min(this.e, o.e);
    return new Quantity(this.m * pow10(this.e - e) - o.m * pow10(o.e - e), e, this.format);
  }

  /** Arithmetic results never carry upstream's cached input string. */
  private withoutCache(): Quantity {
    return this.s === undefined ? this : new Quantity(this.m, this.e, this.format);
  }

  neg(): Quantity {
    return new Quantity(-this.m, this.e, this.format);
  }

  /** Mul(y): multiply by an integer (exact). */
  mul(y: number | bigint): Quantity {
    return new Quantity(this.m * toBigIntInteger(y, 'mul'), this.e, this.format);
  }

  isZero(): boolean {
    return this.m === 0n;
  }

  sign(): -1 | 0 | 1 {
    return this.m === 0n ? 0 : this.m > 0n ? 1 : -1;
  }

  /** AsApproximateFloat64: the nearest float64 (±Infinity when out of range). */
  asApproximateFloat64(): number {
    if (this.m === 0n) return 0;
    return Number(`${this.m}e${this.e}`);
  }
}

function toBigIntInteger(v: number | bigint, what: string): bigint {
  if (typeof v === 'bigint') return v;
  if (!Number.isSafeInteger(v)) throw new QuantityError(`${what}: expected a safe integer, got ${v}`);
  return BigInt(v);
}

/** Compares |a|×10^ea with |b|×10^eb without materialising huge powers when magnitudes differ. */
function compareMagnitude(a: bigint, ea: number, b: bigint, eb: number): -1 | 0 | 1 {
  if (a < 0n) a = -a;
  if (b < 0n) b = -b;
  if (a === 0n || b === 0n) return a === b ? 0 : a === 0n ? -1 : 1;
  const oa = digitCount(a) + ea;
  const ob = digitCount(b) + eb;
  if (oa !== ob) return oa > ob ? 1 : -1;
  // Same order of magnitude: the exponent gap is bounded by the digit counts.
  const e = Math.min(ea, eb);
  const x = a * pow10(ea - e);
  const y = b * pow10(eb - e);
  return x === y ? 0 : x > y ? 1 : -1;
}

/**
 * The field error Kubernetes reports for an unparseable quantity, or undefined when it parses.
 * Non-string, non-number values are reported with the regular-expression message too.
 */
export function quantityFieldError(input: unknown, path: string): FieldError | undefined {
  if (typeof input === 'string' || typeof input === 'number') {
    try {
      Quantity.parse(input);
      return undefined;
    } catch (err) {
      if (err instanceof QuantityError) return { path, type: 'Invalid', value: input, detail: err.message };
      throw err;
    }
  }
  return { path, type: 'Invalid', value: input, detail: ERR_FORMAT_WRONG };
}
