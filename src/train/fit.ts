/**
 * The epoch loop: for each epoch, Adam steps over the training set in the given order, then the
 * validation and test losses. Effects stay outside: progress, checkpoints and logs are hooks, and
 * stopping (Ctrl-C) is a predicate checked between batches. The loop yields to the event loop
 * every ~50 ms so that signals and progress output get through. After every step the parameters
 * and Adam moments are checked: the first NaN or ±Infinity ends the loop (`FitResult.diverged`),
 * before any hook could save them.
 */
import type { Trainer } from './trainer.ts';
import { allFiniteRange } from './finite.ts';

export interface EpochRecord {
  readonly epoch: number;
  /** Mean training loss, each example measured before its batch's update. */
  readonly trainLoss: number;
  readonly validationLoss: number;
  readonly testLoss: number;
  /** Wall-clock seconds of the epoch: training plus the validation and test evaluations. */
  readonly seconds: number;
  /** Wall-clock seconds of the training steps alone. */
  readonly trainSeconds: number;
  readonly trainImagesPerSec: number;
  /** Classifiers: accuracy on the validation and test splits after the epoch (see src/run/task.ts). */
  readonly validationAccuracy?: number;
  readonly testAccuracy?: number;
}

export interface BatchProgress {
  readonly epoch: number;
  readonly done: number;
  readonly total: number;
  readonly runningLoss: number;
  /**
   * Classifiers: the fraction of the epoch's examples so far that were classified correctly
   * (the class is the first output to fire), each before its batch's update, like the running
   * loss. NaN when the objective has no classes (autoencoder).
   */
  readonly runningAccuracy?: number;
  readonly imagesPerSec: number;
  readonly elapsedSeconds: number;
}

export interface FitPlan {
  /** Epochs to run, counting from `startEpoch` (0-based), up to `epochs` in total. */
  readonly epochs: number;
  readonly startEpoch: number;
  readonly batchSize: number;
  /** How many training examples an epoch visits (≤ the training set). */
  readonly trainCount: number;
  /** The visiting order of epoch e (a permutation of [0, trainCount) or of the set). */
  readonly orderOf: (epoch: number) => Int32Array;
  /** Example-set indices of validation and test in the trainer (−1: none). */
  readonly validationSet: number;
  readonly testSet: number;
  readonly validationCount?: number;
  readonly testCount?: number;
  /**
   * Where the validation and test passes write each example's predicted class (objectives with
   * classes; see Trainer.evaluate), for the epoch's accuracies without a second pass.
   */
  readonly predicted?: { readonly validation: Int32Array; readonly test: Int32Array };
}

export interface FitHooks {
  readonly onBatch?: (p: BatchProgress) => void;
  readonly onEpoch?: (r: EpochRecord) => void | Promise<void>;
  readonly shouldStop?: () => boolean;
}

/** Where a step first produced a non-finite parameter or Adam moment (0-based epoch and batch). */
export interface Divergence {
  readonly epoch: number;
  readonly batch: number;
  readonly batches: number;
}

export interface FitResult {
  readonly epochs: readonly EpochRecord[];
  /** True when shouldStop ended the run before its last epoch. */
  readonly interrupted: boolean;
  /**
   * Set when a step produced NaN or ±Infinity in the parameters or the Adam moments: the loop
   * stopped right after that step (the trainer now holds the bad values; the caller keeps its
   * last good checkpoint).
   */
  readonly diverged?: Divergence;
}

/** True when every entry is a finite number (no NaN, no ±Infinity); see {@link allFiniteRange}. */
export const allFinite = (a: Float64Array): boolean => allFiniteRange(a, 0, a.length);

/**
 * The trainer's state after a step is usable: parameters and Adam moments all finite (as the
 * trainer found them, when it checks as it goes: the parallel trainer's Adam kernel sums x·0 over
 * what it writes, where this check on the main thread took 2.6 % of a 2-thread training run's
 * profile, the other thread idle meanwhile).
 */
const stateFinite = (trainer: Trainer): boolean =>
  trainer.lastStep?.finite ??
  (allFinite(trainer.network.params) && allFinite(trainer.adam.m) && allFinite(trainer.adam.v));

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export const fit = async (trainer: Trainer, plan: FitPlan, hooks: FitHooks = {}): Promise<FitResult> => {
  const records: EpochRecord[] = [];
  // the event loop gets a turn at least every 50 ms (a signal's handler runs then), across epochs
  // too: an epoch shorter than that must not keep it waiting to the end of the run
  let lastYield = performance.now();
  for (let epoch = plan.startEpoch; epoch < plan.epochs; epoch++) {
    const order = plan.orderOf(epoch);
    const total = Math.min(plan.trainCount, order.length);
    const t0 = performance.now();
    let lossSum = 0;
    let correctSum = 0;
    for (let from = 0; from < total; from += plan.batchSize) {
      const to = Math.min(total, from + plan.batchSize);
      lossSum += trainer.step(order, from, to);
      correctSum += trainer.lastStep?.correct ?? Number.NaN;
      if (!stateFinite(trainer)) {
        const batches = Math.ceil(total / plan.batchSize);
        return { epochs: records, interrupted: false, diverged: { epoch, batch: from / plan.batchSize, batches } };
      }
      const now = performance.now();
      if (now - lastYield > 50) {
        lastYield = now;
        const elapsed = (now - t0) / 1000;
        hooks.onBatch?.({
          epoch,
          done: to,
          total,
          runningLoss: lossSum / to,
          runningAccuracy: correctSum / to,
          imagesPerSec: to / elapsed,
          elapsedSeconds: elapsed,
        });
        await yieldToEventLoop();
        if (hooks.shouldStop?.()) return { epochs: records, interrupted: true };
      }
    }
    const trainSeconds = (performance.now() - t0) / 1000;
    const validationLoss =
      plan.validationSet >= 0 ? trainer.evaluate(plan.validationSet, plan.validationCount, plan.predicted?.validation) : Number.NaN;
    const testLoss = plan.testSet >= 0 ? trainer.evaluate(plan.testSet, plan.testCount, plan.predicted?.test) : Number.NaN;
    const record: EpochRecord = {
      epoch,
      trainLoss: lossSum / total,
      validationLoss,
      testLoss,
      seconds: (performance.now() - t0) / 1000,
      trainSeconds,
      trainImagesPerSec: total / trainSeconds,
    };
    records.push(record);
    await hooks.onEpoch?.(record);
    lastYield = performance.now();
    await yieldToEventLoop();
    if (hooks.shouldStop?.() && epoch + 1 < plan.epochs) return { epochs: records, interrupted: true };
  }
  return { epochs: records, interrupted: false };
};
