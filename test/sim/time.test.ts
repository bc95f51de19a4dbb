import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatRFC3339, parseRFC3339 } from '../../src/sim/time.ts';

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
