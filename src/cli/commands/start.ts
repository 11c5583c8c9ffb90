/**
 * `spikeline start` (`npm start`): the newcomer's main job. Trains the paper's H = 32, latency 1,
 * noise 0 autoencoder (preset h32-l1-n0) on the embedded MNIST for 2 epochs — about a minute on
 * 2 cores — and says where the reconstructions and the loss curve are.
 */
import { resolve } from 'node:path';
import { parseTrainArgs, runTraining } from './train.ts';

export const startCommand = async (argv: string[]): Promise<number> => {
  const a = parseTrainArgs(['--preset', 'h32-l1-n0', '--out', 'runs/start', ...argv], { epochs: 2 });
  if (a === 'help') {
    console.log('usage: spikeline start [train options]   (npm start: 2 epochs of h32-l1-n0 on MNIST → runs/start)');
    return 0;
  }
  const { writeRunPictures } = await import('../../report/runPictures.ts');
  const summary = await runTraining(a, (ctx) => writeRunPictures(a.outDir, ctx));
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
  return summary.interrupted ? 130 : 0;
};
