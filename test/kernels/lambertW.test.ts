/**
 * Lambert W0: known values, and the exported Lambert W law suite (inverse, range, derivative
 * identity vs finite differences, emphasis near the branch point −1/e).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assertLaw } from '../../laws/law.ts';
import { lambertWLaws } from '../../laws/lambertWLaws.ts';
import {
  LAMBERT_W_BRANCH_POINT,
  lambertW0,
  lambertW0Derivative,
  lambertW0InDomain,
} from '../../src/kernels/lambertW.ts';

describe('lambertW0: known values', () => {
  it('W(1) is the omega constant 0.56714329040978387299996866...', () => {
    expect(Math.abs(lambertW0(1) - 0.5671432904097838)).toBeLessThanOrEqual(2.3e-16);
  });

  it('W(e) = 1, W(0) = 0, W(−1/e) = −1', () => {
    expect(Math.abs(lambertW0(Math.E) - 1)).toBeLessThanOrEqual(2.3e-16);
    expect(lambertW0(0)).toBe(0);
    expect(lambertW0(LAMBERT_W_BRANCH_POINT)).toBeCloseTo(-1, 7);
  });

  it('W(x e^x) = x for x = 2, 10, 100 and 700 (large arguments)', () => {
    for (const w of [2, 10, 100, 700]) {
      const x = w * Math.exp(w);
      expect(Math.abs(lambertW0(x) - w) / w).toBeLessThanOrEqual(1e-15);
    }
  });

  it('W(−ln 2 / 2) = −ln 2 (an exact negative value)', () => {
    expect(Math.abs(lambertW0(-Math.LN2 / 2) + Math.LN2)).toBeLessThanOrEqual(1e-15);
  });

  it('domain: x < −1/e is outside (W is NaN there, and callers ask lambertW0InDomain first)', () => {
    expect(lambertW0InDomain(LAMBERT_W_BRANCH_POINT)).toBe(true);
    expect(lambertW0InDomain(-0.37)).toBe(false);
    expect(Number.isNaN(lambertW0(-0.37))).toBe(true);
    expect(lambertW0(Infinity)).toBe(Infinity);
  });

  it("W'(0) = 1 and W'(x) = W/(x(1 + W)) elsewhere", () => {
    expect(lambertW0Derivative(0)).toBe(1);
    const w = lambertW0(1);
    expect(lambertW0Derivative(1)).toBeCloseTo(w / (1 + w), 15);
  });
});

describe('lambertW0: laws', () => {
  for (const law of lambertWLaws()) {
    it(law.name, () => {
      assertLaw(law, { numRuns: 3000, seed: 20210513 });
    });
  }
});

describe('lambertW0: the piecewise polynomials on [−0.3, 0.1) (lambertWTable.ts)', () => {
  // x = w e^w is rounded once (and e^w a little), so W(x) may differ from w by about
  // |dW/dx|·ulp(x) = ulp(x)·W/(x(1+W)) ≤ 2 ulp for w ≥ −0.49: 1e-15 relative leaves room for the
  // table's own 4.4e-16 and nothing for a wrong piece or coefficient.
  it('W(w e^w) = w within 1e-15 relative for w drawn over W([−0.3, 0.1))', () => {
    fc.assert(
      // uniform in w (fc.double would crowd the draws near 0, where the Taylor branch answers)
      fc.property(fc.integer({ min: 0, max: 2 ** 30 }), (k) => {
        const w = -0.489 + (0.0912 + 0.489) * (k / 2 ** 30);
        const x = w * Math.exp(w);
        if (Math.abs(x) < 1e-3) return true; // the Taylor branch, not the table
        const got = lambertW0(x);
        expect(Math.abs(got - w)).toBeLessThanOrEqual(1e-15 * Math.abs(w));
        return true;
      }),
      { numRuns: 20000, seed: 20261130 },
    );
  });

  it('neighbouring pieces agree at every joint (x = −0.3 + i/160, within 1e-15 relative)', () => {
    for (let i = 1; i < 64; i++) {
      const joint = -0.3 + i / 160;
      if (Math.abs(joint) < 2e-3) continue; // the Taylor branch around 0
      let below = joint;
      for (let k = 0; k < 4; k++) below -= Math.abs(below) * 2 ** -52; // a few doubles below
      const [wb, wa] = [lambertW0(below), lambertW0(joint)];
      expect(Math.abs(wa - wb)).toBeLessThanOrEqual(1e-15 * Math.abs(wa) + (joint - below) * 2);
      expect(Math.abs(wa * Math.exp(wa) - joint)).toBeLessThanOrEqual(1e-15 * Math.abs(joint));
    }
  });
});
