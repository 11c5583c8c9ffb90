/**
 * `spikingLayer(layer)`: an RxJS operator that runs one layer of neurons on a sample's input
 * spikes as they arrive, with the incremental form of the layer kernel — the alpha stream kernel
 * (`src/kernels/layerStream.ts`) for alpha layers, the generic one
 * (`src/kernels/layerStreamModel.ts`) for any other {@link NeuronModel} — deciding every
 * interval with the same arithmetic as training, so its spike times equal those of `forward`,
 * bit for bit (the stream ≡ batch law, `laws/streamLaws.ts`).
 *
 * Input: one sample — a finite stream of spikes `{ neuron, time }` (or chunks of them) in
 * non-decreasing time order; equal-time spikes may come in any order. A neuron's first spike
 * counts (time-to-first-spike coding); later ones are ignored. The layer's synchronisation pulses
 * are added by the operator itself; the layer's weights and pulses are read when the operator is
 * created (later changes are not seen). Output: each post-synaptic neuron's spike `{ neuron, time }`,
 * at most once, in time order (ties by neuron index), emitted as soon as it is certain — when an
 * input with a later time arrives, or when the sample completes — never later.
 *
 * State (sums, pending tie group) lives inside each subscription.
 *
 * ## Example
 * ```ts
 * from([{ neuron: 0, time: 0.1 }, { neuron: 1, time: 0.4 }])
 *   .pipe(spikingLayer(layerOf(network, 0)))
 *   .subscribe((s) => console.log(s.neuron, s.time));
 * ```
 */
import { Observable, type OperatorFunction } from 'rxjs';
import {
  allocLayerStream,
  resetLayerStream,
  streamAddGroup,
  transposeWeights,
  streamAdvance,
  type LayerStreamState,
} from '../../src/kernels/layerStream.ts';
import {
  allocModelLayerStream,
  modelStreamAddGroup,
  modelStreamAdvance,
  resetModelLayerStream,
} from '../../src/kernels/layerStreamModel.ts';
import { alphaModel } from '../../src/kernels/alpha.ts';
import type { NeuronModel } from '../../src/kernels/neuronModel.ts';
import type { Network } from '../../src/model/network.ts';
import { type Spike, type SpikeChunk, isSpikeChunk } from '../spike.ts';

/** A spike of neuron `neuron` at `time` (dimensionless time, as in training). */
export type NeuronSpike = Spike;
/** Many spikes in structure-of-arrays form, in time order. */
export type NeuronSpikeChunk = SpikeChunk;

/** One layer: weights nOut × (nRegular + pulses.length), row = post neuron; pulse times. */
export interface StreamLayer {
  readonly weights: Float64Array;
  readonly nRegular: number;
  readonly nOut: number;
  readonly pulses: Float64Array;
  readonly decayRate: number;
  readonly threshold: number;
  /** The neuron model (default: the alpha neuron). */
  readonly neuron?: NeuronModel;
}

/** One subscription's incremental layer kernel, alpha or generic, behind one face. */
interface StreamKernel {
  readonly firedNow: Int32Array;
  readonly spikeTime: Float64Array;
  advance(t: number): number;
  addGroup(t: number, inputs: Int32Array, count: number): void;
  reset(): void;
}

const alphaStreamKernel = (s: LayerStreamState): StreamKernel => ({
  firedNow: s.firedNow,
  spikeTime: s.post.spikeTime,
  advance: (t) => streamAdvance(s, t),
  addGroup: (t, inputs, count) => streamAddGroup(s, t, inputs, count),
  reset: () => void resetLayerStream(s),
});

const modelStreamKernel = (layer: StreamLayer, weights: Float64Array, neuron: NeuronModel, nIn: number): StreamKernel => {
  const s = allocModelLayerStream(weights, nIn, layer.nOut, neuron, layer);
  return {
    firedNow: s.firedNow,
    spikeTime: s.post.spikeTime,
    advance: (t) => modelStreamAdvance(s, t),
    addGroup: (t, inputs, count) => modelStreamAddGroup(s, t, inputs, count),
    reset: () => void resetModelLayerStream(s),
  };
};

interface SubscriptionBuffers {
  readonly s: StreamKernel;
  readonly seen: Uint8Array;
  readonly group: Int32Array;
}

/** Weight layer l of a network as a {@link StreamLayer} (views, no copies). */
export const layerOf = (net: Network, l: number): StreamLayer => ({
  weights: net.weights[l],
  nRegular: net.layerSizes[l],
  nOut: net.layerSizes[l + 1],
  pulses: net.pulses[l],
  decayRate: net.decayRate,
  threshold: net.threshold,
  neuron: net.neuron,
});


export const spikingLayer = (
  layer: StreamLayer,
): OperatorFunction<NeuronSpike | NeuronSpikeChunk, NeuronSpike> => {
  const nIn = layer.nRegular + layer.pulses.length;
  const neuron = layer.neuron ?? alphaModel;
  // The operator reads the layer as it is now (a transposed copy for the alpha kernel, a copy for
  // the generic one): later changes to `layer.weights` are not seen.
  const alpha = neuron === alphaModel;
  const weightsNow = alpha ? transposeWeights(layer.weights, nIn, layer.nOut) : layer.weights.slice();
  const kernel = (): StreamKernel =>
    alpha
      ? alphaStreamKernel(allocLayerStream(weightsNow, nIn, layer.nOut, layer.decayRate, layer.threshold))
      : modelStreamKernel(layer, weightsNow, neuron, nIn);
  // pulses in time order (stable by index)
  const pulseOrder = Int32Array.from(
    Array.from(layer.pulses, (_, p) => p).sort((a, b) => layer.pulses[a] - layer.pulses[b] || a - b),
  );
  // Buffers of finished subscriptions, reused by later ones (a window stream subscribes once per
  // sample). Each live subscription owns its buffers exclusively; they are reset on reuse.
  const free: SubscriptionBuffers[] = [];
  const take = (): SubscriptionBuffers => {
    const b = free.pop();
    if (b === undefined) {
      return {
        s: kernel(),
        seen: new Uint8Array(layer.nRegular),
        group: new Int32Array(nIn),
      };
    }
    b.s.reset();
    b.seen.fill(0);
    return b;
  };
  return (source) =>
    new Observable<NeuronSpike>((subscriber) => {
      const buffers = take();
      const { s, seen, group } = buffers;
      let nextPulse = 0;
      let groupSize = 0;
      let groupTime = -Infinity;

      const emit = (n: number) => {
        for (let i = 0; i < n; i++) {
          const k = s.firedNow[i];
          subscriber.next({ neuron: k, time: s.spikeTime[k] });
        }
      };
      const addGroup = () => {
        if (groupSize === 0) return;
        // canonical order, as the batch's stable sort: by input index (regular, then pulses);
        // chunked samples usually arrive in that order already
        let ordered = true;
        for (let i = 1; i < groupSize && ordered; i++) ordered = group[i - 1] < group[i];
        if (!ordered) group.subarray(0, groupSize).sort();
        s.addGroup(groupTime, group, groupSize);
        groupSize = 0;
      };
      const nRegular = layer.nRegular;
      const pulses = layer.pulses;
      const nPulses = pulseOrder.length;
      let nextPulseTime = nPulses > 0 ? pulses[pulseOrder[0]] : Infinity;
      /** Queues the pulses at exactly `t` into the current group. */
      const takePulsesAt = (t: number) => {
        while (nextPulse < nPulses && nextPulseTime === t) {
          group[groupSize++] = nRegular + pulseOrder[nextPulse++];
          nextPulseTime = nextPulse < nPulses ? pulses[pulseOrder[nextPulse]] : Infinity;
        }
      };
      /**
       * Moves time forward to t: finishes the pending group, then the pulses before t (each its
       * own group), and queues the pulses at t. With `scan`, every interval is scanned as it
       * closes and its spikes emitted; without, the groups are only appended (see onChunk).
       */
      const moveTo = (t: number, scan: boolean) => {
        addGroup();
        while (nextPulseTime < t) {
          const tp = nextPulseTime;
          if (scan) emit(s.advance(tp));
          groupTime = tp;
          takePulsesAt(tp);
          addGroup();
        }
        if (scan) emit(s.advance(t));
        groupTime = t;
        takePulsesAt(t);
      };
      /**
       * Within a chunk every time is known at once: the groups (and the pulses between them) are
       * only appended, and one scan at the chunk's end covers them all — the same sums in the same
       * order, so the same spike times, as one scan per group (the batch kernel scans a whole
       * sample in one call too), with the per-group call overhead paid once per chunk.
       */
      let unscanned = false;
      /** Scans what a chunk appended, up to its last time, and emits the spikes now certain. */
      const scanAppended = () => {
        if (!unscanned) return;
        unscanned = false;
        emit(s.advance(groupTime));
      };
      /** Accepts input j's spike at t: false when it is to be ignored (never / not its first). */
      const accept = (j: number, t: number): boolean => {
        if (!(j >= 0 && j < nRegular && (j | 0) === j)) {
          throw new RangeError(`spikingLayer: input neuron ${j} outside 0..${nRegular - 1}`);
        }
        if (!(t >= groupTime)) {
          if (Number.isNaN(t)) throw new RangeError(`spikingLayer: input neuron ${j} spikes at NaN`);
          throw new RangeError(`spikingLayer: spike of input ${j} at ${t} arrived after time ${groupTime} (a sample must be in time order)`);
        }
        if (t === Infinity || seen[j] === 1) return false;
        seen[j] = 1;
        return true;
      };
      const onSpike = (j: number, t: number) => {
        if (!accept(j, t)) return;
        if (t > groupTime) moveTo(t, true);
        group[groupSize++] = j;
      };
      const onChunk = (c: NeuronSpikeChunk) => {
        try {
          for (let i = 0; i < c.count; i++) {
            const j = c.neuron[i];
            const t = c.time[i];
            if (!accept(j, t)) continue;
            if (t > groupTime) {
              moveTo(t, false);
              unscanned = true;
            }
            group[groupSize++] = j;
          }
        } finally {
          scanAppended(); // what came before a bad spike is still certain
        }
      };

      const subscription = source.subscribe({
        next: (x) => {
          try {
            if (isSpikeChunk(x)) onChunk(x);
            else onSpike(x.neuron, x.time);
          } catch (e) {
            subscriber.error(e);
          }
        },
        error: (e) => subscriber.error(e),
        complete: () => {
          moveTo(Infinity, true);
          subscriber.complete();
        },
      });
      return () => {
        subscription.unsubscribe();
        free.push(buffers);
      };
    });
};

/**
 * `spikingNetwork(network)`: every layer of a network in sequence on one sample; emits the
 * output layer's spikes. (Each layer is a {@link spikingLayer}.)
 */
export const spikingNetwork =
  (net: Network): OperatorFunction<NeuronSpike | NeuronSpikeChunk, NeuronSpike> =>
  (source) =>
    net.weights.reduce<Observable<NeuronSpike | NeuronSpikeChunk>>(
      (acc, _, l) => acc.pipe(spikingLayer(layerOf(net, l))),
      source,
    ) as Observable<NeuronSpike>;
