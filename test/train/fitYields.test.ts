/**
 * `fit` gives the event loop a turn between epochs however short they are, so a stop asked for
 * by a macrotask (a signal's handler: Ctrl-C, SIGTERM) takes effect after the current epoch, not
 * at the end of the run. (A run of epochs shorter than fit's 50 ms progress interval used to keep
 * the loop waiting to its end: `spikeline train` on a tiny set ignored SIGTERM.)
 */
import { describe, expect, it } from 'vitest';
import { initNetwork } from '../../src/model/init.ts';
import { type FitPlan, fit } from '../../src/train/fit.ts';
import type { Trainer } from '../../src/train/trainer.ts';
import { normalSampler } from './testTraining.ts';

/** A trainer whose steps and evaluations take no time (and change nothing). */
const instantTrainer = (): Trainer => {
  const network = initNetwork({ layerSizes: [4, 3, 4], nPulses: 1, decayRate: 1, threshold: 0.5 }, { nonpulseWeightMeanMultiplier: 1, pulseWeightMeanMultiplier: 1 }, normalSampler(1));
  return {
    network,
    adam: { m: new Float64Array(network.params.length), v: new Float64Array(network.params.length), step: 0 },
    step: () => 0.5,
    evaluate: () => 0.25,
    setLearningRates: () => undefined,
    close: async () => undefined,
  };
};

const plan: FitPlan = { epochs: 10_000, startEpoch: 0, batchSize: 2, trainCount: 8, orderOf: () => Int32Array.from({ length: 8 }, (_, i) => i), validationSet: 0, testSet: -1 };

describe('fit and the event loop', () => {
  it('sees a stop asked for by a macrotask after the current epoch, even when epochs take no time', async () => {
    let stop = false;
    setImmediate(() => {
      stop = true;
    });
    const result = await fit(instantTrainer(), plan, { shouldStop: () => stop });
    expect(result.interrupted).toBe(true);
    expect(result.epochs.length).toBeGreaterThanOrEqual(1);
    expect(result.epochs.length).toBeLessThan(5);
  });

  it('runs every epoch when nobody asks it to stop', async () => {
    const result = await fit(instantTrainer(), { ...plan, epochs: 20 }, { shouldStop: () => false });
    expect(result.interrupted).toBe(false);
    expect(result.epochs.length).toBe(20);
  });
});
