/**
 * The ANN baseline a mini-batch at a time: the forward and reverse passes of {@link ann.ts} as
 * five dense matrix products over the batch, run by the WebAssembly SIMD kernels of
 * `denseKernels.ts` on buffers that live in the kernels' memory, with the same arithmetic in the
 * same order per entry — so gradients and losses equal the per-example functions bit for bit, an
 * order of magnitude faster.
 *
 *     Z1 = X W1ᵀ + b1,  A1 = f(Z1),  Z2 = A1 W2ᵀ + b2,  A2 = g(Z2)
 *     D2 = (2/o)(A2 − Y)·g'(Z2),  ∂W2 += D2ᵀ A1,  D1 = (D2 W2)·f'(Z1),  ∂W1 += D1ᵀ X
 *
 * The batch also holds a parameter vector and Adam's m and v: a network made with
 * {@link annInBatch} is trained in place (no copy per step, Adam by {@link annAdamStep}); any other
 * network is copied in before each pass.
 *
 * ## Example
 * ```ts
 * const batch = allocAnnBatch(spec, 32);
 * const net = annInBatch(batch, initAnn(spec, rng));
 * for (let b = 0; b < 32; b++) { set.inputInto(batch.xRows[b], order[b]); set.targetInto(batch.yRows[b], order[b]); }
 * batch.grad.fill(0);
 * const lossSum = annTrainBatchInto(batch, net, 32); // gradient in batch.grad
 * annAdamStep(batch, 32, 1, 1e-3);                     // net updated
 * ```
 */
import { activateRange, scaleBySlopeRange } from './activations.ts';
import { type AnnAutoencoder, type AnnSpec, annFromParams, annParameterCount } from './ann.ts';
import { type DenseWorkspace, createDenseWorkspace, fillRows } from './denseKernels.ts';
import { DEFAULT_ADAM, NO_FLOOR } from '../train/adam.ts';

/** Row-major batch buffers (maxBatch rows each) and a gradient laid out like the parameters. */
export interface AnnBatch {
  readonly maxBatch: number;
  readonly spec: AnnSpec;
  readonly kernels: DenseWorkspace;
  /** [W1, b1, W2, b2] in the kernels' memory (see {@link annInBatch}); Adam's m and v beside. */
  readonly params: Float64Array;
  readonly m: Float64Array;
  readonly v: Float64Array;
  /** W1ᵀ (inputSize × hidden) and W2ᵀ (hidden × outputSize), remade every pass. */
  readonly w1T: Float64Array;
  readonly w2T: Float64Array;
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

export const allocAnnBatch = (spec: AnnSpec, maxBatch: number): AnnBatch => {
  if (!Number.isInteger(maxBatch) || maxBatch < 1) throw new RangeError(`ann batch: maxBatch must be a positive integer, got ${maxBatch}`);
  const { inputSize: n, hidden: h, outputSize: o } = spec;
  const P = annParameterCount(n, h, o);
  const [bn, bh, bo] = [maxBatch * n, maxBatch * h, maxBatch * o];
  const kernels = createDenseWorkspace([P, P, P, P, n * h, h * o, bn, bo, bh, bh, bo, bo, bo, bh]);
  const [params, m, v, grad, w1T, w2T, x, y, z1, a1, z2, a2, d2, d1] = kernels.views;
  const rows = (mat: Float64Array, w: number) => Array.from({ length: maxBatch }, (_, b) => mat.subarray(b * w, (b + 1) * w));
  const parts = annFromParams(spec, grad);
  return {
    maxBatch,
    spec: { inputSize: n, hidden: h, outputSize: o, encoder: spec.encoder, decoder: spec.decoder },
    kernels,
    params,
    m,
    v,
    w1T,
    w2T,
    x,
    y,
    xRows: rows(x, n),
    yRows: rows(y, o),
    z1,
    a1,
    z2,
    a2,
    d2,
    d1,
    grad,
    gW1: parts.w1,
    gB1: parts.b1,
    gW2: parts.w2,
    gB2: parts.b2,
  };
};

/** `net`'s parameters copied into the batch's parameter vector, as a network viewing it. */
export const annInBatch = (batch: AnnBatch, net: AnnAutoencoder): AnnAutoencoder => {
  checkShape(batch, net);
  batch.params.set(net.params);
  return annFromParams(net, batch.params);
};

const checkShape = (batch: AnnBatch, s: AnnSpec): void => {
  const b = batch.spec;
  if (b.inputSize !== s.inputSize || b.hidden !== s.hidden || b.outputSize !== s.outputSize) {
    throw new RangeError(
      `ann batch: made for ${b.inputSize}-${b.hidden}-${b.outputSize}, got a ${s.inputSize}-${s.hidden}-${s.outputSize} network`,
    );
  }
};

const checkBatch = (batch: AnnBatch, count: number): void => {
  if (!Number.isInteger(count) || count < 1 || count > batch.maxBatch) {
    throw new RangeError(`ann batch: expected 1..${batch.maxBatch} examples, got ${count}`);
  }
};

/** The batch's own view of `net` (copying net's parameters in unless made by annInBatch). */
const paramsOf = (batch: AnnBatch, net: AnnAutoencoder): AnnAutoencoder => {
  checkShape(batch, net);
  const p = net.params;
  if (p.buffer === batch.params.buffer && p.byteOffset === batch.params.byteOffset) return net;
  batch.params.set(p);
  return annFromParams(net, batch.params);
};

/** Forward pass of the first `count` rows of batch.x: writes z1, a1, z2, a2. */
export const annForwardBatch = (batch: AnnBatch, net: AnnAutoencoder, count: number): Float64Array => {
  checkBatch(batch, count);
  return forward(batch, paramsOf(batch, net), count);
};

const forward = (batch: AnnBatch, net: AnnAutoencoder, count: number): Float64Array => {
  const { inputSize: n, hidden: h, outputSize: o, encoder, decoder } = net;
  const { kernels: k, x, z1, a1, z2, a2, w1T, w2T } = batch;
  // Z1 = b1 + X W1ᵀ, then Z2 = b2 + A1 W2ᵀ (W rows are neurons; the kernels want Wᵀ's rows)
  k.gemmAdd(fillRows(z1, net.b1, count, h), x, n, 1, k.transpose(w1T, net.w1, h, n), h, count, h, n);
  activateRange(encoder, a1, z1, count * h);
  k.gemmAdd(fillRows(z2, net.b2, count, o), a1, h, 1, k.transpose(w2T, net.w2, o, h), o, count, o, h);
  if (decoder === 'sigmoid') k.sigmoid(a2, z2, count * o);
  else activateRange(decoder, a2, z2, count * o);
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
  checkBatch(batch, count);
  const own = paramsOf(batch, net);
  forward(batch, own, count);
  const { inputSize: n, hidden: h, outputSize: o, encoder, decoder } = own;
  const { kernels: kk, x, y, z1, a1, z2, a2, d2, d1, gB1, gB2 } = batch;
  // D2 = (2/o)(A2 − Y)·g'(Z2) and the losses, ∂b2 = Σ rows of D2
  const scale = 2 / o;
  const loss = kk.outputError(d2, a2, y, count, o, scale, lossStart);
  if (decoder === 'sigmoid') kk.sigmoidSlope(d2, a2, count * o);
  else scaleBySlopeRange(decoder, d2, z2, a2, count * o);
  kk.addRows(gB2, d2, count, o);
  // ∂W2 += D2ᵀ A1 (o × h, over the batch); D1 = D2 W2 (count × h, over the outputs)
  kk.gemmAdd(batch.gW2, d2, 1, o, a1, h, o, h, count);
  kk.gemmAdd(fillRows(d1, null, count, h), d2, o, 1, own.w2, h, count, h, o);
  scaleBySlopeRange(encoder, d1, z1, a1, count * h);
  kk.addRows(gB1, d1, count, h);
  // ∂W1 += D1ᵀ X (h × n, over the batch)
  kk.gemmAdd(batch.gW1, d1, 1, h, x, n, h, n, count);
  return loss;
};

/**
 * Adam (β1 0.9, β2 0.999, ε 1e-8; adamUpdateRange's arithmetic) on the batch's parameters — the
 * network {@link annInBatch} made — with the summed gradient in batch.grad over `count` examples,
 * at step `step` (1-based); m and v are the batch's (zero them to restart).
 */
export const annAdamStep = (batch: AnnBatch, count: number, step: number, learningRate: number): void =>
  batch.kernels.adam(batch.params, batch.grad, batch.m, batch.v, count, step, learningRate, DEFAULT_ADAM, NO_FLOOR);
