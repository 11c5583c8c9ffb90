/**
 * The files of a run directory and the guard against mixing two runs in one directory.
 *
 * - `config.json`: the resolved training config;
 * - `metrics.jsonl`: one JSON line per event (start, resume, epoch, interrupt, diverged, end);
 * - `best.model.json`: the model with the lowest validation loss so far;
 * - `latest.model.json`: the latest model with its Adam state and progress (for resume);
 * - `summary.json`: the final figures;
 * - `.lock`: the process id of the one process writing the directory (see `runLock.ts`).
 * Pictures (`RUN_PICTURES`: reconstructions, loss, accuracy, confusion) are written by the caller's hooks.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../io/inputError.ts';

export interface RunFiles {
  readonly config: string;
  readonly metrics: string;
  readonly best: string;
  readonly latest: string;
  readonly summary: string;
  readonly lock: string;
}

export const runFiles = (outDir: string): RunFiles => ({
  config: join(outDir, 'config.json'),
  metrics: join(outDir, 'metrics.jsonl'),
  best: join(outDir, 'best.model.json'),
  latest: join(outDir, 'latest.model.json'),
  summary: join(outDir, 'summary.json'),
  lock: join(outDir, '.lock'),
});

/** Files a run leaves beside its own (pictures of the CLI's epoch hook, src/report/runPictures.ts). */
export const RUN_PICTURES = [
  'reconstructions.png',
  'loss.svg',
  'loss.png',
  'accuracy.svg',
  'accuracy.png',
  'confusion.svg',
  'confusion.png',
] as const;

/** The run files present in `outDir` (empty: the directory holds no run). */
export const existingRunFiles = (outDir: string): string[] => {
  const { lock: _lock, ...files } = runFiles(outDir);
  return [...Object.values(files), ...RUN_PICTURES.map((f) => join(outDir, f))].filter((f) => existsSync(f));
};

/** How a new run treats a directory that already holds one. */
export type ExistingRun = 'refuse' | 'resume' | 'overwrite';

/**
 * Throws an InputError when `outDir` holds a run and `mode` is 'refuse', naming the files and
 * how to continue (resume) or replace (force) it. Touches nothing.
 */
export const checkRunDirectory = (outDir: string, mode: ExistingRun): void => {
  if (mode !== 'refuse') return;
  const found = existingRunFiles(outDir);
  if (found.length > 0) {
    throw new InputError(
      `${outDir} already holds a run (${found.map((f) => f.slice(outDir.length + 1)).join(', ')}): ` +
        'pass --resume to continue it, --force to overwrite it, or --out DIR for a new directory',
    );
  }
};

/** Removes the files of an earlier run (for 'overwrite'), so that nothing of it mixes in. */
export const clearRun = (outDir: string): void => {
  for (const f of existingRunFiles(outDir)) rmSync(f, { force: true });
};
