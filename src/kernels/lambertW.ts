/**
 * Principal branch W0 of the Lambert W function: the w ≥ −1 with w·e^w = x, for x ≥ −1/e.
 *
 * Accuracy: a few ulp of the backward error everywhere on [−1/e, 1.7e308]. Near the branch point
 * x = −1/e the function is infinitely steep (dW/dx = W / (x(1+W))), so there we evaluate the
 * branch-point series in p = sqrt(2(e·x + 1)), computing x + 1/e in double-double so that the
 * distance to the branch point is not lost to cancellation.
 *
 * Domain: x < −1/e has no real W0; callers decide with {@link lambertW0InDomain} first. Passing
 * such an x returns NaN, but no kernel of ours uses NaN as control flow.
 *
 * ## Example
 * ```ts
 * lambertW0(1)              // 0.5671432904097838 (the omega constant)
 * lambertW0(-1 / Math.E)    // -1
 * ```
 */

import { LAMBERT_W_CENTRES, LAMBERT_W_COEFFICIENTS } from './lambertWTable.ts';

/** −1/e, the branch point (rounded to the nearest double, which lies just above −1/e). */
export const LAMBERT_W_BRANCH_POINT = -0.36787944117144233;

// 1/e as a double-double: INV_E_HI + INV_E_LO.
const INV_E_HI = 0.36787944117144233;
const INV_E_LO = -1.2428753672788363e-17;

/** True when x is in the domain of W0, i.e. x ≥ −1/e (as a double). */
export const lambertW0InDomain = (x: number): boolean => x >= LAMBERT_W_BRANCH_POINT;

// Coefficients of W0 around the branch point in p = sqrt(2(ex+1)):  W = Σ c_k p^k.
const BRANCH_SERIES = [
  -1, 1, -1 / 3, 11 / 72, -43 / 540, 769 / 17280, -221 / 8505, 680863 / 43545600,
  -1963 / 204120, 226287557 / 37623398400,
];

const branchSeries = (p: number, terms: number): number => {
  let acc = BRANCH_SERIES[terms - 1];
  for (let k = terms - 2; k >= 0; k--) acc = acc * p + BRANCH_SERIES[k];
  return acc;
};

/** p = sqrt(2(e·x + 1)) = sqrt(2e(x + 1/e)), with x + 1/e in double-double precision. */
const branchDistance = (x: number): number => {
  const d = x + INV_E_HI + INV_E_LO; // x + INV_E_HI is exact near the branch point (Sterbenz)
  return d <= 0 ? 0 : Math.sqrt(2 * Math.E * d);
};

/** One Fritsch–Shafer–Crowley step (quartic convergence). Returns the new estimate. */
const fritschStep = (x: number, w: number): number => {
  const z = Math.log(x / w) - w;
  const w1 = 1 + w;
  const q = 2 * w1 * (w1 + (2 / 3) * z);
  return w * (1 + (z / w1) * ((q - z) / (q - 2 * z)));
};

/** W0(x) for x ≥ −1/e; NaN below the branch point. */
export const lambertW0 = (x: number): number =>
  x >= -0.3 && x < 0.1 && (x >= 1e-3 || x <= -1e-3) ? lambertW0Usual(x) : lambertW0Elsewhere(x);

/**
 * W0 on the usual range, [−0.3, 0.1) but for |x| < 1e-3 (a spike's x mostly lies in [−0.3, 0)):
 * W(x)/x by the piece of x (64 pieces, lambertWTable.ts), degree 8 in u = (x − centre)·320 by
 * Estrin's scheme: relative error below 4.4e-16 on the generator's samples, with no logarithm (the
 * quartic step this replaced cost about half of a spike decision). A small function of its own, so
 * that callers inline it.
 */
const lambertW0Usual = (x: number): number => {
  const p = ((x + 0.3) * 160) | 0; // x + 0.3 ≥ 0 here, so this is the floor
  const i = p > 63 ? 63 : p;
  const u = (x - LAMBERT_W_CENTRES[i]) * 320;
  const o = 9 * i;
  const c = LAMBERT_W_COEFFICIENTS;
  const u2 = u * u;
  const u4 = u2 * u2;
  const q0 = c[o] + c[o + 1] * u + (c[o + 2] + c[o + 3] * u) * u2;
  const q1 = c[o + 4] + c[o + 5] * u + (c[o + 6] + c[o + 7] * u) * u2;
  return x * (q0 + (q1 + c[o + 8] * u4) * u4);
};

/** W0 everywhere else (see {@link lambertW0}). */
const lambertW0Elsewhere = (x: number): number => {
  if (x === 0) return 0;
  if (x < LAMBERT_W_BRANCH_POINT) return Number.NaN;
  if (x === Infinity) return Infinity;
  if (x < -0.3) {
    // p < 0.61 here. The 10-term series has truncation error ≈ 0.006·p^10: below 1e-22 for
    // p < 0.01 (used as is), below 3e-5 up to p = 0.61 (then one quartic step).
    const p = branchDistance(x);
    const w = branchSeries(p, 10);
    return p < 0.01 ? w : fritschStep(x, w);
  }
  const ax = Math.abs(x);
  if (ax < 1e-3) {
    // Taylor series W = x − x² + 3/2 x³ − 8/3 x⁴ + 125/24 x⁵ − 54/5 x⁶: error < 1e-19 here.
    return x * (1 + x * (-1 + x * (1.5 + x * (-8 / 3 + x * (125 / 24 + x * (-54 / 5))))));
  }
  // x ≥ 0.1 from here
  let w: number;
  if (x < 3) {
    // Winitzki's approximation, relative error below ~2 % on this range.
    const l = Math.log1p(x);
    w = l * (1 - Math.log1p(l) / (2 + l));
  } else {
    // Asymptotic form, relative error below 4 % for x ≥ 3.
    const l1 = Math.log(x);
    const l2 = Math.log(l1);
    w = l1 - l2 + l2 / l1;
  }
  // Quartic convergence: two steps take a 4 % start below 1e-16.
  w = fritschStep(x, w);
  return fritschStep(x, w);
};

/** dW0/dx = W / (x (1 + W)), and 1 at x = 0. Infinite at the branch point. */
export const lambertW0Derivative = (x: number, w: number = lambertW0(x)): number =>
  x === 0 ? 1 : w / (x * (1 + w));
