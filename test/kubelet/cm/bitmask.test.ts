// Ported from pkg/kubelet/cm/topologymanager/bitmask/bitmask_test.go.
import { describe, expect, it } from 'vitest';
import { and, BitMask, iterateBitMasks, or } from '../../../src/kubelet/cm/topologymanager/bitmask.ts';

const m = (...bits: number[]) => BitMask.of(...bits);

describe('bitmask (upstream bitmask_test.go)', () => {
  it('NewEmptyBitMask / NewBitMask', () => {
    expect(BitMask.empty().toString()).toBe('00');
    for (const [bits, want] of [[[0], '01'], [[1], '10'], [[0, 1], '11']] as const) expect(m(...bits).toString()).toBe(want);
  });

  it('Add, including bits outside 0-63 (an error, mask unchanged)', () => {
    for (const [bits, want] of [[[0], '01'], [[1], '10'], [[0, 1], '11'], [[-1, 64], '00']] as const) {
      const mask = m();
      try {
        mask.add(...bits);
      } catch (e) {
        expect((e as Error).message).toBe('bit number must be in range 0-63');
      }
      expect(mask.toString()).toBe(want);
    }
  });

  it('Remove', () => {
    const cases: Array<[number[], number[], string]> = [[[0], [0], '00'], [[0, 1], [1], '01'], [[0, 1], [0, 1], '00'], [[0], [-1, 64], '01']];
    for (const [set, rm, want] of cases) {
      const mask = m(...set);
      try {
        mask.remove(...rm);
      } catch {
        // upstream returns an error and leaves the mask as it was
      }
      expect(mask.toString()).toBe(want);
    }
  });

  it('And / Or', () => {
    const ands: Array<[number[][], string]> = [
      [[[0, 1], [0, 1]], '11'], [[[0, 1], [1]], '10'], [[[0], [0, 1]], '01'], [[[0, 1], [0, 1], [1]], '10'],
      [[[0], [0], [1], [0, 1]], '00'], [[[0, 1, 2, 3], [1, 2, 3], [2, 3], [3]], '1000'],
    ];
    for (const [masks, want] of ands) {
      const ms = masks.map((b) => m(...b));
      expect(and(ms[0]!, ...ms).toString()).toBe(want);
    }
    const ors: Array<[number[][], string]> = [
      [[[0], []], '01'], [[[1], [1]], '10'], [[[0], [1]], '11'], [[[0, 1], [0, 1]], '11'], [[[0], [1], [0, 1]], '11'], [[[3], [2], [1], [0]], '1111'],
    ];
    for (const [masks, want] of ors) {
      const ms = masks.map((b) => m(...b));
      expect(or(ms[0]!, ...ms).toString()).toBe(want);
    }
  });

  it('Clear / Fill', () => {
    for (const bits of [[0], [1], [0, 1]]) {
      const a = m(...bits);
      a.clear();
      expect(a.toString()).toBe('00');
      const b = m(...bits);
      b.fill();
      expect(b.toString()).toBe('1'.repeat(64));
    }
    const e = m();
    e.fill();
    expect(e.count()).toBe(64);
  });

  it('IsEmpty, IsSet, AnySet, IsEqual, Count, GetBits', () => {
    expect(m().isEmpty()).toBe(true);
    expect(m(0).isEmpty()).toBe(false);
    expect(m().isSet(0)).toBe(false);
    expect(m(0).isSet(0)).toBe(true);
    expect(m(0, 1).isSet(1)).toBe(true);
    expect(m(0, 1).isSet(64)).toBe(false);
    expect(m().anySet([0, 1])).toBe(false);
    expect(m(0).anySet([0, 1])).toBe(true);
    expect(m(0, 1).anySet([64, 65])).toBe(false);
    expect(m(1, 2).anySet([0, 3])).toBe(false);
    expect(m().isEqual(m())).toBe(true);
    expect(m().isEqual(m(0))).toBe(false);
    expect(m(0).isEqual(m(1))).toBe(false);
    expect(m(0, 1).isEqual(m(0, 1))).toBe(true);
    expect([m().count(), m(0).count(), m(0, 1).count()]).toEqual([0, 1, 2]);
    expect(m().getBits()).toEqual([]);
    expect(m(0, 1).getBits()).toEqual([0, 1]);
    expect(m(63).getBits()).toEqual([63]);
  });

  it('IsNarrowerThan', () => {
    expect(m(0).isNarrowerThan(m(0, 1))).toBe(true);
    expect(m(0, 1).isNarrowerThan(m(0))).toBe(false);
    expect(m(0).isNarrowerThan(m(1))).toBe(true);
    expect(m(1).isNarrowerThan(m(0))).toBe(false);
  });

  it('IterateBitMasks visits 2^n - 1 masks', () => {
    for (const n of [1, 2, 4, 8]) {
      let count = 0;
      iterateBitMasks([...Array(n).keys()], () => count++);
      expect(count).toBe(2 ** n - 1);
    }
    const order: string[] = [];
    iterateBitMasks([0, 1, 2], (mask) => order.push(mask.getBits().join('')));
    expect(order).toEqual(['0', '1', '2', '01', '02', '12', '012']);
  });
});
