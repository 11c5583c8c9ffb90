/**
 * Laws of the network engine, exported for users who change or extend it: the reverse pass over
 * the recorded tapes gives the gradient of the whole-network loss, checked against central finite
 * differences of the forward pass on small random networks (any depth, pulses, silent neurons,
 * tied input times) of any neuron model (`neuron`, default alpha: the fast path; any other model
 * runs on the generic layer path).
 *
 * Loss: the autoencoder MSE L = (1/n) Σ (o_k − y_k)² (see src/train/loss.ts). The engine's error
 * signal drops the factor 2/n, so the law compares (2/n)·gradient with ∂L/∂θ. The no-spike penalty
 * and the derivative clip are switched off: they are deliberate departures from the true gradient.
 *
 Every parameter of the case is checked (weights and pulse times; or only pulse times).
 *
 * Exclusion rule (stated): L is only piecewise smooth. A case is skipped (fc.pre) when
 * - a spike time lies within `margin` of any presynaptic time of its neuron (a causal-set
 *   boundary: one input more or less changes the formula), or
 * - some neuron crosses almost tangentially (alpha: 1 + W < `tangentMargin`; other models: some
 *   |∂t/∂w| or |∂t/∂t_i| > 1/`tangentMargin`, the slope V'(t*) being nearly 0);
 * and a single parameter is skipped when its finite differences at steps h and h/4 disagree by
 * more than 1e-3 relative (a spike appears or disappears within ±h).
 * Tolerance: |analytic − FD| ≤ rtol·(|FD| + |analytic|) + atol.
 *
 * With `loss: 'cross-entropy'` the laws check the classifier's objective instead: a one-hot
 * target, L = first-spike cross-entropy (src/train/loss.ts), whose error signal is the exact
 * ∂L/∂t (no 2/n factor); cases whose labelled output is silent (L = ∞) are skipped. `layers`
 * fixes the depth (e.g. 4 layers: input, two hidden, output) instead of drawing 2–4.
 */
import fc from 'fast-check';
import { alphaModel } from '../src/kernels/alpha.ts';
import type { ModelLayerRecord } from '../src/kernels/layerModel.ts';
import type { NeuronModel } from '../src/kernels/neuronModel.ts';
import { forward, forwardInto } from '../src/model/forward.ts';
import { type Tape, allocTape } from '../src/model/tape.ts';
import { backwardInto, gradientViews } from '../src/model/backward.ts';
import { type Network, emptyNetwork } from '../src/model/network.ts';
import { argMax } from '../src/train/confusion.ts';
import {
  autoencoderErrorInto,
  autoencoderLoss,
  firstSpikeCrossEntropy,
  firstSpikeCrossEntropyErrorInto,
} from '../src/train/loss.ts';

export interface NetworkCase {
  readonly net: Network;
  readonly input: Float64Array;
  readonly target: Float64Array;
  readonly latency: number;
}

/** Gradient of the per-example loss, laid out like net.params, scaled as the engine scales it. */
export type GradientFn = (net: Network, input: Float64Array, target: Float64Array, latency: number) => Float64Array;

/** The engine's gradient: reverse pass over the tapes of `forward`, no penalty, no clipping. */
export const engineGradient: GradientFn = (net, input, target, latency) => {
  const r = forward(net, input);
  autoencoderErrorInto(r.tape.deltaOut, r.output, target, latency);
  return reverseGradient(net, r.tape);
};

/** The engine's gradient of the first-spike cross-entropy (target one-hot), no penalty, no clipping. */
export const engineCrossEntropyGradient: GradientFn = (net, input, target) => {
  const r = forward(net, input);
  firstSpikeCrossEntropyErrorInto(r.tape.deltaOut, r.output, argMax(target));
  return reverseGradient(net, r.tape);
};

const reverseGradient = (net: Network, tape: Tape): Float64Array => {
  const grad = new Float64Array(net.params.length);
  backwardInto(gradientViews(net, grad), tape, net, {
    clipDerivative: 0,
    clipGradient: 0,
    penaltyNoSpike: 0,
  });
  return grad;
};

export interface NetworkLawOptions {
  readonly gradient?: GradientFn;
  readonly rtol?: number;
  readonly atol?: number;
  readonly margin?: number;
  readonly tangentMargin?: number;
  /** Finite-difference step. */
  readonly h?: number;
  readonly pulsesOnly?: boolean;
  /** The neuron model of the random networks (default: the alpha neuron). */
  readonly neuron?: NeuronModel;
  /** The loss whose gradient is checked (default the autoencoder MSE). */
  readonly loss?: 'autoencoder' | 'cross-entropy';
  /** Number of layers, input and output included (default: drawn from 2–4). */
  readonly layers?: number;
}

const timeGrid = fc.oneof(
  { weight: 5, arbitrary: fc.integer({ min: 0, max: 16 }).map((k) => k / 16) }, // ties
  { weight: 3, arbitrary: fc.double({ min: 0, max: 1, noNaN: true }) },
  { weight: 1, arbitrary: fc.constant(Infinity) }, // inputs that never spike
);

/** Small random networks with pulses; weight means from inhibitory to excitatory (silence). */
export const networkCaseArbitrary = (
  pulsesOnly = false,
  neuron: NeuronModel = alphaModel,
  o: { readonly oneHotTarget?: boolean; readonly layers?: number } = {},
): fc.Arbitrary<NetworkCase> =>
  fc
    .record({
      sizes: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: o.layers ?? 2, maxLength: o.layers ?? 4 }),
      nPulses: fc.integer({ min: 0, max: 3 }),
      decayRate: fc.double({ min: 0.3, max: 2, noNaN: true }),
      threshold: fc.double({ min: 0.05, max: 0.6, noNaN: true }),
      weightMean: fc.double({ min: -0.5, max: 5, noNaN: true }),
      latency: fc.constantFrom(0, 1, 2),
    })
    .chain((c) => {
      const spec = { layerSizes: c.sizes, nPulses: pulsesOnly ? Math.max(1, c.nPulses) : c.nPulses, decayRate: c.decayRate, threshold: c.threshold, neuron };
      const net = emptyNetwork(spec);
      const nOut = c.sizes[c.sizes.length - 1];
      return fc.record({
        weights: fc.array(fc.double({ min: -2, max: 2, noNaN: true }), {
          minLength: net.weightCount,
          maxLength: net.weightCount,
        }),
        pulses: fc.array(fc.double({ min: 0, max: 1.5, noNaN: true }), {
          minLength: net.params.length - net.weightCount,
          maxLength: net.params.length - net.weightCount,
        }),
        input: fc.array(timeGrid, { minLength: c.sizes[0], maxLength: c.sizes[0] }),
        target: o.oneHotTarget
          ? fc.integer({ min: 0, max: nOut - 1 }).map((label) => Array.from({ length: nOut }, (_, j) => (j === label ? 1 : 0)))
          : fc.array(timeGrid, { minLength: nOut, maxLength: nOut }),
      }).map((r): NetworkCase => {
        net.params.set(r.weights.map((w) => w + c.weightMean));
        net.params.set(r.pulses, net.weightCount);
        return { net, input: Float64Array.from(r.input), target: Float64Array.from(r.target), latency: c.latency };
      });
    });

/** max_i max(|∂t_k/∂w_i|, |∂t_k/∂t_i|) of post neuron k, as the generic path recorded it. */
const steepestDerivative = (rec: ModelLayerRecord, k: number): number => {
  let m = 0;
  for (let i = k * rec.nIn; i < (k + 1) * rec.nIn; i++) {
    m = Math.max(m, Math.abs(rec.dSpikeTime_dWeight[i]), Math.abs(rec.dSpikeTime_dInput[i]));
  }
  return m;
};

/** True when the case is away from every kink of the loss (see the exclusion rule above). */
export const isSmoothCase = (c: NetworkCase, margin: number, tangentMargin: number): boolean => {
  const r = forward(c.net, c.input);
  for (const [l, lt] of r.tape.layers.entries()) {
    const rec = r.tape.models[l];
    for (let k = 0; k < lt.nOut; k++) {
      const t = lt.post.spikeTime[k];
      if (t === Infinity) continue;
      if (rec === undefined ? 1 + lt.post.lambertW[k] < tangentMargin : steepestDerivative(rec, k) * tangentMargin > 1) {
        return false;
      }
      for (let j = 0; j < lt.nIn; j++) {
        if (Math.abs(lt.inputTimes[j] - t) < margin) return false;
      }
    }
  }
  return true;
};

type CaseLoss = (out: Float64Array, c: NetworkCase) => number;
const mseLoss: CaseLoss = (out, c) => autoencoderLoss(out, c.target, c.latency);
const crossEntropyLoss: CaseLoss = (out, c) => firstSpikeCrossEntropy(out, argMax(c.target));

const lossAt = (c: NetworkCase, tape: Tape, param: number, value: number, loss: CaseLoss): number => {
  const saved = c.net.params[param];
  c.net.params[param] = value;
  const out = forwardInto(tape, c.net, c.input);
  c.net.params[param] = saved;
  return loss(out, c);
};

const centralDifference = (c: NetworkCase, tape: Tape, param: number, h: number, loss: CaseLoss): number => {
  const x = c.net.params[param];
  return (lossAt(c, tape, param, x + h, loss) - lossAt(c, tape, param, x - h, loss)) / (2 * h);
};

export interface NetworkLaw {
  readonly id: string;
  readonly name: string;
  readonly property: fc.IPropertyWithHooks<[NetworkCase]>;
}

/** How many parameters were compared and how many of them had a non-zero derivative. */
export interface NetworkLawStats {
  compared: number;
  nonZero: number;
}

/** The named network laws; run each with `fc.assert(law.property)`. */
export const networkLaws = (
  opts: NetworkLawOptions = {},
  stats: NetworkLawStats = { compared: 0, nonZero: 0 },
): NetworkLaw[] => {
  const crossEntropy = opts.loss === 'cross-entropy';
  const gradient = opts.gradient ?? (crossEntropy ? engineCrossEntropyGradient : engineGradient);
  const loss = crossEntropy ? crossEntropyLoss : mseLoss;
  const rtol = opts.rtol ?? 1e-4;
  const atol = opts.atol ?? 1e-7;
  const margin = opts.margin ?? 1e-3;
  const tangentMargin = opts.tangentMargin ?? 1e-2;
  const h = opts.h ?? 1e-6;
  const law = (id: string, name: string, pulsesOnly: boolean): NetworkLaw => ({
    id,
    name,
    property: fc.property(networkCaseArbitrary(pulsesOnly, opts.neuron, { oneHotTarget: crossEntropy, layers: opts.layers }), (c) => {
      fc.pre(isSmoothCase(c, margin, tangentMargin));
      const tape = allocTape(c.net);
      if (crossEntropy) fc.pre(Number.isFinite(loss(forwardInto(tape, c.net, c.input), c))); // the label's output fires
      const g = gradient(c.net, c.input, c.target, c.latency);
      const scale = crossEntropy ? 1 : 2 / c.target.length;
      for (let p = pulsesOnly ? c.net.weightCount : 0; p < c.net.params.length; p++) {
        const fd = centralDifference(c, tape, p, h, loss);
        const fd4 = centralDifference(c, tape, p, h / 4, loss);
        if (Math.abs(fd - fd4) > 1e-3 * (Math.abs(fd) + 1e-6)) continue; // a kink within ±h
        const analytic = scale * g[p];
        stats.compared++;
        if (fd !== 0) stats.nonZero++;
        if (Math.abs(analytic - fd) > rtol * (Math.abs(fd) + Math.abs(analytic)) + atol) return false;
      }
      return true;
    }),
  });
  return [
    law('networkGradient', 'dLoss/dparameter (weights and pulses) equals a central finite difference', false),
    law('networkPulseGradient', 'dLoss/dpulse time equals a central finite difference', true),
  ];
};
