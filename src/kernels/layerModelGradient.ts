/**
 * Reverse pass over one layer of any {@link NeuronModel} (the generic path; the alpha fast path
 * is `layerGradient.ts`), with the same rules: for a post neuron k that fired,
 * dW[k][j] += clipG(δ_k · clipD(∂t_k/∂w_kj)) and δpre_j += δ_k · clipD(∂t_k/∂t_j), the
 * derivatives being those the model wrote into the {@link ModelLayerRecord} during the forward
 * pass; a silent neuron gets −penaltyNoSpike on every incoming weight and passes no error back.
 */
import type { LayerGradientParams } from './layerGradient.ts';
import type { LayerTape } from './layer.ts';
import type { ModelLayerRecord } from './layerModel.ts';

/** A clip of 0 is "off" (the largest double leaves every finite value alone). */
const clipLimit = (c: number): number => (c > 0 ? c : Number.MAX_VALUE);

/**
 * Adds the gradient of post neurons [from, to) to `gradWeights` and `deltaIn` (zero `deltaIn`
 * first for a fresh layer; inputs below `p.inputErrorFrom` get no error term). Allocation-free.
 */
export const layerBackwardModelRange = (
  gradWeights: Float64Array,
  deltaIn: Float64Array,
  tape: LayerTape,
  rec: ModelLayerRecord,
  deltaOut: Float64Array,
  p: LayerGradientParams,
  from: number,
  to: number,
): Float64Array => {
  const { nIn, sorted, post } = tape;
  const { index, nFinite } = sorted;
  const { dSpikeTime_dWeight: dW, dSpikeTime_dInput: dT } = rec;
  const cd = clipLimit(p.clipDerivative);
  const cg = clipLimit(p.clipGradient);
  const penalty = -p.penaltyNoSpike;
  const errorFrom = p.inputErrorFrom ?? 0;
  for (let k = from; k < to; k++) {
    const row = k * nIn;
    if (post.spikeTime[k] === Infinity) {
      if (penalty !== 0) for (let j = 0; j < nIn; j++) gradWeights[row + j] += penalty;
      continue;
    }
    const dk = deltaOut[k];
    for (let i = 0; i < nFinite; i++) {
      const j = index[i];
      const gw = dk * Math.min(Math.max(dW[row + i], -cd), cd);
      gradWeights[row + j] += Math.min(Math.max(gw, -cg), cg);
      if (j >= errorFrom) deltaIn[j] += dk * Math.min(Math.max(dT[row + i], -cd), cd);
    }
  }
  return gradWeights;
};
