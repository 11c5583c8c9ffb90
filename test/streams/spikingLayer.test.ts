/**
 * stream ≡ batch: the spikingLayer/spikingNetwork operators give exactly the spike times of
 * `forward`, however the sample is chunked and in whatever order equal-time spikes arrive; and
 * each output spike is emitted as soon as it is certain (virtual-time marble tests).
 */
import fc from 'fast-check';
import { from, lastValueFrom, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { networkCaseArbitrary } from '../../laws/networkLaws.ts';
import { chopSpikes } from './eventKit.ts';
import { forward } from '../../src/model/forward.ts';
import { emptyNetwork } from '../../src/model/network.ts';
import {
  type NeuronSpike,
  type NeuronSpikeChunk,
  layerOf,
  spikingLayer,
  spikingNetwork,
} from '../../streams/operators/spikingLayer.ts';

/** The sample's spikes in time order, ties shuffled by `perm`, cut into chunks by `cuts`. */
const toSample = (times: Float64Array, perm: number[], cuts: number[]): (NeuronSpike | NeuronSpikeChunk)[] =>
  chopSpikes(
    Array.from(times, (time, neuron) => ({ neuron, time }))
      .filter((s) => s.time !== Infinity)
      .map((s, i) => ({ ...s, key: perm[i % perm.length] }))
      .sort((a, b) => a.time - b.time || a.key - b.key)
      .map(({ neuron, time }) => ({ neuron, time })),
    cuts,
  );

const timesByNeuron = (spikes: NeuronSpike[], n: number): number[] => {
  const t = new Array<number>(n).fill(Infinity);
  for (const s of spikes) t[s.neuron] = s.time;
  return t;
};

describe('spikingLayer ≡ forward', () => {
  it('same spike times for random networks, chunkings and tie orders; time-ordered, once per neuron', async () => {
    let spikesCompared = 0;
    await fc.assert(
      fc.asyncProperty(
        networkCaseArbitrary(),
        fc.array(fc.nat(1000), { minLength: 1, maxLength: 20 }),
        fc.array(fc.nat(5), { minLength: 1, maxLength: 6 }),
        async (c, perm, cuts) => {
          const batch = forward(c.net, c.input);
          const out = await lastValueFrom(from(toSample(c.input, perm, cuts)).pipe(spikingNetwork(c.net), toArray()));
          for (let i = 1; i < out.length; i++) {
            if (out[i].time < out[i - 1].time) return false;
          }
          if (new Set(out.map((s) => s.neuron)).size !== out.length) return false;
          const streamed = timesByNeuron(out, batch.output.length);
          spikesCompared += out.length;
          return streamed.every((t, k) => Object.is(t, batch.output[k]));
        },
      ),
      { numRuns: 300, seed: 5 },
    );
    expect(spikesCompared).toBeGreaterThan(100);
  });

  it('each layer alone matches the batch layer (hidden layers too)', async () => {
    await fc.assert(
      fc.asyncProperty(networkCaseArbitrary(), async (c) => {
        const batch = forward(c.net, c.input);
        let input = c.input;
        for (let l = 0; l < c.net.weights.length; l++) {
          const out = await lastValueFrom(from(toSample(input, [0], [0])).pipe(spikingLayer(layerOf(c.net, l)), toArray()));
          const t = timesByNeuron(out, c.net.layerSizes[l + 1]);
          if (!t.every((x, k) => Object.is(x, batch.layerTimes[l][k]))) return false;
          input = Float64Array.from(t);
        }
        return true;
      }),
      { numRuns: 200, seed: 6 },
    );
  });

  it('bit-identical with heavy ties (40 inputs on 4 time values, shuffled within ties)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom(0.125, 0.25, 0.5, Infinity), { minLength: 40, maxLength: 40 }),
        fc.array(fc.double({ min: -1, max: 1.5, noNaN: true }), { minLength: 40 * 6, maxLength: 40 * 6 }),
        fc.array(fc.nat(1000), { minLength: 40, maxLength: 40 }),
        async (times, weights, perm) => {
          const net = emptyNetwork({ layerSizes: [40, 6], nPulses: 0, decayRate: 1, threshold: 0.3 });
          net.weights[0].set(weights);
          const input = Float64Array.from(times);
          const batch = forward(net, input).output;
          const out = await lastValueFrom(from(toSample(input, perm, [3, 0, 7])).pipe(spikingNetwork(net), toArray()));
          return timesByNeuron(out, 6).every((t, k) => Object.is(t, batch[k]));
        },
      ),
      { numRuns: 200, seed: 7 },
    );
  });

  it('reports out-of-order and out-of-range input as errors', async () => {
    const net = emptyNetwork({ layerSizes: [2, 1], nPulses: 0, decayRate: 1, threshold: 1 });
    const layer = spikingLayer(layerOf(net, 0));
    await expect(lastValueFrom(from([{ neuron: 0, time: 0.5 }, { neuron: 1, time: 0.2 }]).pipe(layer))).rejects.toThrow(/time order/);
    await expect(lastValueFrom(from([{ neuron: 5, time: 0.5 }]).pipe(layer))).rejects.toThrow(/outside 0..1/);
  });
});

describe('spikingLayer promptness (virtual time)', () => {
  // one input neuron with a strong weight: the post neuron fires at about 0.11 after an input at 0.1
  const net = emptyNetwork({ layerSizes: [2, 1], nPulses: 0, decayRate: 1, threshold: 0.01 });
  net.weights[0].set([1, 0]);
  const fired = forward(net, [0.1, 0.9]).output[0];

  it('emits a spike when the first later input arrives, not at the end of the sample', () => {
    new TestScheduler((a, b) => expect(a).toEqual(b)).run(({ cold, expectObservable }) => {
      const input = cold('-a---b---|', { a: { neuron: 0, time: 0.1 }, b: { neuron: 1, time: 0.9 } });
      expectObservable(input.pipe(spikingLayer(layerOf(net, 0)))).toBe('-----x---|', { x: { neuron: 0, time: fired } });
    });
  });

  it('emits at completion when no later input comes', () => {
    new TestScheduler((a, b) => expect(a).toEqual(b)).run(({ cold, expectObservable }) => {
      const input = cold('-a------|', { a: { neuron: 0, time: 0.1 } });
      expectObservable(input.pipe(spikingLayer(layerOf(net, 0)))).toBe('--------(x|)', { x: { neuron: 0, time: fired } });
    });
  });
});
