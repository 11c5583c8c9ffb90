/**
 * What a config says about the optimiser over time: the Adam hyperparameters, the per-epoch
 * learning-rate decay `rate(e) = rate · multiplier^e`, and the seeded visiting order of an epoch.
 */
import type { TrainingConfig } from '../config/config.ts';
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
