/**
 * Any neuron model through a network: the network laws (reverse pass ≡ finite differences) for
 * the alpha fast path, and for the generic path with the dual-exponential model and the
 * user-written model of examples/custom-neuron-laws.ts; each fails for a broken reverse pass.
 * And the generic path run on the alpha model reproduces the fast path.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { integrateAndFireModel } from '../../examples/custom-neuron-laws.ts';
import {
  type GradientFn,
  type NetworkLawStats,
  engineGradient,
  networkCaseArbitrary,
  networkLaws,
} from '../../laws/networkLaws.ts';
import { alphaModel } from '../../src/kernels/alpha.ts';
import { dualExponentialModel } from '../../src/kernels/dualExponential.ts';
import type { NeuronModel } from '../../src/kernels/neuronModel.ts';
import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import { decodeSavedModel, savedModelOf } from '../../src/model/codecs.ts';
import { forward, forwardInto } from '../../src/model/forward.ts';
import { emptyNetwork, networkFromParams } from '../../src/model/network.ts';
import { allocTape } from '../../src/model/tape.ts';
import { type BackwardParams, backwardInto, gradientViews } from '../../src/model/backward.ts';
import type { Network } from '../../src/model/network.ts';
import { autoencoderErrorInto } from '../../src/train/loss.ts';

const params = { numRuns: 150, seed: 1105 };

/** Broken: weight gradients with the wrong sign. */
const flippedWeights: GradientFn = (net, input, target, latency) => {
  const g = engineGradient(net, input, target, latency);
  for (let i = 0; i < net.weightCount; i++) g[i] = -g[i];
  return g;
};

const models: readonly NeuronModel[] = [alphaModel, dualExponentialModel, integrateAndFireModel];

for (const neuron of models) {
  describe(`network laws, ${neuron.name} networks`, () => {
    const stats: NetworkLawStats = { compared: 0, nonZero: 0 };
    for (const law of networkLaws({ neuron }, stats)) {
      it(law.name, () => fc.assert(law.property, params));
    }
    it('is not vacuous: it compared many non-zero derivatives', () => {
      expect(stats.compared).toBeGreaterThan(300);
      expect(stats.nonZero).toBeGreaterThan(100);
    });
    it('fails for a broken reverse pass (weight gradients with the wrong sign)', () => {
      const results = networkLaws({ neuron, gradient: flippedWeights }).map((l) => fc.check(l.property, params));
      expect(results.some((r) => r.failed)).toBe(true);
    });
  });
}

describe('generic layer path', () => {
  // The alpha model under another identity: the network runs it through the generic path.
  const alphaViaContract: NeuronModel = { ...alphaModel, name: 'alpha via the contract' };

  it('on the alpha model gives the fast path’s spike times bit for bit and its gradient', () => {
    let spikes = 0;
    fc.assert(
      fc.property(networkCaseArbitrary(), (c) => {
        const generic = networkFromParams({ ...c.net, neuron: alphaViaContract }, c.net.params);
        const fast = forward(c.net, c.input);
        const slow = forward(generic, c.input);
        expect(slow.tape.models).toHaveLength(c.net.weights.length);
        expect(fast.tape.models).toHaveLength(0);
        for (const [l, times] of fast.layerTimes.entries()) {
          for (let k = 0; k < times.length; k++) {
            if (!Object.is(times[k], slow.layerTimes[l][k])) return false;
            if (times[k] !== Infinity) spikes++;
          }
        }
        const gFast = engineGradient(c.net, c.input, c.target, c.latency);
        const gSlow = engineGradient(generic, c.input, c.target, c.latency);
        return gFast.every((g, i) => Math.abs(g - gSlow[i]) <= 1e-12 * (1 + Math.abs(g)));
      }),
      { numRuns: 300, seed: 7 },
    );
    expect(spikes).toBeGreaterThan(200);
  });
});

describe("the first layer's error terms", () => {
  const run = (c: { net: Network; input: Float64Array; target: Float64Array; latency: number }, p: BackwardParams) => {
    const r = forward(c.net, c.input);
    autoencoderErrorInto(r.tape.deltaOut, r.output, c.target, c.latency);
    const grad = new Float64Array(c.net.params.length);
    backwardInto(gradientViews(c.net, grad), r.tape, c.net, p);
    return { grad, first: r.tape.deltaIn[0] };
  };
  const base = { clipDerivative: 0, clipGradient: 0, penaltyNoSpike: 0.5 };

  for (const neuron of models) {
    it(`${neuron.name}: by default only the pulses' (the image's stay 0); inputErrorFrom 0 gives all, and the same gradient bit for bit`, () => {
      let imageTerms = 0;
      fc.assert(
        fc.property(networkCaseArbitrary(false, neuron), (c) => {
          const lean = run(c, base);
          const all = run(c, { ...base, inputErrorFrom: 0 });
          const nReg = c.net.layerSizes[0];
          if (all.first.subarray(0, nReg).some((x) => x !== 0)) imageTerms++;
          return (
            lean.grad.every((g, i) => Object.is(g, all.grad[i])) &&
            lean.first.every((x, j) => (j < nReg ? x === 0 : Object.is(x, all.first[j])))
          );
        }),
        { numRuns: 150, seed: 31 },
      );
      expect(imageTerms).toBeGreaterThan(20); // the skipped terms are not all 0 anyway
    });
  }
});

describe('saved models record the neuron model', () => {
  const spec = { layerSizes: [3, 2], nPulses: 1, decayRate: 1, threshold: 0.3 };

  it('round-trips a dual-exponential network; a file without network.neuron loads as alpha', () => {
    const net = emptyNetwork({ ...spec, neuron: dualExponentialModel });
    net.params.set([0.5, 1, -1, 2, 0.25, 0.75, 1.5, 0.4]);
    const saved = savedModelOf(net);
    expect(saved.network.neuron).toBe('dual-exponential');
    const back = decodeSavedModel(JSON.parse(JSON.stringify(saved)));
    expect(isRight(back) && back.right.network.neuron).toBe(dualExponentialModel);
    expect(isRight(back) && [...back.right.network.params]).toEqual([...net.params]);
    const { neuron: _, ...oldNetwork } = saved.network;
    const old = decodeSavedModel({ ...saved, network: oldNetwork });
    expect(isRight(old) && old.right.network.neuron).toBe(alphaModel);
  });

  it('a user model loads when passed by name, and is refused with the known names otherwise', () => {
    const saved = savedModelOf(emptyNetwork({ ...spec, neuron: integrateAndFireModel }));
    const refused = decodeSavedModel(saved);
    expect(isLeft(refused) && refused.left[0]).toMatch(/network\.neuron: unknown neuron model "non-leaky integrate-and-fire" \(known: alpha, dual-exponential\)/);
    const loaded = decodeSavedModel(saved, { [integrateAndFireModel.name]: integrateAndFireModel });
    expect(isRight(loaded) && loaded.right.network.neuron).toBe(integrateAndFireModel);
  });

  it('a tape allocated for another model is refused, not silently misread', () => {
    const alphaNet = emptyNetwork(spec);
    const dualNet = networkFromParams({ ...alphaNet, neuron: dualExponentialModel }, alphaNet.params);
    expect(() => forwardInto(allocTape(alphaNet), dualNet, [0, 0.1, 0.2])).toThrow(/no derivative record for the dual-exponential model/);
  });
});
