/**
 * The one event-driven layer kernel: time-sorted presynaptic spikes → postsynaptic alpha-neuron
 * spike times, recording on a tape what the reverse pass needs.
 *
 * A layer has `nIn` presynaptic inputs (regular neurons, then synchronisation pulses) and `nOut`
 * postsynaptic neurons; `weights` is row-major `nOut × nIn` (row = post neuron). The presynaptic
 * times are sorted once (stable: ties keep input order, pulses after regular inputs) and
 * `e^(K t)` is computed once per input; every post neuron then scans that shared order with
 * {@link alphaSpikeInto}. Training (typed arrays) and the RxJS `spikingLayer` operator both call
 * this kernel, so batch and stream results are identical by construction.
 */
import { type AlphaSolutions, allocAlphaSolutions, alphaSpikeInto } from './alpha.ts';
import { argsortStable } from './argsort.ts';

/** Structure-of-arrays record of one layer's forward pass, allocated once and reused. */
export interface LayerTape {
  readonly nIn: number;
  readonly nOut: number;
  /** Presynaptic times in input order (regular, then pulses); the caller fills them. */
  readonly inputTimes: Float64Array;
  /** Input indices in time order (stable). */
  readonly sortedIndex: Int32Array;
  readonly sortedTime: Float64Array;
  /** e^(K · sortedTime[i]). */
  readonly sortedExp: Float64Array;
  /** Per post neuron: spike time, A, B, W and causal count of its crossing. */
  readonly post: AlphaSolutions;
  readonly sortScratch: Int32Array;
  /** Reverse-pass workspace: one neuron's ∂t/∂w and ∂t/∂t_in in sorted order. */
  readonly dWeight: Float64Array;
  readonly dInput: Float64Array;
}

export const allocLayerTape = (nIn: number, nOut: number): LayerTape => ({
  nIn,
  nOut,
  inputTimes: new Float64Array(nIn),
  sortedIndex: new Int32Array(nIn),
  sortedTime: new Float64Array(nIn),
  sortedExp: new Float64Array(nIn),
  post: allocAlphaSolutions(nOut),
  sortScratch: new Int32Array(nIn),
  dWeight: new Float64Array(nIn),
  dInput: new Float64Array(nIn),
});

/** Sorts `tape.inputTimes` and fills sortedIndex, sortedTime and sortedExp. */
export const sortLayerInputs = (tape: LayerTape, decayRate: number): LayerTape => {
  const { nIn, inputTimes, sortedIndex, sortedTime, sortedExp } = tape;
  argsortStable(sortedIndex, inputTimes, nIn, tape.sortScratch);
  for (let i = 0; i < nIn; i++) {
    const t = inputTimes[sortedIndex[i]];
    sortedTime[i] = t;
    sortedExp[i] = Math.exp(decayRate * t);
  }
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
  const { nIn, sortedTime, sortedExp, sortedIndex, post } = tape;
  for (let k = from; k < to; k++) {
    alphaSpikeInto(
      post, k, decayRate, threshold, sortedTime, sortedExp, nIn, weights, k * nIn, sortedIndex,
    );
  }
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
  sortLayerInputs(tape, decayRate);
  return layerFireRange(tape, weights, decayRate, threshold, 0, tape.nOut);
};
