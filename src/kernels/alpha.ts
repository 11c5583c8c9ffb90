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
 * The scan costs a few multiply-adds per input: between two inputs V ≤ e^(−K t_i)·max(A t_i − B,
 * A t_next − B), so no crossing is possible unless A·t_next − B ≥ θ e^(K t_i) (the quick bound);
 * only then does {@link alphaSolveInterval} evaluate x and Lambert W (the reference program's
 * candidate rule) — in practice once per neuron that fires, instead of once per input. The spike
 * is the same as the reference program's "candidate after every input" loop.
 *
 * ## Example
 * ```ts
 * import { alphaNeuron } from 'spikeline';
 * const r = alphaNeuron.fire({ decayRate: 1, threshold: 0.5 }, [0.1, 0.3, Infinity], [1.5, 1, 2]);
 * // r.spikeTime ≈ 0.4507, r.causalCount = 2, r.dSpikeTime_dWeight[2] = 0 (never spikes)
 * ```
 */
import { lambertW0, lambertW0InDomain } from './lambertW.ts';
import {
  NO_SPIKE,
  friendlyNeuron,
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

/** Records "silent after processing `count` inputs" for neuron k. Returns NO_SPIKE. */
export const markSilent = (out: AlphaSolutions, k: number, count: number): number => {
  out.spikeTime[k] = NO_SPIKE;
  out.sumA[k] = 0;
  out.sumB[k] = 0;
  out.lambertW[k] = 0;
  out.causalCount[k] = count;
  return NO_SPIKE;
};

/**
 * The exact decision for one interval: with sums a, b over the first `count` sorted inputs, does
 * V reach θ in [ti, tNext]? If so, solves t* by Lambert W, records the
 * solution of neuron k and returns t*; otherwise returns NO_SPIKE and records nothing.
 *
 * This is the reference program's candidate rule: a crossing of the current sums exists iff
 * x ≥ −1/e, and it counts iff t* lies in [ti, tNext] (an input at exactly t* is not causal).
 */
export const alphaSolveInterval = (
  out: AlphaSolutions,
  k: number,
  decayRate: number,
  threshold: number,
  a: number,
  b: number,
  ti: number,
  tNext: number,
  count: number,
): number => {
  const q = SOLVE;
  q[0] = decayRate;
  q[1] = threshold;
  q[2] = a;
  q[3] = b;
  q[4] = ti;
  q[5] = tNext;
  return solveAt(out, k, count, q) ? out.spikeTime[k] : NO_SPIKE;
};

/**
 * The decision of {@link alphaSolveInterval} on arguments in a Float64Array `q` = [decayRate,
 * threshold, a, b, ti, tNext]; returns whether neuron k fired (its solution then written to
 * `out`). The scans call it so: doubles passed to a function V8 does not inline are boxed (about
 * 20 KB of garbage per training step of the H=32 autoencoder, measured by the sampling heap
 * profiler), where an array and small integers are not.
 */
const solveAt = (out: AlphaSolutions, k: number, count: number, q: Float64Array): boolean => {
  const decayRate = q[0];
  const a = q[2];
  const b = q[3];
  if (!(a > 0)) return false; // V is non-increasing from below θ
  // x ≥ −1/e ⇔ the peak of e^(−Kt)(a t − b) reaches θ; then t* (the rising crossing) must lie in
  // [ti, tNext]. When V(tNext) ≥ θ the crossing is inside for sure (V(ti) < θ): only rounding at
  // a tangential touch can then put x just below −1/e.
  const x = -((decayRate * q[1]) / a) * Math.exp((decayRate * b) / a);
  if (!lambertW0InDomain(x)) return false;
  const w = lambertW0(x);
  const t = b / a - w / decayRate;
  if (!(t >= q[4] && t <= q[5])) return false;
  out.spikeTime[k] = t;
  out.sumA[k] = a;
  out.sumB[k] = b;
  out.lambertW[k] = w;
  out.causalCount[k] = count;
  return true;
};

/** Arguments of {@link solveAt}: written and read within one synchronous call. */
const SOLVE = new Float64Array(6);

/**
 * Sorted presynaptic spikes shared by all neurons of a layer: `time[0..nFinite)` ascending and
 * finite, `time[nFinite] = NO_SPIKE` (a sentinel: the arrays have length ≥ nFinite + 1),
 * `exp[i] = e^(K time[i])`, `threshExp[i] = θ · exp[i]`, and `index[i]` the input (column) of
 * sorted spike i.
 */
export interface SortedInputs {
  readonly time: Float64Array;
  readonly exp: Float64Array;
  readonly threshExp: Float64Array;
  readonly index: Int32Array;
  nFinite: number;
}

/** Room for `n` sorted inputs and the sentinel. */
export const allocSortedInputs = (n: number): SortedInputs => ({
  time: new Float64Array(n + 1),
  exp: new Float64Array(n + 1),
  threshExp: new Float64Array(n + 1),
  index: new Int32Array(n + 1),
  nFinite: 0,
});

/*
 * The scan's quick test. Between inputs i and i+1, V(t) = e^(−Kt)(a t − b) ≤ e^(−K t_i) ·
 * max(a t_i − b, a t_next − b); V(t_i) < θ already, so a crossing in [t_i, t_next] needs
 * a·t_next − b ≥ θ e^(K t_i). That costs one multiply-add per input and neuron; only when it
 * holds does alphaSolveInterval decide exactly. With t_next = NO_SPIKE the test holds iff a > 0.
 */

/**
 * The scan, the one accumulate-and-bound loop of the alpha kernel, resumable: continues neuron
 * k's search for its first spike over the sorted inputs [from, to) of `s`, starting from the sums
 * `sums[sumOffset]` = A and `sums[sumOffset + 1]` = B of the inputs before `from`. Sorted input i
 * has weight `weights[base + s.index[i] · stride]` (stride 1 for a row of a row-major nOut × nIn
 * matrix, nOut for a column of the transposed one) and closes the interval [time[i], time[i+1]]:
 * `time[to]` must already hold the next input time (or the NO_SPIKE sentinel). Per input: add
 * w·e^(K t) to A and w·e^(K t)·t to B, the quick bound, and only if it holds
 * {@link alphaSolveInterval}. Returns the spike time when neuron k fired in one of these intervals
 * (its solution written to `out`), else NO_SPIKE with the sums written back. Allocation-free.
 *
 * The batch ({@link alphaSpikeInto}: all inputs at once) and the stream (`layerStream.ts`: each
 * input as it arrives, interval by interval as the next time becomes known) both run this
 * function, so the same sums meet the same tests in the same order: stream ≡ batch bit for bit
 * (laws/streamLaws.ts). {@link alphaScanInto4} is this loop unrolled over four neurons, shared the
 * same way; the law "four-neuron scan = single-neuron scans" (test/model/layer.test.ts) holds it
 * to that.
 */
export const alphaScanInto = (
  out: AlphaSolutions,
  k: number,
  decayRate: number,
  threshold: number,
  s: SortedInputs,
  weights: Float64Array,
  base: number,
  stride: number,
  from: number,
  to: number,
  sums: Float64Array,
  sumOffset: number,
): number => {
  const { time, exp, threshExp, index } = s;
  const S = SOLVE;
  S[0] = decayRate;
  S[1] = threshold;
  let a = sums[sumOffset];
  let b = sums[sumOffset + 1];
  for (let i = from; i < to; i++) {
    const ti = time[i];
    const we = weights[base + index[i] * stride] * exp[i];
    a += we;
    b += we * ti;
    const tn = time[i + 1];
    if (a * tn - b >= threshExp[i]) {
      if (((S[2] = a), (S[3] = b), (S[4] = ti), (S[5] = tn), solveAt(out, k, i + 1, S))) return out.spikeTime[k];
    }
  }
  sums[sumOffset] = a;
  sums[sumOffset + 1] = b;
  return NO_SPIKE;
};

// Sums of a batch scan: written and fully read within one synchronous call.
const BATCH_SUMS = new Float64Array(2);

/**
 * The hot kernel: first spike of alpha neuron k over the sorted inputs `s`; the weight of sorted
 * spike i is `weights[weightOffset + s.index[i]]`. Writes the solution of neuron k into `out`
 * and returns its spike time (NO_SPIKE if silent). Allocation-free. ({@link alphaScanInto} over
 * every spiking input, from zero sums.)
 */
export const alphaSpikeInto = (
  out: AlphaSolutions,
  k: number,
  decayRate: number,
  threshold: number,
  s: SortedInputs,
  weights: Float64Array,
  weightOffset: number,
): number => {
  BATCH_SUMS[0] = 0;
  BATCH_SUMS[1] = 0;
  const t = alphaScanInto(out, k, decayRate, threshold, s, weights, weightOffset, 1, 0, s.nFinite, BATCH_SUMS, 0);
  return t !== NO_SPIKE ? t : markSilent(out, k, s.nFinite);
};

/**
 * {@link alphaScanInto} for the four neurons k..k+3 in one pass over the inputs [from, to): the
 * same loop unrolled, four independent accumulator chains keeping the FPU busy (a function call
 * per neuron and input would cost the chains). Resumable like it, and run for the batch and the
 * stream kernel (`layer.ts`, `layerStream.ts`) by `alphaScanRange` (once per block of four neurons
 * and call), so both make the same decisions on the same sums.
 *
 * Neuron k + q, sorted input i has weight `weights[base + q · neuronStride + s.index[i] ·
 * inputStride]` (batch: rows of a row-major nOut × nIn matrix, neuronStride = nIn and inputStride
 * = 1; stream: the transposed matrix, neuronStride = 1 and inputStride = nOut). Its sums A, B are
 * `sums[sumOffset + 2q]`, `sums[sumOffset + 2q + 1]`, read at the start and written back at the
 * end. A neuron that has fired (here or before) has B = +∞, which makes its quick test false from
 * then on (a·t − ∞ is −∞, or NaN at t = ∞); the sums of a fired neuron are not read otherwise.
 * Returns a bit mask of the neurons that fired in this call (bit q: neuron k + q, its solution
 * written to `out`). Results are those of four {@link alphaScanInto} calls, bit for bit: the law
 * "four-neuron scan = single-neuron scans" (test/model/layer.test.ts) holds it to that.
 */
export const alphaScanInto4 = (
  out: AlphaSolutions,
  k: number,
  decayRate: number,
  threshold: number,
  s: SortedInputs,
  weights: Float64Array,
  base: number,
  neuronStride: number,
  inputStride: number,
  from: number,
  to: number,
  sums: Float64Array,
  sumOffset: number,
): number => {
  const { time, exp, threshExp, index } = s;
  const n1 = neuronStride;
  const n2 = n1 + neuronStride;
  const n3 = n2 + neuronStride;
  let a0 = sums[sumOffset], b0 = sums[sumOffset + 1], a1 = sums[sumOffset + 2], b1 = sums[sumOffset + 3]; // prettier-ignore
  let a2 = sums[sumOffset + 4], b2 = sums[sumOffset + 5], a3 = sums[sumOffset + 6], b3 = sums[sumOffset + 7]; // prettier-ignore
  const S = SOLVE;
  S[0] = decayRate;
  S[1] = threshold;
  let fired = 0;
  let alive = (b0 !== Infinity ? 1 : 0) + (b1 !== Infinity ? 1 : 0) + (b2 !== Infinity ? 1 : 0) + (b3 !== Infinity ? 1 : 0);
  for (let i = from; i < to; i++) {
    const ti = time[i];
    const e = exp[i];
    const o = base + index[i] * inputStride;
    const w0 = weights[o] * e;
    const w1 = weights[o + n1] * e;
    const w2 = weights[o + n2] * e;
    const w3 = weights[o + n3] * e;
    a0 += w0;
    b0 += w0 * ti;
    a1 += w1;
    b1 += w1 * ti;
    a2 += w2;
    b2 += w2 * ti;
    a3 += w3;
    b3 += w3 * ti;
    const tn = time[i + 1];
    const te = threshExp[i];
    if (a0 * tn - b0 >= te || a1 * tn - b1 >= te || a2 * tn - b2 >= te || a3 * tn - b3 >= te) {
      const c = i + 1;
      S[4] = ti; // the interval's bounds, the same for the four neurons
      S[5] = tn;
      if (a0 * tn - b0 >= te && ((S[2] = a0), (S[3] = b0), solveAt(out, k, c, S))) {
        b0 = Infinity;
        fired |= 1;
        alive--;
      }
      if (a1 * tn - b1 >= te && ((S[2] = a1), (S[3] = b1), solveAt(out, k + 1, c, S))) {
        b1 = Infinity;
        fired |= 2;
        alive--;
      }
      if (a2 * tn - b2 >= te && ((S[2] = a2), (S[3] = b2), solveAt(out, k + 2, c, S))) {
        b2 = Infinity;
        fired |= 4;
        alive--;
      }
      if (a3 * tn - b3 >= te && ((S[2] = a3), (S[3] = b3), solveAt(out, k + 3, c, S))) {
        b3 = Infinity;
        fired |= 8;
        alive--;
      }
      if (alive === 0) break;
    }
  }
  sums[sumOffset] = a0;
  sums[sumOffset + 1] = b0;
  sums[sumOffset + 2] = a1;
  sums[sumOffset + 3] = b1;
  sums[sumOffset + 4] = a2;
  sums[sumOffset + 5] = b2;
  sums[sumOffset + 6] = a3;
  sums[sumOffset + 7] = b3;
  return fired;
};

// Sums of a four-neuron batch scan: written and fully read within one synchronous call.
const BATCH_SUMS4 = new Float64Array(8);

/**
 * {@link alphaSpikeInto} for the four neurons k..k+3 (rows of a row-major matrix with `rowLength`
 * columns): {@link alphaScanInto4} over every spiking input, from zero sums (the batch's fast
 * path). Results are identical to four single scans.
 */
export const alphaSpikeInto4 = (
  out: AlphaSolutions,
  k: number,
  decayRate: number,
  threshold: number,
  s: SortedInputs,
  weights: Float64Array,
  rowLength: number,
): void => {
  const z = BATCH_SUMS4;
  z[0] = 0; z[1] = 0; z[2] = 0; z[3] = 0; z[4] = 0; z[5] = 0; z[6] = 0; z[7] = 0; // prettier-ignore
  alphaScanInto4(out, k, decayRate, threshold, s, weights, k * rowLength, rowLength, 1, 0, s.nFinite, z, 0);
  // Silent: B still below +∞. (A neuron whose B overflowed to +∞ keeps its record, as this kernel
  // always did: with absurd weights the training's non-finite check then stops the run.)
  for (let q = 0; q < 4; q++) if (z[2 * q + 1] !== Infinity) markSilent(out, k + q, s.nFinite);
};

/*
 * Eq. 5: the derivatives of t* with respect to the weight and the time of input p (time tp,
 * e = e^(K tp), weight wp), for a neuron that fired with sums a, b and Lambert value w. Written
 * with the per-neuron factors ba = B/A, wOverK = W/K, w1 = W + 1, inv = 1/(A(1 + W)) hoisted, in
 * the reference program's order of operations. Applied to every input with tp ≤ t*.
 */

/**
 * 1 / (A (1 + W)), the factor shared by both derivatives. At an exactly tangential crossing
 * (W = −1) the derivatives are infinite; A (1 + W) is floored at 1e-300 so that they come out
 * huge but finite (and get clipped in training), or exactly 0 for a zero numerator — never NaN.
 */
export const alphaInverseSlope = (a: number, w: number): number => 1 / Math.max(a * (1 + w), 1e-300);

/** ∂t*∂w_p = e^(K tp) (tp − B/A + W/K) / (A (1 + W)). */
export const alphaDSpikeDWeight = (e: number, tp: number, ba: number, wOverK: number, inv: number): number =>
  e * (tp - ba + wOverK) * inv;

/** ∂t*∂t_p = w_p e^(K tp) (K (tp − B/A) + W + 1) / (A (1 + W)). */
export const alphaDSpikeDInput = (
  wp: number,
  e: number,
  tp: number,
  ba: number,
  decayRate: number,
  w1: number,
  inv: number,
): number => wp * e * (decayRate * (tp - ba) + w1) * inv;

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
  const ws = sortedWeights instanceof Float64Array ? sortedWeights : Float64Array.from(sortedWeights);
  const s = sortedInputsView(out, n);
  let nFinite = 0;
  for (let i = 0; i < n; i++) {
    const t = sortedTimes[i];
    s.time[i] = t;
    s.exp[i] = Math.exp(decayRate * t);
    s.threshExp[i] = threshold * s.exp[i];
    if (t !== NO_SPIKE) nFinite = i + 1;
  }
  s.time[n] = NO_SPIKE;
  s.exp[n] = Infinity;
  s.nFinite = nFinite;
  const sol = SINGLE;
  const t = alphaSpikeInto(sol, 0, decayRate, threshold, s, ws, 0);
  out.spikeTime = t;
  out.causalCount = sol.causalCount[0];
  out.dSpikeTime_dWeight.fill(0, 0, n);
  out.dSpikeTime_dInput.fill(0, 0, n);
  if (t === NO_SPIKE) return out;
  const a = sol.sumA[0];
  const ba = sol.sumB[0] / a;
  const w = sol.lambertW[0];
  const inv = alphaInverseSlope(a, w);
  const wOverK = w / decayRate;
  // The reference applies eq. 5 to every input with t_p ≤ t* (an input exactly at t* included).
  for (let i = 0; i < n && s.time[i] <= t; i++) {
    const e = s.exp[i];
    out.dSpikeTime_dWeight[i] = alphaDSpikeDWeight(e, s.time[i], ba, wOverK, inv);
    out.dSpikeTime_dInput[i] = alphaDSpikeDInput(ws[i], e, s.time[i], ba, decayRate, w + 1, inv);
  }
  return out;
};

// Single-neuron solution record: written and fully read within one synchronous call, so it
// carries no state from one call to the next.
const SINGLE = allocAlphaSolutions(1);

/** Sorted-input views over a firing record's workspace (4n + 3 doubles, n + 1 indices). */
const sortedInputsView = (out: NeuronFiring, n: number): SortedInputs => {
  const m = n + 1;
  return {
    time: out.scratch.subarray(0, m),
    exp: out.scratch.subarray(m, 2 * m),
    threshExp: out.scratch.subarray(2 * m, 3 * m),
    index: out.identity,
    nFinite: 0,
  };
};

/** The alpha neuron as a {@link NeuronModel}. */
export const alphaModel: NeuronModel = {
  name: 'alpha',
  monotoneInWeights: true,
  potential: alphaPotential,
  fireSortedInto: alphaFireSortedInto,
};

/** Friendly entry point: `alphaNeuron.fire(params, inputTimes, weights)`, allocating. */
export const alphaNeuron = friendlyNeuron(alphaModel);
