/**
 * The shared-memory layout of parallel training, and the step that every participant (the main
 * thread and each worker) runs on its share. The output layer is most of the work, so a step
 * splits the *neurons* of each layer, not the examples. Participant p, in one go:
 *
 * 1. forward: the layers below the output layer, into per-example tapes in shared memory, split
 *    like their reverse passes: p sorts the inputs of its share of the batch's examples, then fires
 *    its range of the layer's neurons for every example, reading their weights in place from its
 *    own copies (see {@link forwardShare}); then it sorts the output layer's inputs of its share
 *    of the examples (each example then raises its `forward` signal);
 * 2. output layer: p's range of output neurons (see `balance.ts`: the main thread moves the
 *    ranges between steps toward equal work) for every example of the batch, in example order:
 *    their spike times, error and reverse pass, so their weight gradients are disjoint slices
 *    summed in example order; then Adam on those rows, and the losses of p's share of examples;
 * 3. each lower layer, from the top: p's range of its neurons, their error from the layer above,
 *    reverse pass and Adam on their rows (the lower layers' split starts even, on whole groups of
 *    the scan kernel's eight neurons where it can, the layer below the output layer with a group
 *    more for participant 0: see {@link firstLowerBounds}; the main thread moves that layer's
 *    split a group at a time toward participant 0 while the output layer's split shows the others
 *    slower, and back to where it started, see `balance.ts`, followOutput);
 *
 * and the last participant, which finishes the relay below, sums the pulse gradients and applies
 * Adam to the pulses (a few dozen values). The threads meet once per step: the main thread waits
 * for every worker's `done`, and starts the next step while the workers still spin (a worker that
 * had to sleep through the main thread's serial work would cost a wake-up per step). Whenever a
 * participant waits (for another's signal, or between steps), it sorts ahead the inputs of the
 * images it expects in its share of the next step (see {@link prefetchOne}).
 *
 * Only the error terms of a layer's inputs cross neuron ranges: input j's term is a sum over the
 * layer's neurons in neuron order. The participants add to it in a relay, one example at a time:
 * participant 0 starts example b's sums (`inputError[l][b]`, nIn values) from +0 with its
 * neurons and raises its `relay` signal of layer l to b + 1, participant 1 continues the sums with
 * its neurons, and so on; the last one's signal says the example is complete, which the layer
 * below waits for. Participant p works on example b while p − 1 is at example b + 1, so after the
 * first example the threads rarely wait (see `signals.ts`). Every sum runs in the order of the
 * sequential `trainStep`, and results are the same bit for bit for any number of participants.
 *
 * Two earlier designs, measured on the H=32 autoencoder at batch 7 with one worker: each
 * participant but the first wrote one row of terms per neuron (nOut × nIn values per example) for
 * the layer below to add up, which for the 784-neuron output layer cost as much as the reverse
 * pass it split (a second core gained nothing); and each of the three parts above was a phase of
 * its own, the threads meeting three times per step.
 */
import { availableParallelism } from 'node:os';
import { allocAlphaSolutions } from '../../kernels/alpha.ts';
import { type LayerGradientParams, layerBackwardRange } from '../../kernels/layerGradient.ts';
import { addDeferredInputError, layerBackwardRangeDeferred } from '../../kernels/layerGradientSimd.ts';
import { type PresortedInputs, allocPresortedInputs, presortInputs, sortLayerInputsMerged } from '../../kernels/presort.ts';
import { type LayerTape, allocLayerTape, layerFireRange, sortLayerInputs } from '../../kernels/layer.ts';
import { type BackwardParams, layerParamsOf } from '../../model/backward.ts';
import { forwardInto } from '../../model/forward.ts';
import { residentCopy } from '../../model/residentNetwork.ts';
import { adamUpdateResidentFinite, zeroResident } from '../../kernels/adamResident.ts';
import { type ResidentHolder, kernelMemory } from '../../kernels/wasmKernel.ts';
import {
  type Network,
  type NetworkShape,
  layerInputWidth,
  networkFromParams,
  shapeParameterCount,
} from '../../model/network.ts';
import { type AdamHyper, NO_FLOOR, adamUpdateRange } from '../adam.ts';
import type { ExampleSet } from '../exampleSet.ts';
import { type Objective, autoencoderObjective, classificationObjective } from '../objective.ts';
import { type ExampleContext, createExampleContext } from '../trainStep.ts';
import { allFiniteRange } from '../finite.ts';
import { SIGNAL_WORDS, awaitSignal, raiseSignal, signalReached, spinReadsFor } from './signals.ts';
import { SCAN_GROUP, evenSplit, headedSplit } from './balance.ts';

/** Serialisable description of an objective (functions cannot cross a worker boundary). */
export type ObjectiveSpec =
  | { readonly kind: 'autoencoder'; readonly latency: number; readonly penaltyOutputSpikeTime: number }
  | { readonly kind: 'classification' };

export const objectiveOf = (s: ObjectiveSpec): Objective =>
  s.kind === 'autoencoder'
    ? autoencoderObjective(s.latency, s.penaltyOutputSpikeTime)
    : classificationObjective();

/** Does the objective's error of output k depend on output k alone (so neuron ranges can split it)? */
const elementwiseError = (s: ObjectiveSpec): boolean => s.kind === 'autoencoder';

export interface SharedBuffers {
  readonly params: SharedArrayBuffer;
  readonly adamM: SharedArrayBuffer;
  readonly adamV: SharedArrayBuffer;
  /** tapes[l][b]: the forward tape of layer l < L−1 for batch slot b. */
  readonly tapes: readonly (readonly SharedArrayBuffer[])[];
  /**
   * outInputs[b]: the output layer's inputs for batch slot b, sorted by the participant that ran
   * b's forward pass (see {@link sharedTape}); none without a hidden layer.
   */
  readonly outInputs: readonly SharedArrayBuffer[];
  /** inputError[l]: maxBatch × nIn(l) error terms of layer l's inputs, summed over its neurons. */
  readonly inputError: readonly SharedArrayBuffer[];
  /** The step's signals between participants, see {@link Signals}. */
  readonly signals: SharedArrayBuffer;
  /** maxBatch × nOut(L−1) output spike times (for the losses). */
  readonly outTimes: SharedArrayBuffer;
  /**
   * maxBatch losses of a training step; then the evaluate phase's loss per example (as many as
   * the largest set), which the main thread sums in example order, as the sequential `evaluate`.
   */
  readonly lossSlots: SharedArrayBuffer;
  /** Example indices of the current batch (maxBatch int32). */
  readonly batch: SharedArrayBuffer;
  /**
   * The main thread's guess at the next batch (maxBatch int32, −1 past its end): the examples that
   * follow the current batch in the caller's order. The participants sort those examples' inputs
   * ahead while they wait (see {@link prefetchOne}); a wrong guess costs only that work.
   */
  readonly nextBatch: SharedArrayBuffer;
  /** Control words, see {@link Control}. */
  readonly control: SharedArrayBuffer;
  /** Current learning rates [weights, pulses] (float64). */
  readonly rates: SharedArrayBuffer;
  /** The evaluate phase's predicted class per example (int32, as many as the largest set). */
  readonly predicted: SharedArrayBuffer;
  /** The output layer's split: participant p's neurons are [bounds[p], bounds[p + 1]) (int32). */
  readonly bounds: SharedArrayBuffer;
  /** Each participant's own work in its last step share, ms (its time less its waits; float64). */
  readonly work: SharedArrayBuffer;
  /**
   * The split of each layer below the output layer (int32, (L − 1) × (P + 1)): participant p owns
   * neurons [bounds[l][p], bounds[l][p + 1]) of layer l. It moves only between steps, after a
   * flush of the moments (see `parallelTrainer.ts`); a participant then copies in the rows it took
   * over (see {@link bindWork}).
   */
  readonly lowerBounds: SharedArrayBuffer;
  /** Per participant: 1 when every parameter and moment it updated in the last step is finite (int32). */
  readonly finite: SharedArrayBuffer;
}

/** Indices into the control Int32Array. */
export const Control = {
  generation: 0, // bumped by the main thread for every phase it starts
  command: 1, // see Command
  batchSize: 2,
  step: 3, // Adam step counter s (1-based) for the update
  done: 4, // participants finished with the current phase
  errors: 5, // participants that failed
  evalSet: 6, // which example set the evaluate phase reads
  evalCount: 7, // how many of its examples (from the start)
  state: 8, // bumped by the main thread when it sets the parameters or Adam's moments (reset)
  length: 9,
} as const;

export const Command = {
  step: 1,
  evaluate: 2,
  exit: 3,
  flush: 4, // each participant writes the Adam moments of its rows back to shared memory
} as const;

/**
 * Output rows next to a boundary of a participant's range whose Adam moments it writes back to
 * shared memory after every step (see {@link Work}): as many as a boundary can move between two
 * steps without a flush first (`balance.ts` moves one by two quanta of eight at most).
 */
export const MOMENT_BAND = 16;

/**
 * Where each signal of a step is (signal numbers for `signals.ts`), for L weight layers,
 * P participants and batches of up to maxBatch:
 * - relay(l, p): examples whose error terms of layer l's inputs participant p has handed on
 *   (relay(l, P − 1): examples complete in layer l);
 * - forward(b): 1 once the layers below the output layer have run for batch slot b (and the
 *   output layer's inputs of b are sorted);
 * - sorted(l, b): 1 once layer l's inputs of slot b are sorted in its shared tape (l < L − 1, by
 *   the participant whose share of the examples b is in);
 * - scanned(l, p): examples whose spike times of p's neurons of layer l < L − 1 are in their tapes;
 * - fired(p): examples whose output spike times participant p has computed (for objectives whose
 *   error couples the outputs).
 */
export interface Signals {
  readonly relay: (l: number, p: number) => number;
  readonly forward: (b: number) => number;
  readonly fired: (p: number) => number;
  readonly sorted: (l: number, b: number) => number;
  readonly scanned: (l: number, p: number) => number;
  readonly count: number;
}

export const signalsOf = (L: number, P: number, maxBatch: number): Signals => ({
  relay: (l, p) => l * P + p,
  forward: (b) => L * P + b,
  fired: (p) => L * P + maxBatch + p,
  sorted: (l, b) => L * P + maxBatch + P + l * maxBatch + b,
  scanned: (l, p) => L * P + maxBatch + P + (L - 1) * maxBatch + l * P + p,
  count: L * P + maxBatch + P + Math.max(0, L - 1) * (maxBatch + P),
});

/** Bytes of one slot's tape in shared memory, with its post-neuron record or without (see {@link sharedTape}). */
const tapeBytes = (nIn: number, nOut: number, post: boolean): number =>
  8 * (nIn + 3 * (nIn + 1) + (post ? 4 * nOut : 0)) + 4 * (nIn + 1 + 1 + (post ? nOut + nIn : 0));

/**
 * A layer's tape of one batch slot over a shared buffer, and the word where the participant that
 * sorts the slot's inputs leaves their count of finite ones. The inputs (times and their sorted
 * order, e^(K t), θ e^(K t)) are sorted once, by the participant whose share of the examples the
 * slot is in, for every participant. With `post`, the post-neuron record is shared too: a layer
 * below the output layer, whose neurons each participant fires its own range of (see
 * {@link forwardShare}). Without, it is the participant's own: the output layer, where each fires
 * its own range into its own record. (The output layer's inputs sorted once rather than on every
 * participant: 2 threads on the golden H=32 network, alternated, 3 runs of 20 pairs: mean pass
 * 1.013, 1.007, 1.052x.) (Not kept: a post-neuron record of its own for each participant of a
 * lower layer, in a buffer of its own a cache line away from the others, the sorter of the layer
 * above gathering the spike times from each, so that no two threads write the cache lines around
 * a boundary of the split: two 2-thread trainers in one process, alternated, 16 pairs each,
 * paired medians 0.993 and 1.028.)
 */
const sharedTape = (buffer: SharedArrayBuffer, nIn: number, nOut: number, post: boolean): { tape: LayerTape; nFinite: Int32Array } => {
  const { f64, i32 } = carve(buffer);
  const inputTimes = f64(nIn);
  const time = f64(nIn + 1);
  const exp = f64(nIn + 1);
  const threshExp = f64(nIn + 1);
  const postTimes = post ? [f64(nOut), f64(nOut), f64(nOut), f64(nOut)] : [];
  const index = i32(nIn + 1);
  const nFinite = i32(1);
  const tape: LayerTape = {
    nIn,
    nOut,
    inputTimes,
    sorted: { time, exp, threshExp, index, nFinite: 0 },
    post: post
      ? { spikeTime: postTimes[0], sumA: postTimes[1], sumB: postTimes[2], lambertW: postTimes[3], causalCount: i32(nOut) }
      : allocAlphaSolutions(nOut),
    sortScratch: post ? i32(nIn) : new Int32Array(nIn),
  };
  return { tape, nFinite };
};

/** Consecutive typed views over a buffer, from its start. */
const carve = (buffer: SharedArrayBuffer) => {
  let at = 0;
  return {
    f64: (n: number): Float64Array => {
      const v = new Float64Array(buffer, at, n);
      at += 8 * n;
      return v;
    },
    i32: (n: number): Int32Array => {
      const v = new Int32Array(buffer, at, n);
      at += 4 * n;
      return v;
    },
  };
};

export const allocSharedBuffers = (
  shape: NetworkShape,
  maxBatch: number,
  participants: number,
  maxEvaluated = 0,
): SharedBuffers => {
  const n = shapeParameterCount(shape);
  const L = shape.layerSizes.length - 1;
  const nIn = (l: number) => layerInputWidth(shape, l);
  const nOut = (l: number) => shape.layerSizes[l + 1];
  const layers = Array.from({ length: L }, (_, l) => l);
  return {
    params: new SharedArrayBuffer(n * 8),
    adamM: new SharedArrayBuffer(n * 8),
    adamV: new SharedArrayBuffer(n * 8),
    tapes: layers
      .slice(0, L - 1)
      .map((l) => Array.from({ length: maxBatch }, () => new SharedArrayBuffer(tapeBytes(nIn(l), nOut(l), true)))),
    outInputs: L > 1 ? Array.from({ length: maxBatch }, () => new SharedArrayBuffer(tapeBytes(nIn(L - 1), nOut(L - 1), false))) : [],
    inputError: layers.map((l) => new SharedArrayBuffer(maxBatch * nIn(l) * 8)),
    signals: new SharedArrayBuffer(signalsOf(L, participants, maxBatch).count * SIGNAL_WORDS * 4),
    outTimes: new SharedArrayBuffer(maxBatch * nOut(L - 1) * 8),
    lossSlots: new SharedArrayBuffer((maxBatch + Math.max(1, maxEvaluated)) * 8),
    batch: new SharedArrayBuffer(maxBatch * 4),
    nextBatch: noGuess(maxBatch),
    control: new SharedArrayBuffer(Control.length * 4),
    rates: new SharedArrayBuffer(16),
    predicted: new SharedArrayBuffer(Math.max(1, maxEvaluated) * 4),
    bounds: new SharedArrayBuffer((participants + 1) * 4),
    work: new SharedArrayBuffer(participants * 8),
    lowerBounds: firstLowerBounds(shape, participants),
    finite: new SharedArrayBuffer(participants * 4),
  };
};

/** A guess at the next batch that names no example (before the first step). */
const noGuess = (maxBatch: number): SharedArrayBuffer => {
  const buffer = new SharedArrayBuffer(maxBatch * 4);
  new Int32Array(buffer).fill(-1);
  return buffer;
};

/**
 * The lower layers' first split, as {@link SharedBuffers.lowerBounds} holds it: even, on whole
 * groups of the scan kernel's eight neurons when every participant gets two at least; the layer
 * below the output layer with one group (or neuron) more for participant 0, where its split
 * starts and stays (`balance.ts`, headedSplit, followOutput). (A group that a
 * boundary cuts is scanned by both participants, padded with neurons of zero weight: with the
 * forward pass split by neurons, the H=32 autoencoder's hidden split 20/12 cost 8.5 ms more
 * forward time per 2000 images than 16/16 on two threads, and 24/8 9.2 ms more: forward time
 * alone; the whole step gains from 24/8 or 32/0 while the worker runs slower, see `balance.ts`,
 * followOutput.)
 */
const firstLowerBounds = (shape: NetworkShape, P: number): SharedArrayBuffer => {
  const L = shape.layerSizes.length - 1;
  const buffer = new SharedArrayBuffer(Math.max(1, (L - 1) * (P + 1)) * 4);
  for (let l = 0; l < L - 1; l++) {
    const n = shape.layerSizes[l + 1];
    const split = l === L - 2 ? headedSplit : evenSplit;
    split(P, n, n >= 2 * P * SCAN_GROUP ? SCAN_GROUP : 1, lowerBoundsOf(buffer, l, P));
  }
  return buffer;
};

/** The P + 1 bounds of lower layer l in {@link SharedBuffers.lowerBounds}. */
export const lowerBoundsOf = (buffer: SharedArrayBuffer, l: number, P: number): Int32Array =>
  new Int32Array(buffer, l * (P + 1) * 4, P + 1);

/** One weight layer as a participant sees it. */
interface LayerShare {
  readonly nIn: number;
  readonly nOut: number;
  /** Regular inputs (the rest are pulses). */
  readonly nReg: number;
  /**
   * This participant's post neurons [lo, hi) (for the output layer: see {@link OutputRange}; for
   * a lower layer: taken from the shared split at the start of every step, see {@link bindWork}).
   */
  lo: number;
  hi: number;
  /** A lower layer's split in shared memory (see {@link SharedBuffers.lowerBounds}); empty for the output layer. */
  readonly bounds: Int32Array;
  /** Offset of the layer's weights in params (and in the gradient sum). */
  readonly offset: number;
  /** The layer's weights in shared memory. */
  readonly weights: Float64Array;
  /** inputError[b]: the error terms of the layer's inputs for batch slot b (shared). */
  readonly inputError: readonly Float64Array[];
  /** Error signal of the output layer's post neurons (own range filled), for the current example. */
  readonly delta: Float64Array;
}

/** Everything a participant needs, built over the shared buffers. */
export interface Participant {
  readonly index: number;
  readonly count: number;
  readonly net: Network;
  /** sets[0] is trained on; the others (validation, test, …) can be evaluated. */
  readonly sets: readonly ExampleSet[];
  readonly objective: Objective;
  readonly elementwise: boolean;
  readonly hyper: AdamHyper & BackwardParams;
  readonly layerParams: readonly LayerGradientParams[];
  readonly m: Float64Array;
  readonly v: Float64Array;
  readonly layers: readonly LayerShare[];
  /** Where this thread's step keeps its own copies (see {@link Work}, {@link bindWork}). */
  readonly work: { current: Work | undefined };
  /** This participant as the holder of its thread's resident region: another claim flushes its moments. */
  readonly holder: ResidentHolder;
  /**
   * tapes[l][b] for l < L−1 (shared); lastTapes[b] for the output layer (own, but for its sorted
   * inputs when there is a hidden layer: shared, and lastFinite[b] their count of finite ones).
   */
  readonly tapes: readonly (readonly LayerTape[])[];
  /** tapeFinite[l][b]: the count of finite inputs of tapes[l][b], left by the participant that sorted them. */
  readonly tapeFinite: readonly (readonly Int32Array[])[];
  readonly lastTapes: readonly LayerTape[];
  readonly lastFinite: readonly Int32Array[];
  readonly outTimes: readonly Float64Array[];
  /** The own output neurons of the current step, with views over them (see {@link outputRange}). */
  readonly out: { current: OutputRange };
  /** The output layer's split (shared, see {@link SharedBuffers.bounds}). */
  readonly bounds: Int32Array;
  /** Own work of each participant's last step share (shared, see {@link SharedBuffers.work}). */
  readonly ownWork: Float64Array;
  /** The time this thread has waited for signals in the current step share. */
  readonly waited: { ms: number };
  /** Whether all it has updated in the current step is finite; then, per participant, in shared memory. */
  readonly updatedFinite: { ok: boolean };
  readonly finite: Int32Array;
  readonly losses: Float64Array;
  readonly batch: Int32Array;
  /** See {@link SharedBuffers.nextBatch}. */
  readonly nextBatch: Int32Array;
  /** The first layer's fixed inputs of examples of the next batch, sorted ahead (see {@link prefetchOne}). */
  readonly prefetch: Prefetch;
  /** What a wait does while it waits (see `awaitSignal`): {@link prefetchOne}. */
  readonly idle: () => boolean;
  readonly control: Int32Array;
  readonly signals: Int32Array;
  readonly signal: Signals;
  /** Reads a wait spins before it sleeps (`signals.ts`, spinReadsFor: long when each thread has a core). */
  readonly spinReads: number;
  /**
   * Throws when a participant has failed (asked while waiting for a signal), or when
   * `othersRunning`, the last argument of {@link participant}, throws (the main thread's: a worker
   * thread has ended, see `threadLiveness.ts`).
   */
  readonly abortIfFailed: () => void;
  readonly rates: Float64Array;
  /** The evaluate phase's predicted classes (shared; see SharedBuffers.predicted). */
  readonly predicted: Int32Array;
  readonly ctx: ExampleContext;
}

/**
 * A participant's output neurons [lo, hi) for a step, and views over them: of each output tape's
 * spike times, of the error, of the target (rebuilt only when the split moves).
 */
interface OutputRange {
  readonly lo: number;
  readonly hi: number;
  readonly outRows: readonly Float64Array[];
  readonly deltaRows: Float64Array;
  readonly targetRows: Float64Array;
}

const outputRange = (
  last: LayerShare,
  lastTapes: readonly LayerTape[],
  target: Float64Array,
  lo: number,
  hi: number,
): OutputRange => ({
  lo,
  hi,
  outRows: lastTapes.map((t) => t.post.spikeTime.subarray(lo, hi)),
  deltaRows: last.delta.subarray(lo, hi),
  targetRows: target.subarray(lo, hi),
});

/** [lo, hi) of share p out of P of n items. */
export const shareOf = (n: number, p: number, P: number): [number, number] => [
  Math.floor((p * n) / P),
  Math.floor(((p + 1) * n) / P),
];

export const participant = (
  index: number,
  count: number,
  shape: NetworkShape,
  buffers: SharedBuffers,
  sets: readonly ExampleSet[],
  objectiveSpec: ObjectiveSpec,
  hyper: AdamHyper & BackwardParams,
  othersRunning: () => void = () => undefined,
): Participant => {
  const net = networkFromParams(shape, new Float64Array(buffers.params));
  const maxBatch = new Int32Array(buffers.batch).length;
  const L = net.layerSizes.length - 1;
  const slots = Array.from({ length: maxBatch }, (_, b) => b);
  let offset = 0;
  const layers = net.weights.map((w, l): LayerShare => {
    const nIn = layerInputWidth(net, l);
    const nOut = net.layerSizes[l + 1];
    const bounds = l < L - 1 ? lowerBoundsOf(buffers.lowerBounds, l, count) : new Int32Array(0);
    const [lo, hi] = l < L - 1 ? [bounds[index], bounds[index + 1]] : shareOf(nOut, index, count);
    const share: LayerShare = {
      nIn,
      nOut,
      nReg: net.layerSizes[l],
      lo,
      hi,
      bounds,
      offset,
      weights: w,
      inputError: slots.map((b) => new Float64Array(buffers.inputError[l], b * nIn * 8, nIn)),
      delta: new Float64Array(nOut),
    };
    offset += w.length;
    return share;
  });
  const objective = objectiveOf(objectiveSpec);
  const ctx = createExampleContext(net, objective, hyper);
  const reverse = layerParamsOf(ctx.hyper, net);
  const last = layers[L - 1];
  const lastShared = buffers.outInputs.map((buf) => sharedTape(buf, last.nIn, last.nOut, false));
  const lastTapes = L > 1 ? lastShared.map((x) => x.tape) : slots.map(() => allocLayerTape(last.nIn, last.nOut));
  const control = new Int32Array(buffers.control);
  const lowerTapes = buffers.tapes.map((perSlot, l) => perSlot.map((buf) => sharedTape(buf, layers[l].nIn, layers[l].nOut, true)));
  const self: Participant = {
    index,
    count,
    net,
    sets,
    objective,
    elementwise: elementwiseError(objectiveSpec),
    hyper,
    // per weight layer, as the sequential reverse pass takes them (backward.ts)
    layerParams: layers.map((_, l) => (l === 0 ? reverse.first : reverse.rest)),
    m: new Float64Array(buffers.adamM),
    v: new Float64Array(buffers.adamV),
    layers,
    work: { current: undefined },
    holder: { evict: () => flushMoments(self) },
    tapes: lowerTapes.map((perSlot) => perSlot.map((x) => x.tape)),
    tapeFinite: lowerTapes.map((perSlot) => perSlot.map((x) => x.nFinite)),
    lastTapes,
    lastFinite: lastShared.map((x) => x.nFinite),
    outTimes: slots.map((b) => new Float64Array(buffers.outTimes, b * last.nOut * 8, last.nOut)),
    out: { current: outputRange(last, lastTapes, ctx.target, last.lo, last.hi) },
    bounds: new Int32Array(buffers.bounds),
    ownWork: new Float64Array(buffers.work),
    waited: { ms: 0 },
    updatedFinite: { ok: true },
    finite: new Int32Array(buffers.finite),
    losses: new Float64Array(buffers.lossSlots),
    batch: new Int32Array(buffers.batch),
    nextBatch: new Int32Array(buffers.nextBatch),
    prefetch: {
      on: true,
      slots: slots.map(() => allocPresortedInputs(net.layerSizes[0])),
      example: new Int32Array(maxBatch).fill(-1),
      input: new Float64Array(net.layerSizes[0]),
    },
    idle: () => prefetchOne(self),
    control,
    signals: new Int32Array(buffers.signals),
    signal: signalsOf(L, count, maxBatch),
    spinReads: spinReadsFor(count, availableParallelism()),
    abortIfFailed: () => {
      if (Atomics.load(control, Control.errors) > 0) {
        throw new Error(`training participant ${index}: stopped waiting, another participant failed`);
      }
      othersRunning();
    },
    rates: new Float64Array(buffers.rates),
    predicted: new Int32Array(buffers.predicted),
    ctx,
  };
  return self;
};

/** The presynaptic times of weight layer l for slot b: the layer below's spikes, then pulses. */
const layerInputsInto = (p: Participant, tape: LayerTape, l: number, b: number): void => {
  const times = tape.inputTimes;
  const nReg = p.layers[l].nReg;
  if (l === 0) {
    const input = p.sets[0].inputInto(p.ctx.input, p.batch[b]);
    for (let i = 0; i < nReg; i++) times[i] = input[i];
  } else {
    times.set(p.tapes[l - 1][b].post.spikeTime);
  }
  times.set(p.net.pulses[l], nReg);
};

/**
 * Part 1: the layers below the output layer, one at a time, split like their reverse passes: p
 * sorts the inputs of its share of the batch's examples into their shared tapes, then fires its
 * own neurons [lo, hi) for every example, from its copies of their rows in the kernel memory
 * (read there in place: current, as Adam left them, see {@link Work}); the layer above waits until
 * every participant has fired an example. Then p sorts the output layer's inputs of its share of
 * the examples, once for every participant.
 *
 * (Before, p ran whole examples: every layer's neurons for its share of the examples. Its scans
 * then read all of a layer's weights out of shared memory, where the other threads had just
 * written their rows, and copied them into the kernel memory for every example: on the H=32
 * autoencoder at batch 7, the forward pass of 2000 images took 76.5 ms of the two threads' time
 * against 49.0 ms on one, now about 51. 2-thread passes of 2000 images, with the radix input
 * sort of argsort.ts, in 5 pairs of separate processes: 1.07–1.13× as fast.)
 *
 * (Not kept, H=32 autoencoder with one worker, 2000-image passes alternated in one process,
 * paired medians of 16–20 pairs: the worker waits about 16 µs a step here for the main thread's
 * 24 hidden neurons. Sorting the output layer's inputs of each example as soon as its hidden
 * spikes are all there, the main thread between its examples and the worker inside its output
 * layer, removed that wait, but the worker then waited in the relay instead: 1.005, 1.008 (main
 * thread slow). Firing the hidden layer with a split of its own, 16/16, the worker copying in
 * each step the rows 16–23 that the main thread updates: 0.999; 20/12: 1.009; 12/20: 0.993;
 * 28/4: 0.991, 0.980; 32/0: 1.009, 0.965.)
 */
const forwardShare = (p: Participant, w: Work, n: number): void => {
  const [lo, hi] = shareOf(n, p.index, p.count);
  const { net, signal } = p;
  const lower = p.tapes.length;
  for (let l = 0; l < lower; l++) {
    const s = p.layers[l];
    for (let b = lo; b < hi; b++) {
      if (l > 0) awaitScanned(p, l - 1, b);
      sortShared(p, p.tapes[l][b], p.tapeFinite[l][b], l, b);
      raiseSignal(p.signals, signal.sorted(l, b), 1);
    }
    for (let b = 0; b < n; b++) {
      const tape = p.tapes[l][b];
      if (b < lo || b >= hi) {
        waitFor(p, signal.sorted(l, b), 1);
        takeSorted(tape, p.tapeFinite[l][b]);
      }
      if (s.hi > s.lo) layerFireRange(tape, w.weights[l], net.decayRate, net.threshold, s.lo, s.hi);
      raiseSignal(p.signals, signal.scanned(l, p.index), b + 1);
    }
  }
  // the output layer's inputs, sorted once for every participant
  for (let b = lo; b < hi; b++) {
    awaitScanned(p, lower - 1, b);
    sortShared(p, p.lastTapes[b], p.lastFinite[b], lower, b);
    raiseSignal(p.signals, signal.forward(b), 1);
  }
};

/**
 * Sorts the inputs of weight layer l for slot b into its shared tape and leaves their count of
 * finite ones in `finite`, for the participants that read the tape ({@link takeSorted}).
 */
const sortShared = (p: Participant, tape: LayerTape, finite: Int32Array, l: number, b: number): void => {
  const { decayRate, threshold } = p.net;
  const { prefetch } = p;
  // the image's inputs sorted ahead (see prefetchOne): the pulses merged in, the same tape
  const ahead = l === 0 && prefetch.example[b] === p.batch[b];
  if (l === 0) prefetch.example[b] = -1;
  if (ahead) tape.inputTimes.set(p.net.pulses[0], p.layers[0].nReg);
  if (!ahead || !sortLayerInputsMerged(tape, prefetch.slots[b], decayRate, threshold)) {
    layerInputsInto(p, tape, l, b);
    sortLayerInputs(tape, decayRate, threshold);
  }
  Atomics.store(finite, 0, tape.sorted.nFinite);
};

/** The sorts ahead of one participant (see {@link prefetchOne}). */
interface Prefetch {
  /** Whether it still sorts ahead: not after a sort ahead failed (the step's own sort then reports the problem). */
  on: boolean;
  /** slots[b]: the first layer's fixed inputs of example `example[b]` (−1: none), sorted. */
  readonly slots: readonly PresortedInputs[];
  readonly example: Int32Array;
  /** Room for an example's inputs. */
  readonly input: Float64Array;
}

/**
 * One piece of work that p would do in its next step, done now, while it waits: the sort of the
 * fixed inputs (the image) of the next of its examples of the guessed next batch (its share of its
 * slots, as {@link forwardShare} splits them) not sorted yet. Returns false when there is none. A
 * step takes a slot's sort only when its example is the one sorted ahead. (The threads wait for
 * each other's error terms and at the end of a step; the sort of an image's inputs, about a third
 * of the forward pass, does not depend on the parameters. Alternated in one process against no
 * sorting ahead, one worker, 3 runs of 20 pairs of 2000-image passes: paired medians 1.057,
 * 1.009, 1.036; then also between steps on the worker, see `worker.ts`: 1.034, 1.015, 1.017. In
 * the main thread's wait for the workers at the end of a step, a piece still running when they
 * finish delays the next step; yet without sorting ahead there the passes ran at 1.042, 0.972 and
 * 0.976 of the speed with it, and sorting there only what was expected to end before the workers
 * did, at 0.981 and 1.005: so it sorts ahead there as in any wait.)
 */
export const prefetchOne = (p: Participant): boolean => {
  const { nextBatch, prefetch } = p;
  // (with no hidden layer, the first layer is the output layer, whose inputs are sorted as it fires)
  if (!prefetch.on || p.tapes.length === 0) return false;
  let n = 0;
  while (n < nextBatch.length && nextBatch[n] >= 0) n++;
  const [lo, hi] = shareOf(n, p.index, p.count);
  for (let b = lo; b < hi; b++) {
    // (a worker sorts ahead between steps while the main thread may be writing the next guess:
    // an entry already overwritten with "none" ends the work)
    const e = nextBatch[b];
    if (e < 0) return false;
    if (prefetch.example[b] === e) continue;
    prefetch.example[b] = -1;
    try {
      if (!presortInputs(prefetch.slots[b], p.sets[0].inputInto(prefetch.input, e), p.net.decayRate, p.net.threshold)) return false;
    } catch {
      // work ahead must not fail a step, nor (on a worker, between steps) kill its thread
      prefetch.on = false;
      return false;
    }
    prefetch.example[b] = e;
    return true;
  }
  return false;
};

/** Waits until signal s reaches v, sorting ahead meanwhile (see `awaitSignal`, {@link prefetchOne}). */
const waitFor = (p: Participant, s: number, v: number): void =>
  awaitSignal(p.signals, s, v, p.abortIfFailed, p.waited, p.spinReads, p.idle);

/** Takes into this participant's view of a shared tape the count of finite inputs its sorter left (after its signal). */
const takeSorted = (tape: LayerTape, finite: Int32Array): void => {
  tape.sorted.nFinite = Atomics.load(finite, 0);
};

/** Waits until every participant has fired its neurons of layer l < L − 1 for examples 0..b. */
const awaitScanned = (p: Participant, l: number, b: number): void => {
  for (let q = 0; q < p.count; q++) {
    if (q !== p.index) waitFor(p, p.signal.scanned(l, q), b + 1);
  }
};

/** Waits until every participant's examples 0..b of layer l are complete (see the header). */
const awaitComplete = (p: Participant, l: number, b: number): void =>
  waitFor(p, p.signal.relay(l, p.count - 1), b + 1);

/**
 * The reverse pass of p's neurons of layer l for slot b, given their error `deltaOut`: weight
 * gradients into gradSum; error terms of the inputs added, in the relay, to `inputError[l][b]`
 * (participant 0 starts them from +0), then handed on. A participant after the first that finds
 * the terms not handed on yet does not wait for them with its pass undone: it runs the pass
 * (`layerBackwardRangeDeferred`, where every input is causal: the output layer of the H=32
 * autoencoder), keeping its neurons' terms in its region (`Work.terms`), and adds them in its turn
 * (the same bits). It keeps them only then: kept for every example, the terms (392 rows of 42 on
 * two threads) cost more than the waits they fill. Measured on the H=32 autoencoder with one
 * worker, 2000-image passes alternated in one process against the whole pass after the wait
 * (paired medians of speed): kept for every example, 0.966 (12 pairs); kept only when the wait is
 * due, 1.029, 1.015, 1.032, 0.999, 0.990 (runs of 12–20 pairs, the host's state changing) and
 * 1.033 (40 pairs). The relay's waits are not what holds the step back: with the output layer's
 * relay skipped altogether (each participant adding its terms at once, racing: wrong results,
 * and both threads writing the same cache lines; a rough bound only), the passes ran at 0.972,
 * 0.964 and 1.005 of the speed with it (16 pairs each).
 */
const backwardShare = (
  p: Participant, w: Work, l: number, tape: LayerTape, deltaOut: Float64Array, b: number, lo: number, hi: number,
): void => { // prettier-ignore
  const s = p.layers[l];
  const inputError = s.inputError[b];
  // (the first layer hands back only its pulses' terms, see LayerGradientParams.inputErrorFrom)
  const params = p.layerParams[l];
  const relay = p.index > 0 ? p.signal.relay(l, p.index - 1) : -1;
  if (p.index === 0 || signalReached(p.signals, relay, b + 1)) {
    if (p.index === 0) inputError.fill(0, params.inputErrorFrom ?? 0);
    layerBackwardRange(w.grads[l], inputError, tape, w.weights[l], deltaOut, params, lo, hi);
  } else {
    // the terms are not there yet: the weight gradients meanwhile, the terms kept for p's turn
    const deferred = layerBackwardRangeDeferred(w.terms, w.grads[l], inputError, tape, w.weights[l], deltaOut, params, lo, hi);
    waitFor(p, relay, b + 1);
    if (deferred) addDeferredInputError(w.terms, w.grads[l], inputError, tape, w.weights[l], deltaOut, params, lo, hi);
    else layerBackwardRange(w.grads[l], inputError, tape, w.weights[l], deltaOut, params, lo, hi);
  }
  raiseSignal(p.signals, p.signal.relay(l, p.index), b + 1);
};

/**
 * Adam on p's rows of weight layer l (their gradient is complete), by the SIMD kernel on copies in
 * the kernel memory (`Work`; the rows' parameters and moments are there since {@link bindWork}):
 * the parameters copied back to shared memory, and the moments of the output rows within
 * {@link MOMENT_BAND} of a boundary that the split may move (the others stay in the copies until a
 * flush); notes whether they are all finite. (Deferring the output rows' update, but for those
 * bands, into the waits of the next step and at the latest its output layer: per-step timestamps
 * showed the step no shorter, and 2000-image passes alternated in one process ran at 0.981 of the
 * speed with the worker deferring, 0.993 with both threads (one run of 12 pairs, worker slow).)
 */
const updateRows = (p: Participant, w: Work, l: number, lo: number, hi: number): void => {
  const n = Atomics.load(p.control, Control.batchSize);
  const step = Atomics.load(p.control, Control.step);
  const s = p.layers[l];
  const last = l === p.layers.length - 1;
  const from = s.offset + lo * s.nIn;
  const to = s.offset + hi * s.nIn;
  const finite = adamUpdateResidentFinite(w.params, w.gradSum, w.m, w.v, from, to, n, step, p.rates[0], p.hyper, NO_FLOOR);
  p.updatedFinite.ok &&= finite;
  copyRange(p.net.params, w.params, from, to);
  w.unflushed = true;
  if (last) {
    const band = (a: number, b: number) => {
      copyMoments(p, w, s.offset + a * s.nIn, s.offset + b * s.nIn);
    };
    if (p.index > 0) band(lo, Math.min(hi, lo + MOMENT_BAND));
    if (p.index < p.count - 1) band(Math.max(lo, hi - MOMENT_BAND), hi);
  }
};

/**
 * Copies in (see {@link copyRowsIn}) the rows of layer l's range [lo, hi) for p that its copies
 * do not hold as its last step left them, when that step had [was, wasHi): all of them when the
 * region is not as p left it (`kept` false, see {@link bindWork}), else those p has taken over
 * from a neighbour since (the split moved).
 */
const copyRowsTakenOver = (
  p: Participant, w: Work, l: number, kept: boolean, was: number, wasHi: number, lo: number, hi: number,
): void => { // prettier-ignore
  if (!kept || wasHi <= lo || was >= hi) copyRowsIn(p, w, l, lo, hi);
  else {
    if (lo < was) copyRowsIn(p, w, l, lo, was);
    if (wasHi < hi) copyRowsIn(p, w, l, wasHi, hi);
  }
};

/** dst[from, to) = src[from, to) (arrays of one layout). */
const copyRange = (dst: Float64Array, src: Float64Array, from: number, to: number): void =>
  dst.set(src.subarray(from, to), from);

/** Adam's m and v over [from, to): dst.m = src.m, dst.v = src.v (a participant's shared views or its copies). */
const copyMoments = (
  dst: { readonly m: Float64Array; readonly v: Float64Array },
  src: { readonly m: Float64Array; readonly v: Float64Array },
  from: number,
  to: number,
): void => {
  copyRange(dst.m, src.m, from, to);
  copyRange(dst.v, src.v, from, to);
};

/**
 * Writes the Adam moments of p's rows (its output rows and its rows of the lower layers, as its
 * last step left them in its copies) back to shared memory, if the copies hold any newer than
 * shared memory: when the main thread asks (a `flush` phase, before anybody reads the moments),
 * and before another claim of the thread's kernel memory overwrites the copies. Not after a
 * `reset` (the moments in shared memory are then the state of record).
 */
export const flushMoments = (p: Participant): void => {
  const w = p.work.current;
  if (w === undefined || !w.unflushed) return;
  w.unflushed = false;
  // (a step that failed left no claim count: its copies are not a state to keep)
  if (w.left.claims !== kernelMemory().claims || w.left.state !== Atomics.load(p.control, Control.state)) return;
  const L = p.layers.length;
  for (let l = 0; l < L; l++) {
    const s = p.layers[l];
    const [lo, hi] = l === L - 1 ? [w.left.lo, w.left.hi] : [s.lo, s.hi];
    copyMoments(p, w, s.offset + lo * s.nIn, s.offset + hi * s.nIn);
  }
};

/**
 * How many examples ahead of its reverse passes a participant after the first fires its output
 * neurons (with an elementwise error). Its reverse pass of an example waits for the relay of the
 * participants before it (see the header), which at the first example of a step have fired it
 * and run their reverse pass of it: firing the next example meanwhile fills most of that wait.
 * Measured on the H=32 autoencoder with one worker, 2000-image passes alternated in one process,
 * the hidden split following the output split (`balance.ts`, followOutput): one ahead, the passes
 * took 0.965 and 0.985 of the time with none ahead (paired medians of 12 pairs; before, runs of 8
 * pairs: 0.956, 0.982, 0.957); two ahead, 0.935, 0.958, 1.002. (With the hidden split even, one
 * ahead had given 0.947–1.013 in four runs.)
 */
const OUTPUT_AHEAD = 1;

/**
 * Part 2: p's output neurons for every example of the batch, in example order: spike times (also
 * into the shared output times), error, reverse pass (a participant after the first fires
 * {@link OUTPUT_AHEAD} examples ahead of its reverse passes); then Adam on their rows. When the
 * error couples the outputs, the reverse passes wait until every participant has fired the example.
 */
const outputLayerShare = (p: Participant, w: Work, n: number): void => {
  const L = p.layers.length;
  const s = p.layers[L - 1];
  const { net, signal } = p;
  const range = p.out.current;
  const { lo, hi } = range;
  const ahead = p.elementwise && p.index > 0 ? OUTPUT_AHEAD : 0;
  zeroResident(w.grads[L - 1], lo * s.nIn, hi * s.nIn);
  for (let b = 0; b < n; b++) {
    const tape = p.lastTapes[b];
    if (L > 1) {
      // sorted by the participant that ran b's forward pass
      waitFor(p, signal.forward(b), 1);
      takeSorted(tape, p.lastFinite[b]);
    } else {
      layerInputsInto(p, tape, L - 1, b);
      sortLayerInputs(tape, net.decayRate, net.threshold);
    }
    const times = layerFireRange(tape, w.weights[L - 1], net.decayRate, net.threshold, lo, hi);
    const out = p.outTimes[b];
    for (let k = lo; k < hi; k++) out[k] = times[k];
    if (p.elementwise) {
      if (b >= ahead) outputReverse(p, w, b - ahead);
    } else raiseSignal(p.signals, signal.fired(p.index), b + 1);
  }
  if (p.elementwise) for (let b = Math.max(0, n - ahead); b < n; b++) outputReverse(p, w, b);
  else {
    for (let b = 0; b < n; b++) {
      for (let q = 0; q < p.count; q++) waitFor(p, signal.fired(q), b + 1);
      p.sets[0].targetInto(p.ctx.target, p.batch[b]);
      p.objective.errorInto(s.delta, p.outTimes[b], p.ctx.target);
      backwardShare(p, w, L - 1, p.lastTapes[b], s.delta, b, lo, hi);
    }
  }
  updateRows(p, w, L - 1, lo, hi);
};

/** Error and reverse pass of p's output neurons for example b (elementwise objective). */
const outputReverse = (p: Participant, w: Work, b: number): void => {
  const L = p.layers.length;
  const s = p.layers[L - 1];
  const range = p.out.current;
  p.sets[0].targetInto(p.ctx.target, p.batch[b]);
  p.objective.errorInto(range.deltaRows, range.outRows[b], range.targetRows);
  backwardShare(p, w, L - 1, p.lastTapes[b], s.delta, b, range.lo, range.hi);
};

/** The losses of p's share of the batch, from the shared output times, into the loss slots. */
const lossShare = (p: Participant, n: number): void => {
  const L = p.layers.length;
  const [lo, hi] = shareOf(n, p.index, p.count);
  for (let b = lo; b < hi; b++) {
    awaitComplete(p, L - 1, b); // every output spike time of b is written
    p.losses[b] = p.objective.lossOf(p.outTimes[b], p.sets[0].targetInto(p.ctx.target, p.batch[b]));
  }
};

/**
 * How many examples of the batch the objective classifies correctly, from the shared output
 * times (main thread, after a step; NaN when the objective has no classes).
 */
export const correctOfBatch = (p: Participant): number => {
  const isCorrect = p.objective.isCorrect;
  if (isCorrect === undefined) return Number.NaN;
  const n = Atomics.load(p.control, Control.batchSize);
  let correct = 0;
  for (let b = 0; b < n; b++) {
    if (isCorrect(p.outTimes[b], p.sets[0].targetInto(p.ctx.target, p.batch[b]))) correct++;
  }
  return correct;
};

/**
 * Part 3 for weight layer l < L−1: p's neurons of layer l for every example, in example order:
 * their error (the complete error terms of layer l + 1's inputs, whose first nOut(l) are these
 * neurons), reverse pass, then Adam on their rows.
 */
const lowerLayerShare = (p: Participant, w: Work, l: number, n: number): void => {
  const s = p.layers[l];
  const above = p.layers[l + 1];
  zeroResident(w.grads[l], s.lo * s.nIn, s.hi * s.nIn);
  for (let b = 0; b < n; b++) {
    awaitComplete(p, l + 1, b);
    backwardShare(p, w, l, p.tapes[l][b], above.inputError[b], b, s.lo, s.hi);
  }
  updateRows(p, w, l, s.lo, s.hi);
};

/**
 * The last part of a step, by the last participant once its share is done (so every example is
 * complete in every layer): the pulse gradients (error terms of each layer's pulse inputs, summed
 * in example order) and Adam on the pulses.
 */
const pulseUpdate = (p: Participant, w: Work, n: number): void => {
  const step = Atomics.load(p.control, Control.step);
  const { net } = p;
  const { gradSum } = w;
  const { weightCount } = net;
  let at = weightCount;
  for (let l = 0; l < p.layers.length; l++) {
    const s = p.layers[l];
    for (let q = 0; q < net.pulses[l].length; q++) {
      let g = 0;
      for (let b = 0; b < n; b++) g += s.inputError[b][s.nReg + q];
      gradSum[at + q] = g;
    }
    at += net.pulses[l].length;
  }
  adamUpdateRange(net.params, gradSum, p.m, p.v, weightCount, at, n, step, p.rates[1], p.hyper, 0);
  p.updatedFinite.ok &&=
    allFiniteRange(net.params, weightCount, at) && allFiniteRange(p.m, weightCount, at) && allFiniteRange(p.v, weightCount, at);
};

/**
 * What a participant's step keeps in this thread's kernel memory (`wasmKernel.ts`), where the
 * SIMD kernels use it in place instead of copying it for every example, each laid out like params
 * (only the own rows, and on the last participant the pulses, are used): a copy of the parameters
 * (the own rows of every layer, which the reverse passes read in place; the forward pass reads the
 * shared weights), the summed gradient of the batch, and Adam's m and v.
 * Adam updates the copies; the parameters are then written back to shared memory, which the next
 * step's forward pass reads. The moments stay in the copies (writing them back each step cost
 * about 3 % of a 2-thread step): they reach shared memory when the main thread asks for them (a
 * `flush`, which the trainer does before anybody reads its Adam state), when another claim of the
 * thread's kernel memory is about to overwrite them (the participant is the region's holder, see
 * `wasmKernel.ts`), and, for the output rows next to a boundary that the split may move, after
 * every step ({@link MOMENT_BAND}: so the neighbour that takes them over finds them current); the
 * split of a lower layer moves only after a flush.
 *
 * Copies *in* (of the parameters and the moments) happen only where the region may not hold what
 * p's last step wrote back: on the first step, after another claim of the region on this thread
 * (an evaluation, another trainer), after the main thread set the parameters or moments
 * (`reset`), and for the rows that p took over when its neurons moved (of the output layer, or
 * of a lower layer). (So a caller that writes the shared parameters or moments between steps
 * otherwise than through `reset` must restore them before the next step, as the weight average's
 * evaluation does.) Skipping them saved about 3 % of a 2-thread step of the H=32 autoencoder
 * (4 × 40 alternated runs, median ratio 1.03–1.04).
 * The shared weights are copied once per step at most, not once per example (a copy out of a
 * SharedArrayBuffer costs about twice one out of an ordinary buffer: Node 20, 36 vs 17 µs for the
 * 784 × 42 layer).
 */
interface Work {
  readonly region: Float64Array;
  /** Whether the copies hold moments newer than shared memory (see {@link flushMoments}). */
  unflushed: boolean;
  /**
   * Where the last step left things: the thread's claim count, the main thread's state count, the
   * output range (the lower layers' ranges are the LayerShare's lo, hi). While the first two are
   * as then, the region holds the rows of those ranges as that step left them (and shared memory
   * the same values), and the step copies in only the rows it has taken over since.
   */
  readonly left: { claims: number; state: number; lo: number; hi: number };
  /** weights[l]: the reverse pass's (and the output layer's scan's) weights of layer l: the copy. */
  readonly weights: readonly Float64Array[];
  readonly params: Float64Array;
  readonly gradSum: Float64Array;
  readonly m: Float64Array;
  readonly v: Float64Array;
  /** grads[l]: layer l's slice of gradSum. */
  readonly grads: readonly Float64Array[];
  /**
   * Room for the error terms that a participant after the first keeps per neuron while it waits
   * for the relay (see {@link backwardShare}): as many values as the largest layer's weights
   * (none on participant 0).
   */
  readonly terms: Float64Array;
}

/**
 * Claims this thread's resident region for p's step (the same views as the last step unless
 * another operation on the thread claimed it since), takes p's output neurons of this step from
 * the shared split and copies into the region the rows of parameters and moments it does not hold
 * as p's last step left them.
 */
const bindWork = (p: Participant): Work => {
  const L = p.layers.length;
  const last = p.layers[L - 1];
  const nParams = p.net.params.length;
  const k = kernelMemory();
  const claims = k.claims;
  // room for kept error terms on a participant after the first (see Work.terms)
  let termCount = 0;
  if (p.index > 0) for (const s of p.layers) termCount = Math.max(termCount, s.nOut * s.nIn);
  const region = k.claimResident(4 * nParams + termCount, p.holder);
  const state = Atomics.load(p.control, Control.state);
  let w = p.work.current;
  const kept = w !== undefined && w.region === region && w.left.claims === claims && w.left.state === state;
  if (w === undefined || w.region !== region) {
    const part = (k: number) => region.subarray(k * nParams, (k + 1) * nParams);
    const params = part(0);
    const gradSum = part(1);
    w = {
      region,
      weights: p.layers.map((s) => params.subarray(s.offset, s.offset + s.nOut * s.nIn)),
      params,
      gradSum,
      m: part(2),
      v: part(3),
      grads: p.layers.map((s) => gradSum.subarray(s.offset, s.offset + s.nOut * s.nIn)),
      terms: region.subarray(4 * nParams, 4 * nParams + termCount),
      unflushed: false,
      left: { claims: -1, state: -1, lo: -1, hi: -1 },
    };
    p.work.current = w;
  }
  const lo = Atomics.load(p.bounds, p.index);
  const hi = Atomics.load(p.bounds, p.index + 1);
  if (lo !== p.out.current.lo || hi !== p.out.current.hi) {
    p.out.current = outputRange(last, p.lastTapes, p.ctx.target, lo, hi);
  }
  // until this step completes, the region is not what a step left
  w.left.claims = -1;
  copyRowsTakenOver(p, w, L - 1, kept, w.left.lo, w.left.hi, lo, hi);
  for (let l = 0; l < L - 1; l++) {
    const s = p.layers[l];
    const sLo = Atomics.load(s.bounds, p.index);
    const sHi = Atomics.load(s.bounds, p.index + 1);
    copyRowsTakenOver(p, w, l, kept, s.lo, s.hi, sLo, sHi);
    s.lo = sLo;
    s.hi = sHi;
  }
  return w;
};

/** Rows [a, b) of weight layer l from shared memory into p's copies: parameters, m and v. */
const copyRowsIn = (p: Participant, w: Work, l: number, a: number, b: number): void => {
  const s = p.layers[l];
  copyRange(w.weights[l], s.weights, a * s.nIn, b * s.nIn);
  copyMoments(w, p, s.offset + a * s.nIn, s.offset + b * s.nIn);
};

/** Records where p's completed step leaves the region (see {@link bindWork}). */
const leaveWork = (p: Participant, w: Work): void => {
  w.left.claims = kernelMemory().claims;
  w.left.state = Atomics.load(p.control, Control.state);
  w.left.lo = p.out.current.lo;
  w.left.hi = p.out.current.hi;
};

/** Participant p's share of a training step (see the header); the main thread zeroed the signals. */
export const stepShare = (p: Participant): void => {
  const start = performance.now();
  p.waited.ms = 0;
  p.updatedFinite.ok = true;
  const n = Atomics.load(p.control, Control.batchSize);
  const L = p.layers.length;
  const w = bindWork(p);
  if (L > 1) forwardShare(p, w, n);
  outputLayerShare(p, w, n);
  lossShare(p, n);
  for (let l = L - 2; l >= 0; l--) lowerLayerShare(p, w, l, n);
  if (p.index === p.count - 1) pulseUpdate(p, w, n);
  leaveWork(p, w);
  p.finite[p.index] = p.updatedFinite.ok ? 1 : 0;
  p.ownWork[p.index] = performance.now() - start - p.waited.ms;
};

/**
 * Evaluate phase for participant p: the loss of each example of its share of the first
 * `evalCount` examples of set `evalSet`, into loss slot maxBatch + i (the main thread sums them in
 * example order: the mean is the sequential `evaluate`'s bit for bit, whatever the threads); for
 * an objective with classes, their predicted classes into `predicted`.
 */
export const evaluatePhase = (p: Participant): void => {
  const set = p.sets[Atomics.load(p.control, Control.evalSet)];
  const n = Atomics.load(p.control, Control.evalCount);
  const [lo, hi] = shareOf(n, p.index, p.count);
  const { tape, input, target, objective } = p.ctx;
  const predict = objective.predict;
  // a copy of the parameters in the kernel memory, read in place by the SIMD scan (same results)
  const net = residentCopy(p.net, false).net;
  const losses = p.losses.subarray(p.batch.length);
  for (let i = lo; i < hi; i++) {
    const out = forwardInto(tape, net, set.inputInto(input, i));
    losses[i] = objective.lossOf(out, set.targetInto(target, i));
    if (predict !== undefined) p.predicted[i] = predict(out);
  }
};

/** Runs the phase `command` on participant p (workers and the main thread alike). */
export const runCommand = (p: Participant, command: number): void => {
  if (command === Command.step) stepShare(p);
  else if (command === Command.evaluate) evaluatePhase(p);
  else if (command === Command.flush) flushMoments(p);
};
