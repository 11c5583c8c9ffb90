/**
 * What two threads of this very workload get out of the machine at the moment: two independent
 * one-thread trainings run at once, the main thread's and a worker's, each over the same examples
 * from the same state (as two runs of `spikeline search` or of the experiments, one per core).
 * Nothing couples them, so their summed rate over the rate of one training alone (in the same
 * repetition) is the most a 2-thread trainer of the same work could reach then.
 *
 * Why beside `parallelCeiling.ts`: its job of pure arithmetic (four chains of multiply-adds in
 * registers) takes little from a core, where training streams weights and tapes through the
 * caches and the vector units, which the host may share out otherwise. On this virtual machine
 * (2026-12-01), in four of six runs of two such trainings at once, one thread got about two
 * thirds of the other's rate (for example 4437 and 6757 images/s, 6951 alone); in the bench runs
 * of the same day the pure-arithmetic ceiling was 1.9–2.0 throughout.
 *
 * ## Example
 * ```ts
 * const probe = await createIndependentProbe({ ...trainerOptions, images: 2000, workerScript });
 * const [main, other] = probe.measure(() => pass());   // seconds of each, run at once
 * await probe.close();
 * ```
 */
import { Worker, workerData } from 'node:worker_threads';
import type { ExampleSet } from '../train/exampleSet.ts';
import { type ExamplesDescriptor, type ParallelTrainerOptions, createParallelTrainer } from '../train/parallel/parallelTrainer.ts';
import type { ObjectiveSpec } from '../train/parallel/sharedState.ts';
import { type NetworkShape, networkFromParams } from '../model/network.ts';

/** What the worker thread gets (structured-cloned): the training to run, and the control words. */
export interface IndependentWorkerInit {
  readonly independentBench: true;
  /** The alpha network's shape (the parallel trainer's fast path). */
  readonly shape: Omit<NetworkShape, 'neuron'>;
  readonly params: Float64Array;
  readonly hyper: ParallelTrainerOptions['hyper'];
  readonly objective: ObjectiveSpec;
  readonly examples: ExamplesDescriptor;
  readonly batchSize: number;
  readonly images: number;
  /** Int32 [0]: generation (main → worker: run a pass; −1: exit), [1]: passes done; float64 at byte 8: the last pass's seconds. */
  readonly control: SharedArrayBuffer;
}

/** Whether this worker thread was started by {@link createIndependentProbe}. */
export const isIndependentWorker = (): boolean => (workerData as Partial<IndependentWorkerInit> | null)?.independentBench === true;

/** Passes of the worker's training before the first measurement (its JIT warms up over several thousand images). */
const WARM_UP_PASSES = 4;

/** How long the main thread waits for the worker's pass before it gives up (ms). */
const PASS_TIMEOUT_MS = 120_000;

/** One pass of `images` images in batches, by `step`, in seconds. */
const timedPass = (images: number, batchSize: number, step: (from: number, to: number) => void): number => {
  const t0 = performance.now();
  for (let b = 0; b < images; b += batchSize) step(b, Math.min(images, b + batchSize));
  return (performance.now() - t0) / 1000;
};

/**
 * The worker thread's body: a one-thread trainer of the given training, one timed pass from the
 * starting state per request, until told to exit. `exampleSetOf` opens the shared examples.
 */
export const runIndependentWorker = async (exampleSetOf: (d: ExamplesDescriptor) => ExampleSet): Promise<void> => {
  const init = workerData as IndependentWorkerInit;
  const network = networkFromParams(init.shape, Float64Array.from(init.params));
  const trainer = await createParallelTrainer({
    network,
    exampleSets: [exampleSetOf(init.examples)],
    examples: [init.examples],
    objective: init.objective,
    hyper: init.hyper,
    workers: 0,
    maxBatch: init.batchSize,
  });
  const order = Int32Array.from({ length: init.images }, (_, i) => i);
  const words = new Int32Array(init.control, 0, 2);
  const seconds = new Float64Array(init.control, 8, 1);
  const pass = (): number => {
    trainer.reset(init.params);
    return timedPass(init.images, init.batchSize, (a, b) => trainer.step(order, a, b));
  };
  for (let i = 0; i < WARM_UP_PASSES; i++) pass();
  let seen = 0;
  Atomics.store(words, 1, 0);
  Atomics.notify(words, 1);
  for (;;) {
    Atomics.wait(words, 0, seen);
    seen = Atomics.load(words, 0);
    if (seen < 0) break;
    seconds[0] = pass();
    Atomics.store(words, 1, seen);
    Atomics.notify(words, 1);
  }
  await trainer.close();
};

export interface IndependentProbe {
  /**
   * Runs `mainPass` on this thread while the worker runs its pass: returns the seconds of each
   * (the worker's pass starts as the main thread's does).
   */
  readonly measure: (mainPass: () => number) => readonly [number, number];
  readonly close: () => Promise<void>;
}

/**
 * Starts the worker thread (the package's training worker script, which runs
 * {@link runIndependentWorker} when started so) with a one-thread training of its own over the
 * shared examples; resolves once its warm-up passes are done.
 */
export const createIndependentProbe = async (
  o: Pick<ParallelTrainerOptions, 'network' | 'hyper' | 'objective'> & {
    readonly examples: ExamplesDescriptor;
    readonly batchSize: number;
    readonly images: number;
    readonly workerScript: string;
  },
): Promise<IndependentProbe> => {
  const control = new SharedArrayBuffer(16);
  const words = new Int32Array(control, 0, 2);
  const workerSeconds = new Float64Array(control, 8, 1);
  words[1] = -1;
  const { layerSizes, nPulses, decayRate, threshold } = o.network;
  const init: IndependentWorkerInit = {
    independentBench: true,
    shape: { layerSizes, nPulses, decayRate, threshold },
    params: Float64Array.from(o.network.params),
    hyper: o.hyper,
    objective: o.objective,
    examples: o.examples,
    batchSize: o.batchSize,
    images: o.images,
    control,
  };
  const worker = new Worker(o.workerScript, { workerData: init });
  let failure: Error | undefined;
  worker.on('error', (e) => (failure ??= e));
  worker.on('exit', (code) => (failure ??= new Error(`independent-run probe: the worker exited (${code})`)));
  // ready once the warm-up passes are done ([1] goes from −1 to 0)
  while (Atomics.load(words, 1) < 0) {
    if (failure !== undefined) throw failure;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  let generation = 0;
  return {
    measure: (mainPass) => {
      generation++;
      Atomics.store(words, 0, generation);
      Atomics.notify(words, 0);
      const main = mainPass();
      const deadline = performance.now() + PASS_TIMEOUT_MS;
      while (Atomics.load(words, 1) !== generation) {
        if (performance.now() > deadline) throw new Error(`independent-run probe: no answer from the worker in ${PASS_TIMEOUT_MS / 1000} s`);
        Atomics.wait(words, 1, Atomics.load(words, 1), 1000);
      }
      return [main, workerSeconds[0]];
    },
    close: async () => {
      Atomics.store(words, 0, -1);
      Atomics.notify(words, 0);
      await worker.terminate();
    },
  };
};
