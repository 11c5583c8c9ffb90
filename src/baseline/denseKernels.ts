/**
 * The ANN baseline's dense kernels: a WebAssembly SIMD (f64x2) module (source `annKernels.wat`,
 * bytes in `annKernelsWasm.ts`, made by `scripts/assembleAnnKernels.mjs`) over one memory that
 * holds every array the kernels touch. {@link createDenseWorkspace} carves that memory into
 * Float64Array views once; the kernels then take views into it (never copies) and allocate nothing.
 *
 *     gemmAdd:    C[i][j] += Σ_p A(i, p) · B(p, j),  A(i, p) = a[i·aI + p·aP],  B(p, j) = b[p·bP + j]
 *     transpose:  dst = srcᵀ
 *     adam:       adamUpdateRange (src/train/adam.ts) over whole vectors
 *     outputError, sigmoidSlope, addRows: the reverse pass's elementwise steps (see below)
 *     sigmoid:    1/(1 + e^(−z)) with fdlibm's exp, the algorithm of V8's Math.exp
 *
 * Every f64x2 lane does the scalar code's operations in the scalar code's order (multiply, then
 * add; no fused multiply-add; IEEE division and square root), so the results are bit for bit those
 * of ann.ts's per-example passes and of adamUpdateRange, which the tests check. Node ≥ 20 always
 * has WebAssembly SIMD, so there is no plain-JS copy of these kernels to drift.
 *
 * ## Example
 * ```ts
 * const ws = createDenseWorkspace([6, 4, 8]);        // C 2×3, A 2×2, B 2×4 (only 2×3 used)
 * const [c, a, b] = ws.views;
 * ws.gemmAdd(c, a, 2, 1, b, 3, 2, 3, 2);            // C += A B
 * ```
 */
import type { AdamHyper } from '../train/adam.ts';
import { ANN_KERNELS_WASM_BASE64 } from './annKernelsWasm.ts';

interface KernelExports {
  gemmAdd(c: number, a: number, aI: number, aP: number, b: number, bP: number, m: number, n: number, k: number): void;
  transpose(dst: number, src: number, rows: number, cols: number): void;
  adam(
    theta: number, grad: number, m: number, v: number, count: number,
    invN: number, invBc1: number, invBc2: number, lr: number,
    beta1: number, beta2: number, c1: number, c2: number, eps: number, floor: number, check: number,
  ): number; // prettier-ignore
  outputError(d: number, a: number, y: number, count: number, o: number, scale: number, start: number): number;
  sigmoidSlope(d: number, a: number, len: number): void;
  addRows(out: number, rows: number, count: number, w: number): void;
  sigmoid(a: number, z: number, len: number): void;
}

/** The part of the WebAssembly JS API used here (the project's TypeScript libs do not declare it). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: unknown };
  Memory: new (descriptor: { initial: number }) => { readonly buffer: ArrayBuffer };
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

let compiled: object | undefined;
/** The compiled module, made once per process (synchronously: it is a few KB). */
const kernelModule = (): object => (compiled ??= new wasm.Module(Buffer.from(ANN_KERNELS_WASM_BASE64, 'base64')));

export interface DenseWorkspace {
  /** One view per requested length, in order, each 16-byte aligned, zero-filled. */
  readonly views: readonly Float64Array[];
  /** C (row-major m × n) += A B; strides in elements; B's rows contiguous. Returns c. */
  gemmAdd(
    c: Float64Array, a: Float64Array, aI: number, aP: number, b: Float64Array, bP: number,
    m: number, n: number, k: number,
  ): Float64Array; // prettier-ignore
  /** dst (cols × rows) = srcᵀ for src row-major rows × cols. */
  transpose(dst: Float64Array, src: Float64Array, rows: number, cols: number): Float64Array;
  /**
   * adamUpdateRange(params, gradSum, m, v, 0, params.length, n, s, lr, h, floor): the summed
   * gradient over n examples at step s (1-based).
   */
  adam(
    params: Float64Array, gradSum: Float64Array, m: Float64Array, v: Float64Array,
    n: number, s: number, lr: number, h: Pick<AdamHyper, 'beta1' | 'beta2' | 'epsilon'>, floor: number,
  ): void; // prettier-ignore
  /**
   * d = scale·(a − y) over count rows of width o; returns start + Σ_rows (Σ (a − y)²)/o, in row
   * order (the per-example losses of ann.ts's annLoss, summed).
   */
  outputError(d: Float64Array, a: Float64Array, y: Float64Array, count: number, o: number, scale: number, start: number): number;
  /** d[q] = d[q] · (a[q] (1 − a[q])) for q < len: activationSlope('sigmoid', z, a) applied. */
  sigmoidSlope(d: Float64Array, a: Float64Array, len: number): Float64Array;
  /** out[j] += Σ_b rows[b·w + j] over count rows, in row order. */
  addRows(out: Float64Array, rows: Float64Array, count: number, w: number): Float64Array;
  /** a[q] = 1/(1 + e^(−z[q])) for q < len, e^x as V8's Math.exp (fdlibm): activate('sigmoid', z). */
  sigmoid(a: Float64Array, z: Float64Array, len: number): Float64Array;
}

/** A fresh memory holding arrays of the given lengths, with the kernels bound to it. */
export const createDenseWorkspace = (lengths: readonly number[]): DenseWorkspace => {
  const offsets: number[] = [];
  let bytes = 0;
  for (const len of lengths) {
    if (!Number.isInteger(len) || len < 0) throw new RangeError(`dense workspace: array length must be a natural number, got ${len}`);
    offsets.push(bytes);
    bytes += Math.ceil(len / 2) * 16;
  }
  if (bytes > 2 ** 31) throw new RangeError(`dense workspace: ${bytes} bytes exceed the kernels' 2 GiB address range`);
  const memory = new wasm.Memory({ initial: Math.max(1, Math.ceil(bytes / 65536)) });
  const k = new wasm.Instance(kernelModule(), { env: { memory } }).exports as unknown as KernelExports;
  const buffer = memory.buffer;
  const views = lengths.map((len, i) => new Float64Array(buffer, offsets[i], len));
  /** Byte address of a view, which must lie in this workspace with `need` elements from its start. */
  const at = (x: Float64Array, what: string, need: number): number => {
    if (x.buffer !== buffer) throw new RangeError(`dense workspace: ${what} is not a view into this workspace's memory`);
    if (need > x.length) throw new RangeError(`dense workspace: ${what} needs ${need} elements, has ${x.length}`);
    return x.byteOffset;
  };
  /** Elements spanned by an r × c operand with row stride rS and column stride cS (≥ 0). */
  const span = (r: number, c: number, rS: number, cS: number) => (r === 0 || c === 0 ? 0 : (r - 1) * rS + (c - 1) * cS + 1);
  return {
    views,
    gemmAdd: (c, a, aI, aP, b, bP, m, n, kk) => {
      k.gemmAdd(at(c, 'C', m * n), at(a, 'A', span(m, kk, aI, aP)), aI * 8, aP * 8, at(b, 'B', span(kk, n, bP, 1)), bP * 8, m, n, kk);
      return c;
    },
    transpose: (dst, src, rows, cols) => {
      k.transpose(at(dst, 'transpose destination', rows * cols), at(src, 'transpose source', rows * cols), rows, cols);
      return dst;
    },
    adam: (params, gradSum, m, v, n, s, lr, h, floor) => {
      const len = params.length;
      const { beta1, beta2, epsilon } = h;
      // the scalars exactly as adamUpdateRange computes them
      k.adam(
        at(params, 'params', len), at(gradSum, 'gradient', len), at(m, 'Adam m', len), at(v, 'Adam v', len), len,
        1 / n, 1 / (1 - Math.pow(beta1, s)), 1 / (1 - Math.pow(beta2, s)), lr,
        beta1, beta2, 1 - beta1, 1 - beta2, epsilon, floor, 0,
      ); // prettier-ignore
    },
    outputError: (d, a, y, count, o, scale, start) =>
      k.outputError(at(d, 'error', count * o), at(a, 'activations', count * o), at(y, 'targets', count * o), count, o, scale, start),
    sigmoidSlope: (d, a, len) => {
      k.sigmoidSlope(at(d, 'error', len), at(a, 'activations', len), len);
      return d;
    },
    addRows: (out, rows, count, w) => {
      k.addRows(at(out, 'row sum', w), at(rows, 'rows', count * w), count, w);
      return out;
    },
    sigmoid: (a, z, len) => {
      k.sigmoid(at(a, 'activations', len), at(z, 'pre-activations', len), len);
      return a;
    },
  };
};

/** Sets each of the m rows of C (m × row.length) to `row` (e.g. a bias), or to 0 when null. */
export const fillRows = (c: Float64Array, row: Float64Array | null, m: number, n: number): Float64Array => {
  if (row === null) c.fill(0, 0, m * n);
  else for (let i = 0; i < m; i++) c.set(row, i * n);
  return c;
};
