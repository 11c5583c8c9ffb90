/**
 * Seeded train/validation split. The reference program shuffles the 60 000 training images with
 * a non-seedable random device and keeps 54 000 for training and 6 000 for validation; here the
 * shuffle is a Fisher–Yates shuffle driven by `createRng(seed, STREAMS.split)`, so a seed fixes
 * the split. The test set is the test file in file order (`fileOrder`).
 *
 * ## Example
 * ```ts
 * const { train, validation } = trainValidationSplit(60_000, 6_000, 1); // 54 000 / 6 000 indices
 * ```
 */
import { type Rng, STREAMS, createRng } from './rng.ts';

/** Validation images held out of the 60 000 MNIST training images, as in the paper. */
export const DEFAULT_VALIDATION_SIZE = 6000;

export interface Split {
  /** Image indices (into the train file) used for training, in shuffled order. */
  readonly train: Uint32Array;
  /** Image indices held out for validation, in shuffled order. */
  readonly validation: Uint32Array;
}

/** 0, 1, …, count − 1. */
export const fileOrder = (count: number): Uint32Array => {
  const out = new Uint32Array(count);
  for (let i = 0; i < count; i++) out[i] = i;
  return out;
};

/** Fisher–Yates shuffle of `a` in place with `rng`; returns `a`. */
export const shuffleInPlace = (a: Uint32Array, rng: Rng): Uint32Array => {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
  return a;
};

/**
 * Shuffles 0..count−1 with the seed and splits it: the first count − validationSize indices
 * train, the last validationSize validate.
 */
export const trainValidationSplit = (count: number, validationSize: number, seed: number): Split => {
  if (!Number.isInteger(count) || count < 0) {
    throw new RangeError(`trainValidationSplit: count must be a non-negative integer, got ${count}`);
  }
  if (!Number.isInteger(validationSize) || validationSize < 0 || validationSize > count) {
    throw new RangeError(
      `trainValidationSplit: validation size must be an integer in 0..${count}, got ${validationSize}`,
    );
  }
  const order = shuffleInPlace(fileOrder(count), createRng(seed, STREAMS.split));
  const nTrain = count - validationSize;
  return { train: order.subarray(0, nTrain), validation: order.subarray(nTrain) };
};
