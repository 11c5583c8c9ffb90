/**
 * Pictures of reconstructions: a grid of small gray images (MNIST: 28×28), one row per kind —
 * typically originals, noisy inputs, reconstructions — each pixel scaled up to a `scale`×`scale`
 * block, images separated by `gap` pixels of a mid-gray background.
 *
 * Spike times become intensities by inverting the input encoding (`timeToIntensity`): for
 * `inverted`, intensity = 1 − t; a pixel that does not spike is background. Output spike times are
 * shifted back by the target latency first. Intensity i becomes the byte min(255, round(256·i)), so
 * byte → time → byte is exact.
 *
 * ## Example
 * ```ts
 * const img = autoencoderGrid({ originals, noisyInputs, outputTimes, encoding: 'inverted', latency: 1 });
 * writeFileSync('reconstructions.png', encodePng(img));
 * ```
 */
import { type Encoding, encodeTimes, timeToIntensity } from '../data/encode.ts';
import { type RasterImage, rasterImage } from './png.ts';

export interface ImageGridOptions {
  /** Width of one image in source pixels (default 28). */
  readonly imageWidth?: number;
  /** Height of one image in source pixels (default 28). */
  readonly imageHeight?: number;
  /** Output pixels per source pixel, each way (default 4). */
  readonly scale?: number;
  /** Output pixels between images and around the grid (default 2). */
  readonly gap?: number;
  /** Gray level of the gaps (default 128). */
  readonly background?: number;
}

/** Writes the gray bytes (0 = black, 255 = white) of spike times `times − shift` into `out`. */
export const grayFromTimesInto = (
  out: Uint8Array,
  times: Float64Array,
  encoding: Encoding,
  shift = 0,
): Uint8Array => {
  if (out.length !== times.length) {
    throw new RangeError(`grayFromTimesInto: out has ${out.length} entries for ${times.length} times`);
  }
  for (let i = 0; i < times.length; i++) {
    out[i] = Math.min(255, Math.round(256 * timeToIntensity(times[i] - shift, encoding)));
  }
  return out;
};

/** Gray bytes of spike times `times − shift` (allocates). */
export const grayFromTimes = (times: Float64Array, encoding: Encoding, shift = 0): Uint8Array =>
  grayFromTimesInto(new Uint8Array(times.length), times, encoding, shift);

/** `rows[r][c]` is a gray image of imageWidth × imageHeight bytes; rows may differ in length. */
export const imageGrid = (rows: readonly (readonly Uint8Array[])[], opts: ImageGridOptions = {}): RasterImage => {
  const w = opts.imageWidth ?? 28;
  const h = opts.imageHeight ?? 28;
  const scale = opts.scale ?? 4;
  const gap = opts.gap ?? 2;
  const cols = rows.reduce((m, r) => Math.max(m, r.length), 0);
  if (rows.length === 0 || cols === 0) throw new RangeError('imageGrid: no images');
  if (![w, h, scale].every((v) => Number.isInteger(v) && v > 0) || !Number.isInteger(gap) || gap < 0) {
    throw new RangeError(`imageGrid: bad geometry ${w}×${h}, scale ${scale}, gap ${gap}`);
  }
  const cellW = w * scale;
  const cellH = h * scale;
  const img = rasterImage(gap + cols * (cellW + gap), gap + rows.length * (cellH + gap), 1, opts.background ?? 128);
  const W = img.width;
  rows.forEach((row, r) => {
    row.forEach((src, c) => {
      if (src.length !== w * h) {
        throw new RangeError(`imageGrid: image [${r}][${c}] has ${src.length} pixels, expected ${w}×${h}`);
      }
      const x0 = gap + c * (cellW + gap);
      const y0 = gap + r * (cellH + gap);
      for (let y = 0; y < cellH; y++) {
        const srcRow = Math.floor(y / scale) * w;
        const o = (y0 + y) * W + x0;
        for (let x = 0; x < cellW; x++) img.pixels[o + x] = src[srcRow + Math.floor(x / scale)];
      }
    });
  });
  return img;
};

export interface AutoencoderGridInput {
  /** Original images as pixel bytes. */
  readonly originals: readonly Uint8Array[];
  /** Input spike times actually fed to the network (noisy or clean); omit to skip the row. */
  readonly noisyInputs?: readonly Float64Array[];
  /** Raw output spike times (not shifted by latency). */
  readonly outputTimes: readonly Float64Array[];
  readonly encoding: Encoding;
  readonly latency: number;
}

/** Rows: originals (as the network's clean targets see them), noisy inputs, reconstructions. */
export const autoencoderGrid = (input: AutoencoderGridInput, opts: ImageGridOptions = {}): RasterImage => {
  const clean = input.originals.map((px) => grayFromTimes(encodeTimes(px, input.encoding), input.encoding));
  const rows: Uint8Array[][] = [clean];
  if (input.noisyInputs !== undefined) rows.push(input.noisyInputs.map((t) => grayFromTimes(t, input.encoding)));
  rows.push(input.outputTimes.map((t) => grayFromTimes(t, input.encoding, input.latency)));
  return imageGrid(rows, opts);
};
