/**
 * Cron schedules: robfig/cron v3's own TestNext table (spec_test.go), as
 * five-field standard specs (its seconds field dropped where it was 0),
 * including its DST cases for America/New_York and America/Sao_Paulo, parse
 * errors word for word, and the CronJob controller's missed-schedule
 * arithmetic (pkg/controller/cronjob/utils.go).
 */
import { describe, expect, it } from 'vitest';
import { CronParseError, formatRFC1123Z, formatRFC3339In, loadLocation, nextAfter, parseCronJobSchedule, parseStandard, UTC, validateCronJobSchedule } from '../../src/api/cron.ts';
import { jobNameFor, mostRecentScheduleTime, nextScheduleTimeDuration } from '../../src/workloads/cronjob/schedule.ts';
import { parseRFC3339 } from '../../src/sim/time.ts';

const T = (s: string): number => parseRFC3339(s);

describe('cron Next (robfig/cron TestNext)', () => {
  const table: Array<[from: string, spec: string, expected: string | undefined]> = [
    // Simple cases
    ['2012-07-09T14:45:00Z', '0/15 * * * *', '2012-07-09T15:00:00Z'],
    ['2012-07-09T14:59:00Z', '0/15 * * * *', '2012-07-09T15:00:00Z'],
    ['2012-07-09T14:59:59Z', '0/15 * * * *', '2012-07-09T15:00:00Z'],
    // Wrap around hours
    ['2012-07-09T15:45:00Z', '20-35/15 * * * *', '2012-07-09T16:20:00Z'],
    // Wrap around days
    ['2012-07-09T23:46:00Z', '*/15 * * * *', '2012-07-10T00:00:00Z'],
    ['2012-07-09T23:45:00Z', '20-35/15 * * * *', '2012-07-10T00:20:00Z'],
    ['2012-07-09T23:35:51Z', '20-35/15 * * * *', '2012-07-10T00:20:00Z'],
    ['2012-07-09T23:35:51Z', '20-35/15 1/2 * * *', '2012-07-10T01:20:00Z'],
    ['2012-07-09T23:35:51Z', '20-35/15 10-12 * * *', '2012-07-10T10:20:00Z'],
    ['2012-07-09T23:35:51Z', '20-35/15 1/2 */2 * *', '2012-07-11T01:20:00Z'],
    ['2012-07-09T23:35:51Z', '20-35/15 * 9-20 * *', '2012-07-10T00:20:00Z'],
    ['2012-07-09T23:35:51Z', '20-35/15 * 9-20 Jul *', '2012-07-10T00:20:00Z'],
    // Wrap around months
    ['2012-07-09T23:35:00Z', '0 0 9 Apr-Oct ?', '2012-08-09T00:00:00Z'],
    ['2012-07-09T23:35:00Z', '0 0 */5 Apr,Aug,Oct Mon', '2012-08-01T00:00:00Z'],
    ['2012-07-09T23:35:00Z', '0 0 */5 Oct Mon', '2012-10-01T00:00:00Z'],
    // Wrap around years
    ['2012-07-09T23:35:00Z', '0 0 * Feb Mon', '2013-02-04T00:00:00Z'],
    ['2012-07-09T23:35:00Z', '0 0 * Feb Mon/2', '2013-02-01T00:00:00Z'],
    // Wrap around minute, hour, day, month, and year
    ['2012-12-31T23:59:45Z', '* * * * *', '2013-01-01T00:00:00Z'],
    // Leap year
    ['2012-07-09T23:35:00Z', '0 0 29 Feb ?', '2016-02-29T00:00:00Z'],
    // Daylight savings time 2am EST (-5) -> 3am EDT (-4)
    ['2012-03-11T00:00:00-05:00', 'TZ=America/New_York 30 2 11 Mar ?', '2013-03-11T02:30:00-04:00'],
    // hourly job
    ['2012-03-11T00:00:00-05:00', 'TZ=America/New_York 0 * * * ?', '2012-03-11T01:00:00-05:00'],
    ['2012-03-11T01:00:00-05:00', 'TZ=America/New_York 0 * * * ?', '2012-03-11T03:00:00-04:00'],
    ['2012-03-11T03:00:00-04:00', 'TZ=America/New_York 0 * * * ?', '2012-03-11T04:00:00-04:00'],
    ['2012-03-11T04:00:00-04:00', 'TZ=America/New_York 0 * * * ?', '2012-03-11T05:00:00-04:00'],
    // hourly job using CRON_TZ
    ['2012-03-11T01:00:00-05:00', 'CRON_TZ=America/New_York 0 * * * ?', '2012-03-11T03:00:00-04:00'],
    // 1am nightly job
    ['2012-03-11T00:00:00-05:00', 'TZ=America/New_York 0 1 * * ?', '2012-03-11T01:00:00-05:00'],
    ['2012-03-11T01:00:00-05:00', 'TZ=America/New_York 0 1 * * ?', '2012-03-12T01:00:00-04:00'],
    // 2am nightly job (skipped)
    ['2012-03-11T00:00:00-05:00', 'TZ=America/New_York 0 2 * * ?', '2012-03-12T02:00:00-04:00'],
    // Daylight savings time 2am EDT (-4) => 1am EST (-5)
    ['2012-11-04T00:00:00-04:00', 'TZ=America/New_York 30 2 04 Nov ?', '2012-11-04T02:30:00-05:00'],
    ['2012-11-04T01:45:00-04:00', 'TZ=America/New_York 30 1 04 Nov ?', '2012-11-04T01:30:00-05:00'],
    // hourly job
    ['2012-11-04T00:00:00-04:00', 'TZ=America/New_York 0 * * * ?', '2012-11-04T01:00:00-04:00'],
    ['2012-11-04T01:00:00-04:00', 'TZ=America/New_York 0 * * * ?', '2012-11-04T01:00:00-05:00'],
    ['2012-11-04T01:00:00-05:00', 'TZ=America/New_York 0 * * * ?', '2012-11-04T02:00:00-05:00'],
    // 1am nightly job (runs twice)
    ['2012-11-04T00:00:00-04:00', 'TZ=America/New_York 0 1 * * ?', '2012-11-04T01:00:00-04:00'],
    ['2012-11-04T01:00:00-04:00', 'TZ=America/New_York 0 1 * * ?', '2012-11-04T01:00:00-05:00'],
    ['2012-11-04T01:00:00-05:00', 'TZ=America/New_York 0 1 * * ?', '2012-11-05T01:00:00-05:00'],
    // 2am nightly job
    ['2012-11-04T00:00:00-04:00', 'TZ=America/New_York 0 2 * * ?', '2012-11-04T02:00:00-05:00'],
    ['2012-11-04T02:00:00-05:00', 'TZ=America/New_York 0 2 * * ?', '2012-11-05T02:00:00-05:00'],
    // 3am nightly job
    ['2012-11-04T00:00:00-04:00', 'TZ=America/New_York 0 3 * * ?', '2012-11-04T03:00:00-05:00'],
    ['2012-11-04T03:00:00-05:00', 'TZ=America/New_York 0 3 * * ?', '2012-11-05T03:00:00-05:00'],
    // Unsatisfiable
    ['2012-07-09T23:35:00Z', '0 0 30 Feb ?', undefined],
    ['2012-07-09T23:35:00Z', '0 0 31 Apr ?', undefined],
    // Monthly job
    ['2012-11-04T00:00:00-04:00', 'TZ=America/New_York 0 3 3 * ?', '2012-12-03T03:00:00-05:00'],
    // DST making midnight not a valid time (robfig/cron issue 157)
    ['2018-10-17T05:00:00-04:00', 'TZ=America/Sao_Paulo 0 9 10 * ?', '2018-11-10T06:00:00-05:00'],
    ['2018-02-14T05:00:00-05:00', 'TZ=America/Sao_Paulo 0 9 22 * ?', '2018-02-22T07:00:00-05:00'],
  ];
  it.each(table)('after %s, %s -> %s', (from, spec, expected) => {
    const next = nextAfter(parseStandard(spec), T(from));
    expect(next).toBe(expected === undefined ? undefined : T(expected));
  });

  it('macros: @yearly @annually @monthly @weekly @daily @midnight @hourly', () => {
    const from = T('2025-03-05T10:17:00Z'); // a Wednesday
    const cases: Array<[string, string]> = [
      ['@yearly', '2026-01-01T00:00:00Z'],
      ['@annually', '2026-01-01T00:00:00Z'],
      ['@monthly', '2025-04-01T00:00:00Z'],
      ['@weekly', '2025-03-09T00:00:00Z'],
      ['@daily', '2025-03-06T00:00:00Z'],
      ['@midnight', '2025-03-06T00:00:00Z'],
      ['@hourly', '2025-03-05T11:00:00Z'],
      ['@every 90m', '2025-03-05T11:47:00Z'],
    ];
    for (const [spec, want] of cases) expect(nextAfter(parseStandard(spec), from), spec).toBe(T(want));
  });

  it('day-of-month and day-of-week: either matches unless one is a star (Vixie cron)', () => {
    const from = T('2025-01-01T00:00:00Z'); // a Wednesday
    // 13th of the month OR a Friday: Friday Jan 3 comes first.
    expect(nextAfter(parseStandard('0 0 13 * 5'), from)).toBe(T('2025-01-03T00:00:00Z'));
    // '*' day of month: only Fridays.
    expect(nextAfter(parseStandard('0 0 * * FRI'), from)).toBe(T('2025-01-03T00:00:00Z'));
    // '*/1' keeps the star; '*/2' does not (odd days OR Fridays).
    expect(nextAfter(parseStandard('0 12 */1 * 5'), from)).toBe(T('2025-01-03T12:00:00Z'));
    expect(nextAfter(parseStandard('0 12 */2 * 5'), from)).toBe(T('2025-01-01T12:00:00Z'));
    // names in any case, lists and ranges
    expect(nextAfter(parseStandard('30 8 * jan,MAR mon-wed'), T('2025-01-29T09:00:00Z'))).toBe(T('2025-03-03T08:30:00Z'));
  });
});

describe('cron parse errors (robfig/cron wording)', () => {
  const table: Array<[string, string]> = [
    ['', 'empty spec string'],
    ['* * * *', 'expected exactly 5 fields, found 4: [* * * *]'],
    ['* * * * * *', 'expected exactly 5 fields, found 6: [* * * * * *]'],
    ['60 * * * *', 'end of range (60) above maximum (59): 60'],
    ['* 24 * * *', 'end of range (24) above maximum (23): 24'],
    ['* * 0 * *', 'beginning of range (0) below minimum (1): 0'],
    ['* * * 13 *', 'end of range (13) above maximum (12): 13'],
    ['* * * * 7', 'end of range (7) above maximum (6): 7'],
    ['5-1 * * * *', 'beginning of range (5) beyond end of range (1): 5-1'],
    ['*/0 * * * *', 'step of range should be a positive number: */0'],
    ['1-2-3 * * * *', 'too many hyphens: 1-2-3'],
    ['1/2/3 * * * *', 'too many slashes: 1/2/3'],
    ['x * * * *', 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'],
    ['@reboot', 'unrecognized descriptor: @reboot'],
    ['TZ=Mars/Olympus * * * * *', 'provided bad location Mars/Olympus: unknown time zone Mars/Olympus'],
  ];
  it.each(table)('%j -> %s', (spec, message) => {
    expect(() => parseStandard(spec)).toThrow(CronParseError);
    expect(() => parseStandard(spec)).toThrow(message);
  });
});

describe('CronJob schedule validation', () => {
  it('accepts standard specs, macros and @every (ParseStandard accepts it, so upstream does)', () => {
    for (const s of ['*/5 * * * *', '@hourly', '0 0 * * MON-FRI', '@every 1h30m']) expect(validateCronJobSchedule(s, undefined)).toEqual([]);
  });
  it('rejects TZ/CRON_TZ in the schedule, bad specs and bad time zones with upstream messages', () => {
    expect(validateCronJobSchedule('TZ=UTC 0 * * * *', undefined)).toEqual([
      { path: 'spec.schedule', value: 'TZ=UTC 0 * * * *', detail: 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead' },
    ]);
    expect(validateCronJobSchedule('61 * * * *', undefined)[0]?.detail).toBe('end of range (61) above maximum (59): 61');
    expect(validateCronJobSchedule('0 * * * *', 'Mars/Olympus')).toEqual([{ path: 'spec.timeZone', value: 'Mars/Olympus', detail: 'unknown time zone Mars/Olympus' }]);
    expect(validateCronJobSchedule('0 * * * *', '')[0]?.detail).toBe('timeZone must be nil or non-empty string');
    expect(validateCronJobSchedule('0 * * * *', 'Local')[0]?.detail).toBe('timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones');
    expect(validateCronJobSchedule('0 * * * *', 'Europe/Berlin')).toEqual([]);
  });
  it('spec.timeZone evaluates the schedule in that zone (the controller adds TZ=<zone>)', () => {
    const s = parseCronJobSchedule('0 9 * * *', 'Europe/Berlin');
    expect(nextAfter(s, T('2025-01-01T00:00:00Z'))).toBe(T('2025-01-01T08:00:00Z'));
    expect(nextAfter(s, T('2025-07-01T00:00:00Z'))).toBe(T('2025-07-01T07:00:00Z'));
    // Berlin springs forward on 2025-03-30: 02:30 does not exist that day.
    const gap = parseCronJobSchedule('30 2 * * *', 'Europe/Berlin');
    expect(nextAfter(gap, T('2025-03-29T12:00:00Z'))).toBe(T('2025-03-31T00:30:00Z'));
  });
});

describe('time formatting for events and annotations', () => {
  it('RFC3339 in a zone and RFC1123Z in UTC, as Go formats them', () => {
    const ny = loadLocation('America/New_York');
    if (typeof ny === 'string') throw new Error(ny);
    expect(formatRFC3339In(T('2025-01-01T00:00:00Z'), ny)).toBe('2024-12-31T19:00:00-05:00');
    expect(formatRFC3339In(T('2025-01-01T00:00:00Z'), UTC)).toBe('2025-01-01T00:00:00Z');
    expect(formatRFC1123Z(T('2025-01-01T05:04:03Z'))).toBe('Wed, 01 Jan 2025 05:04:03 +0000');
  });
});

describe('CronJob missed schedules (pkg/controller/cronjob/utils.go)', () => {
  const hourly = parseStandard('0 * * * *');
  const created = T('2025-01-01T00:00:00Z');
  const table: Array<{ name: string; last?: string; now: string; deadline?: number; want: string | undefined; missed: string }> = [
    { name: 'before the first activation', now: '2025-01-01T00:59:59Z', want: undefined, missed: 'none' },
    { name: 'exactly at the first activation', now: '2025-01-01T01:00:00Z', want: '2025-01-01T01:00:00Z', missed: 'none' },
    { name: 'between the first and second', now: '2025-01-01T01:30:00Z', want: '2025-01-01T01:00:00Z', missed: 'none' },
    { name: 'three missed: the latest', now: '2025-01-01T03:30:00Z', want: '2025-01-01T03:00:00Z', missed: 'few' },
    { name: 'from lastScheduleTime', last: '2025-01-01T05:00:00Z', now: '2025-01-01T05:30:00Z', want: undefined, missed: 'none' },
    { name: '101 missed is many', now: '2025-01-05T06:00:00Z', want: '2025-01-05T06:00:00Z', missed: 'many' },
    { name: '100 missed is few', now: '2025-01-05T04:00:00Z', want: '2025-01-05T04:00:00Z', missed: 'few' },
    { name: 'startingDeadlineSeconds bounds the search', now: '2025-01-05T06:10:00Z', deadline: 3600, want: '2025-01-05T06:00:00Z', missed: 'none' },
  ];
  it.each(table)('$name', ({ last, now, deadline, want, missed }) => {
    const r = mostRecentScheduleTime({ creation: created, lastScheduleTime: last ? T(last) : undefined, startingDeadlineSeconds: deadline }, T(now), hourly, true);
    expect(r.mostRecent).toBe(want === undefined ? undefined : T(want));
    expect(r.missed).toBe(missed);
    expect(r.error).toBeUndefined();
  });

  it('an unsatisfiable schedule is an error (59 23 31 2 *)', () => {
    const r = mostRecentScheduleTime({ creation: created, lastScheduleTime: undefined, startingDeadlineSeconds: undefined }, T('2025-06-01T00:00:00Z'), parseStandard('59 23 31 2 *'), true);
    expect(r.error).toBe('time difference between two schedules is less than 1 second');
  });

  it('requeues 100 ms after the next activation', () => {
    const times = { creation: created, lastScheduleTime: T('2025-01-01T02:00:00Z'), startingDeadlineSeconds: undefined };
    expect(nextScheduleTimeDuration(times, T('2025-01-01T02:00:05Z'), hourly)).toBe(3_595_000 + 100);
  });

  it('names Jobs by the scheduled time in minutes since the Unix epoch', () => {
    expect(jobNameFor('tick', T('2025-01-01T00:10:00Z'))).toBe('tick-28928170');
    expect(jobNameFor('tick', T('2025-01-01T00:30:00Z'))).toBe('tick-28928190');
  });
});
