/**
 * One training step: forward, error, reverse pass for each example of a batch (accumulating the
 * summed gradient in example order), then one Adam update with the gradient averaged over the
 * batch. Everything is preallocated in a {@link TrainContext}; the loop allocates nothing.
 */
import { type BackwardParams, type GradientViews, backwardInto, gradientViews } from '../model/backward.ts';
import { adamUpdateResident } from '../kernels/adamResident.ts';
import { forwardInto } from '../model/forward.ts';
import type { Network } from '../model/network.ts';
import { residentCopy } from '../model/residentNetwork.ts';
import { type Tape, allocTape, outputTimes } from '../model/tape.ts';
import { type AdamHyper, type AdamState, adamStep, allocAdamState } from './adam.ts';
import type { ExampleSet } from './exampleSet.ts';
import type { Objective } from './objective.ts';

export interface TrainHyper extends AdamHyper, BackwardParams {}

/** A TrainHyper whose learning rates may change between steps. */
export type MutableTrainHyper = { -readonly [K in keyof TrainHyper]: TrainHyper[K] };

/**
 * What one example's forward and reverse pass need. Every caller (sequential steps, worker
 * threads, evaluation) builds it with {@link createExampleContext}, so the hot functions always
 * see one object shape.
 */
export interface ExampleContext {
  readonly net: Network;
  readonly objective: Objective;
  readonly hyper: BackwardParams;
  readonly tape: Tape;
  readonly input: Float64Array;
  readonly target: Float64Array;
}

export const createExampleContext = (
  net: Network,
  objective: Objective,
  hyper: BackwardParams,
): ExampleContext => ({
  net,
  objective,
  hyper: {
    clipDerivative: hyper.clipDerivative,
    clipGradient: hyper.clipGradient,
    penaltyNoSpike: hyper.penaltyNoSpike,
  },
  tape: allocTape(net),
  input: new Float64Array(net.layerSizes[0]),
  target: new Float64Array(net.layerSizes[net.layerSizes.length - 1]),
});

/**
 * What the latest step measured, each example before the update: the summed loss and, when the
 * objective has classes (`Objective.isCorrect`), how many examples it classified correctly
 * (NaN otherwise). Overwritten by every step.
 */
export interface StepTotals {
  loss: number;
  correct: number;
  /**
   * Whether the step left every parameter and Adam moment finite, where the trainer found it out
   * as it went (the parallel trainer); absent: not checked.
   */
  finite?: boolean;
}

export interface TrainContext {
  readonly example: ExampleContext;
  readonly net: Network;
  readonly hyper: TrainHyper;
  /** Summed gradient of the current batch, laid out like net.params. */
  readonly grad: Float64Array;
  readonly gradViews: GradientViews;
  readonly adam: AdamState;
  readonly totals: StepTotals;
}

export const createTrainContext = (
  net: Network,
  objective: Objective,
  hyper: TrainHyper,
  adam: AdamState = allocAdamState(net.params.length),
): TrainContext => {
  const grad = new Float64Array(net.params.length);
  return {
    example: createExampleContext(net, objective, hyper),
    net,
    hyper,
    grad,
    gradViews: gradientViews(net, grad),
    adam,
    totals: { loss: 0, correct: Number.NaN },
  };
};

/**
 * Forward + reverse pass of example i, adding its gradient to `grad` (views). Returns its loss,
 * measured before any update.
 */
export const accumulateExample = (
  grad: GradientViews,
  ctx: ExampleContext,
  set: ExampleSet,
  i: number,
): number => {
  const { net, tape, objective } = ctx;
  const out = forwardInto(tape, net, set.inputInto(ctx.input, i));
  set.targetInto(ctx.target, i);
  const loss = objective.lossOf(out, ctx.target);
  objective.errorInto(tape.deltaOut, out, ctx.target);
  backwardInto(grad, tape, net, ctx.hyper);
  return loss;
};

/**
 * One Adam step on the examples `order[from..to)`. Returns the summed loss of those examples,
 * each measured before the update; `ctx.totals` holds it too, with the count of correctly
 * classified examples.
 */
export const trainStep = (
  ctx: TrainContext,
  set: ExampleSet,
  order: ArrayLike<number>,
  from: number,
  to: number,
): number => {
  const { example } = ctx;
  // the step runs on a copy of the parameters and Adam moments in the kernel memory, where the
  // SIMD kernels read the weights, add to the gradient and update all three in place (see
  // residentNetwork.ts, adamResident.ts); same results bit for bit
  const work = residentCopy(ctx.net, true, ctx.adam);
  const residentExample = residentExampleOf(example, work.net);
  const isCorrect = example.objective.isCorrect;
  let lossSum = 0;
  let correct = isCorrect === undefined ? Number.NaN : 0;
  for (let b = from; b < to; b++) {
    lossSum += accumulateExample(work.gradViews, residentExample, set, order[b]);
    if (isCorrect !== undefined && isCorrect(outputTimes(example.tape), example.target)) correct++;
  }
  ctx.grad.set(work.grad);
  adamStep(work.net.params, ctx.net.weightCount, work.grad, to - from, ctx.adam, ctx.hyper, adamUpdateResident, work);
  ctx.net.params.set(work.net.params);
  ctx.adam.m.set(work.m);
  ctx.adam.v.set(work.v);
  ctx.totals.loss = lossSum;
  ctx.totals.correct = correct;
  return lossSum;
};

/** The example context over another network (the resident copy): same tape, input and target. */
const residentExamples = new WeakMap<ExampleContext, ExampleContext>();
const residentExampleOf = (example: ExampleContext, net: Network): ExampleContext => {
  let r = residentExamples.get(example);
  if (r === undefined || r.net !== net) {
    r = { ...example, net };
    residentExamples.set(example, r);
  }
  return r;
};

/**
 * Mean loss over examples [0, count) of a set, without training. With `predicted`, an objective
 * with classes also writes each example's predicted class there (−1: no output fired), so that
 * accuracies need no second pass.
 */
export const evaluate = (
  net: Network,
  objective: Objective,
  set: ExampleSet,
  count = set.count,
  predicted?: Int32Array,
): number => {
  const tape = allocTape(net);
  const input = new Float64Array(net.layerSizes[0]);
  const target = new Float64Array(net.layerSizes[net.layerSizes.length - 1]);
  const { predict } = objective;
  // a copy of the parameters in the kernel memory, read in place by the SIMD scan (same results)
  const work = residentCopy(net, false).net;
  let sum = 0;
  for (let i = 0; i < count; i++) {
    const out = forwardInto(tape, work, set.inputInto(input, i));
    sum += objective.lossOf(out, set.targetInto(target, i));
    if (predicted !== undefined && predict !== undefined) predicted[i] = predict(out);
  }
  return count > 0 ? sum / count : Number.NaN;
};
