/**
 * The alpha layer kernel in incremental form, for spikes that arrive one time step at a time (the
 * RxJS `spikingLayer` operator). It does not repeat the batch scan: it runs it. The inputs are
 * appended, as they arrive, to a {@link SortedInputs} record exactly like the batch's (time,
 * e^(K t), θ e^(K t), column: the batch's stable order, since a sample comes in time order and a
 * tie group in column order), and each neuron's sums are carried between calls of
 * {@link alphaScanRange} — the batch's own entry (four-neuron scalar blocks or its SIMD kernel) —
 * which is run over an input as soon as the time after it is known. So every spike time is
 * identical to the batch result, bit for bit (the stream ≡ batch law, laws/streamLaws.ts).
 *
 * Protocol (all times non-decreasing):
 * 1. {@link streamAdvance}(s, t): the next input time is t. Closes the interval that began at the
 *    last input: every neuron whose potential reaches θ before t fires now; their indices are
 *    written to `s.firedNow` (count returned), in time order (ties by neuron index). Call it before
 *    the inputs of time t, and once with NO_SPIKE at the end of the sample.
 * 2. {@link streamAddGroup}(s, inputs, count): all inputs of time t, in input (column) order — the
 *    batch's stable order. It only appends them; the next streamAdvance scans the whole group,
 *    the zero-length intervals [t, t] between its inputs included (the batch checks those too), in
 *    one call per block of four neurons. The group is complete only when a later time (or the end)
 *    is known, which is when streamAdvance runs, so a neuron firing exactly at t is reported no
 *    later.
 *
 * A spike is final as soon as it is reported: no later input can move it, since later inputs are
 * not causal.
 */
import {
  type AlphaSolutions,
  type SortedInputs,
  allocAlphaSolutions,
  allocSortedInputs,
} from './alpha.ts';
import { alphaScanRange } from './alphaScanRange.ts';
import { sortFiredBySpikeTime } from './firedOrder.ts';
import { NO_SPIKE } from './neuronModel.ts';

export interface LayerStreamState {
  readonly nIn: number;
  readonly nOut: number;
  readonly decayRate: number;
  readonly threshold: number;
  /**
   * The weights transposed, nIn × nOut (row = input), so that the neurons' scans of one input
   * read one contiguous row. Read only; see {@link transposeWeights}.
   */
  readonly weightsByInput: Float64Array;
  /** The inputs so far, in arrival order (= the batch's sorted order); room for nIn + 1. */
  readonly sorted: SortedInputs;
  /**
   * Per neuron k: A at 2k and B at 2k + 1 over the inputs scanned so far (B = +∞ once the neuron
   * has fired: see {@link alphaScanRange}).
   */
  readonly sums: Float64Array;
  /** 1 once a neuron has fired (or the sample ended). */
  readonly done: Uint8Array;
  /** Solutions of the neurons that fired (spike time, sums, W, causal count). */
  readonly post: AlphaSolutions;
  /** Indices of the neurons that fired in the last step, sorted by spike time. */
  readonly firedNow: Int32Array;
  /** Inputs added so far. */
  count: number;
  /** Inputs whose interval every neuron has scanned (the rest wait for the next time). */
  scanned: number;
}

/** Row-major nOut × nIn weights → nIn × nOut (allocates; do it once per layer, not per sample). */
export const transposeWeights = (weights: Float64Array, nIn: number, nOut: number): Float64Array => {
  if (weights.length !== nIn * nOut) {
    throw new RangeError(`layer stream: ${weights.length} weights for ${nOut} × ${nIn}`);
  }
  const t = new Float64Array(nIn * nOut);
  for (let k = 0; k < nOut; k++) for (let j = 0; j < nIn; j++) t[j * nOut + k] = weights[k * nIn + j];
  return t;
};

/** A stream state over weights already transposed by {@link transposeWeights}. */
export const allocLayerStream = (
  weightsByInput: Float64Array,
  nIn: number,
  nOut: number,
  decayRate: number,
  threshold: number,
): LayerStreamState => {
  if (weightsByInput.length !== nIn * nOut) {
    throw new RangeError(`layer stream: ${weightsByInput.length} weights for ${nIn} × ${nOut}`);
  }
  const s: LayerStreamState = {
    nIn,
    nOut,
    decayRate,
    threshold,
    weightsByInput,
    sorted: allocSortedInputs(nIn),
    sums: new Float64Array(2 * nOut),
    done: new Uint8Array(nOut),
    post: allocAlphaSolutions(nOut),
    firedNow: new Int32Array(nOut),
    count: 0,
    scanned: 0,
  };
  return resetLayerStream(s);
};

/** Back to the start of a sample (no input seen, no neuron fired). */
export const resetLayerStream = (s: LayerStreamState): LayerStreamState => {
  s.sums.fill(0);
  s.done.fill(0);
  s.post.spikeTime.fill(NO_SPIKE);
  s.post.causalCount.fill(0);
  s.sorted.nFinite = 0;
  s.count = 0;
  s.scanned = 0;
  return s;
};

/**
 * Every neuron not yet fired scans the inputs [s.scanned, to) (time[to] holds the time after
 * them): one {@link alphaScanRange} call over all neurons, the batch's own entry (four-neuron
 * scalar blocks, or its SIMD kernel when the call is large). The ones that fire are listed in
 * `s.firedNow`, in time order. Returns how many.
 */
const scanTo = (s: LayerStreamState, to: number): number => {
  const { sorted, sums, done, post, firedNow, nOut, decayRate, threshold, weightsByInput, scanned } = s;
  const n = alphaScanRange(post, decayRate, threshold, sorted, weightsByInput, 1, nOut, 0, nOut, scanned, to, sums, firedNow);
  for (let q = 0; q < n; q++) done[firedNow[q]] = 1;
  s.scanned = to;
  sortFiredBySpikeTime(firedNow, post.spikeTime, n);
  return n;
};

/**
 * The next input time is `tNext` (NO_SPIKE: the sample ends). Fires every neuron that crosses in
 * [last input time, tNext]; returns how many, their indices in `s.firedNow` sorted by spike time.
 * At NO_SPIKE, the neurons that never fired are marked silent with their causal count.
 */
export const streamAdvance = (s: LayerStreamState, tNext: number): number => {
  const { time } = s.sorted;
  if (s.count > 0 && tNext < time[s.count - 1]) {
    throw new RangeError(`layer stream: input time ${tNext} after ${time[s.count - 1]} (times must not decrease)`);
  }
  time[s.count] = tNext;
  const n = s.count > 0 ? scanTo(s, s.count) : 0;
  if (tNext === NO_SPIKE) {
    for (let k = 0; k < s.nOut; k++) {
      if (s.done[k] === 0) {
        s.done[k] = 1;
        s.post.spikeTime[k] = NO_SPIKE;
        s.post.causalCount[k] = s.count;
      }
    }
  }
  return n;
};

/**
 * Appends the inputs `inputs[0..count)` (column indices, ascending), all spiking at time `t`,
 * after {@link streamAdvance}(s, t). They are scanned by the next streamAdvance.
 */
export const streamAddGroup = (
  s: LayerStreamState,
  t: number,
  inputs: ArrayLike<number>,
  count: number,
): void => {
  const e = Math.exp(s.decayRate * t);
  const te = s.threshold * e;
  const { time, exp, threshExp, index } = s.sorted;
  if (s.count + count > s.nIn) {
    throw new RangeError(`layer stream: ${s.count + count} inputs in one sample, the layer has ${s.nIn}`);
  }
  for (let g = 0; g < count; g++) {
    const j = inputs[g];
    if (!(j >= 0 && j < s.nIn)) throw new RangeError(`layer stream: input ${j} outside 0..${s.nIn - 1}`);
    const c = s.count++;
    time[c] = t;
    exp[c] = e;
    threshExp[c] = te;
    index[c] = j;
  }
  s.sorted.nFinite = s.count;
};
