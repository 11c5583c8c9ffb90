/**
 * Lambert W0: known values, and the exported Lambert W law suite (inverse, range, derivative
 * identity vs finite differences, emphasis near the branch point −1/e).
 */
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
