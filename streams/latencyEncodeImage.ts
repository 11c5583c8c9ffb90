/**
 * One image → its latency-coded sample, synchronously: the rule of `latencyEncode` (see
 * operators/latencyEncode.ts for the equations), shared by that operator and by the image sources.
 * Bytes b become t = (256 − b)/256 (inverted) or b/256 (plain); intensities x ∈ [0, 1] become
 * t = 1 − x or x, and a time ≥ 1 is no spike.
 */
import { type Encoding, encodeTimes } from '../src/data/encode.ts';
import { NO_SPIKE } from '../src/kernels/neuronModel.ts';
import { type SpikeChunk, spikeChunkFromTimes } from './spike.ts';

/** An image: pixel bytes, or intensities in [0, 1]. */
export type ImagePixels = Uint8Array | Float64Array | Float32Array;

/** Spike times of intensities x ∈ [0, 1] (t = 1 − x or x; a time ≥ 1 is `NO_SPIKE`). */
export const intensityTimes = (x: Float64Array | Float32Array, encoding: Encoding): Float64Array => {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (!(v >= 0 && v <= 1)) throw new RangeError(`latencyEncode: intensity of pixel ${i} is ${v}, expected a value in [0, 1]`);
    const t = encoding === 'inverted' ? 1 - v : v;
    out[i] = t >= 1 ? NO_SPIKE : t;
  }
  return out;
};

/** The latency-coded sample of one image (synchronous form of {@link latencyEncode}). */
export const latencyEncodeImage = (pixels: ImagePixels, encoding: Encoding = 'inverted'): SpikeChunk =>
  spikeChunkFromTimes(pixels instanceof Uint8Array ? encodeTimes(pixels, encoding) : intensityTimes(pixels, encoding));
