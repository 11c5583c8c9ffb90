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
import { train } from '../run/train.ts';
import type { GridTask } from './grid.ts';

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
  readonly quick: boolean;
}

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
  quick: false,
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
 * Every figure in under 15 minutes on 2 cores: 2 epochs of 15 000 images (the spiking networks
 * leave the "average digit" plateau only after some 20 000 presentations), noise levels 0, 0.4,
 * 0.8, all embedding sizes and latencies, six of the 25 activation pairs.
 */
export const QUICK_SETTINGS: ExperimentSettings = {
  ...FULL_SETTINGS,
  epochs: 2,
  trainSize: 15_000,
  noises: [0, 0.4, 0.8],
  annVariants: QUICK_PAIRS,
  validationSize: 1000,
  testSize: 1000,
  svmTrain: 1000,
  tsnePoints: 400,
  tsneIterations: 300,
  quick: true,
};

const fidelityTag = (s: ExperimentSettings): string => `e${s.epochs}-t${s.trainSize}-v${s.validationSize}-s${s.seed}`;

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
  const c = resolveTrainingConfig({
    preset: presetNameFor(h, l, noise),
    flags: {
      epochs: s.epochs,
      dataset,
      seed: s.seed,
      validationSize: s.validationSize,
      testLimit: s.testSize,
      ...(s.trainSize < 60_000 - s.validationSize ? { trainLimit: s.trainSize } : {}),
    },
  });
  if (isLeft(c)) throw new InputError(c.left.join('\n'));
  return c.right;
};

export interface SnnResult {
  readonly kind: 'snn';
  readonly dataset: DatasetName;
  readonly nHidden: number;
  readonly latency: number;
  readonly noiseFactor: number;
  readonly nPulses: number;
  readonly parameters: number;
  readonly testLoss: number;
  readonly bestValidationLoss: number;
  readonly bestEpoch: number;
  readonly epochs: number;
  readonly secondsPerEpoch: number;
  readonly trainLoss: readonly number[];
  readonly validationLoss: readonly number[];
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
}

export type RunResult = SnnResult | AnnResult;

export interface TaskEnv {
  readonly dataset: (name: DatasetName) => Dataset;
  readonly workerScript: string;
  readonly onProgress?: (p: BatchProgress, epochs: number) => void;
}

export const snnTask = (
  s: ExperimentSettings,
  env: TaskEnv,
  dataset: DatasetName,
  h: number,
  l: number,
  noise: number,
): GridTask<RunResult> => ({
  id: snnTaskId(s, dataset, h, l, noise),
  title: `SNN ${dataset} H=${h} latency ${l} noise ${noise}`,
  run: async (ctx) => {
    const config = snnConfig(s, dataset, h, l, noise);
    const resume = ctx.resume && existsSync(runFiles(ctx.dir).latest);
    const stop = new AbortController();
    const { summary } = await train(config, {
      out: ctx.dir,
      resume,
      force: !resume, // the grid owns its task directories: a task not resumed starts over
      workers: 1,
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
    return {
      kind: 'snn',
      dataset,
      nHidden: h,
      latency: l,
      noiseFactor: noise,
      nPulses: config.nPulses,
      parameters: snnParameterCount(784, h, 784, config.nPulses),
      testLoss: summary.testLoss,
      bestValidationLoss: summary.bestValidationLoss,
      bestEpoch: summary.bestEpoch,
      epochs: summary.epochs,
      secondsPerEpoch: summary.secondsPerEpoch,
      trainLoss: summary.history.map((r) => r.trainLoss),
      validationLoss: summary.history.map((r) => r.validationLoss),
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
): GridTask<RunResult> => ({
  id: annTaskId(s, dataset, h, noise, encoding, pair),
  title: `ANN ${dataset} H=${h} noise ${noise} ${encoding} ${pair[0]}/${pair[1]}`,
  run: async (ctx) => {
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
    };
  },
});

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
