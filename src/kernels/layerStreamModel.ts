/**
 * The generic layer path in incremental form: any {@link NeuronModel}, for spikes that arrive one
 * time step at a time (the RxJS `spikingLayer` operator). Same protocol as the alpha stream
 * kernel (`layerStream.ts`): {@link modelStreamAdvance}(s, t) before the inputs of time t (and
 * once with NO_SPIKE at the end), {@link modelStreamAddGroup}(s, t, inputs, count) with the
 * inputs of time t in column order.
 *
 * Why it equals the batch path ({@link layerFireModelRange}) bit for bit: the contract's scan
 * decides the interval [t_i, t_{i+1}] from the inputs 0..i and the time t_{i+1} alone. So when
 * the next input time tNext is known, the model is asked about the inputs seen so far followed
 * by one input at tNext with weight 0: every interval up to [t_last, tNext] is then decided with
 * exactly the arguments the batch gives it, and a spike is accepted only if it lies in one of
 * those intervals (causalCount ≤ inputs seen). A model whose decision looks ahead breaks this, and the
 * stream ≡ batch law (`laws/streamLaws.ts`) says so.
 *
 * Inputs are only appended by {@link modelStreamAddGroup}; the next advance decides every
 * interval up to the new time, the zero-length ones inside a tie group included.
 *
 * Cost: each step re-scans the inputs seen so far for every neuron still silent (O(n²) per neuron
 * and sample, against O(n) for the alpha kernel's running sums): the contract exposes no running
 * state. Allocation-free after {@link allocModelLayerStream}.
 */
import { sortFiredBySpikeTime } from './firedOrder.ts';
import { NO_SPIKE, type NeuronFiring, type NeuronModel, type NeuronParams, allocFiring } from './neuronModel.ts';

export interface ModelLayerStreamState {
  readonly nIn: number;
  readonly nOut: number;
  readonly model: NeuronModel;
  readonly params: NeuronParams;
  /** Row-major nOut × nIn (row = post neuron), read only. */
  readonly weights: Float64Array;
  /** Times of the inputs seen so far in arrival (= batch sorted) order, plus one slot. */
  readonly times: Float64Array;
  /** Column of each input seen so far. */
  readonly inputs: Int32Array;
  /** Workspace: one neuron's weights in arrival order, plus one slot. */
  readonly sortedWeights: Float64Array;
  readonly firing: NeuronFiring;
  /** 1 once a neuron has fired (or the sample ended). */
  readonly done: Uint8Array;
  /** Spike time and causal count of every neuron that fired (NO_SPIKE before). */
  readonly post: { readonly spikeTime: Float64Array; readonly causalCount: Int32Array };
  /** Indices of the neurons that fired in the last step, sorted by spike time (ties by index). */
  readonly firedNow: Int32Array;
  /** Inputs added so far. */
  count: number;
}

export const allocModelLayerStream = (
  weights: Float64Array,
  nIn: number,
  nOut: number,
  model: NeuronModel,
  params: NeuronParams,
): ModelLayerStreamState => {
  if (weights.length !== nIn * nOut) {
    throw new RangeError(`layer stream (${model.name}): ${weights.length} weights for ${nOut} × ${nIn}`);
  }
  return resetModelLayerStream({
    nIn,
    nOut,
    model,
    params: { decayRate: params.decayRate, threshold: params.threshold },
    weights,
    times: new Float64Array(nIn + 1),
    inputs: new Int32Array(nIn),
    sortedWeights: new Float64Array(nIn + 1),
    firing: allocFiring(nIn + 1),
    done: new Uint8Array(nOut),
    post: { spikeTime: new Float64Array(nOut), causalCount: new Int32Array(nOut) },
    firedNow: new Int32Array(nOut),
    count: 0,
  });
};

/** Back to the start of a sample. */
export const resetModelLayerStream = (s: ModelLayerStreamState): ModelLayerStreamState => {
  s.done.fill(0);
  s.post.spikeTime.fill(NO_SPIKE);
  s.post.causalCount.fill(0);
  s.count = 0;
  return s;
};

/**
 * Asks the model about neuron k over the inputs seen so far, followed (when tNext is finite) by
 * a weight-0 input at tNext; fires k if its spike lies in an interval that ends at or before
 * input `maxCausal`. Returns true when it fired.
 */
const tryFire = (s: ModelLayerStreamState, k: number, tNext: number, maxCausal: number): boolean => {
  const { nIn, count, times, inputs, weights, sortedWeights: ws } = s;
  const row = k * nIn;
  for (let i = 0; i < count; i++) ws[i] = weights[row + inputs[i]];
  let n = count;
  if (tNext !== NO_SPIKE) {
    times[n] = tNext;
    ws[n++] = 0;
  }
  const f = s.model.fireSortedInto(s.firing, s.params, times, ws, n);
  if (f.spikeTime === NO_SPIKE || f.causalCount > maxCausal) return false;
  s.done[k] = 1;
  s.post.spikeTime[k] = f.spikeTime;
  s.post.causalCount[k] = f.causalCount;
  return true;
};

/** Fires every silent neuron that crosses in an interval the batch decides the same way. */
const fireStep = (s: ModelLayerStreamState, tNext: number, maxCausal: number): number => {
  let n = 0;
  for (let k = 0; k < s.nOut; k++) {
    if (s.done[k] === 0 && tryFire(s, k, tNext, maxCausal)) s.firedNow[n++] = k;
  }
  sortFiredBySpikeTime(s.firedNow, s.post.spikeTime, n);
  return n;
};

/**
 * The next input time is `tNext` (NO_SPIKE: the sample ends). Fires every neuron that crosses
 * before it; returns how many, listed in `s.firedNow`. At NO_SPIKE the neurons that never fired
 * are marked silent with their causal count (the inputs seen).
 */
export const modelStreamAdvance = (s: ModelLayerStreamState, tNext: number): number => {
  if (s.count > 0 && tNext < s.times[s.count - 1]) {
    throw new RangeError(`layer stream: input time ${tNext} after ${s.times[s.count - 1]} (times must not decrease)`);
  }
  const n = s.count > 0 ? fireStep(s, tNext, s.count) : 0;
  if (tNext === NO_SPIKE) {
    for (let k = 0; k < s.nOut; k++) {
      if (s.done[k] === 0) {
        s.done[k] = 1;
        s.post.causalCount[k] = s.count;
      }
    }
  }
  return n;
};

/**
 * Appends the inputs `inputs[0..count)` (columns, ascending), all at time `t`, after
 * {@link modelStreamAdvance}(s, t); the next advance decides their intervals.
 */
export const modelStreamAddGroup = (
  s: ModelLayerStreamState,
  t: number,
  inputs: ArrayLike<number>,
  count: number,
): void => {
  if (s.count + count > s.nIn) {
    throw new RangeError(`layer stream: ${s.count + count} inputs in one sample, the layer has ${s.nIn}`);
  }
  for (let g = 0; g < count; g++) {
    const j = inputs[g];
    if (!(j >= 0 && j < s.nIn)) throw new RangeError(`layer stream: input ${j} outside 0..${s.nIn - 1}`);
    s.times[s.count] = t;
    s.inputs[s.count++] = j;
  }
};
