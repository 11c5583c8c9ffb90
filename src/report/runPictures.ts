/**
 * The pictures of a training run, rewritten (atomically) after every epoch so that a user can
 * watch them improve:
 * - `reconstructions.png`: the first 10 test images — originals, noisy inputs (when the run adds
 *   noise), reconstructions by the current network;
 * - `loss.svg` and `loss.png`: train, validation and test loss per epoch (log scale).
 */
import { join } from 'node:path';
import type { EpochContext } from '../run/train.ts';
import { writeFileAtomic } from '../io/atomicWrite.ts';
import { forward } from '../model/forward.ts';
import { autoencoderGrid } from './imageGrid.ts';
import { lineChartPng, lineChartSvg } from './lineChart.ts';
import { encodePng } from './png.ts';

export const RECONSTRUCTION_COUNT = 10;

export const writeRunPictures = (outDir: string, ctx: EpochContext): void => {
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
  const series = [
    { name: 'train', y: history.map((r) => r.trainLoss), x: history.map((r) => r.epoch + 1) },
    { name: 'validation', y: history.map((r) => r.validationLoss), x: history.map((r) => r.epoch + 1) },
    { name: 'test', y: history.map((r) => r.testLoss), x: history.map((r) => r.epoch + 1) },
  ].filter((s) => s.y.every(Number.isFinite));
  const opts = { title: 'reconstruction loss', xLabel: 'epoch', yLabel: 'loss (per-pixel MSE)', logY: true };
  writeFileAtomic(join(outDir, 'loss.svg'), lineChartSvg(series, opts));
  writeFileAtomic(join(outDir, 'loss.png'), lineChartPng(series, opts));
};
