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
 * 3. each lower layer, from the top: participant p owns a range of its neurons, sums their error
 *    terms from the layer above, runs their reverse pass and Adam on their rows. The first of
 *    these phases also takes the losses of p's share of the examples;
 * 4. the main thread sums the pulse gradients and applies Adam to the pulses (a few dozen values).
 *
 * Only the error terms of a layer's inputs cross neuron ranges. Participant 0 sums its neurons'
 * terms directly (a prefix); the others write one row of terms per neuron, and the layer below
 * adds those rows to the prefix in neuron order. Every sum therefore runs in the order of the
 * sequential `trainStep` (adding a term that is exactly 0 changes nothing: the sums start at +0
 * and so never hold −0), and results are the same bit for bit for any number of participants.
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
  /** prefix[l]: maxBatch × nIn(l) error terms of layer l's inputs summed over participant 0's neurons. */
  readonly prefix: readonly SharedArrayBuffer[];
  /** terms[l]: maxBatch × nOut(l) × nIn(l) per-neuron error-term rows of the other participants. */
  readonly terms: readonly SharedArrayBuffer[];
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
    prefix: layers.map((l) => new SharedArrayBuffer(maxBatch * nIn(l) * 8)),
    // only needed with more than one participant
    terms: layers.map((l) => new SharedArrayBuffer(participants > 1 ? maxBatch * nOut(l) * nIn(l) * 8 : 0)),
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
  /** This participant's post neurons [lo, hi), and participant 0's end (where term rows start). */
  readonly lo: number;
  readonly hi: number;
  readonly firstEnd: number;
  /** Offset of the layer's weights in params, and their slice of gradSum. */
  readonly offset: number;
  readonly grad: Float64Array;
  readonly prefix: readonly Float64Array[];
  readonly terms: readonly Float64Array[];
  /** Error signal of this layer's post neurons (own range filled), for the current example. */
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
    const termRows = buffers.terms[l].byteLength > 0 ? nOut * nIn : 0;
    const share: LayerShare = {
      nIn,
      nOut,
      nReg: net.layerSizes[l],
      lo,
      hi,
      firstEnd: shareOf(nOut, 0, count)[1],
      offset,
      grad: gradSum.subarray(offset, offset + w.length),
      prefix: slots.map((b) => new Float64Array(buffers.prefix[l], b * nIn * 8, nIn)),
      terms: slots.map((b) => new Float64Array(buffers.terms[l], b * termRows * 8, termRows)),
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
 * The reverse pass of p's neurons of layer l for slot b (error already in `layers[l].delta`):
 * weight gradients into gradSum, error terms of the inputs into the prefix (participant 0) or
 * into the neurons' term rows.
 */
const backwardShare = (p: Participant, l: number, tape: LayerTape, b: number): void => {
  const s = p.layers[l];
  const gw = p.net.weights[l];
  if (p.index === 0) {
    const prefix = s.prefix[b];
    prefix.fill(0);
    layerBackwardRange(s.grad, prefix, tape, gw, s.delta, p.layerParams, s.lo, s.hi);
  } else {
    const terms = s.terms[b];
    terms.fill(0, s.lo * s.nIn, s.hi * s.nIn);
    layerBackwardRange(s.grad, terms, tape, gw, s.delta, p.layerParams, s.lo, s.hi, s.nIn);
  }
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

/** The error terms of input j of layer l for slot b, summed over all neurons in neuron order. */
const inputError = (s: LayerShare, b: number, j: number): number => {
  let d = s.prefix[b][j];
  const terms = s.terms[b];
  for (let k = s.firstEnd; k < s.nOut; k++) d += terms[k * s.nIn + j];
  return d;
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
      backwardShare(p, L - 1, tape, b);
    }
  }
  if (p.elementwise) updateRows(p, L - 1);
};

/** Phase 2b (objectives whose error couples the outputs): error from all outputs, reverse pass, Adam. */
export const outputBackwardPhase = (p: Participant): void => {
  const n = Atomics.load(p.control, Control.batchSize);
  const L = p.layers.length;
  for (let b = 0; b < n; b++) {
    p.sets[0].targetInto(p.ctx.target, p.batch[b]);
    p.objective.errorInto(p.layers[L - 1].delta, p.outTimes[b], p.ctx.target);
    backwardShare(p, L - 1, p.lastTapes[b], b);
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
 * their error (summed from the layer above), reverse pass, then Adam on their rows. The phase of
 * the topmost of these layers also takes the losses of p's share of the examples.
 */
export const lowerLayerPhase = (p: Participant): void => {
  const n = Atomics.load(p.control, Control.batchSize);
  const l = Atomics.load(p.control, Control.layer);
  if (l === p.layers.length - 2) lossShare(p);
  const s = p.layers[l];
  const above = p.layers[l + 1];
  s.grad.fill(0, s.lo * s.nIn, s.hi * s.nIn);
  for (let b = 0; b < n; b++) {
    for (let k = s.lo; k < s.hi; k++) s.delta[k] = inputError(above, b, k);
    backwardShare(p, l, p.tapes[l][b], b);
  }
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
      for (let b = 0; b < n; b++) g += inputError(s, b, s.nReg + q);
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
