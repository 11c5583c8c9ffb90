/**
 * Laws of the principal branch W0 of Lambert W, for any implementation `w0` (ours by default),
 * on its whole domain [−1/e, 1e308] with emphasis near the branch point −1/e (see
 * {@link lambertWArgumentArbitrary}).
 *
 * 1. `inverse`: W·e^W = x, relative residual |W e^W − x|/|x| ≤ inverseTolerance·max(1, |1 + W|)
 *    (absolute |W e^W| for x = 0)
 *    (the factor: a relative error δ in W moves W e^W by (1 + W)·δ relative, so large W amplify
 *    it; e^W never overflows, as W0(1.8e308) ≈ 703).
 * 2. `range`: W is finite and W ≥ −1 (and W = −1 at the branch point as a double).
 * 3. `derivative`: W'(x) = W/(x(1 + W)) equals a central difference of w0 with step
 *    h = derivativeStep·min(x + 1/e, max(1, |x|)), within derivativeTolerance relative.
 *    Exclusion rule: x within 1e-8 of the branch point (W' is infinite there and no finite
 *    difference resolves it), x = 0 (the identity is 0/0; W'(0) = 1 is a unit test), and x + h
 *    beyond the largest double.
 */
import fc from 'fast-check';
import { LAMBERT_W_BRANCH_POINT, lambertW0 } from '../src/kernels/lambertW.ts';
import { lambertWArgumentArbitrary } from './arbitraries.ts';
import { type Law, expectLaw, makeLaw } from './law.ts';

export interface LambertWLawOptions {
  /** Relative backward error allowed (before the (1 + W) factor). Default 2e-15 (about 9 ulp). */
  readonly inverseTolerance: number;
  /** Relative finite-difference step. Default 1e-4. */
  readonly derivativeStep: number;
  /** Default 1e-5. */
  readonly derivativeTolerance: number;
}

export const defaultLambertWLawOptions: LambertWLawOptions = {
  inverseTolerance: 2e-15,
  derivativeStep: 1e-4,
  derivativeTolerance: 1e-5,
};

/** 1/e − |LAMBERT_W_BRANCH_POINT|, so that x + 1/e is computed without losing the low part. */
const INV_E_LO = -1.2428753672788363e-17;
const distanceToBranchPoint = (x: number): number => x - LAMBERT_W_BRANCH_POINT - INV_E_LO;

export const lambertWLaws = (w0: (x: number) => number = lambertW0, options: Partial<LambertWLawOptions> = {}): Law[] => {
  const o: LambertWLawOptions = { ...defaultLambertWLawOptions, ...options };
  const xs = lambertWArgumentArbitrary;

  const inverse = makeLaw(
    'inverse',
    'W0(x)·e^W0(x) = x',
    'relative residual ≤ inverseTolerance·max(1, |1 + W|), x in [−1/e, 1e308]',
    xs,
    (x) => {
      const w = w0(x);
      const back = w * Math.exp(w);
      // Relative residual W e^W / x − 1; near the largest double W e^W may round to Infinity,
      // so there it is computed in log form (absolute error ~1e-13, well inside the tolerance).
      const residual =
        x === 0
          ? Math.abs(back)
          : Number.isFinite(back) || !(w > 1)
            ? Math.abs(back - x) / Math.abs(x)
            : Math.abs(Math.expm1(w + Math.log(w) - Math.log(x)));
      const tol = o.inverseTolerance * Math.max(1, Math.abs(1 + w));
      expectLaw(residual <= tol, () => `W(${x}) = ${w}: W·e^W = ${back}, relative residual ${residual} > ${tol}`);
      return true;
    },
  );

  const range = makeLaw('range', 'W0(x) is finite and ≥ −1', 'exact', xs, (x) => {
    const w = w0(x);
    expectLaw(Number.isFinite(w) && w >= -1, () => `W(${x}) = ${w}, expected a finite value ≥ −1`);
    if (x === LAMBERT_W_BRANCH_POINT) expectLaw(Math.abs(w + 1) < 1e-7, () => `W(−1/e) = ${w}, expected −1`);
    return true;
  });

  const derivative = makeLaw(
    'derivative',
    "W0'(x) = W/(x(1 + W)) matches a central finite difference",
    'step derivativeStep·min(x + 1/e, max(1, |x|)), relative tolerance derivativeTolerance; skips x within ' +
      '1e-8 of −1/e, x = 0 and x + h > the largest double',
    xs,
    (x) => {
      const d = distanceToBranchPoint(x);
      fc.pre(d > 1e-8 && x !== 0);
      const h = o.derivativeStep * Math.min(d, Math.max(1, Math.abs(x)));
      // Divide by the step actually taken: x ± h are rounded to doubles.
      const xPlus = x + h;
      const xMinus = x - h;
      fc.pre(Number.isFinite(xPlus));
      const fd = (w0(xPlus) - w0(xMinus)) / (xPlus - xMinus);
      const w = w0(x);
      const identity = w / x / (1 + w); // not w/(x(1 + w)): x(1 + w) overflows near 1e308
      const tol = o.derivativeTolerance * Math.abs(identity);
      expectLaw(Math.abs(fd - identity) <= tol, () =>
        `x = ${x}: W/(x(1+W)) = ${identity}, central difference ${fd} (h = ${h}, tolerance ${tol})`,
      );
      return true;
    },
  );

  return [inverse, range, derivative];
};
