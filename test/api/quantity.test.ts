import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ERR_FORMAT_WRONG,
  ERR_NUMERIC,
  ERR_SUFFIX,
  Quantity,
  QuantityError,
  type QuantityFormat,
  quantityFieldError,
} from '../../src/api/quantity.ts';
import { formatFieldError } from '../../src/api/errors.ts';

/** value × 10^exp as an exact Quantity, for expectations (upstream's decQuantity helper). */
function dec(value: bigint | number, exp: number, format: QuantityFormat): Quantity {
  return Quantity.fromScaled(BigInt(value), exp, format);
}

describe('Quantity.parse: values and formats (upstream TestQuantityParse)', () => {
  const KI = 1024n;
  const table: Array<[string, Quantity]> = [
    ['0', dec(0, 0, 'DecimalSI')],
    ['0n', dec(0, 0, 'DecimalSI')],
    ['0u', dec(0, 0, 'DecimalSI')],
    ['0m', dec(0, 0, 'DecimalSI')],
    ['0Ki', dec(0, 0, 'BinarySI')],
    ['0k', dec(0, 0, 'DecimalSI')],
    ['0Mi', dec(0, 0, 'BinarySI')],
    ['0M', dec(0, 0, 'DecimalSI')],
    ['0Gi', dec(0, 0, 'BinarySI')],
    ['0G', dec(0, 0, 'DecimalSI')],
    ['0Ti', dec(0, 0, 'BinarySI')],
    ['0T', dec(0, 0, 'DecimalSI')],
    ['1', dec(1, 0, 'DecimalSI')],
    ['1Ki', dec(KI, 0, 'BinarySI')],
    ['8Ki', dec(8n * KI, 0, 'BinarySI')],
    ['7Mi', dec(7n * KI ** 2n, 0, 'BinarySI')],
    ['6Gi', dec(6n * KI ** 3n, 0, 'BinarySI')],
    ['5Ti', dec(5n * KI ** 4n, 0, 'BinarySI')],
    ['4Pi', dec(4n * KI ** 5n, 0, 'BinarySI')],
    ['3Ei', dec(3n * KI ** 6n, 0, 'BinarySI')],
    ['10Ti', dec(10n * KI ** 4n, 0, 'BinarySI')],
    ['100Ti', dec(100n * KI ** 4n, 0, 'BinarySI')],
    ['5n', dec(5, -9, 'DecimalSI')],
    ['4u', dec(4, -6, 'DecimalSI')],
    ['3m', dec(3, -3, 'DecimalSI')],
    ['9', dec(9, 0, 'DecimalSI')],
    ['8k', dec(8, 3, 'DecimalSI')],
    ['50k', dec(5, 4, 'DecimalSI')],
    ['7M', dec(7, 6, 'DecimalSI')],
    ['6G', dec(6, 9, 'DecimalSI')],
    ['5T', dec(5, 12, 'DecimalSI')],
    ['40T', dec(4, 13, 'DecimalSI')],
    ['300T', dec(3, 14, 'DecimalSI')],
    ['2P', dec(2, 15, 'DecimalSI')],
    ['1E', dec(1, 18, 'DecimalSI')],
    ['1E-3', dec(1, -3, 'DecimalExponent')],
    ['1e3', dec(1, 3, 'DecimalExponent')],
    ['1E6', dec(1, 6, 'DecimalExponent')],
    ['1e9', dec(1, 9, 'DecimalExponent')],
    ['1E12', dec(1, 12, 'DecimalExponent')],
    ['1e15', dec(1, 15, 'DecimalExponent')],
    ['1E18', dec(1, 18, 'DecimalExponent')],
    ['1e14', dec(1, 14, 'DecimalExponent')],
    ['1e13', dec(1, 13, 'DecimalExponent')],
    ['100.035k', dec(100035, 0, 'DecimalSI')],
    ['0.001', dec(1, -3, 'DecimalSI')],
    ['0.0005k', dec(5, -1, 'DecimalSI')],
    ['0.005', dec(5, -3, 'DecimalSI')],
    ['0.05', dec(5, -2, 'DecimalSI')],
    ['0.5', dec(5, -1, 'DecimalSI')],
    ['0.00050k', dec(5, -1, 'DecimalSI')],
    ['0.00500', dec(5, -3, 'DecimalSI')],
    ['0.05000', dec(5, -2, 'DecimalSI')],
    ['0.50000', dec(5, -1, 'DecimalSI')],
    ['0.5e0', dec(5, -1, 'DecimalExponent')],
    ['0.5e-1', dec(5, -2, 'DecimalExponent')],
    ['0.5e-2', dec(5, -3, 'DecimalExponent')],
    ['10.035M', dec(10035, 3, 'DecimalSI')],
    ['1.2e3', dec(12, 2, 'DecimalExponent')],
    ['1.3E+6', dec(13, 5, 'DecimalExponent')],
    ['1.40e9', dec(14, 8, 'DecimalExponent')],
    ['1.53E12', dec(153, 10, 'DecimalExponent')],
    ['1.6e15', dec(16, 14, 'DecimalExponent')],
    ['1.7E18', dec(17, 17, 'DecimalExponent')],
    ['9.01', dec(901, -2, 'DecimalSI')],
    ['8.1k', dec(81, 2, 'DecimalSI')],
    ['7.123456M', dec(7123456, 0, 'DecimalSI')],
    ['6.987654321G', dec(6987654321, 0, 'DecimalSI')],
    ['5.444T', dec(5444, 9, 'DecimalSI')],
    ['40.1T', dec(401, 11, 'DecimalSI')],
    ['300.2T', dec(3002, 11, 'DecimalSI')],
    ['2.5P', dec(25, 14, 'DecimalSI')],
    ['1.01E', dec(101, 16, 'DecimalSI')],
    // things that saturate or round (up to the next nano, away from zero)
    ['3.001n', dec(4, -9, 'DecimalSI')],
    ['1.1E-9', dec(2, -9, 'DecimalExponent')],
    ['0.0000000001', dec(1, -9, 'DecimalSI')],
    ['0.0000000005', dec(1, -9, 'DecimalSI')],
    ['0.00000000050', dec(1, -9, 'DecimalSI')],
    ['0.5e-9', dec(1, -9, 'DecimalExponent')],
    ['0.9n', dec(1, -9, 'DecimalSI')],
    ['0.00000012345', dec(124, -9, 'DecimalSI')],
    ['0.00000012354', dec(124, -9, 'DecimalSI')],
    ['9Ei', dec((1n << 63n) - 1n, 0, 'BinarySI')],
    ['9223372036854775807Ki', dec((1n << 63n) - 1n, 0, 'BinarySI')],
    ['12E', dec(12, 18, 'DecimalSI')],
    // fractional binary
    ['100.035Ki', dec(10243584, -2, 'BinarySI')],
    ['0.5Mi', dec(512n * KI, 0, 'BinarySI')],
    ['0.05Gi', dec(536870912, -1, 'BinarySI')],
    ['0.025Ti', dec(274877906944, -1, 'BinarySI')],
    // "things written by trolls"
    ['0.000000000001Ki', dec(2, -9, 'DecimalSI')], // rounds up, changes format
    ['.001', dec(1, -3, 'DecimalSI')],
    ['.0001k', dec(100, -3, 'DecimalSI')],
    ['1.', dec(1, 0, 'DecimalSI')],
    ['1.G', dec(1, 9, 'DecimalSI')],
  ];

  it.each(table)('%s', (input, expected) => {
    const q = Quantity.parse(input);
    expect(q.cmp(expected)).toBe(0);
    expect(q.format).toBe(expected.format);
    // upstream also checks the negated and explicitly-signed spellings
    const neg = Quantity.parse('-' + input);
    expect(neg.cmp(expected.neg())).toBe(0);
    expect(neg.format).toBe(expected.format);
    const pos = Quantity.parse('+' + input);
    expect(pos.cmp(expected)).toBe(0);
    expect(pos.format).toBe(expected.format);
  });

  it.each(['1.1.M', '1+1.0M', '0.1mi', '0.1am', 'aoeu', '.5i', '1i', '-3.01i', '-3.01e-', ' 1', '1 ', ''])(
    'rejects %j',
    (input) => {
      expect(() => Quantity.parse(input)).toThrow(QuantityError);
      expect(Quantity.tryParse(input)).toBeUndefined();
    },
  );

  it('reports the upstream error for each kind of failure', () => {
    const msg = (s: string): string => {
      try {
        Quantity.parse(s);
      } catch (e) {
        return (e as Error).message;
      }
      return 'parsed';
    };
    expect(ERR_FORMAT_WRONG).toBe(
      "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
    );
    expect(msg('abc')).toBe(ERR_FORMAT_WRONG);
    expect(msg('')).toBe(ERR_FORMAT_WRONG);
    expect(msg('1.1.M')).toBe(ERR_FORMAT_WRONG);
    expect(msg('1K')).toBe(ERR_SUFFIX);
    expect(msg('1Mb')).toBe(ERR_FORMAT_WRONG);
    expect(msg('1e')).toBe(ERR_SUFFIX);
    expect(msg('0.1mi')).toBe(ERR_SUFFIX);
    // below-nano exponent takes the slow path, where a lone "." has no digits to read
    expect(msg('.e-10')).toBe(ERR_NUMERIC);
  });
});

describe('Quantity.toString (upstream TestQuantityString, TestQuantityParseEmit)', () => {
  // [quantity, canonical, alternate spelling that canonicalises to it]
  const table: Array<[Quantity, string, string]> = [
    [dec(1024n ** 3n, 0, 'BinarySI'), '1Gi', '1024Mi'],
    [dec(300n * 1024n ** 2n, 0, 'BinarySI'), '300Mi', '307200Ki'],
    [dec(6 * 1024, 0, 'BinarySI'), '6Ki', ''],
    [dec(1001n * 1024n ** 3n, 0, 'BinarySI'), '1001Gi', '1025024Mi'],
    [dec(1024n ** 4n, 0, 'BinarySI'), '1Ti', '1024Gi'],
    [dec(5, 0, 'BinarySI'), '5', '5000m'],
    [dec(500, -3, 'BinarySI'), '500m', '0.5'],
    [dec(1, 9, 'DecimalSI'), '1G', '1000M'],
    [dec(1000, 6, 'DecimalSI'), '1G', '0.001T'],
    [dec(1000000, 3, 'DecimalSI'), '1G', ''],
    [dec(1000000000, 0, 'DecimalSI'), '1G', ''],
    [dec(1, -3, 'DecimalSI'), '1m', '1000u'],
    [dec(80, -3, 'DecimalSI'), '80m', ''],
    [dec(1080, -3, 'DecimalSI'), '1080m', '1.08'],
    [dec(108, -2, 'DecimalSI'), '1080m', '1080000000n'],
    [dec(10800, -4, 'DecimalSI'), '1080m', ''],
    [dec(300, 6, 'DecimalSI'), '300M', ''],
    [dec(1, 12, 'DecimalSI'), '1T', ''],
    [dec(1, 18, 'DecimalSI'), '1E', ''],
    // DecimalSI beyond "E" falls back to exponent notation (newer upstream; v1.31 dropped the exponent)
    [dec(1, 21, 'DecimalSI'), '1e21', '1000E'],
    [dec(5, 21, 'DecimalSI'), '5e21', '5000E'],
    [dec(1234567, 6, 'DecimalSI'), '1234567M', ''],
    [dec(1234567, -3, 'BinarySI'), '1234567m', ''],
    [dec(3, 3, 'DecimalSI'), '3k', ''],
    [dec(1025, 0, 'BinarySI'), '1025', ''],
    [dec(0, 0, 'DecimalSI'), '0', ''],
    [dec(0, 0, 'BinarySI'), '0', ''],
    [dec(1, 9, 'DecimalExponent'), '1e9', '.001e12'],
    [dec(1, -3, 'DecimalExponent'), '1e-3', '0.001e0'],
    [dec(1, -9, 'DecimalExponent'), '1e-9', '1000e-12'],
    [dec(80, -3, 'DecimalExponent'), '80e-3', ''],
    [dec(300, 6, 'DecimalExponent'), '300e6', ''],
    [dec(1, 12, 'DecimalExponent'), '1e12', ''],
    [dec(1, 3, 'DecimalExponent'), '1e3', ''],
    [dec(3, 3, 'DecimalExponent'), '3e3', ''],
    [dec(0, 0, 'DecimalExponent'), '0', '00'],
    [dec(1, -9, 'DecimalSI'), '1n', ''],
    [dec(80, -9, 'DecimalSI'), '80n', ''],
    [dec(1080, -9, 'DecimalSI'), '1080n', ''],
    [dec(108, -8, 'DecimalSI'), '1080n', ''],
    [dec(10800, -10, 'DecimalSI'), '1080n', ''],
    [dec(1, -6, 'DecimalSI'), '1u', ''],
    [dec(80, -6, 'DecimalSI'), '80u', ''],
    [dec(1080, -6, 'DecimalSI'), '1080u', ''],
  ];

  it.each(table)('%s -> %s (alternate %j)', (q, canonical, alternate) => {
    expect(q.toString()).toBe(canonical);
    expect(Quantity.parse(canonical).toString()).toBe(canonical);
    if (alternate !== '') {
      const alt = Quantity.parse(alternate);
      expect(alt.toString()).toBe(canonical);
    }
    if (!q.isZero()) expect(q.neg().toString()).toBe('-' + canonical);
  });

  it.each([
    ['1Ki', '1Ki'],
    ['1Mi', '1Mi'],
    ['1Gi', '1Gi'],
    ['1024Mi', '1Gi'],
    ['1000M', '1G'],
    ['.001Ki', '1024m'],
    ['.000001Ki', '1024u'],
    ['.000000001Ki', '1024n'],
    ['.000000000001Ki', '2n'],
  ])('parse/emit %s -> %s', (input, out) => {
    expect(Quantity.parse(input).toString()).toBe(out);
    expect(Quantity.parse('-' + input).toString()).toBe('-' + out);
  });

  // The brief's canonicalisation examples.
  it.each([
    ['1.5Gi', '1536Mi'],
    ['0.5', '500m'],
    ['1000m', '1'],
    ['1e3', '1e3'],
    ['100m', '100m'],
    ['1.5', '1500m'],
    ['129M', '129M'],
    ['123Mi', '123Mi'],
    ['0.1', '100m'],
    ['1Ki', '1Ki'],
    ['1024', '1024'],
    ['1000', '1k'],
    ['2048Ki', '2Mi'],
    ['1.5Ki', '1536'],
    ['1e14', '100e12'],
    ['9Ei', '9223372036854775807'],
  ])('%s -> %s', (input, out) => {
    expect(Quantity.parse(input).toString()).toBe(out);
  });

  // ParseQuantity's int64 fast path keeps the input string when it already looks canonical, and
  // String() returns it verbatim (quantity.go: `s: str`).
  it.each([
    ['+1Ki', '+1Ki'],
    ['+100m', '+100m'],
    ['1.100', '1.100'],
    ['1.', '1.'],
    ['1.G', '1.G'],
    ['01', '01'],
    ['+1Pi', '1Pi'], // too big for the fast path: canonicalised
    ['1.0', '1'], // scale not a multiple of 3: canonicalised
  ])('keeps upstream cached string: %s -> %s', (input, out) => {
    expect(Quantity.parse(input).toString()).toBe(out);
  });

  it('arithmetic drops the cached string', () => {
    expect(Quantity.parse('+1Ki').add(Quantity.zero()).toString()).toBe('1Ki');
    expect(Quantity.parse('1.100').neg().toString()).toBe('-1100m');
  });
});

describe('constructors (upstream TestMilliNewSet, TestNewSet, TestNewScaledSet)', () => {
  it.each([
    [1, 'DecimalSI', '1m'],
    [1000, 'DecimalSI', '1'],
    [1234000, 'DecimalSI', '1234'],
    [1024, 'BinarySI', '1024m'],
    [1000000, 'DecimalExponent', '1e3'],
    [1024 * 1024, 'BinarySI', '1048576m'],
  ] as const)('fromMilli(%d, %s) = %s', (v, f, s) => {
    const q = Quantity.fromMilli(v, f);
    expect(q.toString()).toBe(s);
    expect(Quantity.parse(s).milliValue()).toBe(v);
  });

  it.each([
    [1, 'DecimalSI', '1'],
    [1000, 'DecimalSI', '1k'],
    [1234000, 'DecimalSI', '1234k'],
    [1024, 'BinarySI', '1Ki'],
    [1000000, 'DecimalExponent', '1e6'],
    [1024 * 1024, 'BinarySI', '1Mi'],
  ] as const)('fromValue(%d, %s) = %s', (v, f, s) => {
    const q = Quantity.fromValue(v, f);
    expect(q.toString()).toBe(s);
    expect(Quantity.parse(s).value()).toBe(v);
  });

  it.each([
    [1, -9, '1n'],
    [1000, -9, '1u'],
    [1, -6, '1u'],
    [1000, -6, '1m'],
    [1, -3, '1m'],
    [1000, -3, '1'],
    [1, 0, '1'],
    [0, -9, '0'],
    [0, 0, '0'],
  ])('fromScaled(%d, %d) = %s', (v, scale, s) => {
    expect(Quantity.fromScaled(v, scale).toString()).toBe(s);
  });

  it('rejects non-integers', () => {
    expect(() => Quantity.fromMilli(1.5)).toThrow(QuantityError);
    expect(() => Quantity.fromValue(Number.NaN)).toThrow(QuantityError);
  });
});

describe('value/milliValue round up (upstream Value, MilliValue, TestScaledValue)', () => {
  it.each([
    ['1', 1, 1000],
    ['100m', 1, 100],
    ['1500m', 2, 1500],
    ['1n', 1, 1],
    ['1u', 1, 1],
    ['1.0001m', 1, 2],
    ['1.5Gi', 1610612736, 1610612736000],
    ['1.1Ki', 1127, 1126400],
    ['0', 0, 0],
    // negatives round away from zero (negativeScaleInt64), not to the mathematical ceiling
    ['-1500m', -2, -1500],
    ['-1.5m', -1, -2],
  ])('%s: value %d milliValue %d', (s, v, mv) => {
    const q = Quantity.parse(s);
    expect(q.value()).toBe(v);
    expect(q.milliValue()).toBe(mv);
  });
});

describe('arithmetic and comparison', () => {
  it('Cmp (upstream TestQuantityCmp)', () => {
    expect(Quantity.parse('0').cmp(Quantity.parse('0'))).toBe(0);
    expect(Quantity.parse('100m').cmp(Quantity.parse('50m'))).toBe(1);
    expect(Quantity.parse('50m').cmp(Quantity.parse('100m'))).toBe(-1);
    expect(Quantity.parse('10000T').cmp(Quantity.parse('100Gi'))).toBe(1);
    expect(Quantity.parse('1e1000').cmp(Quantity.parse('9e999'))).toBe(1);
    expect(Quantity.parse('-1e1000').cmp(Quantity.parse('1n'))).toBe(-1);
  });

  it('Add/Sub keep the receiver format, or take the argument format when the receiver is zero (upstream TestAdd/TestSub)', () => {
    const a = dec(10, 0, 'DecimalSI');
    expect(a.add(dec(1, 1, 'DecimalSI')).cmp(dec(20, 0, 'DecimalSI'))).toBe(0);
    expect(a.add(dec(1, 0, 'BinarySI')).format).toBe('DecimalSI');
    expect(dec(10, 0, 'BinarySI').add(dec(1, 0, 'DecimalSI')).format).toBe('BinarySI');
    expect(a.sub(dec(1, 1, 'DecimalSI')).isZero()).toBe(true);
    expect(Quantity.zero().sub(dec(50, 0, 'DecimalSI')).cmp(dec(-50, 0, 'DecimalSI'))).toBe(0);
    for (const v of ['100m', '1Gi']) {
      // upstream TestQuantityAddZeroPreservesSuffix / SubZero
      const q = Quantity.parse(v);
      expect(q.add(Quantity.parse('0')).toString()).toBe(v);
      expect(Quantity.parse('0').add(q).toString()).toBe(v);
      expect(q.sub(Quantity.parse('0')).toString()).toBe(v);
      expect(Quantity.parse('0').sub(q).toString()).toBe(q.neg().toString());
    }
    expect(Quantity.parse('1Gi').add(Quantity.parse('512Mi')).toString()).toBe('1536Mi');
    expect(Quantity.parse('100m').sub(Quantity.parse('1')).toString()).toBe('-900m');
  });

  it('Neg (upstream TestQuantityNeg)', () => {
    expect(dec(901, -2, 'DecimalSI').neg().toString()).toBe('-9010m');
    expect(dec(10, 0, 'BinarySI').neg().cmp(dec(-10, 0, 'BinarySI'))).toBe(0);
    expect(Quantity.zero().neg().isZero()).toBe(true);
  });

  it('sign and isZero', () => {
    expect(Quantity.parse('-1m').sign()).toBe(-1);
    expect(Quantity.parse('0Ki').sign()).toBe(0);
    expect(Quantity.parse('0Ki').isZero()).toBe(true);
    expect(Quantity.parse('1n').sign()).toBe(1);
  });

  it('asApproximateFloat64 (upstream TestStringQuantityAsApproximateFloat64)', () => {
    expect(Quantity.parse('2Ki').asApproximateFloat64()).toBe(2048);
    expect(Quantity.parse('1.1Ki').asApproximateFloat64()).toBe(1126.4);
    expect(Quantity.parse('1Mi').asApproximateFloat64()).toBe(1.048576e6);
    expect(Quantity.parse('2Gi').asApproximateFloat64()).toBe(2.147483648e9);
    expect(dec(12, 18, 'DecimalSI').asApproximateFloat64()).toBe(1.2e19);
    expect(dec(12, 500, 'DecimalSI').asApproximateFloat64()).toBe(Infinity);
    expect(dec(-12, 500, 'DecimalSI').asApproximateFloat64()).toBe(-Infinity);
  });
});

describe('numbers and field errors', () => {
  it('parses YAML numbers through their decimal string', () => {
    expect(Quantity.parse(0.5).toString()).toBe('500m');
    expect(Quantity.parse(2).toString()).toBe('2');
    expect(Quantity.parse(1024).toString()).toBe('1024');
    expect(Quantity.parse(1e21).cmp(dec(1, 21, 'DecimalSI'))).toBe(0);
    expect(() => Quantity.parse(Number.NaN)).toThrow(ERR_FORMAT_WRONG);
  });

  it('quantityFieldError renders like Kubernetes', () => {
    expect(quantityFieldError('100m', 'x')).toBeUndefined();
    expect(quantityFieldError(2, 'x')).toBeUndefined();
    const e = quantityFieldError('abc', 'spec.containers[0].resources.requests[cpu]');
    expect(e).toEqual({
      path: 'spec.containers[0].resources.requests[cpu]',
      type: 'Invalid',
      value: 'abc',
      detail: ERR_FORMAT_WRONG,
    });
    expect(formatFieldError(e!)).toBe(
      `spec.containers[0].resources.requests[cpu]: Invalid value: "abc": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
    );
    expect(quantityFieldError('1K', 'p')?.detail).toBe(ERR_SUFFIX);
    expect(quantityFieldError({}, 'p')?.detail).toBe(ERR_FORMAT_WRONG);
  });
});

// ---- properties --------------------------------------------------------------------------------

const formatArb = fc.constantFrom<QuantityFormat>('DecimalSI', 'BinarySI', 'DecimalExponent');
const MAX_INT64 = (1n << 63n) - 1n;

/** Arbitrary quantities as upstream can hold them: nano precision, BinarySI within the parse cap. */
const quantityArb = fc
  .tuple(fc.bigInt({ min: -(10n ** 24n), max: 10n ** 24n }), fc.integer({ min: -9, max: 12 }), formatArb)
  .filter(([m, e, f]) => f !== 'BinarySI' || (m < 0n ? -m : m) * 10n ** BigInt(Math.max(e, 0)) <= MAX_INT64 * 10n ** BigInt(Math.max(-e, 0)))
  .map(([m, e, f]) => Quantity.fromScaled(m, e, f));

/** Strings drawn from the quantity grammar, with some noise. */
const quantityStringArb = fc
  .tuple(
    fc.constantFrom('', '+', '-'),
    fc.stringMatching(/^[0-9]{0,12}$/),
    fc.option(fc.stringMatching(/^[0-9]{0,12}$/), { nil: undefined }),
    fc.constantFrom('', 'n', 'u', 'm', 'k', 'M', 'G', 'T', 'P', 'E', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei', 'e3', 'E-5', 'e+2', 'e-12', 'K', 'i', 'mi'),
  )
  .map(([sign, int, frac, sfx]) => `${sign}${int}${frac === undefined ? '' : '.' + frac}${sfx}`);

describe('properties', () => {
  it('parse(toString(q)) equals q', () => {
    fc.assert(
      fc.property(quantityArb, (q) => {
        const back = Quantity.parse(q.toString());
        expect(back.cmp(q)).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('parsing is total over the grammar (QuantityError or a value) and re-parsing is stable', () => {
    fc.assert(
      fc.property(quantityStringArb, (s) => {
        const q = Quantity.tryParse(s);
        if (q === undefined) {
          expect(() => Quantity.parse(s)).toThrow(QuantityError);
          return;
        }
        const again = Quantity.parse(q.toString());
        expect(again.cmp(q)).toBe(0);
        expect(Quantity.parse(again.toString()).toString()).toBe(again.toString());
      }),
      { numRuns: 300 },
    );
  });

  const nanoArb = fc.bigInt({ min: -(10n ** 22n), max: 10n ** 22n });
  const fromNano = (n: bigint): Quantity => Quantity.fromScaled(n, -9);

  it('add/sub/cmp agree with BigInt arithmetic on nano units', () => {
    fc.assert(
      fc.property(nanoArb, nanoArb, (a, b) => {
        const qa = fromNano(a);
        const qb = fromNano(b);
        expect(qa.add(qb).cmp(fromNano(a + b))).toBe(0);
        expect(qa.sub(qb).cmp(fromNano(a - b))).toBe(0);
        expect(qa.cmp(qb)).toBe(a === b ? 0 : a > b ? 1 : -1);
        expect(qa.add(qb).sub(qb).cmp(qa)).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  // Upstream Value(): "rounded up to the nearest integer away from 0" (negativeScaleInt64),
  // so negatives round down: this was the mathematical ceiling before the H11 audit.
  it('value() and milliValue() round the exact rational away from zero', () => {
    const ceilDiv = (n: bigint, d: bigint): bigint => {
      const q = n / d;
      const r = n % d;
      return r > 0n ? q + 1n : r < 0n ? q - 1n : q;
    };
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), (n) => {
        const q = fromNano(n);
        expect(q.value()).toBe(Number(ceilDiv(n, 10n ** 9n)));
        expect(q.milliValue()).toBe(Number(ceilDiv(n, 10n ** 6n)));
      }),
      { numRuns: 300 },
    );
  });
});
