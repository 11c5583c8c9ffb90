/**
 * The running training accuracy of a classifier, as `fit` reports it in every BatchProgress: the
 * fraction of the epoch's examples so far whose first output spike names their class, each
 * measured before its batch's update. Recomputed here independently (a forward pass of the
 * network as it stood before each batch, the earliest output by `Math.min`), for the sequential
 * trainer and the parallel trainer with 0, 1 and 2 worker threads, which all report the same.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { trainWorkerScript } from '../../src/cli/packageFiles.ts';
import { formatProgress } from '../../src/cli/progress.ts';
import { forward } from '../../src/model/forward.ts';
import { initNetwork } from '../../src/model/init.ts';
import { type Network, cloneNetwork } from '../../src/model/network.ts';
import { type ExampleSet, arrayExampleSet } from '../../src/train/exampleSet.ts';
import { type BatchProgress, type FitPlan, fit } from '../../src/train/fit.ts';
import { autoencoderObjective, classificationObjective } from '../../src/train/objective.ts';
import { createParallelTrainer } from '../../src/train/parallel/parallelTrainer.ts';
import { shareEncodedExamples } from '../../src/train/parallel/sharedExamples.ts';
import type { ObjectiveSpec } from '../../src/train/parallel/sharedState.ts';
import { type Trainer, createSequentialTrainer } from '../../src/train/trainer.ts';
import { createTrainContext, trainStep } from '../../src/train/trainStep.ts';
import { hyper, normalSampler } from './testTraining.ts';

// 3 classes over 12 inputs: the inputs of block c (4 each) spike early for class c, the rest late or never
const classes = 3;
const count = 30;
const rnd = normalSampler(5);
const labels = Array.from({ length: count }, (_, i) => i % classes);
const images = labels.map((c) =>
  Float64Array.from({ length: 12 }, (_, j) => {
    const x = Math.abs(rnd());
    return Math.floor(j / 4) === c ? 0.1 + 0.1 * x : x > 1 ? Infinity : 1 + x;
  }),
);
const targets = labels.map((c) => Float64Array.from({ length: classes }, (_, k) => (k === c ? 1 : 0)));
const set = arrayExampleSet(images, targets);
const initial = initNetwork(
  { layerSizes: [12, 8, classes], nPulses: 2, decayRate: 1, threshold: 0.5 },
  { nonpulseWeightMeanMultiplier: 2, pulseWeightMeanMultiplier: 1 },
  normalSampler(9),
);
const batchSize = 4;
const epochs = 3;
const orderOf = (epoch: number) => Int32Array.from({ length: count }, (_, i) => (i * 7 + epoch * 11) % count);
const plan: FitPlan = { epochs, startEpoch: 0, batchSize, trainCount: count, orderOf, validationSet: -1, testSet: 0 };

/** The earliest output's index, −1 when every output is silent (not the code under test). */
const earliest = (out: Float64Array): number => {
  const t = Math.min(...out);
  return Number.isFinite(t) ? out.indexOf(t) : -1;
};

/**
 * correctSoFar[epoch][n]: how many of the epoch's first n examples the network, as it stood before
 * their batch's update, classified correctly. The updates come from the sequential train step.
 */
const expectedCorrectSoFar = (): number[][] => {
  const ctx = createTrainContext(cloneNetwork(initial), classificationObjective(), hyper);
  const perEpoch: number[][] = [];
  for (let epoch = 0; epoch < epochs; epoch++) {
    const order = orderOf(epoch);
    const soFar = [0];
    for (let from = 0; from < count; from += batchSize) {
      const to = Math.min(count, from + batchSize);
      for (let b = from; b < to; b++) {
        const right = earliest(forward(ctx.net, images[order[b]]).output) === labels[order[b]];
        soFar.push(soFar[soFar.length - 1] + (right ? 1 : 0));
      }
      trainStep(ctx, set, order, from, to);
    }
    perEpoch.push(soFar);
  }
  return perEpoch;
};

/** Runs fit with a clock that advances 60 ms per reading, so every batch reports progress. */
const progressOf = async (trainer: Trainer): Promise<BatchProgress[]> => {
  let clock = 0;
  vi.spyOn(performance, 'now').mockImplementation(() => (clock += 60));
  const seen: BatchProgress[] = [];
  try {
    await fit(trainer, plan, { onBatch: (p) => void seen.push(p) });
  } finally {
    vi.restoreAllMocks();
    await trainer.close();
  }
  return seen;
};

const parallelTrainer = (network: Network, examples: ExampleSet, objective: ObjectiveSpec, workers: number) =>
  createParallelTrainer({
    network,
    exampleSets: [examples],
    examples: [shareEncodedExamples(examples)],
    objective,
    hyper,
    workers,
    maxBatch: batchSize,
    workerScript: trainWorkerScript(),
  });

afterEach(() => vi.restoreAllMocks());

describe('running training accuracy', () => {
  it('equals the independently recomputed accuracy of the epoch so far, for every batch and every trainer', async () => {
    const expected = expectedCorrectSoFar();
    // the task discriminates: the accuracy changes over training
    const epochAccuracies = expected.map((soFar) => soFar[count] / count);
    expect(new Set(epochAccuracies).size).toBeGreaterThan(1);

    const sequential = await progressOf(createSequentialTrainer(cloneNetwork(initial), [set], classificationObjective(), hyper));
    expect(sequential).toHaveLength(epochs * Math.ceil(count / batchSize));
    for (const p of sequential) expect(p.runningAccuracy).toBe(expected[p.epoch][p.done] / p.done);

    for (const workers of [0, 1, 2]) {
      const parallel = await progressOf(await parallelTrainer(initial, set, { kind: 'classification' }, workers));
      expect(parallel.map((p) => [p.epoch, p.done, p.runningLoss, p.runningAccuracy])).toEqual(
        sequential.map((p) => [p.epoch, p.done, p.runningLoss, p.runningAccuracy]),
      );
    }
  }, 60_000);

  it('is NaN for the autoencoder (no classes), sequential and parallel', async () => {
    const auto = arrayExampleSet(images, images);
    const network = initNetwork(
      { layerSizes: [12, 5, 12], nPulses: 2, decayRate: 1, threshold: 0.5 },
      { nonpulseWeightMeanMultiplier: 2, pulseWeightMeanMultiplier: 1 },
      normalSampler(3),
    );
    const seq = await progressOf(createSequentialTrainer(network, [auto], autoencoderObjective(1), hyper));
    expect(seq.length).toBeGreaterThan(0);
    expect(seq.every((p) => Number.isNaN(p.runningAccuracy) && Number.isFinite(p.runningLoss))).toBe(true);
    const par = await progressOf(await parallelTrainer(network, auto, { kind: 'autoencoder', latency: 1, penaltyOutputSpikeTime: 0 }, 1));
    expect(par.every((p) => Number.isNaN(p.runningAccuracy))).toBe(true);
  }, 60_000);

  it('the progress line shows it beside the running loss, and only for classifiers', () => {
    const p: BatchProgress = { epoch: 0, done: 500, total: 1000, runningLoss: 0.31119, runningAccuracy: 0.914, imagesPerSec: 100, elapsedSeconds: 5 };
    expect(formatProgress(p, 3)).toMatch(/ 500\/1000 .* loss 0\.31119  acc 91\.4 %$/);
    expect(formatProgress({ ...p, runningAccuracy: Number.NaN }, 3)).toMatch(/loss 0\.31119$/);
    const { runningAccuracy: _absent, ...withoutAccuracy } = p;
    expect(formatProgress(withoutAccuracy, 3)).toMatch(/loss 0\.31119$/);
  });
});
