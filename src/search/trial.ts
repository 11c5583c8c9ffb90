/**
 * A trial of a hyperparameter search and its result, with the io-ts codecs used wherever they are
 * read back (the JSONL store of the in-process backend, the Redis hashes and job data of the
 * distributed one).
 *
 * - `Trial` = { id, index, seed, point, config, budget }: `config` is the complete training config
 *   (budget fields applied, `config.seed === seed`), `point` the unit-cube coordinates it came from.
 * - `TrialResult` = { trialId, validationLoss, … }: `validationLoss` is `null` when training
 *   diverged (a loss that is not a finite number); such a trial ranks last.
 *
 * The budget of a trial fixes how much training it gets: `epochs` passes over the first
 * `trainImages` images of the seeded training split, validation on `validationImages` held-out
 * training images, test on the first `testImages` test images.
 */
import { type Either, isLeft, left, right } from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { type TrainingConfig, decodeTrainingConfig, encodeTrainingConfig } from '../config/config.ts';
import { Count, FiniteNumber, formatDecodeErrors } from '../io/decode.ts';

export interface TrialBudget {
  readonly epochs: number;
  readonly trainImages: number;
  readonly validationImages: number;
  readonly testImages: number;
}

export interface Trial {
  /** `t00042`: unique within a search, the key of its result (idempotency). */
  readonly id: string;
  readonly index: number;
  readonly seed: number;
  readonly point: readonly number[];
  readonly config: TrainingConfig;
  readonly budget: TrialBudget;
}

export interface TrialResult {
  readonly trialId: string;
  /** Best validation loss over the trial's epochs; null if training diverged. */
  readonly validationLoss: number | null;
  /** Test loss at that epoch (null when not finite). */
  readonly testLoss: number | null;
  readonly trainLoss: number | null;
  readonly epochs: number;
  readonly seconds: number;
  readonly trainImagesPerSec: number;
  /** Who ran it (host:pid) and when it finished (ISO time). */
  readonly worker: string;
  readonly finishedAt: string;
}

export const trialIdOf = (index: number): string => `t${String(index).padStart(5, '0')}`;

/** A finite number, or null for "not a finite number" (JSON has no NaN). */
export const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

const NullableNumber = t.union([FiniteNumber, t.null], 'finite number or null');

const BudgetCodec = t.type({ epochs: Count, trainImages: Count, validationImages: Count, testImages: Count }, 'TrialBudget');

const TrialShape = t.type(
  {
    id: t.string,
    index: Count,
    seed: Count,
    point: t.array(FiniteNumber),
    config: t.unknown,
    budget: BudgetCodec,
  },
  'Trial',
);

export const TrialResultCodec = t.type(
  {
    trialId: t.string,
    validationLoss: NullableNumber,
    testLoss: NullableNumber,
    trainLoss: NullableNumber,
    epochs: Count,
    seconds: FiniteNumber,
    trainImagesPerSec: FiniteNumber,
    worker: t.string,
    finishedAt: t.string,
  },
  'TrialResult',
);

/** Decodes a trial read back from a store or a job; `source` names it in messages. */
export const decodeTrial = (value: unknown, source: string): Either<string[], Trial> => {
  const r = TrialShape.decode(value);
  if (isLeft(r)) return left(formatDecodeErrors(r.left).map((m) => `${source}: ${m}`));
  const c = decodeTrainingConfig(r.right.config, `${source}: config`);
  if (isLeft(c)) return left(c.left);
  return right({ ...r.right, config: c.right });
};

export const decodeTrialResult = (value: unknown, source: string): Either<string[], TrialResult> => {
  const r = TrialResultCodec.decode(value);
  return isLeft(r) ? left(formatDecodeErrors(r.left).map((m) => `${source}: ${m}`)) : right(r.right);
};

/** The JSON form of a trial. */
export const encodeTrial = (trial: Trial): Record<string, unknown> => ({
  ...trial,
  point: [...trial.point],
  config: encodeTrainingConfig(trial.config),
});

/** Lower validation loss first; diverged (null) last; ties by trial index. */
export const compareResults = (
  a: { readonly validationLoss: number | null; readonly trialId: string },
  b: { readonly validationLoss: number | null; readonly trialId: string },
): number => {
  const x = a.validationLoss ?? Infinity;
  const y = b.validationLoss ?? Infinity;
  return x !== y ? (x < y ? -1 : 1) : a.trialId < b.trialId ? -1 : a.trialId > b.trialId ? 1 : 0;
};
