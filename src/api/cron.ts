/**
 * Cron schedules as Kubernetes CronJobs read them: github.com/robfig/cron/v3's
 * ParseStandard and SpecSchedule.Next, which kube-controller-manager and the
 * API server's validation use (v1.33):
 *  - five fields (minute hour day-of-month month day-of-week), each a list of
 *    `*`, `?`, numbers, ranges `a-b`, steps `x/n` (`5/15` means 5-max/15),
 *    month names JAN-DEC and day names SUN-SAT (any case); day-of-week 0-6;
 *  - Vixie cron's day rule: when day-of-month or day-of-week is `*` (or `?`,
 *    or `*` with step 1) a day must match both, otherwise either;
 *  - descriptors @yearly @annually @monthly @weekly @daily @midnight @hourly,
 *    and `@every <Go duration>`, which ParseStandard accepts, so upstream's
 *    validation does too (an undocumented but working form);
 *  - `TZ=`/`CRON_TZ=` prefixes parse, but CronJob validation rejects them
 *    for new objects (use spec.timeZone), see validateCronJobSchedule;
 *  - Next(t) finds the first matching second after t in the schedule's zone,
 *    walking months, days, hours and minutes as robfig does, including its
 *    handling of days whose midnight a DST change skips; no match within five
 *    years gives undefined (Go's zero time).
 * Time zones are IANA names resolved with the platform's Intl (deterministic
 * for one Node version); instants are Unix milliseconds.
 */
import { parseDuration } from './duration.ts';
import { civilFromDays, daysFromCivil } from '../sim/time.ts';

export interface Bounds {
  min: number;
  max: number;
  names?: Readonly<Record<string, number>>;
}

const MONTH_NAMES: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };
const DOW_NAMES: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };

export const MinuteBounds: Bounds = { min: 0, max: 59 };
export const HourBounds: Bounds = { min: 0, max: 23 };
export const DomBounds: Bounds = { min: 1, max: 31 };
export const MonthBounds: Bounds = { min: 1, max: 12, names: MONTH_NAMES };
export const DowBounds: Bounds = { min: 0, max: 6, names: DOW_NAMES };

/** A field: the set values, and whether it was written as a star (robfig's starBit). */
export interface Field {
  bits: ReadonlySet<number>;
  star: boolean;
}

export interface SpecSchedule {
  kind: 'spec';
  minute: Field;
  hour: Field;
  dom: Field;
  month: Field;
  dow: Field;
  zone: Zone;
}

/** ConstantDelaySchedule (@every): activations every `delay` ms, rounded down to whole seconds. */
export interface EverySchedule {
  kind: 'every';
  delay: number;
}

export type Schedule = SpecSchedule | EverySchedule;

export class CronParseError extends Error {}

function mustParseInt(expr: string): number {
  if (!/^[+-]?\d+$/.test(expr)) throw new CronParseError(`failed to parse int from ${expr}: strconv.Atoi: parsing ${JSON.stringify(expr)}: invalid syntax`);
  const n = Number.parseInt(expr, 10);
  if (n < 0) throw new CronParseError(`negative number (${n}) not allowed: ${expr}`);
  return n;
}

function parseIntOrName(expr: string, names: Bounds['names']): number {
  if (names) {
    const v = names[expr.toLowerCase()];
    if (v !== undefined) return v;
  }
  return mustParseInt(expr);
}

/** getRange: one comma-separated part of a field. */
function getRange(expr: string, r: Bounds, bits: Set<number>): boolean {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = rangeAndStep[0]!.split('-');
  const singleDigit = lowAndHigh.length === 1;
  let start: number;
  let end: number;
  let star = false;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    start = r.min;
    end = r.max;
    star = true;
  } else {
    start = parseIntOrName(lowAndHigh[0]!, r.names);
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) end = parseIntOrName(lowAndHigh[1]!, r.names);
    else throw new CronParseError(`too many hyphens: ${expr}`);
  }
  let step: number;
  if (rangeAndStep.length === 1) step = 1;
  else if (rangeAndStep.length === 2) {
    step = mustParseInt(rangeAndStep[1]!);
    // "N/step" means "N-max/step".
    if (singleDigit) end = r.max;
    if (step > 1) star = false;
  } else throw new CronParseError(`too many slashes: ${expr}`);
  if (start < r.min) throw new CronParseError(`beginning of range (${start}) below minimum (${r.min}): ${expr}`);
  if (end > r.max) throw new CronParseError(`end of range (${end}) above maximum (${r.max}): ${expr}`);
  if (start > end) throw new CronParseError(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) throw new CronParseError(`step of range should be a positive number: ${expr}`);
  for (let i = start; i <= end; i += step) bits.add(i);
  return star;
}

export function parseField(field: string, r: Bounds): Field {
  const bits = new Set<number>();
  let star = false;
  for (const part of field.split(',')) if (getRange(part, r, bits)) star = true;
  return { bits, star };
}

function all(r: Bounds): Field {
  const bits = new Set<number>();
  for (let i = r.min; i <= r.max; i++) bits.add(i);
  return { bits, star: true };
}

function one(v: number): Field {
  return { bits: new Set([v]), star: false };
}

/** Go's strings.Fields rendered as fmt's %v of a []string. */
function goSlice(fields: string[]): string {
  return `[${fields.join(' ')}]`;
}

/** cron.ParseStandard. Throws CronParseError with robfig's message. */
export function parseStandard(spec: string): Schedule {
  if (spec.length === 0) throw new CronParseError('empty spec string');
  let zone: Zone = UTC;
  let rest = spec;
  if (rest.startsWith('TZ=') || rest.startsWith('CRON_TZ=')) {
    const i = rest.indexOf(' ');
    const eq = rest.indexOf('=');
    const name = i < 0 ? rest.slice(eq + 1) : rest.slice(eq + 1, i);
    const z = loadLocation(name);
    if (typeof z === 'string') throw new CronParseError(`provided bad location ${name}: ${z}`);
    zone = z;
    rest = i < 0 ? '' : rest.slice(i).trim();
  }
  if (rest.startsWith('@')) return parseDescriptor(rest, zone);
  const fields = rest.split(/[ \t\n\v\f\r]+/).filter((f) => f.length > 0);
  if (fields.length !== 5) throw new CronParseError(`expected exactly 5 fields, found ${fields.length}: ${goSlice(fields)}`);
  return {
    kind: 'spec',
    minute: parseField(fields[0]!, MinuteBounds),
    hour: parseField(fields[1]!, HourBounds),
    dom: parseField(fields[2]!, DomBounds),
    month: parseField(fields[3]!, MonthBounds),
    dow: parseField(fields[4]!, DowBounds),
    zone,
  };
}

function parseDescriptor(d: string, zone: Zone): Schedule {
  const base = { kind: 'spec' as const, minute: one(0), hour: one(0), zone };
  switch (d) {
    case '@yearly':
    case '@annually':
      return { ...base, dom: one(1), month: one(1), dow: all(DowBounds) };
    case '@monthly':
      return { ...base, dom: one(1), month: all(MonthBounds), dow: all(DowBounds) };
    case '@weekly':
      return { ...base, dom: all(DomBounds), month: all(MonthBounds), dow: one(0) };
    case '@daily':
    case '@midnight':
      return { ...base, dom: all(DomBounds), month: all(MonthBounds), dow: all(DowBounds) };
    case '@hourly':
      return { ...base, hour: all(HourBounds), dom: all(DomBounds), month: all(MonthBounds), dow: all(DowBounds) };
  }
  const every = '@every ';
  if (d.startsWith(every)) {
    let ms: number;
    try {
      ms = parseDuration(d.slice(every.length));
    } catch (e) {
      throw new CronParseError(`failed to parse duration ${d}: ${e instanceof Error ? e.message : String(e)}`);
    }
    // cron.Every: at least a second, fractions of a second dropped.
    const delay = ms < 1000 ? 1000 : ms - (ms % 1000);
    return { kind: 'every', delay };
  }
  throw new CronParseError(`unrecognized descriptor: ${d}`);
}

// ---------------------------------------------------------------------------
// Zones

export interface Zone {
  name: string;
  /** UTC offset in ms at a Unix-ms instant. */
  offsetAt(unixMs: number): number;
}

export const UTC: Zone = { name: 'UTC', offsetAt: () => 0 };

const zones = new Map<string, Zone>();

/**
 * time.LoadLocation: "" and "UTC" are UTC; "Local" is the controller's zone,
 * which ksim takes to be UTC; other names through Intl. Returns Go's error
 * text ("unknown time zone X") for an unknown name.
 */
export function loadLocation(name: string): Zone | string {
  if (name === '' || name === 'UTC' || name === 'Local') return UTC;
  const cached = zones.get(name);
  if (cached) return cached;
  let fmt: Intl.DateTimeFormat;
  try {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: name,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    return `unknown time zone ${name}`;
  }
  const zone: Zone = {
    name,
    offsetAt(unixMs: number): number {
      const parts = fmt.formatToParts(unixMs);
      const get = (t: string): number => Number(parts.find((p) => p.type === t)?.value ?? 0);
      const wall = wallMs(get('year'), get('month'), get('day'), get('hour'), get('minute'), get('second'));
      return wall - (unixMs - (((unixMs % 1000) + 1000) % 1000));
    },
  };
  zones.set(name, zone);
  return zone;
}

/** A zoned instant's civil fields. */
interface Civil {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number; // 0 = Sunday
}


/** Unix ms of a civil wall time read as UTC (fields may overflow). */
function wallMs(y: number, m: number, d: number, h: number, mi: number, s: number): number {
  return ((daysFromCivil(y, m, d) * 24 + h) * 60 + mi) * 60_000 + s * 1000;
}

function civil(unixMs: number, zone: Zone): Civil {
  const local = unixMs + zone.offsetAt(unixMs);
  const days = Math.floor(local / 86_400_000);
  let rem = Math.floor((local - days * 86_400_000) / 1000);
  const [year, month, day] = civilFromDays(days);
  const hour = Math.floor(rem / 3600);
  rem -= hour * 3600;
  const minute = Math.floor(rem / 60);
  // 1970-01-01 was a Thursday.
  return { year, month, day, hour, minute, second: rem - minute * 60, weekday: (((days + 4) % 7) + 7) % 7 };
}

/** time.Date(y, m, d, h, mi, s, 0, loc): normalises overflow; in a DST gap or overlap, Go's choice of offset. */
function date(y: number, m: number, d: number, h: number, mi: number, s: number, zone: Zone): number {
  const local = wallMs(y, m, d, h, mi, s);
  const off1 = zone.offsetAt(local);
  const utc = local - off1;
  const off2 = zone.offsetAt(utc);
  return off2 === off1 ? utc : local - off2;
}

function dayMatches(s: SpecSchedule, c: Civil): boolean {
  const domMatch = s.dom.bits.has(c.day);
  const dowMatch = s.dow.bits.has(c.weekday);
  if (s.dom.star || s.dow.star) return domMatch && dowMatch;
  return domMatch || dowMatch;
}

/** Schedule.Next: the first activation strictly after `unixMs`, or undefined if none within five years. */
export function nextAfter(s: Schedule, unixMs: number): number | undefined {
  const startOfSecond = unixMs - (((unixMs % 1000) + 1000) % 1000);
  if (s.kind === 'every') return startOfSecond + s.delay;
  const zone = s.zone;
  let t = startOfSecond + 1000;
  let added = false;
  const yearLimit = civil(t, zone).year + 5;
  for (let guard = 0; guard < 100_000; guard++) {
    let c = civil(t, zone);
    if (c.year > yearLimit) return undefined;
    let wrapped = false;
    while (!s.month.bits.has(c.month)) {
      if (!added) {
        added = true;
        t = date(c.year, c.month, 1, 0, 0, 0, zone);
        c = civil(t, zone);
      }
      t = date(c.year, c.month + 1, c.day, c.hour, c.minute, c.second, zone);
      c = civil(t, zone);
      if (c.month === 1) {
        wrapped = true;
        break;
      }
    }
    if (wrapped) continue;
    while (!dayMatches(s, c)) {
      if (!added) {
        added = true;
        t = date(c.year, c.month, c.day, 0, 0, 0, zone);
        c = civil(t, zone);
      }
      t = date(c.year, c.month, c.day + 1, c.hour, c.minute, c.second, zone);
      c = civil(t, zone);
      // A DST change may move midnight: back to 00:00 (or on to the next day's).
      if (c.hour !== 0) {
        t += (c.hour > 12 ? 24 - c.hour : -c.hour) * 3_600_000;
        c = civil(t, zone);
      }
      if (c.day === 1) {
        wrapped = true;
        break;
      }
    }
    if (wrapped) continue;
    while (!s.hour.bits.has(c.hour)) {
      if (!added) {
        added = true;
        t = date(c.year, c.month, c.day, c.hour, 0, 0, zone);
        c = civil(t, zone);
      }
      t += 3_600_000;
      c = civil(t, zone);
      if (c.hour === 0) {
        wrapped = true;
        break;
      }
    }
    if (wrapped) continue;
    while (!s.minute.bits.has(c.minute)) {
      if (!added) {
        added = true;
        t -= ((t % 60_000) + 60_000) % 60_000;
        c = civil(t, zone);
      }
      t += 60_000;
      c = civil(t, zone);
      if (c.minute === 0) {
        wrapped = true;
        break;
      }
    }
    if (wrapped) continue;
    // The seconds field of a standard spec is always 0.
    while (c.second !== 0) {
      if (!added) {
        added = true;
        t -= ((t % 1000) + 1000) % 1000;
      }
      t += 1000;
      c = civil(t, zone);
      if (c.second === 0) {
        wrapped = true;
        break;
      }
    }
    if (wrapped) continue;
    return t;
  }
  return undefined;
}

/** The schedule with a CronJob's spec.timeZone applied, as the controller's formatSchedule does ("TZ=<zone> <schedule>"). */
export function parseCronJobSchedule(schedule: string, timeZone: string | undefined): Schedule {
  if (schedule.includes('TZ') || timeZone === undefined) return parseStandard(schedule);
  const z = loadLocation(timeZone);
  if (typeof z === 'string') return parseStandard(schedule);
  return parseStandard(`TZ=${timeZone} ${schedule}`);
}

/** Field errors of a CronJob's schedule and timeZone, as pkg/apis/batch/validation on create. */
export function validateCronJobSchedule(schedule: unknown, timeZone: unknown): Array<{ path: string; value: unknown; detail: string }> {
  const errs: Array<{ path: string; value: unknown; detail: string }> = [];
  if (typeof schedule === 'string' && schedule !== '') {
    try {
      parseStandard(schedule);
    } catch (e) {
      if (!(e instanceof CronParseError)) throw e;
      errs.push({ path: 'spec.schedule', value: schedule, detail: e.message });
    }
    if (schedule.includes('TZ')) errs.push({ path: 'spec.schedule', value: schedule, detail: 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead' });
  }
  if (typeof timeZone === 'string') {
    if (timeZone.length === 0) errs.push({ path: 'spec.timeZone', value: timeZone, detail: 'timeZone must be nil or non-empty string' });
    else if (timeZone.toLowerCase() === 'local') {
      errs.push({ path: 'spec.timeZone', value: timeZone, detail: 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones' });
    } else {
      const z = loadLocation(timeZone);
      if (typeof z === 'string') errs.push({ path: 'spec.timeZone', value: timeZone, detail: z });
    }
  }
  return errs;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** time.Format(time.RFC3339) of an instant in a zone: "2025-01-01T01:00:00+01:00", or "...Z" at offset 0. */
export function formatRFC3339In(unixMs: number, zone: Zone): string {
  const c = civil(unixMs, zone);
  const off = zone.offsetAt(unixMs);
  const base = `${String(c.year).padStart(4, '0')}-${pad2(c.month)}-${pad2(c.day)}T${pad2(c.hour)}:${pad2(c.minute)}:${pad2(c.second)}`;
  // The layout's "Z07:00" writes Z for any zero offset.
  if (off === 0) return `${base}Z`;
  const sign = off < 0 ? '-' : '+';
  const mins = Math.abs(off) / 60_000;
  return `${base}${sign}${pad2(Math.floor(mins / 60))}:${pad2(mins % 60)}`;
}

/** time.Format(time.RFC1123Z) in UTC: "Mon, 02 Jan 2006 15:04:05 +0000". */
export function formatRFC1123Z(unixMs: number): string {
  const c = civil(unixMs, UTC);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  return `${days[c.weekday]}, ${pad2(c.day)} ${months[c.month - 1]} ${c.year} ${pad2(c.hour)}:${pad2(c.minute)}:${pad2(c.second)} +0000`;
}
