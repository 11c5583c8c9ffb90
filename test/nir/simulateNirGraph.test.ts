/**
 * The time-stepped simulator on its own: a single CubaLIF neuron with unequal time constants
 * (where the potential is a difference of exponentials, not spikeline's alpha kernel) against
 * bisection on the closed-form potential; silence below the peak; refusal of cycles.
 */
import { describe, expect, it } from 'vitest';
import { type NirGraph, nirArray, nirIntArray } from '../../src/nir/graph.ts';
import { simulateNirGraph } from '../../src/nir/simulateNirGraph.ts';

/** Input → Linear (weight W) → CubaLIF → Output, one neuron. */
const oneNeuron = (W: number, tauSyn: number, tauMem: number, threshold: number): NirGraph => ({
  nodes: {
    input: { type: 'Input', params: { shape: nirIntArray([1]) }, metadata: {} },
    fc: { type: 'Linear', params: { weight: nirArray([W], [1, 1]) }, metadata: {} },
    lif: {
      type: 'CubaLIF',
      params: {
        tau_syn: nirArray([tauSyn]),
        tau_mem: nirArray([tauMem]),
        r: nirArray([1]),
        v_leak: nirArray([0]),
        v_threshold: nirArray([threshold]),
        w_in: nirArray([1]),
      },
      metadata: {},
    },
    output: { type: 'Output', params: { shape: nirIntArray([1]) }, metadata: {} },
  },
  edges: [['input', 'fc'], ['fc', 'lif'], ['lif', 'output']],
  metadata: {},
});

/** The first t in [0, peak] with v(t) ≥ θ, by bisection (v rises until its peak). */
const bisect = (v: (t: number) => number, peak: number, threshold: number): number => {
  let lo = 0;
  let hi = peak;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (v(mid) >= threshold) hi = mid;
    else lo = mid;
  }
  return hi;
};

describe('simulateNirGraph', () => {
  it('τ_syn ≠ τ_mem: the first crossing of v = R·W·(e^(−s/τs) − e^(−s/τm))/(τs − τm), within the step', () => {
    const [W, ts, tm, theta, t0] = [2, 0.5, 1, 0.4, 0.3];
    const v = (s: number) => (W * (Math.exp(-s / ts) - Math.exp(-s / tm))) / (ts - tm);
    const peak = ((ts * tm) / (tm - ts)) * Math.log(tm / ts);
    const expected = t0 + bisect(v, peak, theta);
    for (const dt of [1e-3, 5e-2]) {
      const got = simulateNirGraph(oneNeuron(W, ts, tm, theta), { input: [t0] }, { dt }).lif[0];
      expect(Math.abs(got - expected)).toBeLessThanOrEqual(dt);
    }
    // above the peak (v(peak) = 1 here): silent
    expect(simulateNirGraph(oneNeuron(W, ts, tm, 1.01), { input: [t0] }, { dt: 1e-3 }).lif[0]).toBe(Infinity);
    // no input spike: silent
    expect(simulateNirGraph(oneNeuron(W, ts, tm, theta), { input: [Infinity] }, { dt: 1e-3 }).lif[0]).toBe(Infinity);
  });

  it('refuses a cycle and a node it does not simulate', () => {
    const g = oneNeuron(1, 1, 1, 0.1);
    expect(() => simulateNirGraph({ ...g, edges: [...g.edges, ['lif', 'fc']] }, { input: [0] }, { dt: 1e-3 })).toThrow(/cycle through node/);
    const lif = { ...g, nodes: { ...g.nodes, lif: { ...g.nodes.lif, type: 'LIF' } } };
    expect(() => simulateNirGraph(lif, { input: [0] }, { dt: 1e-3 })).toThrow(/node "lif" \(LIF\) is not simulated/);
  });
});
