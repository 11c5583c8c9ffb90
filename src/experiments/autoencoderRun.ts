/**
 * One spiking-autoencoder training run, as the paper trains it (Comsa et al. 2021, section 2.7):
 * a 784–H–784 network with P pulses, Adam on the latency-shifted MSE, seeded 54 000 / 6 000
 * train/validation split, the test set in file order, optional fixed input noise.
 *
 * Files in the run directory, each written atomically:
 * - `config.json`: the resolved training config;
 * - `metrics.jsonl`: one JSON line per event (start, epoch, interrupt, end), appended as it happens;
 * - `best.model.json`: the model with the lowest validation loss so far;
 * - `latest.model.json`: the latest model with its Adam state and progress (for `--resume`),
 *   written after every epoch, every `checkpointSeconds` within an epoch, and on interrupt (an
 *   unfinished epoch restarts on resume, from the parameters reached);
 * - `summary.json`: the final figures (also returned).
 * Pictures are written by the `onEpochEnd` hook of the caller (see src/report).
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isLeft } from 'fp-ts/lib/Either.js';
import type { TrainingConfig } from '../config/config.ts';
import { encodeTrainingConfig } from '../config/config.ts';
import { type Dataset, loadDataset } from '../data/datasets.ts';
import { type EncodedExamples, encodedExamples } from '../data/noise.ts';
import { STREAMS, createRng, gaussianSampler } from '../data/rng.ts';
import { shareImageBytes, sharedImagesDescriptor } from '../data/sharedImages.ts';
import { shuffleInPlace, fileOrder, trainValidationSplit } from '../data/split.ts';
import { InputError } from '../io/inputError.ts';
import { writeFileAtomic } from '../io/atomicWrite.ts';
import { decodeSavedModel, savedModelOf } from '../model/codecs.ts';
import { initNetwork } from '../model/init.ts';
import type { Network } from '../model/network.ts';
import { DEFAULT_ADAM } from '../train/adam.ts';
import { type BatchProgress, type EpochRecord, fit } from '../train/fit.ts';
import { autoencoderObjective } from '../train/objective.ts';
import { createParallelTrainer } from '../train/parallel/parallelTrainer.ts';
import { type Trainer, createSequentialTrainer } from '../train/trainer.ts';
import type { TrainHyper } from '../train/trainStep.ts';

export interface RunFiles {
  readonly config: string;
  readonly metrics: string;
  readonly best: string;
  readonly latest: string;
  readonly summary: string;
}

export const runFiles = (outDir: string): RunFiles => ({
  config: join(outDir, 'config.json'),
  metrics: join(outDir, 'metrics.jsonl'),
  best: join(outDir, 'best.model.json'),
  latest: join(outDir, 'latest.model.json'),
  summary: join(outDir, 'summary.json'),
});

/** What a run knows at the end of an epoch, for pictures and progress. */
export interface EpochContext {
  readonly record: EpochRecord;
  readonly network: Network;
  readonly history: readonly EpochRecord[];
  readonly data: RunData;
}

export interface RunOptions {
  readonly config: TrainingConfig;
  readonly outDir: string;
  /** Worker threads besides the main thread (0 = sequential). */
  readonly workers: number;
  readonly workerScript: string;
  readonly resume: boolean;
  readonly onProgress?: (p: BatchProgress) => void;
  readonly onEpochEnd?: (c: EpochContext) => void | Promise<void>;
  readonly shouldStop?: () => boolean;
  readonly log?: (message: string) => void;
  /** Seconds between mid-epoch checkpoints of `latest.model.json` (default 60). */
  readonly checkpointSeconds?: number;
  /** An already loaded data set (tests); loaded from the config otherwise. */
  readonly dataset?: Dataset;
}

export interface RunSummary {
  readonly outDir: string;
  readonly dataset: string;
  readonly epochs: number;
  readonly bestEpoch: number;
  readonly bestValidationLoss: number;
  /** Test loss of the model with the best validation loss (ties: the later epoch). */
  readonly testLoss: number;
  readonly finalTrainLoss: number;
  /** Mean wall-clock seconds per epoch, evaluations included. */
  readonly secondsPerEpoch: number;
  /** Mean seconds of the training steps of an epoch (without the validation and test passes). */
  readonly trainSecondsPerEpoch: number;
  readonly trainImagesPerSec: number;
  readonly interrupted: boolean;
  readonly history: readonly EpochRecord[];
}

/** The examples of a run: train, validation and test sets over the compact image bytes. */
export interface RunData {
  readonly dataset: Dataset;
  readonly pixels: number;
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

export const loadRunData = (config: TrainingConfig, preloaded?: Dataset): RunData => {
  let dataset = preloaded;
  if (dataset === undefined) {
    const loaded = loadDataset(config.dataset, { dataDir: config.dataDir });
    if (isLeft(loaded)) throw new InputError(loaded.left.message);
    dataset = loaded.right;
  }
  const pixels = dataset.rows * dataset.cols;
  if (config.validationSize >= dataset.train.count) {
    throw new InputError(
      `validationSize: expected fewer than the ${dataset.train.count} training images, got ${config.validationSize}`,
    );
  }
  const split = trainValidationSplit(dataset.train.count, config.validationSize, config.seed);
  const trainIndices = config.trainLimit ? split.train.slice(0, config.trainLimit) : split.train.slice();
  const testIndices = fileOrder(Math.min(config.testLimit ?? dataset.test.count, dataset.test.count));
  const base = { encoding: config.encoding, noiseFactor: config.noiseFactor, noiseSeed: config.seed };
  return {
    dataset,
    pixels,
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

export const hyperOf = (c: TrainingConfig): TrainHyper => ({
  learningRate: c.learningRate,
  learningRatePulses: c.learningRatePulses,
  ...DEFAULT_ADAM,
  clipDerivative: c.clipDerivative,
  clipGradient: 0,
  penaltyNoSpike: c.penaltyNoSpike,
});

/** A freshly initialised network for a config (seeded by config.seed). */
export const initialNetwork = (c: TrainingConfig, pixels: number): Network =>
  initNetwork(
    { layerSizes: [pixels, c.nHidden, pixels], nPulses: c.nPulses, decayRate: c.decayRate, threshold: c.fireThreshold },
    {
      nonpulseWeightMeanMultiplier: c.nonpulseWeightMeanMultiplier,
      pulseWeightMeanMultiplier: c.pulseWeightMeanMultiplier,
      inputRange: c.inputRange,
    },
    gaussianSampler(c.seed, STREAMS.init),
  );

/** The visiting order of an epoch: a seeded permutation, the same on every resume. */
export const epochOrder = (seed: number, epoch: number, count: number): Int32Array =>
  Int32Array.from(shuffleInPlace(fileOrder(count), createRng(seed, STREAMS.epochOrder + epoch)));

interface Progress {
  readonly completedEpochs: number;
  readonly history: EpochRecord[];
  readonly bestValidationLoss: number;
  readonly bestEpoch: number;
}

const readJson = (path: string): unknown => {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new InputError(`${path}: cannot read a model (${(e as Error).message})`);
  }
};

/** Loads `latest.model.json` of a run directory for --resume. */
export const loadCheckpoint = (outDir: string) => {
  const file = runFiles(outDir).latest;
  if (!existsSync(file)) throw new InputError(`--resume: no checkpoint ${file} (start without --resume)`);
  const decoded = decodeSavedModel(readJson(file));
  if (isLeft(decoded)) throw new InputError(`${file}: ${decoded.left.join('; ')}`);
  const meta = decoded.right.meta as Partial<Progress> & { config?: unknown };
  return { model: decoded.right, meta };
};

export const runAutoencoder = async (o: RunOptions): Promise<RunSummary> => {
  const files = runFiles(o.outDir);
  const c = o.config;
  const log = o.log ?? (() => {});
  mkdirSync(o.outDir, { recursive: true });
  const data = loadRunData(c, o.dataset);

  let network: Network;
  let adam: { step: number; m: Float64Array; v: Float64Array } | undefined;
  let progress: Progress = { completedEpochs: 0, history: [], bestValidationLoss: Infinity, bestEpoch: -1 };
  if (o.resume) {
    const { model, meta } = loadCheckpoint(o.outDir);
    network = model.network;
    adam = model.adam;
    progress = {
      completedEpochs: meta.completedEpochs ?? 0,
      history: (meta.history ?? []) as EpochRecord[],
      bestValidationLoss: meta.bestValidationLoss ?? Infinity,
      bestEpoch: meta.bestEpoch ?? -1,
    };
    log(`resuming ${files.latest} after ${progress.completedEpochs} epoch(s)`);
  } else {
    network = initialNetwork(c, data.pixels);
  }
  writeFileAtomic(files.config, `${JSON.stringify(encodeTrainingConfig(c), null, 2)}\n`);
  const event = (e: Record<string, unknown>) =>
    appendFileSync(files.metrics, `${JSON.stringify({ time: new Date().toISOString(), ...e })}\n`);
  event({ event: o.resume ? 'resume' : 'start', completedEpochs: progress.completedEpochs, config: encodeTrainingConfig(c) });

  const hyper = hyperOf(c);
  const objective = autoencoderObjective(c.latency, c.penaltyOutputSpikeTime);
  const sets = [data.train, data.validation, data.test];
  let trainer: Trainer;
  if (o.workers > 0) {
    const trainBytes = shareImageBytes(data.dataset.train);
    const testBytes = shareImageBytes(data.dataset.test);
    const opts = (part: 'train' | 'test') => ({ encoding: c.encoding, noiseFactor: c.noiseFactor, noiseSeed: c.seed, part });
    trainer = await createParallelTrainer({
      network,
      exampleSets: sets,
      examples: [
        sharedImagesDescriptor(trainBytes, data.dataset.train.count, data.pixels, opts('train'), data.trainIndices),
        sharedImagesDescriptor(trainBytes, data.dataset.train.count, data.pixels, opts('train'), data.validationIndices),
        sharedImagesDescriptor(testBytes, data.dataset.test.count, data.pixels, opts('test'), data.testIndices),
      ],
      objective: { kind: 'autoencoder', latency: c.latency, penaltyOutputSpikeTime: c.penaltyOutputSpikeTime },
      hyper,
      workers: o.workers,
      maxBatch: c.batchSize,
      workerScript: o.workerScript,
      adam,
    });
  } else {
    trainer = createSequentialTrainer(network, sets, objective, hyper, adam);
  }
  const lrAt = (epoch: number) => Math.pow(c.learningRateMultiplier, epoch);
  trainer.setLearningRates(c.learningRate * lrAt(progress.completedEpochs), c.learningRatePulses * lrAt(progress.completedEpochs));

  const saveLatest = (completedEpochs: number) =>
    writeFileAtomic(
      files.latest,
      JSON.stringify(
        savedModelOf(
          trainer.network,
          {
            config: encodeTrainingConfig(c),
            completedEpochs,
            history: progress.history,
            bestValidationLoss: progress.bestValidationLoss,
            bestEpoch: progress.bestEpoch,
          },
          { step: trainer.adam.step, m: trainer.adam.m, v: trainer.adam.v },
        ),
      ),
    );
  let lastCheckpoint = performance.now();
  const checkpointMs = (o.checkpointSeconds ?? 60) * 1000;

  let result;
  try {
    result = await fit(
      trainer,
      {
        epochs: c.epochs,
        startEpoch: progress.completedEpochs,
        batchSize: c.batchSize,
        trainCount: data.train.count,
        orderOf: (epoch) => epochOrder(c.seed, epoch, data.train.count),
        validationSet: data.validation.count > 0 ? 1 : -1,
        testSet: data.test.count > 0 ? 2 : -1,
      },
      {
        onBatch: (p) => {
          o.onProgress?.(p);
          if (performance.now() - lastCheckpoint > checkpointMs) {
            // mid-epoch: a kill loses at most this interval; the epoch restarts on --resume
            saveLatest(progress.completedEpochs);
            lastCheckpoint = performance.now();
          }
        },
        shouldStop: o.shouldStop,
        onEpoch: async (r) => {
          const history = [...progress.history, r];
          // ties go to the later epoch, as in the reference program
          const improved = !(r.validationLoss > progress.bestValidationLoss);
          progress = {
            completedEpochs: r.epoch + 1,
            history,
            bestValidationLoss: improved ? r.validationLoss : progress.bestValidationLoss,
            bestEpoch: improved ? r.epoch : progress.bestEpoch,
          };
          if (improved) {
            writeFileAtomic(
              files.best,
              JSON.stringify(savedModelOf(trainer.network, { config: encodeTrainingConfig(c), epoch: r.epoch, validationLoss: r.validationLoss, testLoss: r.testLoss })),
            );
          }
          saveLatest(r.epoch + 1);
          lastCheckpoint = performance.now();
          event({ event: 'epoch', ...r, best: improved });
          trainer.setLearningRates(c.learningRate * lrAt(r.epoch + 1), c.learningRatePulses * lrAt(r.epoch + 1));
          await o.onEpochEnd?.({ record: r, network: trainer.network, history, data });
        },
      },
    );
    if (result.interrupted) {
      // The interrupted epoch restarts on --resume, from the parameters reached so far.
      saveLatest(progress.completedEpochs);
      event({ event: 'interrupt', completedEpochs: progress.completedEpochs });
    }
  } finally {
    await trainer.close();
  }
  const h = progress.history;
  const best = h.find((r) => r.epoch === progress.bestEpoch);
  const summary: RunSummary = {
    outDir: o.outDir,
    dataset: c.dataset,
    epochs: progress.completedEpochs,
    bestEpoch: progress.bestEpoch,
    bestValidationLoss: progress.bestValidationLoss,
    testLoss: best?.testLoss ?? Number.NaN,
    finalTrainLoss: h.length > 0 ? h[h.length - 1].trainLoss : Number.NaN,
    secondsPerEpoch: h.length > 0 ? h.reduce((s, r) => s + r.seconds, 0) / h.length : Number.NaN,
    trainSecondsPerEpoch: h.length > 0 ? h.reduce((s, r) => s + (r.trainSeconds ?? Number.NaN), 0) / h.length : Number.NaN,
    trainImagesPerSec: h.length > 0 ? h.reduce((s, r) => s + r.trainImagesPerSec, 0) / h.length : Number.NaN,
    interrupted: result.interrupted,
    history: h,
  };
  writeFileAtomic(files.summary, `${JSON.stringify(summary, null, 2)}\n`);
  event({ event: 'end', ...summary, history: undefined });
  return summary;
};
