/**
 * A training task: what the network is asked to do with the run's data. It decides the network's
 * layer sizes, the objective (the loss and its error signal), the example sets the trainer steps
 * over and, for a classifier, the accuracy measured after every epoch. The epoch loop,
 * checkpoints and best-model tracking know nothing of it.
 *
 * - `autoencode`: pixels–H–pixels (or `layers`, first and last = pixels) on the latency-shifted MSE.
 * - `classify`: pixels–H–10 (or `layers`, last = 10); the class is the output neuron that fires
 *   first; the loss is the first-spike cross-entropy (src/train/loss.ts). Inputs are the run's
 *   encoded images (by default `inverted`: bright pixels spike early, black ones never — as the
 *   original program encodes MNIST for classification), targets the one-hot labels.
 */
import { STREAMS, gaussianSampler } from '../data/rng.ts';
import { encodedExamples } from '../data/noise.ts';
import { sharedImagesDescriptor, shareImageBytes } from '../data/sharedImages.ts';
import type { TrainingConfig } from '../config/config.ts';
import { builtInNeuronModel } from '../kernels/neuronModels.ts';
import { TASK_NAMES, type TaskName } from '../config/taskName.ts';
import { InputError } from '../io/inputError.ts';
import { initNetwork } from '../model/init.ts';
import type { Network } from '../model/network.ts';
import { type ConfusionMatrix, confusionOfPredictions } from '../train/confusion.ts';
import type { ExampleSet } from '../train/exampleSet.ts';
import { type Objective, autoencoderObjective, classificationObjective } from '../train/objective.ts';
import type { ExamplesDescriptor } from '../train/parallel/parallelTrainer.ts';
import type { ObjectiveSpec } from '../train/parallel/sharedState.ts';
import type { RunData } from './runData.ts';

export { TASK_NAMES, type TaskName };

/** Classes of the classification data sets (MNIST, Fashion-MNIST): labels 0..9. */
export const CLASS_COUNT = 10;

/** What a classifier measures after an epoch (on the validation and test splits). */
export interface EpochMetrics {
  readonly validationAccuracy: number;
  readonly testAccuracy: number;
  /** Of the test split. */
  readonly confusion: ConfusionMatrix;
}

export interface TrainTask {
  readonly name: TaskName;
  /** Neurons per layer, input first, for this config and data (an InputError if `layers` does not fit). */
  layerSizes(config: TrainingConfig, data: RunData): readonly number[];
  readonly objective: (config: TrainingConfig) => Objective;
  /** The same objective as data, for worker threads. */
  readonly objectiveSpec: (config: TrainingConfig) => ObjectiveSpec;
  /** Train, validation and test sets, in that order. */
  exampleSets(config: TrainingConfig, data: RunData): readonly [ExampleSet, ExampleSet, ExampleSet];
  /** The same sets as shared-memory descriptors for worker threads. */
  sharedExampleSets(config: TrainingConfig, data: RunData): readonly ExamplesDescriptor[];
  /**
   * Accuracy after an epoch (classifiers only), from the classes the epoch's validation and test
   * passes predicted (`Trainer.evaluate`), so no second pass runs the network.
   */
  readonly epochMetrics?: (predicted: EpochPredictions, config: TrainingConfig, data: RunData) => EpochMetrics;
}

/** The predicted class of each validation and test example (−1: no output fired). */
export interface EpochPredictions {
  readonly validation: Int32Array;
  readonly test: Int32Array;
}

/** `config.layers` checked against the data, or [inputs, nHidden, outputs]. */
const sizesFor = (c: TrainingConfig, inputs: number, outputs: number, what: string): readonly number[] => {
  const l = c.layers;
  if (l === undefined) return [inputs, c.nHidden, outputs];
  if (l[0] !== inputs || l[l.length - 1] !== outputs) {
    throw new InputError(
      `layers: ${l.join(',')} does not fit ${what}: the first layer must have ${inputs} neurons (the pixels) and the last ${outputs}`,
    );
  }
  return l;
};

/** The augmentation of a classifier's training set (src/data/augment.ts), if the config asks for one. */
const augmentOf = (c: TrainingConfig, data: RunData) =>
  (c.augmentShift ?? 0) > 0 ? { augment: { maxShift: c.augmentShift ?? 0, width: data.cols } } : {};

const sharedSets = (c: TrainingConfig, data: RunData, classes?: number): readonly ExamplesDescriptor[] => {
  const trainBytes = shareImageBytes(data.dataset.train);
  const testBytes = shareImageBytes(data.dataset.test);
  const opts = (part: 'train' | 'test') => ({ encoding: c.encoding, noiseFactor: c.noiseFactor, noiseSeed: c.seed, part, classes });
  const trainLabels = classes === undefined ? undefined : data.dataset.train.labels;
  const testLabels = classes === undefined ? undefined : data.dataset.test.labels;
  const trainOpts = classes === undefined ? opts('train') : { ...opts('train'), ...augmentOf(c, data) };
  return [
    sharedImagesDescriptor(trainBytes, data.dataset.train.count, data.pixels, trainOpts, data.trainIndices, trainLabels),
    sharedImagesDescriptor(trainBytes, data.dataset.train.count, data.pixels, opts('train'), data.validationIndices, trainLabels),
    sharedImagesDescriptor(testBytes, data.dataset.test.count, data.pixels, opts('test'), data.testIndices, testLabels),
  ];
};

/** Rebuild the input image at the output: a pixels–H–pixels network on the latency-shifted MSE. */
export const autoencodeTask: TrainTask = {
  name: 'autoencode',
  layerSizes: (c, data) => sizesFor(c, data.pixels, data.pixels, `an autoencoder of ${data.rows}×${data.cols} images`),
  objective: (c) => autoencoderObjective(c.latency, c.penaltyOutputSpikeTime),
  objectiveSpec: (c) => ({ kind: 'autoencoder', latency: c.latency, penaltyOutputSpikeTime: c.penaltyOutputSpikeTime }),
  exampleSets: (_c, data) => [data.train, data.validation, data.test],
  sharedExampleSets: (c, data) => sharedSets(c, data),
};

/**
 * The classification example sets of a run: the run's encoded images with one-hot labels; the
 * training set shifted at random when the config asks for augmentation (its examples are then
 * visit numbers, see src/data/augment.ts).
 */
export const labelledSets = (c: TrainingConfig, data: RunData): readonly [ExampleSet, ExampleSet, ExampleSet] => {
  const base = { encoding: c.encoding, noiseFactor: c.noiseFactor, noiseSeed: c.seed, classes: CLASS_COUNT };
  return [
    encodedExamples(data.dataset.train, data.pixels, { ...base, part: 'train', indices: data.trainIndices, ...augmentOf(c, data) }),
    encodedExamples(data.dataset.train, data.pixels, { ...base, part: 'train', indices: data.validationIndices }),
    encodedExamples(data.dataset.test, data.pixels, { ...base, part: 'test', indices: data.testIndices }),
  ];
};

/** The class is the output neuron that fires first; first-spike cross-entropy. */
export const classifyTask: TrainTask = {
  name: 'classify',
  layerSizes: (c, data) => sizesFor(c, data.pixels, CLASS_COUNT, `a classifier of ${data.rows}×${data.cols} images into ${CLASS_COUNT} classes`),
  objective: () => classificationObjective(),
  objectiveSpec: () => ({ kind: 'classification' }),
  exampleSets: labelledSets,
  sharedExampleSets: (c, data) => sharedSets(c, data, CLASS_COUNT),
  epochMetrics: (predicted, c, data) => {
    const [, validation, test] = labelledSets(c, data);
    const confusion = confusionOfPredictions(predicted.test, test, CLASS_COUNT);
    return {
      validationAccuracy: validation.count > 0 ? confusionOfPredictions(predicted.validation, validation, CLASS_COUNT).accuracy : Number.NaN,
      testAccuracy: confusion.accuracy,
      confusion,
    };
  },
};

export const TASKS: Readonly<Record<TaskName, TrainTask>> = { autoencode: autoencodeTask, classify: classifyTask };

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
