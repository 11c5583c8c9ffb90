/**
 * The contract every neuron model of spikeline implements, and that the exported law suites
 * (`spikeline/laws`) test.
 *
 * A neuron receives input spikes at times t_i with weights w_i (each input spikes at most once;
 * {@link NO_SPIKE} = Infinity means "never"). Its membrane potential V(t) is a sum of one kernel
 * per input, and it fires once, at the first time V reaches the threshold θ. The model also gives
 * the exact derivatives ∂t_out/∂w_i and ∂t_out/∂t_i of that spike time.
 *
 * Semantics shared by every model (reference README, section 1):
 * - inputs are processed in time order; equal times keep their original order (stable);
 * - the causal set is every input strictly earlier than the output spike; its size is
 *   `causalCount` (for a silent neuron: the number of inputs that spike at all);
 * - a silent neuron has spikeTime = NO_SPIKE and all derivatives exactly 0;
 * - inputs later than the output spike (and NO_SPIKE inputs) get derivatives exactly 0.
 */

/** "This neuron or input never spikes." */
export const NO_SPIKE = Infinity;

export interface NeuronParams {
  /** Decay rate K of the kernel, in 1/time units (> 0). */
  readonly decayRate: number;
  /** Firing threshold θ, in potential units (> 0). */
  readonly threshold: number;
}

/** Result of one neuron's firing, in the input order the caller used. */
export interface FiringResult {
  readonly spikeTime: number;
  readonly causalCount: number;
  readonly dSpikeTime_dWeight: Float64Array;
  readonly dSpikeTime_dInput: Float64Array;
}

/** The record `fireSortedInto` writes: a result plus the model's workspace. */
export interface NeuronFiring extends FiringResult {
  spikeTime: number;
  causalCount: number;
  /** Model-private workspace (length ≥ 4(n + 1)), so that fireSortedInto need not allocate. */
  readonly scratch: Float64Array;
  /** The identity permutation 0..n (length ≥ n + 1), for kernels that gather through an index. */
  readonly identity: Int32Array;
}

export interface NeuronModel {
  readonly name: string;
  /** True when ∂t_out/∂w_i ≤ 0 for every causal input (more weight ⇒ earlier spike). */
  readonly monotoneInWeights: boolean;
  /** V(t): the sum of the kernels of all inputs with t_i < t. */
  potential(
    params: NeuronParams,
    inputTimes: ArrayLike<number>,
    weights: ArrayLike<number>,
    t: number,
  ): number;
  /**
   * The non-allocating form: `sortedTimes[0..n)` ascending (NO_SPIKE last), `weights` in the
   * same order. Writes spikeTime, causalCount and the derivatives (sorted order) into `out`,
   * whose arrays have length ≥ n, and returns `out`.
   */
  fireSortedInto(
    out: NeuronFiring,
    params: NeuronParams,
    sortedTimes: ArrayLike<number>,
    sortedWeights: ArrayLike<number>,
    n: number,
  ): NeuronFiring;
}

/** Allocates a result record for up to n inputs. */
export const allocFiring = (n: number): NeuronFiring => ({
  spikeTime: NO_SPIKE,
  causalCount: 0,
  dSpikeTime_dWeight: new Float64Array(n),
  dSpikeTime_dInput: new Float64Array(n),
  scratch: new Float64Array(4 * (n + 1)),
  identity: Int32Array.from({ length: n + 1 }, (_, i) => i),
});

/** Indices 0..n−1 ordered by time, ties in original order (stable). */
export const timeOrder = (inputTimes: ArrayLike<number>): Int32Array => {
  const order = Array.from({ length: inputTimes.length }, (_, i) => i);
  // Infinity − Infinity is NaN, so compare explicitly rather than by subtraction.
  order.sort((a, b) => {
    const ta = inputTimes[a];
    const tb = inputTimes[b];
    return ta < tb ? -1 : ta > tb ? 1 : a - b;
  });
  return Int32Array.from(order);
};

/**
 * The friendly, allocating entry point: inputs in any order, results in the same order.
 *
 * ## Example
 * ```ts
 * const r = fire(alphaModel, { decayRate: 1, threshold: 0.5 }, [0.1, 0.2], [2, 2]);
 * r.spikeTime; r.dSpikeTime_dWeight[0];
 * ```
 */
export const fire = (
  model: NeuronModel,
  params: NeuronParams,
  inputTimes: ArrayLike<number>,
  weights: ArrayLike<number>,
): FiringResult => {
  const n = inputTimes.length;
  if (weights.length !== n) {
    throw new RangeError(`fire: ${n} input times but ${weights.length} weights`);
  }
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(inputTimes[i])) throw new RangeError(`fire: inputTimes[${i}] is NaN`);
    if (!Number.isFinite(weights[i])) {
      throw new RangeError(`fire: weights[${i}] must be finite, got ${weights[i]}`);
    }
  }
  const order = timeOrder(inputTimes);
  const sortedTimes = new Float64Array(n);
  const sortedWeights = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    sortedTimes[i] = inputTimes[order[i]];
    sortedWeights[i] = weights[order[i]];
  }
  const sorted = model.fireSortedInto(allocFiring(n), params, sortedTimes, sortedWeights, n);
  const dSpikeTime_dWeight = new Float64Array(n);
  const dSpikeTime_dInput = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    dSpikeTime_dWeight[order[i]] = sorted.dSpikeTime_dWeight[i];
    dSpikeTime_dInput[order[i]] = sorted.dSpikeTime_dInput[i];
  }
  return { spikeTime: sorted.spikeTime, causalCount: sorted.causalCount, dSpikeTime_dWeight, dSpikeTime_dInput };
};

/** The friendly face of a model: `neuron.fire(params, inputTimes, weights)`, allocating. */
export const friendlyNeuron = (model: NeuronModel) => ({
  model,
  fire: (params: NeuronParams, inputTimes: ArrayLike<number>, weights: ArrayLike<number>): FiringResult =>
    fire(model, params, inputTimes, weights),
  potential: model.potential,
});
