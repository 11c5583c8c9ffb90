/**
 * The search loop: proposes trials with a strategy, keeps `backend.capacity` of them in flight,
 * collects their outcomes and writes the best as config files.
 *
 * Resumable: everything stored for the search (`backend.load()`) is reused. Trials that have a
 * result are not run again; trials defined but unfinished (a search stopped or killed) run again
 * with the same id, seed and config; new trials continue the index sequence. A stored search
 * with another space, strategy, seed or budget is an error (use another output or Redis name).
 *
 * Counting is by trial id: `done` is the number of distinct trials with a result.
 */
import { isDeepStrictEqual } from 'node:util';
import { InputError } from '../io/inputError.ts';
import type { Backend, SearchMeta, TrialFailure, TrialOutcome } from './backend.ts';
import { type RankedTrial, writeBestConfigs } from './bestConfigs.ts';
import { makeTrial } from './makeTrial.ts';
import { type SearchSpace, encodeSearchSpace } from './space.ts';
import type { Observation, StrategyName } from './strategy.ts';
import { strategyByName } from './strategyByName.ts';
import { type Trial, type TrialBudget, type TrialResult, compareResults } from './trial.ts';

export interface SearchProgress {
  readonly total: number;
  readonly done: number;
  readonly failed: number;
  /** Trials in flight (queued or training). */
  readonly inFlight: number;
  /** Trials whose training has started and not finished (as far as this process knows). */
  readonly running: number;
  readonly best: { readonly trialId: string; readonly validationLoss: number } | null;
  readonly elapsedSeconds: number;
  /** Remaining trials at this session's rate; NaN before the first outcome. */
  readonly etaSeconds: number;
}

export interface SearchOptions {
  readonly space: SearchSpace;
  readonly strategy: StrategyName;
  readonly seed: number;
  readonly trials: number;
  readonly budget: TrialBudget;
  readonly backend: Backend;
  /** Where the best configs and the leaderboard go. */
  readonly outDir: string;
  /** How many best trials to write as config files (default 3). */
  readonly top?: number;
  readonly onProgress?: (p: SearchProgress) => void;
  readonly onOutcome?: (trial: Trial, o: TrialOutcome, p: SearchProgress) => void;
  readonly shouldStop?: () => boolean;
}

export interface SearchSummary {
  readonly trials: number;
  readonly done: number;
  readonly failed: number;
  /** Results found in the store at the start (resume). */
  readonly reused: number;
  readonly interrupted: boolean;
  readonly best: readonly RankedTrial[];
  readonly results: readonly TrialResult[];
  readonly failures: readonly TrialFailure[];
  readonly seconds: number;
}

export const runSearch = async (o: SearchOptions): Promise<SearchSummary> => {
  const t0 = performance.now();
  const { backend, space } = o;
  const strategy = strategyByName(o.strategy);
  const meta: SearchMeta = { space: encodeSearchSpace(space), strategy: o.strategy, seed: o.seed, budget: o.budget };
  const stored = await backend.load();
  if (stored.meta === undefined) await backend.saveMeta(meta);
  else if (!isDeepStrictEqual(JSON.parse(JSON.stringify(stored.meta)), JSON.parse(JSON.stringify(meta)))) {
    const diff = (['space', 'strategy', 'seed', 'budget'] as const).filter(
      (k) => JSON.stringify(stored.meta?.[k]) !== JSON.stringify(meta[k]),
    );
    throw new InputError(
      `${backend.location}: holds a search with another ${diff.join(', ')} (stored ${diff
        .map((k) => `${k} ${JSON.stringify(stored.meta?.[k])}`)
        .join(', ')}); resume it with the same options, or start a new search elsewhere`,
    );
  }

  const trials = new Map<string, Trial>(stored.trials.map((t) => [t.id, t]));
  const results = new Map<string, TrialResult>(stored.results.map((r) => [r.trialId, r]));
  const failures = new Map<string, TrialFailure>(stored.failures.map((f) => [f.trialId, f]));
  const reused = results.size;
  const history: Observation[] = [];
  for (const r of results.values()) {
    const t = trials.get(r.trialId);
    if (t !== undefined) history.push({ index: t.index, point: t.point, loss: r.validationLoss });
  }
  // unfinished trials of an earlier session first, in index order
  const pending = [...trials.values()].filter((t) => !results.has(t.id) && !failures.has(t.id)).sort((a, b) => a.index - b.index);
  let nextIndex = trials.size === 0 ? 0 : Math.max(...[...trials.values()].map((t) => t.index)) + 1;

  const inFlight = new Map<string, Promise<{ trial: Trial; outcome: TrialOutcome }>>();
  const running = new Set<string>();
  let finishedThisSession = 0;
  let interrupted = false;
  const finished = () => results.size + failures.size;

  const progress = (): SearchProgress => {
    let best: SearchProgress['best'] = null;
    for (const r of results.values()) {
      if (r.validationLoss !== null && (best === null || compareResults(r, best) < 0)) {
        best = { trialId: r.trialId, validationLoss: r.validationLoss };
      }
    }
    const elapsedSeconds = (performance.now() - t0) / 1000;
    const remaining = Math.max(0, o.trials - finished());
    return {
      total: o.trials,
      done: results.size,
      failed: failures.size,
      inFlight: inFlight.size,
      running: running.size,
      best,
      elapsedSeconds,
      etaSeconds: remaining === 0 ? 0 : finishedThisSession > 0 ? (elapsedSeconds / finishedThisSession) * remaining : Number.NaN,
    };
  };

  const launch = (trial: Trial) => {
    trials.set(trial.id, trial);
    const p = backend
      .run(trial, {
        onStart: (id) => {
          running.add(id);
          o.onProgress?.(progress());
        },
      })
      .then((outcome) => ({ trial, outcome }));
    inFlight.set(trial.id, p);
  };

  while (true) {
    const stopping = o.shouldStop?.() === true;
    if (stopping) interrupted = true;
    // fill the free slots: earlier unfinished trials, then new proposals
    while (!stopping && inFlight.size < backend.capacity && finished() + inFlight.size < o.trials) {
      const again = pending.shift();
      if (again !== undefined) {
        launch(again);
        continue;
      }
      const index = nextIndex++;
      const point = strategy.propose(o.seed, index, space.params.length, history);
      launch(makeTrial(space, o.seed, index, point, o.budget));
    }
    if (inFlight.size === 0) break;
    o.onProgress?.(progress());
    const { trial, outcome } = await Promise.race(inFlight.values());
    inFlight.delete(trial.id);
    running.delete(trial.id);
    if (outcome.kind === 'result') {
      if (!results.has(trial.id)) {
        results.set(trial.id, outcome.result);
        history.push({ index: trial.index, point: trial.point, loss: outcome.result.validationLoss });
        finishedThisSession++;
      }
    } else if (outcome.kind === 'failed') {
      failures.set(trial.id, outcome.failure);
      finishedThisSession++;
    } else {
      interrupted = true;
    }
    o.onOutcome?.(trial, outcome, progress());
  }
  o.onProgress?.(progress());
  const best = writeBestConfigs(o.outDir, [...trials.values()], [...results.values()], o.top ?? 3);
  return {
    trials: o.trials,
    done: results.size,
    failed: failures.size,
    reused,
    interrupted,
    best,
    results: [...results.values()].sort(compareResults),
    failures: [...failures.values()],
    seconds: (performance.now() - t0) / 1000,
  };
};
