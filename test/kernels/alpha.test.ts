/**
 * The alpha neuron against the reference program (golden vectors of google/ihmehimmeli, see
 * test/fixtures/README.md; format in the reference README section 2), plus unit cases checked against the potential.
 */
import { describe, expect, it } from 'vitest';
import { firstCrossingByBisection as scanCrossing } from '../../laws/scan.ts';
import { alphaModel, alphaNeuron, alphaPotential } from '../../src/kernels/alpha.ts';
import { NO_SPIKE } from '../../src/kernels/neuronModel.ts';
import { readFixtureJson } from '../fixtures/fixtures.ts';

interface GoldenCase {
  readonly case: number;
  readonly n_inputs: number;
  readonly decay_rate: number;
  readonly fire_threshold: number;
  readonly inputs: readonly (number | null)[];
  readonly weights: readonly number[];
  readonly spike_time: number | null;
  readonly spike_time_exact_lambertw: number | null;
  readonly d_spike_d_w: readonly number[];
  readonly d_spike_d_t: readonly number[];
  readonly n_causal: number;
}

const golden = readFixtureJson('golden-alpha-neuron.json.gz') as {
  generator: { n_cases: number; n_spiking: number };
  cases: GoldenCase[];
};

/** |a − b| ≤ 1e-9·max(|a|, |b|) + 1e-15: relative, with a tiny absolute floor for zeros. */
const derivativeClose = (a: number, b: number): boolean =>
  Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b)) + 1e-15;

describe('alpha neuron: golden vectors of the reference program', () => {
  it('reads all cases', () => {
    expect(golden.cases.length).toBe(golden.generator.n_cases);
    expect(golden.cases.length).toBe(2000);
  });

  it('matches spike time (exact Lambert W, 1e-12 abs), derivatives (1e-9 rel) and causal count on every case', () => {
    const mismatches: string[] = [];
    let spiking = 0;
    let maxTimeDiff = 0;
    for (const c of golden.cases) {
      const times = c.inputs.map((t) => (t === null ? NO_SPIKE : t));
      const r = alphaNeuron.fire({ decayRate: c.decay_rate, threshold: c.fire_threshold }, times, c.weights);
      const where = `case ${c.case}`;
      if (c.spike_time_exact_lambertw === null) {
        if (r.spikeTime !== NO_SPIKE) mismatches.push(`${where}: expected NO_SPIKE, got ${r.spikeTime}`);
      } else {
        spiking++;
        const d = Math.abs(r.spikeTime - c.spike_time_exact_lambertw);
        maxTimeDiff = Math.max(maxTimeDiff, d);
        if (!(d <= 1e-12)) mismatches.push(`${where}: spike time ${r.spikeTime} vs ${c.spike_time_exact_lambertw}`);
      }
      if (r.causalCount !== c.n_causal) mismatches.push(`${where}: causal count ${r.causalCount} vs ${c.n_causal}`);
      for (let i = 0; i < c.n_inputs; i++) {
        if (!derivativeClose(r.dSpikeTime_dWeight[i], c.d_spike_d_w[i])) {
          mismatches.push(`${where}: dt/dw[${i}] ${r.dSpikeTime_dWeight[i]} vs ${c.d_spike_d_w[i]}`);
        }
        if (!derivativeClose(r.dSpikeTime_dInput[i], c.d_spike_d_t[i])) {
          mismatches.push(`${where}: dt/dt[${i}] ${r.dSpikeTime_dInput[i]} vs ${c.d_spike_d_t[i]}`);
        }
      }
    }
    expect(mismatches.slice(0, 10)).toEqual([]);
    expect(spiking).toBe(golden.generator.n_spiking);
    expect(maxTimeDiff).toBeLessThanOrEqual(1e-12);
  });

  it('agrees with the program (approximate Lambert W) within 1e-6 where the program spikes', () => {
    for (const c of golden.cases) {
      if (c.spike_time === null) continue;
      const times = c.inputs.map((t) => (t === null ? NO_SPIKE : t));
      const r = alphaNeuron.fire({ decayRate: c.decay_rate, threshold: c.fire_threshold }, times, c.weights);
      expect(Math.abs(r.spikeTime - c.spike_time)).toBeLessThanOrEqual(1e-6);
    }
  });
});

/** Reference spike time from the potential alone (laws/scan.ts). */
const firstCrossingByBisection = (
  params: { decayRate: number; threshold: number },
  times: number[],
  weights: number[],
  from: number,
  to: number,
): number => scanCrossing(alphaModel, params, times, weights, from, to);

describe('alpha neuron: unit cases', () => {
  const params = { decayRate: 1, threshold: 0.5 };

  it('the documented example spikes where the potential first reaches θ, with two causal inputs', () => {
    const times = [0.1, 0.3, Infinity];
    const weights = [1.5, 1, 2];
    const r = alphaNeuron.fire(params, times, weights);
    expect(r.spikeTime).toBeCloseTo(firstCrossingByBisection(params, times, weights, 0, 10), 12);
    expect(r.spikeTime).toBeGreaterThan(0.3);
    expect(r.causalCount).toBe(2);
    expect(r.dSpikeTime_dWeight[2]).toBe(0);
    expect(r.dSpikeTime_dInput[2]).toBe(0);
  });

  it('one input: spikes iff its peak w/(eK) reaches θ', () => {
    const peakWeight = params.threshold * Math.E * params.decayRate;
    expect(alphaNeuron.fire(params, [0], [peakWeight * 0.99]).spikeTime).toBe(NO_SPIKE);
    const r = alphaNeuron.fire(params, [0], [peakWeight * 1.01]);
    expect(r.spikeTime).toBeLessThan(1 / params.decayRate);
    expect(alphaPotential(params, [0], [peakWeight * 1.01], r.spikeTime)).toBeCloseTo(params.threshold, 12);
  });

  it('only inhibitory or never-spiking inputs: silent, all derivatives 0, causal count = finite inputs', () => {
    const r = alphaNeuron.fire(params, [0.1, Infinity, 0.4], [-1, 5, -0.5]);
    expect(r.spikeTime).toBe(NO_SPIKE);
    expect(r.causalCount).toBe(2);
    expect([...r.dSpikeTime_dWeight, ...r.dSpikeTime_dInput].every((d) => d === 0)).toBe(true);
  });

  it('input order does not matter: derivatives follow their inputs', () => {
    const times = [0.4, 0.1, 0.25, 0.1];
    const weights = [0.8, 1.2, -0.3, 0.9];
    const a = alphaNeuron.fire(params, times, weights);
    const perm = [2, 0, 3, 1];
    const b = alphaNeuron.fire(params, perm.map((i) => times[i]), perm.map((i) => weights[i]));
    expect(b.spikeTime).toBe(a.spikeTime);
    perm.forEach((i, j) => {
      expect(b.dSpikeTime_dWeight[j]).toBe(a.dSpikeTime_dWeight[i]);
      expect(b.dSpikeTime_dInput[j]).toBe(a.dSpikeTime_dInput[i]);
    });
  });

  it('is a monotone model whose potential ignores inputs at or after t', () => {
    expect(alphaModel.monotoneInWeights).toBe(true);
    expect(alphaPotential(params, [0.5, Infinity], [1, 1], 0.5)).toBe(0);
  });
});

describe('alpha neuron at an exactly tangential crossing (W = −1)', () => {
  it('gives finite (huge or zero) derivatives, never NaN', () => {
    // one input with w = e·K·θ: the potential's peak touches θ exactly, at t = 1/K
    const r = alphaNeuron.fire({ decayRate: 0.5, threshold: 0.1017351876111636 }, [0], [0.13827245589914888]);
    expect(r.spikeTime).toBe(2);
    expect(Number.isNaN(r.dSpikeTime_dWeight[0])).toBe(false);
    expect(Number.isNaN(r.dSpikeTime_dInput[0])).toBe(false);
    expect(r.dSpikeTime_dWeight[0]).toBeLessThan(-1e200);
  });
});
