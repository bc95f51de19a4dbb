// Further upstream tables for resource.Quantity (k8s.io/apimachinery/pkg/api/resource/quantity_test.go),
// ported as data: TestParseQuantity (re-serialisation of 18-20 digit values), the invalid inputs
// of TestQuantityParse, TestInterpretExponentInt32Bounds, TestQuantityString's BinarySI-past-Ei
// rows, TestBinarySIPastEiArithmeticRoundTrip, TestQuantityStringBelowNano,
// TestZeroSubMostNegativeInheritsFormat, TestMul, and Value()/MilliValue() rounding away from
// zero (int64Amount.AsScaledInt64 / negativeScaleInt64).
import { describe, expect, it } from 'vitest';
import { Quantity, QuantityError } from '../../src/api/quantity.ts';

function dec(m: number | bigint, e: number, f: 'DecimalSI' | 'BinarySI' | 'DecimalExponent'): Quantity {
  return e >= 0 ? Quantity.fromValue(BigInt(m) * 10n ** BigInt(e), f) : Quantity.fromScaled(BigInt(m), e, f);
}

describe('TestParseQuantity: re-serialisation around the int64 boundary', () => {
  // [input, canonical] ('' = the input itself)
  const table: Array<[string, string]> = [
    ['-999999999999999999', ''],
    ['999999999999999999', ''],
    ['-999999999999999999.0', '-999999999999999999'],
    ['999999999999999999.1', '999999999999999999100m'],
    ['-9999999999999999999', ''],
    ['9999999999999999999', ''],
    ['-1E', ''],
    ['1E', ''],
    ['-1000000000000000000', '-1E'],
    ['1000000000000000000', '1E'],
    ['9999999999999999999.0', '9999999999999999999'],
    ['-1.0E', '-1E'],
    ['1.0E', '1E'],
    ['1000000000000000000.0', '1E'],
    ['-9999999999999999999000m', '-9999999999999999999'],
    ['9999999999999999999000m', '9999999999999999999'],
    ['9999999999999999999.1', '9999999999999999999100m'],
    ['-1.0000000000000000001E', '-1000000000000000000100m'],
    ['1.0000000000000000001E', '1000000000000000000100m'],
    ['1000000000000000000.1', '1000000000000000000100m'],
    ['-1.000000000000000001E', '-1000000000000000001'],
    ['1.000000000000000001E', '1000000000000000001'],
    ['1000000000000000001', ''],
    ['-10E', ''],
    ['10E', ''],
    ['10000000000000000000', '10E'],
    ['-10.0E', '-10E'],
    ['10000000000000000000000m', '10E'],
    ['10.0000000000000000001E', '10000000000000000000100m'],
    ['10.000000000000000001E', '10000000000000000001'],
    ['-9223372036854775809', ''],
    ['9223372036854775806', ''],
    ['9223372036854775806000m', '9223372036854775806'],
    ['-9223372036854775809.1', '-9223372036854775809100m'],
    ['-9223372036854775808', ''],
    ['9223372036854775807', ''],
    ['9223372036854775807.0', '9223372036854775807'],
    ['9223372036854775808', ''],
    ['9223372036854775808.1', '9223372036854775808100m'],
  ];
  it.each(table)('%s', (input, canonical) => {
    expect(Quantity.parse(input).toString()).toBe(canonical === '' ? input : canonical);
  });
});

describe('TestQuantityParse invalid inputs', () => {
  it.each(['1.1.M', '1+1.0M', '0.1mi', '0.1am', 'aoeu', '.5i', '1i', '-3.01i', '-3.01e-', '1e4294967297', ' 1', '1 ', ''])('%j is rejected', (s) => {
    expect(() => Quantity.parse(s)).toThrow(QuantityError);
  });
});

describe('TestInterpretExponentInt32Bounds: exponent suffixes are int32, never truncated', () => {
  it.each([
    ['1e14', true],
    ['1E2147483647', true],
    ['1E-2147483647', true],
    ['1E2147483648', false],
    ['1E-2147483648', false],
    ['1E4294967297', false],
    ['1E8589934592', false],
    ['1E9223372036854775807', false],
    ['1E9223372036854775808', false],
    ['1E6024865272343', false],
  ] as const)('%s ok=%s', (s, ok) => {
    if (ok) expect(Quantity.tryParse(s)).toBeDefined();
    else expect(() => Quantity.parse(s)).toThrow("unable to parse quantity's suffix");
  });
  it('1e14 keeps its magnitude', () => {
    expect(Quantity.parse('1e14').cmp(dec(1, 14, 'DecimalSI'))).toBe(0);
  });
});

describe('String past the largest suffixes (TestQuantityString, TestQuantityStringBelowNano)', () => {
  it.each([
    [dec(1, 70, 'BinarySI'), '10e69'],
    [dec(2, 70, 'BinarySI'), '20e69'],
    [dec(1, 72, 'BinarySI'), '1e72'],
    [dec(1, 21, 'DecimalSI'), '1e21'],
    [dec(1, 24, 'DecimalSI'), '1e24'],
    [dec(1, -12, 'DecimalSI'), '1e-12'],
    [dec(1, -10, 'DecimalSI'), '100e-12'],
  ] as const)('%s', (q, s) => {
    expect(q.toString()).toBe(s);
    if (q.cmp(Quantity.parse('1n')) >= 0) expect(Quantity.parse(s).cmp(q)).toBe(0);
    expect(q.neg().toString()).toBe('-' + s);
  });

  it('TestBinarySIPastEiArithmeticRoundTrip: 1Ei × 1024 prints every digit', () => {
    const q = Quantity.parse('1Ei').mul(1024);
    expect(q.toString()).toBe('1180591620717411303424');
    expect(Quantity.parse(q.toString()).cmp(q)).toBe(0);
  });

  it('TestZeroSubMostNegativeInheritsFormat: 0 - (-2^63 BinarySI) is 8Ei', () => {
    const q = Quantity.zero().sub(Quantity.fromValue(-(1n << 63n), 'BinarySI'));
    expect(q.format).toBe('BinarySI');
    expect(q.toString()).toBe('8Ei');
  });

  it('TestBinarySIZeroExponentString', () => {
    expect(Quantity.fromValue(2000, 'BinarySI').toString()).toBe('2000');
    expect(Quantity.fromValue(-2000, 'BinarySI').toString()).toBe('-2000');
  });
});

describe('TestMul', () => {
  const most = (1n << 63n) - 1n;
  it.each([
    [dec(10, 0, 'DecimalSI'), 10n, dec(100, 0, 'DecimalSI')],
    [dec(10, 0, 'BinarySI'), -1n, dec(-10, 0, 'BinarySI')],
    [dec(-50, 0, 'DecimalSI'), -50n, dec(2500, 0, 'DecimalSI')],
    [dec(50, 0, 'DecimalSI'), 0n, dec(0, 0, 'DecimalSI')],
    [dec(most, 0, 'DecimalSI'), 2n, dec(most * 2n, 0, 'DecimalSI')],
    [dec(most, 0, 'DecimalSI'), -10n, dec(-most, 1, 'DecimalSI')],
  ] as const)('%s × %s', (a, y, want) => {
    expect(a.mul(y).cmp(want)).toBe(0);
    expect(a.mul(y).format).toBe(a.format);
  });
});

describe('Value/MilliValue round away from zero (Value: "rounded up to the nearest integer away from 0")', () => {
  it.each([
    ['1500m', 2, 1500],
    ['-1500m', -2, -1500],
    ['-1.5m', -1, -2],
    ['-1', -1, -1000],
    ['-1n', -1, -1],
    ['-2000m', -2, -2000],
    ['1.0001m', 1, 2],
    ['-9.01', -10, -9010],
  ])('%s: value %d milliValue %d', (s, v, mv) => {
    const q = Quantity.parse(s);
    expect(q.value()).toBe(v);
    expect(q.milliValue()).toBe(mv);
  });
});
