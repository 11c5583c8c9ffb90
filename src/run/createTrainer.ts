/**
 * Trainer choice: for the alpha neuron the data-parallel trainer, on `workers` worker threads
 * besides the main thread (0: the main thread alone, which trains 4–10 % faster than the
 * sequential `trainStep` loop, see parallelTrainer.ts); for other neuron models the sequential
 * trainer. Results are bit-identical either way.
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
  /** Worker threads besides the main thread (0 = the main thread alone). */
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
  if (network.neuron !== alphaModel) return createSequentialTrainer(network, sets, task.objective(c), hyper, adam);
  if (choice.workers > 0 && choice.workerScript === undefined) {
    throw new InputError(`workers: ${choice.workers} worker threads need the bundled worker script (workerScript)`);
  }
  return createParallelTrainer({
    network,
    exampleSets: sets,
    // the workers' view of the data (the main thread alone reads `sets`)
    examples: choice.workers > 0 ? task.sharedExampleSets(c, data) : [],
    objective: task.objectiveSpec(c),
    hyper,
    workers: choice.workers,
    maxBatch: c.batchSize,
    workerScript: choice.workerScript,
    adam,
  });
};
