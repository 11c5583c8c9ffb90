/**
 * Spikes: what neurons say. A spike of neuron `neuron` (0-based index in its layer or input grid)
 * at `time` (dimensionless, the time unit of training: input spikes lie in [0, 1), a network's
 * output around 1 + latency). `NO_SPIKE` (+∞) is never carried as a spike: a neuron that does not
 * fire simply has no spike.
 *
 * Two forms carry the same data:
 * - {@link Spike} `{ neuron, time }`: one object per spike (friendly, for tests and small data);
 * - {@link SpikeChunk}: `count` spikes as a structure of typed arrays (throughput). The arrays may
 *   be longer than `count`; only the first `count` entries are spikes.
 *
 * Every operator of `streams/` that takes spikes takes either form, in any mix, and gives the same
 * result ("chunked ≡ unchunked", a property tested for each operator).
 *
 * ## Example
 * ```ts
 * const chunk = spikeChunkFromTimes(new Float64Array([0.5, Infinity, 0.25])); // neurons 2, 0
 * spikesOf(chunk); // [{ neuron: 2, time: 0.25 }, { neuron: 0, time: 0.5 }]
 * ```
 */
import { NO_SPIKE } from '../src/kernels/neuronModel.ts';

/** One spike (the friendly, allocating form). */
export interface Spike {
  readonly neuron: number;
  readonly time: number;
}

/** `count` spikes as a structure of typed arrays (the fast form), usually in time order. */
export interface SpikeChunk {
  readonly count: number;
  readonly neuron: Int32Array;
  readonly time: Float64Array;
}

/** Either form of spikes: one spike or a chunk of them. */
export type Spikes = Spike | SpikeChunk;

/** True for a {@link SpikeChunk}, false for a single {@link Spike}. */
export const isSpikeChunk = (x: Spikes): x is SpikeChunk => typeof (x as SpikeChunk).count === 'number';

/** A chunk with room for `capacity` spikes and `count` = 0 (caller-owned output). */
export const allocSpikeChunk = (capacity: number): SpikeChunk => ({
  count: 0,
  neuron: new Int32Array(capacity),
  time: new Float64Array(capacity),
});

/** A chunk holding exactly `spikes`, in order. */
export const spikeChunkFrom = (spikes: readonly Spike[]): SpikeChunk => {
  const n = spikes.length;
  const neuron = new Int32Array(n);
  const time = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    neuron[i] = spikes[i].neuron;
    time[i] = spikes[i].time;
  }
  return { count: n, neuron, time };
};

/** Spike `index` (0 ≤ index < chunk.count) as an object. */
export const spikeAt = (chunk: SpikeChunk, index: number): Spike => {
  if (!(index >= 0 && index < chunk.count)) {
    throw new RangeError(`spikeAt: index ${index} outside [0, ${chunk.count})`);
  }
  return { neuron: chunk.neuron[index], time: chunk.time[index] };
};

/** All spikes of `items` (spikes and chunks, in order) as objects (tests and small data only). */
export const spikesOf = (items: Spikes | readonly Spikes[]): Spike[] => {
  const list: readonly Spikes[] = Array.isArray(items) ? items : [items as Spikes];
  const out: Spike[] = [];
  for (const x of list) {
    if (isSpikeChunk(x)) for (let i = 0; i < x.count; i++) out.push({ neuron: x.neuron[i], time: x.time[i] });
    else out.push({ neuron: x.neuron, time: x.time });
  }
  return out;
};

/** The spikes of several items (spikes or chunks) concatenated into one compact chunk. */
export const concatSpikes = (items: readonly Spikes[]): SpikeChunk => {
  let n = 0;
  for (const x of items) n += isSpikeChunk(x) ? x.count : 1;
  const neuron = new Int32Array(n);
  const time = new Float64Array(n);
  let at = 0;
  for (const x of items) {
    if (isSpikeChunk(x)) {
      neuron.set(x.neuron.subarray(0, x.count), at);
      time.set(x.time.subarray(0, x.count), at);
      at += x.count;
    } else {
      neuron[at] = x.neuron;
      time[at] = x.time;
      at++;
    }
  }
  return { count: n, neuron, time };
};

/**
 * The sample of a per-neuron time vector: one spike per neuron whose time is not `NO_SPIKE`
 * (NaN is rejected), sorted by time, ties by neuron index — the order `forward` uses.
 */
export const spikeChunkFromTimes = (times: ArrayLike<number>): SpikeChunk => {
  let n = 0;
  for (let k = 0; k < times.length; k++) {
    const t = times[k];
    if (Number.isNaN(t)) throw new RangeError(`spikeChunkFromTimes: neuron ${k} has time NaN`);
    if (t !== NO_SPIKE) n++;
  }
  const neuron = new Int32Array(n);
  let at = 0;
  for (let k = 0; k < times.length; k++) if (times[k] !== NO_SPIKE) neuron[at++] = k;
  neuron.sort((a, b) => times[a] - times[b] || a - b);
  const time = new Float64Array(n);
  for (let i = 0; i < n; i++) time[i] = times[neuron[i]];
  return { count: n, neuron, time };
};

/**
 * Writes each neuron's first spike time (in arrival order: the first spike of a neuron counts,
 * later ones are ignored) into `out`, `NO_SPIKE` for the silent; returns `out`. Spikes of neurons
 * outside 0..out.length−1 throw a RangeError naming the neuron.
 */
export const firstSpikeTimesInto = (out: Float64Array, items: readonly Spikes[]): Float64Array => {
  out.fill(NO_SPIKE);
  const n = out.length;
  const put = (k: number, t: number): void => {
    if (!(k >= 0 && k < n)) throw new RangeError(`firstSpikeTimes: neuron ${k} outside 0..${n - 1}`);
    if (out[k] === NO_SPIKE) out[k] = t;
  };
  for (const x of items) {
    if (isSpikeChunk(x)) for (let i = 0; i < x.count; i++) put(x.neuron[i], x.time[i]);
    else put(x.neuron, x.time);
  }
  return out;
};
