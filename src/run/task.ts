/**
 * A training task: what the network is asked to do with the run's data. It decides the network's
 * layer sizes, the objective (the loss and its error signal) and the example sets the trainer
 * steps over. The epoch loop, checkpoints and best-model tracking know nothing of it, so a new
 * task (classification, with its own objective and metrics) plugs in here.
 */
import { STREAMS, gaussianSampler } from '../data/rng.ts';
import { sharedImagesDescriptor, shareImageBytes } from '../data/sharedImages.ts';
import type { TrainingConfig } from '../config/config.ts';
import { builtInNeuronModel } from '../kernels/neuronModels.ts';
import { initNetwork } from '../model/init.ts';
import type { Network } from '../model/network.ts';
import type { ExampleSet } from '../train/exampleSet.ts';
import { type Objective, autoencoderObjective } from '../train/objective.ts';
import type { ExamplesDescriptor } from '../train/parallel/parallelTrainer.ts';
import type { ObjectiveSpec } from '../train/parallel/sharedState.ts';
import type { RunData } from './runData.ts';

export type TaskName = 'autoencode';
export const TASK_NAMES: readonly TaskName[] = ['autoencode'];

export interface TrainTask {
  readonly name: TaskName;
  /** Neurons per layer, input first, for this config and data. */
  layerSizes(config: TrainingConfig, data: RunData): readonly number[];
  readonly objective: (config: TrainingConfig) => Objective;
  /** The same objective as data, for worker threads. */
  readonly objectiveSpec: (config: TrainingConfig) => ObjectiveSpec;
  /** Train, validation and test sets, in that order. */
  exampleSets(data: RunData): readonly [ExampleSet, ExampleSet, ExampleSet];
  /** The same sets as shared-memory descriptors for worker threads. */
  sharedExampleSets(config: TrainingConfig, data: RunData): readonly ExamplesDescriptor[];
}

/** Rebuild the input image at the output: a pixels–H–pixels network on the latency-shifted MSE. */
export const autoencodeTask: TrainTask = {
  name: 'autoencode',
  layerSizes: (c, data) => [data.pixels, c.nHidden, data.pixels],
  objective: (c) => autoencoderObjective(c.latency, c.penaltyOutputSpikeTime),
  objectiveSpec: (c) => ({ kind: 'autoencoder', latency: c.latency, penaltyOutputSpikeTime: c.penaltyOutputSpikeTime }),
  exampleSets: (data) => [data.train, data.validation, data.test],
  sharedExampleSets: (c, data) => {
    const trainBytes = shareImageBytes(data.dataset.train);
    const testBytes = shareImageBytes(data.dataset.test);
    const opts = (part: 'train' | 'test') => ({ encoding: c.encoding, noiseFactor: c.noiseFactor, noiseSeed: c.seed, part });
    return [
      sharedImagesDescriptor(trainBytes, data.dataset.train.count, data.pixels, opts('train'), data.trainIndices),
      sharedImagesDescriptor(trainBytes, data.dataset.train.count, data.pixels, opts('train'), data.validationIndices),
      sharedImagesDescriptor(testBytes, data.dataset.test.count, data.pixels, opts('test'), data.testIndices),
    ];
  },
};

export const TASKS: Readonly<Record<TaskName, TrainTask>> = { autoencode: autoencodeTask };

/** A freshly initialised network for a task and config (seeded by config.seed). */
export const initialNetwork = (task: TrainTask, c: TrainingConfig, data: RunData): Network =>
  initNetwork(
    {
      layerSizes: [...task.layerSizes(c, data)],
      nPulses: c.nPulses,
      decayRate: c.decayRate,
      threshold: c.fireThreshold,
      neuron: builtInNeuronModel(c.neuron ?? 'alpha'),
    },
    {
      nonpulseWeightMeanMultiplier: c.nonpulseWeightMeanMultiplier,
      pulseWeightMeanMultiplier: c.pulseWeightMeanMultiplier,
      inputRange: c.inputRange,
    },
    gaussianSampler(c.seed, STREAMS.init),
  );
