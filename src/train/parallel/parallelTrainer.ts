/**
 * Parallel training on worker threads (2 cores here): the main thread and `workers` threads share
 * the parameters, Adam moments, the batch's gradient and forward tapes in SharedArrayBuffers and
 * split every step by neurons (see `sharedState.ts`). Results are bit-identical to the sequential
 * `trainStep` for any number of workers.
 *
 * The thread count is the caller's decision (`workers`, 0 = sequential in process): a scheduler
 * that already runs one job per core (search trials, experiment grids) passes 0.
 *
 * ## Example
 * ```ts
 * const trainer = await createParallelTrainer({ network, examples, objective, hyper, workers: 1, maxBatch: 7 });
 * const loss = trainer.step(batchIndices, 0, 7); // summed loss of the 7 examples
 * await trainer.close();
 * ```
 */
import { Worker } from 'node:worker_threads';
import type { BackwardParams } from '../../model/backward.ts';
import { alphaModel } from '../../kernels/alpha.ts';
import { type Network, type NetworkShape, networkFromParams } from '../../model/network.ts';
import type { AdamHyper, AdamState } from '../adam.ts';
import type { ExampleSet } from '../exampleSet.ts';
import type { Trainer } from '../trainer.ts';
import type { StepTotals } from '../trainStep.ts';
import {
  Command,
  Control,
  type ObjectiveSpec,
  type SharedBuffers,
  allocSharedBuffers,
  correctOfBatch,
  lowerBoundsOf,
  participant,
  runCommand,
  MOMENT_BAND,
  prefetchOne,
} from './sharedState.ts';
import { SCAN_GROUP, createBalance, createLowerBalance, followOutput, rebalance } from './balance.ts';
import { spinWhile } from './signals.ts';
import { osThreadAlive } from './threadLiveness.ts';

export interface WorkerInit {
  readonly index: number;
  readonly count: number;
  readonly shape: NetworkShape;
  readonly buffers: SharedBuffers;
  readonly examples: readonly ExamplesDescriptor[];
  readonly objective: ObjectiveSpec;
  readonly hyper: AdamHyper & BackwardParams;
}

/**
 * A structured-cloneable description of the example set (SharedArrayBuffers inside, never copies)
 * that the worker entry script knows how to open, e.g. `EncodedExamplesDescriptor`.
 */
export interface ExamplesDescriptor {
  readonly kind: string;
}

export interface ParallelTrainerOptions {
  /** Initial parameters and shape (copied into shared memory). */
  readonly network: Network;
  /**
   * The example sets, as the main thread reads them (sets[0] is trained on, the others can be
   * evaluated, e.g. validation and test) …
   */
  readonly exampleSets: readonly ExampleSet[];
  /** … and as descriptors for the workers (the same data, shared; none needed without workers). */
  readonly examples: readonly ExamplesDescriptor[];
  readonly objective: ObjectiveSpec;
  readonly hyper: AdamHyper & BackwardParams;
  /**
   * Extra worker threads besides the main thread. 0: the main thread alone runs every share of a
   * step, keeping the rows' copies in its kernel memory between steps like every thread (faster
   * than the sequential `trainStep`, which copies the state in and out at every step).
   */
  readonly workers: number;
  readonly maxBatch: number;
  /** Adam state to continue from (e.g. on resume). */
  readonly adam?: AdamState;
  /** Path of the built worker script (dist/trainWorker.js, see src/cli/packageFiles.ts); needed with workers. */
  readonly workerScript?: string;
  /**
   * Moves the output layer's split between steps: participant p (0: the main thread) owns output
   * neurons [bounds[p], bounds[p + 1]); `ownWork[p]` is its own work in the last step (ms, its
   * time less its waits). Any split gives the same results. Default: `rebalance` (balance.ts),
   * toward equal own work.
   */
  readonly split?: (bounds: Int32Array, ownWork: Float64Array) => void;
  /**
   * Moves the split of the layer below the output layer between steps (its P + 1 bounds, as
   * `split` the output layer's); returns whether it moved them. Any split gives the same results.
   * Default: `followOutput` (balance.ts): the split starts even with one group more for
   * participant 0, the head of the relay (`headedSplit`; on whole groups of the scan kernel's
   * eight neurons where every participant gets two: the forward pass splits the layer like its
   * reverse pass, and a group cut in two is scanned by both participants), and moves a group at a
   * time toward participant 0 while the output split gives it many more neurons than its even
   * share, and back, down to where it started, while it gives it many fewer.
   */
  readonly lowerSplit?: (bounds: Int32Array) => boolean;
}

/**
 * A trainer over shared memory. `network.params`, `adam.m` and `adam.v` are the state of record
 * between steps, to read at any time; to change them use `reset` (each thread keeps a copy of its
 * own rows from step to step, and `reset` tells it to take them again). A change written straight
 * into them must be undone before the next step, as the weight average's evaluation does.
 *
 * `adam.m` and `adam.v` are read through the `adam` object: the threads keep the moments of their
 * rows between steps and write them back when one of the two is read (a flush phase, once after a
 * step however often they are read). So keep the `adam` object across steps, not the arrays that
 * its `m` and `v` give.
 */
export interface ParallelTrainer extends Trainer {
  /** Sets the parameters (and the Adam state: fresh when omitted), e.g. to repeat a run. */
  reset(params: Float64Array, adam?: AdamState): void;
}

export const createParallelTrainer = async (
  o: ParallelTrainerOptions,
): Promise<ParallelTrainer> => {
  const shape: NetworkShape = o.network;
  if (o.network.neuron !== alphaModel) {
    throw new RangeError(`parallel trainer: its neuron-split kernels are the alpha fast path; train a ${o.network.neuron.name} network with 0 workers`);
  }
  const maxEvaluated = Math.max(0, ...o.exampleSets.map((s) => s.count));
  const buffers = allocSharedBuffers(shape, o.maxBatch, o.workers + 1, maxEvaluated);
  const network = networkFromParams(shape, new Float64Array(buffers.params));
  network.params.set(o.network.params);
  const m = new Float64Array(buffers.adamM);
  const v = new Float64Array(buffers.adamV);
  if (o.adam) {
    m.set(o.adam.m);
    v.set(o.adam.v);
  }
  // Each thread keeps the moments of its rows in its kernel memory between steps (see
  // sharedState.ts, Work): reading them here first has every thread write them back.
  let unflushed = false;
  const flush = (): void => {
    if (!unflushed) return;
    unflushed = false;
    runPhase(Command.flush);
  };
  const adam: AdamState = {
    get m() {
      flush();
      return m;
    },
    get v() {
      flush();
      return v;
    },
    step: o.adam?.step ?? 0,
  };
  const lastStep: StepTotals = { loss: 0, correct: Number.NaN };
  const count = o.workers + 1;
  if (o.exampleSets.length === 0 || (o.workers > 0 && o.exampleSets.length !== o.examples.length)) {
    throw new RangeError('createParallelTrainer: one descriptor per example set, at least one set');
  }
  const control = new Int32Array(buffers.control);
  const errors: string[] = [];
  // each worker's thread id, from its ready message (undefined where the system does not say)
  const tids: (number | undefined)[] = [];
  // a worker that ended without a word (its thread gone): the other threads stop waiting, the
  // main thread throws instead of waiting for ever
  const workersRunning = (): void => {
    for (let w = 0; w < tids.length; w++) {
      if (osThreadAlive(tids[w])) continue;
      Atomics.add(control, Control.errors, 1);
      throw new Error(`training worker ${w + 1} has ended (its thread is gone) while the step waited for it${errors.length > 0 ? `:\n${errors.join('\n')}` : ''}`);
    }
  };
  const main = participant(0, count, shape, buffers, o.exampleSets, o.objective, o.hyper, workersRunning);
  const trainCount = o.exampleSets[0].count;
  // the output layer's split between the threads, moved toward equal work after every step (its
  // quantum is the scan kernel's group of eight neurons, see alphaScanRange.ts)
  const balance = createBalance(count, shape.layerSizes[shape.layerSizes.length - 1], SCAN_GROUP, main.bounds);
  const split = o.split ?? ((_: Int32Array, ownWork: Float64Array) => void rebalance(balance, ownWork));
  // the split of the layer below the output layer, following the output layer's (or as a caller's
  // lowerSplit moves it); before a move every thread writes its moments back, and each copies in
  // the rows it took over at the next step
  const nLayers = shape.layerSizes.length - 1;
  const lowerBounds = nLayers > 1 ? lowerBoundsOf(buffers.lowerBounds, nLayers - 2, count) : undefined;
  const lowerBalance = createLowerBalance(count, shape.layerSizes[nLayers], shape.layerSizes[nLayers - 1], balance.quantum);
  const lowerSplit = o.lowerSplit ?? ((bounds: Int32Array) => followOutput(lowerBalance, main.bounds, bounds));
  // the split of the last step: a boundary that moved further than the rows whose moments each
  // thread writes back after every step needs a flush first
  const lastBounds = Int32Array.from(main.bounds);
  const movedFar = (): boolean => {
    for (let q = 0; q <= count; q++) if (Math.abs(main.bounds[q] - lastBounds[q]) > MOMENT_BAND) return true;
    return false;
  };
  main.rates[0] = o.hyper.learningRate;
  main.rates[1] = o.hyper.learningRatePulses;
  const threads = await Promise.all(
    Array.from({ length: o.workers }, (_, w) => {
      const init: WorkerInit = {
        index: w + 1,
        count,
        shape: { layerSizes: shape.layerSizes, nPulses: shape.nPulses, decayRate: shape.decayRate, threshold: shape.threshold },
        buffers,
        examples: o.examples,
        objective: o.objective,
        hyper: o.hyper,
      };
      if (o.workerScript === undefined) {
        throw new RangeError(`createParallelTrainer: ${o.workers} worker threads need the worker script (workerScript)`);
      }
      // (Not kept: the threads pinned to a CPU each, the main thread to one and the worker to the
      // other (`taskset -p`), on the golden H=32 network with one worker, alternated in one
      // process against no pinning, 3 runs of 16 pairs of 2000-image passes: paired medians
      // 1.009, 1.004, 1.007.)
      const worker = new Worker(o.workerScript, { workerData: init });
      worker.on('message', (msg: { error?: string }) => {
        if (msg.error) errors.push(msg.error);
      });
      return new Promise<Worker>((resolve, reject) => {
        worker.once('message', (msg: { tid?: number }) => {
          tids[w] = msg.tid;
          resolve(worker);
        });
        worker.once('error', reject);
      }).then((started) => {
        // (an error after the start: its text, for the error the step throws)
        started.on('error', (e) => errors.push(e instanceof Error ? e.message : String(e)));
        return started;
      });
    }),
  );

  const runPhase = (command: number): void => {
    main.signals.fill(0); // no thread waits on them between phases
    Atomics.store(control, Control.done, 0);
    Atomics.store(control, Control.command, command);
    Atomics.add(control, Control.generation, 1);
    Atomics.notify(control, Control.generation);
    let failure: unknown;
    try {
      runCommand(main, command);
    } catch (e) {
      // the workers waiting for the main thread's share see this and stop waiting
      Atomics.add(control, Control.errors, 1);
      failure = e;
    }
    // a step's last wait, for the workers to finish: the main thread sorts ahead meanwhile
    if (command === Command.step) while (Atomics.load(control, Control.done) < o.workers && prefetchOne(main));
    for (;;) {
      const done = spinWhile(control, Control.done, (d) => d < o.workers, main.spinReads);
      if (done >= o.workers) break;
      workersRunning();
      Atomics.wait(control, Control.done, done, 100);
    }
    if (failure !== undefined) throw failure;
    if (Atomics.load(control, Control.errors) > 0) {
      throw new Error(`training worker failed:\n${errors.join('\n') || '(no message yet)'}`);
    }
  };

  return {
    network,
    adam,
    lastStep,
    step: (order, from, to) => {
      const n = to - from;
      if (n < 1 || n > o.maxBatch) throw new RangeError(`batch of ${n}: expected 1..${o.maxBatch}`);
      for (let b = 0; b < n; b++) main.batch[b] = order[from + b];
      // the guess at the next batch: the examples that follow in the caller's order (an entry
      // that is no example of the set ends it: the step would refuse it, a guess must not fail)
      let guessing = true;
      for (let b = 0; b < main.nextBatch.length; b++) {
        const e = b < n && to + b < order.length ? order[to + b] : -1;
        guessing &&= Number.isInteger(e) && e >= 0 && e < trainCount;
        main.nextBatch[b] = guessing ? e : -1;
      }
      Atomics.store(control, Control.batchSize, n);
      adam.step += 1;
      Atomics.store(control, Control.step, adam.step);
      if (movedFar()) flush();
      lastBounds.set(main.bounds);
      unflushed = true;
      runPhase(Command.step);
      split(main.bounds, main.ownWork);
      // a thread takes over rows of the lower layers from shared memory: their moments go there first
      if (lowerBounds !== undefined && count > 1 && lowerSplit(lowerBounds)) flush();
      let loss = 0;
      for (let b = 0; b < n; b++) loss += main.losses[b];
      lastStep.loss = loss;
      lastStep.correct = correctOfBatch(main);
      let finite = true;
      for (let q = 0; q < count; q++) finite &&= main.finite[q] === 1;
      lastStep.finite = finite;
      return loss;
    },
    evaluate: (set, n = o.exampleSets[set].count, predicted) => {
      if (n === 0) return Number.NaN;
      if (n > main.predicted.length) {
        throw new RangeError(`parallel trainer: evaluation of ${n} examples, room for ${main.predicted.length} (the largest set)`);
      }
      Atomics.store(control, Control.evalSet, set);
      Atomics.store(control, Control.evalCount, n);
      runPhase(Command.evaluate);
      // the examples' losses summed in example order, as the sequential evaluate sums them
      let sum = 0;
      for (let i = 0; i < n; i++) sum += main.losses[o.maxBatch + i];
      if (predicted !== undefined) predicted.set(main.predicted.subarray(0, n));
      return sum / n;
    },
    setLearningRates: (weights, pulses) => {
      main.rates[0] = weights;
      main.rates[1] = pulses;
    },
    reset: (params, from) => {
      // the threads' copies of their rows are stale now (see sharedState.ts, bindWork)
      Atomics.add(control, Control.state, 1);
      network.params.set(params);
      if (from) {
        m.set(from.m);
        v.set(from.v);
      } else {
        m.fill(0);
        v.fill(0);
      }
      adam.step = from?.step ?? 0;
      unflushed = false;
    },
    close: async () => {
      // the moments stay readable (unless a thread failed: then the threads cannot take a phase)
      if (Atomics.load(control, Control.errors) === 0) flush();
      Atomics.store(control, Control.command, Command.exit);
      Atomics.add(control, Control.generation, 1);
      Atomics.notify(control, Control.generation);
      await Promise.all(threads.map((t) => t.terminate()));
    },
  };
};
