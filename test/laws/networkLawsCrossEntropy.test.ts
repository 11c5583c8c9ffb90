/**
 * The network laws on 4-layer networks (input, two hidden layers, output) with the classifier's
 * objective, the first-spike cross-entropy: the reverse pass matches central finite differences,
 * and fails for deliberately broken gradients.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type GradientFn, type NetworkLawStats, engineCrossEntropyGradient, networkLaws } from '../../laws/networkLaws.ts';

const params = { numRuns: 200, seed: 20260131 };
const opts = { loss: 'cross-entropy', layers: 4 } as const;

/** Broken: the error signal with the wrong sign (gradient ascent on the loss). */
const ascending: GradientFn = (net, input, target, latency) =>
  engineCrossEntropyGradient(net, input, target, latency).map((g) => -g);

/** Broken: the first hidden layer's weights get no gradient (propagation stops one layer early). */
const shallow: GradientFn = (net, input, target, latency) => {
  const g = engineCrossEntropyGradient(net, input, target, latency);
  g.fill(0, 0, net.weights[0].length);
  return g;
};

describe('network laws, 4 layers, first-spike cross-entropy', () => {
  const stats: NetworkLawStats = { compared: 0, nonZero: 0 };
  for (const law of networkLaws(opts, stats)) {
    it(`engine: ${law.name}`, () => {
      fc.assert(law.property, params);
    });
  }

  it('is not vacuous: it compared many non-zero derivatives', () => {
    expect(stats.compared).toBeGreaterThan(1000);
    expect(stats.nonZero).toBeGreaterThan(200);
  });

  it.each([
    ['the error signal with the wrong sign', ascending],
    ['no gradient for the first layer', shallow],
  ])('fails for a broken reverse pass: %s', (_, gradient) => {
    const results = networkLaws({ ...opts, gradient }).map((l) => fc.check(l.property, params));
    expect(results.some((r) => r.failed)).toBe(true);
  });
});
