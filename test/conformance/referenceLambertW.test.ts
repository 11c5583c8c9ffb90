/**
 * The original program's Lambert W (reference README §1): equal to the exact W0 to rounding away
 * from the branch point, off by a bounded amount near it, and its special values and domain.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { referenceLambertW0, referenceLambertW0Guess } from '../../src/conformance/referenceLambertW.ts';
import { LAMBERT_W_BRANCH_POINT, lambertW0 } from '../../src/kernels/lambertW.ts';

describe('referenceLambertW0', () => {
  it('x = 0 gives 0, x = −1/e gives −1, below −1/e is refused', () => {
    expect(referenceLambertW0(0)).toBe(0);
    expect(referenceLambertW0(LAMBERT_W_BRANCH_POINT)).toBe(-1);
    expect(() => referenceLambertW0(-0.37)).toThrow(RangeError);
  });

  it('equals the exact W0 to 1e-14 relative away from the branch point (every guess segment)', () => {
    fc.assert(
      fc.property(fc.double({ min: -0.36, max: 1e6, noNaN: true }), (x) => {
        const w = referenceLambertW0(x);
        const exact = lambertW0(x);
        return Math.abs(w - exact) <= 1e-14 * Math.max(1, Math.abs(exact));
      }),
      { numRuns: 2000, seed: 3 },
    );
  });

  it('solves w·e^w = x near the branch point to within the approximation the README states (≤ 3e-7)', () => {
    let maxOff = 0;
    for (let d = 1e-9; d < 0.0036; d *= 1.05) {
      const x = LAMBERT_W_BRANCH_POINT + d;
      const off = Math.abs(referenceLambertW0(x) - lambertW0(x));
      maxOff = Math.max(maxOff, off);
    }
    expect(maxOff).toBeGreaterThan(1e-12); // it is an approximation there …
    expect(maxOff).toBeLessThan(3e-7); // … within the README's bound on spike times (K ≤ 1 there)
  });

  it('its piecewise-linear guess is within 2 % of W0 on [0.3235, 3)', () => {
    for (let x = 0.3235; x < 3; x += 0.001) {
      expect(Math.abs(referenceLambertW0Guess(x) / lambertW0(x) - 1)).toBeLessThan(0.02);
    }
  });
});
