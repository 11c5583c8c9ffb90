/**
 * The Lambert W law suite fails on deliberately broken W0 functions (each law a broken function
 * names in `caughtBy` must fail), and options change its tolerances.
 */
import { describe, expect, it } from 'vitest';
import { brokenLambertWs } from '../../laws/brokenModels.ts';
import { checkLaws } from '../../laws/law.ts';
import { lambertWLaws } from '../../laws/lambertWLaws.ts';
import { lambertW0 } from '../../src/kernels/lambertW.ts';

const params = { numRuns: 1000, seed: 20210513, endOnFailure: true };

describe('Lambert W laws: broken W0 fail', () => {
  for (const broken of brokenLambertWs) {
    it(`${broken.name} (${broken.break}) fails ${broken.caughtBy.join(', ')}`, () => {
      const laws = lambertWLaws(broken.w0).filter((l) => broken.caughtBy.some((id) => id === l.id));
      expect(laws.length).toBe(broken.caughtBy.length);
      for (const r of checkLaws(laws, params)) {
        expect(r.passed, `${r.id} should fail on ${broken.name}`).toBe(false);
        expect(r.error).toMatch(/^LawViolation: /);
      }
    });
  }

  it('a relative error of 1e-13 fails the default inverse law and passes a loosened one', () => {
    const biased = (x: number) => lambertW0(x) * (1 + 1e-13);
    const inverseOf = (tol?: number) =>
      lambertWLaws(biased, tol === undefined ? {} : { inverseTolerance: tol }).filter((l) => l.id === 'inverse');
    expect(checkLaws(inverseOf(), params)[0].passed).toBe(false);
    expect(checkLaws(inverseOf(1e-10), params)[0].passed).toBe(true);
  });
});
