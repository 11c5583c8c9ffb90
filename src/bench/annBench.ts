/**
 * Training throughput of the ANN baseline (784-h-784, ReLU encoder, sigmoid decoder, Adam as in
 * `trainAnn`) on given images: the batched WebAssembly SIMD path (what `trainAnn` runs: matrix
 * products and Adam in the kernels' memory) against the plain-JS per-example passes of `ann.ts`
 * with `adamUpdateRange` (the original implementation, ~2900 img/s), interleaved per repetition
 * like the engine bench, with the ratio per repetition. Rates are images per CPU-second of this
 * process (process.cpuUsage, user + system), so other processes on a loaded machine do not count.
 */
import { allocAnnTape, annBackwardInto, annForwardInto, initAnn } from '../baseline/ann.ts';
import { allocAnnBatch, annAdamStep, annInBatch, annTrainBatchInto } from '../baseline/annBatch.ts';
import { createRng } from '../data/rng.ts';
import { DEFAULT_ADAM, NO_FLOOR, adamUpdateRange } from '../train/adam.ts';
import { type Spread, cpuSeconds, pairedRatios, spreadOf } from './stats.ts';

export interface AnnBenchOptions {
  /** Input images, row-major `count × inputSize`, values in [0, 1]; the targets are the inputs. */
  readonly images: Float64Array;
  readonly inputSize: number;
  readonly hidden: number;
  readonly batchSize: number;
  readonly repeats: number;
}

export interface AnnBenchResult {
  /** Median images per CPU-second of one training pass over the images (1 core). */
  readonly annTrainImagesPerSec: number;
  readonly annPerExampleTrainImagesPerSec: number;
  /** Median over repetitions of batched (SIMD) / per-example (plain JS) rate. */
  readonly annSpeedupVsPerExample: number;
  readonly spread: Readonly<Record<string, Spread>>;
}

export const runAnnBench = (o: AnnBenchOptions): AnnBenchResult => {
  const spec = { inputSize: o.inputSize, hidden: o.hidden, outputSize: o.inputSize, encoder: 'relu', decoder: 'sigmoid' } as const;
  const start = initAnn(spec, createRng(1));
  const net = initAnn(spec, createRng(1));
  const count = Math.floor(o.images.length / o.inputSize);
  const n = o.inputSize;
  const row = (i: number) => o.images.subarray(i * n, (i + 1) * n);
  const P = start.params.length;
  const m = new Float64Array(P);
  const v = new Float64Array(P);
  const batch = allocAnnBatch(spec, o.batchSize);
  const inBatch = annInBatch(batch, start);
  /** One pass over the images in batches: `batchGradient(from, to)` fills the gradient, `adam` steps. */
  const pass = (grad: Float64Array, batchGradient: (from: number, to: number) => void, adam: (n: number, step: number) => void) => () => {
    let step = 0;
    for (let from = 0; from < count; from += o.batchSize) {
      const to = Math.min(count, from + o.batchSize);
      grad.fill(0);
      batchGradient(from, to);
      adam(to - from, ++step);
    }
  };
  const batched = pass(
    batch.grad,
    (from, to) => {
      for (let b = from; b < to; b++) {
        batch.xRows[b - from].set(row(b));
        batch.yRows[b - from].set(row(b));
      }
      annTrainBatchInto(batch, inBatch, to - from);
    },
    (n, step) => annAdamStep(batch, n, step, 1e-3),
  );
  const tape = allocAnnTape(net);
  const grad = new Float64Array(P);
  const perExample = pass(
    grad,
    (from, to) => {
      for (let b = from; b < to; b++) {
        annForwardInto(tape, net, row(b));
        annBackwardInto(grad, tape, net, row(b), row(b));
      }
    },
    (n, step) => adamUpdateRange(net.params, grad, m, v, 0, P, n, step, 1e-3, DEFAULT_ADAM, NO_FLOOR),
  );
  const fast: number[] = [];
  const slow: number[] = [];
  for (let r = 0; r <= o.repeats; r++) {
    inBatch.params.set(start.params);
    batch.m.fill(0);
    batch.v.fill(0);
    const f = count / cpuSeconds(batched);
    net.params.set(start.params);
    m.fill(0);
    v.fill(0);
    const s = count / cpuSeconds(perExample);
    if (r === 0) continue; // warm-up
    fast.push(f);
    slow.push(s);
  }
  const spread = {
    annTrainImagesPerSec: spreadOf(fast),
    annPerExampleTrainImagesPerSec: spreadOf(slow),
    annSpeedupVsPerExample: spreadOf(pairedRatios(fast, slow)),
  };
  return {
    annTrainImagesPerSec: spread.annTrainImagesPerSec.median,
    annPerExampleTrainImagesPerSec: spread.annPerExampleTrainImagesPerSec.median,
    annSpeedupVsPerExample: spread.annSpeedupVsPerExample.median,
    spread,
  };
};
