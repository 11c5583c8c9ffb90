/**
 * The shared-memory layout of parallel training, and the phases of one step that every
 * participant (the main thread and each worker) runs on its share. The output layer is most of
 * the work, so a step splits the *neurons* of each layer, not the examples:
 *
 * 1. forward: participant p runs the layers below the output layer for its share of the batch's
 *    examples, into per-example tapes in shared memory;
 * 2. output layer: participant p owns a range of output neurons, for every example of the batch
 *    in example order: their spike times, error and reverse pass, so their weight gradients are
 *    disjoint slices summed in example order; then Adam on those rows;
 * 3. each lower layer, from the top: participant p owns a range of its neurons, takes their
 *    error from the layer above, runs their reverse pass and Adam on their rows. The first of
 *    these phases also takes the losses of p's share of the examples;
 * 4. the main thread sums the pulse gradients and applies Adam to the pulses (a few dozen values).
 *
 * Only the error terms of a layer's inputs cross neuron ranges: input j's term is a sum over the
 * layer's neurons in neuron order. The participants add to it in a relay, one example at a time:
 * participant 0 starts example b's sums (`inputError[l][b]`, nIn values) from +0 with its
 * neurons, hands them on (`progress`), participant 1 continues them with its neurons, and so on;
 * participant p works on example b while p − 1 is at example b + 1, so the threads wait for each
 * other only at the start of a phase. Every sum therefore runs in the order of the sequential
 * `trainStep`, and results are the same bit for bit for any number of participants. (An earlier
 * design had each participant but the first write one row of terms per neuron, nOut × nIn values
 * per example, for the layer below to add up: for the 784-neuron output layer that cost as much
 * as the reverse pass it split, and a second core gained nothing.)
 */
import { type LayerGradientParams, layerBackwardRange } from '../../kernels/layerGradient.ts';
import { type LayerTape, allocLayerTape, layerFireRange, layerForward, sortLayerInputs } from '../../kernels/layer.ts';
import type { BackwardParams } from '../../model/backward.ts';
import { forwardInto } from '../../model/forward.ts';
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
  /** The summed gradient of the current batch, laid out like params. */
  readonly gradSum: SharedArrayBuffer;
  /** tapes[l][b]: the forward tape of layer l < L−1 for batch slot b. */
  readonly tapes: readonly (readonly SharedArrayBuffer[])[];
  /** inputError[l]: maxBatch × nIn(l) error terms of layer l's inputs, summed over its neurons. */
  readonly inputError: readonly SharedArrayBuffer[];
  /** One relay counter per participant (see {@link handOn}), each on its own cache line. */
  readonly progress: SharedArrayBuffer;
  /** maxBatch × nOut(L−1) output spike times (for the losses). */
  readonly outTimes: SharedArrayBuffer;
  /** maxBatch losses of the training phases; then one partial loss sum per participant. */
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
  command: 1, // see Command
  batchSize: 2,
  step: 3, // Adam step counter s (1-based) for the update
  done: 4, // participants finished with the current phase
  errors: 5, // participants that failed
  evalSet: 6, // which example set the evaluate phase reads
  evalCount: 7, // how many of its examples (from the start)
  layer: 8, // the weight layer of a lowerLayer phase
  length: 9,
} as const;

export const Command = {
  forward: 1,
  outputLayer: 2,
  outputBackward: 3,
  lowerLayer: 4,
  loss: 5, // only for networks without a hidden layer (otherwise part of lowerLayer)
  evaluate: 6,
  exit: 7,
} as const;

/** Bytes of one layer tape in shared memory (see {@link sharedLayerTape}). */
const tapeBytes = (nIn: number, nOut: number): number =>
  8 * (nIn + 3 * (nIn + 1) + 4 * nOut) + 4 * (nIn + 1 + nOut + nIn);

/** A {@link LayerTape} over a shared buffer (same shape as `allocLayerTape`'s). */
const sharedLayerTape = (buffer: SharedArrayBuffer, nIn: number, nOut: number): LayerTape => {
  let at = 0;
  const f64 = (n: number) => {
    const v = new Float64Array(buffer, at, n);
    at += 8 * n;
    return v;
  };
  const i32 = (n: number) => {
    const v = new Int32Array(buffer, at, n);
    at += 4 * n;
    return v;
  };
  const inputTimes = f64(nIn);
  const time = f64(nIn + 1);
  const exp = f64(nIn + 1);
  const threshExp = f64(nIn + 1);
  const spikeTime = f64(nOut);
  const sumA = f64(nOut);
  const sumB = f64(nOut);
  const lambertW = f64(nOut);
  const index = i32(nIn + 1);
  const causalCount = i32(nOut);
  const sortScratch = i32(nIn);
  return {
    nIn,
    nOut,
    inputTimes,
    sorted: { time, exp, threshExp, index, nFinite: 0 },
    post: { spikeTime, sumA, sumB, lambertW, causalCount },
    sortScratch,
  };
};

export const allocSharedBuffers = (
  shape: NetworkShape,
  maxBatch: number,
  participants: number,
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
    gradSum: new SharedArrayBuffer(n * 8),
    tapes: layers
      .slice(0, L - 1)
      .map((l) => Array.from({ length: maxBatch }, () => new SharedArrayBuffer(tapeBytes(nIn(l), nOut(l))))),
    inputError: layers.map((l) => new SharedArrayBuffer(maxBatch * nIn(l) * 8)),
    progress: new SharedArrayBuffer(participants * PROGRESS_STRIDE * 4),
    outTimes: new SharedArrayBuffer(maxBatch * nOut(L - 1) * 8),
    lossSlots: new SharedArrayBuffer((maxBatch + participants) * 8),
    batch: new SharedArrayBuffer(maxBatch * 4),
    control: new SharedArrayBuffer(Control.length * 4),
    rates: new SharedArrayBuffer(16),
  };
};

/** One weight layer as a participant sees it. */
interface LayerShare {
  readonly nIn: number;
  readonly nOut: number;
  /** Regular inputs (the rest are pulses). */
  readonly nReg: number;
  /** This participant's post neurons [lo, hi). */
  readonly lo: number;
  readonly hi: number;
  /** Offset of the layer's weights in params, and their slice of gradSum. */
  readonly offset: number;
  readonly grad: Float64Array;
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
  readonly layerParams: LayerGradientParams;
  readonly m: Float64Array;
  readonly v: Float64Array;
  readonly gradSum: Float64Array;
  readonly layers: readonly LayerShare[];
  /** tapes[l][b] for l < L−1 (shared); lastTapes[b] for the output layer (own). */
  readonly tapes: readonly (readonly LayerTape[])[];
  readonly lastTapes: readonly LayerTape[];
  readonly outTimes: readonly Float64Array[];
  /** Views of the own output range: of lastTapes[b]'s spike times, of the error, of the target. */
  readonly outRows: readonly Float64Array[];
  readonly deltaRows: Float64Array;
  readonly targetRows: Float64Array;
  readonly losses: Float64Array;
  readonly batch: Int32Array;
  readonly control: Int32Array;
  readonly progress: Int32Array;
  readonly rates: Float64Array;
  readonly ctx: ExampleContext;
}

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
): Participant => {
  const net = networkFromParams(shape, new Float64Array(buffers.params));
  const maxBatch = new Int32Array(buffers.batch).length;
  const L = net.layerSizes.length - 1;
  const slots = Array.from({ length: maxBatch }, (_, b) => b);
  const gradSum = new Float64Array(buffers.gradSum);
  let offset = 0;
  const layers = net.weights.map((w, l): LayerShare => {
    const nIn = layerInputWidth(net, l);
    const nOut = net.layerSizes[l + 1];
    const [lo, hi] = shareOf(nOut, index, count);
    const share: LayerShare = {
      nIn,
      nOut,
      nReg: net.layerSizes[l],
      lo,
      hi,
      offset,
      grad: gradSum.subarray(offset, offset + w.length),
      inputError: slots.map((b) => new Float64Array(buffers.inputError[l], b * nIn * 8, nIn)),
      delta: new Float64Array(nOut),
    };
    offset += w.length;
    return share;
  });
  const objective = objectiveOf(objectiveSpec);
  const ctx = createExampleContext(net, objective, hyper);
  const last = layers[L - 1];
  const lastTapes = slots.map(() => allocLayerTape(last.nIn, last.nOut));
  return {
    index,
    count,
    net,
    sets,
    objective,
    elementwise: elementwiseError(objectiveSpec),
    hyper,
    layerParams: { ...ctx.hyper, decayRate: net.decayRate },
    m: new Float64Array(buffers.adamM),
    v: new Float64Array(buffers.adamV),
    gradSum,
    layers,
    tapes: buffers.tapes.map((perSlot, l) =>
      perSlot.map((buf) => sharedLayerTape(buf, layers[l].nIn, layers[l].nOut)),
    ),
    lastTapes,
    outTimes: slots.map((b) => new Float64Array(buffers.outTimes, b * last.nOut * 8, last.nOut)),
    outRows: lastTapes.map((t) => t.post.spikeTime.subarray(last.lo, last.hi)),
    deltaRows: last.delta.subarray(last.lo, last.hi),
    targetRows: ctx.target.subarray(last.lo, last.hi),
    losses: new Float64Array(buffers.lossSlots),
    batch: new Int32Array(buffers.batch),
    control: new Int32Array(buffers.control),
    progress: new Int32Array(buffers.progress),
    rates: new Float64Array(buffers.rates),
    ctx,
  };
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

/** Phase 1: the layers below the output layer, for p's share of the batch's examples. */
export const forwardPhase = (p: Participant): void => {
  const n = Atomics.load(p.control, Control.batchSize);
  const [lo, hi] = shareOf(n, p.index, p.count);
  const { net } = p;
  for (let b = lo; b < hi; b++) {
    for (let l = 0; l < p.tapes.length; l++) {
      const tape = p.tapes[l][b];
      layerInputsInto(p, tape, l, b);
      layerForward(tape, net.weights[l], net.decayRate, net.threshold);
    }
  }
};

/**
 * Reads of a control word before sleeping on it (a few microseconds; a phase of a step lasts
 * about a millisecond, so a short spin saves most thread wake-ups).
 */
const SPIN_READS = 2000;

/** Spins briefly while `keep(words[at])` holds; returns the last value read. */
export const spinWhile = (words: Int32Array, at: number, keep: (v: number) => boolean): number => {
  let v = Atomics.load(words, at);
  for (let i = 0; i < SPIN_READS && keep(v); i++) v = Atomics.load(words, at);
  return v;
};

/** Int32 words from one relay counter to the next: 64 bytes, so no two share a cache line. */
const PROGRESS_STRIDE = 16;

/** Zeroes the relay counters; the main thread does it before it starts a phase that relays. */
export const resetProgress = (progress: Int32Array): void => {
  progress.fill(0);
};

/**
 * Waits until participant p − 1 has handed on example b's error terms (participant 0 never
 * waits). Gives up with an error when a participant failed, so no thread waits forever.
 */
const awaitTurn = (p: Participant, b: number): void => {
  if (p.index === 0) return;
  const at = (p.index - 1) * PROGRESS_STRIDE;
  for (;;) {
    const v = spinWhile(p.progress, at, (x) => x <= b);
    if (v > b) return;
    if (Atomics.load(p.control, Control.errors) > 0) {
      throw new Error(`training participant ${p.index}: participant ${p.index - 1} failed before handing on example ${b}`);
    }
    Atomics.wait(p.progress, at, v, WAIT_MS);
  }
};

/** How long a waiting participant sleeps before it looks for a failed one again. */
const WAIT_MS = 20;

/** Hands example b's error terms on to participant p + 1. */
const handOn = (p: Participant, b: number): void => {
  if (p.index === p.count - 1) return;
  const at = p.index * PROGRESS_STRIDE;
  Atomics.store(p.progress, at, b + 1);
  Atomics.notify(p.progress, at);
};

/**
 * The reverse pass of p's neurons of layer l for slot b, given their error `deltaOut`: weight
 * gradients into gradSum; error terms of the inputs added, in the relay, to `inputError[l][b]`
 * (participant 0 starts them from +0).
 */
const backwardShare = (p: Participant, l: number, tape: LayerTape, deltaOut: Float64Array, b: number): void => {
  const s = p.layers[l];
  const inputError = s.inputError[b];
  awaitTurn(p, b);
  if (p.index === 0) inputError.fill(0);
  layerBackwardRange(s.grad, inputError, tape, p.net.weights[l], deltaOut, p.layerParams, s.lo, s.hi);
  handOn(p, b);
};

/** Adam on p's rows of weight layer l (their gradient is complete). */
const updateRows = (p: Participant, l: number): void => {
  const s = p.layers[l];
  const n = Atomics.load(p.control, Control.batchSize);
  const step = Atomics.load(p.control, Control.step);
  const from = s.offset + s.lo * s.nIn;
  const to = s.offset + s.hi * s.nIn;
  adamUpdateRange(p.net.params, p.gradSum, p.m, p.v, from, to, n, step, p.rates[0], p.hyper, NO_FLOOR);
};

/**
 * Phase 2: p's output neurons for every example of the batch, in example order: spike times
 * (also into the shared output times), and — when the error is elementwise — error, reverse pass
 * and Adam. Otherwise {@link outputBackwardPhase} follows once every output is known.
 */
export const outputLayerPhase = (p: Participant): void => {
  const n = Atomics.load(p.control, Control.batchSize);
  const L = p.layers.length;
  const s = p.layers[L - 1];
  const { net } = p;
  s.grad.fill(0, s.lo * s.nIn, s.hi * s.nIn);
  for (let b = 0; b < n; b++) {
    const tape = p.lastTapes[b];
    layerInputsInto(p, tape, L - 1, b);
    sortLayerInputs(tape, net.decayRate, net.threshold);
    const times = layerFireRange(tape, net.weights[L - 1], net.decayRate, net.threshold, s.lo, s.hi);
    const out = p.outTimes[b];
    for (let k = s.lo; k < s.hi; k++) out[k] = times[k];
    if (p.elementwise) {
      p.sets[0].targetInto(p.ctx.target, p.batch[b]);
      p.objective.errorInto(p.deltaRows, p.outRows[b], p.targetRows);
      backwardShare(p, L - 1, tape, s.delta, b);
    }
  }
  if (p.elementwise) updateRows(p, L - 1);
};

/** Phase 2b (objectives whose error couples the outputs): error from all outputs, reverse pass, Adam. */
export const outputBackwardPhase = (p: Participant): void => {
  const n = Atomics.load(p.control, Control.batchSize);
  const L = p.layers.length;
  const s = p.layers[L - 1];
  for (let b = 0; b < n; b++) {
    p.sets[0].targetInto(p.ctx.target, p.batch[b]);
    p.objective.errorInto(s.delta, p.outTimes[b], p.ctx.target);
    backwardShare(p, L - 1, p.lastTapes[b], s.delta, b);
  }
  updateRows(p, L - 1);
};

/** The losses of p's share of the batch, from the shared output times, into the loss slots. */
export const lossShare = (p: Participant): void => {
  const n = Atomics.load(p.control, Control.batchSize);
  const [lo, hi] = shareOf(n, p.index, p.count);
  for (let b = lo; b < hi; b++) {
    p.losses[b] = p.objective.lossOf(p.outTimes[b], p.sets[0].targetInto(p.ctx.target, p.batch[b]));
  }
};

/**
 * How many examples of the batch the objective classifies correctly, from the shared output
 * times (main thread, after a step's phases; NaN when the objective has no classes).
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
 * Phase 3 for weight layer l < L−1: p's neurons of layer l for every example, in example order:
 * their error (the complete error terms of layer l + 1's inputs, whose first nOut(l) are these
 * neurons), reverse pass, then Adam on their rows. The phase of the topmost of these layers also
 * takes the losses of p's share of the examples.
 */
export const lowerLayerPhase = (p: Participant): void => {
  const n = Atomics.load(p.control, Control.batchSize);
  const l = Atomics.load(p.control, Control.layer);
  if (l === p.layers.length - 2) lossShare(p);
  const s = p.layers[l];
  const above = p.layers[l + 1];
  s.grad.fill(0, s.lo * s.nIn, s.hi * s.nIn);
  for (let b = 0; b < n; b++) backwardShare(p, l, p.tapes[l][b], above.inputError[b], b);
  updateRows(p, l);
};

/**
 * The last part of a step, on the main thread once the phases are done: the pulse gradients
 * (error terms of each layer's pulse inputs, summed in example order) and Adam on the pulses.
 */
export const pulseUpdate = (p: Participant): void => {
  const n = Atomics.load(p.control, Control.batchSize);
  const step = Atomics.load(p.control, Control.step);
  const { net, gradSum } = p;
  let at = net.weightCount;
  for (let l = 0; l < p.layers.length; l++) {
    const s = p.layers[l];
    for (let q = 0; q < net.pulses[l].length; q++) {
      let g = 0;
      for (let b = 0; b < n; b++) g += s.inputError[b][s.nReg + q];
      gradSum[at + q] = g;
    }
    at += net.pulses[l].length;
  }
  adamUpdateRange(net.params, gradSum, p.m, p.v, net.weightCount, at, n, step, p.rates[1], p.hyper, 0);
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

/** Runs the phase `command` on participant p (workers and the main thread alike). */
export const runCommand = (p: Participant, command: number): void => {
  if (command === Command.forward) forwardPhase(p);
  else if (command === Command.outputLayer) outputLayerPhase(p);
  else if (command === Command.outputBackward) outputBackwardPhase(p);
  else if (command === Command.lowerLayer) lowerLayerPhase(p);
  else if (command === Command.loss) lossShare(p);
  else if (command === Command.evaluate) evaluatePhase(p);
};
