/**
 * The error terms of a few inputs of a layer alone, for a reverse pass with `inputErrorFrom` (the
 * first layer: its pulses' terms, see LayerGradientParams): their sorted positions, and one fired
 * neuron's terms of them, with the operations and order of the whole reverse pass (the scalar
 * kernel and, after its weight gradients, the SIMD kernel use these, so both give the same bits).
 *
 * ## Example
 * ```ts
 * const n = wantedPositions(tape.sorted.index, mMax, 784); // the pulses among the first mMax
 * addWantedRow(deltaIn, 0, weights, k * nIn, time, exp, index, wantedPositionsScratch(), n, m, dk, ba, K, w1, inv, cd);
 * ```
 */
import { alphaDSpikeDInput } from './alpha.ts';

/** Sorted positions of the inputs whose error terms are wanted; grown (allocated) only for a wider layer. */
let scratch = new Int32Array(64);

/** The positions that the last {@link wantedPositions} wrote (valid until the next call on this thread). */
export const wantedPositionsScratch = (): Int32Array => scratch;

/**
 * Writes into {@link wantedPositionsScratch}, in ascending order, the sorted positions i < end
 * whose input index[i] is at least `errorFrom`, and returns their count.
 */
export const wantedPositions = (index: Int32Array, end: number, errorFrom: number): number => {
  if (scratch.length < end) scratch = new Int32Array(end);
  let n = 0;
  for (let i = 0; i < end; i++) if (index[i] >= errorFrom) scratch[n++] = i;
  return n;
};

/**
 * Adds fired neuron k's error terms of the wanted inputs (sorted positions wanted[0, n), those
 * below its causal count m) to deltaIn[sink + j]: dk · clipD(∂t/∂t_j), with ba = B/A, w1 = W + 1
 * and inv = 1/(A(1 + W)) of the neuron, `row` the start of its weights.
 */
export const addWantedRow = (
  deltaIn: Float64Array, sink: number, weights: Float64Array, row: number,
  time: Float64Array, exp: Float64Array, index: Int32Array, wanted: Int32Array, n: number, m: number,
  dk: number, ba: number, decayRate: number, w1: number, inv: number, cd: number,
): void => { // prettier-ignore
  for (let q = 0; q < n; q++) {
    const i = wanted[q];
    if (i >= m) break;
    const j = index[i];
    const dt = alphaDSpikeDInput(weights[row + j], exp[i], time[i], ba, decayRate, w1, inv);
    deltaIn[sink + j] += dk * Math.min(Math.max(dt, -cd), cd);
  }
};
