/**
 * Reverse pass over one layer's tape (see {@link LayerTape}), with the reference program's rules
 * (reference README, section 3 "Gradients"):
 *
 * - post neuron k fired: dW[k][j] = δ_k · clipD(∂t_k/∂w_kj) and δpre_j += δ_k · clipD(∂t_k/∂t_j),
 *   for every input j with t_j ≤ t_k (eq. 5 of the paper; later inputs contribute exactly 0);
 * - post neuron k silent: dW[k][j] = −penaltyNoSpike for every j (pulses included), and k passes
 *   no error back;
 * - clipD(v) = clamp(v, −clipDerivative, clipDerivative), 0 disables it; clipGradient, when > 0,
 *   clamps each weight-gradient product δ_k · clipD(·).
 *
 * The weight gradient is *added* to `gradWeights` (so a batch accumulates in example order);
 * `deltaIn` is accumulated too ({@link layerBackward} zeroes it first).
 *
 * Two kernels compute it, bit for bit alike (a law, test/kernels/layerGradientSimd.test.ts): the
 * scalar loop below and a WebAssembly SIMD kernel (`layerGradientSimd.ts`), which
 * {@link layerBackwardRange} picks where the inputs are dense (the H=32 output layer: 2.4× the
 * scalar loop's speed there, measured A/B in one process).
 */
import { alphaDSpikeDInput, alphaDSpikeDWeight, alphaInverseSlope } from './alpha.ts';
import type { LayerTape } from './layer.ts';
import { type LayerBackwardKernel, type LayerGradientParams, clipBound } from './layerGradientParams.ts';
import { layerBackwardRangeSimd } from './layerGradientSimd.ts';
import { kernelMemory } from './wasmKernel.ts';
import { addWantedRow, wantedPositions, wantedPositionsScratch } from './wantedInputError.ts';

export type { LayerBackwardKernel, LayerGradientParams };

/**
 * Accumulates the gradient of post neurons [from, to) into `gradWeights` and their contribution
 * to `deltaIn`. Allocation-free. Returns `gradWeights`.
 *
 * With `deltaRowStride` = 0 (the default) the contributions are summed into `deltaIn[j]`, in
 * post-neuron order. With `deltaRowStride` = nIn each post neuron k adds its terms into its own
 * row instead, `deltaIn[k·nIn + j]` (rows the caller has zeroed), for a caller that sums them
 * itself. (The parallel trainer does not: it passes one `deltaIn` from thread to thread in neuron
 * order, which writes nIn values per example instead of nOut × nIn.)
 */
export const layerBackwardRangeScalar: LayerBackwardKernel = (
  gradWeights, deltaIn, tape, weights, deltaOut, p, from, to, deltaRowStride = 0,
) => {
  const { nIn, sorted, post } = tape;
  const { time, exp, index } = sorted;
  const decayRate = p.decayRate;
  const cd = clipBound(p.clipDerivative);
  const cg = clipBound(p.clipGradient);
  const penalty = -p.penaltyNoSpike;
  const errorFrom = p.inputErrorFrom ?? 0;
  const nWanted = errorFrom > 0 ? wantedPositions(index, nIn, errorFrom) : 0;
  const wanted = wantedPositionsScratch();
  for (let k = from; k < to; k++) {
    const row = k * nIn;
    const tk = post.spikeTime[k];
    if (tk === Infinity) {
      if (penalty !== 0) for (let j = 0; j < nIn; j++) gradWeights[row + j] += penalty;
      continue;
    }
    const dk = deltaOut[k];
    const a = post.sumA[k];
    const ba = post.sumB[k] / a;
    const w = post.lambertW[k];
    const inv = alphaInverseSlope(a, w);
    const wOverK = w / decayRate;
    const w1 = w + 1;
    const sink = k * deltaRowStride;
    // inputs with t_p ≤ t_k (time[nIn] is the +∞ sentinel, so this stays inside the arrays)
    let m = post.causalCount[k];
    while (time[m] <= tk) m++;
    if (errorFrom > 0) {
      weightsOnlyRow(gradWeights, row, time, exp, index, m, dk, ba, wOverK, inv, cd, cg);
      // the error terms of inputs errorFrom.. alone (the pulses), at their sorted positions
      addWantedRow(deltaIn, sink, weights, row, time, exp, index, wanted, nWanted, m, dk, ba, decayRate, w1, inv, cd);
      continue;
    }
    let i = 0;
    // two inputs per iteration (distinct j, so no aliasing): more independent work per step
    for (; i + 2 <= m; i += 2) {
      const tp0 = time[i];
      const tp1 = time[i + 1];
      const j0 = index[i];
      const j1 = index[i + 1];
      const e0 = exp[i];
      const e1 = exp[i + 1];
      const gw0 = dk * Math.min(Math.max(alphaDSpikeDWeight(e0, tp0, ba, wOverK, inv), -cd), cd);
      const gw1 = dk * Math.min(Math.max(alphaDSpikeDWeight(e1, tp1, ba, wOverK, inv), -cd), cd);
      gradWeights[row + j0] += Math.min(Math.max(gw0, -cg), cg);
      gradWeights[row + j1] += Math.min(Math.max(gw1, -cg), cg);
      const dt0 = alphaDSpikeDInput(weights[row + j0], e0, tp0, ba, decayRate, w1, inv);
      const dt1 = alphaDSpikeDInput(weights[row + j1], e1, tp1, ba, decayRate, w1, inv);
      deltaIn[sink + j0] += dk * Math.min(Math.max(dt0, -cd), cd);
      deltaIn[sink + j1] += dk * Math.min(Math.max(dt1, -cd), cd);
    }
    for (; i < m; i++) {
      const tp = time[i];
      const j = index[i];
      const e = exp[i];
      const gw = dk * Math.min(Math.max(alphaDSpikeDWeight(e, tp, ba, wOverK, inv), -cd), cd);
      gradWeights[row + j] += Math.min(Math.max(gw, -cg), cg);
      const dt = alphaDSpikeDInput(weights[row + j], e, tp, ba, decayRate, w1, inv);
      deltaIn[sink + j] += dk * Math.min(Math.max(dt, -cd), cd);
    }
  }
  return gradWeights;
};

/**
 * The weight gradients of one fired neuron's causal inputs (sorted positions [0, m)), as the
 * loop of {@link layerBackwardRangeScalar} computes them, without the error terms.
 */
const weightsOnlyRow = (
  gradWeights: Float64Array,
  row: number,
  time: Float64Array,
  exp: Float64Array,
  index: Int32Array,
  m: number,
  dk: number,
  ba: number,
  wOverK: number,
  inv: number,
  cd: number,
  cg: number,
): void => {
  let i = 0;
  for (; i + 2 <= m; i += 2) {
    const gw0 = dk * Math.min(Math.max(alphaDSpikeDWeight(exp[i], time[i], ba, wOverK, inv), -cd), cd);
    const gw1 = dk * Math.min(Math.max(alphaDSpikeDWeight(exp[i + 1], time[i + 1], ba, wOverK, inv), -cd), cd);
    gradWeights[row + index[i]] += Math.min(Math.max(gw0, -cg), cg);
    gradWeights[row + index[i + 1]] += Math.min(Math.max(gw1, -cg), cg);
  }
  for (; i < m; i++) {
    const gw = dk * Math.min(Math.max(alphaDSpikeDWeight(exp[i], time[i], ba, wOverK, inv), -cd), cd);
    gradWeights[row + index[i]] += Math.min(Math.max(gw, -cg), cg);
  }
};

/**
 * The SIMD kernel pays for block copies of the neurons' weight and gradient rows; it wins when the
 * causal inputs fill at least about 1/6 of those rows (the H=32 output layer: all of them; its
 * hidden layer: an eighth, where the scalar loop is faster) …
 */
const SIMD_MIN_FILL = 1 / 6;
/**
 * … unless the rows are resident in the kernel memory (a training step's copy): then there are no
 * row copies, and the SIMD kernel takes the H=32 hidden layer too (1-core training 1.01–1.04× in
 * three A/Bs of 30 alternated runs; 2 threads, whose calls are half as big, 0.99–1.01×; that was
 * while the SIMD kernel still computed the error terms of all 794 inputs, where the scalar loop
 * computes the pulses' alone, as both now do).
 */
const SIMD_MIN_FILL_RESIDENT = 1 / 32;

/**
 * The least fill (causal inputs over row cells) at which a call goes to the SIMD kernel. With
 * `inputErrorFrom` the SIMD kernel takes a call only when its rows are resident and its error
 * terms one vector (its condition for `inputErrorFrom`; with rows to copy, the scalar loop kept
 * the call when the SIMD kernel computed every error term, and has not been measured against it
 * since).
 */
const simdMinFill = (weights: Float64Array, gradWeights: Float64Array, p: LayerGradientParams, deltaRowStride: number): number => {
  const k = kernelMemory();
  const resident = k.holds(weights) && k.holds(gradWeights);
  if ((p.inputErrorFrom ?? 0) === 0) return resident ? SIMD_MIN_FILL_RESIDENT : SIMD_MIN_FILL;
  return resident && deltaRowStride === 0 ? SIMD_MIN_FILL_RESIDENT : Infinity;
};

/**
 * {@link layerBackwardRangeScalar} (see there for the arguments), run by the WebAssembly SIMD
 * kernel ({@link layerBackwardRangeSimd}, the same results bit for bit) when the neurons' causal
 * inputs are dense enough to repay its copies.
 */
export const layerBackwardRange: LayerBackwardKernel = (
  gradWeights, deltaIn, tape, weights, deltaOut, p, from, to, deltaRowStride = 0,
) => {
  const { nIn, post } = tape;
  let work = 0;
  for (let k = from; k < to; k++) work += post.spikeTime[k] === Infinity ? nIn : post.causalCount[k];
  return work >= simdMinFill(weights, gradWeights, p, deltaRowStride) * (to - from) * nIn
    ? layerBackwardRangeSimd(gradWeights, deltaIn, tape, weights, deltaOut, p, from, to, deltaRowStride)
    : layerBackwardRangeScalar(gradWeights, deltaIn, tape, weights, deltaOut, p, from, to, deltaRowStride);
};

/** The whole layer: zeroes `deltaIn`, then {@link layerBackwardRange} over every post neuron. */
export const layerBackward = (
  gradWeights: Float64Array,
  deltaIn: Float64Array,
  tape: LayerTape,
  weights: Float64Array,
  deltaOut: Float64Array,
  p: LayerGradientParams,
): Float64Array => {
  deltaIn.fill(0, 0, tape.nIn);
  return layerBackwardRange(gradWeights, deltaIn, tape, weights, deltaOut, p, 0, tape.nOut);
};
