/**
 * Embeddings as feature vectors: the hidden-layer spike times of a spiking autoencoder, or the
 * hidden activations of an ANN, for the first `count` examples of a set, row-major in one
 * `Float64Array` (count × H). A hidden neuron that does not spike gets `noSpikeTime` (finite, so
 * that distances and kernels stay defined).
 */
import type { AnnAutoencoder } from '../baseline/ann.ts';
import { allocAnnTape, annEncodeInto } from '../baseline/ann.ts';
import type { AnnExamples } from '../baseline/trainAnn.ts';
import type { EncodedExamples } from '../data/noise.ts';
import { forwardInto } from '../model/forward.ts';
import type { Network } from '../model/network.ts';
import { allocTape } from '../model/tape.ts';

export interface Embeddings {
  readonly count: number;
  readonly dim: number;
  readonly values: Float64Array;
}

/** Hidden spike times of the first `count` examples; no spike → `noSpikeTime`. */
export const snnEmbeddings = (net: Network, set: EncodedExamples, count: number, noSpikeTime: number): Embeddings => {
  const n = Math.min(count, set.count);
  const h = net.layerSizes[1];
  const tape = allocTape(net);
  const x = new Float64Array(net.layerSizes[0]);
  const values = new Float64Array(n * h);
  for (let i = 0; i < n; i++) {
    forwardInto(tape, net, set.inputInto(x, i));
    const t = tape.layers[0].post.spikeTime;
    for (let j = 0; j < h; j++) values[i * h + j] = t[j] === Infinity ? noSpikeTime : t[j];
  }
  return { count: n, dim: h, values };
};

/** Hidden activations of an ANN for the first `count` examples. */
export const annEmbeddings = (net: AnnAutoencoder, set: AnnExamples, count: number): Embeddings => {
  const n = Math.min(count, set.count);
  const h = net.hidden;
  const tape = allocAnnTape(net);
  const x = new Float64Array(net.inputSize);
  const values = new Float64Array(n * h);
  for (let i = 0; i < n; i++) values.set(annEncodeInto(tape, net, set.inputInto(x, i)), i * h);
  return { count: n, dim: h, values };
};

/** The inputs themselves as features (the "original space"). */
export const pixelFeatures = (set: AnnExamples, dim: number, count: number): Embeddings => {
  const n = Math.min(count, set.count);
  const values = new Float64Array(n * dim);
  const x = new Float64Array(dim);
  for (let i = 0; i < n; i++) values.set(set.inputInto(x, i), i * dim);
  return { count: n, dim, values };
};

/** Per-feature mean and standard deviation (std 0 → 1) of `e`. */
export const featureScale = (e: Embeddings): { mean: Float64Array; std: Float64Array } => {
  const mean = new Float64Array(e.dim);
  const std = new Float64Array(e.dim);
  for (let i = 0; i < e.count; i++) for (let j = 0; j < e.dim; j++) mean[j] += e.values[i * e.dim + j];
  for (let j = 0; j < e.dim; j++) mean[j] /= Math.max(1, e.count);
  for (let i = 0; i < e.count; i++) {
    for (let j = 0; j < e.dim; j++) {
      const d = e.values[i * e.dim + j] - mean[j];
      std[j] += d * d;
    }
  }
  for (let j = 0; j < e.dim; j++) {
    const s = Math.sqrt(std[j] / Math.max(1, e.count));
    std[j] = s > 1e-12 ? s : 1;
  }
  return { mean, std };
};

/** Rows of `e` standardised with (mean, std), as nested arrays (the form the libraries take). */
export const standardRows = (e: Embeddings, scale: { mean: Float64Array; std: Float64Array }): number[][] => {
  const rows: number[][] = [];
  for (let i = 0; i < e.count; i++) {
    const r = new Array<number>(e.dim);
    for (let j = 0; j < e.dim; j++) r[j] = (e.values[i * e.dim + j] - scale.mean[j]) / scale.std[j];
    rows.push(r);
  }
  return rows;
};
