/**
 * The shared-memory layout of data-parallel training, and the two phases of one step that every
 * participant (the main thread and each worker) runs on its share:
 *
 * 1. gradients: participant p takes examples [p·n/P, (p+1)·n/P) of the batch and writes each
 *    example's gradient into its own slot (and its loss into a loss slot);
 * 2. update: participant p takes a slice of the parameter vector, sums the slots *in example
 *    order* and applies Adam to that slice.
 *
 * Because every example has its own slot and the sum runs in example order, the result is the same
 * bit for bit whatever the number of participants, and equal to the sequential `trainStep`.
 */
import { type BackwardParams, gradientViews } from '../../model/backward.ts';
import { forwardInto } from '../../model/forward.ts';
import { type Network, type NetworkShape, networkFromParams, shapeParameterCount } from '../../model/network.ts';
import { type AdamHyper, NO_FLOOR, adamUpdateRange } from '../adam.ts';
import type { ExampleSet } from '../exampleSet.ts';
import { type Objective, autoencoderObjective, classificationObjective } from '../objective.ts';
import { type ExampleContext, accumulateExample, createExampleContext } from '../trainStep.ts';

/** Serialisable description of an objective (functions cannot cross a worker boundary). */
export type ObjectiveSpec =
  | { readonly kind: 'autoencoder'; readonly latency: number; readonly penaltyOutputSpikeTime: number }
  | { readonly kind: 'classification' };

export const objectiveOf = (s: ObjectiveSpec): Objective =>
  s.kind === 'autoencoder'
    ? autoencoderObjective(s.latency, s.penaltyOutputSpikeTime)
    : classificationObjective();

export interface SharedBuffers {
  readonly params: SharedArrayBuffer;
  readonly adamM: SharedArrayBuffer;
  readonly adamV: SharedArrayBuffer;
  /** maxBatch gradient slots of nParams doubles each. */
  readonly gradSlots: SharedArrayBuffer;
  readonly gradSum: SharedArrayBuffer;
  /** maxBatch losses of the gradient phase; then one partial loss sum per participant. */
  readonly lossSlots: SharedArrayBuffer;
  /** Example indices of the current batch (maxBatch int32). */
  readonly batch: SharedArrayBuffer;
  /** Control words, see {@link Control}. */
  readonly control: SharedArrayBuffer;
  /** Current learning rates [weights, pulses] (float64). */
  readonly rates: SharedArrayBuffer;
}

/** Indices into the control Int32Array. */
export const Control = {
  generation: 0, // bumped by the main thread for every phase it starts
  command: 1, // 1 = gradients, 2 = update, 3 = exit
  batchSize: 2,
  step: 3, // Adam step counter s (1-based) for the update phase
  done: 4, // participants finished with the current phase
  errors: 5, // participants that failed
  evalSet: 6, // which example set the evaluate phase reads
  evalCount: 7, // how many of its examples (from the start)
  length: 8,
} as const;

export const Command = { gradients: 1, update: 2, exit: 3, evaluate: 4 } as const;

export const allocSharedBuffers = (
  shape: NetworkShape,
  maxBatch: number,
  participants: number,
): SharedBuffers => {
  const n = shapeParameterCount(shape);
  return {
    params: new SharedArrayBuffer(n * 8),
    adamM: new SharedArrayBuffer(n * 8),
    adamV: new SharedArrayBuffer(n * 8),
    gradSlots: new SharedArrayBuffer(n * maxBatch * 8),
    gradSum: new SharedArrayBuffer(n * 8),
    lossSlots: new SharedArrayBuffer((maxBatch + participants) * 8),
    batch: new SharedArrayBuffer(maxBatch * 4),
    control: new SharedArrayBuffer(Control.length * 4),
    rates: new SharedArrayBuffer(16),
  };
};

/** Everything a participant needs, built over the shared buffers. */
export interface Participant {
  readonly index: number;
  readonly count: number;
  readonly net: Network;
  /** sets[0] is trained on; the others (validation, test, …) can be evaluated. */
  readonly sets: readonly ExampleSet[];
  readonly objective: Objective;
  readonly hyper: AdamHyper & BackwardParams;
  readonly m: Float64Array;
  readonly v: Float64Array;
  readonly slots: readonly Float64Array[];
  readonly slotViews: readonly ReturnType<typeof gradientViews>[];
  readonly gradSum: Float64Array;
  readonly losses: Float64Array;
  readonly batch: Int32Array;
  readonly control: Int32Array;
  readonly rates: Float64Array;
  readonly ctx: ExampleContext;
}

export const participant = (
  index: number,
  count: number,
  shape: NetworkShape,
  buffers: SharedBuffers,
  sets: readonly ExampleSet[],
  objectiveSpec: ObjectiveSpec,
  hyper: AdamHyper & BackwardParams,
): Participant => {
  const net = networkFromParams(shape, new Float64Array(buffers.params));
  const n = net.params.length;
  const maxBatch = new Int32Array(buffers.batch).length;
  const slots = Array.from(
    { length: maxBatch },
    (_, b) => new Float64Array(buffers.gradSlots, b * n * 8, n),
  );
  const objective = objectiveOf(objectiveSpec);
  return {
    index,
    count,
    net,
    sets,
    objective,
    hyper,
    m: new Float64Array(buffers.adamM),
    v: new Float64Array(buffers.adamV),
    slots,
    slotViews: slots.map((s) => gradientViews(net, s)),
    gradSum: new Float64Array(buffers.gradSum),
    losses: new Float64Array(buffers.lossSlots),
    batch: new Int32Array(buffers.batch),
    control: new Int32Array(buffers.control),
    rates: new Float64Array(buffers.rates),
    ctx: createExampleContext(net, objective, hyper),
  };
};

/** Parameters per block of the update phase (16 KiB of doubles). */
const UPDATE_BLOCK = 2048;

/** [lo, hi) of share p out of P of n items. */
export const shareOf = (n: number, p: number, P: number): [number, number] => [
  Math.floor((p * n) / P),
  Math.floor(((p + 1) * n) / P),
];

/**
 * Phase 1 for participant p: per-example gradients into their slots. Slots are all-zero here:
 * fresh buffers start so, and the sums below zero each entry right after reading it.
 *
 * Participant 0 holds the first examples of the batch, and (with fewer or equally many examples)
 * finishes first: it then starts the ordered sum over its own slots for the whole parameter
 * vector, g = (((0 + s_0) + s_1) + …), while the others still compute. The update phase continues
 * the same sum with the remaining slots, so the order — and every bit — stays that of one thread.
 */
export const gradientPhase = (p: Participant): void => {
  const n = Atomics.load(p.control, Control.batchSize);
  const [lo, hi] = shareOf(n, p.index, p.count);
  for (let b = lo; b < hi; b++) {
    p.losses[b] = accumulateExample(p.slotViews[b], p.ctx, p.sets[0], p.batch[b]);
  }
  if (p.index === 0) sumSlotsInto(p, 0, hi, 0, p.net.params.length, true);
};

/**
 * g[from, to) (+)= slots[b0], …, slots[b1 − 1] in that order, zeroing each slot entry after
 * reading it; `fresh` starts from 0 (0 + s, as a sequential sum would, so −0 becomes +0).
 */
const sumSlotsInto = (p: Participant, b0: number, b1: number, from: number, to: number, fresh: boolean): void => {
  const g = p.gradSum;
  for (let start = from; start < to; start += UPDATE_BLOCK) {
    const end = Math.min(to, start + UPDATE_BLOCK);
    if (fresh) for (let i = start; i < end; i++) g[i] = 0;
    for (let b = b0; b < b1; b++) {
      const slot = p.slots[b];
      for (let i = start; i < end; i++) {
        g[i] += slot[i];
        slot[i] = 0; // ready for the next batch, while the line is in cache
      }
    }
  }
};

/**
 * Evaluate phase for participant p: the summed loss of its share of the first `evalCount`
 * examples of set `evalSet`, into loss slot maxBatch + p.
 */
export const evaluatePhase = (p: Participant): void => {
  const set = p.sets[Atomics.load(p.control, Control.evalSet)];
  const n = Atomics.load(p.control, Control.evalCount);
  const [lo, hi] = shareOf(n, p.index, p.count);
  const { net, tape, input, target, objective } = p.ctx;
  let sum = 0;
  for (let i = lo; i < hi; i++) {
    const out = forwardInto(tape, net, set.inputInto(input, i));
    sum += objective.lossOf(out, set.targetInto(target, i));
  }
  p.losses[p.batch.length + p.index] = sum;
};

/**
 * Phase 2 for participant p: over its parameter slice, finish the ordered sum of the slots
 * (zeroing them for the next batch), then Adam.
 */
export const updatePhase = (p: Participant): void => {
  const n = Atomics.load(p.control, Control.batchSize);
  const s = Atomics.load(p.control, Control.step);
  const total = p.net.params.length;
  const [lo, hi] = shareOf(total, p.index, p.count);
  const g = p.gradSum;
  const wc = p.net.weightCount;
  const h = p.hyper;
  // participant 0 already summed the slots of its own examples (see gradientPhase)
  const first = shareOf(n, 0, p.count)[1];
  // In blocks that stay in L1: the rest of the ordered sum (zeroing the slots), then Adam.
  for (let start = lo; start < hi; start += UPDATE_BLOCK) {
    const end = Math.min(hi, start + UPDATE_BLOCK);
    sumSlotsInto(p, first, n, start, end, false);
    if (start < wc) {
      adamUpdateRange(p.net.params, g, p.m, p.v, start, Math.min(end, wc), n, s, p.rates[0], h, NO_FLOOR);
    }
    if (end > wc) {
      adamUpdateRange(p.net.params, g, p.m, p.v, Math.max(start, wc), end, n, s, p.rates[1], h, 0);
    }
  }
};
