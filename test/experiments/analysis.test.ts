import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/data/rng.ts';
import { histogram } from '../../src/experiments/dynamics.ts';
import type { Embeddings } from '../../src/experiments/embeddings.ts';
import { decoderOf } from '../../src/experiments/interpolation.ts';
import { svmAccuracy } from '../../src/experiments/svm.ts';
import { tsne2d } from '../../src/experiments/tsne.ts';
import { forward } from '../../src/model/forward.ts';
import { initNetwork } from '../../src/model/init.ts';
import { gaussianSampler } from '../../src/data/rng.ts';

const clusters = (n: number, seed: number): { e: Embeddings; labels: number[] } => {
  const rng = createRng(seed);
  const dim = 5;
  const values = new Float64Array(n * dim);
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    labels.push(c);
    for (let j = 0; j < dim; j++) values[i * dim + j] = (j === c ? 8 : 0) + rng.nextGaussian();
  }
  return { e: { count: n, dim, values }, labels };
};

describe('analyses', () => {
  it('SVM separates separable clusters and is at chance on shuffled labels', async () => {
    const tr = clusters(90, 1);
    const te = clusters(60, 2);
    expect((await svmAccuracy(tr.e, tr.labels, te.e, te.labels)).accuracy).toBeGreaterThan(0.9);
    const r = createRng(9);
    const shuffled = tr.labels.map(() => r.nextInt(3)); // labels unrelated to the features
    expect((await svmAccuracy(tr.e, shuffled, te.e, te.labels)).accuracy).toBeLessThan(0.7);
  });

  it('t-SNE keeps clusters apart (nearest neighbour in 2-D has the same class)', () => {
    const { e, labels } = clusters(60, 3);
    const xy = tsne2d(e, { perplexity: 10, iterations: 300 });
    let same = 0;
    for (let i = 0; i < e.count; i++) {
      let best = -1;
      let bd = Infinity;
      for (let j = 0; j < e.count; j++) {
        if (j === i) continue;
        const d = (xy[2 * i] - xy[2 * j]) ** 2 + (xy[2 * i + 1] - xy[2 * j + 1]) ** 2;
        if (d < bd) { bd = d; best = j; }
      }
      if (labels[best] === labels[i]) same++;
    }
    expect(same / e.count).toBeGreaterThan(0.9);
    expect(tsne2d(e, { perplexity: 10, iterations: 300 })).toEqual(xy); // deterministic (PCA start)
  });

  it('the decoder network reproduces the full network on the hidden spike times', () => {
    const net = initNetwork({ layerSizes: [6, 4, 6], nPulses: 2, decayRate: 1, threshold: 0.3 }, { nonpulseWeightMeanMultiplier: 2, pulseWeightMeanMultiplier: 2 }, gaussianSampler(4));
    const full = forward(net, [0.1, 0.5, Infinity, 0.2, 0.9, 0.3]);
    expect(forward(decoderOf(net), full.layerTimes[0]).output).toEqual(full.output);
  });

  it('histogram densities sum to 1 over in-range values', () => {
    const h = histogram([0.1, 0.2, 0.3, 5, Infinity], 0, 1, 4);
    expect(h.count).toBe(3);
    expect(h.density.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(h.density[0]).toBeCloseTo(2 / 3, 12);
  });
});
