/**
 * The event-driven alpha layer kernel (the fast path; any other neuron model runs on the generic
 * path, `layerModel.ts`): time-sorted presynaptic spikes → postsynaptic alpha-neuron spike times,
 * recording on a tape what the reverse pass needs.
 *
 * A layer has `nIn` presynaptic inputs (regular neurons, then synchronisation pulses) and `nOut`
 * postsynaptic neurons; `weights` is row-major `nOut × nIn` (row = post neuron). The presynaptic
 * times are sorted once (stable: ties keep input order, pulses after regular inputs) and
 * `e^(K t)` is computed once per input; every post neuron then scans that shared order, by
 * {@link alphaScanRange}: the scan is one function in two widths, `alphaScanInto` and its
 * four-neuron unrolling `alphaScanInto4`, and a WebAssembly SIMD form for large calls on whole
 * weight rows (the H=32 output layer), all held to each other bit for bit by laws
 * (test/model/layer.test.ts). The batch runs it over all inputs, the stream form
 * (`layerStream.ts`, behind the RxJS `spikingLayer`) over each input as the next time becomes
 * known. So batch and stream results are identical (the stream ≡ batch law, laws/streamLaws.ts).
 */
import {
  type AlphaSolutions,
  type SortedInputs,
  allocAlphaSolutions,
  allocSortedInputs,
  markSilent,
} from './alpha.ts';
import { alphaScanRange } from './alphaScanRange.ts';
import { argsortStable } from './argsort.ts';
import { closeSorted, gatherSorted } from './sortedTail.ts';

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

// The batch scan's sums (A, B per post neuron) and fired list: written and fully read within one
// synchronous call, per thread (a tape may be shared by threads that fire disjoint ranges), grown
// (allocated) only for a wider layer.
let scanSums = new Float64Array(64);
let scanFired = new Int32Array(32);

/** Sorts `tape.inputTimes` into `tape.sorted` (times, e^(K t), θ e^(K t), input index). */
export const sortLayerInputs = (tape: LayerTape, decayRate: number, threshold: number): LayerTape => {
  const { nIn, inputTimes, sorted } = tape;
  const { index, time, exp, threshExp } = sorted;
  const nFinite = argsortStable(index, inputTimes, nIn, tape.sortScratch);
  gatherSorted(time, exp, threshExp, index, inputTimes, nFinite, decayRate, threshold);
  closeSorted(sorted, nFinite, nIn);
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
  if (scanFired.length < to) {
    scanSums = new Float64Array(2 * to);
    scanFired = new Int32Array(to);
  }
  scanSums.fill(0, 2 * from, 2 * to);
  alphaScanRange(post, decayRate, threshold, sorted, weights, nIn, 1, from, to, 0, sorted.nFinite, scanSums, scanFired);
  // silent: B still below +∞ (a neuron whose B overflowed to +∞ keeps its record, as the
  // four-neuron scan always did: with absurd weights the training's non-finite check stops the run)
  for (let k = from; k < to; k++) if (scanSums[2 * k + 1] !== Infinity) markSilent(post, k, sorted.nFinite);
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
