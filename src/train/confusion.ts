/**
 * Classification metrics of a network on an example set: the class is the output neuron that
 * fires first (`firstSpikeClass`); the label is the index of the target's largest entry (one-hot).
 *
 * The confusion matrix has one row per label and `classes + 1` columns: column j < classes
 * counts the examples of that label predicted as class j, the last column those with no output
 * spike at all (no prediction, counted as wrong). Accuracy = (Σ diagonal) / examples.
 *
 * ## Example
 * ```ts
 * const m = confusionMatrix(network, testSet, 10);
 * console.log(m.accuracy, m.counts[3 * 11 + 5]); // label 3 predicted as 5
 * ```
 */
import { forwardInto } from '../model/forward.ts';
import type { Network } from '../model/network.ts';
import { allocTape } from '../model/tape.ts';
import type { ExampleSet } from './exampleSet.ts';
import { firstSpikeClass } from './loss.ts';

export interface ConfusionMatrix {
  readonly classes: number;
  readonly examples: number;
  /** Row-major, classes rows × (classes + 1) columns (the last: no output spike). */
  readonly counts: Int32Array;
  /** Fraction of examples whose first output spike is their label's neuron (NaN for none). */
  readonly accuracy: number;
}

/** The index of the largest entry (the label of a one-hot target). */
export const argMax = (v: Float64Array): number => {
  let best = 0;
  for (let j = 1; j < v.length; j++) if (v[j] > v[best]) best = j;
  return best;
};

/** Accuracy of a matrix of counts (Σ diagonal / Σ all). */
export const accuracyOf = (counts: Int32Array, classes: number): number => {
  let right = 0;
  let all = 0;
  for (let r = 0; r < classes; r++) {
    right += counts[r * (classes + 1) + r];
    for (let c = 0; c <= classes; c++) all += counts[r * (classes + 1) + c];
  }
  return all > 0 ? right / all : Number.NaN;
};

/**
 * The confusion matrix of predicted classes (`predicted[i]` for example i of `set`, −1: no output
 * fired) on examples [0, count), e.g. those a training run's evaluation pass wrote.
 */
export const confusionOfPredictions = (predicted: Int32Array, set: ExampleSet, classes: number, count = set.count): ConfusionMatrix => {
  const n = Math.min(count, set.count);
  if (predicted.length < n) throw new RangeError(`confusionOfPredictions: ${predicted.length} predictions for ${n} examples`);
  const target = new Float64Array(set.targetSize);
  const counts = new Int32Array(classes * (classes + 1));
  for (let i = 0; i < n; i++) {
    const p = predicted[i];
    counts[argMax(set.targetInto(target, i)) * (classes + 1) + (p < 0 ? classes : p)]++;
  }
  return { classes, examples: n, counts, accuracy: accuracyOf(counts, classes) };
};

/** The confusion matrix of `network` on examples [0, count) of `set`. */
export const confusionMatrix = (network: Network, set: ExampleSet, count = set.count): ConfusionMatrix => {
  const sizes = network.layerSizes;
  const classes = sizes[sizes.length - 1];
  if (set.targetSize !== classes) {
    throw new RangeError(`confusionMatrix: the network has ${classes} outputs, the examples ${set.targetSize} classes`);
  }
  const n = Math.min(count, set.count);
  const tape = allocTape(network);
  const input = new Float64Array(sizes[0]);
  const predicted = new Int32Array(n);
  for (let i = 0; i < n; i++) predicted[i] = firstSpikeClass(forwardInto(tape, network, set.inputInto(input, i)));
  return confusionOfPredictions(predicted, set, classes, n);
};
