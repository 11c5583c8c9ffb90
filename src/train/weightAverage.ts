/**
 * An exponential moving average of the parameters over the training steps (Polyak averaging, as
 * in TensorFlow's `ExponentialMovingAverage`): after step n (n = 1, 2, …)
 *
 *   a ← a + (1 − d_n)·(θ − a),   d_n = min(decay, (1 + n) / (10 + n)),
 *
 * so that the first steps, when θ moves fast, do not keep the initial parameters in the average
 * for long. Training itself never sees the average: the trainer steps on θ as before (the same
 * parameters, bit for bit, with or without it), and only evaluation (validation and test losses,
 * accuracies, the saved best model) uses a.
 */
import type { Trainer } from './trainer.ts';

/** The decay of step n (1-based): `decay`, or less while n is small. */
export const averageDecayAt = (decay: number, n: number): number => Math.min(decay, (1 + n) / (10 + n));

/** a ← a + (1 − d)·(θ − a), in place. */
export const averageInto = (average: Float64Array, params: Float64Array, d: number): void => {
  const w = 1 - d;
  for (let i = 0; i < average.length; i++) average[i] += w * (params[i] - average[i]);
};

/** Exchanges the contents of two arrays of the same length. */
const swapContents = (a: Float64Array, b: Float64Array): void => {
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    a[i] = b[i];
    b[i] = x;
  }
};

/**
 * A trainer that keeps `average` (the running average, updated in place after every step; its
 * step count is the trainer's Adam step) and evaluates with it: `evaluate` puts the average in
 * the network's parameters for the evaluation and the trained ones back after it.
 */
export const withWeightAverage = (trainer: Trainer, decay: number, average: Float64Array): Trainer => {
  const params = trainer.network.params;
  if (average.length !== params.length) {
    throw new RangeError(`weight average: expected ${params.length} values, got ${average.length}`);
  }
  if (!(decay >= 0 && decay < 1)) throw new RangeError(`weight average: decay must lie in [0, 1), got ${decay}`);
  return {
    network: trainer.network,
    adam: trainer.adam,
    get lastStep() {
      return trainer.lastStep;
    },
    step: (order, from, to) => {
      const loss = trainer.step(order, from, to);
      averageInto(average, params, averageDecayAt(decay, trainer.adam.step));
      return loss;
    },
    evaluate: (set, count, predicted) => {
      swapContents(params, average);
      try {
        return trainer.evaluate(set, count, predicted);
      } finally {
        swapContents(params, average);
      }
    },
    setLearningRates: (weights, pulses) => trainer.setLearningRates(weights, pulses),
    close: () => trainer.close(),
  };
};
