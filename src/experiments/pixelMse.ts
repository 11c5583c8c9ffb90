/**
 * Reconstruction error in picture units: output spike times decoded to pixel intensities in
 * [0, 1] (`timeToIntensity` of t_out − latency) against the target image's intensities, as a
 * per-pixel mean squared error. Unlike the training loss (reference README §3, in time units, which
 * grows with the square of a late spike), this is comparable across target latencies and with an
 * ANN's output, and is what every figure and claim reports.
 *
 *     MSE = (1/n) Σ_k (I(t_out,k − latency) − I(y_k))²,  I = timeToIntensity(·, encoding)
 *
 * A silent output reads as the intensity of a time ≥ 1 (background for `inverted`).
 *
 * ## Example
 * ```ts
 * decodedPixelMse(Float64Array.of(1.25, Infinity), Float64Array.of(0.25, 1), 1, 'inverted'); // 0
 * ```
 */
import { type Encoding, timeToIntensity } from '../data/encode.ts';
import { allocTape } from '../model/tape.ts';
import { forwardInto } from '../model/forward.ts';
import type { Network } from '../model/network.ts';
import type { ExampleSet } from '../train/exampleSet.ts';

/** Per-pixel MSE of one example in [0, 1] intensity units; `target` holds target times (no spike = 1). */
export const decodedPixelMse = (outputTimes: Float64Array, target: Float64Array, latency: number, encoding: Encoding): number => {
  let sum = 0;
  for (let k = 0; k < target.length; k++) {
    const d = timeToIntensity(outputTimes[k] - latency, encoding) - timeToIntensity(target[k], encoding);
    sum += d * d;
  }
  return sum / target.length;
};

/** Mean of `decodedPixelMse` over the first `count` examples of `set` (NaN for none). */
export const evaluatePixelMse = (net: Network, set: ExampleSet, latency: number, encoding: Encoding, count = set.count): number => {
  const tape = allocTape(net);
  const input = new Float64Array(set.inputSize);
  const target = new Float64Array(set.targetSize);
  let sum = 0;
  for (let i = 0; i < count; i++) sum += decodedPixelMse(forwardInto(tape, net, set.inputInto(input, i)), set.targetInto(target, i), latency, encoding);
  return count > 0 ? sum / count : Number.NaN;
};

/**
 * The floor every autoencoder must beat: per-pixel MSE (intensities b/256) of the predictor that
 * answers every test image with the mean training image.
 */
export const meanImageMse = (trainImages: Uint8Array, testImages: Uint8Array, pixels: number): number => {
  const nTrain = trainImages.length / pixels;
  const nTest = testImages.length / pixels;
  if (!Number.isInteger(nTrain) || !Number.isInteger(nTest) || nTrain === 0 || nTest === 0) {
    throw new RangeError(`meanImageMse: ${trainImages.length} training and ${testImages.length} test bytes are not whole, non-empty sets of ${pixels}-pixel images`);
  }
  const mean = new Float64Array(pixels);
  for (let i = 0; i < trainImages.length; i++) mean[i % pixels] += trainImages[i] / 256;
  for (let k = 0; k < pixels; k++) mean[k] /= nTrain;
  let sum = 0;
  for (let i = 0; i < testImages.length; i++) {
    const d = testImages[i] / 256 - mean[i % pixels];
    sum += d * d;
  }
  return sum / testImages.length;
};
