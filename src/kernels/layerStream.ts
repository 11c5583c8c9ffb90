/**
 * The layer kernel in incremental form, for spikes that arrive one time step at a time (the RxJS
 * `spikingLayer` operator). It performs, neuron by neuron, exactly the arithmetic of the batch
 * scan ({@link alphaSpikeInto}): the same sums in the same input order, the same quick bound and
 * the same exact interval test ({@link alphaSolveInterval}), so every spike time is identical to
 * the batch result, bit for bit.
 *
 * Protocol (all times non-decreasing):
 * 1. {@link streamAdvance}(s, t): the next input time is t. Closes the interval that began at the
 *    last input: every neuron whose potential reaches θ before t fires now; their indices are
 *    written to `s.firedNow` (count returned), in time order (ties by neuron index). Call it before
 *    the inputs of time t, and once with NO_SPIKE at the end of the sample.
 * 2. {@link streamAddGroup}(s, inputs, count): all inputs of time t, in input (column) order — the
 *    batch's stable order. Within the group every input but the last is checked against the
 *    zero-length interval [t, t], exactly as the batch does with tied times.
 *
 * A spike is final as soon as streamAdvance reports it: no later input can move it, since later
 * inputs are not causal.
 */
import {
  type AlphaSolutions,
  allocAlphaSolutions,
  alphaSolveInterval,
} from './alpha.ts';
import { sortFiredBySpikeTime } from './firedOrder.ts';
import { NO_SPIKE } from './neuronModel.ts';

export interface LayerStreamState {
  readonly nIn: number;
  readonly nOut: number;
  readonly decayRate: number;
  readonly threshold: number;
  /**
   * The weights transposed, nIn × nOut (row = input), so that adding an input reads one
   * contiguous row. Read only; see {@link transposeWeights}.
   */
  readonly weightsByInput: Float64Array;
  readonly a: Float64Array;
  readonly b: Float64Array;
  /** 1 once a neuron has fired (or the sample ended). */
  readonly done: Uint8Array;
  /** Solutions of the neurons that fired (spike time, sums, W, causal count). */
  readonly post: AlphaSolutions;
  /** Indices of the neurons that fired in the last closed interval, sorted by spike time. */
  readonly firedNow: Int32Array;
  /** max_k |w_kj| per input j, for the rounding bound of tied inputs. */
  readonly maxAbsWeightByInput: Float64Array;
  /** Workspace: which neurons a tie group must re-check. */
  readonly tieCheck: Uint8Array;
  /** Time, e^(K t) and θ e^(K t) of the last input added (NO_SPIKE before the first). */
  lastTime: number;
  lastThreshExp: number;
  /** Inputs added so far. */
  count: number;
}

/**
 * Relative rounding allowance per floating-point step in the tie bound (≈ 4.5 ulp; the bound
 * needs 3 ε per step plus the evaluation of a·t − b).
 */
const TIE_ROUNDING = 1e-15;

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
    a: new Float64Array(nOut),
    b: new Float64Array(nOut),
    done: new Uint8Array(nOut),
    post: allocAlphaSolutions(nOut),
    firedNow: new Int32Array(nOut),
    maxAbsWeightByInput: Float64Array.from({ length: nIn }, (_, j) => {
      let m = 0;
      for (let k = 0; k < nOut; k++) m = Math.max(m, Math.abs(weightsByInput[j * nOut + k]));
      return m;
    }),
    tieCheck: new Uint8Array(nOut),
    lastTime: NO_SPIKE,
    lastThreshExp: 0,
    count: 0,
  };
  return resetLayerStream(s);
};

/** Back to the start of a sample (no input seen, no neuron fired). */
export const resetLayerStream = (s: LayerStreamState): LayerStreamState => {
  s.a.fill(0);
  s.b.fill(0);
  s.done.fill(0);
  s.post.spikeTime.fill(NO_SPIKE);
  s.post.causalCount.fill(0);
  s.lastTime = NO_SPIKE;
  s.lastThreshExp = 0;
  s.count = 0;
  return s;
};

/**
 * Fires every neuron that crosses in [lastTime, tNext] (the batch scan's quick bound, then the exact
 * interval test); appends their indices to `s.firedNow` from position `n`; returns the new count.
 * With `only`, neurons k with only[k] = 0 are known not to fire and are skipped.
 */
const fireInterval = (s: LayerStreamState, tNext: number, n: number, only?: Uint8Array): number => {
  const { a, b, done, post, firedNow, nOut, decayRate, threshold, lastTime, lastThreshExp, count } = s;
  for (let k = 0; k < nOut; k++) {
    if (done[k] !== 0 || (only !== undefined && only[k] === 0)) continue;
    const ak = a[k];
    const bk = b[k];
    if (!(ak * tNext - bk >= lastThreshExp)) continue;
    if (alphaSolveInterval(post, k, decayRate, threshold, ak, bk, lastTime, tNext, count) !== NO_SPIKE) {
      done[k] = 1;
      firedNow[n++] = k;
    }
  }
  return n;
};

/**
 * The next input time is `tNext` (NO_SPIKE: the sample ends). Fires every neuron that crosses in
 * [lastTime, tNext]; returns how many, their indices in `s.firedNow` sorted by spike time.
 * At NO_SPIKE, the neurons that never fired are marked silent with their causal count.
 */
export const streamAdvance = (s: LayerStreamState, tNext: number): number => {
  if (tNext < s.lastTime && s.count > 0) {
    throw new RangeError(`layer stream: input time ${tNext} after ${s.lastTime} (times must not decrease)`);
  }
  const n = s.count > 0 ? fireInterval(s, tNext, 0) : 0;
  if (tNext === NO_SPIKE) {
    for (let k = 0; k < s.nOut; k++) {
      if (s.done[k] === 0) {
        s.done[k] = 1;
        s.post.spikeTime[k] = NO_SPIKE;
        s.post.causalCount[k] = s.count;
      }
    }
  }
  sortFiredBySpikeTime(s.firedNow, s.post.spikeTime, n);
  return n;
};

/**
 * Adds the inputs `inputs[0..count)` (column indices, ascending), all spiking at time `t`, after
 * {@link streamAdvance}(s, t). Returns the number of neurons that fired inside the group (at
 * exactly t; almost always 0), listed in `s.firedNow`.
 */
export const streamAddGroup = (
  s: LayerStreamState,
  t: number,
  inputs: ArrayLike<number>,
  count: number,
): number => {
  const e = Math.exp(s.decayRate * t);
  const te = s.threshold * e;
  const { a, b, weightsByInput, nIn, nOut } = s;
  let fired = 0;
  // Inside a tie the batch re-checks [t, t] after every input but the last. Mathematically
  // a·t − b does not move (an input at t adds w·e·t to both terms); only rounding does, by at
  // most TIE_ROUNDING·(count + 3)·(|a| t + |b| + 2 Σ|w e| t). A neuron whose margin to θ e^(K t)
  // exceeds that bound cannot pass any of those checks, so only the others are re-checked:
  // the same decisions as the batch, without 32 checks per tied input.
  let mustCheck = false;
  if (count > 1) {
    let sumAbsWe = 0;
    for (let g = 0; g < count; g++) sumAbsWe += s.maxAbsWeightByInput[inputs[g]];
    sumAbsWe *= e;
    const scale = TIE_ROUNDING * (count + 3);
    for (let k = 0; k < nOut; k++) {
      const slack = scale * (Math.abs(a[k]) * t + Math.abs(b[k]) + 2 * sumAbsWe * t);
      const near = s.done[k] === 0 && te - (a[k] * t - b[k]) <= slack;
      s.tieCheck[k] = near ? 1 : 0;
      mustCheck ||= near;
    }
  }
  for (let g = 0; g < count; g++) {
    const j = inputs[g];
    if (!(j >= 0 && j < nIn)) throw new RangeError(`layer stream: input ${j} outside 0..${nIn - 1}`);
    const row = j * nOut;
    // Sums of neurons that already fired keep growing too: they are never read again, and the
    // loop is branch-free this way.
    let k = 0;
    for (; k + 4 <= nOut; k += 4) {
      const w0 = weightsByInput[row + k] * e;
      const w1 = weightsByInput[row + k + 1] * e;
      const w2 = weightsByInput[row + k + 2] * e;
      const w3 = weightsByInput[row + k + 3] * e;
      a[k] += w0;
      a[k + 1] += w1;
      a[k + 2] += w2;
      a[k + 3] += w3;
      b[k] += w0 * t;
      b[k + 1] += w1 * t;
      b[k + 2] += w2 * t;
      b[k + 3] += w3 * t;
    }
    for (; k < nOut; k++) {
      const we = weightsByInput[row + k] * e;
      a[k] += we;
      b[k] += we * t;
    }
    s.count++;
    s.lastTime = t;
    s.lastThreshExp = te;
    if (mustCheck && g + 1 < count) fired = fireInterval(s, t, fired, s.tieCheck);
  }
  return fired;
};
