/**
 * RFC3339 timestamps for virtual time, as metav1.Time serialises them:
 * UTC, second precision ("2025-01-01T00:00:00Z"). Implemented with integer
 * civil-calendar arithmetic instead of Date so engine code never touches the
 * host clock or time zone.
 */

/**
 * Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
 * days_from_civil). The month may overflow or underflow and is carried into
 * the year first, as Go's time.Date normalises (the cron schedules rely on it).
 */
export function daysFromCivil(y: number, m: number, d: number): number {
  const m0 = m - 1;
  y += Math.floor(m0 / 12);
  m = (((m0 % 12) + 12) % 12) + 1;
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** [year, month, day] of a day number since 1970-01-01 (civil_from_days). */
export function civilFromDays(z: number): [number, number, number] {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const y = yoe + era * 400;
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  return [y + (m <= 2 ? 1 : 0), m, d];
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/** Digit value of s[i], or -1 when it is not an ASCII digit. */
function digitAt(s: string, i: number): number {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
}

/** Two digits at s[i..i+1] as a number, or -1. */
function twoDigitsAt(s: string, i: number): number {
  const a = digitAt(s, i);
  const b = digitAt(s, i + 1);
  return a < 0 || b < 0 ? -1 : a * 10 + b;
}

/**
 * The canonical form metav1.Time writes ("2025-01-01T00:00:00Z", exactly 20
 * characters) read by character codes, or undefined for anything else or
 * anything out of range (parseRFC3339's general path then answers, with its
 * errors). Every controller reads condition and creation times with it, and
 * the regular expression with its capture array and Number() per field was
 * ~0.5 us a call in a tight loop and more in a busy run.
 */
function parseCanonical(s: string): number | undefined {
  if (s.length !== 20 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58 || s.charCodeAt(19) !== 90) {
    return undefined;
  }
  const yHi = twoDigitsAt(s, 0);
  const yLo = twoDigitsAt(s, 2);
  const mo = twoDigitsAt(s, 5);
  const d = twoDigitsAt(s, 8);
  const h = twoDigitsAt(s, 11);
  const mi = twoDigitsAt(s, 14);
  const se = twoDigitsAt(s, 17);
  if (yHi < 0 || yLo < 0 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 59) return undefined;
  const y = yHi * 100 + yLo;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  if (d > (mo === 2 ? (leap ? 29 : 28) : DaysInMonth[mo - 1]!)) return undefined;
  return ((daysFromCivil(y, mo, d) * 24 + h) * 60 + mi) * 60_000 + se * 1000;
}

/** Days of each month in a common year. */
const DaysInMonth: readonly number[] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Parse an RFC3339 timestamp to Unix milliseconds (fractions below 1 ms truncated); throws RangeError. */
export function parseRFC3339(s: string): number {
  return parseCanonical(s) ?? parseRFC3339General(s);
}

/** parseRFC3339 by the regular expression, every form and every error (exported for the test that holds the canonical path to it). */
export function parseRFC3339General(s: string): number {
  const m = RFC3339.exec(s);
  if (!m) throw new RangeError(`invalid RFC3339 timestamp ${JSON.stringify(s)} (expected e.g. "2025-01-01T00:00:00Z")`);
  const [y, mo, d, h, mi, se] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number, number];
  const daysInMonth = [31, (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth[mo - 1]! || h > 23 || mi > 59 || se > 59) {
    throw new RangeError(`invalid RFC3339 timestamp ${JSON.stringify(s)}: field out of range`);
  }
  const frac = m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0;
  let offsetMin = 0;
  if (m[9]) offsetMin = (m[9] === '-' ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11]));
  return ((daysFromCivil(y, mo, d) * 24 + h) * 60 + mi) * 60_000 + se * 1000 + frac - offsetMin * 60_000;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** Unix milliseconds to RFC3339 in UTC, truncated to whole seconds as metav1.Time. */
export function formatRFC3339(unixMs: number): string {
  const secs = Math.floor(unixMs / 1000);
  const days = Math.floor(secs / 86400);
  let rem = secs - days * 86400;
  const [y, mo, d] = civilFromDays(days);
  const h = Math.floor(rem / 3600);
  rem -= h * 3600;
  const mi = Math.floor(rem / 60);
  const se = rem - mi * 60;
  const ys = y >= 0 && y < 10000 ? String(y).padStart(4, '0') : String(y);
  // One flat string (join): a template literal made a rope of cons nodes, and timestamps are kept in every object.
  return [ys, '-', pad2(mo), '-', pad2(d), 'T', pad2(h), ':', pad2(mi), ':', pad2(se), 'Z'].join('');
}
