/**
 * Data augmentation for classifiers: random translations of the training images.
 *
 * An augmented training set is read through *visit numbers*: visit v (any integer in
 * [0, 2³¹)) reads example `v mod count`, shifted by (dx, dy) drawn uniformly from
 * {−s, …, s}² with the generator reseeded to `(seed, STREAMS.augment + v)`. The training loop
 * gives epoch e the visit numbers `e·count + permutation` (`augmentedOrder` in
 * src/run/schedule.ts), so every epoch sees every image once, each time with a fresh shift that is
 * a pure function of (seed, epoch, example): the same for 0, 1 or N worker threads and on every
 * resume. Validation and test images are never shifted.
 *
 * A shift moves the image content by dx columns (positive: right) and dy rows (positive: down);
 * pixels that enter from the border are background (byte 0, no spike), pixels that leave are
 * dropped. MNIST digits sit in a 20×20 box centred in 28×28, so shifts up to 4 keep them whole.
 *
 * ## Example
 * ```ts
 * const out = new Uint8Array(784);
 * shiftImageInto(out, pixels, 28, 1, -2); // one column right, two rows up
 * ```
 */
import type { Rng } from './rng.ts';

/** The largest shift a config may ask for (pixels in each direction). */
export const MAX_AUGMENT_SHIFT = 4;

/** Visit numbers are int32 (the order arrays of the training loop). */
export const MAX_VISIT = 2 ** 31 - 1;

/**
 * Writes `src` (a row-major image `width` pixels wide) translated by (dx, dy) into `out`, which
 * must not alias `src`; uncovered pixels become 0. Allocates nothing; returns `out`.
 */
export const shiftImageInto = (
  out: Uint8Array,
  src: Uint8Array,
  width: number,
  dx: number,
  dy: number,
): Uint8Array => {
  if (out.length !== src.length || width <= 0 || src.length % width !== 0) {
    throw new RangeError(`shiftImageInto: ${src.length} pixels into ${out.length} are not rows of ${width}`);
  }
  const height = src.length / width;
  out.fill(0);
  const x0 = Math.max(0, dx);
  const x1 = Math.min(width, width + dx);
  if (x0 >= x1) return out; // shifted out sideways entirely
  for (let y = Math.max(0, dy); y < Math.min(height, height + dy); y++) {
    const from = (y - dy) * width - dx;
    out.set(src.subarray(from + x0, from + x1), y * width + x0);
  }
  return out;
};

/** A shift drawn uniformly from {−s, …, s}² (dx first) into `out` [dx, dy]; allocates nothing. */
export const drawShiftInto = (out: Int32Array, rng: Rng, maxShift: number): Int32Array => {
  const n = 2 * maxShift + 1;
  out[0] = rng.nextInt(n) - maxShift;
  out[1] = rng.nextInt(n) - maxShift;
  return out;
};
