/**
 * The examples of a run, checked before anything is written: the train / validation split
 * (seeded), the test set in file order, each encoded on the fly from the compact image bytes
 * (with the run's fixed input noise).
 */
import { isLeft } from 'fp-ts/lib/Either.js';
import type { TrainingConfig } from '../config/config.ts';
import { type Dataset, loadDataset } from '../data/datasets.ts';
import { type EncodedExamples, encodedExamples } from '../data/noise.ts';
import { fileOrder, trainValidationSplit } from '../data/split.ts';
import { InputError } from '../io/inputError.ts';

/** The examples of a run: train, validation and test sets over the compact image bytes. */
export interface RunData {
  readonly dataset: Dataset;
  /** Pixels per image (rows × cols of the data set). */
  readonly pixels: number;
  readonly rows: number;
  readonly cols: number;
  readonly encoding: TrainingConfig['encoding'];
  /** Target latency: outputs should spike at latency + target time. */
  readonly latency: number;
  readonly train: EncodedExamples;
  readonly validation: EncodedExamples;
  readonly test: EncodedExamples;
  readonly trainIndices: Uint32Array;
  readonly validationIndices: Uint32Array;
  readonly testIndices: Uint32Array;
}

/** Loads the data set a config names (`dataset`, `dataDir`); an InputError says how to get it. */
export const datasetOf = (config: Pick<TrainingConfig, 'dataset' | 'dataDir'>): Dataset => {
  const loaded = loadDataset(config.dataset, { dataDir: config.dataDir });
  if (isLeft(loaded)) throw new InputError(loaded.left.message);
  return loaded.right;
};

/** What is wrong with a data set for a config (null: nothing), checked before any output. */
export const runDataProblem = (config: TrainingConfig, dataset: Dataset): string | null => {
  const where = config.dataDir ?? config.dataset;
  if (!(dataset.rows > 0 && dataset.cols > 0)) return `${where}: images of ${dataset.rows}×${dataset.cols} pixels`;
  if (dataset.test.count === 0) return `${where}: the test set holds 0 images (a run needs at least one to measure)`;
  if (config.validationSize >= dataset.train.count) {
    return `validationSize: expected fewer than the ${dataset.train.count} training images of ${where}, got ${config.validationSize}`;
  }
  return null;
};

export const loadRunData = (config: TrainingConfig, preloaded?: Dataset): RunData => {
  const dataset = preloaded ?? datasetOf(config);
  const problem = runDataProblem(config, dataset);
  if (problem !== null) throw new InputError(problem);
  const pixels = dataset.rows * dataset.cols;
  const split = trainValidationSplit(dataset.train.count, config.validationSize, config.seed);
  const trainIndices = config.trainLimit ? split.train.slice(0, config.trainLimit) : split.train.slice();
  const testIndices = fileOrder(Math.min(config.testLimit ?? dataset.test.count, dataset.test.count));
  const base = { encoding: config.encoding, noiseFactor: config.noiseFactor, noiseSeed: config.seed };
  return {
    dataset,
    pixels,
    rows: dataset.rows,
    cols: dataset.cols,
    encoding: config.encoding,
    latency: config.latency,
    train: encodedExamples(dataset.train, pixels, { ...base, part: 'train', indices: trainIndices }),
    validation: encodedExamples(dataset.train, pixels, { ...base, part: 'train', indices: split.validation }),
    test: encodedExamples(dataset.test, pixels, { ...base, part: 'test', indices: testIndices }),
    trainIndices,
    validationIndices: split.validation,
    testIndices,
  };
};
