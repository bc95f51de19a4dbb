import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatRFC3339, parseRFC3339, parseRFC3339General } from '../../src/sim/time.ts';

describe('RFC3339 virtual timestamps', () => {
  it('round-trips whole seconds and matches the ISO calendar', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 253402300799 }), (secs) => {
        const ms = secs * 1000;
        const s = formatRFC3339(ms);
        expect(s).toBe(new Date(ms).toISOString().replace('.000Z', 'Z'));
        expect(parseRFC3339(s)).toBe(ms);
      }),
    );
  });
  it('truncates to whole seconds like metav1.Time', () => {
    expect(formatRFC3339(parseRFC3339('2025-01-01T00:00:00Z') + 1999)).toBe('2025-01-01T00:00:01Z');
  });
  it('parses offsets and fractions', () => {
    expect(parseRFC3339('2025-01-01T01:00:00+01:00')).toBe(parseRFC3339('2025-01-01T00:00:00Z'));
    expect(parseRFC3339('2025-01-01T00:00:00.250Z') - parseRFC3339('2025-01-01T00:00:00Z')).toBe(250);
  });
  it('rejects malformed timestamps with a clear message', () => {
    expect(() => parseRFC3339('2025-13-01T00:00:00Z')).toThrow(/out of range/);
    expect(() => parseRFC3339('yesterday')).toThrow(/invalid RFC3339 timestamp "yesterday"/);
  });
});

describe('parseRFC3339: the canonical form read by character codes', () => {
  const outcome = (f: (s: string) => number, s: string): number | string => {
    try {
      return f(s);
    } catch (e) {
      return (e as Error).message;
    }
  };
  const two = (n: number): string => String(n).padStart(2, '0');
  it('gives the general parse answer and error for canonical and near-canonical texts', () => {
    const canonical = fc
      .record({ y: fc.integer({ min: 0, max: 9999 }), mo: fc.integer({ min: 0, max: 13 }), d: fc.integer({ min: 0, max: 32 }), h: fc.integer({ min: 0, max: 25 }), mi: fc.integer({ min: 0, max: 61 }), se: fc.integer({ min: 0, max: 61 }) })
      .map(({ y, mo, d, h, mi, se }) => `${String(y).padStart(4, '0')}-${two(mo)}-${two(d)}T${two(h)}:${two(mi)}:${two(se)}Z`);
    // One character replaced (a separator, a digit, the zone) or the text cut or lengthened.
    const mutated = fc.tuple(canonical, fc.nat(21), fc.constantFrom('', 'z', 't', ' ', '/', 'a', '9', '0', '+', '.5Z', 'Z', 'T', '-', ':')).map(([s, i, c]) => s.slice(0, i) + c + s.slice(i + 1));
    fc.assert(
      fc.property(fc.oneof(canonical, mutated), (s) => {
        expect(outcome(parseRFC3339, s)).toEqual(outcome(parseRFC3339General, s));
      }),
      { numRuns: 20_000 },
    );
  });

  it('reads leap days and month ends as the calendar has them', () => {
    for (const s of ['2024-02-29T23:59:59Z', '2023-02-29T00:00:00Z', '2000-02-29T00:00:00Z', '1900-02-29T00:00:00Z', '2025-04-31T00:00:00Z', '2025-12-31T23:59:59Z', '0000-01-01T00:00:00Z']) {
      expect(outcome(parseRFC3339, s)).toEqual(outcome(parseRFC3339General, s));
    }
    expect(parseRFC3339('2025-01-01T00:00:05Z')).toBe(Date.UTC(2025, 0, 1, 0, 0, 5));
  });
});
