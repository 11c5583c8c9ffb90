/**
 * 2-D t-SNE of embeddings (figure 5) with `tsne-js` (exact t-SNE), initialised with the first two
 * principal components (`ml-pca`, scaled to standard deviation 1e-4 as scikit-learn does) instead
 * of the library's `Math.random` start, perplexity 20 as in the paper. Deterministic for given
 * inputs.
 */
import { PCA } from 'ml-pca';
import TSNE from 'tsne-js';
import { type Embeddings, featureScale, standardRows } from './embeddings.ts';

export interface TsneOptions {
  readonly perplexity?: number;
  readonly iterations?: number;
  readonly learningRate?: number;
}

/** Returns count × 2 coordinates, row-major. */
export const tsne2d = (e: Embeddings, o: TsneOptions = {}): Float64Array => {
  const rows = standardRows(e, featureScale(e));
  const pca = new PCA(rows, { center: true });
  const proj = pca.predict(rows, { nComponents: 2 }).to2DArray();
  let sd = 0;
  for (const r of proj) sd += r[0] * r[0];
  sd = Math.sqrt(sd / Math.max(1, proj.length)) || 1;
  const model = new TSNE({
    dim: 2,
    perplexity: o.perplexity ?? 20,
    earlyExaggeration: 4,
    learningRate: o.learningRate ?? 200,
    nIter: o.iterations ?? 1000,
    metric: 'euclidean',
  });
  model.init({ data: rows, type: 'dense' });
  for (let i = 0; i < proj.length; i++) {
    model.outputEmbedding.set(i, 0, (1e-4 * proj[i][0]) / sd);
    model.outputEmbedding.set(i, 1, (1e-4 * (proj[i][1] ?? 0)) / sd);
  }
  model.run();
  const out = model.getOutput();
  const xy = new Float64Array(out.length * 2);
  for (let i = 0; i < out.length; i++) {
    xy[2 * i] = out[i][0];
    xy[2 * i + 1] = out[i][1];
  }
  return xy;
};
