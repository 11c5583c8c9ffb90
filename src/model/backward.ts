/**
 * The reverse pass: a separate sweep over the tapes of a forward pass, from the output layer down,
 * accumulating per-example gradients of the weights and pulse times (reference README section 3,
 * "Gradients"; the layer rules are in {@link layerBackward}, and for models other than alpha in
 * {@link layerBackwardModelRange}, over the derivatives the forward pass recorded).
 *
 * The caller puts the output error signal δ in `tape.deltaOut` (see `src/train/loss.ts`). Of the
 * first layer's error terms `tape.deltaIn[0]` only the pulses' are computed by default (the
 * image's inputs have no parameters; their entries stay 0); pass `inputErrorFrom: 0` for all of
 * them (the loss's derivative by each input spike time). The gradient is *added* to `grad` (a flat vector laid out like `network.params`), so a batch
 * accumulates its examples in order.
 */
import { alphaModel } from '../kernels/alpha.ts';
import { type LayerGradientParams, layerBackward } from '../kernels/layerGradient.ts';
import { layerBackwardModelRange } from '../kernels/layerModelGradient.ts';
import type { Network } from './network.ts';
import type { Tape } from './tape.ts';

export type BackwardParams = Omit<LayerGradientParams, 'decayRate'>;

/** Views of a flat gradient vector shaped like the network's parameters. */
export interface GradientViews {
  readonly weights: readonly Float64Array[];
  readonly pulses: readonly Float64Array[];
}

export const gradientViews = (net: Network, grad: Float64Array): GradientViews => {
  let offset = 0;
  const weights = net.weights.map((w) => {
    const v = grad.subarray(offset, offset + w.length);
    offset += w.length;
    return v;
  });
  const pulses = net.pulses.map((p) => {
    const v = grad.subarray(offset, offset + p.length);
    offset += p.length;
    return v;
  });
  return { weights, pulses };
};

/** The layers' parameters: `first` for layer 0, `rest` for the others. */
export interface LayerParamsPair {
  readonly rest: LayerGradientParams;
  readonly first: LayerGradientParams;
}

/** Per `BackwardParams` object, the pair last made from it (so a training loop allocates nothing). */
const layerParamsCache = new WeakMap<BackwardParams, LayerParamsPair>();

/**
 * The layers' reverse-pass parameters for `p` on `net`: `first` for layer 0 (its pulses' error
 * terms alone unless `p.inputErrorFrom` says otherwise), `rest` for the others. Made once per
 * `p` and reused while the net's decay rate and the clips stay the same.
 */
export const layerParamsOf = (p: BackwardParams, net: Network): LayerParamsPair => {
  // the image's inputs have no parameters: by default the first layer computes its pulses' error terms alone
  const firstFrom = p.inputErrorFrom ?? net.layerSizes[0];
  const c = layerParamsCache.get(p);
  if (
    c !== undefined && c.rest.decayRate === net.decayRate && c.first.inputErrorFrom === firstFrom &&
    c.rest.clipDerivative === p.clipDerivative && c.rest.clipGradient === p.clipGradient && c.rest.penaltyNoSpike === p.penaltyNoSpike
  ) return c; // prettier-ignore
  const rest: LayerGradientParams = {
    clipDerivative: p.clipDerivative,
    clipGradient: p.clipGradient,
    penaltyNoSpike: p.penaltyNoSpike,
    decayRate: net.decayRate,
    inputErrorFrom: 0,
  };
  const made = { rest, first: { ...rest, inputErrorFrom: firstFrom } };
  layerParamsCache.set(p, made);
  return made;
};

export const backwardInto = (
  grad: GradientViews,
  tape: Tape,
  net: Network,
  p: BackwardParams,
): GradientViews => {
  const { rest: lp, first: lp0 } = layerParamsOf(p, net);
  const alpha = net.neuron === alphaModel;
  for (let l = tape.layers.length - 1; l >= 0; l--) {
    const deltaOut = l === tape.layers.length - 1 ? tape.deltaOut : tape.deltaIn[l + 1];
    const lpl = l === 0 ? lp0 : lp;
    const deltaIn = tape.deltaIn[l];
    if (alpha) layerBackward(grad.weights[l], deltaIn, tape.layers[l], net.weights[l], deltaOut, lpl);
    else {
      deltaIn.fill(0);
      layerBackwardModelRange(grad.weights[l], deltaIn, tape.layers[l], tape.models[l], deltaOut, lpl, 0, tape.layers[l].nOut);
    }
    const nReg = net.layerSizes[l];
    const gp = grad.pulses[l];
    for (let q = 0; q < gp.length; q++) gp[q] += deltaIn[nReg + q];
  }
  return grad;
};
