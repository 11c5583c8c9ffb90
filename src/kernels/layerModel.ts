/**
 * The layer kernel for any {@link NeuronModel}: the generic path beside the alpha fast path
 * (`layer.ts`). The presynaptic times are sorted once per layer by {@link sortLayerInputs} (the
 * same stable order as the alpha path); each post neuron k then gathers its weights into that
 * order and calls `model.fireSortedInto`, which writes its spike time, causal count and the
 * derivatives ∂t_k/∂w and ∂t_k/∂t_i (sorted order) straight into row k of a
 * {@link ModelLayerRecord}: the tape of the generic reverse pass (`layerModelGradient.ts`).
 *
 * Cost: one fireSortedInto per post neuron over the spiking inputs, plus a gather of n weights;
 * allocation-free once the record exists.
 *
 * ## Example
 * ```ts
 * const tape = allocLayerTape(3, 2);
 * const rec = allocModelLayerRecord(3, 2);
 * tape.inputTimes.set([0.1, 0.2, Infinity]);
 * layerForwardModel(tape, rec, weights, dualExponentialModel, { decayRate: 1, threshold: 0.2 });
 * ```
 */
import { type LayerTape, sortLayerInputs } from './layer.ts';
import type { NeuronFiring, NeuronModel, NeuronParams } from './neuronModel.ts';

/** Per post neuron, the derivatives its model reported (row k, sorted input order). */
export interface ModelLayerRecord {
  readonly nIn: number;
  readonly nOut: number;
  /** nOut × nIn: [k·nIn + i] = ∂t_k/∂w of sorted input i (0 beyond the causal set). */
  readonly dSpikeTime_dWeight: Float64Array;
  /** nOut × nIn: [k·nIn + i] = ∂t_k/∂t of sorted input i. */
  readonly dSpikeTime_dInput: Float64Array;
  /** Firing records whose derivative arrays are the rows above (one shared workspace). */
  readonly firings: readonly NeuronFiring[];
  /** Workspace: post neuron k's weights in sorted input order. */
  readonly sortedWeights: Float64Array;
}

export const allocModelLayerRecord = (nIn: number, nOut: number): ModelLayerRecord => {
  const dW = new Float64Array(nOut * nIn);
  const dT = new Float64Array(nOut * nIn);
  const scratch = new Float64Array(4 * (nIn + 1));
  const identity = Int32Array.from({ length: nIn + 1 }, (_, i) => i);
  const firings = Array.from(
    { length: nOut },
    (_, k): NeuronFiring => ({
      spikeTime: Infinity,
      causalCount: 0,
      dSpikeTime_dWeight: dW.subarray(k * nIn, (k + 1) * nIn),
      dSpikeTime_dInput: dT.subarray(k * nIn, (k + 1) * nIn),
      scratch,
      identity,
    }),
  );
  return { nIn, nOut, dSpikeTime_dWeight: dW, dSpikeTime_dInput: dT, firings, sortedWeights: new Float64Array(nIn) };
};

/**
 * Fires post neurons [from, to) of `model` over the inputs already sorted in `tape`; writes spike
 * times and causal counts into `tape.post` and derivatives into `rec`. Returns `tape.post.spikeTime`.
 */
export const layerFireModelRange = (
  tape: LayerTape,
  rec: ModelLayerRecord,
  weights: Float64Array,
  model: NeuronModel,
  params: NeuronParams,
  from: number,
  to: number,
): Float64Array => {
  const { nIn, sorted, post } = tape;
  const { time, index, nFinite } = sorted;
  const ws = rec.sortedWeights;
  for (let k = from; k < to; k++) {
    const row = k * nIn;
    for (let i = 0; i < nFinite; i++) ws[i] = weights[row + index[i]];
    const f = model.fireSortedInto(rec.firings[k], params, time, ws, nFinite);
    post.spikeTime[k] = f.spikeTime;
    post.causalCount[k] = f.causalCount;
  }
  return post.spikeTime;
};

/** The whole layer for any model: sort `tape.inputTimes`, fire every post neuron. */
export const layerForwardModel = (
  tape: LayerTape,
  rec: ModelLayerRecord,
  weights: Float64Array,
  model: NeuronModel,
  params: NeuronParams,
): Float64Array => {
  sortLayerInputs(tape, params.decayRate, params.threshold);
  return layerFireModelRange(tape, rec, weights, model, params, 0, tape.nOut);
};
