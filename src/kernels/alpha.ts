/**
 * The alpha-kernel neuron of Comsa et al. (2021), eqs. 1, 4, 5.
 *
 * Potential (time and decay rate K dimensionless, weights in potential units):
 *
 *     V(t) = Σ_{t_i < t} w_i · (t − t_i) · e^(−K (t − t_i))
 *
 * Over the first k inputs (in time order) write A = Σ w_i e^(K t_i), B = Σ w_i e^(K t_i) t_i, so
 * V(t) = e^(−K t) (A t − B) between inputs. The first crossing of θ is, in closed form,
 *
 *     t_out = B/A − W0(x)/K,   x = −(K θ / A) · e^(K B / A)
 *
 * and the derivatives (eq. 5) are, for every input with t_p ≤ t_out,
 *
 *     ∂t_out/∂w_p = e^(K t_p) (t_p − B/A + W/K) / (A (1 + W))
 *     ∂t_out/∂t_p = w_p e^(K t_p) (K (t_p − B/A) + W + 1) / (A (1 + W))
 *
 * The scan decides whether V reaches θ between two consecutive inputs with a few multiply-adds:
 * V is unimodal there (peak at B/A + 1/K), so it suffices to test V at the next input time and,
 * only when the peak lies inside the interval, the peak height (one exp). Lambert W is evaluated
 * once, for the interval that holds the crossing. The result is the same spike as the reference
 * program's "candidate after every input" loop.
 *
 * ## Example
 * ```ts
 * import { alphaNeuron } from 'spikeline';
 * const r = alphaNeuron.fire({ decayRate: 1, threshold: 0.5 }, [0.1, 0.3, Infinity], [1.5, 1, 2]);
 * // r.spikeTime ≈ 0.74, r.causalCount = 2, r.dSpikeTime_dWeight[2] = 0
 * ```
 */
import { lambertW0 } from './lambertW.ts';
import {
  NO_SPIKE,
  fire,
  type NeuronFiring,
  type NeuronModel,
  type NeuronParams,
} from './neuronModel.ts';

/**
 * Per-neuron solution record, structure of arrays indexed by neuron: what the reverse pass needs.
 * `sumA`, `sumB`, `lambertW` are those of the crossing (0 for a silent neuron).
 */
export interface AlphaSolutions {
  readonly spikeTime: Float64Array;
  readonly sumA: Float64Array;
  readonly sumB: Float64Array;
  readonly lambertW: Float64Array;
  /** Number of sorted inputs processed (the causal set; for silent neurons, all spiking inputs). */
  readonly causalCount: Int32Array;
}

export const allocAlphaSolutions = (n: number): AlphaSolutions => ({
  spikeTime: new Float64Array(n),
  sumA: new Float64Array(n),
  sumB: new Float64Array(n),
  lambertW: new Float64Array(n),
  causalCount: new Int32Array(n),
});

/**
 * The hot kernel: first spike of one alpha neuron over time-sorted inputs.
 *
 * `sortedTimes[0..n)` ascending with NO_SPIKE last, `sortedExp[i] = e^(K·sortedTimes[i])`, and the
 * weight of sorted input i is `weights[weightOffset + weightIndex[i]]` (so one sorted presynaptic
 * order serves every row of a weight matrix). Writes the solution of neuron `k` into `out` and
 * returns the spike time (NO_SPIKE if silent). Allocation-free.
 */
export const alphaSpikeInto = (
  out: AlphaSolutions,
  k: number,
  decayRate: number,
  threshold: number,
  sortedTimes: Float64Array,
  sortedExp: Float64Array,
  n: number,
  weights: Float64Array,
  weightOffset: number,
  weightIndex: Int32Array,
): number => {
  const invK = 1 / decayRate;
  let a = 0;
  let b = 0;
  let i = 0;
  for (; i < n; i++) {
    const ti = sortedTimes[i];
    if (ti === NO_SPIKE) break;
    const we = weights[weightOffset + weightIndex[i]] * sortedExp[i];
    a += we;
    b += we * ti;
    if (a <= 0) continue; // V is non-increasing from below θ: no crossing in this interval
    const tNext = i + 1 < n ? sortedTimes[i + 1] : NO_SPIKE;
    // Crossing in [ti, tNext] ⇔ V(tNext) ≥ θ, or the peak lies inside and reaches θ.
    let crosses = tNext !== NO_SPIKE && a * tNext - b >= threshold * sortedExp[i + 1];
    if (!crosses) {
      const tPeak = b / a + invK;
      crosses = tPeak > ti && tPeak < tNext && a * invK >= threshold * Math.exp(decayRate * tPeak);
    }
    if (!crosses) continue;
    const x = -((decayRate * threshold) / a) * Math.exp((decayRate * b) / a);
    if (!(x >= -0.36787944117144233)) continue; // rounding at a tangential touch
    const w = lambertW0(x);
    const t = b / a - w * invK;
    if (t >= ti && t <= tNext) {
      out.spikeTime[k] = t;
      out.sumA[k] = a;
      out.sumB[k] = b;
      out.lambertW[k] = w;
      out.causalCount[k] = i + 1;
      return t;
    }
  }
  out.spikeTime[k] = NO_SPIKE;
  out.sumA[k] = 0;
  out.sumB[k] = 0;
  out.lambertW[k] = 0;
  out.causalCount[k] = i;
  return NO_SPIKE;
};

/**
 * Eq. 5 for neuron `k` of `sol` (which fired): writes ∂t_k/∂w and ∂t_k/∂t of sorted input i into
 * `dWeight[i]`, `dInput[i]` for every i with sortedTimes[i] ≤ t_k (the reference applies the
 * formula to an input exactly at t_k too), and returns that count m. Entries from m on are not
 * touched: they are exactly 0 by definition. Allocation-free.
 */
export const alphaDerivativesInto = (
  dWeight: Float64Array,
  dInput: Float64Array,
  sol: AlphaSolutions,
  k: number,
  decayRate: number,
  sortedTimes: Float64Array,
  sortedExp: Float64Array,
  n: number,
  weights: Float64Array,
  weightOffset: number,
  weightIndex: Int32Array,
): number => {
  const tk = sol.spikeTime[k];
  if (tk === NO_SPIKE) return 0;
  const a = sol.sumA[k];
  const ba = sol.sumB[k] / a;
  const w = sol.lambertW[k];
  const inv = 1 / (a * (1 + w));
  const wOverK = w / decayRate;
  const w1 = w + 1;
  let i = 0;
  for (; i < n; i++) {
    const tp = sortedTimes[i];
    if (tp > tk) break;
    const e = sortedExp[i];
    dWeight[i] = e * (tp - ba + wOverK) * inv;
    dInput[i] = weights[weightOffset + weightIndex[i]] * e * (decayRate * (tp - ba) + w1) * inv;
  }
  return i;
};

/** V(t) of the alpha neuron; inputs in any order. */
export const alphaPotential = (
  params: NeuronParams,
  inputTimes: ArrayLike<number>,
  weights: ArrayLike<number>,
  t: number,
): number => {
  let v = 0;
  for (let i = 0; i < inputTimes.length; i++) {
    const s = t - inputTimes[i];
    if (s > 0) v += weights[i] * s * Math.exp(-params.decayRate * s);
  }
  return v;
};

const alphaFireSortedInto = (
  out: NeuronFiring,
  params: NeuronParams,
  sortedTimes: ArrayLike<number>,
  sortedWeights: ArrayLike<number>,
  n: number,
): NeuronFiring => {
  const { decayRate, threshold } = params;
  const times = sortedTimes instanceof Float64Array ? sortedTimes : Float64Array.from(sortedTimes);
  const ws = sortedWeights instanceof Float64Array ? sortedWeights : Float64Array.from(sortedWeights);
  const exps = out.scratch;
  for (let i = 0; i < n; i++) exps[i] = Math.exp(decayRate * times[i]);
  const sol = SINGLE;
  const t = alphaSpikeInto(sol, 0, decayRate, threshold, times, exps, n, ws, 0, out.identity);
  out.spikeTime = t;
  out.causalCount = sol.causalCount[0];
  out.dSpikeTime_dWeight.fill(0, 0, n);
  out.dSpikeTime_dInput.fill(0, 0, n);
  alphaDerivativesInto(
    out.dSpikeTime_dWeight, out.dSpikeTime_dInput, sol, 0, decayRate, times, exps, n, ws, 0,
    out.identity,
  );
  return out;
};

// Single-neuron workspace: written and fully read within one synchronous call, so it carries no
// state from one call to the next.
const SINGLE = allocAlphaSolutions(1);

/** The alpha neuron as a {@link NeuronModel}. */
export const alphaModel: NeuronModel = {
  name: 'alpha',
  monotoneInWeights: true,
  potential: alphaPotential,
  fireSortedInto: alphaFireSortedInto,
};

/** Friendly entry point: `alphaNeuron.fire(params, inputTimes, weights)`, allocating. */
export const alphaNeuron = {
  model: alphaModel,
  fire: (params: NeuronParams, inputTimes: ArrayLike<number>, weights: ArrayLike<number>) =>
    fire(alphaModel, params, inputTimes, weights),
  potential: alphaPotential,
};
