/**
 * The runs behind the paper's figures (Comsa et al. 2021, section 3), as grid tasks:
 *
 * - `snn-…`: a spiking autoencoder trained with the published preset `h{H}-l{l}-n{η}` (via
 *   the public `train`, checkpointed, so a killed run resumes);
 * - `ann-…`: the ANN baseline with the same data, noise, epochs, batch size and optimiser, on
 *   `plain` (conventional) or `inverted` images, with an encoder/decoder activation pair.
 *
 * Every setting that changes a result is in the task id, so the grid never mixes settings.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isLeft } from 'fp-ts/lib/Either.js';
import type { Activation } from '../baseline/activations.ts';
import { annFromParams, annParameterCount, snnParameterCount, type AnnAutoencoder } from '../baseline/ann.ts';
import { annExamplesOf, trainAnn } from '../baseline/trainAnn.ts';
import { type TrainingConfig, resolveTrainingConfig } from '../config/config.ts';
import { presetNameFor } from '../config/presets.ts';
import type { Dataset, DatasetName } from '../data/datasets.ts';
import type { Encoding } from '../data/encode.ts';
import { writeFileAtomic } from '../io/atomicWrite.ts';
import { InputError } from '../io/inputError.ts';
import type { Network } from '../model/network.ts';
import type { BatchProgress } from '../train/fit.ts';
import { loadModel } from '../run/modelFile.ts';
import { loadRunData } from '../run/runData.ts';
import { runFiles } from '../run/runFiles.ts';
import type { RunData } from '../run/runData.ts';
import { train } from '../run/train.ts';
import type { GridTask } from './grid.ts';
import { evaluatePixelMse, meanImageMse } from './pixelMse.ts';

/** Fidelity knobs of an experiment invocation. */
export interface ExperimentSettings {
  readonly epochs: number;
  /** Training images per run (of the 60 000 − validationSize training split). */
  readonly trainSize: number;
  readonly validationSize: number;
  /** Test images (file order) for losses, embeddings and SVM testing. */
  readonly testSize: number;
  readonly datasets: readonly DatasetName[];
  readonly hiddens: readonly number[];
  readonly noises: readonly number[];
  readonly latencies: readonly number[];
  /** Training examples (embeddings) of each SVM. */
  readonly svmTrain: number;
  readonly tsnePoints: number;
  readonly tsneIterations: number;
  /** Encoder/decoder activation pairs of the inverted-image ANN study (figure 11). */
  readonly annVariants: readonly (readonly [Activation, Activation])[];
  /** Adam learning rate of the ANN (TensorFlow's default). */
  readonly annLearningRate: number;
  readonly seed: number;
  /**
   * Upper bound on every run's batch size (absent: the preset's own, 1–146). A time-boxed profile
   * needs it: a preset tuned for 100 epochs at batch 107 takes only 500 Adam steps per epoch and
   * stays on the mean-image plateau for the first epochs.
   */
  readonly maxBatchSize?: number;
  /** The profile these settings come from (flags may have changed them since). */
  readonly profile: ProfileName;
  /** What the profile leaves out of the paper's protocol, in words for the report (empty: nothing). */
  readonly leavesOut: string;
}

export type ProfileName = 'quick' | 'standard' | 'full';
export const PROFILE_NAMES: readonly ProfileName[] = ['quick', 'standard', 'full'];

const ALL_PAIRS: (readonly [Activation, Activation])[] = [];
for (const e of ['relu', 'sigmoid', 'elu', 'tanh', 'gaussian'] as const) {
  for (const d of ['relu', 'sigmoid', 'elu', 'tanh', 'gaussian'] as const) ALL_PAIRS.push([e, d]);
}

/** The paper's grid at 100 epochs on the full data. */
export const FULL_SETTINGS: ExperimentSettings = {
  epochs: 100,
  trainSize: 54_000,
  validationSize: 6000,
  testSize: 10_000,
  datasets: ['mnist', 'fashion-mnist'],
  hiddens: [8, 16, 32],
  noises: [0, 0.2, 0.4, 0.6, 0.8],
  latencies: [1, 2, 4, 8, 16],
  svmTrain: 10_000,
  tsnePoints: 2000,
  tsneIterations: 1000,
  annVariants: ALL_PAIRS,
  annLearningRate: 0.001,
  seed: 0,
  profile: 'full',
  leavesOut: '',
};

/** Six encoder/decoder pairs of section 3.4 for the quick profile: each decoder once with ReLU. */
const QUICK_PAIRS: (readonly [Activation, Activation])[] = [
  ['relu', 'sigmoid'],
  ['sigmoid', 'sigmoid'],
  ['elu', 'sigmoid'],
  ['tanh', 'sigmoid'],
  ['gaussian', 'sigmoid'],
  ['relu', 'relu'],
];

/**
 * Every figure in at most 15 minutes on 2 cores (one run per core), sized so that every spiking run
 * leaves the mean-image plateau: the full 54 000 training images for 2 epochs (fewer images do
 * not get there), so fewer configurations: H 8 and 32, noise 0 and 0.8, latencies 1 and 4 (latency
 * 16 does not learn in 2 epochs), small validation and test sets to save evaluation time.
 */
export const QUICK_SETTINGS: ExperimentSettings = {
  ...FULL_SETTINGS,
  epochs: 2,
  trainSize: 54_000,
  validationSize: 1000,
  testSize: 1000,
  hiddens: [8, 32],
  noises: [0, 0.8],
  latencies: [1, 4],
  annVariants: QUICK_PAIRS,
  svmTrain: 1000,
  tsnePoints: 400,
  tsneIterations: 300,
  maxBatchSize: 20,
  profile: 'quick',
  leavesOut:
    'The --quick profile trains 2 epochs (the paper: 100) on the full 54 000 training images with batch sizes capped at 20 (presets with larger batches, up to 107 here, take too few Adam steps in 2 epochs to leave the mean-image plateau), tests on the first 1000 test images (validation: 1000 images), and leaves out embedding size H=16, noise levels 0.2, 0.4 and 0.6, target latencies 2, 8 and 16 (latency 16 does not learn in 2 epochs), 19 of the 25 ANN activation pairs of Figure 11, and trains the SVMs on 1000 embeddings (the paper: 10 000).',
};

/**
 * Every claim testable in at most 2 hours on 2 cores: 5 epochs on the full training images (the
 * H=32 test loss is within 4 % of its 20-epoch value by then), all three embedding sizes, three
 * noise levels, all latencies on MNIST H=32, batch sizes capped at 20 as in --quick.
 */
export const STANDARD_SETTINGS: ExperimentSettings = {
  ...FULL_SETTINGS,
  epochs: 5,
  trainSize: 54_000,
  validationSize: 2000,
  testSize: 2000,
  noises: [0, 0.4, 0.8],
  annVariants: QUICK_PAIRS,
  svmTrain: 5000,
  tsnePoints: 1000,
  tsneIterations: 500,
  maxBatchSize: 20,
  profile: 'standard',
  leavesOut:
    'The --standard profile trains 5 epochs (the paper: 100) on the full 54 000 training images with batch sizes capped at 20 (presets with larger batches take too few Adam steps in 5 epochs), tests on the first 2000 test images (validation: 2000 images), and leaves out noise levels 0.2 and 0.6, 19 of the 25 ANN activation pairs of Figure 11, and trains the SVMs on 5000 embeddings (the paper: 10 000).',
};

export const PROFILES: Readonly<Record<ProfileName, ExperimentSettings>> = { quick: QUICK_SETTINGS, standard: STANDARD_SETTINGS, full: FULL_SETTINGS };

const fidelityTag = (s: ExperimentSettings): string =>
  `e${s.epochs}-t${s.trainSize}-v${s.validationSize}-s${s.seed}${s.maxBatchSize === undefined ? '' : `-b${s.maxBatchSize}`}`;

export const snnTaskId = (s: ExperimentSettings, dataset: DatasetName, h: number, l: number, noise: number): string =>
  `snn-${dataset}-${presetNameFor(h, l, noise)}-${fidelityTag(s)}`;

export const annTaskId = (
  s: ExperimentSettings,
  dataset: DatasetName,
  h: number,
  noise: number,
  encoding: Encoding,
  pair: readonly [Activation, Activation],
): string => `ann-${dataset}-h${h}-n${noise}-${encoding}-${pair[0]}-${pair[1]}-${fidelityTag(s)}`;

/** The training config of a spiking run (preset + fidelity overrides). */
export const snnConfig = (s: ExperimentSettings, dataset: DatasetName, h: number, l: number, noise: number): TrainingConfig => {
  const resolve = (batch: { batchSize?: number }): TrainingConfig => {
    const c = resolveTrainingConfig({
      preset: presetNameFor(h, l, noise),
      flags: {
        epochs: s.epochs,
        dataset,
        seed: s.seed,
        validationSize: s.validationSize,
        testLimit: s.testSize,
        ...(s.trainSize < 60_000 - s.validationSize ? { trainLimit: s.trainSize } : {}),
        ...batch,
      },
    });
    if (isLeft(c)) throw new InputError(c.left.join('\n'));
    return c.right;
  };
  const published = resolve({});
  return s.maxBatchSize !== undefined && published.batchSize > s.maxBatchSize ? resolve({ batchSize: s.maxBatchSize }) : published;
};

export interface SnnResult {
  readonly kind: 'snn';
  readonly dataset: DatasetName;
  readonly nHidden: number;
  readonly latency: number;
  readonly noiseFactor: number;
  readonly encoding: Encoding;
  readonly nPulses: number;
  readonly parameters: number;
  readonly testLoss: number;
  readonly bestValidationLoss: number;
  readonly bestEpoch: number;
  readonly epochs: number;
  readonly secondsPerEpoch: number;
  readonly trainLoss: readonly number[];
  readonly validationLoss: readonly number[];
  /** Test loss (the original program's metric, time units) after each epoch. */
  readonly testLossHistory: readonly number[];
  /** Per-pixel test MSE in [0, 1] of the best model, spike times decoded to pixels (`evaluatePixelMse`). */
  readonly testMse: number;
  /** The same MSE of the mean training image (the plateau every run must leave). */
  readonly meanImageMse: number;
  /** Wall-clock seconds of the run (all epochs, evaluations included). */
  readonly seconds: number;
}

export interface AnnResult {
  readonly kind: 'ann';
  readonly dataset: DatasetName;
  readonly nHidden: number;
  readonly noiseFactor: number;
  readonly encoding: Encoding;
  readonly encoder: Activation;
  readonly decoder: Activation;
  readonly parameters: number;
  readonly testLoss: number;
  readonly bestValidationLoss: number;
  readonly bestEpoch: number;
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  /** Per-pixel test MSE in [0, 1] (the ANN's own loss: its outputs are intensities). */
  readonly testMse: number;
  readonly meanImageMse: number;
  readonly seconds: number;
}

export type RunResult = SnnResult | AnnResult;

/** A run of the grid described as data (what a worker process or a queue job receives). */
export type RunSpec =
  | { readonly kind: 'snn'; readonly dataset: DatasetName; readonly h: number; readonly latency: number; readonly noise: number }
  | {
      readonly kind: 'ann';
      readonly dataset: DatasetName;
      readonly h: number;
      readonly noise: number;
      readonly encoding: Encoding;
      readonly encoder: Activation;
      readonly decoder: Activation;
    };

/** A grid task of the paper's runs, with the data that describes it. */
export type PaperTask = GridTask<RunResult> & { readonly spec: RunSpec };

/**
 * Per-pixel MSE of the mean image of a run's training images against its test images: the
 * predictor every autoencoder must beat.
 */
export const runMeanImageMse = (data: RunData): number => {
  const { pixels } = data;
  const train = new Uint8Array(data.trainIndices.length * pixels);
  data.trainIndices.forEach((k, i) => train.set(data.dataset.train.images.subarray(k * pixels, (k + 1) * pixels), i * pixels));
  const test = new Uint8Array(data.testIndices.length * pixels);
  data.testIndices.forEach((k, i) => test.set(data.dataset.test.images.subarray(k * pixels, (k + 1) * pixels), i * pixels));
  return meanImageMse(train, test, pixels);
};

export interface TaskEnv {
  readonly dataset: (name: DatasetName) => Dataset;
  /** The built training worker (unused by the grid: its runs are single-threaded). */
  readonly workerScript?: string;
  readonly onProgress?: (p: BatchProgress, epochs: number) => void;
}

export const snnTask = (
  s: ExperimentSettings,
  env: TaskEnv,
  dataset: DatasetName,
  h: number,
  l: number,
  noise: number,
): PaperTask => ({
  spec: { kind: 'snn', dataset, h, latency: l, noise },
  id: snnTaskId(s, dataset, h, l, noise),
  title: `SNN ${dataset} H=${h} latency ${l} noise ${noise}`,
  run: async (ctx) => {
    const config = snnConfig(s, dataset, h, l, noise);
    const resume = ctx.resume && existsSync(runFiles(ctx.dir).latest);
    const stop = new AbortController();
    let data: RunData | undefined;
    const { summary, best } = await train(config, {
      out: ctx.dir,
      resume,
      force: !resume, // the grid owns its task directories: a task not resumed starts over
      workers: 0, // one run per core: the grid runs tasks side by side, each single-threaded
      onStart: (r) => {
        data = r.data;
      },
      workerScript: env.workerScript,
      dataset: env.dataset(dataset),
      signal: stop.signal,
      onProgress: (p) => {
        env.onProgress?.(p, config.epochs);
        if (ctx.shouldStop()) stop.abort();
      },
      onEpoch: () => {
        if (ctx.shouldStop()) stop.abort();
      },
    });
    if (summary.interrupted) return null;
    if (data === undefined) throw new Error(`${ctx.dir}: train finished without announcing its data`);
    return {
      kind: 'snn',
      dataset,
      nHidden: h,
      latency: l,
      noiseFactor: noise,
      encoding: config.encoding,
      nPulses: config.nPulses,
      parameters: snnParameterCount(784, h, 784, config.nPulses),
      testLoss: summary.testLoss,
      bestValidationLoss: summary.bestValidationLoss,
      bestEpoch: summary.bestEpoch,
      epochs: summary.epochs,
      secondsPerEpoch: summary.secondsPerEpoch,
      trainLoss: summary.history.map((r) => r.trainLoss),
      validationLoss: summary.history.map((r) => r.validationLoss),
      testLossHistory: summary.history.map((r) => r.testLoss),
      testMse: evaluatePixelMse(best, data.test, config.latency, config.encoding),
      meanImageMse: runMeanImageMse(data),
      seconds: summary.history.reduce((a, r) => a + r.seconds, 0),
    };
  },
});

export const annModelFile = (dir: string): string => join(dir, 'best.ann.json');

export const annTask = (
  s: ExperimentSettings,
  env: TaskEnv,
  dataset: DatasetName,
  h: number,
  noise: number,
  encoding: Encoding,
  pair: readonly [Activation, Activation],
): PaperTask => ({
  spec: { kind: 'ann', dataset, h, noise, encoding, encoder: pair[0], decoder: pair[1] },
  id: annTaskId(s, dataset, h, noise, encoding, pair),
  title: `ANN ${dataset} H=${h} noise ${noise} ${encoding} ${pair[0]}/${pair[1]}`,
  run: async (ctx) => {
    const t0 = performance.now();
    const config = { ...snnConfig(s, dataset, h, 1, noise), encoding };
    const data = loadRunData(config, env.dataset(dataset));
    const spec = { inputSize: data.pixels, hidden: h, outputSize: data.pixels, encoder: pair[0], decoder: pair[1] };
    const r = trainAnn(
      spec,
      { train: annExamplesOf(data.train), validation: annExamplesOf(data.validation), test: annExamplesOf(data.test) },
      {
        epochs: s.epochs,
        batchSize: config.batchSize,
        learningRate: s.annLearningRate,
        seed: s.seed,
        onProgress: (epoch, done, total) =>
          env.onProgress?.({ epoch, done, total, runningLoss: Number.NaN, imagesPerSec: Number.NaN, elapsedSeconds: 0 }, s.epochs),
      },
    );
    writeFileAtomic(annModelFile(ctx.dir), JSON.stringify({ spec, params: Array.from(r.best.params) }));
    return {
      kind: 'ann',
      dataset,
      nHidden: h,
      noiseFactor: noise,
      encoding,
      encoder: pair[0],
      decoder: pair[1],
      parameters: annParameterCount(data.pixels, h, data.pixels),
      testLoss: r.testLoss,
      bestValidationLoss: r.bestValidationLoss,
      bestEpoch: r.bestEpoch,
      epochs: s.epochs,
      batchSize: config.batchSize,
      learningRate: s.annLearningRate,
      testMse: r.testLoss,
      meanImageMse: runMeanImageMse(data),
      seconds: (performance.now() - t0) / 1000,
    };
  },
});

/** The task a spec describes. */
export const specTask = (s: ExperimentSettings, env: TaskEnv, spec: RunSpec): PaperTask =>
  spec.kind === 'snn'
    ? snnTask(s, env, spec.dataset, spec.h, spec.latency, spec.noise)
    : annTask(s, env, spec.dataset, spec.h, spec.noise, spec.encoding, [spec.encoder, spec.decoder]);

/** The best spiking model of a finished run directory. */
export const loadSnnModel = (dir: string): Network => {
  const m = loadModel(runFiles(dir).best);
  if (isLeft(m)) throw new InputError(m.left);
  return m.right.network;
};

/** The best ANN of a finished run directory. */
export const loadAnnModel = (dir: string): AnnAutoencoder => {
  const file = annModelFile(dir);
  try {
    const j = JSON.parse(readFileSync(file, 'utf8')) as { spec: Parameters<typeof annFromParams>[0]; params: number[] };
    return annFromParams(j.spec, Float64Array.from(j.params));
  } catch (e) {
    throw new InputError(`${file}: cannot read the ANN model (${(e as Error).message})`);
  }
};
