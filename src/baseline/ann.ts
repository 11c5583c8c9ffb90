/**
 * The conventional (non-spiking) autoencoder baseline of Comsa et al. 2021, section 2.8:
 * i → h → o with biases, encoder activation f (ReLU in the paper), decoder activation g (sigmoid):
 *
 *     a1 = f(W1 x + b1),   y = g(W2 a1 + b2),   L = (1/o) Σ_k (y_k − target_k)²
 *
 * Parameters live in one flat `Float64Array` [W1 (h×i, row = hidden neuron), b1, W2 (o×h), b2];
 * the views below share it. Forward and reverse passes write into a preallocated {@link AnnTape};
 * nothing allocates per example. Initialisation is Glorot-uniform weights and zero biases (the
 * TensorFlow default the paper's ANNs used), from a seeded RNG.
 *
 * Parameter counts: an ANN with biases has i·h + h + h·o + o; the spiking network with p pulses
 * per layer has (i + p)·h + (h + p)·o + 2p (weights from pulses plus the pulse times).
 *
 * ## Example
 * ```ts
 * const net = initAnn({ inputSize: 784, hidden: 32, outputSize: 784, encoder: 'relu', decoder: 'sigmoid' }, createRng(0));
 * const tape = allocAnnTape(net);
 * annForwardInto(tape, net, x);          // tape.a2 holds the reconstruction
 * ```
 */
import type { Rng } from '../data/rng.ts';
import { type Activation, activate, activationSlope } from './activations.ts';

export interface AnnSpec {
  readonly inputSize: number;
  readonly hidden: number;
  readonly outputSize: number;
  readonly encoder: Activation;
  readonly decoder: Activation;
}

export interface AnnAutoencoder extends AnnSpec {
  /** [W1, b1, W2, b2] in one vector; the views below share it. */
  readonly params: Float64Array;
  /** hidden × inputSize, row-major (row = hidden neuron). */
  readonly w1: Float64Array;
  readonly b1: Float64Array;
  /** outputSize × hidden, row-major (row = output neuron). */
  readonly w2: Float64Array;
  readonly b2: Float64Array;
}

/** i·h + h + h·o + o. */
export const annParameterCount = (i: number, h: number, o: number): number => i * h + h + h * o + o;

/** (i + p)·h + (h + p)·o + 2p: the spiking i–h–o network with p pulses per non-output layer. */
export const snnParameterCount = (i: number, h: number, o: number, p: number): number =>
  (i + p) * h + (h + p) * o + 2 * p;

const checkSpec = (s: AnnSpec): void => {
  for (const k of ['inputSize', 'hidden', 'outputSize'] as const) {
    if (!Number.isInteger(s[k]) || s[k] < 1) throw new RangeError(`ann: ${k} must be a positive integer, got ${s[k]}`);
  }
};

/** Views a parameter vector (length annParameterCount) as a network (shared, not copied). */
export const annFromParams = (spec: AnnSpec, params: Float64Array): AnnAutoencoder => {
  checkSpec(spec);
  const { inputSize: i, hidden: h, outputSize: o } = spec;
  const n = annParameterCount(i, h, o);
  if (params.length !== n) throw new RangeError(`ann: expected ${n} parameters, got ${params.length}`);
  return {
    inputSize: i,
    hidden: h,
    outputSize: o,
    encoder: spec.encoder,
    decoder: spec.decoder,
    params,
    w1: params.subarray(0, i * h),
    b1: params.subarray(i * h, i * h + h),
    w2: params.subarray(i * h + h, i * h + h + h * o),
    b2: params.subarray(i * h + h + h * o, n),
  };
};

/** Glorot-uniform weights U(±√(6/(fan_in + fan_out))), zero biases. */
export const initAnn = (spec: AnnSpec, rng: Rng): AnnAutoencoder => {
  checkSpec(spec);
  const net = annFromParams(spec, new Float64Array(annParameterCount(spec.inputSize, spec.hidden, spec.outputSize)));
  const l1 = Math.sqrt(6 / (spec.inputSize + spec.hidden));
  const l2 = Math.sqrt(6 / (spec.hidden + spec.outputSize));
  for (let k = 0; k < net.w1.length; k++) net.w1[k] = (2 * rng.nextFloat() - 1) * l1;
  for (let k = 0; k < net.w2.length; k++) net.w2[k] = (2 * rng.nextFloat() - 1) * l2;
  return net;
};

/** Activations of one example, preallocated and reused. */
export interface AnnTape {
  readonly z1: Float64Array;
  readonly a1: Float64Array;
  readonly z2: Float64Array;
  /** The reconstruction. */
  readonly a2: Float64Array;
  /** ∂L/∂z2 and ∂L/∂z1 of the last reverse pass. */
  readonly d2: Float64Array;
  readonly d1: Float64Array;
}

export const allocAnnTape = (s: AnnSpec): AnnTape => ({
  z1: new Float64Array(s.hidden),
  a1: new Float64Array(s.hidden),
  z2: new Float64Array(s.outputSize),
  a2: new Float64Array(s.outputSize),
  d2: new Float64Array(s.outputSize),
  d1: new Float64Array(s.hidden),
});

/** Encoder only: writes z1 and a1 (the embedding) from input x. Returns tape.a1. */
export const annEncodeInto = (tape: AnnTape, net: AnnAutoencoder, x: ArrayLike<number>): Float64Array => {
  const { inputSize: n, hidden: h, w1, b1, encoder } = net;
  for (let j = 0; j < h; j++) {
    let s = b1[j];
    const row = j * n;
    for (let k = 0; k < n; k++) s += w1[row + k] * x[k];
    tape.z1[j] = s;
    tape.a1[j] = activate(encoder, s);
  }
  return tape.a1;
};

/** Decoder only: writes z2 and a2 from the hidden activations in tape.a1. Returns tape.a2. */
export const annDecodeInto = (tape: AnnTape, net: AnnAutoencoder): Float64Array => {
  const { hidden: h, outputSize: o, w2, b2, decoder } = net;
  const a1 = tape.a1;
  for (let k = 0; k < o; k++) {
    let s = b2[k];
    const row = k * h;
    for (let j = 0; j < h; j++) s += w2[row + j] * a1[j];
    tape.z2[k] = s;
    tape.a2[k] = activate(decoder, s);
  }
  return tape.a2;
};

/** Full forward pass; returns the reconstruction (tape.a2). */
export const annForwardInto = (tape: AnnTape, net: AnnAutoencoder, x: ArrayLike<number>): Float64Array => {
  annEncodeInto(tape, net, x);
  return annDecodeInto(tape, net);
};

/** Per-pixel mean squared error of the last forward pass against `target`. */
export const annLoss = (tape: AnnTape, target: ArrayLike<number>): number => {
  const a2 = tape.a2;
  let s = 0;
  for (let k = 0; k < a2.length; k++) {
    const d = a2[k] - target[k];
    s += d * d;
  }
  return s / a2.length;
};

/**
 * Reverse pass after `annForwardInto(tape, net, x)`: adds ∂L/∂params of this example to `grad`
 * (laid out like net.params). Returns the example's loss.
 */
export const annBackwardInto = (
  grad: Float64Array,
  tape: AnnTape,
  net: AnnAutoencoder,
  x: ArrayLike<number>,
  target: ArrayLike<number>,
): number => {
  const { inputSize: n, hidden: h, outputSize: o, w2, encoder, decoder } = net;
  const { z1, a1, z2, a2, d2, d1 } = tape;
  const gW1 = 0;
  const gB1 = n * h;
  const gW2 = gB1 + h;
  const gB2 = gW2 + h * o;
  const scale = 2 / o;
  let loss = 0;
  d1.fill(0);
  for (let k = 0; k < o; k++) {
    const diff = a2[k] - target[k];
    loss += diff * diff;
    const dz = scale * diff * activationSlope(decoder, z2[k], a2[k]);
    d2[k] = dz;
    grad[gB2 + k] += dz;
    const row = k * h;
    for (let j = 0; j < h; j++) {
      grad[gW2 + row + j] += dz * a1[j];
      d1[j] += dz * w2[row + j];
    }
  }
  for (let j = 0; j < h; j++) {
    const dz = d1[j] * activationSlope(encoder, z1[j], a1[j]);
    d1[j] = dz;
    grad[gB1 + j] += dz;
    if (dz === 0) continue;
    const row = gW1 + j * n;
    for (let k = 0; k < n; k++) grad[row + k] += dz * x[k];
  }
  return loss / o;
};
