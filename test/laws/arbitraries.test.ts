/**
 * The arbitraries produce the awkward cases they promise (ties, NO_SPIKE inputs, inhibitory
 * weights, near-threshold peaks, spiking and silent neurons, the Lambert W branch point), not
 * one value over and over.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lambertWArgumentArbitrary, logUniform, neuronCaseArbitrary, uniformDouble } from '../../laws/arbitraries.ts';
import { scanGrid, scanPotential } from '../../laws/scan.ts';
import { alphaModel } from '../../src/kernels/alpha.ts';
import { dualExponentialModel } from '../../src/kernels/dualExponential.ts';
import { LAMBERT_W_BRANCH_POINT } from '../../src/kernels/lambertW.ts';
import { NO_SPIKE, fire } from '../../src/kernels/neuronModel.ts';

const SEED = 7;
const N = 400;

for (const model of [alphaModel, dualExponentialModel]) {
  describe(`neuronCaseArbitrary(${model.name})`, () => {
    const cases = fc.sample(neuronCaseArbitrary(model), { numRuns: N, seed: SEED });
    const fraction = (pred: (c: (typeof cases)[number]) => boolean) => cases.filter(pred).length / N;

    it('has ties, NO_SPIKE inputs, and inhibitory and zero weights', () => {
      const hasTie = (ts: readonly number[]) => {
        const finite = ts.filter((t) => t !== NO_SPIKE);
        return new Set(finite).size < finite.length;
      };
      expect(fraction((c) => hasTie(c.inputTimes))).toBeGreaterThan(0.15);
      expect(fraction((c) => c.inputTimes.includes(NO_SPIKE))).toBeGreaterThan(0.15);
      expect(fraction((c) => c.inputTimes.every((t) => t === NO_SPIKE))).toBeGreaterThan(0);
      expect(fraction((c) => c.weights.some((w) => w < 0))).toBeGreaterThan(0.2);
      expect(fraction((c) => c.weights.some((w) => w === 0))).toBeGreaterThan(0.05);
    });

    it('has near-threshold peaks on both sides of θ, and both spiking and silent neurons', () => {
      const peakRatio = (c: (typeof cases)[number]) => {
        const grid = scanGrid(c.params, c.inputTimes);
        return scanPotential(model, c.params, c.inputTimes, c.weights, grid).reduce((a, b) => Math.max(a, b), 0) / c.params.threshold;
      };
      const ratios = cases.map(peakRatio);
      expect(ratios.filter((r) => r > 1 && r < 1.05).length / N).toBeGreaterThan(0.2);
      expect(ratios.filter((r) => r < 1 && r > 0.95).length / N).toBeGreaterThan(0.05);
      expect(ratios.filter((r) => Math.abs(r - 1) < 1e-3).length / N).toBeGreaterThan(0.05);
      const spiking = fraction((c) => fire(model, c.params, c.inputTimes, c.weights).spikeTime !== NO_SPIKE);
      expect(spiking).toBeGreaterThan(0.4);
      expect(spiking).toBeLessThan(0.8);
    });

    it('varies decay rate, threshold and input count over their ranges', () => {
      const ks = cases.map((c) => c.params.decayRate);
      expect(Math.min(...ks)).toBeLessThan(0.7);
      expect(Math.max(...ks)).toBeGreaterThan(2.3);
      expect(new Set(cases.map((c) => c.inputTimes.length)).size).toBeGreaterThanOrEqual(6);
    });
  });
}

describe('lambertWArgumentArbitrary', () => {
  const xs = fc.sample(lambertWArgumentArbitrary, { numRuns: N, seed: SEED });

  it('stays in the domain and reaches the branch point, its neighbourhood and huge arguments', () => {
    expect(xs.every((x) => x >= LAMBERT_W_BRANCH_POINT && Number.isFinite(x))).toBe(true);
    expect(xs.filter((x) => x === LAMBERT_W_BRANCH_POINT).length).toBeGreaterThan(0);
    expect(xs.filter((x) => x > LAMBERT_W_BRANCH_POINT && x < LAMBERT_W_BRANCH_POINT + 1e-8).length).toBeGreaterThan(20);
    expect(xs.filter((x) => x > 1e100).length).toBeGreaterThan(20);
    expect(xs.filter((x) => x > 0 && x < 10).length).toBeGreaterThan(20);
  });
});

describe('uniformDouble / logUniform', () => {
  it('are uniform in value (mean of U(2, 4) near 3), within bounds', () => {
    const us = fc.sample(uniformDouble(2, 4), { numRuns: 2000, seed: SEED });
    expect(us.every((u) => u >= 2 && u <= 4)).toBe(true);
    expect(Math.abs(us.reduce((a, b) => a + b, 0) / us.length - 3)).toBeLessThan(0.05);
    const ls = fc.sample(logUniform(-2, 2), { numRuns: 2000, seed: SEED }).map(Math.log10);
    expect(Math.abs(ls.reduce((a, b) => a + b, 0) / ls.length)).toBeLessThan(0.1);
  });
});
