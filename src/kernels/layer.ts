/**
 * The event-driven alpha layer kernel (the fast path; any other neuron model runs on the generic
 * path, `layerModel.ts`): time-sorted presynaptic spikes → postsynaptic alpha-neuron spike times,
 * recording on a tape what the reverse pass needs.
 *
 * A layer has `nIn` presynaptic inputs (regular neurons, then synchronisation pulses) and `nOut`
 * postsynaptic neurons; `weights` is row-major `nOut × nIn` (row = post neuron). The presynaptic
 * times are sorted once (stable: ties keep input order, pulses after regular inputs) and
 * `e^(K t)` is computed once per input; every post neuron then scans that shared order
 * ({@link alphaSpikeInto4}, four neurons per pass; the rest by {@link alphaSpikeInto}). The scan
 * is one function in two widths, `alphaScanInto` and its four-neuron unrolling `alphaScanInto4`
 * (held to it by a law, test/model/layer.test.ts): the batch runs them over all inputs, the
 * stream form (`layerStream.ts`, behind the RxJS `spikingLayer`) over each input as the next time
 * becomes known.
 * So batch and stream results are identical (the stream ≡ batch law, laws/streamLaws.ts).
 */
import {
  type AlphaSolutions,
  type SortedInputs,
  allocAlphaSolutions,
  allocSortedInputs,
  alphaSpikeInto,
  alphaSpikeInto4,
} from './alpha.ts';
import { argsortStable } from './argsort.ts';

/** Structure-of-arrays record of one layer's forward pass, allocated once and reused. */
export interface LayerTape {
  readonly nIn: number;
  readonly nOut: number;
  /** Presynaptic times in input order (regular, then pulses); the caller fills them. */
  readonly inputTimes: Float64Array;
  /** The presynaptic spikes in time order (length nIn + 1, with a NO_SPIKE sentinel). */
  readonly sorted: SortedInputs;
  /** Per post neuron: spike time, A, B, W and causal count of its crossing. */
  readonly post: AlphaSolutions;
  readonly sortScratch: Int32Array;
}

export const allocLayerTape = (nIn: number, nOut: number): LayerTape => ({
  nIn,
  nOut,
  inputTimes: new Float64Array(nIn),
  sorted: allocSortedInputs(nIn),
  post: allocAlphaSolutions(nOut),
  sortScratch: new Int32Array(nIn),
});

/** Sorts `tape.inputTimes` into `tape.sorted` (times, e^(K t), θ e^(K t), input index). */
export const sortLayerInputs = (tape: LayerTape, decayRate: number, threshold: number): LayerTape => {
  const { nIn, inputTimes, sorted } = tape;
  const { index, time, exp, threshExp } = sorted;
  const nFinite = argsortStable(index, inputTimes, nIn, tape.sortScratch);
  for (let i = 0; i < nFinite; i++) {
    const t = inputTimes[index[i]];
    time[i] = t;
    const e = Math.exp(decayRate * t);
    exp[i] = e;
    threshExp[i] = threshold * e;
  }
  // Inputs that never spike, and the sentinel at nIn: their values are never combined with a
  // weight, only compared (time) or bounded (threshExp).
  time.fill(Infinity, nFinite, nIn + 1);
  exp.fill(Infinity, nFinite, nIn + 1);
  threshExp.fill(Infinity, nFinite, nIn + 1);
  index[nIn] = 0;
  sorted.nFinite = nFinite;
  return tape;
};

/**
 * Forward pass of post neurons [from, to) over already-sorted inputs (see {@link sortLayerInputs}).
 * Returns `tape.post.spikeTime`.
 */
export const layerFireRange = (
  tape: LayerTape,
  weights: Float64Array,
  decayRate: number,
  threshold: number,
  from: number,
  to: number,
): Float64Array => {
  const { nIn, sorted, post } = tape;
  let k = from;
  for (; k + 4 <= to; k += 4) alphaSpikeInto4(post, k, decayRate, threshold, sorted, weights, nIn);
  for (; k < to; k++) alphaSpikeInto(post, k, decayRate, threshold, sorted, weights, k * nIn);
  return post.spikeTime;
};

/**
 * The whole layer: sort `tape.inputTimes`, fire every post neuron. Allocation-free.
 *
 * ## Example
 * ```ts
 * const tape = allocLayerTape(3, 2);
 * tape.inputTimes.set([0.1, 0.2, Infinity]);
 * layerForward(tape, new Float64Array([2, 2, 0, -1, 3, 3]), 1, 0.2); // → 2 spike times
 * ```
 */
export const layerForward = (
  tape: LayerTape,
  weights: Float64Array,
  decayRate: number,
  threshold: number,
): Float64Array => {
  sortLayerInputs(tape, decayRate, threshold);
  return layerFireRange(tape, weights, decayRate, threshold, 0, tape.nOut);
};
