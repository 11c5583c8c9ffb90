/**
 * Glorot initialisation with shifted means (Comsa et al. 2021, section 2.7): for weight layer l,
 * σ = sqrt(2 / (n_post + n_pre + P)); a weight from a regular neuron is drawn from
 * N(nonpulseWeightMeanMultiplier · σ, σ²), a weight from a pulse from
 * N(pulseWeightMeanMultiplier · σ, σ²), in the order layer, post, pre. Pulses start evenly spaced
 * in the input range.
 *
 * The random source is a parameter (`standardNormal`, a seeded N(0, 1) sampler): nothing here is
 * seeded at import time.
 */
import { type Network, type NetworkSpec, emptyNetwork, layerInputWidth } from './network.ts';

export interface InitOptions {
  readonly nonpulseWeightMeanMultiplier: number;
  readonly pulseWeightMeanMultiplier: number;
  readonly inputRange?: number;
}

export const glorotSigma = (nPost: number, nPreWithPulses: number): number =>
  Math.sqrt(2 / (nPost + nPreWithPulses));

export const initNetwork = (
  spec: NetworkSpec,
  opts: InitOptions,
  standardNormal: () => number,
): Network => {
  const net = emptyNetwork(spec, opts.inputRange ?? 1);
  for (let l = 0; l < net.weights.length; l++) {
    const nIn = layerInputWidth(net, l);
    const nReg = net.layerSizes[l];
    const nPost = net.layerSizes[l + 1];
    const sigma = glorotSigma(nPost, nIn);
    const muReg = opts.nonpulseWeightMeanMultiplier * sigma;
    const muPulse = opts.pulseWeightMeanMultiplier * sigma;
    const w = net.weights[l];
    for (let k = 0; k < nPost; k++) {
      for (let j = 0; j < nIn; j++) {
        w[k * nIn + j] = (j < nReg ? muReg : muPulse) + sigma * standardNormal();
      }
    }
  }
  return net;
};
