/**
 * Engine throughput on this machine: training images/s on 1 core (sequential train step) and on
 * 2 cores (main thread + 1 worker, data parallel), inference images/s on 1 core — all on the H=32
 * paper configuration at a given (e.g. the golden "trained") state, over a given example set.
 * Every figure is the median of `repeats` timed passes; the network is reset to the starting state
 * before each pass so every pass measures the same work.
 */
import { type Network, cloneNetwork } from '../model/network.ts';
import type { ExampleSet } from '../train/exampleSet.ts';
import { autoencoderObjective } from '../train/objective.ts';
import { type ExamplesDescriptor, createParallelTrainer } from '../train/parallel/parallelTrainer.ts';
import { type TrainHyper, createTrainContext, evaluate, trainStep } from '../train/trainStep.ts';

export interface EngineBenchOptions {
  readonly network: Network;
  readonly hyper: TrainHyper;
  readonly latency: number;
  readonly batchSize: number;
  readonly examples: ExampleSet;
  readonly sharedExamples: ExamplesDescriptor;
  readonly workerScript: string;
  readonly repeats: number;
  readonly onProgress?: (what: string) => void;
}

export interface EngineBenchResult {
  readonly trainImagesPerSec1Core: number;
  readonly trainImagesPerSec2Cores: number;
  readonly inferImagesPerSec1Core: number;
  readonly images: number;
  readonly repeats: number;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

const seconds = (f: () => void): number => {
  const t0 = process.hrtime.bigint();
  f();
  return Number(process.hrtime.bigint() - t0) / 1e9;
};

export const runEngineBench = async (o: EngineBenchOptions): Promise<EngineBenchResult> => {
  const n = o.examples.count;
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const objective = autoencoderObjective(o.latency);
  const epoch = (step: (from: number, to: number) => void) => () => {
    for (let b = 0; b < n; b += o.batchSize) step(b, Math.min(n, b + o.batchSize));
  };

  o.onProgress?.('inference, 1 core');
  evaluate(o.network, objective, o.examples, Math.min(n, 500)); // warm-up
  const infer = Array.from({ length: o.repeats }, () =>
    n / seconds(() => evaluate(o.network, objective, o.examples)),
  );

  o.onProgress?.('training, 1 core');
  const train1 = Array.from({ length: o.repeats + 1 }, () => {
    const ctx = createTrainContext(cloneNetwork(o.network), objective, o.hyper);
    return n / seconds(epoch((a, b) => trainStep(ctx, o.examples, order, a, b)));
  }).slice(1); // the first pass warms the JIT up

  o.onProgress?.('training, 2 cores');
  const trainer = await createParallelTrainer({
    network: o.network,
    exampleSets: [o.examples],
    examples: [o.sharedExamples],
    objective: { kind: 'autoencoder', latency: o.latency, penaltyOutputSpikeTime: 0 },
    hyper: o.hyper,
    workers: 1,
    maxBatch: o.batchSize,
    workerScript: o.workerScript,
  });
  const train2: number[] = [];
  try {
    for (let r = 0; r < o.repeats + 1; r++) {
      trainer.reset(o.network.params);
      const rate = n / seconds(epoch((a, b) => trainer.step(order, a, b)));
      if (r > 0) train2.push(rate); // the first pass warms both threads' JIT up
    }
  } finally {
    await trainer.close();
  }
  return {
    trainImagesPerSec1Core: median(train1),
    trainImagesPerSec2Cores: median(train2),
    inferImagesPerSec1Core: median(infer),
    images: n,
    repeats: o.repeats,
  };
};
