import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseRFC3339 } from '../../src/scenario/rfc3339.ts';

describe('RFC 3339 timestamps', () => {
  it.each([
    ['1970-01-01T00:00:00Z', 0],
    ['2025-01-01T00:00:00Z', 1735689600000],
    ['2025-01-01T01:00:00+01:00', 1735689600000],
    ['2024-02-29T12:30:15.250Z', 1709209815250],
    ['1969-12-31T23:59:59Z', -1000],
  ])('%s', (s, ms) => {
    expect(parseRFC3339(s)).toBe(ms);
  });

  it.each(['2025-01-01', '2025-13-01T00:00:00Z', '2025-02-29T00:00:00Z', '2025-01-01T24:00:00Z', '2025-01-01 00:00:00Z', '2025-01-01T00:00:00', 'yesterday'])('rejects %s', (s) => {
    expect(parseRFC3339(s)).toBeUndefined();
  });

  it('agrees with Date.UTC on valid timestamps (property)', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date(Date.UTC(1900, 0, 1)), max: new Date(Date.UTC(2200, 0, 1)) }), (d) => {
        const s = d.toISOString().replace(/\.\d+Z$/, 'Z');
        return parseRFC3339(s) === Math.floor(d.getTime() / 1000) * 1000;
      }),
    );
  });
});
