/**
 * `embedding(options)`: one sample's hidden-layer spikes → a vector for downstream tools (PCA,
 * t-SNE, SVM): entry k is hidden neuron k's first spike time minus `offset` (default 0), or
 * `silentValue` if it did not fire (default `NO_SPIKE` = +∞, which keeps the information exact;
 * pass a finite value such as the largest time of interest for tools that need finite numbers).
 *
 * Emits one `Float64Array` of `size` entries when the sample completes.
 *
 * ## Example
 * ```ts
 * sample$.pipe(spikingLayer(layerOf(net, 0)), embedding({ size: 32, silentValue: 4 }));
 * ```
 */
import { type OperatorFunction, map } from 'rxjs';
import { NO_SPIKE } from '../../src/kernels/neuronModel.ts';
import { firstSpikeTimes } from '../sample.ts';
import { type Spikes } from '../spike.ts';

export interface EmbeddingOptions {
  /** Number of neurons of the layer. */
  readonly size: number;
  /** Value for a neuron that did not fire (default NO_SPIKE). */
  readonly silentValue?: number;
  /** Subtracted from every spike time (default 0). */
  readonly offset?: number;
}

/** Writes the embedding of per-neuron times into `out` (same length); returns `out`. */
export const embeddingInto = (
  out: Float64Array,
  times: Float64Array,
  silentValue: number = NO_SPIKE,
  offset = 0,
): Float64Array => {
  if (out.length !== times.length) {
    throw new RangeError(`embeddingInto: out has ${out.length} entries for ${times.length} times`);
  }
  for (let k = 0; k < times.length; k++) out[k] = times[k] === NO_SPIKE ? silentValue : times[k] - offset;
  return out;
};

export const embedding = (options: EmbeddingOptions): OperatorFunction<Spikes, Float64Array> => {
  const silentValue = options.silentValue ?? NO_SPIKE;
  const offset = options.offset ?? 0;
  return (source) =>
    source.pipe(
      firstSpikeTimes(options.size),
      map((times) => embeddingInto(times, times, silentValue, offset)),
    );
};
