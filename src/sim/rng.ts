/**
 * Named random streams from one seed (seedrandom's default ARC4-based
 * generator). Each stream is seeded from `${seed}/${name}`, so a new consumer
 * never perturbs the numbers another stream draws: adding a controller does
 * not change which names pods get.
 *
 * alphanumeric() follows k8s.io/apimachinery/pkg/util/rand String(): the
 * alphabet "bcdfghjklmnpqrstvwxz2456789" (no vowels, no confusable 0/1/3).
 */
import seedrandom from 'seedrandom';
import type { Rng, RngStreams } from './types.ts';

/** Kubernetes' generateName alphabet (util/rand). */
export const GENERATE_NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

class SeededRng implements Rng {
  private readonly prng: seedrandom.PRNG;

  constructor(seedString: string) {
    this.prng = seedrandom(seedString);
  }

  next(): number {
    return this.prng();
  }

  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0) throw new RangeError(`Rng.int: n must be a positive integer, got ${n}`);
    return Math.floor(this.prng() * n);
  }

  alphanumeric(length: number): string {
    let s = '';
    for (let i = 0; i < length; i++) s += GENERATE_NAME_ALPHABET[Math.floor(this.prng() * GENERATE_NAME_ALPHABET.length)];
    return s;
  }
}

export class SeededRngStreams implements RngStreams {
  private readonly streams = new Map<string, Rng>();

  constructor(readonly seed: number) {}

  /** The stream called `name`; the same object on every call, so draws continue where they left off. */
  stream(name: string): Rng {
    let s = this.streams.get(name);
    if (!s) {
      s = new SeededRng(`${this.seed}/${name}`);
      this.streams.set(name, s);
    }
    return s;
  }
}

export function createRngStreams(seed: number): RngStreams {
  return new SeededRngStreams(seed);
}

const HEX = '0123456789abcdef';

/** A version-4 style UUID string drawn from a stream (deterministic per seed): 4 draws of 32 bits. */
export function uuidFrom(rng: Rng): string {
  // Character codes into one reused buffer, then one flat string: appending 36 times made a
  // rope of ~24 cons-string nodes for every object created (each uid is kept, and hashed).
  const codes = uuidCodes;
  let n = 0;
  for (let i = 0; i < 4; i++) {
    let x = Math.floor(rng.next() * 4294967296);
    for (let j = 0; j < 8; j++) {
      const pos = i * 8 + j;
      let d = (x >>> 28) & 15;
      x = (x << 4) >>> 0;
      if (pos === 12) d = 4; // version nibble
      else if (pos === 16) d = 8 + (d & 3); // RFC 4122 variant
      codes[n++] = HEX_CODES[d]!;
      if (pos === 7 || pos === 11 || pos === 15 || pos === 19) codes[n++] = DASH;
    }
  }
  return String.fromCharCode.apply(null, codes as unknown as number[]);
}

const HEX_CODES = Array.from(HEX, (c) => c.charCodeAt(0));
const DASH = '-'.charCodeAt(0);
/** 32 hex digits and 4 dashes. */
const uuidCodes = new Array<number>(36).fill(0);
