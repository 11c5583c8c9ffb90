/**
 * A small seeded random number generator: xoshiro128** (Blackman & Vigna) on four 32-bit words,
 * seeded through a splitmix-style 32-bit mixer from a (seed, stream) pair.
 *
 * - `nextUint32()`: uniform on 0..2³²−1.
 * - `nextFloat()`: uniform on [0, 1) with 53 random bits (two 32-bit draws).
 * - `nextGaussian()`: N(0, 1) by Marsaglia's polar method (one spare value kept between calls,
 *   cleared by `reseed`).
 * - `nextInt(n)`: uniform on 0..n−1 without modulo bias (n ≤ 2³²).
 *
 * Streams give independent, reproducible sequences from one user seed without allocating: the
 * per-image noise of `noise.ts` reseeds one generator with `(seed, 2·imageIndex + set)`.
 * This module imports nothing, so any layer may use it. Nothing is seeded at import time.
 *
 * ## Example
 * ```ts
 * const rng = createRng(42);
 * const u = rng.nextFloat();          // same value on every run
 * rng.reseed(42, 7).nextGaussian();   // stream 7 of seed 42
 * ```
 */

export interface Rng {
  /** Uniform integer in [0, 2³²). */
  nextUint32(): number;
  /** Uniform float in [0, 1), 53 random bits. */
  nextFloat(): number;
  /** Standard normal sample, N(0, 1). */
  nextGaussian(): number;
  /** Uniform integer in [0, n), unbiased; n must be an integer in [1, 2³²]. */
  nextInt(n: number): number;
  /** Resets the state in place to that of `createRng(seed, stream)`; returns the generator. */
  reseed(seed: number, stream?: number): Rng;
}

const TWO_32 = 4294967296;

/** 32-bit mixer (splitmix32 finaliser, "lowbias32" constants). */
const mix32 = (x: number): number => {
  let z = x | 0;
  z ^= z >>> 16;
  z = Math.imul(z, 0x21f0aaad);
  z ^= z >>> 15;
  z = Math.imul(z, 0x735a2d97);
  z ^= z >>> 15;
  return z >>> 0;
};

const checkSeed = (what: string, v: number): void => {
  if (!Number.isSafeInteger(v) || v < 0) {
    throw new RangeError(`rng: ${what} must be a non-negative safe integer, got ${v}`);
  }
};

/**
 * Fills `state` (4 words) from (seed, stream). Seeds and streams are non-negative safe integers;
 * both their low and high 32 bits enter the state.
 */
export const seedState = (state: Uint32Array, seed: number, stream: number): void => {
  checkSeed('seed', seed);
  checkSeed('stream', stream);
  const sLo = seed >>> 0;
  const sHi = Math.floor(seed / TWO_32) >>> 0;
  const tLo = stream >>> 0;
  const tHi = Math.floor(stream / TWO_32) >>> 0;
  let acc = mix32(sLo ^ 0x9e3779b9);
  acc = mix32(acc ^ sHi ^ 0x7f4a7c15);
  acc = mix32(acc ^ tLo ^ 0x85ebca6b);
  acc = mix32(acc ^ tHi ^ 0xc2b2ae35);
  // splitmix32 sequence from the combined key
  let z = acc;
  let nonZero = 0;
  for (let i = 0; i < 4; i++) {
    z = (z + 0x9e3779b9) | 0;
    state[i] = mix32(z);
    nonZero |= state[i];
  }
  if (nonZero === 0) state[0] = 1; // xoshiro's one forbidden state
};

/**
 * One step of xoshiro128** on the explicit state `s` (4 words, not all zero), updated in place.
 * Returns the output word, uniform on [0, 2³²).
 */
export const xoshiro128StarStar = (s: Uint32Array): number => {
  const s0 = s[0];
  const s1 = s[1];
  const s2 = s[2];
  const s3 = s[3];
  // result = rotl(s1 * 5, 7) * 9
  const a = Math.imul(s1, 5);
  const result = Math.imul((a << 7) | (a >>> 25), 9) >>> 0;
  const t = s1 << 9;
  const n2 = s2 ^ s0;
  const n3 = s3 ^ s1;
  s[0] = s0 ^ n3;
  s[1] = s1 ^ n2;
  s[2] = n2 ^ t;
  s[3] = (n3 << 11) | (n3 >>> 21);
  return result;
};

/** A generator for (seed, stream); seed and stream are non-negative safe integers. */
export const createRng = (seed: number, stream = 0): Rng => {
  const s = new Uint32Array(4);
  let spare = 0;
  let hasSpare = false;

  const nextUint32 = (): number => xoshiro128StarStar(s);

  const nextFloat = (): number => {
    const hi = nextUint32() >>> 5; // 27 bits
    const lo = nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  };

  const nextGaussian = (): number => {
    if (hasSpare) {
      hasSpare = false;
      return spare;
    }
    let u: number;
    let v: number;
    let q: number;
    do {
      u = 2 * nextFloat() - 1;
      v = 2 * nextFloat() - 1;
      q = u * u + v * v;
    } while (q >= 1 || q === 0);
    const f = Math.sqrt((-2 * Math.log(q)) / q);
    spare = v * f;
    hasSpare = true;
    return u * f;
  };

  const nextInt = (n: number): number => {
    if (!Number.isInteger(n) || n < 1 || n > TWO_32) {
      throw new RangeError(`rng.nextInt: n must be an integer in [1, 2^32], got ${n}`);
    }
    // rejection sampling on the top of the 32-bit range
    const limit = TWO_32 - (TWO_32 % n);
    let x = nextUint32();
    while (x >= limit) x = nextUint32();
    return x % n;
  };

  const rng: Rng = {
    nextUint32,
    nextFloat,
    nextGaussian,
    nextInt,
    reseed: (newSeed: number, newStream = 0): Rng => {
      seedState(s, newSeed, newStream);
      hasSpare = false;
      spare = 0;
      return rng;
    },
  };
  seedState(s, seed, stream);
  return rng;
};

/**
 * Stream numbers that keep the random uses of one user seed apart: the train/validation split,
 * weight initialisation, the per-epoch batch order (stream `epochOrder + epoch`) and the
 * per-image input noise (streams `noise + 2·index (+1 for the test file)`) and the training
 * shifts of augmentation (streams `augment + visit`, src/data/augment.ts).
 */
export const STREAMS = {
  split: 1,
  init: 2,
  epochOrder: 2 ** 31,
  noise: 2 ** 32,
  augment: 2 ** 34,
} as const;

/** A seeded N(0, 1) sampler, the shape `initNetwork` takes. */
export const gaussianSampler = (seed: number, stream = 0): (() => number) => {
  const rng = createRng(seed, stream);
  return () => rng.nextGaussian();
};
