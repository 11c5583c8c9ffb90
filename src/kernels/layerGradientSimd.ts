/**
 * {@link layerBackwardRangeSimd}: the alpha layer's reverse pass (the rules of
 * `layerGradient.ts`) run by a WebAssembly SIMD kernel (`layerGradient.wat`, two inputs per f64x2,
 * bytes in `layerGradientWasm.ts` made by `scripts/assembleKernels.mjs`). Its results are
 * those of {@link layerBackwardRangeScalar} bit for bit (each lane does the scalar operations in
 * their order; test/kernels/layerGradientSimd.test.ts).
 *
 * The kernel works in the thread's kernel memory (`wasmKernel.ts`), so each call copies what it
 * reads in (the neurons' weight and gradient rows, the tape's sorted inputs and solutions, the
 * error terms) and the gradient rows and error terms out — except weight and gradient rows that
 * already live there (a training step's resident copy, `residentNetwork.ts`), which it reads and
 * adds to in place: for the H=32 output layer that spares three block copies of 263 KB per
 * example. When every neuron of the call that fired has every input causal (m_k = nIn; the H=32
 * output layer always), the kernel's `backwardRowsAll` takes the inputs in their own order instead
 * of the sorted order, so it reads and writes the rows two at a time with no gather or scatter:
 * 1.10× one-core training and 1.12× two-thread training (A/B of 30 alternated pairs each).
 * Copies that need views are bound once per tape (a
 * {@link LayerTape} is reused for every example), so a call allocates nothing.
 * {@link layerBackwardRangeDeferred} and {@link addDeferredInputError} split that kernel's call in
 * two, for a caller that may add to the error terms only later: the weight gradients and each
 * neuron's terms first, the terms added in neuron order after.
 */
import { alphaInverseSlope } from './alpha.ts';
import type { LayerTape } from './layer.ts';
import { type LayerBackwardKernel, type LayerGradientParams, clipBound } from './layerGradientParams.ts';
import { LAYER_GRADIENT_WASM_BASE64 } from './layerGradientWasm.ts';
import { addWantedRow, wantedPositions, wantedPositionsScratch } from './wantedInputError.ts';
import { type KernelMemory, align16, lazyWasmKernel } from './wasmKernel.ts';

interface KernelExports {
  backwardRows(
    w: number, g: number, time: number, exp: number, index: number,
    delta: number, sumA: number, sumB: number, lambertW: number, causal: number,
    din: number, rowStride: number, d: number,
    rows: number, nIn: number, mMax: number,
    decayRate: number, cd: number, cg: number, penalty: number, withDelta: number,
  ): void; // prettier-ignore
  backwardRowsAll(
    w: number, g: number, time: number, exp: number,
    delta: number, sumA: number, sumB: number, lambertW: number, causal: number,
    src: number, srcStride: number, dst: number, dstStride: number,
    rows: number, nIn: number,
    decayRate: number, cd: number, cg: number, penalty: number,
  ): void; // prettier-ignore
  addRows(din: number, cont: number, causal: number, rows: number, nIn: number): void;
}

const kernel = lazyWasmKernel<KernelExports>(LAYER_GRADIENT_WASM_BASE64);

/**
 * Where one call's arrays go in the kernel memory (byte addresses), and the views its copies
 * need, for one tape and one set of caller arrays and neuron range.
 */
interface Binding {
  readonly generation: number;
  readonly weights: Float64Array;
  readonly gradWeights: Float64Array;
  readonly deltaIn: Float64Array;
  readonly deltaOut: Float64Array;
  readonly from: number;
  readonly to: number;
  readonly deltaRowStride: number;
  /** The first input whose error term is handed back (`LayerGradientParams.inputErrorFrom`). */
  readonly errorFrom: number;
  readonly w: number;
  readonly g: number;
  readonly time: number;
  readonly exp: number;
  readonly index: number;
  readonly delta: number;
  readonly sumA: number;
  readonly sumB: number;
  readonly lambertW: number;
  readonly causal: number;
  readonly din: number;
  readonly d: number;
  /** The neurons' [from, to) of the error signal and of the tape's sums and Lambert W values (the kernel reads no others). */
  readonly deltaOutRange: Float64Array;
  readonly sumARange: Float64Array;
  readonly sumBRange: Float64Array;
  readonly lambertWRange: Float64Array;
  /**
   * The caller's weight rows, gradient rows [from, to) and error terms handed back (from
   * errorFrom on: the kernel's copies of the others are neither filled nor read back) … (null:
   * the rows are resident, see `wasmKernel.ts`, and the kernel works on them in place) …
   */
  readonly weightRows: Float64Array | null;
  readonly gradRows: Float64Array | null;
  readonly deltaInRange: Float64Array;
  /** … and the kernel memory's copies of the last two, to copy back. */
  readonly kernelGradRows: Float64Array | null;
  readonly kernelDeltaIn: Float64Array;
}

const bindings = new WeakMap<LayerTape, Binding>();

const bind = (
  k: KernelMemory,
  tape: LayerTape,
  weights: Float64Array,
  gradWeights: Float64Array,
  deltaIn: Float64Array,
  deltaOut: Float64Array,
  from: number,
  to: number,
  deltaRowStride: number,
  errorFrom: number,
): Binding => {
  const { nIn, nOut } = tape;
  const cells = (to - from) * nIn;
  const dinFrom = deltaRowStride === 0 ? 0 : from * deltaRowStride;
  // row k of the error terms spans k·stride + [0, nIn)
  const dinTo = deltaRowStride === 0 ? nIn : (to - 1) * deltaRowStride + nIn;
  const short = (what: string, length: number, need: number) => {
    if (length < need) throw new RangeError(`layerBackwardRange: ${what} has ${length} values, neurons [${from}, ${to}) of a ${nOut} × ${nIn} layer need ${need}`);
  };
  if (!(from >= 0 && to <= nOut)) throw new RangeError(`layerBackwardRange: neurons [${from}, ${to}) outside the layer's 0..${nOut}`);
  short('weights', weights.length, to * nIn);
  short('gradWeights', gradWeights.length, to * nIn);
  short('deltaOut', deltaOut.length, to);
  short('deltaIn', deltaIn.length, dinTo);
  if (!(deltaRowStride >= 0)) throw new RangeError(`layerBackwardRange: deltaRowStride ${deltaRowStride} < 0`);
  let at = k.scratchBase;
  const take = (bytes: number): number => {
    const a = at;
    at += align16(bytes);
    return a;
  };
  const weightsInPlace = k.holds(weights);
  const gradInPlace = k.holds(gradWeights);
  const w = weightsInPlace ? weights.byteOffset + from * nIn * 8 : take(cells * 8);
  const g = gradInPlace ? gradWeights.byteOffset + from * nIn * 8 : take(cells * 8);
  const time = take((nIn + 1) * 8);
  const exp = take((nIn + 1) * 8);
  const index = take((nIn + 1) * 4);
  const delta = take(deltaOut.length * 8);
  const sumA = take(nOut * 8);
  const sumB = take(nOut * 8);
  const lambertW = take(nOut * 8);
  const causal = take((to - from) * 4);
  const din = take((dinTo - dinFrom) * 8);
  const d = take((nIn + 1) * 8);
  k.ensureBytes(at);
  return {
    generation: k.generation,
    weights, gradWeights, deltaIn, deltaOut, from, to, deltaRowStride, errorFrom,
    w, g, time, exp, index, delta, sumA, sumB, lambertW, causal, din, d,
    weightRows: weightsInPlace ? null : weights.subarray(from * nIn, to * nIn),
    gradRows: gradInPlace ? null : gradWeights.subarray(from * nIn, to * nIn),
    deltaInRange: deltaIn.subarray(dinFrom + errorFrom, dinTo),
    deltaOutRange: deltaOut.subarray(from, to),
    sumARange: tape.post.sumA.subarray(from, to),
    sumBRange: tape.post.sumB.subarray(from, to),
    lambertWRange: tape.post.lambertW.subarray(from, to),
    kernelGradRows: gradInPlace ? null : k.f64.subarray(g / 8, g / 8 + cells),
    kernelDeltaIn: k.f64.subarray(din / 8 + errorFrom, din / 8 + (dinTo - dinFrom)),
  }; // prettier-ignore
};

/** The tape's binding for these arrays and range: the last one, unless they or the memory's layout changed. */
const bindingFor = (
  k: KernelMemory, tape: LayerTape, weights: Float64Array, gradWeights: Float64Array, deltaIn: Float64Array,
  deltaOut: Float64Array, from: number, to: number, deltaRowStride: number, errorFrom: number,
): Binding => { // prettier-ignore
  const b = bindings.get(tape);
  if (
    b !== undefined && b.generation === k.generation && b.weights === weights && b.gradWeights === gradWeights &&
    b.deltaIn === deltaIn && b.deltaOut === deltaOut && b.from === from && b.to === to && b.deltaRowStride === deltaRowStride &&
    b.errorFrom === errorFrom
  ) return b;
  const fresh = bind(k, tape, weights, gradWeights, deltaIn, deltaOut, from, to, deltaRowStride, errorFrom);
  bindings.set(tape, fresh);
  return fresh;
};

/** The least and greatest m_k of the last {@link markCausal} (a call allocates nothing). */
const causalRange = { mMin: 0, mMax: 0 };

/**
 * The neurons' marks (m_k, −1 for a silent neuron) into the binding's `causal` scratch; the least
 * and greatest m_k of the neurons that fired into {@link causalRange}.
 */
const markCausal = (k: KernelMemory, b: Binding, tape: LayerTape, from: number, to: number): typeof causalRange => {
  const { i32 } = k;
  const { sorted, post } = tape;
  const { time } = sorted;
  // m_k: the inputs with t_p ≤ t_k (−1: silent)
  let mMax = 0;
  let mMin = tape.nIn;
  const c0 = b.causal / 4 - from;
  for (let q = from; q < to; q++) {
    const tk = post.spikeTime[q];
    if (tk === Infinity) {
      i32[c0 + q] = -1;
      continue;
    }
    let m = post.causalCount[q];
    while (time[m] <= tk) m++;
    i32[c0 + q] = m;
    if (m > mMax) mMax = m;
    if (m < mMin) mMin = m;
  }
  causalRange.mMin = mMin;
  causalRange.mMax = mMax;
  return causalRange;
};

/** The rows and per-neuron values the kernels read, copied into the binding's scratch. */
const copyIn = (k: KernelMemory, b: Binding, from: number): void => {
  const { f64 } = k;
  if (b.weightRows !== null) f64.set(b.weightRows, b.w / 8);
  if (b.gradRows !== null) f64.set(b.gradRows, b.g / 8);
  // the neurons' own values only (on two threads, half the output layer's)
  f64.set(b.deltaOutRange, b.delta / 8 + from);
  f64.set(b.sumARange, b.sumA / 8 + from);
  f64.set(b.sumBRange, b.sumB / 8 + from);
  f64.set(b.lambertWRange, b.lambertW / 8 + from);
};

/** The tape's inputs' times and e^(K t) in the inputs' own order, for backwardRowsAll. */
const inputsInOwnOrder = (k: KernelMemory, b: Binding, tape: LayerTape): void => {
  const { f64 } = k;
  const { time, exp, index } = tape.sorted;
  const t0 = b.time / 8;
  const e0 = b.exp / 8;
  for (let i = 0; i < tape.nIn; i++) {
    f64[t0 + index[i]] = time[i];
    f64[e0 + index[i]] = exp[i];
  }
};

/**
 * backwardRowsAll over the binding's neurons [from, to), every input causal: the inputs in their
 * own order, neuron k's error terms added to row src + k·srcStride into row dst + k·dstStride.
 */
const rowsAll = (
  exports: KernelExports, k: KernelMemory, b: Binding, tape: LayerTape, p: LayerGradientParams, from: number, to: number,
  src: number, srcStride: number, dst: number, dstStride: number,
): void => { // prettier-ignore
  inputsInOwnOrder(k, b, tape);
  const at = from * 8;
  exports.backwardRowsAll(
    b.w, b.g, b.time, b.exp,
    b.delta + at, b.sumA + at, b.sumB + at, b.lambertW + at, b.causal,
    src, srcStride, dst, dstStride,
    to - from, tape.nIn,
    p.decayRate, clipBound(p.clipDerivative), clipBound(p.clipGradient), -p.penaltyNoSpike,
  ); // prettier-ignore
};

/** The first input whose error term is handed back; refuses one above 0 with a row of terms per neuron. */
const checkErrorFrom = (p: LayerGradientParams, deltaRowStride: number): number => {
  const errorFrom = p.inputErrorFrom ?? 0;
  if (errorFrom > 0 && deltaRowStride !== 0) {
    throw new RangeError('layerBackwardRangeSimd: inputErrorFrom needs one shared vector of error terms (deltaRowStride 0)');
  }
  return errorFrom;
};

/**
 * {@link layerBackwardRangeScalar}'s contract and results (same arguments; see there), computed
 * by the WebAssembly SIMD kernel. With `p.inputErrorFrom` = e it hands back only the error terms
 * of inputs ≥ e (the others keep their values), which needs one shared vector (`deltaRowStride`
 * 0; else it throws); the kernel then computes the weight gradients alone and the wanted terms
 * are added after it ({@link addWantedTerms}), unless every input is causal (the kernel's
 * in-order path computes them all). On the H=32 hidden layer (10 wanted of 794 inputs) that made
 * the reverse pass about 0.9× as long (5.8 against 6.3 µs an example, 32 neurons) and 1-core
 * training 1.004× and 1.013× as fast (paired medians of 30 alternated 2000-image passes).
 * Allocation-free once a tape has been seen with these arrays.
 */
export const layerBackwardRangeSimd: LayerBackwardKernel = (
  gradWeights, deltaIn, tape, weights, deltaOut, p, from, to, deltaRowStride = 0,
) => {
  if (to <= from) return gradWeights;
  const errorFrom = checkErrorFrom(p, deltaRowStride);
  const { exports, memory: k } = kernel.get();
  const b = bindingFor(k, tape, weights, gradWeights, deltaIn, deltaOut, from, to, deltaRowStride, errorFrom);
  const { mMin, mMax } = markCausal(k, b, tape, from, to);
  copyIn(k, b, from);
  const { f64, i32 } = k;
  const at = from * 8;
  const cd = clipBound(p.clipDerivative);
  const cg = clipBound(p.clipGradient);
  // the kernel's error terms, or (with inputErrorFrom, below) the weight gradients alone
  const kernelTerms = errorFrom === 0 || mMin === tape.nIn;
  if (kernelTerms) f64.set(b.deltaInRange, b.din / 8 + errorFrom);
  if (mMin === tape.nIn) {
    // every neuron that fired has every input causal: the kernel takes the inputs in their own
    // order, with the rows read and written two at a time (same results, see layerGradient.wat)
    rowsAll(exports, k, b, tape, p, from, to, b.din, deltaRowStride * 8, b.din, deltaRowStride * 8);
  } else {
    // the kernel reads sorted positions i < m_k ≤ mMax only (the first layer: about a fifth of them)
    const { time, exp, index } = tape.sorted;
    const t0 = b.time / 8;
    const e0 = b.exp / 8;
    const x0 = b.index / 4;
    for (let i = 0; i < mMax; i++) {
      f64[t0 + i] = time[i];
      f64[e0 + i] = exp[i];
      i32[x0 + i] = index[i];
    }
    exports.backwardRows(
      b.w, b.g, b.time, b.exp, b.index,
      b.delta + at, b.sumA + at, b.sumB + at, b.lambertW + at, b.causal,
      b.din, deltaRowStride * 8, b.d,
      to - from, tape.nIn, mMax,
      p.decayRate, cd, cg, -p.penaltyNoSpike, kernelTerms ? 1 : 0,
    ); // prettier-ignore
  }
  if (b.gradRows !== null && b.kernelGradRows !== null) b.gradRows.set(b.kernelGradRows);
  if (kernelTerms) b.deltaInRange.set(b.kernelDeltaIn);
  else addWantedTerms(deltaIn, tape, weights, deltaOut, p, from, to, errorFrom, mMax, cd, i32, b.causal / 4 - from);
  return gradWeights;
};

/**
 * The error terms of inputs errorFrom.. (the first layer's pulses) of neurons [from, to) that
 * fired, added to `deltaIn` by the scalar kernel's code (its operations and order, which the
 * SIMD kernel's lanes share), after a kernel call that computed the weight gradients alone: the
 * kernel would compute every causal input's term (on the H=32 hidden layer, 794 inputs of which
 * 10 are wanted), nearly half its work. Neuron k's causal count is marks[at + k], as
 * {@link markCausal} left it (−1: silent); only sorted positions below mMax can be causal.
 */
const addWantedTerms = (
  deltaIn: Float64Array, tape: LayerTape, weights: Float64Array, deltaOut: Float64Array, p: LayerGradientParams,
  from: number, to: number, errorFrom: number, mMax: number, cd: number, marks: Int32Array, at: number,
): void => { // prettier-ignore
  const { nIn, sorted, post } = tape;
  const { time, exp, index } = sorted;
  const n = wantedPositions(index, mMax, errorFrom);
  if (n === 0) return;
  const wanted = wantedPositionsScratch();
  for (let k = from; k < to; k++) {
    const m = marks[at + k];
    if (m < 0) continue;
    const a = post.sumA[k];
    const w = post.lambertW[k];
    addWantedRow(deltaIn, 0, weights, k * nIn, time, exp, index, wanted, n, m, deltaOut[k], post.sumB[k] / a, p.decayRate, w + 1, alphaInverseSlope(a, w), cd);
  }
};

/**
 * The reverse pass of {@link layerBackwardRangeSimd} (one shared vector of error terms) in two
 * halves, for a caller that must wait before it may add to `deltaIn` (a participant of parallel
 * training after the first, which adds its neurons' terms after the participants before it):
 * this half adds the weight gradients to `gradWeights` as the whole call does, keeps each
 * neuron's error terms in its row of `terms` (laid out like the layer's weights, rows [from, to)
 * used; an array in the thread's kernel memory, `wasmKernel.ts`, such as a resident region), and
 * returns true; then {@link addDeferredInputError} adds them to `deltaIn`. The two halves give the
 * whole call's results bit for bit (see layerGradient.wat). It defers only when every neuron of
 * the range that fired has every input causal (the H=32 output layer, always); otherwise it does
 * nothing and returns false: run the whole call then. `deltaIn` is not read or written here.
 */
export const layerBackwardRangeDeferred = (
  terms: Float64Array, gradWeights: Float64Array, deltaIn: Float64Array, tape: LayerTape, weights: Float64Array,
  deltaOut: Float64Array, p: LayerGradientParams, from: number, to: number,
): boolean => { // prettier-ignore
  if (to <= from) return true;
  const errorFrom = checkErrorFrom(p, 0);
  const { exports, memory: k } = kernel.get();
  if (!k.holds(terms) || terms.length < to * tape.nIn) {
    throw new RangeError(`layerBackwardRangeDeferred: terms must be ${to * tape.nIn} values or more in the kernel memory`);
  }
  const b = bindingFor(k, tape, weights, gradWeights, deltaIn, deltaOut, from, to, 0, errorFrom);
  if (markCausal(k, b, tape, from, to).mMin !== tape.nIn) return false;
  copyIn(k, b, from);
  // a row of −0 to add each term to, which keeps it as it is (see layerGradient.wat)
  k.f64.fill(-0, b.d / 8, b.d / 8 + tape.nIn);
  rowsAll(exports, k, b, tape, p, from, to, b.d, 0, terms.byteOffset + from * tape.nIn * 8, tape.nIn * 8);
  if (b.gradRows !== null && b.kernelGradRows !== null) b.gradRows.set(b.kernelGradRows);
  return true;
};

/**
 * The second half of a deferred reverse pass ({@link layerBackwardRangeDeferred}, which returned
 * true, with the same arguments; `terms` as it left them): adds the error terms of neurons
 * [from, to) that fired to `deltaIn`, in neuron order (from `p.inputErrorFrom` on).
 */
export const addDeferredInputError = (
  terms: Float64Array, gradWeights: Float64Array, deltaIn: Float64Array, tape: LayerTape, weights: Float64Array,
  deltaOut: Float64Array, p: LayerGradientParams, from: number, to: number,
): void => { // prettier-ignore
  if (to <= from) return;
  const errorFrom = checkErrorFrom(p, 0);
  const { exports, memory: k } = kernel.get();
  const b = bindingFor(k, tape, weights, gradWeights, deltaIn, deltaOut, from, to, 0, errorFrom);
  const { i32, f64 } = k;
  const spikeTime = tape.post.spikeTime;
  const c0 = b.causal / 4 - from;
  for (let q = from; q < to; q++) i32[c0 + q] = spikeTime[q] === Infinity ? -1 : 0;
  f64.set(b.deltaInRange, b.din / 8 + errorFrom);
  exports.addRows(b.din, terms.byteOffset + from * tape.nIn * 8, b.causal, to - from, tape.nIn);
  b.deltaInRange.set(b.kernelDeltaIn);
};
