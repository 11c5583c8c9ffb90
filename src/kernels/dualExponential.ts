/**
 * The dual-exponential neuron: a second {@link NeuronModel} with the same contract as the alpha
 * neuron, and a closed-form spike time by the quadratic formula.
 *
 * Potential (time and decay rate τ dimensionless, weights in potential units):
 *
 *     V(t) = Σ_{t_i < t} w_i · (e^(−τ s_i) − e^(−2τ s_i)),   s_i = t − t_i
 *
 * Each kernel rises from 0, peaks at s = ln 2 / τ with height 1/4, and decays like e^(−τ s).
 * With u = e^(−τ t), A1 = Σ w_i e^(τ t_i) and A2 = Σ w_i e^(2τ t_i) over the inputs seen so far,
 * V = A1 u − A2 u², a quadratic in u. The kernel evaluates it relative to the latest input time
 * t_k (v = e^(−τ (t − t_k)) ∈ (0, 1] on [t_k, ∞)), with the decayed sums
 *
 *     P1 = A1 e^(−τ t_k) = Σ w_i e^(−τ (t_k − t_i)),   P2 = A2 e^(−2τ t_k),   V = P1 v − P2 v²,
 *
 * updated per input by P1 ← P1 d + w, P2 ← P2 d² + w (d = e^(−τ Δt)): no overflow for late
 * inputs, and exactly invariant under a shift of all times.
 *
 * Spike time. Between inputs, V ≥ θ ⇔ P2 v² − P1 v + θ ≤ 0. A crossing needs P2 > 0 (for
 * P2 ≤ 0, V is non-increasing in t wherever it is positive, so from V(t_k) < θ it never rises to
 * θ) and a non-negative discriminant D = P1² − 4 P2 θ (else the peak P1²/(4 P2) is below θ). The
 * first crossing in time is the larger root, computed without cancellation (P1 > 0 there):
 *
 *     v* = (P1 + √D) / (2 P2),   t* = t_k − ln(v*) / τ
 *
 * Event-driven semantics as the alpha neuron: inputs in time order; the crossing must lie in
 * [t_k, t_next]; the first such crossing is the spike. The crossing is decided by sign tests
 * (V(t_next) ≥ θ, or the peak lies inside the interval with D ≥ 0) and the root is then clamped
 * into [t_k, t_next], so rounding of ln/√ never loses a spike the sign test has seen.
 *
 * Derivatives (implicit function theorem, V(t*) = θ), for every input with t_i ≤ t*, with
 * q_i = e^(−τ (t* − t_i)) and the slope V'(t*) = τ v* √D:
 *
 *     ∂t*∂w_i = −q_i (1 − q_i) / V'(t*)             (≤ 0: the kernel is ≥ 0 for s ≥ 0)
 *     ∂t*∂t_i =  w_i τ q_i (2 q_i − 1) / V'(t*)      (they sum to 1 over the causal set)
 *
 * At an exactly tangential crossing (D = 0) the slope is 0 and the derivatives are infinite, as
 * the true ones are; an input with kernel value 0 (t_i = t*) gets ∂t*∂w_i = 0, never NaN.
 *
 * monotoneInWeights = true, proved: ∂V/∂w_i is the kernel value e^(−τs) − e^(−2τs) ≥ 0 for
 * s ≥ 0, and V'(t*) ≥ 0 at a first (upward) crossing, so ∂t*∂w_i ≤ 0 for every causal input.
 *
 * ## Example
 * ```ts
 * import { dualExponentialNeuron } from 'spikeline';
 * const r = dualExponentialNeuron.fire({ decayRate: 1, threshold: 0.2 }, [0, 0.1, Infinity], [1, 0.5, 2]);
 * // r.spikeTime ≈ 0.21, r.causalCount = 2, r.dSpikeTime_dWeight[2] = 0
 * ```
 */
import {
  NO_SPIKE,
  friendlyNeuron,
  type NeuronFiring,
  type NeuronModel,
  type NeuronParams,
} from './neuronModel.ts';

/** V(t) of the dual-exponential neuron; inputs in any order (NO_SPIKE inputs contribute 0). */
export const dualExponentialPotential = (
  params: NeuronParams,
  inputTimes: ArrayLike<number>,
  weights: ArrayLike<number>,
  t: number,
): number => {
  const tau = params.decayRate;
  let v = 0;
  for (let i = 0; i < inputTimes.length; i++) {
    const s = t - inputTimes[i];
    if (s > 0) {
      const e = Math.exp(-tau * s);
      // e^(−τs) − e^(−2τs) = e^(−τs)(1 − e^(−τs)); expm1 keeps small s accurate.
      v -= weights[i] * e * Math.expm1(-tau * s);
    }
  }
  return v;
};

/**
 * Does V = p1 v − p2 v² reach θ for v in [vNext, 1], i.e. t in [t_k, t_next]? Returns the
 * crossing's v* clamped into that interval, or 0 when there is none. `vNext` = e^(−τ (t_next − t_k)),
 * 0 for t_next = NO_SPIKE. Decided by sign tests, never by a NaN from √ of a negative number.
 */
export const dualExponentialCrossing = (p1: number, p2: number, threshold: number, vNext: number): number => {
  if (!(p2 > 0) || !(p1 > 0)) return 0;
  const d = p1 * p1 - 4 * p2 * threshold;
  if (d < 0) return 0;
  const vPeak = p1 / (2 * p2);
  const reachesAtNext = vNext > 0 && p1 * vNext - p2 * vNext * vNext >= threshold;
  const peakInside = vPeak > vNext && vPeak <= 1;
  if (!reachesAtNext && !peakInside) return 0;
  const root = (p1 + Math.sqrt(d)) / (2 * p2);
  return root > 1 ? 1 : root < vNext ? vNext : root;
};

const dualExponentialFireSortedInto = (
  out: NeuronFiring,
  params: NeuronParams,
  sortedTimes: ArrayLike<number>,
  sortedWeights: ArrayLike<number>,
  n: number,
): NeuronFiring => {
  const tau = params.decayRate;
  const threshold = params.threshold;
  const dw = out.dSpikeTime_dWeight;
  const dt = out.dSpikeTime_dInput;
  dw.fill(0, 0, n);
  dt.fill(0, 0, n);
  let p1 = 0;
  let p2 = 0;
  let tPrev = 0;
  let spikeTime = NO_SPIKE;
  let vStar = 0;
  let disc = 0;
  let count = 0;
  for (let k = 0; k < n; k++) {
    const tk = sortedTimes[k];
    if (tk === NO_SPIKE) break;
    if (k > 0) {
      const decay = Math.exp(-tau * (tk - tPrev));
      p1 *= decay;
      p2 *= decay * decay;
    }
    const w = sortedWeights[k];
    p1 += w;
    p2 += w;
    tPrev = tk;
    count = k + 1;
    const tNext = k + 1 < n ? sortedTimes[k + 1] : NO_SPIKE;
    const vNext = tNext === NO_SPIKE ? 0 : Math.exp(-tau * (tNext - tk));
    const v = dualExponentialCrossing(p1, p2, threshold, vNext);
    if (v > 0) {
      vStar = v;
      disc = p1 * p1 - 4 * p2 * threshold;
      const t = tk - Math.log(v) / tau;
      // Clamped in v; clamp in t as well against rounding of log.
      spikeTime = t < tk ? tk : t > tNext ? tNext : t;
      break;
    }
  }
  out.spikeTime = spikeTime;
  out.causalCount = count;
  if (spikeTime === NO_SPIKE) return out;
  const slope = tau * vStar * Math.sqrt(disc); // V'(t*)
  for (let i = 0; i < count; i++) {
    const s = spikeTime - sortedTimes[i];
    const q = Math.exp(-tau * s);
    // ∂V/∂w_i = q (1 − q) = −q·expm1(−τ s) and ∂V/∂t_i = −w_i τ q (2q − 1); ∂t* = −∂V / V'(t*).
    const dVdw = -q * Math.expm1(-tau * s);
    dw[i] = dVdw === 0 ? 0 : -dVdw / slope;
    const minusdVdt = sortedWeights[i] * tau * q * (2 * q - 1);
    dt[i] = minusdVdt === 0 ? 0 : minusdVdt / slope;
  }
  return out;
};

/** The dual-exponential neuron as a {@link NeuronModel}. */
export const dualExponentialModel: NeuronModel = {
  name: 'dual-exponential',
  monotoneInWeights: true,
  potential: dualExponentialPotential,
  fireSortedInto: dualExponentialFireSortedInto,
};

/** Friendly entry point: `dualExponentialNeuron.fire(params, inputTimes, weights)`, allocating. */
export const dualExponentialNeuron = friendlyNeuron(dualExponentialModel);
