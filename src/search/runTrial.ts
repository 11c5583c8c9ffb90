/**
 * Runs one trial: a training run of its config (budget already applied) in `outDir`, with the
 * files of any run (`best.model.json`, `metrics.jsonl`, …), and returns its result.
 */
import { hostname } from 'node:os';
import { isLeft } from 'fp-ts/lib/Either.js';
import type { TrainingConfig } from '../config/config.ts';
import { type Dataset, loadDataset } from '../data/datasets.ts';
import { train } from '../run/train.ts';
import { InputError } from '../io/inputError.ts';
import type { BatchProgress } from '../train/fit.ts';
import { type Trial, type TrialResult, finiteOrNull } from './trial.ts';

export interface RunTrialOptions {
  readonly outDir: string;
  /** Worker threads per trial besides the main thread (0 = sequential, the default). */
  readonly threads?: number;
  /** Bundled training worker script (needed when threads > 0). */
  readonly workerScript?: string;
  /** Data sets already loaded, by name and directory (loaded once per process otherwise). */
  readonly datasets?: DatasetCache;
  readonly onProgress?: (p: BatchProgress) => void;
  readonly shouldStop?: () => boolean;
}

/** Loads each data set once per process. */
export interface DatasetCache {
  get(config: TrainingConfig): Dataset;
}

export const datasetCache = (): DatasetCache => {
  const cache = new Map<string, Dataset>();
  return {
    get: (c) => {
      const key = `${c.dataset}\u0000${c.dataDir ?? ''}`;
      let d = cache.get(key);
      if (d === undefined) {
        const loaded = loadDataset(c.dataset, { dataDir: c.dataDir });
        if (isLeft(loaded)) throw new InputError(loaded.left.message);
        d = loaded.right;
        cache.set(key, d);
      }
      return d;
    },
  };
};

export const workerLabel = (): string => `${hostname()}:${process.pid}`;

export const runTrial = async (trial: Trial, o: RunTrialOptions): Promise<TrialResult> => {
  const threads = o.threads ?? 0;
  if (threads > 0 && o.workerScript === undefined) throw new Error('runTrial: threads > 0 needs the worker script');
  const dataset = (o.datasets ?? datasetCache()).get(trial.config);
  const t0 = performance.now();
  const stop = new AbortController();
  const poll = () => {
    if (o.shouldStop?.()) stop.abort();
  };
  const { summary: s } = await train(trial.config, {
    out: o.outDir,
    force: true, // a retried trial (its worker was killed) starts over in its own directory
    workers: threads,
    workerScript: o.workerScript,
    dataset,
    signal: stop.signal,
    onProgress: (p) => {
      o.onProgress?.(p);
      poll();
    },
    onEpoch: poll,
  });
  if (s.interrupted) throw new TrialInterrupted(trial.id);
  return {
    trialId: trial.id,
    validationLoss: finiteOrNull(s.bestValidationLoss),
    testLoss: finiteOrNull(s.testLoss),
    trainLoss: finiteOrNull(s.finalTrainLoss),
    epochs: s.epochs,
    seconds: (performance.now() - t0) / 1000,
    trainImagesPerSec: Number.isFinite(s.trainImagesPerSec) ? s.trainImagesPerSec : 0,
    worker: workerLabel(),
    finishedAt: new Date().toISOString(),
  };
};

/** A trial stopped before its budget was spent (Ctrl-C): not a result. */
export class TrialInterrupted extends Error {
  override readonly name = 'TrialInterrupted';
  constructor(readonly trialId: string) {
    super(`trial ${trialId} interrupted`);
  }
}
