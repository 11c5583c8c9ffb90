/**
 * {@link alphaScanRange}: the alpha scan (alpha.ts: {@link alphaScanInto4}, {@link alphaScanInto})
 * for a range of neurons at once — the one entry the batch layer (`layer.ts`) and the stream layer
 * (`layerStream.ts`) both call. Where the work repays copies it runs a WebAssembly SIMD kernel
 * (`alphaScan.wat`, eight neurons per step in four f64x2, bytes in `alphaScanWasm.ts` made by
 * `scripts/assembleKernels.mjs`): the kernel accumulates the sums and applies the quick bound,
 * recording each (neuron, input) that passes, then decides those records ({@link
 * alphaSolveInterval}: e^x as V8's Math.exp, W0 by lambertW.ts's table, the same operations in
 * order) where its table reaches; the rest are decided here, and a neuron's first spike, in input
 * order, is its spike. Elsewhere it runs the scalar loops. Both give the scalar scan's sums, bounds and decisions bit
 * for bit (test/model/layer.test.ts).
 */
import {
  type AlphaSolutions,
  type SortedInputs,
  alphaScanInto,
  alphaScanInto4,
  alphaSolveInterval,
} from './alpha.ts';
import { NO_SPIKE } from './neuronModel.ts';
import { ALPHA_SCAN_WASM_BASE64 } from './alphaScanWasm.ts';
import { LAMBERT_W_CENTRES, LAMBERT_W_COEFFICIENTS } from './lambertWTable.ts';
import { align16, lazyWasmKernel } from './wasmKernel.ts';

interface KernelExports {
  scan(rowAt: number, nStride: number, inputs: number, sums: number, groups: number, count: number, passes: number): number;
  solve(passes: number, count: number, inputs: number, table: number, out: number, decayRate: number, threshold: number): void;
  settle(
    passes: number, decided: number, q: number, count: number, inPlaceRecords: number, shift: number, fired: number,
    outT: number, outA: number, outB: number, outW: number, outC: number,
    sums: number, list: number, state: number, from: number, k0: number,
  ): number; // prettier-ignore
}

/** lambertW.ts's table as the kernel's `solve` reads it: the 64 centres, then the coefficients. */
const LAMBERT_W_TABLE = Float64Array.from([...LAMBERT_W_CENTRES, ...LAMBERT_W_COEFFICIENTS]);

const kernel = lazyWasmKernel<KernelExports>(ALPHA_SCAN_WASM_BASE64);

/**
 * Whether the neurons' weights are whole rows of a row-major matrix (inputStride 1, rows at least
 * as long as the layer's inputs: `s` has room for nIn + 1), which are copied as blocks.
 */
const wholeRows = (s: SortedInputs, neuronStride: number, inputStride: number): boolean =>
  inputStride === 1 && neuronStride >= s.index.length - 1;

/** The signature of {@link alphaScanRange} (and of its SIMD form). */
export type AlphaScanRange = (
  out: AlphaSolutions,
  decayRate: number,
  threshold: number,
  s: SortedInputs,
  weights: Float64Array,
  neuronStride: number,
  inputStride: number,
  k0: number,
  k1: number,
  from: number,
  to: number,
  sums: Float64Array,
  firedOut: Int32Array,
) => number;

/** weights[start, end) as a view, cached per weights array (a view is made only on change). */
const rowViews = new WeakMap<Float64Array, { start: number; end: number; view: Float64Array }>();
const rowsOf = (weights: Float64Array, start: number, end: number): Float64Array => {
  const c = rowViews.get(weights);
  if (c !== undefined && c.start === start && c.end === end) return c.view;
  const view = weights.subarray(start, end);
  rowViews.set(weights, { start, end, view });
  return view;
};

/**
 * Views of the kernel memory (f64 or i32, [at, at + length) in elements), cached per start and
 * renewed on a new generation, so that a call of one shape allocates none.
 */
const kernelViews = new Map<number, Float64Array | Int32Array>();
let kernelViewsGeneration = -1;
const kernelView = <A extends Float64Array | Int32Array>(whole: A, generation: number, at: number, length: number): A => {
  if (generation !== kernelViewsGeneration || kernelViews.size > 64) {
    kernelViews.clear();
    kernelViewsGeneration = generation;
  }
  const key = whole instanceof Float64Array ? 2 * at : 2 * at + 1;
  let v = kernelViews.get(key);
  if (v === undefined || v.length !== length) {
    v = whole.subarray(at, at + length);
    kernelViews.set(key, v);
  }
  return v as A;
};

/** Neurons per step of the SIMD kernel (alphaScan.wat). */
const GROUP = 8;

/**
 * The SIMD kernel over neurons [k0, k1) and sorted inputs [from, to) (see {@link alphaScanRange}).
 * Weight rows that already live in the kernel memory (a resident copy, see `wasmKernel.ts`) are
 * read in place, but for a last group of fewer than eight neurons, which is copied with zero rows
 * after it; other weights are copied, rows k0..k1 and the zero rows. The inputs' times, e^(Kt),
 * θe^(Kt) and the sums are copied. Then the kernel decides the records and settles them in order
 * (`settle`: a neuron's first spike is its spike), stopping only at the rare record it leaves to
 * alphaSolveInterval; the solutions come back as blocks when every neuron fired (settling in the
 * kernel instead of a loop here: inference 1.03×, 1-core training 1.03×, A/B of 20 and 30
 * alternated pairs).
 */
const scanSimd: AlphaScanRange = (
  out, decayRate, threshold, s, weights, neuronStride, inputStride, k0, k1, from, to, sums, firedOut,
) => {
  const { exports, memory: m } = kernel.get();
  const n = k1 - k0;
  const groups = Math.ceil(n / GROUP);
  const padded = GROUP * groups; // the neurons after the last one are padding: zero weights, B = +∞
  // whole groups read in place when the rows are resident; the rest is copied
  const inPlace = m.holds(weights) ? Math.floor(n / GROUP) : 0;
  const copied = padded - GROUP * inPlace;
  const R = to - from;
  if (!wholeRows(s, neuronStride, inputStride)) throw new RangeError(`alpha scan: the SIMD kernel takes whole rows (inputStride 1, neuronStride ≥ nIn), got strides ${neuronStride}, ${inputStride}`);
  if (weights.length < k1 * neuronStride) throw new RangeError(`alpha scan: weights has ${weights.length} values, neurons [${k0}, ${k1}) of rows of ${neuronStride} need ${k1 * neuronStride}`);
  let at = m.scratchBase;
  const take = (bytes: number): number => {
    const a = at;
    at += align16(bytes);
    return a;
  };
  const sm = take(padded * 16);
  const w = take(copied * neuronStride * 8);
  const rowAt = take(R * 4);
  const rowAtCopied = inPlace > 0 && copied > 0 ? take(R * 4) : rowAt;
  const inputs = take((R + 1) * 32);
  const passes = take(padded * R * 32);
  const decided = take(padded * R * 16);
  const table = take(LAMBERT_W_TABLE.length * 8);
  // the neurons' solutions as the kernel settles them (t, A, B, W, causal count), fired flags,
  // the fired list and its count
  const outT = take(n * 8);
  const outA = take(n * 8);
  const outB = take(n * 8);
  const outW = take(n * 8);
  const outC = take(n * 4);
  const flags = take(n * 4);
  const list = take(n * 4);
  const state = take(4);
  m.ensureBytes(at);
  const { f64, i32 } = m;
  const { time, exp, threshExp, index } = s;
  const w0 = w / 8;
  // the copied rows (all, or those after the last whole group), then zero rows for the padding
  const firstCopied = k0 + GROUP * inPlace;
  if (copied > 0) {
    f64.set(rowsOf(weights, firstCopied * neuronStride, k1 * neuronStride), w0);
    f64.fill(0, w0 + (k1 - firstCopied) * neuronStride, w0 + copied * neuronStride);
    for (let r = 0; r < R; r++) i32[rowAtCopied / 4 + r] = w + index[from + r] * 8;
  }
  if (inPlace > 0) {
    const rows = weights.byteOffset + k0 * neuronStride * 8;
    for (let r = 0; r < R; r++) i32[rowAt / 4 + r] = rows + index[from + r] * 8;
  }
  // input records [time, e^(K t), θ e^(K t), −], then the time after the last input
  const in0 = inputs / 8;
  for (let r = 0; r < R; r++) {
    const q = in0 + 4 * r;
    f64[q] = time[from + r];
    f64[q + 1] = exp[from + r];
    f64[q + 2] = threshExp[from + r];
  }
  f64[in0 + 4 * R] = time[to];
  const s0 = sm / 8;
  // before the first input every sum is 0 (the contract), so a scan from 0 needs no copy
  if (from === 0) f64.fill(0, s0, s0 + 2 * n);
  else for (let q = 0; q < 2 * n; q++) f64[s0 + q] = sums[2 * k0 + q];
  for (let j = n; j < padded; j++) {
    f64[s0 + 2 * j] = 0;
    f64[s0 + 2 * j + 1] = Infinity; // padding never passes the bound
  }
  const inPlaceRecords = inPlace > 0 ? exports.scan(rowAt, neuronStride * 8, inputs, sm, inPlace, R, passes) : 0;
  const records =
    inPlaceRecords +
    (copied > 0
      ? exports.scan(rowAtCopied, neuronStride * 8, inputs, sm + inPlace * GROUP * 16, copied / GROUP, R, passes + inPlaceRecords * 32)
      : 0);
  // the kernel decides what it can exactly as alphaSolveInterval would (t, W; NaN: no spike in the
  // record's interval; −∞: left to alphaSolveInterval), then settles the records in order: a
  // neuron's first spike is its spike
  f64.set(LAMBERT_W_TABLE, table / 8);
  exports.solve(passes, records, inputs, table, decided, decayRate, threshold);
  const { spikeTime, sumA, sumB, lambertW, causalCount } = out;
  i32.fill(0, flags / 4, flags / 4 + n);
  i32[state / 4] = 0;
  const shift = GROUP * inPlace;
  for (let q = 0; ; q++) {
    q = exports.settle(passes, decided, q, records, inPlaceRecords, shift, flags, outT, outA, outB, outW, outC, sm, list, state, from, k0);
    if (q >= records) break;
    // a record left to alphaSolveInterval (its neuron has not fired); a spike it finds goes to out
    // and to the kernel's solutions, which are copied back to out below
    const rec = passes / 8 + 4 * q;
    const j = q < inPlaceRecords ? f64[rec] : f64[rec] + shift;
    const r = from + f64[rec + 1];
    const k = k0 + j;
    if (alphaSolveInterval(out, k, decayRate, threshold, f64[rec + 2], f64[rec + 3], time[r], time[r + 1], r + 1) === NO_SPIKE) continue;
    f64[outT / 8 + j] = spikeTime[k];
    f64[outA / 8 + j] = sumA[k];
    f64[outB / 8 + j] = sumB[k];
    f64[outW / 8 + j] = lambertW[k];
    i32[outC / 4 + j] = causalCount[k];
    i32[flags / 4 + j] = 1;
    f64[s0 + 2 * j + 1] = Infinity;
    i32[list / 4 + i32[state / 4]++] = k;
  }
  const { generation } = m;
  sums.set(kernelView(f64, generation, s0, 2 * n), 2 * k0);
  const nFired = i32[state / 4];
  const l0 = list / 4;
  if (nFired === n) {
    // every neuron fired (the usual case of an output layer): the solutions as blocks
    spikeTime.set(kernelView(f64, generation, outT / 8, n), k0);
    sumA.set(kernelView(f64, generation, outA / 8, n), k0);
    sumB.set(kernelView(f64, generation, outB / 8, n), k0);
    lambertW.set(kernelView(f64, generation, outW / 8, n), k0);
    causalCount.set(kernelView(i32, generation, outC / 4, n), k0);
    for (let i = 0; i < nFired; i++) firedOut[i] = i32[l0 + i];
  } else {
    // only the neurons that fired (the others' solutions stay as they were)
    for (let i = 0; i < nFired; i++) {
      const k = i32[l0 + i];
      const j = k - k0;
      spikeTime[k] = f64[outT / 8 + j];
      sumA[k] = f64[outA / 8 + j];
      sumB[k] = f64[outB / 8 + j];
      lambertW[k] = f64[outW / 8 + j];
      causalCount[k] = i32[outC / 4 + j];
      firedOut[i] = k;
    }
  }
  return nFired;
};

/**
 * Below this many (neuron, input) pairs, or inputs, a call runs the scalar loops: the SIMD kernel's
 * copies (the sums in and out, the weights) and call would cost more than they save (measured: a
 * stream step of one input over 784 neurons, 0.95× the scalar loops' speed).
 */
const SIMD_MIN_PAIRS = 512;
const SIMD_MIN_INPUTS = 8;

/**
 * Whether the SIMD kernel repays its copies on this call: whole rows (the batch's layout; the
 * stream's transposed weights would be gathered input by input, which costs what the scalar loops
 * cost: measured, a stream of the 784→32 layer ran at 0.9× with it), enough work, and inputs that
 * cover at least half of each copied row (the H=32 output layer: all; its hidden layer: a fifth).
 */
const simdRepays = (s: SortedInputs, neuronStride: number, inputStride: number, neurons: number, inputs: number): boolean =>
  inputs * neurons >= SIMD_MIN_PAIRS && 2 * inputs >= neuronStride && wholeRows(s, neuronStride, inputStride);

/**
 * Neurons k0..k1 continue their search for a first spike over the sorted inputs [from, to) of `s`
 * (`s.time[to]` holds the time after them, or the NO_SPIKE sentinel), from the sums `sums[2k]` =
 * A and `sums[2k + 1]` = B of the inputs before `from` (B = +∞: the neuron fired before, it is
 * skipped). The weight of neuron k at sorted input i is `weights[k · neuronStride + s.index[i] ·
 * inputStride]` (batch: rows of a row-major nOut × nIn matrix, neuronStride = nIn, inputStride = 1;
 * stream: the transposed matrix, neuronStride = 1, inputStride = nOut). A neuron that fires has its
 * solution written to `out`, its B set to +∞ and its index listed in `firedOut`; returns how many
 * fired. The sums of the others are written back, so a later call resumes them. Allocation-free
 * (but for its scratch growing to the widest call).
 *
 * ## Example
 * ```ts
 * const tape = allocLayerTape(2, 1);
 * tape.inputTimes.set([0.1, 0.3]);
 * sortLayerInputs(tape, 1, 0.5);
 * const sums = new Float64Array(2);
 * alphaScanRange(tape.post, 1, 0.5, tape.sorted, new Float64Array([1.5, 1]), 2, 1, 0, 1, 0, 2, sums, new Int32Array(1)); // 1
 * ```
 */
export const alphaScanRange: AlphaScanRange = (
  out, decayRate, threshold, s, weights, neuronStride, inputStride, k0, k1, from, to, sums, firedOut,
) => {
  if (to - from >= SIMD_MIN_INPUTS && simdRepays(s, neuronStride, inputStride, k1 - k0, to - from)) {
    return scanSimd(out, decayRate, threshold, s, weights, neuronStride, inputStride, k0, k1, from, to, sums, firedOut);
  }
  // the scalar loops (kept in this function: a further call level costs the stream ~8%, measured)
  let nFired = 0;
  let k = k0;
  for (; k + 4 <= k1; k += 4) {
    const z = 2 * k;
    if (sums[z + 1] === Infinity && sums[z + 3] === Infinity && sums[z + 5] === Infinity && sums[z + 7] === Infinity) continue;
    const fired = alphaScanInto4(out, k, decayRate, threshold, s, weights, k * neuronStride, neuronStride, inputStride, from, to, sums, z);
    for (let q = 0; fired !== 0 && q < 4; q++) if ((fired & (1 << q)) !== 0) firedOut[nFired++] = k + q;
  }
  for (; k < k1; k++) {
    if (sums[2 * k + 1] === Infinity) continue;
    if (alphaScanInto(out, k, decayRate, threshold, s, weights, k * neuronStride, inputStride, from, to, sums, 2 * k) !== NO_SPIKE) {
      sums[2 * k + 1] = Infinity;
      firedOut[nFired++] = k;
    }
  }
  return nFired;
};

/**
 * {@link alphaScanRange} by the SIMD kernel whatever the work (the law holding it equal to the
 * scalar loops, which alphaScanRange runs for small calls, uses it).
 */
export const alphaScanRangeSimd = scanSimd;
