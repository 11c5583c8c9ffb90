/**
 * `evaluate(network, data, options)`: the mean loss of a network on one part of a run's data
 * (test by default), under the task's objective and the config's settings (latency, penalties);
 * for a classifier also its accuracy and confusion matrix (src/train/confusion.ts). The task is
 * `options.task`, else the config's `task`, else `autoencode`.
 * The network must fit the data: its layer sizes are checked against what the task builds.
 *
 * ## Example
 * ```ts
 * const data = loadRunData(config);
 * const { loss } = evaluate(best, data, { config, limit: 1000 });
 * ```
 */
import type { TrainingConfig } from '../config/config.ts';
import { InputError } from '../io/inputError.ts';
import type { Network } from '../model/network.ts';
import { type ConfusionMatrix, confusionMatrix } from '../train/confusion.ts';
import { evaluate as meanLoss } from '../train/trainStep.ts';
import type { RunData } from './runData.ts';
import { TASKS, type TaskName } from './task.ts';

export type Split = 'train' | 'validation' | 'test';

export interface EvaluateOptions {
  /** The settings the loss depends on (latency, penalties), usually the model's own config. */
  readonly config: TrainingConfig;
  readonly task?: TaskName;
  /** Which part of the data (default 'test'). */
  readonly split?: Split;
  /** Only the first `limit` examples of the split. */
  readonly limit?: number;
}

export interface Evaluation {
  readonly split: Split;
  readonly examples: number;
  readonly loss: number;
  /** Classifiers: fraction classified right (the first output spike is the label's neuron). */
  readonly accuracy?: number;
  readonly confusion?: ConfusionMatrix;
}

export const evaluate = (network: Network, data: RunData, o: EvaluateOptions): Evaluation => {
  const task = TASKS[o.task ?? o.config.task ?? 'autoencode'];
  const want = task.layerSizes(o.config, data);
  const have = network.layerSizes;
  if (have[0] !== want[0] || have[have.length - 1] !== want[want.length - 1]) {
    throw new InputError(
      `evaluate: the network takes ${have[0]} inputs and gives ${have[have.length - 1]} outputs; ` +
        `the data (${data.rows}×${data.cols}) needs ${want[0]} and ${want[want.length - 1]}`,
    );
  }
  const split = o.split ?? 'test';
  const [trainSet, validationSet, testSet] = task.exampleSets(o.config, data);
  const set = split === 'train' ? trainSet : split === 'validation' ? validationSet : testSet;
  if (o.limit !== undefined && !(Number.isInteger(o.limit) && o.limit > 0)) {
    throw new InputError(`evaluate: limit: expected a positive integer, got ${o.limit}`);
  }
  const examples = Math.min(o.limit ?? set.count, set.count);
  if (examples === 0) throw new InputError(`evaluate: the ${split} split holds no examples`);
  const loss = meanLoss(network, task.objective(o.config), set, examples);
  if (task.name !== 'classify') return { split, examples, loss };
  const confusion = confusionMatrix(network, set, examples);
  return { split, examples, loss, accuracy: confusion.accuracy, confusion };
};
