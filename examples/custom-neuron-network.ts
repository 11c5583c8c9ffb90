/**
 * Your own neuron model, end to end: define it, prove it with the law suites, train a small
 * network of it, and stream a sample through the trained network.
 *
 * The model here is the non-leaky "ramp" neuron: every input adds a constant current, so the
 * potential grows linearly after each input (time and weights dimensionless):
 *
 *     V(t) = Σ_{t_i < t} w_i · (t − t_i)
 *
 * Over the first k inputs (in time order) write S = Σ w_i and B = Σ w_i t_i: V(t) = S t − B
 * between inputs, a straight line. It crosses θ in [t_k, t_next] iff S > 0 and
 * V(t_next) = S t_next − B ≥ θ, at t* = (θ + B) / S. Implicit differentiation of V(t*) = θ with
 * V'(t*) = S gives, for every input with t_i < t*,
 *
 *     ∂t*∂w_i = −(t* − t_i) / S    (≤ 0: more weight, earlier spike)
 *     ∂t*∂t_i =  w_i / S           (they sum to 1)
 *
 * The model ignores the decay rate (it has no leak). Networks of it run on spikeline's generic
 * layer path: forward pass with a tape, reverse pass, Adam, and the `spikingNetwork` operator.
 *
 * Run: `npx tsx examples/custom-neuron-network.ts` (exit code 0 when every law holds and training
 * lowered the loss).
 */
import { pathToFileURL } from 'node:url';
import { from, lastValueFrom, toArray } from 'rxjs';
import { type LawReport, checkLaws, networkLaws, neuronModelLaws, streamLaws } from 'spikeline/laws';
import {
  DEFAULT_ADAM,
  NO_SPIKE,
  type NeuronModel,
  type TrainHyper,
  allocAdamState,
  arrayExampleSet,
  autoencoderObjective,
  createTrainContext,
  evaluateExamples,
  fire,
  forward,
  gaussianSampler,
  initNetwork,
  trainStep,
} from 'spikeline';
import { type NeuronSpike, spikeChunkFromTimes, spikingNetwork } from 'spikeline/streams';

/** The ramp neuron as a NeuronModel: potential, and the sorted-input scan with its derivatives. */
export const rampModel: NeuronModel = {
  name: 'ramp',
  monotoneInWeights: true, // ∂V/∂w_i = t − t_i ≥ 0 and V'(t*) = S > 0
  potential: (_params, inputTimes, weights, t) => {
    let v = 0;
    for (let i = 0; i < inputTimes.length; i++) if (t > inputTimes[i]) v += weights[i] * (t - inputTimes[i]);
    return v;
  },
  fireSortedInto: (out, { threshold }, times, weights, n) => {
    out.dSpikeTime_dWeight.fill(0, 0, n);
    out.dSpikeTime_dInput.fill(0, 0, n);
    out.spikeTime = NO_SPIKE;
    let s = 0;
    let b = 0;
    let count = 0;
    for (; count < n && times[count] !== NO_SPIKE; count++) {
      const tk = times[count];
      s += weights[count];
      b += weights[count] * tk;
      const tNext = count + 1 < n ? times[count + 1] : NO_SPIKE;
      if (s > 0 && (tNext === NO_SPIKE || s * tNext - b >= threshold)) {
        // the sign test decided; clamp the root into the interval against rounding
        out.spikeTime = Math.min(tNext, Math.max(tk, (threshold + b) / s));
        count++;
        break;
      }
    }
    out.causalCount = count;
    if (out.spikeTime === NO_SPIKE) return out;
    for (let i = 0; i < count; i++) {
      out.dSpikeTime_dWeight[i] = -(out.spikeTime - times[i]) / s;
      out.dSpikeTime_dInput[i] = weights[i] / s;
    }
    return out;
  },
};

/** 16 "bump" patterns over 8 inputs: input j spikes later the further it is from the centre. */
const patterns = (): Float64Array[] =>
  Array.from({ length: 16 }, (_, p) =>
    Float64Array.from({ length: 8 }, (_, j) => Math.min(1, 0.1 + 0.15 * Math.abs(j - p / 2))),
  );

export interface CustomNetworkResult {
  readonly laws: readonly LawReport[];
  readonly lossBefore: number;
  readonly lossAfter: number;
  /** Output spike times of pattern 0: streamed, and from the batch forward pass. */
  readonly streamed: readonly number[];
  readonly batch: readonly number[];
}

export const main = async (log: (line: string) => void = console.log, numRuns = 40): Promise<CustomNetworkResult> => {
  const one = fire(rampModel, { decayRate: 1, threshold: 1 }, [0, 0.5, Infinity], [1, 2, 3]);
  log(`one ramp neuron: spike at ${one.spikeTime.toFixed(4)}, ${one.causalCount} causal inputs`);

  // 1. prove it: the single-neuron laws, then networks of it (gradient, stream ≡ batch)
  const params = { numRuns, seed: 2026 };
  const laws = [
    ...checkLaws(neuronModelLaws(rampModel), params),
    ...checkLaws(networkLaws({ neuron: rampModel }), params),
    ...checkLaws(streamLaws({ neuron: rampModel }), params),
  ];
  for (const r of laws) {
    log(`${r.passed ? 'ok  ' : 'FAIL'} ${r.name} (${r.numRuns} runs, ${r.numSkips} skipped)`);
    if (r.message !== null) log(r.message);
  }

  // 2. train an 8-4-8 autoencoder of ramp neurons with Adam (output time = 1 + input time)
  const data = patterns();
  const set = arrayExampleSet(data, data);
  const net = initNetwork(
    { layerSizes: [8, 4, 8], nPulses: 2, decayRate: 1, threshold: 0.5, neuron: rampModel },
    { nonpulseWeightMeanMultiplier: 1, pulseWeightMeanMultiplier: 0, inputRange: 1 },
    gaussianSampler(7),
  );
  const objective = autoencoderObjective(1);
  const hyper: TrainHyper = { learningRate: 0.01, learningRatePulses: 0.01, ...DEFAULT_ADAM, clipDerivative: 100, clipGradient: 0, penaltyNoSpike: 0.01 };
  const ctx = createTrainContext(net, objective, hyper, allocAdamState(net.params.length));
  const lossBefore = evaluateExamples(net, objective, set);
  const order = Int32Array.from({ length: set.count }, (_, i) => i);
  for (let epoch = 0; epoch < 150; epoch++) {
    for (let from = 0; from < set.count; from += 4) trainStep(ctx, set, order, from, from + 4);
  }
  const lossAfter = evaluateExamples(net, objective, set);
  log(`training 150 epochs of 16 patterns: loss ${lossBefore.toFixed(4)} → ${lossAfter.toFixed(4)}`);

  // 3. stream pattern 0 through the trained network, as spikes arriving in time order
  const out: NeuronSpike[] = await lastValueFrom(from([spikeChunkFromTimes(data[0])]).pipe(spikingNetwork(net), toArray()));
  const streamed = new Array<number>(8).fill(NO_SPIKE);
  for (const s of out) streamed[s.neuron] = s.time;
  const batch = Array.from(forward(net, data[0]).output);
  log(`pattern 0 target  ${Array.from(data[0], (t) => (1 + t).toFixed(3)).join(' ')}`);
  log(`streamed output   ${streamed.map((t) => t.toFixed(3)).join(' ')}`);
  log(`streamed = batch: ${streamed.every((t, k) => Object.is(t, batch[k]))}`);
  return { laws, lossBefore, lossAfter, streamed, batch };
};

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const r = await main();
  process.exitCode = r.laws.every((l) => l.passed) && r.lossAfter < r.lossBefore ? 0 : 1;
}
