/**
 * What a config says about the optimiser over time: the Adam hyperparameters, the per-epoch
 * learning-rate decay `rate(e) = rate · multiplier^e`, and the seeded visiting order of an epoch.
 */
import type { TrainingConfig } from '../config/config.ts';
import { MAX_VISIT } from '../data/augment.ts';
import { STREAMS, createRng } from '../data/rng.ts';
import { fileOrder, shuffleInPlace } from '../data/split.ts';
import { DEFAULT_ADAM } from '../train/adam.ts';
import type { TrainHyper } from '../train/trainStep.ts';

export const hyperOf = (c: TrainingConfig): TrainHyper => ({
  learningRate: c.learningRate,
  learningRatePulses: c.learningRatePulses,
  ...DEFAULT_ADAM,
  clipDerivative: c.clipDerivative,
  clipGradient: 0,
  penaltyNoSpike: c.penaltyNoSpike,
});

/** Learning rates (weights, pulses) of epoch `epoch` (0-based). */
export const learningRatesAt = (c: TrainingConfig, epoch: number): readonly [number, number] => {
  const f = Math.pow(c.learningRateMultiplier, epoch);
  return [c.learningRate * f, c.learningRatePulses * f];
};

/** The visiting order of an epoch: a seeded permutation, the same on every resume. */
export const epochOrder = (seed: number, epoch: number, count: number): Int32Array =>
  Int32Array.from(shuffleInPlace(fileOrder(count), createRng(seed, STREAMS.epochOrder + epoch)));

/**
 * The visit numbers of an epoch of an augmented set (src/data/augment.ts): the epoch's order
 * plus epoch·count, so each (epoch, example) pair has a visit number, and with it a shift, of
 * its own. A RangeError when they would leave int32.
 */
export const augmentedOrder = (seed: number, epoch: number, count: number): Int32Array => {
  if ((epoch + 1) * count - 1 > MAX_VISIT) {
    throw new RangeError(`augmentation: epoch ${epoch + 1} of ${count} images passes ${MAX_VISIT} visits; train fewer epochs or images`);
  }
  const order = epochOrder(seed, epoch, count);
  for (let i = 0; i < order.length; i++) order[i] += epoch * count;
  return order;
};
