/**
 * Adam on arrays that live in this thread's WebAssembly kernel memory (`wasmKernel.ts`: a
 * training step's resident copy, see `residentNetwork.ts`), run by the SIMD kernel of
 * `adam.wat` (two parameters per f64x2): {@link adamUpdateResident} gives `adamUpdateRange`'s
 * results (src/train/adam.ts) bit for bit (each lane does its operations in its order;
 * test/kernels/adamResident.test.ts) in about half its time (the division and square root of every
 * parameter dominate, and f64x2 does two of each at once). {@link zeroResident} clears a resident
 * gradient with one `memory.fill` (a `fill(0)` on a view of the shared memory stores element by
 * element).
 *
 * ## Example
 * ```ts
 * const work = residentCopy(net, true, adam);     // params, gradient, m and v in kernel memory
 * // … the examples' gradients summed into work.grad …
 * adamUpdateResident(work.net.params, work.grad, work.m, work.v, 0, n, 7, 1, 1e-3, DEFAULT_ADAM, NO_FLOOR);
 * ```
 */
import { ADAM_WASM_BASE64 } from './adamWasm.ts';
import { lazyWasmKernel } from './wasmKernel.ts';

interface AdamExports {
  adam(
    theta: number, grad: number, m: number, v: number, count: number,
    invN: number, invBc1: number, invBc2: number, lr: number,
    beta1: number, beta2: number, c1: number, c2: number, eps: number, floor: number, check: number,
  ): number; // prettier-ignore
  zero(addr: number, bytes: number): void;
}

const kernel = lazyWasmKernel<AdamExports>(ADAM_WASM_BASE64);

/** Byte address of a[from], for a view of this thread's kernel memory holding [from, to). */
const addressIn = (a: Float64Array, from: number, to: number, what: string): number => {
  if (!kernel.get().memory.holds(a)) {
    throw new RangeError(`${what} is not in this thread's kernel memory (see residentNetwork.ts)`);
  }
  if (!(from >= 0 && to <= a.length && Number.isInteger(from) && Number.isInteger(to))) {
    throw new RangeError(`${what}: [${from}, ${to}) is outside its ${a.length} entries`);
  }
  return a.byteOffset + 8 * from;
};

/**
 * An Adam update of params[from, to) with the summed gradient `gradSum` over `n` examples at step
 * `s` (1-based), learning rate `lr`, clamped to ≥ `floor`: `adamUpdateRange` (src/train/adam.ts)
 * or a kernel with its results.
 */
export type AdamRangeUpdate = (
  params: Float64Array,
  gradSum: Float64Array,
  m: Float64Array,
  v: Float64Array,
  from: number,
  to: number,
  n: number,
  s: number,
  lr: number,
  h: { readonly beta1: number; readonly beta2: number; readonly epsilon: number },
  floor: number,
) => void;

/**
 * `adamUpdateRange` (src/train/adam.ts: same arguments, same results bit for bit) for arrays in
 * this thread's kernel memory. Throws a RangeError naming an array that is not there.
 */
export const adamUpdateResident: AdamRangeUpdate = (params, gradSum, m, v, from, to, n, s, lr, h, floor) => {
  runAdam(params, gradSum, m, v, from, to, n, s, lr, h, floor, 0);
};

/**
 * {@link adamUpdateResident}, which also says whether every parameter and moment it wrote is
 * finite (the kernel sums x·0 over them as it goes: no second pass over memory).
 */
export const adamUpdateResidentFinite = (...args: Parameters<AdamRangeUpdate>): boolean => runAdam(...args, 1) === 0;

/** The kernel on [from, to) (check ≠ 0: it also sums x·0 over what it writes and returns that). */
const runAdam = (...[params, gradSum, m, v, from, to, n, s, lr, h, floor, check]: [...Parameters<AdamRangeUpdate>, number]): number => {
  if (to <= from) return 0;
  const { beta1, beta2, epsilon } = h;
  // the scalars exactly as adamUpdateRange computes them
  return kernel.get().exports.adam(
    addressIn(params, from, to, 'adamUpdateResident: params'), addressIn(gradSum, from, to, 'adamUpdateResident: the gradient'),
    addressIn(m, from, to, 'adamUpdateResident: Adam m'), addressIn(v, from, to, 'adamUpdateResident: Adam v'), to - from,
    1 / n, 1 / (1 - Math.pow(beta1, s)), 1 / (1 - Math.pow(beta2, s)), lr,
    beta1, beta2, 1 - beta1, 1 - beta2, epsilon, floor, check,
  ); // prettier-ignore
};

/** a[from, to) = +0, for a view of this thread's kernel memory (a RangeError otherwise). */
export const zeroResident = (a: Float64Array, from = 0, to = a.length): void => {
  if (to <= from) return;
  kernel.get().exports.zero(addressIn(a, from, to, 'zeroResident: the array'), 8 * (to - from));
};
