/**
 * The batched ANN baseline (matrix products over the batch) computes exactly what the
 * per-example functions compute: same reconstruction, same summed loss, same gradient bit for bit,
 * for shapes that do and do not fill the kernels' 4 × 4 blocks; and training steps with the SIMD
 * Adam equal the plain-JS per-example passes with adamUpdateRange, bit for bit.
 */
import { describe, expect, it } from 'vitest';
import { allocAnnBatch, annAdamStep, annForwardBatch, annInBatch, annTrainBatchInto } from '../../src/baseline/annBatch.ts';
import { DEFAULT_ADAM, NO_FLOOR, adamUpdateRange } from '../../src/train/adam.ts';
import { allocAnnTape, annBackwardInto, annForwardInto, initAnn } from '../../src/baseline/ann.ts';
import { createRng } from '../../src/data/rng.ts';

const cases = [
  { n: 13, h: 6, batch: 5, encoder: 'relu', decoder: 'sigmoid' },
  { n: 16, h: 8, batch: 4, encoder: 'elu', decoder: 'tanh' },
  { n: 9, h: 3, batch: 1, encoder: 'gaussian', decoder: 'sigmoid' },
  { n: 30, h: 5, batch: 7, encoder: 'relu', decoder: 'sigmoid' },
] as const;

describe('batched ANN baseline', () => {
  it.each(cases)('equals the per-example passes bit for bit: $n-$h-$n, batch $batch, $encoder/$decoder', ({ n, h, batch, encoder, decoder }) => {
    const spec = { inputSize: n, hidden: h, outputSize: n, encoder, decoder };
    const net = initAnn(spec, createRng(5));
    const rng = createRng(9);
    for (let j = 0; j < h; j++) net.b1[j] = 0.5 * rng.nextGaussian();
    for (let k = 0; k < n; k++) net.b2[k] = 0.1 * rng.nextGaussian();
    const xs = Array.from({ length: batch }, () => Float64Array.from({ length: n }, () => rng.nextFloat()));
    const ys = Array.from({ length: batch }, () => Float64Array.from({ length: n }, () => rng.nextFloat()));

    const tape = allocAnnTape(net);
    const grad = new Float64Array(net.params.length);
    let loss = 0;
    const outs = xs.map((x, b) => {
      const out = annForwardInto(tape, net, x).slice();
      loss += annBackwardInto(grad, tape, net, x, ys[b]);
      return out;
    });

    const B = allocAnnBatch(net, batch + 2);
    xs.forEach((x, b) => B.xRows[b].set(x));
    ys.forEach((y, b) => B.yRows[b].set(y));
    expect(annTrainBatchInto(B, net, batch)).toBe(loss);
    expect(Array.from(B.grad)).toEqual(Array.from(grad));
    expect(grad.some((g) => g !== 0)).toBe(true);
    annForwardBatch(B, net, batch);
    expect(Array.from(B.a2.subarray(0, batch * n))).toEqual(outs.flatMap((o) => Array.from(o)));
  });

  it('refuses a batch larger than its buffers', () => {
    const net = initAnn({ inputSize: 4, hidden: 2, outputSize: 4, encoder: 'relu', decoder: 'sigmoid' }, createRng(1));
    expect(() => annForwardBatch(allocAnnBatch(net, 3), net, 4)).toThrow(/1\.\.3 examples, got 4/);
  });

  it('training in the batch (SIMD products and Adam) equals per-example passes with adamUpdateRange, step for step', () => {
    const spec = { inputSize: 21, hidden: 6, outputSize: 21, encoder: 'relu', decoder: 'sigmoid' } as const;
    const rng = createRng(3);
    const data = Array.from({ length: 24 }, () => Float64Array.from({ length: 21 }, () => (rng.nextFloat() < 0.3 ? rng.nextFloat() : 0)));
    const start = initAnn(spec, createRng(8));
    const B = allocAnnBatch(spec, 5);
    const fast = annInBatch(B, start);
    const slow = initAnn(spec, createRng(8));
    const tape = allocAnnTape(slow);
    const grad = new Float64Array(slow.params.length);
    const [m, v] = [new Float64Array(grad.length), new Float64Array(grad.length)];
    let [fastLoss, slowLoss] = [0, 0];
    const firstLoss: number[] = [];
    for (let epoch = 0, step = 0; epoch < 4; epoch++) {
      for (let from = 0; from < data.length; from += 5) {
        const to = Math.min(data.length, from + 5);
        step++;
        B.grad.fill(0);
        for (let b = from; b < to; b++) {
          B.xRows[b - from].set(data[b]);
          B.yRows[b - from].set(data[b]);
        }
        fastLoss = annTrainBatchInto(B, fast, to - from, fastLoss);
        annAdamStep(B, to - from, step, 0.01);
        grad.fill(0);
        for (let b = from; b < to; b++) {
          annForwardInto(tape, slow, data[b]);
          slowLoss += annBackwardInto(grad, tape, slow, data[b], data[b]);
        }
        adamUpdateRange(slow.params, grad, m, v, 0, grad.length, to - from, step, 0.01, DEFAULT_ADAM, NO_FLOOR);
      }
      expect(fastLoss).toBe(slowLoss);
      firstLoss.push(fastLoss);
      fastLoss = slowLoss = 0;
      expect(fast.params).toEqual(slow.params);
    }
    expect(firstLoss[3]).toBeLessThan(firstLoss[0]);
  });
});
