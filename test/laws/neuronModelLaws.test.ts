/**
 * The neuron-model law suite holds for the alpha and dual-exponential neurons, and fails on
 * deliberately broken models: every law a broken model names in `caughtBy` must fail.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { brokenModels } from '../../laws/brokenModels.ts';
import { assertLaw, checkLaws } from '../../laws/law.ts';
import { NEURON_LAW_IDS, neuronModelLaws } from '../../laws/neuronModelLaws.ts';
import { alphaModel } from '../../src/kernels/alpha.ts';
import { dualExponentialModel } from '../../src/kernels/dualExponential.ts';
import type { NeuronModel } from '../../src/kernels/neuronModel.ts';

const SEED = 20210513;
const green = { numRuns: 100, seed: SEED };

for (const model of [alphaModel, dualExponentialModel]) {
  describe(`neuron model laws: ${model.name}`, () => {
    const laws = neuronModelLaws(model);

    it('has every law, monotonicity included for a monotone model', () => {
      expect(laws.map((l) => l.id)).toEqual([...NEURON_LAW_IDS]);
    });

    for (const law of laws) {
      it(law.name, () => {
        assertLaw(law, green);
      });
    }
  });
}

describe('neuron model laws: broken models fail', () => {
  // 200 runs: enough for every break to be found. No shrinking (endOnFailure): the failure is the
  // assertion, and shrinking through the scan-based arbitrary costs seconds.
  const red = { numRuns: 200, seed: SEED, endOnFailure: true };
  for (const inner of [alphaModel, dualExponentialModel]) {
    for (const broken of brokenModels(inner)) {
      it(`${broken.model.name} (${broken.break}) fails ${broken.caughtBy.join(', ')}`, () => {
        const laws = neuronModelLaws(broken.model).filter((l) => broken.caughtBy.some((id) => id === l.id));
        expect(laws.map((l) => l.id).sort()).toEqual([...broken.caughtBy].sort());
        const reports = checkLaws(laws, red);
        for (const r of reports) {
          expect(r.passed, `${r.id} should fail on ${broken.model.name}`).toBe(false);
          expect(r.message).toContain('Counterexample');
        }
      });
    }
  }
});

describe('neuron model laws: structure', () => {
  it('leaves out monotonicity for a model that does not claim it', () => {
    const model: NeuronModel = { ...dualExponentialModel, name: 'not-monotone', monotoneInWeights: false };
    expect(neuronModelLaws(model).map((l) => l.id)).not.toContain('monotonicity');
  });

  it('each predicate, called directly on its own arbitrary, returns true or signals a skip', () => {
    for (const law of neuronModelLaws(alphaModel)) {
      let holds = 0;
      for (const v of fc.sample(law.arbitrary, { numRuns: 30, seed: SEED })) {
        try {
          expect(law.predicate(v)).toBe(true);
          holds++;
        } catch (e) {
          // fc.pre: the law's exclusion rule left this value out. Anything else is a failure.
          if (!fc.PreconditionFailure.isFailure(e)) throw e;
        }
      }
      expect(holds, law.id).toBeGreaterThan(10);
    }
  });

  it('a violation names the quantity, the expectation and the finding', () => {
    const late = brokenModels(alphaModel).find((b) => b.name === 'lateSpike');
    if (late === undefined) throw new Error('lateSpike broken model missing');
    const [report] = checkLaws(neuronModelLaws(late.model).slice(0, 1), { numRuns: 100, seed: SEED });
    expect(report.passed).toBe(false);
    expect(report.error).toMatch(/^LawViolation: (the scan reaches .* before the spike time|V\(t\* = .*\): expected)/);
    expect(report.message).toContain(report.error);
  });
});
