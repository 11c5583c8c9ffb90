/**
 * Reverse pass over one layer's tape (see {@link LayerTape}), with the reference program's rules
 * (reference README, section 3 "Gradients"):
 *
 * - post neuron k fired: dW[k][j] = δ_k · clipD(∂t_k/∂w_kj) and δpre_j += δ_k · clipD(∂t_k/∂t_j),
 *   for every input j with t_j ≤ t_k (eq. 5 of the paper; later inputs contribute exactly 0);
 * - post neuron k silent: dW[k][j] = −penaltyNoSpike for every j (pulses included), and k passes
 *   no error back;
 * - clipD(v) = clamp(v, −clipDerivative, clipDerivative), 0 disables it; clipGradient, when > 0,
 *   clamps each weight-gradient product δ_k · clipD(·).
 *
 * The weight gradient is *added* to `gradWeights` (so a batch accumulates in example order);
 * `deltaIn` is overwritten.
 */
import { alphaDerivativesInto } from './alpha.ts';
import type { LayerTape } from './layer.ts';

export interface LayerGradientParams {
  readonly decayRate: number;
  /** Per-derivative clip; 0 = off. */
  readonly clipDerivative: number;
  /** Per-product clip of weight gradients; 0 = off. */
  readonly clipGradient: number;
  /** Gradient −penalty applied to every incoming weight of a silent neuron. */
  readonly penaltyNoSpike: number;
}

const clampTo = (v: number, c: number): number => (c > 0 ? (v > c ? c : v < -c ? -c : v) : v);

/**
 * Accumulates the gradient of post neurons [from, to) into `gradWeights` and their contribution
 * to `deltaIn`. Allocation-free. Returns `gradWeights`.
 */
export const layerBackwardRange = (
  gradWeights: Float64Array,
  deltaIn: Float64Array,
  tape: LayerTape,
  weights: Float64Array,
  deltaOut: Float64Array,
  p: LayerGradientParams,
  from: number,
  to: number,
): Float64Array => {
  const { nIn, sortedIndex, sortedTime, sortedExp, post, dWeight, dInput } = tape;
  const { decayRate, clipDerivative: cd, clipGradient: cg } = p;
  const penalty = -p.penaltyNoSpike;
  for (let k = from; k < to; k++) {
    const row = k * nIn;
    if (post.spikeTime[k] === Infinity) {
      if (penalty !== 0) for (let j = 0; j < nIn; j++) gradWeights[row + j] += penalty;
      continue;
    }
    const m = alphaDerivativesInto(
      dWeight, dInput, post, k, decayRate, sortedTime, sortedExp, nIn, weights, row, sortedIndex,
    );
    const dk = deltaOut[k];
    for (let i = 0; i < m; i++) {
      const j = sortedIndex[i];
      gradWeights[row + j] += clampTo(dk * clampTo(dWeight[i], cd), cg);
      deltaIn[j] += dk * clampTo(dInput[i], cd);
    }
  }
  return gradWeights;
};

/** The whole layer: zeroes `deltaIn`, then {@link layerBackwardRange} over every post neuron. */
export const layerBackward = (
  gradWeights: Float64Array,
  deltaIn: Float64Array,
  tape: LayerTape,
  weights: Float64Array,
  deltaOut: Float64Array,
  p: LayerGradientParams,
): Float64Array => {
  deltaIn.fill(0, 0, tape.nIn);
  return layerBackwardRange(gradWeights, deltaIn, tape, weights, deltaOut, p, 0, tape.nOut);
};
