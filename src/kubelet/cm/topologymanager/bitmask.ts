/**
 * pkg/kubelet/cm/topologymanager/bitmask: a set of NUMA node ids as a 64-bit
 * mask. Upstream's bitMask is a uint64; a bigint keeps all 64 bits (an int32
 * would lose ids 32..63) and keeps the ordering IsLessThan relies on.
 */

const MAX_BITS = 64;
const ALL = (1n << 64n) - 1n;

export class BitMaskError extends Error {}

export class BitMask {
  private constructor(private bits: bigint) {}

  /** NewEmptyBitMask. */
  static empty(): BitMask {
    return new BitMask(0n);
  }

  /** NewBitMask: throws BitMaskError ("bit number must be in range 0-63") as upstream returns it. */
  static of(...bits: number[]): BitMask {
    const m = new BitMask(0n);
    m.add(...bits);
    return m;
  }

  clone(): BitMask {
    return new BitMask(this.bits);
  }

  /** Add: a bit outside 0..63 is an error and leaves the mask unchanged. */
  add(...bits: number[]): void {
    let mask = this.bits;
    for (const i of bits) {
      if (!Number.isInteger(i) || i < 0 || i >= MAX_BITS) throw new BitMaskError('bit number must be in range 0-63');
      mask |= 1n << BigInt(i);
    }
    this.bits = mask;
  }

  remove(...bits: number[]): void {
    let mask = this.bits;
    for (const i of bits) {
      if (!Number.isInteger(i) || i < 0 || i >= MAX_BITS) throw new BitMaskError('bit number must be in range 0-63');
      mask &= ~(1n << BigInt(i));
    }
    this.bits = mask;
  }

  and(...masks: BitMask[]): void {
    for (const m of masks) this.bits &= m.bits;
  }

  or(...masks: BitMask[]): void {
    for (const m of masks) this.bits |= m.bits;
  }

  clear(): void {
    this.bits = 0n;
  }

  fill(): void {
    this.bits = ALL;
  }

  isEmpty(): boolean {
    return this.bits === 0n;
  }

  isSet(bit: number): boolean {
    if (bit < 0 || bit >= MAX_BITS) return false;
    return (this.bits & (1n << BigInt(bit))) !== 0n;
  }

  anySet(bits: readonly number[]): boolean {
    return bits.some((b) => this.isSet(b));
  }

  isEqual(mask: BitMask): boolean {
    return this.bits === mask.bits;
  }

  /** More lower-numbered bits set: the smaller integer. */
  isLessThan(mask: BitMask): boolean {
    return this.bits < mask.bits;
  }

  isGreaterThan(mask: BitMask): boolean {
    return this.bits > mask.bits;
  }

  /** Fewer bits set; with as many bits set, the one with more lower-numbered bits. */
  isNarrowerThan(mask: BitMask): boolean {
    const a = this.count();
    const b = mask.count();
    if (a === b) return this.isLessThan(mask);
    return a < b;
  }

  count(): number {
    let n = 0;
    for (let v = this.bits; v !== 0n; v &= v - 1n) n++;
    return n;
  }

  getBits(): number[] {
    const out: number[] = [];
    for (let i = 0; i < MAX_BITS; i++) if ((this.bits & (1n << BigInt(i))) !== 0n) out.push(i);
    return out;
  }

  /** Binary, zero-padded to a multiple of two digits as upstream's String(). */
  toString(): string {
    const grouping = 2;
    for (let shift = MAX_BITS - grouping; shift > 0; shift -= grouping) {
      if (this.bits > 1n << BigInt(shift)) return this.bits.toString(2).padStart(shift + grouping, '0');
    }
    return this.bits.toString(2).padStart(grouping, '0');
  }
}

/** Package-level And: first AND every mask, as a new mask. */
export function and(first: BitMask, ...masks: BitMask[]): BitMask {
  const s = first.clone();
  s.and(...masks);
  return s;
}

export function or(first: BitMask, ...masks: BitMask[]): BitMask {
  const s = first.clone();
  s.or(...masks);
  return s;
}

/** IterateBitMasks: every non-empty subset of `bits`, smallest subsets first, in upstream's order. */
export function iterateBitMasks(bits: readonly number[], callback: (mask: BitMask) => void): void {
  const iterate = (rest: readonly number[], accum: number[], size: number): void => {
    if (accum.length === size) {
      callback(BitMask.of(...accum));
      return;
    }
    for (let i = 0; i < rest.length; i++) iterate(rest.slice(i + 1), [...accum, rest[i]!], size);
  };
  for (let i = 1; i <= bits.length; i++) iterate(bits, [], i);
}
