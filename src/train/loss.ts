/**
 * Losses and their output error signals.
 *
 * Autoencoder (reference README section 3, "Loss"): with o_k = t_k − latency for an output that
 * fired and o_k = 1 for a silent one, and y_k the target time (1 for a target that does not spike),
 *
 *     L = (1/n) Σ_k (o_k − y_k)²
 *
 * The error signal the reference program back-propagates is δ_k = t_k − y_k − latency (the factor
 * 2/n of ∂L/∂t_k is dropped, which Adam's scale invariance makes harmless), plus
 * penaltyOutputSpikeTime · (t_k − latency) when that penalty is set. Silent outputs carry δ = 0:
 * they pass no error back (their incoming weights get the no-spike penalty instead).
 *
 * Classification (Comsa et al. 2021, "Temporal coding in spiking neural networks with alpha
 * synaptic function"): softmax over negative first-spike times, L = −ln(e^(−t_c) / Σ_j e^(−t_j)),
 * δ_j = ∂L/∂t_j = [j = c] − softmax(−t)_j.
 */

const silentAsOne = (t: number): number => (t === Infinity ? 1 : t);

/** The autoencoder's reported per-example loss. Targets use Infinity for "no spike". */
export const autoencoderLoss = (
  outputTimes: Float64Array,
  targets: ArrayLike<number>,
  latency: number,
  penaltyOutputSpikeTime = 0,
): number => {
  const n = outputTimes.length;
  let sum = 0;
  let penalty = 0;
  for (let k = 0; k < n; k++) {
    const t = outputTimes[k];
    const o = t === Infinity ? 1 : t - latency;
    const d = o - silentAsOne(targets[k]);
    sum += d * d;
    penalty += o * o;
  }
  return sum / n + penaltyOutputSpikeTime * penalty;
};

/** Writes the autoencoder error signal into `delta`; returns it. */
export const autoencoderErrorInto = (
  delta: Float64Array,
  outputTimes: Float64Array,
  targets: ArrayLike<number>,
  latency: number,
  penaltyOutputSpikeTime = 0,
): Float64Array => {
  for (let k = 0; k < outputTimes.length; k++) {
    const t = outputTimes[k];
    delta[k] =
      t === Infinity
        ? 0
        : t - silentAsOne(targets[k]) - latency + penaltyOutputSpikeTime * (t - latency);
  }
  return delta;
};

/** Softmax of negative spike times; silent outputs get probability 0. Returns Σ e^(−t_j + t_min). */
const softmaxNegInto = (p: Float64Array, outputTimes: Float64Array): number => {
  let tMin = Infinity;
  for (let j = 0; j < outputTimes.length; j++) if (outputTimes[j] < tMin) tMin = outputTimes[j];
  let z = 0;
  for (let j = 0; j < outputTimes.length; j++) {
    const e = outputTimes[j] === Infinity ? 0 : Math.exp(tMin - outputTimes[j]);
    p[j] = e;
    z += e;
  }
  for (let j = 0; j < outputTimes.length; j++) p[j] = z > 0 ? p[j] / z : 0;
  return z;
};

/**
 * First-spike cross-entropy. A silent output (no spike) has probability 0, so the loss is Infinity
 * when the labelled output is silent — unless `silentGap` is finite: then, for the reported loss
 * only, a silent output counts as firing `silentGap` after the earliest output spike (all silent:
 * as if every other output fired at once, the worst case gap + ln(n − 1 + e^(−gap))). The error
 * signal is unaffected: a silent output has no spike time to move (its weights get the no-spike
 * penalty instead).
 */
export const firstSpikeCrossEntropy = (outputTimes: Float64Array, label: number, silentGap = Infinity): number => {
  const n = outputTimes.length;
  let tMin = Infinity;
  for (let j = 0; j < n; j++) if (outputTimes[j] < tMin) tMin = outputTimes[j];
  if (tMin === Infinity) return silentGap + Math.log(n - 1 + Math.exp(-silentGap));
  const tLabel = outputTimes[label] === Infinity ? tMin + silentGap : outputTimes[label];
  if (tLabel === Infinity) return Infinity;
  let z = 0;
  for (let j = 0; j < n; j++) z += Math.exp(tMin - (outputTimes[j] === Infinity ? tMin + silentGap : outputTimes[j]));
  return tLabel - tMin + Math.log(z);
};

/** δ_j = [j = label] − softmax(−t)_j for outputs that fired, 0 for silent ones. */
export const firstSpikeCrossEntropyErrorInto = (
  delta: Float64Array,
  outputTimes: Float64Array,
  label: number,
): Float64Array => {
  softmaxNegInto(delta, outputTimes);
  for (let j = 0; j < outputTimes.length; j++) {
    delta[j] = outputTimes[j] === Infinity ? 0 : (j === label ? 1 : 0) - delta[j];
  }
  return delta;
};

/** Index of the earliest output spike (the predicted class); −1 if all are silent. */
export const firstSpikeClass = (outputTimes: Float64Array): number => {
  let best = -1;
  let tBest = Infinity;
  for (let j = 0; j < outputTimes.length; j++) {
    if (outputTimes[j] < tBest) {
      tBest = outputTimes[j];
      best = j;
    }
  }
  return best;
};
