/**
 * The reference program's own Lambert W0 approximation (reference README §1), reproduced for
 * conformance only: `spikeline conformance --lambert-w reference` runs the engine with it, so that
 * golden files of the original match at strict tolerances even where a threshold crossing is
 * near-tangential. Training and inference keep the exact {@link lambertW0}.
 *
 * Algorithm, for x > −1/e:
 * 1. initial guess
 *    - x < −0.3235: −1 + sqrt(2 (1 + e·x))  (the first term of the branch-point series);
 *    - −0.3235 < x < 0.3235: x (1 + x (−1 + x (3/2 − (8/3) x)))  (Taylor series at 0);
 *    - then, up to x < 3: piecewise-linear interpolation of W0 between the knots 0.3·j,
 *      j = 1..10 (segment j: W0(0.3 j) + (x − 0.3 j)·slope_j, slope_j the secant to the next
 *      knot). The README names these segments without their table; this is our inference: the
 *      knots and values are what such a table holds, and because the first Fritsch step takes a
 *      guess within 1 % to ~1e-8 (then one more, below the stop test, to rounding level), any
 *      such table gives the same result to ~1e-16;
 *    - x ≥ 3: L1 − L2 + L2/L1 with L1 = ln x, L2 = ln L1.
 *    (x = −0.3235 exactly matches neither of the first two tests and takes the first linear
 *    segment, as the ordered tests of the README read.)
 * 2. up to 10 Fritsch iterations: z = ln(x/w) − w, q = 2(1 + w)(1 + w + 2z/3),
 *    w ← w (1 + (z/(1 + w)) (q − z)/(q − 2z)). The stop test |z| < 1e-3 uses the z measured
 *    before the update, and that update is still applied.
 * 3. no |z| < 1e-3 within 10 iterations: the program aborts; we throw
 *    {@link ReferenceLambertWAbort}.
 * x = 0 gives 0, x = −1/e (the double nearest it) gives −1.
 *
 * Effect: equal to the exact W0 to ~1e-16 almost everywhere; within ~0.0036 of −1/e the result
 * can be off by up to ~3e-7 (the final step starts from an error of up to ~1e-3·…).
 *
 * ## Example
 * ```ts
 * referenceLambertW0(1)                            // 0.5671432904097838, as lambertW0(1)
 * referenceLambertW0(-0.3678) - lambertW0(-0.3678) // ≈ 1e-9: the original's approximation
 * ```
 */
import { LAMBERT_W_BRANCH_POINT, lambertW0 } from '../kernels/lambertW.ts';

/** The program aborted: no convergence of its Lambert W within 10 iterations. */
export class ReferenceLambertWAbort extends Error {
  constructor(readonly x: number) {
    super(`reference Lambert W: no convergence within 10 iterations at x = ${x} (the original program aborts here)`);
    this.name = 'ReferenceLambertWAbort';
  }
}

const NEAR_BRANCH_CUTOFF = -0.3235;
const E = 2.718281828459045;
const STOP_ABS_Z = 1e-3;
const MAX_ITERATIONS = 10;

/** Knots 0.3·j (j = 1..10) of the piecewise-linear guess, W0 there, and the secant slopes. */
const KNOTS = Array.from({ length: 10 }, (_, j) => 0.3 * (j + 1));
const KNOT_W = KNOTS.map((x) => lambertW0(x));
const SLOPES = KNOTS.slice(0, -1).map((x, j) => (KNOT_W[j + 1] - KNOT_W[j]) / (KNOTS[j + 1] - x));

/** The program's initial guess for W0(x). */
export const referenceLambertW0Guess = (x: number): number => {
  if (x < NEAR_BRANCH_CUTOFF) return -1 + Math.sqrt(2 * (1 + E * x));
  if (x > NEAR_BRANCH_CUTOFF && x < -NEAR_BRANCH_CUTOFF) return x * (1 + x * (-1 + x * (3 / 2 - (8 / 3) * x)));
  for (let j = 0; j < SLOPES.length; j++) {
    if (x < KNOTS[j + 1]) return KNOT_W[j] + (x - KNOTS[j]) * SLOPES[j];
  }
  const l1 = Math.log(x);
  const l2 = Math.log(l1);
  return l1 - l2 + l2 / l1;
};

/**
 * W0(x) as the original program computes it, for −1/e ≤ x (callers check the domain, as the
 * neuron code does). Throws {@link ReferenceLambertWAbort} where the program aborts, and a
 * RangeError below the branch point.
 */
export const referenceLambertW0 = (x: number): number => {
  if (x === 0) return 0;
  if (x === LAMBERT_W_BRANCH_POINT) return -1;
  if (!(x > LAMBERT_W_BRANCH_POINT)) throw new RangeError(`reference Lambert W: x = ${x} is below −1/e`);
  let w = referenceLambertW0Guess(x);
  for (let i = 0; i < MAX_ITERATIONS; i++) {
    const z = Math.log(x / w) - w;
    const q = 2 * (1 + w) * (1 + w + (2 / 3) * z);
    const e = (z / (1 + w)) * ((q - z) / (q - 2 * z));
    w *= 1 + e;
    if (Math.abs(z) < STOP_ABS_Z) return w;
  }
  throw new ReferenceLambertWAbort(x);
};
