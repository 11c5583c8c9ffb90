/**
 * The original program's algorithm (google/ihmehimmeli, reference README §1 and §3), in process,
 * as the yardstick of `spikeline bench`: its speed-up ratios are measured against this code in
 * the same run, so they do not depend on how loaded the machine is.
 *
 * Per post neuron, over its inputs in time order, the program adds one input at a time to
 * A = Σ w e^(K t), B = Σ w e^(K t) t, and after *every* input evaluates x = −(Kθ/A)·e^(K B/A),
 * the Lambert W0(x) and the candidate t* = B/A − W/K, stopping before an input at or after the
 * candidate. It then writes ∂t/∂w_p and ∂t/∂t_p for *every* input p (0 where t_p > t*), and the
 * reverse pass reads those dense nOut × nIn derivative matrices.
 *
 * Two kindnesses make the yardstick conservative (the measured speed-up is a lower bound): the
 * inputs are sorted and e^(K t) computed once per layer (the program does both per neuron), and
 * W0 is the engine's `lambertW0`, a polynomial per piece on the usual range (the program iterates
 * Fritsch steps to |z| < 1e-3, each with a logarithm: more costly).
 * Spike times equal the engine's bit for bit on the golden networks (test/bench/originalAlgorithm.test.ts).
 */
import { argsortStable } from '../kernels/argsort.ts';
import { LAMBERT_W_BRANCH_POINT, lambertW0 } from '../kernels/lambertW.ts';
import { type BackwardParams, type GradientViews, gradientViews } from '../model/backward.ts';
import { type Network, layerInputWidth } from '../model/network.ts';
import { type AdamState, adamStep, allocAdamState } from '../train/adam.ts';
import type { ExampleSet } from '../train/exampleSet.ts';
import type { Objective } from '../train/objective.ts';
import type { TrainHyper } from '../train/trainStep.ts';

/** The program's "no spike" bound on x (reference README §1). */
const X_MAX = 1.7976131e308;

/** One layer's working arrays: inputs in input order, their time order, dense derivatives. */
interface OriginalLayer {
  readonly nIn: number;
  readonly nOut: number;
  readonly times: Float64Array;
  readonly exps: Float64Array;
  readonly order: Int32Array;
  readonly scratch: Int32Array;
  nFinite: number;
  readonly spikeTime: Float64Array;
  /** ∂t_k/∂w_kj and ∂t_k/∂t_j, row-major nOut × nIn (input order). */
  readonly dTdW: Float64Array;
  readonly dTdT: Float64Array;
  readonly deltaIn: Float64Array;
}

export interface OriginalContext {
  readonly net: Network;
  readonly objective: Objective;
  readonly hyper: TrainHyper;
  readonly layers: readonly OriginalLayer[];
  readonly deltaOut: Float64Array;
  readonly input: Float64Array;
  readonly target: Float64Array;
  readonly grad: Float64Array;
  readonly gradViews: GradientViews;
  readonly adam: AdamState;
}

export const createOriginalContext = (net: Network, objective: Objective, hyper: TrainHyper): OriginalContext => {
  const L = net.layerSizes.length - 1;
  const layers = Array.from({ length: L }, (_, l): OriginalLayer => {
    const nIn = layerInputWidth(net, l);
    const nOut = net.layerSizes[l + 1];
    return {
      nIn,
      nOut,
      times: new Float64Array(nIn),
      exps: new Float64Array(nIn),
      order: new Int32Array(nIn),
      scratch: new Int32Array(nIn),
      nFinite: 0,
      spikeTime: new Float64Array(nOut),
      dTdW: new Float64Array(nOut * nIn),
      dTdT: new Float64Array(nOut * nIn),
      deltaIn: new Float64Array(nIn),
    };
  });
  const grad = new Float64Array(net.params.length);
  return {
    net,
    objective,
    hyper,
    layers,
    deltaOut: new Float64Array(net.layerSizes[L]),
    input: new Float64Array(net.layerSizes[0]),
    target: new Float64Array(net.layerSizes[L]),
    grad,
    gradViews: gradientViews(net, grad),
    adam: allocAdamState(net.params.length),
  };
};

/**
 * Post neuron k of a layer, the program's way: Lambert W after every input, then the dense
 * derivative row. Returns the spike time (Infinity = silent).
 */
const originalNeuron = (ly: OriginalLayer, weights: Float64Array, k: number, K: number, theta: number): number => {
  const { nIn, times, exps, order, nFinite, dTdW, dTdT } = ly;
  const row = k * nIn;
  let a = 0;
  let b = 0;
  let candidate = Infinity;
  let lastA = 0;
  let lastB = 0;
  let lastW = 0;
  for (let i = 0; i < nFinite; i++) {
    const j = order[i];
    const t = times[j];
    if (t >= candidate) break;
    candidate = Infinity;
    const we = weights[row + j] * exps[j];
    a += we;
    b += we * t;
    if (a < 0) continue;
    const x = -((K * theta) / a) * Math.exp((K * b) / a);
    if (x >= LAMBERT_W_BRANCH_POINT && x <= X_MAX) {
      const w = lambertW0(x);
      const c = b / a - w / K;
      if (c >= t) {
        candidate = c;
        lastA = a;
        lastB = b;
        lastW = w;
      }
    }
  }
  const ba = lastB / lastA;
  const denominator = lastA * (1 + lastW);
  for (let j = 0; j < nIn; j++) {
    const tp = times[j];
    if (candidate === Infinity || !(tp <= candidate)) {
      dTdW[row + j] = 0;
      dTdT[row + j] = 0;
    } else {
      const e = exps[j];
      dTdW[row + j] = (e * (tp - ba + lastW / K)) / denominator;
      dTdT[row + j] = (weights[row + j] * e * (K * (tp - ba) + lastW + 1)) / denominator;
    }
  }
  return candidate;
};

/** Forward pass, the program's way; returns the output spike times (a view into the context). */
export const originalForwardInto = (ctx: OriginalContext, input: ArrayLike<number>): Float64Array => {
  const { net, layers } = ctx;
  const K = net.decayRate;
  for (let l = 0; l < layers.length; l++) {
    const ly = layers[l];
    const nReg = net.layerSizes[l];
    if (l === 0) for (let i = 0; i < nReg; i++) ly.times[i] = input[i];
    else ly.times.set(layers[l - 1].spikeTime);
    ly.times.set(net.pulses[l], nReg);
    for (let j = 0; j < ly.nIn; j++) ly.exps[j] = Math.exp(K * ly.times[j]);
    ly.nFinite = argsortStable(ly.order, ly.times, ly.nIn, ly.scratch);
    for (let k = 0; k < ly.nOut; k++) ly.spikeTime[k] = originalNeuron(ly, net.weights[l], k, K, net.threshold);
  }
  return layers[layers.length - 1].spikeTime;
};

const clamp = (v: number, c: number): number => (c > 0 ? Math.min(Math.max(v, -c), c) : v);

/** The program's per-example gradient over the dense derivative matrices, added to ctx.grad. */
const originalBackward = (ctx: OriginalContext, p: BackwardParams): void => {
  const { net, layers } = ctx;
  for (let l = layers.length - 1; l >= 0; l--) {
    const ly = layers[l];
    const deltaOut = l === layers.length - 1 ? ctx.deltaOut : layers[l + 1].deltaIn;
    const gw = ctx.gradViews.weights[l];
    ly.deltaIn.fill(0);
    for (let k = 0; k < ly.nOut; k++) {
      const row = k * ly.nIn;
      if (ly.spikeTime[k] === Infinity) {
        for (let j = 0; j < ly.nIn; j++) gw[row + j] -= p.penaltyNoSpike;
        continue;
      }
      const dk = deltaOut[k];
      for (let j = 0; j < ly.nIn; j++) {
        gw[row + j] += clamp(dk * clamp(ly.dTdW[row + j], p.clipDerivative), p.clipGradient);
        ly.deltaIn[j] += dk * clamp(ly.dTdT[row + j], p.clipDerivative);
      }
    }
    const nReg = net.layerSizes[l];
    const gp = ctx.gradViews.pulses[l];
    for (let q = 0; q < gp.length; q++) gp[q] += ly.deltaIn[nReg + q];
  }
};

/** One Adam step on examples order[from..to), the program's way. Returns the summed loss. */
export const originalTrainStep = (
  ctx: OriginalContext,
  set: ExampleSet,
  order: ArrayLike<number>,
  from: number,
  to: number,
): number => {
  ctx.grad.fill(0);
  let loss = 0;
  for (let b = from; b < to; b++) {
    const out = originalForwardInto(ctx, set.inputInto(ctx.input, order[b]));
    set.targetInto(ctx.target, order[b]);
    loss += ctx.objective.lossOf(out, ctx.target);
    ctx.objective.errorInto(ctx.deltaOut, out, ctx.target);
    originalBackward(ctx, ctx.hyper);
  }
  adamStep(ctx.net.params, ctx.net.weightCount, ctx.grad, to - from, ctx.adam, ctx.hyper);
  return loss;
};

/** Mean loss over examples [0, count), the program's way. */
export const originalEvaluate = (ctx: OriginalContext, set: ExampleSet, count = set.count): number => {
  let sum = 0;
  for (let i = 0; i < count; i++) {
    const out = originalForwardInto(ctx, set.inputInto(ctx.input, i));
    sum += ctx.objective.lossOf(out, set.targetInto(ctx.target, i));
  }
  return count > 0 ? sum / count : Number.NaN;
};
