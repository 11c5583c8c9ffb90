/**
 * `spikeline start` (`npm start`): the newcomer's main job. Trains the paper's H = 32, latency 1,
 * noise 0 autoencoder (preset h32-l1-n0) on the embedded MNIST for 2 epochs — about a minute on
 * 2 cores — and says where the reconstructions and the loss curve are. Without `--out`, an
 * earlier run is never overwritten: the run goes to the first of runs/start, runs/start-2, …
 * that holds no run.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { existingRunFiles, runFiles } from '../../run/runFiles.ts';
import { exitStatus, parseTrainArgs, runTraining } from './train.ts';

/** The first of `base`, `base-2`, `base-3`, … that holds no run and no lock. */
export const freshRunDirectory = (base: string): string => {
  for (let i = 1; ; i++) {
    const dir = i === 1 ? base : `${base}-${i}`;
    if (existingRunFiles(dir).length === 0 && !existsSync(runFiles(dir).lock)) return dir;
  }
};

/** `--out DIR` unless the user chose the directory or asked to resume/overwrite. */
const outArgs = (argv: readonly string[]): string[] =>
  argv.some((a) => a === '--out' || a.startsWith('--out=') || a === '--resume' || a === '--force')
    ? ['--out', 'runs/start']
    : ['--out', freshRunDirectory('runs/start')];

export const startCommand = async (argv: string[]): Promise<number> => {
  const a = parseTrainArgs(['--preset', 'h32-l1-n0', ...outArgs(argv), ...argv], { epochs: 2 });
  if (a === 'help') {
    console.log('usage: spikeline start [train options]   (npm start: 2 epochs of h32-l1-n0 on MNIST → runs/start)');
    return 0;
  }
  const { writeRunPictures } = await import('../../report/runPictures.ts');
  const outcome = await runTraining(a, (ctx) => writeRunPictures(a.outDir, ctx));
  const { summary } = outcome;
  if (summary.bestEpoch < 0) return exitStatus(outcome);
  const dir = resolve(a.outDir);
  console.log(
    [
      '',
      `Done: ${summary.epochs} epoch(s), test loss ${summary.testLoss.toFixed(5)} (per-pixel MSE at latency ${a.config.latency}).`,
      `  reconstructions: ${dir}/reconstructions.png   (top: test images, bottom: what the spiking network rebuilt)`,
      `  loss curve:      ${dir}/loss.png  (and loss.svg)`,
      `  model:           ${dir}/best.model.json   try: npx spikeline reconstruct ${a.outDir}/best.model.json --count 20`,
      `  metrics:         ${dir}/metrics.jsonl`,
      'Longer runs: npx spikeline train --preset h32-l1-n0 --epochs 20 (see npx spikeline presets).',
    ].join('\n'),
  );
  return exitStatus(outcome);
};
