/**
 * Pixel byte → input spike time (reference README section 3, "Image → spike-time encoding").
 *
 * A byte b ∈ 0..255 is first scaled to x = b/256 (note /256, not /255). Then:
 *
 * - `inverted` (the paper's default for the spiking autoencoder; bright pixels spike early):
 *   t = 1 − x = (256 − b)/256. A time of exactly 1, i.e. b = 0 (background), is no spike
 *   (`NO_SPIKE` = Infinity). Spiking pixels take the times {1/256, …, 255/256}.
 * - `plain` (not inverted; bright pixels spike late): t = x = b/256, with the same rule that a
 *   time of 1 is no spike. A byte never reaches 1, so every pixel spikes: the background
 *   (b = 0) spikes at t = 0 and times lie in {0, 1/256, …, 255/256}.
 *
 * All these values are exact in binary floating point. Targets for the autoencoder loss are the
 * same times with no spike written as 1.0 (y_k = t, or 1 for a no-spike pixel), i.e.
 * (256 − b)/256 for `inverted` and b/256 for `plain`.
 *
 * `*Into` forms write into caller-owned `Float64Array`s and allocate nothing; the plain forms
 * allocate their result.
 *
 * ## Example
 * ```ts
 * const times = encodeTimes(new Uint8Array([0, 128, 255]), 'inverted'); // [Infinity, 0.5, 1/256]
 * ```
 */
import { NO_SPIKE } from '../kernels/neuronModel.ts';

export type Encoding = 'inverted' | 'plain';
export const ENCODINGS: readonly Encoding[] = ['inverted', 'plain'];

const table = (f: (b: number) => number): Float64Array => {
  const t = new Float64Array(256);
  for (let b = 0; b < 256; b++) t[b] = f(b);
  return t;
};

/** Spike time of byte b, per encoding (index = byte). */
const TIMES: Readonly<Record<Encoding, Float64Array>> = {
  inverted: table((b) => (b === 0 ? NO_SPIKE : (256 - b) / 256)),
  plain: table((b) => b / 256),
};

/** Target value of byte b (no spike written as 1), per encoding. */
const TARGETS: Readonly<Record<Encoding, Float64Array>> = {
  inverted: table((b) => (256 - b) / 256),
  plain: table((b) => b / 256),
};

const checkLengths = (fn: string, out: Float64Array, pixels: Uint8Array): void => {
  if (out.length !== pixels.length) {
    throw new RangeError(`${fn}: out has ${out.length} entries for ${pixels.length} pixels`);
  }
};

/** The spike time of one pixel byte. */
export const byteToTime = (b: number, encoding: Encoding): number => TIMES[encoding][b & 255];

/** The loss target of one pixel byte (1 for a pixel that does not spike). */
export const byteToTarget = (b: number, encoding: Encoding): number => TARGETS[encoding][b & 255];

/** Writes the spike times of `pixels` into `out` (same length); returns `out`. */
export const encodeTimesInto = (
  out: Float64Array,
  pixels: Uint8Array,
  encoding: Encoding,
): Float64Array => {
  checkLengths('encodeTimesInto', out, pixels);
  const lut = TIMES[encoding];
  for (let i = 0; i < pixels.length; i++) out[i] = lut[pixels[i]];
  return out;
};

/** Writes the loss targets of `pixels` into `out` (same length); returns `out`. */
export const encodeTargetsInto = (
  out: Float64Array,
  pixels: Uint8Array,
  encoding: Encoding,
): Float64Array => {
  checkLengths('encodeTargetsInto', out, pixels);
  const lut = TARGETS[encoding];
  for (let i = 0; i < pixels.length; i++) out[i] = lut[pixels[i]];
  return out;
};

/** Spike times of `pixels` (allocates). */
export const encodeTimes = (pixels: Uint8Array, encoding: Encoding): Float64Array =>
  encodeTimesInto(new Float64Array(pixels.length), pixels, encoding);

/** Loss targets of `pixels` (allocates). */
export const encodeTargets = (pixels: Uint8Array, encoding: Encoding): Float64Array =>
  encodeTargetsInto(new Float64Array(pixels.length), pixels, encoding);

/**
 * Back from a time (or target, or output time minus latency) to a pixel intensity in [0, 1] for
 * pictures: `inverted` → 1 − t, `plain` → t; no spike (Infinity, or any t ≥ 1) reads as the
 * intensity of a time of 1 (0 for `inverted`, 1 for `plain`); times below 0 read as 0.
 */
export const timeToIntensity = (t: number, encoding: Encoding): number => {
  const c = t >= 1 ? 1 : t <= 0 ? 0 : Number.isNaN(t) ? 1 : t;
  return encoding === 'inverted' ? 1 - c : c;
};
