/**
 * The running parameter average (src/train/weightAverage.ts): the update is the exponential
 * moving average it claims (against a direct sum over the steps), its decay warms up as stated,
 * and the trainer wrapper steps the wrapped trainer unchanged, averages after every step, and
 * evaluates with the average while leaving the trained parameters in place (even when the
 * evaluation throws).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Network } from '../../src/model/network.ts';
import type { Trainer } from '../../src/train/trainer.ts';
import { averageDecayAt, averageInto, withWeightAverage } from '../../src/train/weightAverage.ts';

const finite = fc.double({ min: -10, max: 10, noNaN: true });

/**
 * A stand-in trainer whose step n sets the parameters to `sequence[n − 1]` and whose evaluation
 * reports what it saw (the parameters at that moment, copied), or throws when asked to.
 */
const scriptedTrainer = (sequence: readonly number[][], throwOnEvaluate = false) => {
  const params = Float64Array.from(sequence[0].map(() => 0));
  const seen: number[][] = [];
  const adam = { step: 0, m: new Float64Array(params.length), v: new Float64Array(params.length) };
  const trainer: Trainer = {
    network: { params } as unknown as Network,
    adam,
    step: () => {
      params.set(sequence[adam.step]);
      adam.step += 1;
      return adam.step;
    },
    evaluate: () => {
      seen.push(Array.from(params));
      if (throwOnEvaluate) throw new Error('evaluation failed');
      return seen.length;
    },
    setLearningRates: () => {},
    close: async () => {},
  };
  return { trainer, params, seen };
};

/** a_n by its closed form: Σ_k θ_k (1 − d_k) Π_{j>k} d_j + a_0 Π_j d_j, with d_k of step k. */
const averageBySum = (start: readonly number[], sequence: readonly number[][], decay: number, i: number): number => {
  let total = 0;
  let keep = 1; // Π of the decays of the steps after k, accumulated from the last step back
  for (let k = sequence.length; k >= 1; k--) {
    const d = averageDecayAt(decay, k);
    total += sequence[k - 1][i] * (1 - d) * keep;
    keep *= d;
  }
  return total + start[i] * keep;
};

describe('weight average', () => {
  it('the decay of step n is min(decay, (1 + n)/(10 + n)): it warms up, then stays at decay', () => {
    expect(averageDecayAt(0.9998, 1)).toBeCloseTo(2 / 11, 15);
    expect(averageDecayAt(0.9998, 100)).toBeCloseTo(101 / 110, 15);
    expect(averageDecayAt(0.9998, 1_000_000)).toBe(0.9998);
    fc.assert(
      fc.property(fc.double({ min: 0, max: 0.99999, noNaN: true }), fc.integer({ min: 1, max: 1e7 }), (d, n) => {
        const dn = averageDecayAt(d, n);
        expect(dn).toBeLessThanOrEqual(d);
        expect(dn).toBeLessThanOrEqual(averageDecayAt(d, n + 1));
      }),
    );
  });

  it('the wrapped trainer averages after every step: equal to the closed-form sum over the steps', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }).chain((n) =>
          fc.tuple(fc.array(finite, { minLength: n, maxLength: n }), fc.array(fc.array(finite, { minLength: n, maxLength: n }), { minLength: 1, maxLength: 40 })),
        ),
        fc.double({ min: 0, max: 0.999, noNaN: true }),
        ([start, sequence], decay) => {
          const { trainer, params } = scriptedTrainer(sequence);
          const average = Float64Array.from(start);
          const averaged = withWeightAverage(trainer, decay, average);
          for (let s = 0; s < sequence.length; s++) averaged.step([], 0, 1);
          // the wrapped trainer's own parameters are its last step's, untouched by the average
          expect(Array.from(params)).toEqual(sequence[sequence.length - 1]);
          for (let i = 0; i < start.length; i++) {
            expect(average[i]).toBeCloseTo(averageBySum(start, sequence, decay, i), 9);
          }
        },
      ),
    );
  });

  it('averageInto moves each entry by (1 − d) of its distance to the parameter', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(finite, finite), { minLength: 1, maxLength: 20 }), fc.double({ min: 0, max: 1, noNaN: true }), (pairs, d) => {
        const a = Float64Array.from(pairs.map(([x]) => x));
        const p = Float64Array.from(pairs.map(([, y]) => y));
        averageInto(a, p, d);
        pairs.forEach(([x, y], i) => expect(a[i]).toBeCloseTo(x + (1 - d) * (y - x), 12));
      }),
    );
  });

  it('evaluation sees the average; afterwards the trained parameters and the average are back in place', () => {
    const { trainer, params, seen } = scriptedTrainer([[1, 2, 3], [4, 5, 6]]);
    const average = Float64Array.from([0, 0, 0]);
    const averaged = withWeightAverage(trainer, 0.5, average);
    averaged.step([], 0, 1);
    averaged.step([], 0, 1);
    const kept = Array.from(average);
    expect(kept).not.toEqual([4, 5, 6]);
    expect(averaged.evaluate(1)).toBe(1);
    expect(seen[0]).toEqual(kept);
    expect(Array.from(params)).toEqual([4, 5, 6]);
    expect(Array.from(average)).toEqual(kept);
  });

  it('an evaluation that throws still puts the trained parameters back', () => {
    const { trainer, params } = scriptedTrainer([[1, 2], [3, 4]], true);
    const average = Float64Array.from([9, 9]);
    const averaged = withWeightAverage(trainer, 0.9, average);
    averaged.step([], 0, 1);
    const kept = Array.from(average);
    expect(() => averaged.evaluate(1)).toThrow(/evaluation failed/);
    expect(Array.from(params)).toEqual([1, 2]);
    expect(Array.from(average)).toEqual(kept);
  });

  it('refuses an average of the wrong length or a decay outside [0, 1)', () => {
    const { trainer } = scriptedTrainer([[1, 2]]);
    expect(() => withWeightAverage(trainer, 0.5, new Float64Array(3))).toThrow(/expected 2 values, got 3/);
    expect(() => withWeightAverage(trainer, 1, new Float64Array(2))).toThrow(/decay must lie in \[0, 1\), got 1/);
  });
});
