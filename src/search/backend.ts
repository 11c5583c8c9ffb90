/**
 * Where trials run and where their results are kept. One small interface, two implementations:
 * `inProcessBackend` (this process, one trial at a time, results in a JSONL file) and
 * `redisBackend` (a BullMQ queue on Redis served by any number of `spikeline worker` processes,
 * results in Redis hashes).
 *
 * Contract:
 * - `load()` returns everything stored for the search (resume): its meta, the trials defined so
 *   far, their results and failures. Results are keyed by trial id: a trial has at most one.
 * - `run(trial)` stores the trial definition, has it trained (or finds its stored result) and
 *   resolves once its outcome is stored. Running a trial that already has a result returns that
 *   result without training again.
 * - `capacity` is how many trials the search keeps in flight at once.
 */
import { type Either, isLeft, left, right } from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { Count, formatDecodeErrors } from '../io/decode.ts';
import type { StrategyName } from './strategy.ts';
import type { Trial, TrialBudget, TrialResult } from './trial.ts';

/** What identifies a search: a restarted search must match it to reuse stored results. */
export interface SearchMeta {
  readonly space: Record<string, unknown>;
  readonly strategy: StrategyName;
  readonly seed: number;
  readonly budget: TrialBudget;
}

export interface TrialFailure {
  readonly trialId: string;
  readonly error: string;
  readonly attempts: number;
}

export interface StoredSearch {
  readonly meta: SearchMeta | undefined;
  readonly trials: readonly Trial[];
  readonly results: readonly TrialResult[];
  readonly failures: readonly TrialFailure[];
}

export type TrialOutcome =
  | { readonly kind: 'result'; readonly result: TrialResult }
  | { readonly kind: 'failed'; readonly failure: TrialFailure }
  /** Stopped (Ctrl-C) before its result: runs again when the search resumes. */
  | { readonly kind: 'interrupted'; readonly trialId: string };

export interface TrialEvents {
  /** The trial's training has started (in-process: now; Redis: a worker took the job). */
  readonly onStart?: (trialId: string) => void;
}

export interface Backend {
  readonly kind: 'inprocess' | 'redis';
  readonly capacity: number;
  /** Human-readable place of the stored results (file or Redis keys). */
  readonly location: string;
  load(): Promise<StoredSearch>;
  saveMeta(meta: SearchMeta): Promise<void>;
  run(trial: Trial, events?: TrialEvents): Promise<TrialOutcome>;
  close(): Promise<void>;
}

const TrialFailureCodec = t.type({ trialId: t.string, error: t.string, attempts: Count }, 'TrialFailure');

const SearchMetaCodec = t.type(
  {
    space: t.record(t.string, t.unknown),
    strategy: t.keyof({ random: null, evolution: null }),
    seed: Count,
    budget: t.type({ epochs: Count, trainImages: Count, validationImages: Count, testImages: Count }),
  },
  'SearchMeta',
);

export const decodeTrialFailure = (value: unknown, source: string): Either<string[], TrialFailure> => {
  const r = TrialFailureCodec.decode(value);
  return isLeft(r) ? left(formatDecodeErrors(r.left).map((m) => `${source}: ${m}`)) : right(r.right);
};

export const decodeSearchMeta = (value: unknown, source: string): Either<string[], SearchMeta> => {
  const r = SearchMetaCodec.decode(value);
  return isLeft(r) ? left(formatDecodeErrors(r.left).map((m) => `${source}: ${m}`)) : right(r.right);
};
