/**
 * The pictures of a training run, rewritten (atomically) after every epoch so that a user can
 * watch them improve:
 * - `reconstructions.png`: the first 10 test images — originals, noisy inputs (when the run adds
 *   noise), reconstructions by the current network;
 * - `loss.svg` and `loss.png`: train, validation and test loss per epoch (log scale).
 *
 * A classifier's run instead holds
 * - `confusion.svg` and `confusion.png`: the test split's confusion matrix after the latest epoch;
 * - `accuracy.svg` and `accuracy.png`: validation and test accuracy (%) per epoch;
 * - `loss.svg` and `loss.png`: the first-spike cross-entropy per epoch.
 */
import { join } from 'node:path';
import type { EpochContext } from '../run/train.ts';
import { writeFileAtomic } from '../io/atomicWrite.ts';
import { forward } from '../model/forward.ts';
import type { ConfusionMatrix } from '../train/confusion.ts';
import { confusionChartPng, confusionChartSvg } from './confusionChart.ts';
import { autoencoderGrid } from './imageGrid.ts';
import { lineChartPng, lineChartSvg } from './lineChart.ts';
import { encodePng } from './png.ts';

export const RECONSTRUCTION_COUNT = 10;

const epochsOf = (history: EpochContext['history']) => history.map((r) => r.epoch + 1);

/** The loss curves of a run (series with a non-finite value are left out). */
const writeLossChart = (outDir: string, history: EpochContext['history'], title: string, yLabel: string): void => {
  const x = epochsOf(history);
  const series = [
    { name: 'train', y: history.map((r) => r.trainLoss), x },
    { name: 'validation', y: history.map((r) => r.validationLoss), x },
    { name: 'test', y: history.map((r) => r.testLoss), x },
  ].filter((s) => s.y.every(Number.isFinite));
  const opts = { title, xLabel: 'epoch', yLabel, logY: true };
  writeFileAtomic(join(outDir, 'loss.svg'), lineChartSvg(series, opts));
  writeFileAtomic(join(outDir, 'loss.png'), lineChartPng(series, opts));
};

/** A classifier's pictures: confusion matrix, accuracy and loss curves. */
const writeClassifierPictures = (outDir: string, ctx: EpochContext, confusion: ConfusionMatrix): void => {
  const { history } = ctx;
  const title = `${ctx.data.dataset.name} test, epoch ${ctx.record.epoch + 1}`;
  writeFileAtomic(join(outDir, 'confusion.svg'), confusionChartSvg(confusion, { title }));
  writeFileAtomic(join(outDir, 'confusion.png'), confusionChartPng(confusion, { title }));
  const x = epochsOf(history);
  const percent = (v: number | undefined) => (v === undefined ? Number.NaN : 100 * v);
  const series = [
    { name: 'validation', y: history.map((r) => percent(r.validationAccuracy)), x },
    { name: 'test', y: history.map((r) => percent(r.testAccuracy)), x },
  ].filter((s) => s.y.some(Number.isFinite));
  const opts = { title: 'classification accuracy', xLabel: 'epoch', yLabel: 'accuracy (%)' };
  writeFileAtomic(join(outDir, 'accuracy.svg'), lineChartSvg(series, opts));
  writeFileAtomic(join(outDir, 'accuracy.png'), lineChartPng(series, opts));
  writeLossChart(outDir, history, 'classification loss', 'loss (first-spike cross-entropy)');
};

export const writeRunPictures = (outDir: string, ctx: EpochContext): void => {
  if (ctx.confusion !== undefined) {
    writeClassifierPictures(outDir, ctx, ctx.confusion);
    return;
  }
  const { data, network, history } = ctx;
  const n = Math.min(RECONSTRUCTION_COUNT, data.test.count);
  const originals: Uint8Array[] = [];
  const noisy: Float64Array[] = [];
  const outputs: Float64Array[] = [];
  const px = data.pixels;
  for (let i = 0; i < n; i++) {
    const k = data.test.imageIndex(i);
    originals.push(data.dataset.test.images.subarray(k * px, (k + 1) * px));
    const input = data.test.inputInto(new Float64Array(px), i);
    noisy.push(input);
    outputs.push(forward(network, input).output);
  }
  const noiseShown = noisy.some((t, i) => {
    const clean = data.test.targetInto(new Float64Array(px), i);
    return t.some((v, j) => !(v === clean[j] || (v === Infinity && clean[j] === 1)));
  });
  const grid = autoencoderGrid({
    originals,
    noisyInputs: noiseShown ? noisy : undefined,
    outputTimes: outputs,
    encoding: data.encoding,
    latency: data.latency,
  }, { imageWidth: data.cols, imageHeight: data.rows });
  writeFileAtomic(join(outDir, 'reconstructions.png'), encodePng(grid));
  writeLossChart(outDir, history, 'reconstruction loss', 'loss (per-pixel MSE)');
};
