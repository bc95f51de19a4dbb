import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DurationError,
  formatDuration,
  formatDurationNanos,
  parseDuration,
  parseDurationNanos,
} from '../../src/api/duration.ts';

const NS = 1n;
const US = 1000n;
const MS = 1000n * US;
const S = 1000n * MS;
const M = 60n * S;
const H = 60n * M;

describe('parseDurationNanos (Go time_test.go parseDurationTests)', () => {
  it.each<[string, bigint]>([
    ['0', 0n],
    ['5s', 5n * S],
    ['30s', 30n * S],
    ['1478s', 1478n * S],
    ['-5s', -5n * S],
    ['+5s', 5n * S],
    ['-0', 0n],
    ['+0', 0n],
    ['5.0s', 5n * S],
    ['5.6s', 5n * S + 600n * MS],
    ['5.s', 5n * S],
    ['.5s', 500n * MS],
    ['1.0s', S],
    ['1.00s', S],
    ['1.004s', S + 4n * MS],
    ['1.0040s', S + 4n * MS],
    ['100.00100s', 100n * S + MS],
    ['10ns', 10n * NS],
    ['11us', 11n * US],
    ['12\u00b5s', 12n * US],
    ['12\u03bcs', 12n * US],
    ['13ms', 13n * MS],
    ['14s', 14n * S],
    ['15m', 15n * M],
    ['16h', 16n * H],
    ['3h30m', 3n * H + 30n * M],
    ['10.5s4m', 4n * M + 10n * S + 500n * MS],
    ['-2m3.4s', -(2n * M + 3n * S + 400n * MS)],
    ['1h2m3s4ms5us6ns', H + 2n * M + 3n * S + 4n * MS + 5n * US + 6n * NS],
    ['39h9m14.425s', 39n * H + 9n * M + 14n * S + 425n * MS],
    ['52763797000ns', 52763797000n],
    ['0.3333333333333333333h', 20n * M],
    ['9007199254740993ns', (1n << 53n) + 1n],
    ['9223372036854775807ns', (1n << 63n) - 1n],
    ['9223372036854775.807us', (1n << 63n) - 1n],
    ['9223372036s854ms775us807ns', (1n << 63n) - 1n],
    ['-9223372036854775808ns', -(1n << 63n)],
    ['-9223372036854775.808us', -(1n << 63n)],
    ['-9223372036s854ms775us808ns', -(1n << 63n)],
    ['-2562047h47m16.854775808s', -(1n << 63n)],
    ['0.100000000000000000000h', 6n * M],
    ['0.830103483285477580700h', 49n * M + 48n * S + 372539827n],
    ['1.5h', 90n * M],
    ['2h45m30.5s', 2n * H + 45n * M + 30n * S + 500n * MS],
  ])('%s', (input, want) => {
    expect(parseDurationNanos(input)).toBe(want);
  });

  it.each([
    ['', 'time: invalid duration ""'],
    ['3', 'time: missing unit in duration "3"'],
    ['10', 'time: missing unit in duration "10"'],
    ['-', 'time: invalid duration "-"'],
    ['s', 'time: invalid duration "s"'],
    ['.', 'time: invalid duration "."'],
    ['-.', 'time: invalid duration "-."'],
    ['.s', 'time: invalid duration ".s"'],
    ['+.s', 'time: invalid duration "+.s"'],
    ['abc', 'time: invalid duration "abc"'],
    ['1d', 'time: unknown unit "d" in duration "1d"'],
    ['10x', 'time: unknown unit "x" in duration "10x"'],
    ['\uFFFD', 'time: invalid duration "\\xef\\xbf\\xbd"'],
    ['\uFFFD hello \uFFFD world', 'time: invalid duration "\\xef\\xbf\\xbd hello \\xef\\xbf\\xbd world"'],
    ['9223372036854775810ns', 'time: invalid duration "9223372036854775810ns"'],
    ['9223372036854775808ns', 'time: invalid duration "9223372036854775808ns"'],
    ['-9223372036854775809ns', 'time: invalid duration "-9223372036854775809ns"'],
    ['9223372036854775.808us', 'time: invalid duration "9223372036854775.808us"'],
    ['3000000h', 'time: invalid duration "3000000h"'],
    ['9223372036854775807h', 'time: invalid duration "9223372036854775807h"'],
    ['9223372036854775.807h', 'time: invalid duration "9223372036854775.807h"'],
    ['1 s', 'time: unknown unit " s" in duration "1 s"'],
  ])('rejects %j: %s', (input, msg) => {
    expect(() => parseDurationNanos(input)).toThrow(DurationError);
    expect(() => parseDurationNanos(input)).toThrow(msg);
  });
});

describe('formatDurationNanos (Go durationTests)', () => {
  it.each<[string, bigint]>([
    ['0s', 0n],
    ['1ns', 1n],
    ['1.1\u00b5s', 1100n],
    ['2.2ms', 2200n * US],
    ['3.3s', 3300n * MS],
    ['4m5s', 4n * M + 5n * S],
    ['4m5.001s', 4n * M + 5001n * MS],
    ['5h6m7.001s', 5n * H + 6n * M + 7001n * MS],
    ['8m0.000000001s', 8n * M + 1n],
    ['2562047h47m16.854775807s', (1n << 63n) - 1n],
    ['-2562047h47m16.854775808s', -(1n << 63n)],
  ])('%s', (str, d) => {
    expect(formatDurationNanos(d)).toBe(str);
    expect(parseDurationNanos(str)).toBe(d);
  });
});

describe('parseDuration / formatDuration in milliseconds', () => {
  it.each([
    ['90s', 90_000],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['1.5h', 5_400_000],
    ['300ms', 300],
    ['2h45m30.5s', 9_930_500],
    ['0', 0],
    ['0s', 0],
    ['1ns', 1], // sub-millisecond remainders round up
    ['1.0001ms', 2],
    ['999us', 1],
    ['-1ns', -1], // ... away from zero
    ['-5s', -5000],
  ])('parseDuration(%j) = %d', (s, ms) => {
    expect(parseDuration(s)).toBe(ms);
  });

  it.each([
    [5_400_000, '1h30m0s'],
    [300_000, '5m0s'],
    [1500, '1.5s'],
    [500, '500ms'],
    [0, '0s'],
    [1, '1ms'],
    [-1500, '-1.5s'],
    [86_400_000, '24h0m0s'],
    [0.5, '500\u00b5s'],
  ])('formatDuration(%d) = %s', (ms, s) => {
    expect(formatDuration(ms)).toBe(s);
  });

  it('rejects non-finite input', () => {
    expect(() => formatDuration(Number.NaN)).toThrow(DurationError);
  });
});

describe('properties', () => {
  it('parseDuration(formatDuration(ms)) === ms for whole milliseconds', () => {
    fc.assert(
      fc.property(fc.integer({ min: -9e12, max: 9e12 }) /* within int64 nanoseconds */, (ms) => {
        expect(parseDuration(formatDuration(ms))).toBe(ms);
      }),
    );
  });

  it('formatDurationNanos round-trips every int64', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }), (ns) => {
        expect(parseDurationNanos(formatDurationNanos(ns))).toBe(ns);
      }),
    );
  });

  it('parseDuration is the ceiling (away from zero) of the nanoseconds in ms', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n }), (ns) => {
        const ms = parseDuration(`${ns}ns`);
        expect(BigInt(ms) * MS >= ns).toBe(true);
        expect((BigInt(ms) - 1n) * MS < ns || ms === 0).toBe(true);
      }),
    );
  });
});
