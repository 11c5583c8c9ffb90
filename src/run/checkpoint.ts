/**
 * The progress a run saves with its latest model (`latest.model.json` meta), and its codec: a
 * resumed run decodes it, never casts it. JSON has no NaN or Infinity, so a loss without a value
 * is saved as null and read back as NaN; a best validation loss not yet seen as null → Infinity.
 */
import { isLeft, type Either, left, right } from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import type { TrainingConfig } from '../config/config.ts';
import { Count, decodeWith } from '../io/decode.ts';
import type { Network } from '../model/network.ts';
import type { AdamState } from '../train/adam.ts';
import type { EpochRecord } from '../train/fit.ts';
import { type ModelFile, loadModel, modelFileText } from './modelFile.ts';

/** Where a run stands: epochs done, their records, the best validation loss and its epoch. */
export interface RunProgress {
  readonly completedEpochs: number;
  readonly history: readonly EpochRecord[];
  readonly bestValidationLoss: number;
  /** −1 before the first epoch. */
  readonly bestEpoch: number;
}

export const NO_PROGRESS: RunProgress = { completedEpochs: 0, history: [], bestValidationLoss: Infinity, bestEpoch: -1 };

/** A number, or null for a value JSON could not hold (decoded to `whenNull`). */
const nullableNumber = (whenNull: number, name: string): t.Type<number, number | null, unknown> =>
  new t.Type<number, number | null, unknown>(
    name,
    (u): u is number => typeof u === 'number',
    (u, c) => (u === null ? t.success(whenNull) : typeof u === 'number' ? t.success(u) : t.failure(u, c)),
    (a) => (Number.isFinite(a) ? a : null),
  );

const Loss = nullableNumber(Number.NaN, 'number or null');

export const EpochRecordCodec = t.intersection([
  t.type({ epoch: Count, trainLoss: Loss, validationLoss: Loss, testLoss: Loss, seconds: Loss, trainImagesPerSec: Loss }),
  t.partial({ trainSeconds: Loss, validationAccuracy: Loss, testAccuracy: Loss }),
]);

const BestEpoch = new t.Type<number, number, unknown>(
  'integer ≥ −1',
  (u): u is number => typeof u === 'number' && Number.isInteger(u) && u >= -1,
  (u, c) => (typeof u === 'number' && Number.isInteger(u) && u >= -1 ? t.success(u) : t.failure(u, c)),
  t.identity,
);

export const RunProgressCodec = t.type({
  completedEpochs: Count,
  history: t.array(EpochRecordCodec),
  bestValidationLoss: nullableNumber(Infinity, 'number or null'),
  bestEpoch: BestEpoch,
});

/** A checkpoint: the model, its Adam state, config and progress, all decoded. */
export interface Checkpoint {
  readonly network: Network;
  readonly adam?: AdamState;
  /** The running parameter average of a run with `weightAverageDecay` (meta.weightAverage). */
  readonly average?: Float64Array;
  readonly config: TrainingConfig;
  readonly progress: RunProgress;
}

/** Checks a decoded model file for what a checkpoint needs. */
export const checkpointOf = (file: ModelFile, source: string): Either<string, Checkpoint> => {
  if (file.config === null) return left(`${source}: meta.config: missing (not a checkpoint of a training run)`);
  if (file.adam === undefined) return left(`${source}: adam: missing (not a checkpoint: no optimiser state)`);
  const p = decodeWith(RunProgressCodec, file.meta, `${source}: meta`);
  if (isLeft(p)) return left(p.left.slice(0, 8).join('; '));
  const history: EpochRecord[] = p.right.history.map((r) => ({ ...r, trainSeconds: r.trainSeconds ?? Number.NaN }));
  if (history.length !== p.right.completedEpochs || history.some((r, i) => r.epoch !== i)) {
    return left(`${source}: meta.history: expected the records of epochs 0..${p.right.completedEpochs - 1} in order`);
  }
  const saved = file.meta.weightAverage;
  if (saved === undefined) return right({ network: file.network, adam: file.adam, config: file.config, progress: { ...p.right, history } });
  const average = decodeWith(t.array(t.number), saved, `${source}: meta.weightAverage`);
  if (isLeft(average)) return left(average.left.slice(0, 3).join('; '));
  if (average.right.length !== file.network.params.length || !average.right.every(Number.isFinite)) {
    return left(`${source}: meta.weightAverage: expected ${file.network.params.length} finite numbers (one per parameter), got ${average.right.length}`);
  }
  return right({ network: file.network, adam: file.adam, average: Float64Array.from(average.right), config: file.config, progress: { ...p.right, history } });
};

export const loadCheckpoint = (path: string): Either<string, Checkpoint> => {
  const file = loadModel(path);
  return isLeft(file) ? file : checkpointOf(file.right, path);
};

/** The JSON text of a checkpoint (with the run's parameter average, when it keeps one). */
export const checkpointText = (
  network: Network,
  adam: AdamState,
  config: TrainingConfig,
  progress: RunProgress,
  average?: Float64Array,
): string =>
  modelFileText(network, {
    config,
    adam,
    meta: {
      completedEpochs: progress.completedEpochs,
      history: progress.history.map((r) => EpochRecordCodec.encode(r)),
      bestValidationLoss: Number.isFinite(progress.bestValidationLoss) ? progress.bestValidationLoss : null,
      bestEpoch: progress.bestEpoch,
      ...(average !== undefined ? { weightAverage: Array.from(average) } : {}),
    },
  });

/** Progress after an epoch's record; ties go to the later epoch, as in the reference program. */
export const afterEpoch = (p: RunProgress, r: EpochRecord): { progress: RunProgress; improved: boolean } => {
  const improved = !(r.validationLoss > p.bestValidationLoss);
  return {
    improved,
    progress: {
      completedEpochs: r.epoch + 1,
      history: [...p.history, r],
      bestValidationLoss: improved ? r.validationLoss : p.bestValidationLoss,
      bestEpoch: improved ? r.epoch : p.bestEpoch,
    },
  };
};

