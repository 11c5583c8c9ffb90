/**
 * Forward pass: input spike times → every layer's spike times, recorded on a {@link Tape}.
 *
 * `forwardInto` is the allocation-free form used by training; `forward` allocates a tape and
 * returns copies of every layer's spike times.
 */
import { alphaModel } from '../kernels/alpha.ts';
import { type LayerTape, layerForward } from '../kernels/layer.ts';
import { layerForwardModel } from '../kernels/layerModel.ts';
import type { Network } from './network.ts';
import { type Tape, allocTape, outputTimes } from './tape.ts';

/**
 * Runs the network on one example: the alpha kernel for alpha networks, the generic layer path
 * (`layerForwardModel`, derivatives into `tape.models`) for any other neuron model. `input`
 * holds layerSizes[0] spike times (NO_SPIKE = Infinity for inputs that do not spike). Returns
 * the output spike times (a view into the tape).
 * `afterLayer`, if given, may revise layer l's record before the next layer reads it (the
 * conformance tool puts the original program's Lambert W there).
 */
export const forwardInto = (
  tape: Tape,
  net: Network,
  input: ArrayLike<number>,
  afterLayer?: (layer: LayerTape, l: number) => void,
): Float64Array => {
  const L = tape.layers.length;
  const alpha = net.neuron === alphaModel;
  if (!alpha && tape.models.length !== L) {
    throw new RangeError(`forward: the tape has no derivative record for the ${net.neuron.name} model (allocate it with allocTape(network))`);
  }
  for (let l = 0; l < L; l++) {
    const lt = tape.layers[l];
    const nReg = net.layerSizes[l];
    const times = lt.inputTimes;
    if (l === 0) copyInput(times, input, nReg);
    else times.set(tape.layers[l - 1].post.spikeTime);
    times.set(net.pulses[l], nReg);
    if (alpha) layerForward(lt, net.weights[l], net.decayRate, net.threshold);
    else layerForwardModel(lt, tape.models[l], net.weights[l], net.neuron, net);
    if (afterLayer !== undefined) afterLayer(lt, l);
  }
  return outputTimes(tape);
};

/** times[0, n) = input[0, n): a block copy for a Float64Array of exactly n times (the usual case). */
const copyInput = (times: Float64Array, input: ArrayLike<number>, n: number): void => {
  if (input instanceof Float64Array && input.length === n) times.set(input);
  else for (let i = 0; i < n; i++) times[i] = input[i];
};

export interface ForwardResult {
  /** layerTimes[l]: spike times of the regular neurons of layer l+1 (hidden…, output). */
  readonly layerTimes: readonly Float64Array[];
  readonly output: Float64Array;
  readonly tape: Tape;
}

/** Friendly, allocating forward pass. */
export const forward = (net: Network, input: ArrayLike<number>): ForwardResult => {
  if (input.length !== net.layerSizes[0]) {
    throw new RangeError(`forward: expected ${net.layerSizes[0]} input times, got ${input.length}`);
  }
  const tape = allocTape(net);
  forwardInto(tape, net, input);
  const layerTimes = tape.layers.map((lt) => lt.post.spikeTime.slice());
  return { layerTimes, output: layerTimes[layerTimes.length - 1], tape };
};
