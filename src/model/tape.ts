/**
 * The record of one example's forward pass through a network: one {@link LayerTape} per weight
 * layer plus the reverse-pass error buffers. Allocated once per network shape and reused for every
 * example (structure of arrays, no per-example allocation).
 */
import { alphaModel } from '../kernels/alpha.ts';
import { type LayerTape, allocLayerTape } from '../kernels/layer.ts';
import { type ModelLayerRecord, allocModelLayerRecord } from '../kernels/layerModel.ts';
import { type NetworkShape, layerInputWidth } from './network.ts';

export interface Tape {
  readonly layers: readonly LayerTape[];
  /**
   * For a network of any model but alpha (the generic path): per weight layer, the derivatives
   * its model reported. Empty for the alpha fast path, whose tape is `layers` alone.
   */
  readonly models: readonly ModelLayerRecord[];
  /**
   * deltaIn[l]: error signal of each presynaptic input of weight layer l (regular, then pulses);
   * for l = 0 the pulses' alone unless `backwardInto` is asked for all (`inputErrorFrom: 0`).
   */
  readonly deltaIn: readonly Float64Array[];
  /** Error signal of the output neurons. */
  readonly deltaOut: Float64Array;
}

export const allocTape = (net: Pick<NetworkShape, 'layerSizes' | 'nPulses' | 'neuron'>): Tape => {
  const generic = net.neuron !== undefined && net.neuron !== alphaModel;
  const layers: LayerTape[] = [];
  const models: ModelLayerRecord[] = [];
  const deltaIn: Float64Array[] = [];
  for (let l = 0; l + 1 < net.layerSizes.length; l++) {
    const nIn = layerInputWidth(net, l);
    layers.push(allocLayerTape(nIn, net.layerSizes[l + 1]));
    if (generic) models.push(allocModelLayerRecord(nIn, net.layerSizes[l + 1]));
    deltaIn.push(new Float64Array(nIn));
  }
  return { layers, models, deltaIn, deltaOut: new Float64Array(net.layerSizes[net.layerSizes.length - 1]) };
};

/** Spike times of the regular neurons of layer l+1 (l = weight layer) from the last forward pass. */
export const layerOutputTimes = (tape: Tape, l: number): Float64Array => tape.layers[l].post.spikeTime;

/** Output-layer spike times of the last forward pass (a view into the tape). */
export const outputTimes = (tape: Tape): Float64Array =>
  tape.layers[tape.layers.length - 1].post.spikeTime;
