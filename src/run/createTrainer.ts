/**
 * Trainer choice: the sequential in-process trainer, or the data-parallel one on worker threads
 * (bit-identical results) when `workers` > 0.
 */
import type { TrainingConfig } from '../config/config.ts';
import { InputError } from '../io/inputError.ts';
import type { Network } from '../model/network.ts';
import type { AdamState } from '../train/adam.ts';
import { alphaModel } from '../kernels/alpha.ts';
import { createParallelTrainer } from '../train/parallel/parallelTrainer.ts';
import { type Trainer, createSequentialTrainer } from '../train/trainer.ts';
import type { RunData } from './runData.ts';
import { hyperOf } from './schedule.ts';
import type { TrainTask } from './task.ts';

export interface TrainerChoice {
  /** Worker threads besides the main thread (0 = sequential). */
  readonly workers: number;
  /** The bundled worker entry script (needed when workers > 0). */
  readonly workerScript?: string;
}

export const createTrainer = async (
  task: TrainTask,
  c: TrainingConfig,
  data: RunData,
  network: Network,
  choice: TrainerChoice,
  adam?: AdamState,
): Promise<Trainer> => {
  const hyper = hyperOf(c);
  const sets = task.exampleSets(c, data);
  // the parallel trainer's neuron-split kernels are alpha-only: other models train on one thread
  if (choice.workers === 0 || network.neuron !== alphaModel) return createSequentialTrainer(network, sets, task.objective(c), hyper, adam);
  if (choice.workerScript === undefined) {
    throw new InputError(`workers: ${choice.workers} worker threads need the bundled worker script (workerScript)`);
  }
  return createParallelTrainer({
    network,
    exampleSets: sets,
    examples: task.sharedExampleSets(c, data),
    objective: task.objectiveSpec(c),
    hyper,
    workers: choice.workers,
    maxBatch: c.batchSize,
    workerScript: choice.workerScript,
    adam,
  });
};
