/**
 * The message of a run stopped because a step produced NaN or ±Infinity: where (epoch and batch,
 * counted from 1 as the progress line shows them) and the settings likely at fault — those far
 * outside the ranges the paper searched (Comsa et al. 2021, Table 1) or used, else the learning
 * rate, the usual culprit.
 */
import type { TrainingConfig } from '../config/config.ts';
import type { Divergence } from '../train/fit.ts';

type Range = readonly [min: number, max: number];

/** Usual ranges: Table 1 of the paper for the searched settings, the paper's values for the rest. */
export const USUAL_RANGES: Readonly<Partial<Record<keyof TrainingConfig, Range>>> = {
  learningRate: [1e-5, 1],
  learningRatePulses: [0, 1],
  latency: [0, 64],
  penaltyOutputSpikeTime: [0, 1],
  penaltyNoSpike: [0, 100],
  clipDerivative: [0, 1000],
  decayRate: [0.1, 2],
  fireThreshold: [0.1, 1.5],
  nonpulseWeightMeanMultiplier: [-10, 10],
  pulseWeightMeanMultiplier: [-10, 10],
  inputRange: [0, 16],
  learningRateMultiplier: [0, 1.5],
};

const kebab = (name: string): string => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** The settings of `c` outside their usual range, as `--flag value (usual min … max)`. */
export const unusualSettings = (c: TrainingConfig): string[] =>
  Object.entries(USUAL_RANGES)
    .filter(([k, [lo, hi]]) => {
      const v = c[k as keyof TrainingConfig] as number;
      return !(v >= lo && v <= hi);
    })
    .map(([k, [lo, hi]]) => `--${kebab(k)} ${c[k as keyof TrainingConfig]} (usual ${lo} … ${hi})`);

export const divergenceMessage = (d: Divergence, c: TrainingConfig): string => {
  const unusual = unusualSettings(c);
  const suspects =
    unusual.length > 0 ? unusual.join(', ') : `the learning rate (--learning-rate ${c.learningRate}; try a smaller one)`;
  return (
    `training diverged at epoch ${d.epoch + 1}, batch ${d.batch + 1} of ${d.batches}: the step produced non-finite ` +
    `parameters (NaN or ±Infinity), which were not saved. Likely at fault: ${suspects}`
  );
};
