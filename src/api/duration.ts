/**
 * Durations as Go's time package (time.ParseDuration and Duration.String, Go 1.22), which is what
 * Kubernetes uses for metav1.Duration fields (e.g. KubeletConfiguration evictionPressureTransitionPeriod).
 *
 * ParseDuration: `[-+]?([0-9]*(\.[0-9]*)?[a-z]+)+` with units ns, us, µs (U+00B5), μs (U+03BC), ms,
 * s, m, h; "0" alone needs no unit; the total must fit an int64 of nanoseconds. Parsing is done
 * exactly as Go does it (integer nanoseconds, fractions through float64), and the result is then
 * converted to ksim's unit, integer milliseconds: a sub-millisecond remainder rounds UP, away from
 * zero, so "1ns" is 1 ms and "-1ns" is -1 ms (a non-zero duration never collapses to 0).
 *
 * Errors carry Go's messages: `time: invalid duration "abc"`, `time: missing unit in duration "10"`,
 * `time: unknown unit "x" in duration "10x"`.
 */

export class DurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DurationError';
  }
}

const NANOSECOND = 1n;
const MICROSECOND = 1000n * NANOSECOND;
const MILLISECOND = 1000n * MICROSECOND;
const SECOND = 1000n * MILLISECOND;
const MINUTE = 60n * SECOND;
const HOUR = 60n * MINUTE;

const UNITS: ReadonlyMap<string, bigint> = new Map([
  ['ns', NANOSECOND],
  ['us', MICROSECOND],
  ['\u00b5s', MICROSECOND], // U+00B5 micro sign
  ['\u03bcs', MICROSECOND], // U+03BC Greek letter mu
  ['ms', MILLISECOND],
  ['s', SECOND],
  ['m', MINUTE],
  ['h', HOUR],
]);

const TWO_63 = 1n << 63n;

/** Go's time.quote: ASCII printable kept (with \" and \\ escaped), anything else as \x bytes of its UTF-8. */
function quote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    if (c >= 0x80 || c < 0x20) {
      for (const b of new TextEncoder().encode(ch)) out += `\\x${b.toString(16).padStart(2, '0')}`;
    } else {
      if (ch === '"' || ch === '\\') out += '\\';
      out += ch;
    }
  }
  return out + '"';
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

/** time.ParseDuration, in nanoseconds (bigint, within int64). */
export function parseDurationNanos(orig: string): bigint {
  const invalid = (): DurationError => new DurationError(`time: invalid duration ${quote(orig)}`);
  let s = orig;
  let d = 0n;
  let neg = false;
  if (s !== '') {
    const c = s[0];
    if (c === '-' || c === '+') {
      neg = c === '-';
      s = s.slice(1);
    }
  }
  // Special case: if all that is left is "0", this is zero.
  if (s === '0') return 0n;
  if (s === '') throw invalid();
  while (s !== '') {
    // The next character must be [0-9.]
    if (!(s[0] === '.' || isDigit(s[0]))) throw invalid();
    // Consume [0-9]* (leadingInt: overflow past 2^63 is an error)
    let i = 0;
    let v = 0n;
    while (i < s.length && isDigit(s[i])) {
      if (v > TWO_63 / 10n) throw invalid();
      v = v * 10n + BigInt((s.charCodeAt(i) - 48) | 0);
      if (v > TWO_63) throw invalid();
      i++;
    }
    const pre = i > 0;
    s = s.slice(i);
    // Consume (\.[0-9]*)? (leadingFraction: digits past int64 precision are dropped)
    let post = false;
    let f = 0n;
    let scale = 1;
    if (s !== '' && s[0] === '.') {
      s = s.slice(1);
      let j = 0;
      let overflow = false;
      while (j < s.length && isDigit(s[j])) {
        if (!overflow) {
          if (f > (TWO_63 - 1n) / 10n) {
            overflow = true;
          } else {
            const y = f * 10n + BigInt(s.charCodeAt(j) - 48);
            if (y > TWO_63) overflow = true;
            else {
              f = y;
              scale *= 10;
            }
          }
        }
        j++;
      }
      post = j > 0;
      s = s.slice(j);
    }
    if (!pre && !post) throw invalid(); // no digits (e.g. ".s" or "-.s")
    // Consume unit.
    let u = 0;
    while (u < s.length && !(s[u] === '.' || isDigit(s[u]))) u++;
    if (u === 0) throw new DurationError(`time: missing unit in duration ${quote(orig)}`);
    const unitName = s.slice(0, u);
    s = s.slice(u);
    const unit = UNITS.get(unitName);
    if (unit === undefined) throw new DurationError(`time: unknown unit ${quote(unitName)} in duration ${quote(orig)}`);
    if (v > TWO_63 / unit) throw invalid(); // overflow
    v *= unit;
    if (f > 0n) {
      // float64 is needed to be nanosecond accurate for fractions of hours (Go does exactly this)
      v += BigInt(Math.trunc(Number(f) * (Number(unit) / scale)));
      if (v > TWO_63) throw invalid();
    }
    d += v;
    if (d > TWO_63) throw invalid();
  }
  if (neg) return -d;
  if (d > TWO_63 - 1n) throw invalid();
  return d;
}

/**
 * time.ParseDuration converted to integer milliseconds; a sub-millisecond remainder rounds up
 * (away from zero). Throws DurationError with Go's message.
 */
export function parseDuration(s: string): number {
  if (typeof s !== 'string') throw new DurationError(`time: invalid duration ${quote(String(s))}`);
  const ns = parseDurationNanos(s);
  const mag = ns < 0n ? -ns : ns;
  let ms = mag / MILLISECOND;
  if (mag % MILLISECOND !== 0n) ms += 1n;
  return Number(ns < 0n ? -ms : ms);
}

/** fmtFrac: the fraction of v/10^prec without trailing zeros (and without "." when zero). */
function fmtFrac(v: bigint, prec: number): { text: string; rest: bigint } {
  let text = '';
  let print = false;
  for (let i = 0; i < prec; i++) {
    const digit = v % 10n;
    print = print || digit !== 0n;
    if (print) text = digit.toString() + text;
    v /= 10n;
  }
  if (print) text = '.' + text;
  return { text, rest: v };
}

/** Duration.String() of a nanosecond count, e.g. "1h30m0s", "1.5s", "500ms", "0s". */
export function formatDurationNanos(d: bigint): string {
  const neg = d < 0n;
  let u = neg ? -d : d;
  let out: string;
  if (u < SECOND) {
    // smaller than a second: use smaller units, like 1.2ms
    if (u === 0n) return '0s';
    let prec: number;
    let unit: string;
    if (u < MICROSECOND) {
      prec = 0;
      unit = 'ns';
    } else if (u < MILLISECOND) {
      prec = 3;
      unit = '\u00b5s';
    } else {
      prec = 6;
      unit = 'ms';
    }
    const { text, rest } = fmtFrac(u, prec);
    out = `${rest}${text}${unit}`;
  } else {
    const { text, rest } = fmtFrac(u, 9);
    u = rest; // integer seconds
    out = `${u % 60n}${text}s`;
    u /= 60n; // integer minutes
    if (u > 0n) {
      out = `${u % 60n}m${out}`;
      u /= 60n; // integer hours; stop at hours because days can be different lengths
      if (u > 0n) out = `${u}h${out}`;
    }
  }
  return neg ? `-${out}` : out;
}

/** Duration.String() of a duration in milliseconds: "1h30m0s", "5m0s", "1.5s", "500ms", "0s". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) throw new DurationError(`formatDuration: not a finite number: ${ms}`);
  const ns = Number.isInteger(ms) ? BigInt(ms) * MILLISECOND : BigInt(Math.round(ms * 1e6));
  return formatDurationNanos(ns);
}
