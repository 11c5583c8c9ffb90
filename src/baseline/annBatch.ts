/**
 * The ANN baseline a mini-batch at a time: the forward and reverse passes of {@link ann.ts} as
 * five dense matrix products over the batch (see `denseKernels.ts`), with the same arithmetic in
 * the same order per entry — so gradients and losses equal the per-example functions bit for bit,
 * several times faster (the weights stay in cache and gradients in registers across the batch).
 *
 *     Z1 = X W1ᵀ + b1,  A1 = f(Z1),  Z2 = A1 W2ᵀ + b2,  A2 = g(Z2)
 *     D2 = (2/o)(A2 − Y)·g'(Z2),  ∂W2 += D2ᵀ A1,  D1 = (D2 W2)·f'(Z1),  ∂W1 += D1ᵀ X
 *
 * ## Example
 * ```ts
 * const batch = allocAnnBatch(net, 32);
 * for (let b = 0; b < 32; b++) { set.inputInto(batch.xRows[b], order[b]); set.targetInto(batch.yRows[b], order[b]); }
 * batch.grad.fill(0);
 * const lossSum = annTrainBatchInto(batch, net, 32); // gradient in batch.grad
 * ```
 */
import { activate, activationSlope } from './activations.ts';
import type { AnnAutoencoder, AnnSpec } from './ann.ts';
import { fillRows, gemmAdd } from './denseKernels.ts';

/** Row-major batch buffers (maxBatch rows each) and a gradient laid out like the parameters. */
export interface AnnBatch {
  readonly maxBatch: number;
  readonly x: Float64Array;
  readonly y: Float64Array;
  /** Row views of x and y, for ExampleSet-style `inputInto(row, i)`. */
  readonly xRows: readonly Float64Array[];
  readonly yRows: readonly Float64Array[];
  readonly z1: Float64Array;
  readonly a1: Float64Array;
  readonly z2: Float64Array;
  readonly a2: Float64Array;
  readonly d2: Float64Array;
  readonly d1: Float64Array;
  /** [∂W1, ∂b1, ∂W2, ∂b2] in one vector, and views of its parts. */
  readonly grad: Float64Array;
  readonly gW1: Float64Array;
  readonly gB1: Float64Array;
  readonly gW2: Float64Array;
  readonly gB2: Float64Array;
}

export const allocAnnBatch = (s: AnnSpec, maxBatch: number): AnnBatch => {
  const { inputSize: n, hidden: h, outputSize: o } = s;
  const x = new Float64Array(maxBatch * n);
  const y = new Float64Array(maxBatch * o);
  const grad = new Float64Array(n * h + h + h * o + o);
  const rows = (m: Float64Array, w: number) => Array.from({ length: maxBatch }, (_, b) => m.subarray(b * w, (b + 1) * w));
  return {
    maxBatch,
    x,
    y,
    xRows: rows(x, n),
    yRows: rows(y, o),
    z1: new Float64Array(maxBatch * h),
    a1: new Float64Array(maxBatch * h),
    z2: new Float64Array(maxBatch * o),
    a2: new Float64Array(maxBatch * o),
    d2: new Float64Array(maxBatch * o),
    d1: new Float64Array(maxBatch * h),
    grad,
    gW1: grad.subarray(0, n * h),
    gB1: grad.subarray(n * h, n * h + h),
    gW2: grad.subarray(n * h + h, n * h + h + h * o),
    gB2: grad.subarray(n * h + h + h * o),
  };
};

const checkBatch = (batch: AnnBatch, count: number): void => {
  if (!Number.isInteger(count) || count < 1 || count > batch.maxBatch) {
    throw new RangeError(`ann batch: expected 1..${batch.maxBatch} examples, got ${count}`);
  }
};

/** Forward pass of the first `count` rows of batch.x: writes z1, a1, z2, a2. */
export const annForwardBatch = (batch: AnnBatch, net: AnnAutoencoder, count: number): Float64Array => {
  checkBatch(batch, count);
  const { inputSize: n, hidden: h, outputSize: o, encoder, decoder } = net;
  const { x, z1, a1, z2, a2 } = batch;
  // Z1 = b1 + X W1ᵀ, then Z2 = b2 + A1 W2ᵀ (W rows are neurons)
  gemmAdd(fillRows(z1, net.b1, count, h), x, n, 1, net.w1, 1, n, count, h, n);
  for (let q = 0; q < count * h; q++) a1[q] = activate(encoder, z1[q]);
  gemmAdd(fillRows(z2, net.b2, count, o), a1, h, 1, net.w2, 1, h, count, o, h);
  for (let q = 0; q < count * o; q++) a2[q] = activate(decoder, z2[q]);
  return a2;
};

/**
 * `start` plus the per-example losses (mean squared error per pixel) of the last forward pass,
 * added in example order (so a running sum over batches equals one over single examples).
 */
export const annBatchLoss = (batch: AnnBatch, o: number, count: number, start = 0): number => {
  const { a2, y } = batch;
  let sum = start;
  for (let b = 0; b < count; b++) {
    let s = 0;
    for (let k = b * o; k < (b + 1) * o; k++) {
      const d = a2[k] - y[k];
      s += d * d;
    }
    sum += s / o;
  }
  return sum;
};

/**
 * Forward and reverse pass of the first `count` rows of batch.x against batch.y: *adds* the
 * batch's gradient to batch.grad (in example order per entry) and returns `lossStart` plus the
 * examples' losses.
 */
export const annTrainBatchInto = (batch: AnnBatch, net: AnnAutoencoder, count: number, lossStart = 0): number => {
  annForwardBatch(batch, net, count);
  const { inputSize: n, hidden: h, outputSize: o, encoder, decoder } = net;
  const { x, y, z1, a1, z2, a2, d2, d1, gB1, gB2 } = batch;
  const scale = 2 / o;
  for (let b = 0; b < count; b++) {
    for (let k = 0; k < o; k++) {
      const q = b * o + k;
      const dz = scale * (a2[q] - y[q]) * activationSlope(decoder, z2[q], a2[q]);
      d2[q] = dz;
      gB2[k] += dz;
    }
  }
  // ∂W2 += D2ᵀ A1 (o × h, over the batch); D1 = D2 W2 (count × h, over the outputs)
  gemmAdd(batch.gW2, d2, 1, o, a1, h, 1, o, h, count);
  gemmAdd(fillRows(d1, null, count, h), d2, o, 1, net.w2, h, 1, count, h, o);
  for (let b = 0; b < count; b++) {
    for (let j = 0; j < h; j++) {
      const q = b * h + j;
      const dz = d1[q] * activationSlope(encoder, z1[q], a1[q]);
      d1[q] = dz;
      gB1[j] += dz;
    }
  }
  // ∂W1 += D1ᵀ X (h × n, over the batch)
  gemmAdd(batch.gW1, d1, 1, h, x, n, 1, h, n, count);
  return annBatchLoss(batch, o, count, lossStart);
};
