/**
 * The in-process backend (the default; no server): trials run one after another in this
 * process, each in `<outDir>/trials/<id>/` (optionally with `threads` worker threads of data
 * parallelism), and results go to `<outDir>/search.jsonl` (see `jsonlStore`).
 */
import { join } from 'node:path';
import type { Backend, TrialOutcome } from './backend.ts';
import { jsonlStore } from './jsonlStore.ts';
import { type DatasetCache, TrialInterrupted, datasetCache, runTrial } from './runTrial.ts';
import { InputError } from '../io/inputError.ts';
import type { BatchProgress } from '../train/fit.ts';

export interface InProcessOptions {
  readonly outDir: string;
  readonly threads?: number;
  readonly workerScript?: string;
  readonly datasets?: DatasetCache;
  readonly shouldStop?: () => boolean;
  readonly onBatch?: (trialId: string, p: BatchProgress) => void;
}

export const searchFile = (outDir: string): string => join(outDir, 'search.jsonl');

export const inProcessBackend = (o: InProcessOptions): Backend => {
  const store = jsonlStore(searchFile(o.outDir));
  const datasets = o.datasets ?? datasetCache();
  const defined = new Set<string>();
  return {
    kind: 'inprocess',
    capacity: 1,
    location: store.path,
    load: async () => {
      const s = store.load();
      for (const t of s.trials) defined.add(t.id);
      return s;
    },
    saveMeta: async (meta) => store.appendMeta(meta),
    run: async (trial, events): Promise<TrialOutcome> => {
      const stored = store.load();
      const existing = stored.results.find((r) => r.trialId === trial.id);
      if (existing !== undefined) return { kind: 'result', result: existing };
      if (!defined.has(trial.id) && !stored.trials.some((t) => t.id === trial.id)) store.appendTrial(trial);
      defined.add(trial.id);
      events?.onStart?.(trial.id);
      try {
        const result = await runTrial(trial, {
          outDir: join(o.outDir, 'trials', trial.id),
          threads: o.threads,
          workerScript: o.workerScript,
          datasets,
          shouldStop: o.shouldStop,
          onProgress: o.onBatch === undefined ? undefined : (p) => o.onBatch?.(trial.id, p),
        });
        store.appendResult(result);
        return { kind: 'result', result };
      } catch (e) {
        if (e instanceof TrialInterrupted) return { kind: 'interrupted', trialId: trial.id };
        if (e instanceof InputError) throw e; // missing data set, bad data directory: not the trial's fault
        const failure = { trialId: trial.id, error: (e as Error).message ?? String(e), attempts: 1 };
        store.appendFailure(failure);
        return { kind: 'failed', failure };
      }
    },
    close: async () => {},
  };
};
