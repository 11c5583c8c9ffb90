/**
 * The dual-exponential neuron: hand-derived single-input spike times, the explicit no-crossing
 * branches (A2 ≤ 0, negative discriminant), tangential touches without NaN, derivatives against
 * finite differences, and the event-driven semantics shared with the alpha neuron.
 */
import { describe, expect, it } from 'vitest';
import { firstCrossingByBisection } from '../../laws/scan.ts';
import {
  dualExponentialCrossing,
  dualExponentialModel,
  dualExponentialNeuron,
  dualExponentialPotential,
} from '../../src/kernels/dualExponential.ts';
import { NO_SPIKE } from '../../src/kernels/neuronModel.ts';

const { fire } = dualExponentialNeuron;

/** Reference spike time from the potential alone (laws/scan.ts). */
const firstCrossing = (
  params: { decayRate: number; threshold: number },
  times: number[],
  weights: number[],
  from: number,
  to: number,
): number => firstCrossingByBisection(dualExponentialModel, params, times, weights, from, to);

describe('dual-exponential neuron: potential', () => {
  it('one kernel peaks at s = ln 2 / τ with height w/4, and is 0 at and before its input', () => {
    const p = { decayRate: 1.7, threshold: 1 };
    const sPeak = Math.LN2 / p.decayRate;
    expect(dualExponentialPotential(p, [0.3], [2], 0.3 + sPeak)).toBeCloseTo(0.5, 15);
    expect(dualExponentialPotential(p, [0.3], [2], 0.3 + sPeak * 1.01)).toBeLessThan(0.5);
    expect(dualExponentialPotential(p, [0.3], [2], 0.3 + sPeak * 0.99)).toBeLessThan(0.5);
    expect(dualExponentialPotential(p, [0.3, Infinity], [2, 5], 0.3)).toBe(0);
  });
});

describe('dual-exponential neuron: spike time', () => {
  it('one input: t* = t0 − ln((1 + √(1 − 4θ/w))/2)/τ, the root of w(v − v²) = θ', () => {
    for (const [tau, theta, w, t0] of [
      [1, 0.2, 1, 0],
      [0.5, 1, 5, 0.7],
      [2.5, 0.1, 0.41, -3],
    ]) {
      const expected = t0 - Math.log((1 + Math.sqrt(1 - (4 * theta) / w)) / 2) / tau;
      const r = fire({ decayRate: tau, threshold: theta }, [t0], [w]);
      expect(Math.abs(r.spikeTime - expected)).toBeLessThanOrEqual(1e-14 * Math.max(1, Math.abs(expected)));
      expect(r.causalCount).toBe(1);
    }
  });

  it('one input below 4θ: negative discriminant, silent, derivatives 0', () => {
    const r = fire({ decayRate: 1, threshold: 0.25 }, [0], [0.999]);
    expect(r.spikeTime).toBe(NO_SPIKE);
    expect(r.causalCount).toBe(1);
    expect(r.dSpikeTime_dWeight[0]).toBe(0);
    expect(r.dSpikeTime_dInput[0]).toBe(0);
    expect(dualExponentialCrossing(0.999, 0.999, 0.25, 0)).toBe(0);
  });

  it('A2 ≤ 0 < A1 after an inhibitory input: the potential only falls, so no crossing (no NaN)', () => {
    // w1 = 4 at 0, w2 = −1.5 at ln 2/τ: P1 = 4·½ − 1.5 = 0.5 > 0, P2 = 4·¼ − 1.5 = −0.5 < 0.
    const p = { decayRate: 1, threshold: 1.2 };
    const times = [0, Math.LN2];
    const weights = [4, -1.5];
    expect(dualExponentialCrossing(0.5, -0.5, p.threshold, 0)).toBe(0);
    const r = fire(p, times, weights);
    expect(r.spikeTime).toBe(NO_SPIKE);
    expect(r.causalCount).toBe(2);
    expect(firstCrossing(p, times, weights, 0, 40)).toBe(NO_SPIKE);
    // With θ = 0.9 the first kernel alone crosses before the inhibitory input arrives.
    const q = fire({ decayRate: 1, threshold: 0.9 }, times, weights);
    expect(q.spikeTime).toBeLessThan(Math.LN2);
    expect(q.causalCount).toBe(1);
    expect(q.dSpikeTime_dWeight[1]).toBe(0);
  });

  it('a tangential touch (w = 4θ) spikes at the peak without NaN derivatives', () => {
    const r = fire({ decayRate: 2, threshold: 0.25 }, [0], [1]);
    expect(r.spikeTime).toBeCloseTo(Math.LN2 / 2, 7);
    expect(Number.isNaN(r.dSpikeTime_dWeight[0])).toBe(false);
    expect(Number.isNaN(r.dSpikeTime_dInput[0])).toBe(false);
  });

  it('several inputs with ties, inhibition and NO_SPIKE: the first crossing of the potential', () => {
    const p = { decayRate: 1.3, threshold: 0.4 };
    const times = [0.2, 0.2, 0.5, Infinity, 0.05, 3];
    const weights = [0.9, 0.6, -0.4, 3, 0.7, 2];
    const r = fire(p, times, weights);
    const reference = firstCrossing(p, times, weights, 0, 20);
    expect(Math.abs(r.spikeTime - reference)).toBeLessThanOrEqual(1e-12);
    expect(r.causalCount).toBe(times.filter((t) => t < r.spikeTime).length);
    expect(dualExponentialPotential(p, times, weights, r.spikeTime)).toBeCloseTo(p.threshold, 13);
  });

  it('inputs far from 0 (t ≈ 1000): no overflow, exact shift equivariance', () => {
    const p = { decayRate: 2, threshold: 0.3 };
    const weights = [0.8, 0.9, -0.2];
    const a = fire(p, [0, 0.1, 0.3], weights);
    const b = fire(p, [1000, 1000.1, 1000.3], weights);
    expect(Number.isFinite(b.spikeTime)).toBe(true);
    expect(Math.abs(b.spikeTime - 1000 - a.spikeTime)).toBeLessThanOrEqual(1e-12);
  });
});

describe('dual-exponential neuron: derivatives', () => {
  const p = { decayRate: 0.8, threshold: 0.3 };
  const times = [0.1, 0.4, 0.45, 2, Infinity];
  const weights = [0.9, 0.7, -0.2, 1, 1];
  const r = fire(p, times, weights);

  it('the case spikes between the third and fourth input', () => {
    expect(r.spikeTime).toBeGreaterThan(0.45);
    expect(r.spikeTime).toBeLessThan(2);
    expect(r.causalCount).toBe(3);
  });

  it('∂t*/∂w_i and ∂t*/∂t_i match central differences (1e-6 relative)', () => {
    const h = 1e-6;
    for (let i = 0; i < 3; i++) {
      const w = [...weights];
      w[i] += h;
      const tPlus = fire(p, times, w).spikeTime;
      w[i] -= 2 * h;
      const tMinus = fire(p, times, w).spikeTime;
      const fdW = (tPlus - tMinus) / (2 * h);
      expect(Math.abs(r.dSpikeTime_dWeight[i] - fdW)).toBeLessThanOrEqual(1e-6 * Math.abs(fdW));
      const t = [...times];
      t[i] += h;
      const sPlus = fire(p, t, weights).spikeTime;
      t[i] -= 2 * h;
      const sMinus = fire(p, t, weights).spikeTime;
      const fdT = (sPlus - sMinus) / (2 * h);
      expect(Math.abs(r.dSpikeTime_dInput[i] - fdT)).toBeLessThanOrEqual(1e-6 * Math.abs(fdT));
    }
  });

  it('inputs after t* and NO_SPIKE inputs get exactly 0', () => {
    expect([r.dSpikeTime_dWeight[3], r.dSpikeTime_dInput[3], r.dSpikeTime_dWeight[4], r.dSpikeTime_dInput[4]]).toEqual([0, 0, 0, 0]);
  });

  it('Σ ∂t*/∂t_i = 1 and ∂t*/∂w_i ≤ 0 for the causal inputs (the model is monotone)', () => {
    const sum = r.dSpikeTime_dInput.reduce((a, b) => a + b, 0);
    expect(Math.abs(sum - 1)).toBeLessThanOrEqual(1e-14);
    expect(dualExponentialModel.monotoneInWeights).toBe(true);
    for (let i = 0; i < 3; i++) expect(r.dSpikeTime_dWeight[i]).toBeLessThan(0);
  });
});
