/**
 * Input noise for the denoising experiments (Comsa et al. 2021 section 2.6; reference README
 * section 3, "Input noise"). For every pixel, with x its spike time, or 1 if it does not spike:
 *
 *     x' = clamp(x + f · n, 0, 1),   n ~ N(μ, 1),   μ = 1 for `inverted`, 0 for `plain`
 *
 * and x' ≥ 1 becomes no spike (`NO_SPIKE`). f is the noise factor, in [0, 1]. Targets stay clean.
 *
 * Memory stays compact: instead of storing a noisy copy of the data set (the reference program
 * holds everything as doubles, about 2 GB), the noise of an image is a deterministic function of
 * (seed, part, index in its file): the generator is reseeded with stream `STREAMS.noise` + 2·index
 * (train file) or + 2·index + 1 (test file) and the image's pixels draw their samples in row-major order. The noise
 * is therefore fixed for the whole run, as in the reference, identical for an image whichever
 * train/validation split it falls in, and recomputed on the fly in O(pixels) when the image is
 * read.
 *
 * ## Example
 * ```ts
 * const rng = createRng(0);
 * const noisy = noisyTimesInto(new Float64Array(784), pixels, 'inverted', 0.2, 7, 'train', 3, rng);
 * ```
 */
import { NO_SPIKE } from '../kernels/neuronModel.ts';
import { type Encoding, encodeTargetsInto, encodeTimesInto } from './encode.ts';
import type { ImageSet } from './datasets.ts';
import { MAX_AUGMENT_SHIFT, MAX_VISIT, drawShiftInto, shiftImageInto } from './augment.ts';
import { type Rng, STREAMS, createRng } from './rng.ts';

/** Which IDX file an image comes from (validation images come from the train file). */
export type ImagePart = 'train' | 'test';

/** Mean of the noise variable n: 1 for inverted images (noise delays spikes), 0 otherwise. */
export const noiseMean = (encoding: Encoding): number => (encoding === 'inverted' ? 1 : 0);

/** Throws a RangeError unless 0 ≤ f ≤ 1. */
export const checkNoiseFactor = (f: number): void => {
  if (!(f >= 0 && f <= 1)) throw new RangeError(`noise factor must lie in [0, 1], got ${f}`);
};

/** The RNG stream of an image's noise: `STREAMS.noise` + 2·index (+ 1 for the test file). */
export const noiseStream = (part: ImagePart, index: number): number =>
  STREAMS.noise + 2 * index + (part === 'test' ? 1 : 0);

/**
 * Adds noise to spike times in place: x = t (or 1 for no spike), x' = clamp(x + f·(μ + g), 0, 1)
 * with g ~ N(0, 1) from `rng`, x' ≥ 1 → NO_SPIKE. One sample per entry, in order. f = 0 leaves
 * the times unchanged and draws nothing. Returns `times`.
 */
export const addNoiseInto = (
  times: Float64Array,
  noiseFactor: number,
  mean: number,
  rng: Rng,
): Float64Array => {
  checkNoiseFactor(noiseFactor);
  if (noiseFactor === 0) return times;
  for (let i = 0; i < times.length; i++) {
    const t = times[i];
    const x = t === NO_SPIKE ? 1 : t;
    let y = x + noiseFactor * (mean + rng.nextGaussian());
    if (y < 0) y = 0;
    times[i] = y >= 1 ? NO_SPIKE : y;
  }
  return times;
};

/**
 * The noisy input times of one image, written into `out`: encode, then reseed `rng` to the
 * image's stream of `seed` and add noise. Deterministic in (pixels, encoding, f, seed, part,
 * index); allocates nothing. Returns `out`.
 */
export const noisyTimesInto = (
  out: Float64Array,
  pixels: Uint8Array,
  encoding: Encoding,
  noiseFactor: number,
  seed: number,
  part: ImagePart,
  index: number,
  rng: Rng,
): Float64Array => {
  encodeTimesInto(out, pixels, encoding);
  if (noiseFactor === 0) return out;
  rng.reseed(seed, noiseStream(part, index));
  return addNoiseInto(out, noiseFactor, noiseMean(encoding), rng);
};

export interface ExampleOptions {
  readonly encoding: Encoding;
  /** In [0, 1]; 0 = clean inputs. */
  readonly noiseFactor: number;
  /** Seed of the input noise (non-negative safe integer). */
  readonly noiseSeed: number;
  /** Which file the images come from (selects the noise streams). */
  readonly part: ImagePart;
  /**
   * Example i reads image `indices[i]` of the set (e.g. one side of a train/validation split);
   * all images in file order when absent.
   */
  readonly indices?: Uint32Array;
  /**
   * Classification: the target of an example is the one-hot vector of its label over `classes`
   * outputs (every label must be below it). Absent: the clean image's target times.
   */
  readonly classes?: number;
  /**
   * Training-set augmentation (classifiers): random translations by up to `maxShift` pixels of
   * images `width` pixels wide. Example numbers then become visit numbers (src/data/augment.ts):
   * visit v reads example v mod count with the shift of stream `STREAMS.augment + v`.
   */
  readonly augment?: { readonly maxShift: number; readonly width: number };
}

/** Writes the one-hot vector of `label` into `out`; returns `out`. */
export const oneHotInto = (out: Float64Array, label: number): Float64Array => {
  out.fill(0);
  out[label] = 1;
  return out;
};

/**
 * Autoencoder examples over a compact image set: inputs are (noisy) spike times, targets the
 * clean target times, both computed on demand into caller-owned buffers. Structurally an
 * `ExampleSet` of `src/train/exampleSet.ts`. One object is not safe to share between
 * concurrently running workers (it owns one RNG); make one per worker.
 */
export interface EncodedExamples {
  readonly count: number;
  readonly inputSize: number;
  readonly targetSize: number;
  /** The image index (in its file) of example i. */
  imageIndex(i: number): number;
  inputInto(out: Float64Array, i: number): Float64Array;
  targetInto(out: Float64Array, i: number): Float64Array;
}

const checkAugment = (a: { readonly maxShift: number; readonly width: number }, pixels: number): void => {
  if (!Number.isInteger(a.maxShift) || a.maxShift < 0 || a.maxShift > MAX_AUGMENT_SHIFT) {
    throw new RangeError(`encodedExamples: augment shift must be an integer in 0..${MAX_AUGMENT_SHIFT}, got ${a.maxShift}`);
  }
  if (!Number.isInteger(a.width) || a.width <= 0 || pixels % a.width !== 0) {
    throw new RangeError(`encodedExamples: images of ${pixels} pixels are not rows of ${a.width}`);
  }
};

export const encodedExamples = (
  set: ImageSet,
  pixelsPerImage: number,
  opts: ExampleOptions,
): EncodedExamples => {
  checkNoiseFactor(opts.noiseFactor);
  if (!Number.isInteger(pixelsPerImage) || pixelsPerImage <= 0 || set.images.length !== set.count * pixelsPerImage) {
    throw new RangeError(
      `encodedExamples: ${set.images.length} bytes are not ${set.count} images of ${pixelsPerImage} pixels`,
    );
  }
  const indices = opts.indices;
  if (indices !== undefined) {
    for (let i = 0; i < indices.length; i++) {
      if (indices[i] >= set.count) {
        throw new RangeError(`encodedExamples: index ${indices[i]} outside 0..${set.count - 1}`);
      }
    }
  }
  const classes = opts.classes;
  if (classes !== undefined) {
    if (set.labels.length !== set.count) throw new RangeError(`encodedExamples: ${set.labels.length} labels for ${set.count} images`);
    for (let k = 0; k < set.count; k++) {
      if (set.labels[k] >= classes) throw new RangeError(`encodedExamples: image ${k} has label ${set.labels[k]}, outside 0..${classes - 1}`);
    }
  }
  const augment = opts.augment;
  if (augment !== undefined) checkAugment(augment, pixelsPerImage);
  const rng = createRng(opts.noiseSeed);
  const count = indices === undefined ? set.count : indices.length;
  const lastIndex = augment === undefined ? count - 1 : MAX_VISIT;
  const imageIndex = (i: number): number => {
    if (!Number.isInteger(i) || i < 0 || i > lastIndex) {
      throw new RangeError(`encodedExamples: example ${i} outside 0..${lastIndex}`);
    }
    const e = i % count;
    return indices === undefined ? e : indices[e];
  };
  const pixelsOf = (k: number): Uint8Array =>
    set.images.subarray(k * pixelsPerImage, (k + 1) * pixelsPerImage);
  const shifted = new Uint8Array(augment === undefined ? 0 : pixelsPerImage);
  const shift = new Int32Array(2);
  /** The pixels of visit i: the image, shifted when augmenting. */
  const inputPixels = (i: number, k: number): Uint8Array => {
    if (augment === undefined || augment.maxShift === 0) return pixelsOf(k);
    drawShiftInto(shift, rng.reseed(opts.noiseSeed, STREAMS.augment + i), augment.maxShift);
    return shiftImageInto(shifted, pixelsOf(k), augment.width, shift[0], shift[1]);
  };
  return {
    count,
    inputSize: pixelsPerImage,
    targetSize: classes ?? pixelsPerImage,
    imageIndex,
    inputInto: (out, i) => {
      const k = imageIndex(i);
      return noisyTimesInto(out, inputPixels(i, k), opts.encoding, opts.noiseFactor, opts.noiseSeed, opts.part, k, rng);
    },
    targetInto: (out, i) =>
      classes === undefined
        ? encodeTargetsInto(out, pixelsOf(imageIndex(i)), opts.encoding)
        : oneHotInto(out, set.labels[imageIndex(i)]),
  };
};
