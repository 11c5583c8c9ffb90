/**
 * The stream ≡ batch law, for networks of any neuron model: the RxJS operators
 * `spikingNetwork`/`spikingLayer` (input spikes as they arrive, incremental layer kernels) give
 * exactly the spike times of the batch `forward` pass — bit for bit (`Object.is`), not within a
 * tolerance — however the sample is cut into chunks and in whatever order equal-time spikes
 * arrive; and the operator emits each output neuron at most once, in time order.
 *
 * Domain: the small random networks of {@link networkCaseArbitrary} (any depth, pulses, silent
 * neurons, inputs on a 1/16 grid for ties, inputs that never spike) of the given model; a tie
 * permutation and a chunking. No exclusion rule, no tolerance.
 *
 * ## Example
 * ```ts
 * for (const law of streamLaws({ neuron: myModel })) it(law.name, () => assertLaw(law, { seed: 1 }));
 * ```
 */
import fc from 'fast-check';
import { from } from 'rxjs';
import { alphaModel } from '../src/kernels/alpha.ts';
import type { NeuronModel } from '../src/kernels/neuronModel.ts';
import { forward } from '../src/model/forward.ts';
import { type Spike, type Spikes, spikeChunkFrom } from '../streams/spike.ts';
import { type NeuronSpike, layerOf, spikingLayer, spikingNetwork } from '../streams/operators/spikingLayer.ts';
import { type Law, expectLaw, makeLaw } from './law.ts';
import { type NetworkCase, networkCaseArbitrary } from './networkLaws.ts';

/**
 * Spikes cut into items: cuts[c] = 0 gives one single spike, n > 0 a chunk of n spikes (cycling
 * through `cuts`).
 */
export const chopSpikes = (spikes: readonly Spike[], cuts: readonly number[]): Spikes[] => {
  const out: Spikes[] = [];
  let i = 0;
  let c = 0;
  while (i < spikes.length) {
    const n = cuts[c++ % cuts.length];
    if (n === 0) out.push(spikes[i++]);
    else {
      out.push(spikeChunkFrom(spikes.slice(i, i + n)));
      i += n;
    }
  }
  return out;
};

/**
 * One sample's first-spike times as a stream of items: time order, equal times ordered by `perm`
 * (keys cycling over the spikes), cut by `cuts` ({@link chopSpikes}); NO_SPIKE inputs left out.
 */
export const sampleItems = (times: ArrayLike<number>, perm: readonly number[], cuts: readonly number[]): Spikes[] =>
  chopSpikes(
    Array.from(times, (time, neuron) => ({ neuron, time }))
      .filter((s) => s.time !== Infinity)
      .map((s, i) => ({ ...s, key: perm[i % perm.length] }))
      .sort((a, b) => a.time - b.time || a.key - b.key)
      .map(({ neuron, time }) => ({ neuron, time })),
    cuts,
  );

/** Runs a sample through an operator synchronously (`from` of an array emits at once). */
const runSync = (items: readonly Spikes[], op: ReturnType<typeof spikingNetwork>): NeuronSpike[] => {
  const out: NeuronSpike[] = [];
  let failure: unknown = null;
  from(items).pipe(op).subscribe({ next: (s) => out.push(s), error: (e) => (failure = e) });
  if (failure !== null) throw failure;
  return out;
};

/** Output spikes → first-spike times per neuron (NO_SPIKE where none). */
export const spikeTimesByNeuron = (spikes: readonly NeuronSpike[], n: number): number[] => {
  const t = new Array<number>(n).fill(Infinity);
  for (const s of spikes) t[s.neuron] = s.time;
  return t;
};

export interface StreamLawOptions {
  /** The neuron model of the random networks (default: the alpha neuron). */
  readonly neuron?: NeuronModel;
  /** Counts the output spikes compared (to show a run was not vacuous). */
  readonly stats?: { spikes: number };
}

export interface StreamCase {
  readonly c: NetworkCase;
  readonly perm: readonly number[];
  readonly cuts: readonly number[];
}

const differsAt = (streamed: readonly number[], batch: ArrayLike<number>): number =>
  streamed.findIndex((t, k) => !Object.is(t, batch[k]));

/** The named stream ≡ batch laws for networks of `opts.neuron`. */
export const streamLaws = (opts: StreamLawOptions = {}): Law<StreamCase>[] => {
  const neuron = opts.neuron ?? alphaModel;
  const arbitrary = fc.record({
    c: networkCaseArbitrary(false, neuron),
    perm: fc.array(fc.nat(1000), { minLength: 1, maxLength: 20 }),
    cuts: fc.array(fc.nat(5), { minLength: 1, maxLength: 6 }),
  });
  return [
    makeLaw(
      'streamNetworkEqualsBatch',
      `spikingNetwork (${neuron.name}) emits the batch forward pass's output spike times bit for bit, in time order, once per neuron`,
      'Random networks, tie orders and chunkings; exact equality (Object.is), no exclusions.',
      arbitrary,
      ({ c, perm, cuts }) => {
        const batch = forward(c.net, c.input).output;
        const out = runSync(sampleItems(c.input, perm, cuts), spikingNetwork(c.net));
        for (let i = 1; i < out.length; i++) {
          expectLaw(out[i].time >= out[i - 1].time, () => `output spike ${i} at ${out[i].time} after one at ${out[i - 1].time}`);
        }
        expectLaw(new Set(out.map((s) => s.neuron)).size === out.length, () => 'an output neuron was emitted twice');
        if (opts.stats) opts.stats.spikes += out.length;
        const streamed = spikeTimesByNeuron(out, batch.length);
        const k = differsAt(streamed, batch);
        expectLaw(k < 0, () => `output neuron ${k}: stream ${streamed[k]}, batch ${batch[k]}`);
        return true;
      },
    ),
    makeLaw(
      'streamLayerEqualsBatch',
      `each spikingLayer (${neuron.name}) alone gives the batch layer's spike times bit for bit (hidden layers too)`,
      'Random networks, inputs in time order; exact equality (Object.is), no exclusions.',
      arbitrary,
      ({ c }) => {
        const batch = forward(c.net, c.input);
        let input: ArrayLike<number> = c.input;
        for (let l = 0; l < c.net.weights.length; l++) {
          const out = runSync(sampleItems(input, [0], [0]), spikingLayer(layerOf(c.net, l)));
          if (opts.stats) opts.stats.spikes += out.length;
          const t = spikeTimesByNeuron(out, c.net.layerSizes[l + 1]);
          const k = differsAt(t, batch.layerTimes[l]);
          expectLaw(k < 0, () => `layer ${l + 1}, neuron ${k}: stream ${t[k]}, batch ${batch.layerTimes[l][k]}`);
          input = t;
        }
        return true;
      },
    ),
  ];
};
