/**
 * `train(config, options)`: one training run, the public way in. Everything the run is given is
 * checked before anything is written — the config (decoded), the data set against the network
 * the task builds, a checkpoint to resume (decoded; settings that contradict it refused by name),
 * the run directory (a directory that holds a run is refused unless resumed or forced; a lock
 * file keeps out a second writer). Then the epoch loop (`fit`) runs with the hooks:
 *
 * - `onStart` once, with the network's real layer sizes and the data;
 * - `onProgress` every ~50 ms of training; `onEpoch` after every epoch (pictures, logs);
 * - `signal`: aborting it stops after the current batch (checkpoint and summary written).
 *
 * With `out`, the run directory holds the files of `runFiles.ts`, each written atomically; the
 * latest model is also saved every `checkpointSeconds` within an epoch (an unfinished epoch
 * restarts on resume, from the parameters reached). Without `out` nothing is written.
 *
 * With `weightAverageDecay` the run also keeps a running average of the parameters
 * (src/train/weightAverage.ts): the losses, accuracies and best model are the average's, and
 * `latest.model.json` holds both (the trained parameters and, in its meta, the average).
 *
 * A step that produces NaN or ±Infinity stops the run: the bad parameters are never saved,
 * `latest.model.json` stays the last good checkpoint, and the summary's `diverged` names the
 * epoch, the batch and the settings likely at fault.
 *
 * ## Example
 * ```ts
 * const config = { ...configFromPreset(preset.hyper), epochs: 1, trainLimit: 2000, testLimit: 100 };
 * const { summary, best } = await train(config, { onEpoch: ({ record }) => console.log(record.testLoss) });
 * ```
 */
import { appendFileSync, existsSync } from 'node:fs';
import { isLeft } from 'fp-ts/lib/Either.js';
import { type TrainingConfig, decodeTrainingConfig, encodeTrainingConfig } from '../config/config.ts';
import type { Dataset } from '../data/datasets.ts';
import { writeFileAtomic } from '../io/atomicWrite.ts';
import { InputError } from '../io/inputError.ts';
import { type Network, cloneNetwork, networkFromParams } from '../model/network.ts';
import type { AdamState } from '../train/adam.ts';
import { type BatchProgress, type EpochRecord, fit } from '../train/fit.ts';
import { type Checkpoint, NO_PROGRESS, type RunProgress, afterEpoch, checkpointText, loadCheckpoint } from './checkpoint.ts';
import type { ConfusionMatrix } from '../train/confusion.ts';
import { withWeightAverage } from '../train/weightAverage.ts';
import { createTrainer } from './createTrainer.ts';
import { divergenceMessage } from './divergence.ts';
import { loadModel, modelFileText } from './modelFile.ts';
import { checkpointShapeProblem, resumeConflicts } from './resume.ts';
import { type RunData, loadRunData } from './runData.ts';
import { acquireRunLock } from './runLock.ts';
import { checkRunDirectory, clearRun, runFiles } from './runFiles.ts';
import { augmentedOrder, epochOrder, learningRatesAt } from './schedule.ts';
import { TASKS, type TaskName, initialNetwork } from './task.ts';

/** What a run knows at the end of an epoch, for pictures and progress. */
export interface EpochContext {
  readonly record: EpochRecord;
  /** The network the record evaluates: the trained parameters, or their average (`weightAverageDecay`). */
  readonly network: Network;
  readonly history: readonly EpochRecord[];
  readonly data: RunData;
  /** True when this epoch has the best validation loss so far. */
  readonly improved: boolean;
  /** Classifiers: the test split's confusion matrix after this epoch. */
  readonly confusion?: ConfusionMatrix;
}

/** What a run is about to do, once everything has been checked. */
export interface RunStart {
  readonly config: TrainingConfig;
  readonly task: TaskName;
  readonly layerSizes: readonly number[];
  readonly data: RunData;
  /** Epochs already done (resume), 0 otherwise. */
  readonly completedEpochs: number;
}

export interface TrainOptions {
  /** What the network learns (default: the config's `task`, else 'autoencode'); recorded in the saved config. */
  readonly task?: TaskName;
  /** Run directory; nothing is written when absent. */
  readonly out?: string;
  /** Continue the run of `out` from its `latest.model.json`. */
  readonly resume?: boolean;
  /** Replace a run that `out` already holds (its files are removed first). */
  readonly force?: boolean;
  /** An already loaded data set; loaded from `config.dataset`/`config.dataDir` otherwise. */
  readonly dataset?: Dataset;
  /** Worker threads besides the main thread (default 0: sequential). */
  readonly workers?: number;
  /** The bundled training worker script (needed when workers > 0). */
  readonly workerScript?: string;
  readonly signal?: AbortSignal;
  readonly onStart?: (s: RunStart) => void;
  readonly onProgress?: (p: BatchProgress) => void;
  readonly onEpoch?: (c: EpochContext) => void | Promise<void>;
  readonly log?: (message: string) => void;
  /** Seconds between mid-epoch checkpoints of `latest.model.json` (default 60). */
  readonly checkpointSeconds?: number;
  /**
   * Wall-clock budget of this call in seconds (absent: none). The run ends after the last epoch
   * that the budget still fits (judged by the length of the epoch just finished), or after the
   * current batch once the budget is spent; the summary says `stoppedBy: 'time-limit'`.
   */
  readonly timeLimitSeconds?: number;
}

export interface RunSummary {
  readonly outDir: string | null;
  readonly dataset: string;
  readonly task: TaskName;
  readonly layerSizes: readonly number[];
  readonly epochs: number;
  readonly bestEpoch: number;
  readonly bestValidationLoss: number;
  /** Test loss of the model with the best validation loss (ties: the later epoch). */
  readonly testLoss: number;
  readonly finalTrainLoss: number;
  /** Classifiers: validation and test accuracy of the model with the best validation loss. */
  readonly validationAccuracy?: number;
  readonly testAccuracy?: number;
  /** Mean wall-clock seconds per epoch, evaluations included. */
  readonly secondsPerEpoch: number;
  /** Mean seconds of the training steps of an epoch (without the validation and test passes). */
  readonly trainSecondsPerEpoch: number;
  readonly trainImagesPerSec: number;
  /** Peak resident memory of the process so far, worker threads included (MB), at the end of the run. */
  readonly peakRssMB: number;
  readonly interrupted: boolean;
  /** Why the run ended before its last epoch: a signal, or the time limit (null: it did not). */
  readonly stoppedBy: 'signal' | 'time-limit' | null;
  /** Why the run stopped early on non-finite parameters (null: it did not). */
  readonly diverged: string | null;
  readonly history: readonly EpochRecord[];
}

export interface TrainResult {
  readonly summary: RunSummary;
  /** The network at the end of the last completed epoch (or as far as an interrupted one got). */
  readonly network: Network;
  /** The network of the best validation loss (the last one when there was no validation set). */
  readonly best: Network;
}

const mean = (h: readonly EpochRecord[], f: (r: EpochRecord) => number): number =>
  h.length > 0 ? h.reduce((s, r) => s + f(r), 0) / h.length : Number.NaN;

/** A classifier's accuracies, for a model file's metadata. */
const accuracyMeta = (r: EpochRecord): Record<string, number> =>
  r.testAccuracy === undefined ? {} : { validationAccuracy: r.validationAccuracy ?? Number.NaN, testAccuracy: r.testAccuracy };

/** Checks the options that do not need the data. */
const checkOptions = (o: TrainOptions): void => {
  if ((o.resume || o.force) && o.out === undefined) throw new InputError('resume/force: need a run directory (out)');
  if (o.resume && o.force) throw new InputError('--resume and --force contradict each other: continue the run, or replace it');
  const w = o.workers ?? 0;
  if (!Number.isInteger(w) || w < 0) throw new InputError(`workers: expected a non-negative integer, got ${w}`);
  if (o.task !== undefined && !(o.task in TASKS)) throw new InputError(`task: expected one of ${Object.keys(TASKS).join(', ')}, got ${o.task}`);
  const limit = o.timeLimitSeconds;
  if (limit !== undefined && !(limit > 0 && Number.isFinite(limit))) throw new InputError(`time limit: expected a positive number of seconds, got ${limit}`);
};

/** The checkpoint of `out` for a resume, checked against the config and the data. */
const resumePoint = (out: string, c: TrainingConfig, layerSizes: readonly number[]): Checkpoint => {
  const file = runFiles(out).latest;
  if (!existsSync(file)) throw new InputError(`--resume: no checkpoint ${file} (start without --resume)`);
  const ckpt = loadCheckpoint(file);
  if (isLeft(ckpt)) throw new InputError(ckpt.left);
  const conflicts = resumeConflicts(ckpt.right.config, c);
  if (conflicts.length > 0) throw new InputError(`--resume ${out}: settings contradict the checkpoint:\n  ${conflicts.join('\n  ')}`);
  const shape = checkpointShapeProblem(ckpt.right.network, layerSizes, c);
  if (shape !== null) throw new InputError(`--resume ${file}: ${shape}`);
  return ckpt.right;
};

/** The best model a resumed run had saved (the checkpoint's network when there is none). */
const bestSoFar = (file: string, fallback: Network): Network => {
  const saved = existsSync(file) ? loadModel(file) : null;
  return saved !== null && !isLeft(saved) && saved.right.network.params.length === fallback.params.length
    ? saved.right.network
    : cloneNetwork(fallback);
};

export const train = async (config: TrainingConfig, o: TrainOptions = {}): Promise<TrainResult> => {
  // ---- everything checked, nothing written ----
  const decoded = decodeTrainingConfig(config, 'config');
  if (isLeft(decoded)) throw new InputError(decoded.left.join('\n'));
  checkOptions(o);
  if (o.task !== undefined && decoded.right.task !== undefined && o.task !== decoded.right.task) {
    throw new InputError(`task: the option says ${o.task}, the config says ${decoded.right.task}`);
  }
  const taskName = o.task ?? decoded.right.task ?? 'autoencode';
  // the saved config (model files, checkpoints) records a task other than the default
  const c: TrainingConfig = taskName === 'autoencode' ? decoded.right : { ...decoded.right, task: taskName };
  const task = TASKS[taskName];
  const augmenting = (c.augmentShift ?? 0) > 0;
  if (augmenting && taskName !== 'classify') {
    throw new InputError(`augmentShift: ${c.augmentShift} shifts training images, which only a classifier can use (--task classify); the autoencoder's target is its input`);
  }
  const data = loadRunData(c, o.dataset);
  const layerSizes = task.layerSizes(c, data);
  const out = o.out;
  const resumed = out !== undefined && o.resume === true ? resumePoint(out, c, layerSizes) : null;
  let progress: RunProgress = resumed?.progress ?? NO_PROGRESS;
  if (c.epochs <= progress.completedEpochs) {
    throw new InputError(
      resumed === null
        ? `epochs: expected at least 1, got ${c.epochs} (nothing to train)`
        : `--epochs ${c.epochs}: the checkpoint has already completed ${progress.completedEpochs} epoch(s); ask for more to continue`,
    );
  }
  if (out !== undefined) checkRunDirectory(out, o.resume ? 'resume' : o.force ? 'overwrite' : 'refuse');

  // ---- the run ----
  const release = out !== undefined ? acquireRunLock(out) : () => {};
  try {
    const files = out !== undefined ? runFiles(out) : null;
    if (out !== undefined && o.force) clearRun(out);
    const log = o.log ?? (() => {});
    const network = resumed?.network ?? initialNetwork(task, c, data);
    o.onStart?.({ config: c, task: taskName, layerSizes, data, completedEpochs: progress.completedEpochs });
    if (resumed !== null) log(`resuming ${files?.latest} after ${progress.completedEpochs} epoch(s)`);
    const encoded = encodeTrainingConfig(c);
    const event = (e: Record<string, unknown>) => {
      if (files) appendFileSync(files.metrics, `${JSON.stringify({ time: new Date().toISOString(), ...e })}\n`);
    };
    if (files) writeFileAtomic(files.config, `${JSON.stringify(encoded, null, 2)}\n`);
    event({ event: resumed ? 'resume' : 'start', task: taskName, layerSizes, completedEpochs: progress.completedEpochs, config: encoded });

    const stepper = await createTrainer(task, c, data, network, { workers: o.workers ?? 0, workerScript: o.workerScript }, resumed?.adam);
    // with weightAverageDecay, everything evaluated or kept as best is the parameters' running average
    const decay = c.weightAverageDecay ?? 0;
    const average = decay > 0 ? (resumed?.average ?? stepper.network.params.slice()) : undefined;
    if (resumed !== null && average !== undefined && resumed.average === undefined) log('the checkpoint holds no weight average: it starts again from its parameters');
    const trainer = average !== undefined ? withWeightAverage(stepper, decay, average) : stepper;
    const evaluated = (): Network => (average !== undefined ? networkFromParams(trainer.network, average.slice()) : trainer.network);
    const setRates = (epoch: number) => trainer.setLearningRates(...learningRatesAt(c, epoch));
    setRates(progress.completedEpochs);
    const adamOf = (): AdamState => trainer.adam;
    const saveLatest = () => {
      if (files) writeFileAtomic(files.latest, checkpointText(trainer.network, adamOf(), c, progress, average));
    };
    let lastGood = trainer.network.params.slice();
    let best = resumed !== null && files !== null ? bestSoFar(files.best, trainer.network) : cloneNetwork(evaluated());
    let lastCheckpoint = performance.now();
    const checkpointMs = (o.checkpointSeconds ?? 60) * 1000;
    const started = performance.now();
    const elapsedSeconds = () => (performance.now() - started) / 1000;
    const limit = o.timeLimitSeconds ?? Number.POSITIVE_INFINITY;
    let outOfTime = false;
    const orderOf = augmenting ? augmentedOrder : epochOrder;
    // classifiers: the evaluation passes write each example's predicted class here
    const predicted =
      task.epochMetrics !== undefined ? { validation: new Int32Array(data.validation.count), test: new Int32Array(data.test.count) } : undefined;
    let result;
    try {
      result = await fit(
        trainer,
        {
          epochs: c.epochs,
          startEpoch: progress.completedEpochs,
          batchSize: c.batchSize,
          trainCount: data.train.count,
          orderOf: (epoch) => orderOf(c.seed, epoch, data.train.count),
          validationSet: data.validation.count > 0 ? 1 : -1,
          testSet: 2,
          predicted,
        },
        {
          onBatch: (p) => {
            o.onProgress?.(p);
            if (performance.now() - lastCheckpoint > checkpointMs) {
              // mid-epoch (after a step checked finite): a kill loses at most this interval
              saveLatest();
              lastCheckpoint = performance.now();
            }
          },
          shouldStop: () => {
            outOfTime ||= elapsedSeconds() >= limit;
            return o.signal?.aborted === true || outOfTime;
          },
          onEpoch: async (fitted) => {
            const net = evaluated();
            const metrics = predicted !== undefined ? task.epochMetrics?.(predicted, c, data) : undefined;
            const r: EpochRecord =
              metrics === undefined ? fitted : { ...fitted, validationAccuracy: metrics.validationAccuracy, testAccuracy: metrics.testAccuracy };
            const next = afterEpoch(progress, r);
            progress = next.progress;
            lastGood = trainer.network.params.slice();
            if (next.improved) {
              best = cloneNetwork(net);
              if (files) {
                writeFileAtomic(files.best, modelFileText(best, { config: c, meta: { task: taskName, epoch: r.epoch, validationLoss: r.validationLoss, testLoss: r.testLoss, ...accuracyMeta(r) } }));
              }
            }
            saveLatest();
            lastCheckpoint = performance.now();
            event({ event: 'epoch', ...r, best: next.improved });
            setRates(r.epoch + 1);
            await o.onEpoch?.({ record: r, network: net, history: progress.history, data, improved: next.improved, confusion: metrics?.confusion });
            // another epoch as long as this one would not fit the budget
            if (elapsedSeconds() + r.seconds > limit && r.epoch + 1 < c.epochs) {
              outOfTime = true;
              log(`time limit: ${(limit / 60).toFixed(1)} min; stopping after epoch ${r.epoch + 1} (${(elapsedSeconds() / 60).toFixed(1)} min used, an epoch takes ${(r.seconds / 60).toFixed(1)})`);
            }
          },
        },
      );
      if (result.interrupted) {
        // The interrupted epoch restarts on resume, from the parameters reached so far.
        saveLatest();
        lastGood = trainer.network.params.slice();
        event({ event: 'interrupt', completedEpochs: progress.completedEpochs });
      }
    } finally {
      await trainer.close();
    }
    const diverged = result.diverged ? divergenceMessage(result.diverged, c) : null;
    if (result.diverged) event({ event: 'diverged', ...result.diverged, message: diverged });
    const h = progress.history;
    const bestRecord = h.find((r) => r.epoch === progress.bestEpoch);
    const summary: RunSummary = {
      outDir: out ?? null,
      dataset: c.dataset,
      task: taskName,
      layerSizes,
      epochs: progress.completedEpochs,
      bestEpoch: progress.bestEpoch,
      bestValidationLoss: progress.bestValidationLoss,
      testLoss: bestRecord?.testLoss ?? Number.NaN,
      finalTrainLoss: h.length > 0 ? h[h.length - 1].trainLoss : Number.NaN,
      ...(task.epochMetrics !== undefined
        ? { validationAccuracy: bestRecord?.validationAccuracy ?? Number.NaN, testAccuracy: bestRecord?.testAccuracy ?? Number.NaN }
        : {}),
      secondsPerEpoch: mean(h, (r) => r.seconds),
      trainSecondsPerEpoch: mean(h, (r) => r.trainSeconds),
      trainImagesPerSec: mean(h, (r) => r.trainImagesPerSec),
      peakRssMB: process.resourceUsage().maxRSS / 1024,
      interrupted: result.interrupted,
      stoppedBy: !result.interrupted ? null : outOfTime ? 'time-limit' : 'signal',
      diverged,
      history: h,
    };
    if (files) writeFileAtomic(files.summary, `${JSON.stringify(summary, null, 2)}\n`);
    event({ event: 'end', ...summary, history: undefined });
    return { summary, network: networkFromParams(network, lastGood), best };
  } finally {
    release();
  }
};
