/**
 * The network value: a feed-forward stack of spiking-neuron layers with learnable synchronisation
 * pulses (Comsa et al. 2021, section 2.5).
 *
 * `layerSizes = [n0, n1, …, nL]` counts regular neurons per layer (n0 = inputs). Every layer but
 * the output layer carries `nPulses[l]` pulses: extra presynaptic spikes at learnable times
 * `pulses[l]`, appended after the regular neurons. Weight layer l maps layer l to layer l+1 and
 * is stored row-major, `n(l+1) × (n(l) + nPulses[l])`, row = post neuron, regular inputs first.
 * Times are dimensionless (inputs in [0, 1]); `decayRate` K and `threshold` θ are shared by all
 * neurons, and so is the neuron model (`neuron`, the alpha neuron unless given): the alpha model
 * runs on the fast alpha kernel, any other {@link NeuronModel} on the generic layer path.
 */
import { alphaModel } from '../kernels/alpha.ts';
import type { NeuronModel } from '../kernels/neuronModel.ts';

export interface NetworkSpec {
  readonly layerSizes: readonly number[];
  /** Pulses per non-output layer: one number for all, or one per layer (length L). */
  readonly nPulses: number | readonly number[];
  readonly decayRate: number;
  readonly threshold: number;
  /** The neuron model of every layer (default: the alpha neuron). */
  readonly neuron?: NeuronModel;
}

export interface Network {
  readonly layerSizes: readonly number[];
  readonly nPulses: readonly number[];
  readonly decayRate: number;
  readonly threshold: number;
  /** The neuron model of every layer. */
  readonly neuron: NeuronModel;
  /**
   * Every learnable parameter in one flat array: all weight layers, then all pulse times. The
   * arrays below are views into it (so optimisers and workers can treat it as one vector).
   */
  readonly params: Float64Array;
  /** Number of weights (params[0..weightCount) are weights, the rest pulse times). */
  readonly weightCount: number;
  /** weights[l]: n(l+1) × (n(l) + nPulses[l]), row-major. Updated in place by training. */
  readonly weights: readonly Float64Array[];
  /** pulses[l]: nPulses[l] spike times feeding layer l+1. Updated in place by training. */
  readonly pulses: readonly Float64Array[];
}

/** The shape part of a network (everything but the parameter values; no neuron = alpha). */
export type NetworkShape = Pick<Network, 'layerSizes' | 'nPulses' | 'decayRate' | 'threshold'> & {
  readonly neuron?: NeuronModel;
};

/** Number of weight layers (L). */
export const weightLayerCount = (net: Pick<Network, 'layerSizes'>): number =>
  net.layerSizes.length - 1;

/** Presynaptic width of weight layer l: regular inputs plus pulses. */
export const layerInputWidth = (net: Pick<Network, 'layerSizes' | 'nPulses'>, l: number): number =>
  net.layerSizes[l] + net.nPulses[l];

export const pulsesPerLayer = (spec: NetworkSpec): readonly number[] => {
  const L = spec.layerSizes.length - 1;
  if (typeof spec.nPulses === 'number') return Array.from({ length: L }, () => spec.nPulses as number);
  if (spec.nPulses.length !== L) {
    throw new RangeError(`nPulses: expected ${L} entries (one per non-output layer), got ${spec.nPulses.length}`);
  }
  return [...spec.nPulses];
};

/** Checks the invariants of a spec; returns an error message or null. */
export const specProblem = (spec: NetworkSpec): string | null => {
  if (spec.layerSizes.length < 2) return 'layerSizes: need at least an input and an output layer';
  for (const [i, n] of spec.layerSizes.entries()) {
    if (!Number.isInteger(n) || n < 1) return `layerSizes[${i}]: expected positive integer, got ${n}`;
  }
  const pulses = typeof spec.nPulses === 'number' ? [spec.nPulses] : spec.nPulses;
  for (const [i, p] of pulses.entries()) {
    if (!Number.isInteger(p) || p < 0) return `nPulses[${i}]: expected non-negative integer, got ${p}`;
  }
  if (!(spec.decayRate > 0)) return `decayRate: expected positive number, got ${spec.decayRate}`;
  if (!(spec.threshold > 0)) return `threshold: expected positive number, got ${spec.threshold}`;
  return null;
};

/** Total parameter count of a shape: all weights plus all pulse times. */
export const shapeParameterCount = (shape: Pick<Network, 'layerSizes' | 'nPulses'>): number => {
  let n = 0;
  for (let l = 0; l + 1 < shape.layerSizes.length; l++) {
    n += shape.layerSizes[l + 1] * layerInputWidth(shape, l) + shape.nPulses[l];
  }
  return n;
};

/**
 * Views a flat parameter vector (length {@link shapeParameterCount}) as a network. The vector is
 * shared, not copied: pass a SharedArrayBuffer-backed array to share parameters with workers.
 */
export const networkFromParams = (shape: NetworkShape, params: Float64Array): Network => {
  const expected = shapeParameterCount(shape);
  if (params.length !== expected) {
    throw new RangeError(`params: expected ${expected} values for this shape, got ${params.length}`);
  }
  const L = shape.layerSizes.length - 1;
  const weights: Float64Array[] = [];
  const pulses: Float64Array[] = [];
  let offset = 0;
  for (let l = 0; l < L; l++) {
    const n = shape.layerSizes[l + 1] * layerInputWidth(shape, l);
    weights.push(params.subarray(offset, offset + n));
    offset += n;
  }
  const weightCount = offset;
  for (let l = 0; l < L; l++) {
    pulses.push(params.subarray(offset, offset + shape.nPulses[l]));
    offset += shape.nPulses[l];
  }
  return {
    layerSizes: [...shape.layerSizes],
    nPulses: [...shape.nPulses],
    decayRate: shape.decayRate,
    threshold: shape.threshold,
    neuron: shape.neuron ?? alphaModel,
    params,
    weightCount,
    weights,
    pulses,
  };
};

/** A network of the given shape with all weights 0 and pulses evenly spaced in [0, inputRange]. */
export const emptyNetwork = (spec: NetworkSpec, inputRange = 1): Network => {
  const problem = specProblem(spec);
  if (problem !== null) throw new RangeError(problem);
  const shape = { ...spec, nPulses: pulsesPerLayer(spec) };
  const net = networkFromParams(shape, new Float64Array(shapeParameterCount(shape)));
  net.pulses.forEach((p, l) => p.set(evenPulses(shape.nPulses[l], inputRange)));
  return net;
};

/** p_i = range · i / (P + 1), i = 1..P: the paper's initial pulse times. */
export const evenPulses = (p: number, range = 1): Float64Array =>
  Float64Array.from({ length: p }, (_, i) => (range * (i + 1)) / (p + 1));

/** A deep copy with its own parameter vector. */
export const cloneNetwork = (net: Network): Network => networkFromParams(net, net.params.slice());
