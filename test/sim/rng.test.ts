import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { GENERATE_NAME_ALPHABET, SeededRngStreams, uuidFrom } from '../../src/sim/rng.ts';

describe('RngStreams', () => {
  it('is deterministic per seed and stream name', () => {
    const a = new SeededRngStreams(42).stream('names');
    const b = new SeededRngStreams(42).stream('names');
    const xs = Array.from({ length: 10 }, () => a.next());
    const ys = Array.from({ length: 10 }, () => b.next());
    expect(xs).toEqual(ys);
  });

  it('streams are independent: drawing from one does not change another', () => {
    fc.assert(
      fc.property(fc.integer(), fc.nat({ max: 50 }), (seed, draws) => {
        const quiet = new SeededRngStreams(seed);
        const busy = new SeededRngStreams(seed);
        const other = busy.stream('other-consumer');
        for (let i = 0; i < draws; i++) other.next();
        const q = Array.from({ length: 5 }, () => quiet.stream('names').next());
        const b = Array.from({ length: 5 }, () => busy.stream('names').next());
        expect(b).toEqual(q);
      }),
    );
  });

  it('different seeds and different names give different sequences', () => {
    const s = new SeededRngStreams(1);
    expect(s.stream('a').next()).not.toBe(s.stream('b').next());
    expect(new SeededRngStreams(1).stream('a').next()).not.toBe(new SeededRngStreams(2).stream('a').next());
  });

  it('returns the same stream object for a name, continuing its sequence', () => {
    const s = new SeededRngStreams(7);
    const first = s.stream('x').next();
    const second = s.stream('x').next();
    expect(second).not.toBe(first);
    expect(new SeededRngStreams(7).stream('x').next()).toBe(first);
  });

  it('int(n) stays in [0, n) and rejects bad bounds', () => {
    const r = new SeededRngStreams(3).stream('i');
    for (let i = 0; i < 1000; i++) {
      const v = r.int(7);
      expect(Number.isInteger(v) && v >= 0 && v < 7).toBe(true);
    }
    expect(() => r.int(0)).toThrow(RangeError);
  });

  it('alphanumeric uses the generateName alphabet of k8s.io/apimachinery util/rand', () => {
    expect(GENERATE_NAME_ALPHABET).toBe('bcdfghjklmnpqrstvwxz2456789');
    const r = new SeededRngStreams(9).stream('names');
    const s = r.alphanumeric(2000);
    expect(s).toHaveLength(2000);
    expect(s).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
    // every character of the alphabet shows up in a long draw
    for (const ch of GENERATE_NAME_ALPHABET) expect(s.includes(ch)).toBe(true);
  });

  it('uuidFrom gives RFC 4122 version-4 shaped ids', () => {
    const r = new SeededRngStreams(5).stream('uids');
    for (let i = 0; i < 50; i++) expect(uuidFrom(r)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('uuidFrom draws the same ids as before it built them from character codes (run logs name them)', () => {
    const r = new SeededRngStreams(42).stream('uids');
    expect([uuidFrom(r), uuidFrom(r), uuidFrom(r)]).toEqual([
      '21a5e841-bb9d-4dff-a074-659a8fb0b978',
      'c56834fd-aefa-46ea-af4e-86e855a1be76',
      '9d2ba21c-eeb4-4ac5-aff7-60838c20e70b',
    ]);
  });

  it('uuidFrom writes the four 32-bit draws as hex with the version and variant nibbles set (property, any draws)', () => {
    // The reference spells the rule out the slow way: 32 hex digits of the draws, digit 13 replaced by 4,
    // digit 17 by 8 + its low two bits, dashes after digits 8, 12, 16 and 20.
    const reference = (draws: readonly number[]): string => {
      const hex = draws.map((x) => Math.floor(x * 4294967296).toString(16).padStart(8, '0')).join('');
      const variant = (8 + (parseInt(hex[16]!, 16) & 3)).toString(16);
      const digits = `${hex.slice(0, 12)}4${hex.slice(13, 16)}${variant}${hex.slice(17)}`;
      return [digits.slice(0, 8), digits.slice(8, 12), digits.slice(12, 16), digits.slice(16, 20), digits.slice(20)].join('-');
    };
    const draw = fc.oneof(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), fc.constantFrom(0, 0.5, 1 - 2 ** -53, 2 ** -32, 1 - 2 ** -32));
    fc.assert(
      fc.property(fc.array(draw, { minLength: 4, maxLength: 4 }), (draws) => {
        let i = 0;
        const rng = { next: (): number => draws[i++]!, int: (): number => 0, alphanumeric: (): string => '' };
        expect(uuidFrom(rng)).toBe(reference(draws));
        // Exactly four draws, no more.
        expect(i).toBe(4);
      }),
      { numRuns: 500 },
    );
    // And on seeded streams, as the store draws them.
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const a = new SeededRngStreams(seed).stream('uids');
        const b = new SeededRngStreams(seed).stream('uids');
        for (let k = 0; k < 3; k++) expect(uuidFrom(a)).toBe(reference([b.next(), b.next(), b.next(), b.next()]));
      }),
      { numRuns: 200 },
    );
  });
});
