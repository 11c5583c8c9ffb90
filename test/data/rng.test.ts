/**
 * The seeded generator: the xoshiro128** step against an independent BigInt model, determinism
 * of seeds and streams, and the distributions of its float, integer and Gaussian draws.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { STREAMS, createRng, gaussianSampler, seedState, xoshiro128StarStar } from '../../src/data/rng.ts';

/** xoshiro128** written from its definition with BigInt arithmetic modulo 2^32. */
const M = (1n << 32n) - 1n;
const rotl = (x: bigint, k: bigint): bigint => ((x << k) | (x >> (32n - k))) & M;
const modelStep = (s: bigint[]): bigint => {
  const result = (rotl((s[1] * 5n) & M, 7n) * 9n) & M;
  const t = (s[1] << 9n) & M;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 11n);
  return result;
};

const draws = (n: number, f: () => number): Float64Array => {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = f();
  return out;
};
const mean = (a: Float64Array): number => a.reduce((s, x) => s + x, 0) / a.length;
const variance = (a: Float64Array): number => {
  const m = mean(a);
  return a.reduce((s, x) => s + (x - m) * (x - m), 0) / (a.length - 1);
};

describe('xoshiro128StarStar', () => {
  it('matches a BigInt model of the algorithm for arbitrary states', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat({ max: 0xffffffff }), { minLength: 4, maxLength: 4 }).filter((a) => a.some((x) => x !== 0)),
        (words) => {
          const s = Uint32Array.from(words);
          const m = words.map(BigInt);
          for (let i = 0; i < 20; i++) {
            if (BigInt(xoshiro128StarStar(s)) !== modelStep(m)) return false;
          }
          return Array.from(s).every((x, i) => BigInt(x) === m[i]);
        },
      ),
    );
  });

  it('seeds a state that is never all zero and depends on seed and stream', () => {
    const a = new Uint32Array(4);
    const b = new Uint32Array(4);
    seedState(a, 0, 0);
    expect(a.some((x) => x !== 0)).toBe(true);
    seedState(b, 0, 1);
    expect(Array.from(a)).not.toEqual(Array.from(b));
    seedState(b, 1, 0);
    expect(Array.from(a)).not.toEqual(Array.from(b));
    // the high 32 bits of a seed matter too
    seedState(a, 5, 0);
    seedState(b, 5 + 2 ** 32, 0);
    expect(Array.from(a)).not.toEqual(Array.from(b));
  });
});

describe('createRng', () => {
  it('is deterministic per (seed, stream) and reseed restores a fresh generator', () => {
    const a = createRng(123, 4);
    const first = draws(50, () => a.nextFloat());
    const g1 = draws(7, () => a.nextGaussian()); // leaves a spare Gaussian behind
    expect(createRng(123, 4).nextFloat()).toBe(first[0]);
    a.reseed(123, 4);
    expect(Array.from(draws(50, () => a.nextFloat()))).toEqual(Array.from(first));
    expect(Array.from(draws(7, () => a.nextGaussian()))).toEqual(Array.from(g1));
    a.reseed(123, 4);
    a.nextGaussian();
    a.reseed(123, 4); // must drop the spare
    const fresh = createRng(123, 4);
    expect(a.nextGaussian()).toBe(fresh.nextGaussian());
    expect(a.nextGaussian()).toBe(fresh.nextGaussian());
    expect(a.nextGaussian()).toBe(fresh.nextGaussian());
  });

  it('gives different sequences for different seeds and streams', () => {
    const seqs = [createRng(1), createRng(2), createRng(1, 1), createRng(1, STREAMS.noise)].map((r) =>
      Array.from(draws(8, () => r.nextUint32())).join(','),
    );
    expect(new Set(seqs).size).toBe(seqs.length);
  });

  it('rejects seeds and streams that are not non-negative safe integers', () => {
    expect(() => createRng(-1)).toThrow(/seed/);
    expect(() => createRng(1.5)).toThrow(/seed/);
    expect(() => createRng(Number.NaN)).toThrow(/seed/);
    expect(() => createRng(0, -2)).toThrow(/stream/);
    expect(() => createRng(0).nextInt(0)).toThrow(/nextInt/);
  });

  it('nextFloat is uniform on [0, 1)', () => {
    const r = createRng(7);
    const n = 100_000;
    const x = draws(n, () => r.nextFloat());
    expect(x.every((v) => v >= 0 && v < 1)).toBe(true);
    // mean 1/2, variance 1/12; 5 standard errors
    expect(Math.abs(mean(x) - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(variance(x) - 1 / 12)).toBeLessThan(0.002);
    // decile counts: chi-square with 9 degrees of freedom, 99.9 % quantile 27.9
    const counts = new Array<number>(10).fill(0);
    for (const v of x) counts[Math.floor(v * 10)]++;
    const chi2 = counts.reduce((s, c) => s + (c - n / 10) ** 2 / (n / 10), 0);
    expect(chi2).toBeLessThan(27.9);
    // uses more than 32 bits: some value is not a multiple of 2^-32
    expect(x.some((v) => (v * 2 ** 32) % 1 !== 0)).toBe(true);
  });

  it('nextInt(n) is uniform on 0..n-1', () => {
    const r = createRng(11);
    const n = 7;
    const total = 70_000;
    const counts = new Array<number>(n).fill(0);
    let bad = 0;
    for (let i = 0; i < total; i++) {
      const k = r.nextInt(n);
      if (Number.isInteger(k) && k >= 0 && k < n) counts[k]++;
      else bad++;
    }
    expect(bad).toBe(0);
    // chi-square with 6 degrees of freedom, 99.9 % quantile 22.46
    const chi2 = counts.reduce((s, c) => s + (c - total / n) ** 2 / (total / n), 0);
    expect(chi2).toBeLessThan(22.46);
    expect(createRng(3).nextInt(1)).toBe(0);
  });

  it('nextGaussian has mean 0, variance 1 and normal tails', () => {
    const g = gaussianSampler(99);
    const n = 100_000;
    const x = draws(n, g);
    expect(Math.abs(mean(x))).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(variance(x) - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
    const tail = x.filter((v) => Math.abs(v) > 1.959964).length / n; // P = 0.05
    expect(Math.abs(tail - 0.05)).toBeLessThan(5 * Math.sqrt(0.05 * 0.95 / n));
    const skew = x.reduce((s, v) => s + v ** 3, 0) / n;
    expect(Math.abs(skew)).toBeLessThan(5 * Math.sqrt(15 / n));
  });
});
