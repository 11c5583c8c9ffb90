/**
 * Reconstruction MSE in pixel units: decoding against hand-computed cases, independence from the
 * target latency, agreement with the time-domain loss where no clamping happens, and the
 * mean-image floor on real MNIST (the figure the issue quotes: 0.0669).
 */
import fc from 'fast-check';
import { isRight } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/data/datasets.ts';
import { encodeTargets } from '../../src/data/encode.ts';
import { autoencoderLoss } from '../../src/train/loss.ts';
import { decodedPixelMse, meanImageMse } from '../../src/experiments/pixelMse.ts';

describe('decodedPixelMse', () => {
  it('decodes output times minus latency to intensities (inverted: 1 − t; silent = background)', () => {
    const target = encodeTargets(Uint8Array.of(0, 128, 255), 'inverted'); // 1, 0.5, 1/256
    // perfect: spikes at latency + target, silent for the background pixel
    expect(decodedPixelMse(Float64Array.of(Infinity, 1.5, 1 + 1 / 256), target, 1, 'inverted')).toBe(0);
    // output 0.25 early on pixel 2 (intensity 0.75 instead of 0.5); a spike far too late reads as background
    expect(decodedPixelMse(Float64Array.of(Infinity, 1.25, 50), target, 1, 'inverted')).toBeCloseTo((0.25 ** 2 + (255 / 256) ** 2) / 3, 15);
    // plain encoding: intensity = t − latency
    expect(decodedPixelMse(Float64Array.of(16.5), Float64Array.of(0.25), 16, 'plain')).toBeCloseTo(0.0625, 15);
  });

  it('does not depend on the target latency, and equals the time loss at latency 1 when nothing clamps', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 255 }), fc.double({ min: 0.01, max: 0.99, noNaN: true })), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 1, max: 16 }),
        (px, latency) => {
          const target = encodeTargets(Uint8Array.from(px.map(([b]) => b)), 'inverted');
          const out1 = Float64Array.from(px, ([, t]) => 1 + t);
          const outL = Float64Array.from(px, ([, t]) => latency + t);
          const a = decodedPixelMse(out1, target, 1, 'inverted');
          const b = decodedPixelMse(outL, target, latency, 'inverted');
          return Math.abs(a - b) <= 1e-12 && Math.abs(a - autoencoderLoss(out1, target, 1, 0)) <= 1e-12;
        },
      ),
      { numRuns: 200, seed: 7 },
    );
  });
});

describe('meanImageMse', () => {
  it('is the variance for a constant-mean set and 0 for identical images', () => {
    expect(meanImageMse(Uint8Array.of(0, 128, 0, 128), Uint8Array.of(0, 128), 2)).toBe(0);
    // train mean of pixel 0 = 64/256; test pixel 0 = 0 and 128/256 → errors ±0.25
    expect(meanImageMse(Uint8Array.of(0, 128), Uint8Array.of(0, 128), 1)).toBeCloseTo(0.0625, 15);
    expect(() => meanImageMse(Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2), 2)).toThrow(/whole/);
  });

  it('is 0.0669 on MNIST (mean of the 60 000 training images, 10 000 test images)', () => {
    const d = loadDataset('mnist');
    expect(isRight(d)).toBe(true);
    if (!isRight(d)) return;
    const px = d.right.rows * d.right.cols;
    expect(meanImageMse(d.right.train.images, d.right.test.images, px)).toBeCloseTo(0.0669, 4);
  });
});
