/**
 * Spike dynamics and weights of trained spiking autoencoders (figures 8–10):
 * - spike-time histograms of the hidden neurons over test images, and the pulse times;
 * - membrane potentials V(t) = Σ w_i (t − t_i) e^(−K (t − t_i)) of output neurons over time
 *   (alphaPotential), with the hidden spikes and pulses that drive them;
 * - weight histograms of regular inputs vs pulses, in the encoder and the decoder.
 */
import type { EncodedExamples } from '../data/noise.ts';
import { alphaPotential } from '../kernels/alpha.ts';
import { forwardInto } from '../model/forward.ts';
import type { Network } from '../model/network.ts';
import { allocTape } from '../model/tape.ts';

export interface Histogram {
  readonly centers: number[];
  /** Fraction of the values per bin (sums to 1 over finite, in-range values). */
  readonly density: number[];
  readonly count: number;
}

export const histogram = (values: ArrayLike<number>, lo: number, hi: number, bins: number): Histogram => {
  const counts = new Float64Array(bins);
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v) || v < lo || v > hi) continue;
    counts[Math.min(bins - 1, Math.floor(((v - lo) / (hi - lo)) * bins))]++;
    n++;
  }
  const w = (hi - lo) / bins;
  return {
    centers: Array.from({ length: bins }, (_, b) => lo + (b + 0.5) * w),
    density: Array.from(counts, (c) => (n > 0 ? c / n : 0)),
    count: n,
  };
};

/** Hidden spike times (finite ones) over the first `count` examples, and the silent fraction. */
export const hiddenSpikeTimes = (net: Network, set: EncodedExamples, count: number): { times: Float64Array; silentFraction: number } => {
  const n = Math.min(count, set.count);
  const h = net.layerSizes[1];
  const tape = allocTape(net);
  const x = new Float64Array(net.layerSizes[0]);
  const times = new Float64Array(n * h);
  let k = 0;
  for (let i = 0; i < n; i++) {
    forwardInto(tape, net, set.inputInto(x, i));
    const t = tape.layers[0].post.spikeTime;
    for (let j = 0; j < h; j++) if (t[j] !== Infinity) times[k++] = t[j];
  }
  return { times: times.slice(0, k), silentFraction: n * h > 0 ? 1 - k / (n * h) : 0 };
};

export interface WeightGroups {
  readonly encoderRegular: Float64Array;
  readonly encoderPulse: Float64Array;
  readonly decoderRegular: Float64Array;
  readonly decoderPulse: Float64Array;
}

/** Weights split by layer and by kind of presynaptic input (regular neuron or pulse). */
export const weightGroups = (net: Network): WeightGroups => {
  const split = (l: number) => {
    const nReg = net.layerSizes[l];
    const width = nReg + net.nPulses[l];
    const w = net.weights[l];
    const reg: number[] = [];
    const pul: number[] = [];
    for (let k = 0; k < w.length; k++) (k % width < nReg ? reg : pul).push(w[k]);
    return [Float64Array.from(reg), Float64Array.from(pul)] as const;
  };
  const [encoderRegular, encoderPulse] = split(0);
  const [decoderRegular, decoderPulse] = split(1);
  return { encoderRegular, encoderPulse, decoderRegular, decoderPulse };
};

export interface PotentialTrace {
  readonly neuron: number;
  readonly t: number[];
  readonly v: number[];
  readonly spikeTime: number;
}

export interface PotentialTraces {
  readonly traces: readonly PotentialTrace[];
  /** Input spike times of the decoder: hidden neurons (finite) and pulses. */
  readonly hiddenSpikes: number[];
  readonly pulses: number[];
  readonly threshold: number;
}

/** V(t) of output neurons `neurons` for example `i`, sampled at `steps` points of [0, tMax]. */
export const outputPotentials = (
  net: Network,
  set: EncodedExamples,
  i: number,
  neurons: readonly number[],
  tMax: number,
  steps: number,
): PotentialTraces => {
  const tape = allocTape(net);
  const x = new Float64Array(net.layerSizes[0]);
  forwardInto(tape, net, set.inputInto(x, i));
  const dec = tape.layers[1];
  const inputTimes = dec.inputTimes;
  const width = inputTimes.length;
  const params = { decayRate: net.decayRate, threshold: net.threshold };
  const traces = neurons.map((k) => {
    const w = net.weights[1].subarray(k * width, (k + 1) * width);
    const t: number[] = [];
    const v: number[] = [];
    for (let s = 0; s <= steps; s++) {
      const ts = (tMax * s) / steps;
      t.push(ts);
      v.push(alphaPotential(params, inputTimes, w, ts));
    }
    return { neuron: k, t, v, spikeTime: dec.post.spikeTime[k] };
  });
  const h = net.layerSizes[1];
  return {
    traces,
    hiddenSpikes: Array.from(inputTimes.subarray(0, h)).filter(Number.isFinite),
    pulses: Array.from(net.pulses[1]),
    threshold: net.threshold,
  };
};
