/**
 * The one interface the epoch loop drives: a sequential in-process trainer, or the data-parallel
 * one (`parallel/parallelTrainer.ts`), which gives bit-identical results.
 */
import type { Network } from '../model/network.ts';
import type { AdamState } from './adam.ts';
import type { ExampleSet } from './exampleSet.ts';
import type { Objective } from './objective.ts';
import {
  type MutableTrainHyper,
  type StepTotals,
  type TrainHyper,
  createTrainContext,
  evaluate,
  trainStep,
} from './trainStep.ts';

export interface Trainer {
  readonly network: Network;
  readonly adam: AdamState;
  /** One Adam step on examples order[from..to) of set 0; returns their summed loss. */
  step(order: ArrayLike<number>, from: number, to: number): number;
  /**
   * The latest step's summed loss and count of correctly classified examples (see StepTotals);
   * a trainer without it reports no running accuracy.
   */
  readonly lastStep?: Readonly<StepTotals>;
  /**
   * Mean loss over the first `count` examples of example set `set`; with `predicted` (room for
   * `count` values), an objective with classes also writes each example's predicted class there.
   */
  evaluate(set: number, count?: number, predicted?: Int32Array): number;
  /** Changes the Adam learning rates (e.g. a per-epoch decay). */
  setLearningRates(weights: number, pulses: number): void;
  close(): Promise<void>;
}

/** The sequential trainer: one thread, no shared memory. */
export const createSequentialTrainer = (
  network: Network,
  sets: readonly ExampleSet[],
  objective: Objective,
  hyper: TrainHyper,
  adam?: AdamState,
): Trainer => {
  const rates: MutableTrainHyper = { ...hyper };
  const ctx = createTrainContext(network, objective, rates, adam);
  return {
    network,
    adam: ctx.adam,
    lastStep: ctx.totals,
    step: (order, from, to) => trainStep(ctx, sets[0], order, from, to),
    evaluate: (set, count, predicted) => evaluate(network, objective, sets[set], count, predicted),
    setLearningRates: (weights, pulses) => {
      rates.learningRate = weights;
      rates.learningRatePulses = pulses;
    },
    close: async () => {},
  };
};
