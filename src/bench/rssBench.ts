/**
 * Peak memory of a full-MNIST training run: `spikeline train` in a child process (so the bench's
 * own data and buffers do not count) with the default preset and thread count, the whole data set
 * loaded (60 000 + 10 000 images), one epoch over the first `trainImages` training images, then
 * the full validation (6 000) and test (10 000) passes. The figure is the run summary's
 * `peakRssMB`: the child's peak resident memory, worker threads included. Memory does not grow
 * with the epoch's length (examples are encoded on the fly into fixed buffers), so a short epoch
 * measures the same peak as a full one.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RssBenchResult {
  readonly trainingPeakRssMB: number;
  /** Threads the run used (main + workers). */
  readonly threads: number;
}

/** Runs the CLI script `cli` (bin/spikeline.mjs) once and returns its peak RSS. */
export const runRssBench = (cli: string, trainImages = 5000, workers?: number): RssBenchResult => {
  const dir = mkdtempSync(join(tmpdir(), 'spikeline-rss-'));
  try {
    const args = [cli, 'train', '--epochs', '1', '--train-limit', String(trainImages), '--out', join(dir, 'run'), '--json'];
    if (workers !== undefined) args.push('--workers', String(workers));
    const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 16 << 20 });
    if (r.status !== 0) throw new Error(`bench: the training run for the memory figure failed (${r.status}): ${r.stderr.slice(-500)}`);
    const summary = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as { peakRssMB?: number };
    const threads = /, (\d+) thread\(s\)/.exec(r.stderr)?.[1];
    if (typeof summary.peakRssMB !== 'number' || threads === undefined) {
      throw new Error('bench: the training run for the memory figure printed no peakRssMB or thread count');
    }
    return { trainingPeakRssMB: summary.peakRssMB, threads: Number(threads) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
