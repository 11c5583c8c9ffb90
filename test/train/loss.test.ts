import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { adamStep, allocAdamState } from '../../src/train/adam.ts';
import {
  autoencoderErrorInto,
  autoencoderLoss,
  firstSpikeClass,
  firstSpikeCrossEntropy,
  firstSpikeCrossEntropyErrorInto,
} from '../../src/train/loss.ts';

describe('autoencoder loss', () => {
  it('is the latency-shifted per-pixel MSE with silent outputs and targets counted as 1', () => {
    const out = Float64Array.from([1.25, Infinity, 1.5, Infinity]);
    const target = [0.25, Infinity, Infinity, 0.5];
    // o = [0.25, 1, 0.5, 1], y = [0.25, 1, 1, 0.5]
    expect(autoencoderLoss(out, target, 1)).toBeCloseTo((0 + 0 + 0.25 + 0.25) / 4, 15);
    const delta = autoencoderErrorInto(new Float64Array(4), out, target, 1);
    expect([...delta]).toEqual([0, 0, 0.5 - 1, 0]);
  });

  it('error signal = (n/2) · ∂L/∂t for outputs that fire', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.5, max: 3, noNaN: true }), { minLength: 1, maxLength: 12 }),
        fc.array(fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constant(Infinity)), { minLength: 12, maxLength: 12 }),
        (times, targets) => {
          const out = Float64Array.from(times);
          const y = targets.slice(0, times.length);
          const delta = autoencoderErrorInto(new Float64Array(out.length), out, y, 1);
          return times.every((_, k) => {
            const h = 1e-6;
            const plus = out.slice();
            const minus = out.slice();
            plus[k] += h;
            minus[k] -= h;
            const fd = (autoencoderLoss(plus, y, 1) - autoencoderLoss(minus, y, 1)) / (2 * h);
            return Math.abs((2 / out.length) * delta[k] - fd) < 1e-6;
          });
        },
      ),
    );
  });
});

describe('first-spike cross-entropy', () => {
  it('δ = ∂L/∂t (finite differences), silent outputs excluded', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.double({ min: 0, max: 4, noNaN: true }), fc.constant(Infinity)), { minLength: 2, maxLength: 10 }),
        fc.nat(),
        (times, l) => {
          const out = Float64Array.from(times);
          const label = l % out.length;
          fc.pre(out[label] !== Infinity);
          const delta = firstSpikeCrossEntropyErrorInto(new Float64Array(out.length), out, label);
          return times.every((t, k) => {
            if (t === Infinity) return delta[k] === 0;
            const h = 1e-6;
            const plus = out.slice();
            const minus = out.slice();
            plus[k] += h;
            minus[k] -= h;
            const fd = (firstSpikeCrossEntropy(plus, label) - firstSpikeCrossEntropy(minus, label)) / (2 * h);
            return Math.abs(delta[k] - fd) < 1e-6;
          });
        },
      ),
    );
  });

  it('is ln(n) for equal times, Infinity when the labelled output is silent; predicts the earliest', () => {
    expect(firstSpikeCrossEntropy(Float64Array.from([1, 1, 1, 1]), 2)).toBeCloseTo(Math.log(4), 14);
    expect(firstSpikeCrossEntropy(Float64Array.from([1, Infinity]), 1)).toBe(Infinity);
    expect(firstSpikeClass(Float64Array.from([2, 0.5, Infinity, 0.7]))).toBe(1);
    expect(firstSpikeClass(Float64Array.from([Infinity, Infinity]))).toBe(-1);
  });
});

describe('Adam', () => {
  it('matches the reference formula step by step, with separate rates and pulses clamped at 0', () => {
    const params = Float64Array.from([1, -2, 0.001]); // two weights, one pulse time
    const state = allocAdamState(3);
    const h = { learningRate: 0.1, learningRatePulses: 0.05, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };
    const g = Float64Array.from([4, -2, 6]); // summed over 2 examples
    adamStep(params, 2, g, 2, state, h);
    // g/n = [2, -1, 3]; m = 0.1 g; v = 0.001 g²; m̂ = g; v̂ = g²; Δ = lr · g / sqrt(g² + 1e-8)
    const step = (lr: number, gi: number) => (lr * gi) / Math.sqrt(gi * gi + 1e-8);
    expect(params[0]).toBeCloseTo(1 - step(0.1, 2), 15);
    expect(params[1]).toBeCloseTo(-2 - step(0.1, -1), 15);
    expect(params[2]).toBe(0); // 0.001 − 0.05 < 0 → clamped
    expect(state.step).toBe(1);
    expect(state.m[0]).toBeCloseTo(0.2, 15);
    expect(state.v[1]).toBeCloseTo(0.001, 15);
  });
});
