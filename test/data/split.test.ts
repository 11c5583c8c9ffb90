/**
 * The seeded train/validation split: sizes, disjointness, coverage, determinism, and a uniform
 * shuffle.
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/data/rng.ts';
import { DEFAULT_VALIDATION_SIZE, fileOrder, shuffleInPlace, trainValidationSplit } from '../../src/data/split.ts';

describe('trainValidationSplit', () => {
  it('splits 60 000 images into 54 000 + 6 000 disjoint indices covering all of them', () => {
    const { train, validation } = trainValidationSplit(60000, DEFAULT_VALIDATION_SIZE, 1);
    expect([train.length, validation.length]).toEqual([54000, 6000]);
    const seen = new Uint8Array(60000);
    for (const i of train) seen[i]++;
    for (const i of validation) seen[i]++;
    expect(seen.every((c) => c === 1)).toBe(true);
    // shuffled, not file order
    expect(Array.from(train.subarray(0, 20))).not.toEqual(Array.from(fileOrder(20)));
  });

  it('is determined by the seed', () => {
    const a = trainValidationSplit(1000, 100, 7);
    const b = trainValidationSplit(1000, 100, 7);
    const c = trainValidationSplit(1000, 100, 8);
    expect(Array.from(b.validation)).toEqual(Array.from(a.validation));
    expect(Array.from(b.train)).toEqual(Array.from(a.train));
    expect(Array.from(c.validation)).not.toEqual(Array.from(a.validation));
  });

  it('accepts the edge sizes and rejects impossible ones', () => {
    expect(trainValidationSplit(5, 0, 1).train.length).toBe(5);
    expect(trainValidationSplit(5, 5, 1).validation.length).toBe(5);
    expect(() => trainValidationSplit(5, 6, 1)).toThrow(/validation size must be an integer in 0..5, got 6/);
    expect(() => trainValidationSplit(5, 1.5, 1)).toThrow(RangeError);
    expect(() => trainValidationSplit(-1, 0, 1)).toThrow(RangeError);
  });
});

describe('shuffleInPlace', () => {
  it('gives all 24 orders of 4 items equally often', () => {
    const rng = createRng(2);
    const counts = new Map<string, number>();
    const n = 48_000;
    for (let k = 0; k < n; k++) {
      const key = shuffleInPlace(fileOrder(4), rng).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(24);
    const e = n / 24;
    const chi2 = [...counts.values()].reduce((s, c) => s + (c - e) ** 2 / e, 0);
    expect(chi2).toBeLessThan(49.7); // chi-square, 23 degrees of freedom, 99.9 % quantile
  });
});
