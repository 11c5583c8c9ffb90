/**
 * `latencyEncode(options)`: images → latency-coded samples, with the very encoding training uses
 * (`src/data/encode.ts`, reference README §3): a pixel byte b becomes the spike time
 *
 *     inverted (default):  t = (256 − b)/256   (bright pixels spike early; b = 0 is silent)
 *     plain:               t = b/256           (bright pixels spike late; every pixel spikes)
 *
 * Times are dimensionless in [0, 1). Each image (a `Uint8Array` of bytes, row-major) becomes one
 * sample: a {@link SpikeChunk} holding one spike per spiking pixel (neuron = pixel index), in time
 * order, ties by pixel index — exactly the spikes `forward` sees.
 *
 * Intensities (a `Float64Array`/`Float32Array` of values x ∈ [0, 1], x = b/256 for a byte) use the
 * same rule on x: t = 1 − x (inverted) or t = x (plain), and a time ≥ 1 is no spike.
 *
 * ## Example
 * ```ts
 * of(new Uint8Array([0, 128, 255])).pipe(latencyEncode()).subscribe((s) => spikesOf(s));
 * // [{ neuron: 2, time: 1/256 }, { neuron: 1, time: 0.5 }]
 * ```
 */
import { type OperatorFunction, map } from 'rxjs';
import type { Encoding } from '../../src/data/encode.ts';
import { type ImagePixels, latencyEncodeImage } from '../latencyEncodeImage.ts';
import type { SpikeChunk } from '../spike.ts';

export type { Encoding } from '../../src/data/encode.ts';
export { type ImagePixels, intensityTimes, latencyEncodeImage } from '../latencyEncodeImage.ts';

export interface LatencyEncodeOptions {
  /** 'inverted' (default, as the paper's autoencoder) or 'plain' (not inverted). */
  readonly encoding?: Encoding;
}

/** Operator form: each image becomes one sample ({@link SpikeChunk}). */
export const latencyEncode = (options: LatencyEncodeOptions = {}): OperatorFunction<ImagePixels, SpikeChunk> => {
  const encoding = options.encoding ?? 'inverted';
  if (encoding !== 'inverted' && encoding !== 'plain') {
    throw new RangeError(`latencyEncode: encoding must be 'inverted' or 'plain', got ${String(encoding)}`);
  }
  return map((pixels) => latencyEncodeImage(pixels, encoding));
};
