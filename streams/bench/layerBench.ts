/**
 * Throughput of the `spikingLayer` operator on a 784→32 layer (with its pulses): input events per
 * second, for samples delivered as one chunk each (structure of arrays) and as one object per
 * event. Each sample is its own subscription, as with windows of a live stream.
 *
 * The samples flow as one stream (`concatMap` over the samples). events/s = input spikes
 * processed / wall-clock seconds, repeated to ≥ `minSeconds`.
 */
import { concatMap, count, from, lastValueFrom } from 'rxjs';
import { type NeuronSpike, type NeuronSpikeChunk, type StreamLayer, spikingLayer } from '../operators/spikingLayer.ts';

export interface LayerBenchResult {
  readonly spikingLayerChunkedEventsPerSec: number;
  readonly spikingLayerPerEventEventsPerSec: number;
}

/** Samples (spike times of the layer's inputs, NO_SPIKE = Infinity) → time-ordered spikes. */
const toSpikes = (times: Float64Array): NeuronSpike[] =>
  Array.from(times, (time, neuron) => ({ neuron, time }))
    .filter((s) => s.time !== Infinity)
    .sort((a, b) => a.time - b.time || a.neuron - b.neuron);

const rate = async (
  samples: readonly (readonly (NeuronSpike | NeuronSpikeChunk)[])[],
  events: number,
  layer: StreamLayer,
  minSeconds: number,
): Promise<number> => {
  const op = spikingLayer(layer);
  // a stream of samples, each its own subscription, as windows of a live stream are
  const pass = () => lastValueFrom(from(samples).pipe(concatMap((s) => from(s).pipe(op)), count()));
  await pass(); // warm-up
  let n = 0;
  const t0 = performance.now();
  let elapsed = 0;
  do {
    await pass();
    n += events;
    elapsed = (performance.now() - t0) / 1000;
  } while (elapsed < minSeconds);
  return n / elapsed;
};

export const benchSpikingLayer = async (
  layer: StreamLayer,
  inputs: readonly Float64Array[],
  minSeconds = 1,
): Promise<LayerBenchResult> => {
  const perEvent = inputs.map(toSpikes);
  const events = perEvent.reduce((s, x) => s + x.length, 0);
  const chunked = perEvent.map((spikes): NeuronSpikeChunk[] => [
    {
      count: spikes.length,
      neuron: Int32Array.from(spikes, (s) => s.neuron),
      time: Float64Array.from(spikes, (s) => s.time),
    },
  ]);
  return {
    spikingLayerChunkedEventsPerSec: await rate(chunked, events, layer, minSeconds),
    spikingLayerPerEventEventsPerSec: await rate(perEvent, events, layer, minSeconds),
  };
};
