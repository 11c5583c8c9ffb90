/**
 * What the alpha layer's reverse pass takes (`layerGradient.ts`): its parameters, the meaning of
 * a clip of 0, and the signature shared by its scalar and SIMD kernels.
 */
import type { LayerTape } from './layer.ts';

export interface LayerGradientParams {
  readonly decayRate: number;
  /** Per-derivative clip; 0 = off. */
  readonly clipDerivative: number;
  /** Per-product clip of weight gradients; 0 = off. */
  readonly clipGradient: number;
  /** Gradient −penalty applied to every incoming weight of a silent neuron. */
  readonly penaltyNoSpike: number;
  /**
   * The first input whose error term is wanted (0 or absent: all). Inputs j below it get none:
   * `deltaIn[j]` keeps its value. The first layer passes its count of regular inputs: the image's
   * inputs have no parameters, only its pulses need their error terms, and skipping the others
   * saves half of that layer's reverse pass. Weight gradients are the same either way.
   */
  readonly inputErrorFrom?: number;
}

/**
 * A clip of 0 means "off": the largest finite double, which leaves every finite value alone.
 * (Clamps are written as Math.min(Math.max(v, −c), c) in the scalar loop: with c finite V8 makes
 * them branch-free; measured here, a ternary clamp, an infinite bound or a clamp helper that V8
 * declines to inline makes the whole reverse pass 2–3× slower.)
 */
export const clipBound = (c: number): number => (c > 0 ? c : Number.MAX_VALUE);

/**
 * Accumulates the gradient of post neurons [from, to) of `tape` into `gradWeights` and their
 * contribution to `deltaIn` (see `layerBackwardRangeScalar` for the rules and `deltaRowStride`).
 * Returns `gradWeights`.
 */
export type LayerBackwardKernel = (
  gradWeights: Float64Array,
  deltaIn: Float64Array,
  tape: LayerTape,
  weights: Float64Array,
  deltaOut: Float64Array,
  p: LayerGradientParams,
  from: number,
  to: number,
  deltaRowStride?: number,
) => Float64Array;
