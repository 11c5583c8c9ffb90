/**
 * Adam exactly as the reference program applies it (reference README section 3, "Batches and
 * Adam"), on flat parameter vectors:
 *
 *     g  = (Σ per-example gradients) / n
 *     m  = β1 m + (1 − β1) g
 *     v  = β2 v + (1 − β2) g²
 *     θ −= lr · (m / (1 − β1^s)) / sqrt(v / (1 − β2^s) + ε)      (ε inside the square root)
 *
 * s counts steps from 1. Weights and pulse times have their own learning rates (and their own m, v
 * entries, being different parameters); pulse times are clamped to ≥ 0 after every update.
 */
import type { AdamRangeUpdate } from '../kernels/adamResident.ts';

export type { AdamRangeUpdate };

export interface AdamHyper {
  readonly learningRate: number;
  readonly learningRatePulses: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
}

/** "No lower bound" for {@link adamUpdateRange} (finite: V8's Math.max is slow with ±∞). */
export const NO_FLOOR = -Number.MAX_VALUE;

export const DEFAULT_ADAM = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 } as const;

export interface AdamState {
  readonly m: Float64Array;
  readonly v: Float64Array;
  /** Steps taken so far (the next step is step + 1). */
  step: number;
}

export const allocAdamState = (nParams: number, buffer?: (n: number) => Float64Array): AdamState => ({
  m: buffer ? buffer(nParams) : new Float64Array(nParams),
  v: buffer ? buffer(nParams) : new Float64Array(nParams),
  step: 0,
});

/**
 * Updates params[from, to) with the summed gradient `gradSum` over `n` examples at step `s`
 * (1-based), learning rate `lr`; clamps to ≥ `floor` ({@link NO_FLOOR} for none). Allocation-free, so
 * worker threads can each update a slice of one shared parameter vector.
 */
export const adamUpdateRange: AdamRangeUpdate = (params, gradSum, m, v, from, to, n, s, lr, h, floor) => {
  const { beta1, beta2, epsilon } = h;
  const c1 = 1 - beta1;
  const c2 = 1 - beta2;
  // Reciprocals hoisted out of the loop: three multiplications instead of three divisions per
  // parameter. The golden Adam step still agrees to 1.5e-14 (tolerance 1e-12 absolute).
  const invN = 1 / n;
  const invBc1 = 1 / (1 - Math.pow(beta1, s));
  const invBc2 = 1 / (1 - Math.pow(beta2, s));
  for (let i = from; i < to; i++) {
    const g = gradSum[i] * invN;
    const mi = beta1 * m[i] + c1 * g;
    const vi = beta2 * v[i] + c2 * g * g;
    m[i] = mi;
    v[i] = vi;
    const p = params[i] - (lr * (mi * invBc1)) / Math.sqrt(vi * invBc2 + epsilon);
    params[i] = Math.max(p, floor);
  }
};

/**
 * One Adam step over a whole parameter vector whose first `weightCount` entries are weights and
 * the rest pulse times. Increments `state.step`. `update` and `moments` (by default
 * {@link adamUpdateRange} and the state's own m and v) let a caller run it on copies elsewhere,
 * e.g. `adamUpdateResident` on a training step's copies in kernel memory.
 */
export const adamStep = (
  params: Float64Array,
  weightCount: number,
  gradSum: Float64Array,
  n: number,
  state: AdamState,
  h: AdamHyper,
  update: AdamRangeUpdate = adamUpdateRange,
  moments: Pick<AdamState, 'm' | 'v'> = state,
): void => {
  state.step += 1;
  const s = state.step;
  const { m, v } = moments;
  update(params, gradSum, m, v, 0, weightCount, n, s, h.learningRate, h, NO_FLOOR);
  update(params, gradSum, m, v, weightCount, params.length, n, s, h.learningRatePulses, h, 0);
};
