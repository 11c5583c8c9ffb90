/**
 * The network laws hold for the engine and fail for deliberately broken reverse passes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type GradientFn,
  type NetworkLawStats,
  engineGradient,
  networkLaws,
} from '../../laws/networkLaws.ts';

const params = { numRuns: 400, seed: 20210513 };

/** Broken: pulse gradients with the wrong sign. */
const flippedPulses: GradientFn = (net, input, target, latency) => {
  const g = engineGradient(net, input, target, latency);
  for (let i = net.weightCount; i < g.length; i++) g[i] = -g[i];
  return g;
};

/** Broken: the gradient of the neighbouring parameter. */
const shifted: GradientFn = (net, input, target, latency) => {
  const g = engineGradient(net, input, target, latency);
  return Float64Array.from(g, (_, i) => g[(i + 1) % g.length]);
};

/** Broken: the reverse pass forgets to propagate through hidden layers (only the last layer). */
const lastLayerOnly: GradientFn = (net, input, target, latency) => {
  const g = engineGradient(net, input, target, latency);
  const lastStart = net.weights.slice(0, -1).reduce((s, w) => s + w.length, 0);
  for (let i = 0; i < lastStart; i++) g[i] = 0;
  for (let l = 0; l < net.pulses.length - 1; l++) {
    // zero the pulse gradients of the earlier layers too
    const start = net.weightCount + net.pulses.slice(0, l).reduce((s, p) => s + p.length, 0);
    for (let i = 0; i < net.pulses[l].length; i++) g[start + i] = 0;
  }
  return g;
};

describe('network laws', () => {
  const stats: NetworkLawStats = { compared: 0, nonZero: 0 };
  for (const law of networkLaws({}, stats)) {
    it(`engine: ${law.name}`, () => {
      fc.assert(law.property, params);
    });
  }

  it('is not vacuous: it compared many non-zero derivatives', () => {
    console.log(`network laws compared ${stats.compared} derivatives, ${stats.nonZero} non-zero`);
    expect(stats.compared).toBeGreaterThan(2000);
    expect(stats.nonZero).toBeGreaterThan(500);
  });

  it.each([
    ['pulse gradients with the wrong sign', flippedPulses],
    ['the gradient of the neighbouring parameter', shifted],
    ['no propagation through hidden layers', lastLayerOnly],
  ])('fails for a broken reverse pass: %s', (_, gradient) => {
    const results = networkLaws({ gradient }).map((l) => fc.check(l.property, params));
    expect(results.some((r) => r.failed)).toBe(true);
  });
});
