/**
 * The layer's input sort (`argsortStable`) is a stable argsort: the indices of the finite keys in
 * ascending key order, equal keys (−0 and +0 among them) in index order, then the indices of the
 * +∞ keys ("never spikes") in index order. The order matters bit for bit: a layer's sums run in it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { argsortStable } from '../../src/kernels/argsort.ts';

/** The reference: Array.prototype.sort (stable) of the indices by key, then index. */
const reference = (keys: number[]): number[] => {
  const idx = keys.map((_, i) => i);
  const finite = idx.filter((i) => keys[i] !== Infinity).sort((a, b) => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : a - b));
  return [...finite, ...idx.filter((i) => keys[i] === Infinity)];
};

// few distinct values, so ties are common (as in image input times); signed zeros, −∞ and +∞
const key = fc.oneof(
  fc.integer({ min: -3, max: 12 }).map((k) => k / 4),
  fc.constantFrom(0, -0, Infinity, -Infinity),
  fc.double({ noNaN: true }),
);

describe('argsortStable', () => {
  it('= a stable sort of (key, index) pairs, +∞ keys last in index order; returns the count of the others', () => {
    fc.assert(
      fc.property(fc.array(key, { maxLength: 300 }), fc.nat(3), (keys, extra) => {
        const n = keys.length;
        const out = new Int32Array(n + extra).fill(-1);
        const finite = argsortStable(out, Float64Array.from(keys), n, new Int32Array(n));
        const want = reference(keys);
        return finite === keys.filter((k) => k !== Infinity).length && want.every((i, at) => out[at] === i);
      }),
      { numRuns: 500 },
    );
  });

  // From 64 finite keys on the radix sort runs: by the high words of the keys, then by the full
  // keys where those tie. Here many keys share a high word (1 + k · 2⁻⁴⁰ differ in the low word
  // only), among ties, signed zeros and image-like times (b/256) with a few arbitrary ones.
  it('= the reference on long arrays whose keys tie in their high words (the radix sort and its insertion pass)', () => {
    const long = fc.oneof(
      fc.integer({ min: 0, max: 40 }).map((k) => 1 + k * 2 ** -40),
      fc.integer({ min: -40, max: 0 }).map((k) => -1 + k * 2 ** -40),
      fc.integer({ min: 1, max: 255 }).map((b) => b / 256),
      fc.constantFrom(0, -0, Infinity, -Infinity),
      fc.double({ noNaN: true }),
    );
    fc.assert(
      fc.property(fc.array(long, { minLength: 64, maxLength: 900 }), (keys) => {
        const n = keys.length;
        const out = new Int32Array(n).fill(-1);
        const finite = argsortStable(out, Float64Array.from(keys), n, new Int32Array(n));
        const want = reference(keys);
        return finite === keys.filter((k) => k !== Infinity).length && want.every((i, at) => out[at] === i);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps equal keys in index order across the merge of runs (ties spanning many runs)', () => {
    const keys = Array.from({ length: 100 }, (_, i) => (i * 7) % 3);
    const out = new Int32Array(100);
    argsortStable(out, Float64Array.from(keys), 100, new Int32Array(100));
    expect(Array.from(out)).toEqual(reference(keys));
    expect(out[0]).toBe(0);
    expect(out[99]).toBe(lastOfLargest(keys));
  });
});

/** The index of the last occurrence of the largest key. */
const lastOfLargest = (keys: number[]): number => keys.lastIndexOf(Math.max(...keys));
