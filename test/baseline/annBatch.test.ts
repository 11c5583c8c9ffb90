/**
 * The batched ANN baseline (matrix products over the batch) computes exactly what the
 * per-example functions compute: same reconstruction, same summed loss, same gradient bit for bit,
 * for shapes that do and do not fill the kernels' 2 × 4 blocks.
 */
import { describe, expect, it } from 'vitest';
import { allocAnnBatch, annForwardBatch, annTrainBatchInto } from '../../src/baseline/annBatch.ts';
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
});
