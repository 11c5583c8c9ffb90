/**
 * Training the ANN baseline with the spiking runs' optimiser and schedule: Adam (the arithmetic of
 * `adamUpdateRange` in src/train/adam.ts, run by the batch's SIMD kernel; β1 0.9, β2 0.999,
 * ε 1e-8), mini-batches in the same seeded per-epoch order (`epochOrder`), per-pixel MSE, the
 * model with the lowest validation loss kept. Inputs are the spiking runs' encoded examples with "no spike" read as 1, so an ANN
 * on `inverted` images sees exactly the SNN's (noisy) inputs and targets; on `plain` images it
 * sees the conventional x = byte/256 (noise with mean 0).
 *
 * The epoch loop allocates nothing per example or batch (buffers are made once per run), and
 * runs a mini-batch as WebAssembly SIMD matrix products (`annBatch.ts`; the same numbers as
 * example by example).
 */
import type { EncodedExamples } from '../data/noise.ts';
import { createRng, STREAMS } from '../data/rng.ts';
import { shuffleInPlace, fileOrder } from '../data/split.ts';
import { type AnnAutoencoder, type AnnSpec, annFromParams, initAnn } from './ann.ts';
import { allocAnnBatch, annAdamStep, annBatchLoss, annForwardBatch, annInBatch, annTrainBatchInto } from './annBatch.ts';

/** Examples per matrix product when evaluating. */
const EVAL_BATCH = 64;

/** Examples as an ANN reads them: inputs in [0, 1] (no spike → 1), targets in [0, 1]. */
export interface AnnExamples {
  readonly count: number;
  inputInto(out: Float64Array, i: number): Float64Array;
  targetInto(out: Float64Array, i: number): Float64Array;
}

/** The spiking run's examples with Infinity (no spike) read as 1. */
export const annExamplesOf = (e: EncodedExamples): AnnExamples => ({
  count: e.count,
  inputInto: (out, i) => {
    e.inputInto(out, i);
    for (let k = 0; k < out.length; k++) if (out[k] > 1) out[k] = 1;
    return out;
  },
  targetInto: (out, i) => e.targetInto(out, i),
});

export interface AnnTrainOptions {
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly seed: number;
  readonly onProgress?: (epoch: number, done: number, total: number) => void;
}

export interface AnnEpochRecord {
  readonly epoch: number;
  readonly trainLoss: number;
  readonly validationLoss: number;
  readonly testLoss: number;
  readonly seconds: number;
}

export interface AnnTrainResult {
  /** The parameters with the lowest validation loss (ties: the later epoch). */
  readonly best: AnnAutoencoder;
  readonly bestEpoch: number;
  readonly bestValidationLoss: number;
  /** Test loss of `best`. */
  readonly testLoss: number;
  readonly history: readonly AnnEpochRecord[];
}

/** Mean per-pixel MSE of `net` over the first `count` examples of `set`. */
export const annEvaluate = (net: AnnAutoencoder, set: AnnExamples, count = set.count): number => {
  const batch = allocAnnBatch(net, EVAL_BATCH);
  const n = Math.min(count, set.count);
  let s = 0;
  for (let from = 0; from < n; from += EVAL_BATCH) {
    const m = Math.min(EVAL_BATCH, n - from);
    for (let b = 0; b < m; b++) {
      set.inputInto(batch.xRows[b], from + b);
      set.targetInto(batch.yRows[b], from + b);
    }
    annForwardBatch(batch, net, m);
    s = annBatchLoss(batch, net.outputSize, m, s);
  }
  return n > 0 ? s / n : Number.NaN;
};

export const trainAnn = (
  spec: AnnSpec,
  sets: { readonly train: AnnExamples; readonly validation: AnnExamples; readonly test: AnnExamples },
  o: AnnTrainOptions,
): AnnTrainResult => {
  const batch = allocAnnBatch(spec, o.batchSize);
  const net = annInBatch(batch, initAnn(spec, createRng(o.seed, STREAMS.init)));
  const grad = batch.grad;
  const bestParams = net.params.slice();
  const order = new Uint32Array(sets.train.count);
  const orderRng = createRng(o.seed);
  let step = 0;
  let bestEpoch = -1;
  let bestValidationLoss = Infinity;
  let bestTest = Number.NaN;
  const history: AnnEpochRecord[] = [];
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    const t0 = performance.now();
    order.set(fileOrder(sets.train.count));
    shuffleInPlace(order, orderRng.reseed(o.seed, STREAMS.epochOrder + epoch));
    let lossSum = 0;
    for (let from = 0; from < order.length; from += o.batchSize) {
      const to = Math.min(order.length, from + o.batchSize);
      grad.fill(0);
      for (let b = from; b < to; b++) {
        sets.train.inputInto(batch.xRows[b - from], order[b]);
        sets.train.targetInto(batch.yRows[b - from], order[b]);
      }
      lossSum = annTrainBatchInto(batch, net, to - from, lossSum);
      step++;
      annAdamStep(batch, to - from, step, o.learningRate);
      if ((from / o.batchSize) % 64 === 0) o.onProgress?.(epoch, to, order.length);
    }
    const validationLoss = annEvaluate(net, sets.validation);
    const testLoss = annEvaluate(net, sets.test);
    history.push({
      epoch,
      trainLoss: lossSum / Math.max(1, order.length),
      validationLoss,
      testLoss,
      seconds: (performance.now() - t0) / 1000,
    });
    if (!(validationLoss > bestValidationLoss)) {
      bestValidationLoss = validationLoss;
      bestEpoch = epoch;
      bestTest = testLoss;
      bestParams.set(net.params);
    }
  }
  return {
    best: annFromParams(spec, bestParams),
    bestEpoch,
    bestValidationLoss,
    testLoss: bestTest,
    history,
  };
};
