/**
 * Input noise: x' = clamp(x + f·n, 0, 1), n ~ N(μ, 1), x' ≥ 1 → no spike. Statistics with a fixed
 * seed against the normal distribution's closed forms; determinism per (seed, part, image); clean
 * targets; the noise factor's domain.
 */
import { describe, expect, it } from 'vitest';
import type { ImageSet } from '../../src/data/datasets.ts';
import { encodeTargets, encodeTimes } from '../../src/data/encode.ts';
import {
  addNoiseInto,
  checkNoiseFactor,
  encodedExamples,
  noiseMean,
  noisyTimesInto,
} from '../../src/data/noise.ts';
import { createRng } from '../../src/data/rng.ts';
import { trainValidationSplit } from '../../src/data/split.ts';
import { NO_SPIKE } from '../../src/kernels/neuronModel.ts';

/** Standard normal CDF via erf (Abramowitz & Stegun 7.1.26, error < 1.5e-7). */
const Phi = (x: number): number => {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-z * z);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
};
const phi = (x: number): number => Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);

/** A set of `n` images of `size` pixels, all with the byte value `b`. */
const uniformSet = (n: number, size: number, b: number): ImageSet => ({
  images: new Uint8Array(n * size).fill(b),
  labels: new Uint8Array(n),
  count: n,
});

describe('noise mean', () => {
  it('is 1 for inverted images and 0 for plain ones', () => {
    expect(noiseMean('inverted')).toBe(1);
    expect(noiseMean('plain')).toBe(0);
  });
});

describe('addNoiseInto', () => {
  it('keeps every time in [0, 1) or no spike', () => {
    const t = encodeTimes(Uint8Array.from({ length: 256 }, (_, b) => b), 'inverted');
    addNoiseInto(t, 1, 1, createRng(5));
    expect(t.every((x) => x === NO_SPIKE || (x >= 0 && x < 1))).toBe(true);
  });

  it('leaves times unchanged for noise factor 0 and rejects factors outside [0, 1]', () => {
    const px = Uint8Array.from([0, 1, 128, 255]);
    const t = encodeTimes(px, 'inverted');
    expect(Array.from(addNoiseInto(t.slice(), 0, 1, createRng(1)))).toEqual(Array.from(t));
    for (const bad of [-0.1, 1.01, Number.NaN]) {
      expect(() => checkNoiseFactor(bad)).toThrow(/noise factor must lie in \[0, 1\]/);
      expect(() => addNoiseInto(t.slice(), bad, 1, createRng(1))).toThrow(RangeError);
    }
    expect(() => checkNoiseFactor(1)).not.toThrow();
  });

  it('inverted: background pixels (x = 1) stay silent with probability P(g ≥ -1)', () => {
    const n = 200_000;
    const t = new Float64Array(n).fill(NO_SPIKE);
    addNoiseInto(t, 0.4, 1, createRng(42));
    const silent = t.filter((x) => x === NO_SPIKE).length / n;
    const p = 1 - Phi(-1); // 0.8413
    expect(Math.abs(silent - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / n));
    // the ones that spike: 1 + 0.4(1 + g) clamped at 0, so x' ∈ [0, 1)
    const spiking = t.filter((x) => x !== NO_SPIKE);
    expect(spiking.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('inverted: a pixel at t = 0.5 with f = 0.2 follows a normal N(0.7, 0.2²) cut at 1', () => {
    const n = 200_000;
    const f = 0.2;
    const t = new Float64Array(n).fill(0.5);
    addNoiseInto(t, f, 1, createRng(2021));
    const spiking = t.filter((x) => x !== NO_SPIKE);
    // silent iff 0.5 + 0.2(1 + g) ≥ 1 iff g ≥ 1.5
    const pSilent = 1 - Phi(1.5);
    expect(Math.abs((n - spiking.length) / n - pSilent)).toBeLessThan(5 * Math.sqrt((pSilent * (1 - pSilent)) / n));
    // mean of 0.7 + 0.2 g given g < 1.5 (the clamp at 0 needs g < -3.5: negligible)
    const expectedMean = 0.7 - (f * phi(1.5)) / Phi(1.5);
    const m = spiking.reduce((s, x) => s + x, 0) / spiking.length;
    expect(Math.abs(m - expectedMean)).toBeLessThan((5 * f) / Math.sqrt(spiking.length));
  });

  it('plain: noise has mean 0, so a pixel at 0 is clamped to 0 half of the time', () => {
    const n = 100_000;
    const t = new Float64Array(n).fill(0);
    addNoiseInto(t, 0.3, noiseMean('plain'), createRng(3));
    const zeros = t.filter((x) => x === 0).length / n;
    expect(Math.abs(zeros - 0.5)).toBeLessThan(5 * Math.sqrt(0.25 / n));
    const mid = new Float64Array(n).fill(0.5);
    addNoiseInto(mid, 0.1, 0, createRng(4));
    const m = mid.reduce((s, x) => s + x, 0) / n;
    expect(Math.abs(m - 0.5)).toBeLessThan(5 * 0.1 / Math.sqrt(n));
  });
});

describe('noisyTimesInto', () => {
  const px = Uint8Array.from({ length: 784 }, (_, i) => (i * 7) % 256);

  it('is a deterministic function of (seed, part, index), whatever the RNG did before', () => {
    const rng = createRng(0);
    const a = noisyTimesInto(new Float64Array(784), px, 'inverted', 0.6, 9, 'train', 17, rng).slice();
    rng.nextGaussian();
    const b = noisyTimesInto(new Float64Array(784), px, 'inverted', 0.6, 9, 'train', 17, createRng(123));
    expect(Array.from(b)).toEqual(Array.from(a));
    const other = [
      noisyTimesInto(new Float64Array(784), px, 'inverted', 0.6, 9, 'train', 18, rng),
      noisyTimesInto(new Float64Array(784), px, 'inverted', 0.6, 9, 'test', 17, rng),
      noisyTimesInto(new Float64Array(784), px, 'inverted', 0.6, 10, 'train', 17, rng),
    ];
    for (const o of other) expect(Array.from(o)).not.toEqual(Array.from(a));
  });

  it('equals the clean encoding for noise factor 0', () => {
    const out = noisyTimesInto(new Float64Array(784), px, 'plain', 0, 9, 'test', 3, createRng(0));
    expect(Array.from(out)).toEqual(Array.from(encodeTimes(px, 'plain')));
  });
});

describe('encodedExamples', () => {
  const size = 16;
  const set: ImageSet = {
    images: Uint8Array.from({ length: 10 * size }, (_, i) => (i * 31) % 256),
    labels: new Uint8Array(10),
    count: 10,
  };

  it('gives each image the same noisy input wherever the split puts it, and clean targets', () => {
    const all = encodedExamples(set, size, { encoding: 'inverted', noiseFactor: 0.4, noiseSeed: 5, part: 'train' });
    const { train, validation } = trainValidationSplit(10, 3, 1);
    const tr = encodedExamples(set, size, { encoding: 'inverted', noiseFactor: 0.4, noiseSeed: 5, part: 'train', indices: train });
    const va = encodedExamples(set, size, { encoding: 'inverted', noiseFactor: 0.4, noiseSeed: 5, part: 'train', indices: validation });
    expect([all.count, tr.count, va.count, tr.inputSize, tr.targetSize]).toEqual([10, 7, 3, size, size]);
    const buf = new Float64Array(size);
    const ref = new Float64Array(size);
    for (const [ex, idx] of [[tr, train], [va, validation]] as const) {
      for (let i = 0; i < ex.count; i++) {
        expect(ex.imageIndex(i)).toBe(idx[i]);
        expect(Array.from(ex.inputInto(buf, i))).toEqual(Array.from(all.inputInto(ref, idx[i])));
        const clean = encodeTargets(set.images.subarray(idx[i] * size, (idx[i] + 1) * size), 'inverted');
        expect(Array.from(ex.targetInto(buf, i))).toEqual(Array.from(clean));
      }
    }
    // the noise really changed something
    const clean0 = encodeTimes(set.images.subarray(0, size), 'inverted');
    expect(Array.from(all.inputInto(buf, 0))).not.toEqual(Array.from(clean0));
  });

  it('rejects bad shapes, indices and noise factors', () => {
    const opts = { encoding: 'plain', noiseFactor: 0, noiseSeed: 0, part: 'test' } as const;
    expect(() => encodedExamples(set, 15, opts)).toThrow(/160 bytes are not 10 images of 15 pixels/);
    expect(() => encodedExamples(set, size, { ...opts, indices: Uint32Array.from([0, 10]) })).toThrow(/index 10 outside 0..9/);
    expect(() => encodedExamples(set, size, { ...opts, noiseFactor: 2 })).toThrow(/noise factor/);
    expect(() => encodedExamples(uniformSet(2, 4, 0), 4, opts).inputInto(new Float64Array(4), 2)).toThrow(/example 2 outside 0..1/);
  });
});
