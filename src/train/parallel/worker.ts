/**
 * The body of a training worker thread: builds its participant over the shared buffers, then runs
 * the phase the main thread starts, until told to exit. See `sharedState.ts` for the protocol.
 *
 * The example set arrives as a plain descriptor; `exampleSetOf` turns it back into an ExampleSet
 * (the entry script at the edge, `src/cli/trainWorker.ts`, supplies one that knows every kind).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ExampleSet } from '../exampleSet.ts';
import type { WorkerInit } from './parallelTrainer.ts';
import { Command, Control, participant, prefetchOne, runCommand } from './sharedState.ts';
import { spinWhile } from './signals.ts';
import { osThreadId } from './threadLiveness.ts';

export const runTrainWorker = (
  exampleSetOf: (descriptor: WorkerInit['examples'][number]) => ExampleSet,
): void => {
  const init = workerData as WorkerInit;
  const p = participant(
    init.index,
    init.count,
    init.shape,
    init.buffers,
    init.examples.map(exampleSetOf),
    init.objective,
    init.hyper,
  );
  const control = p.control;
  let generation = Atomics.load(control, Control.generation);
  // (its thread id lets the main thread see, while it waits, whether this thread still runs)
  parentPort?.postMessage({ ready: true, tid: osThreadId() });
  for (;;) {
    // between steps (the main thread waits for the others, then sets the next step up): sort ahead
    // for the next step (alternated in one process, 3 runs of 20–24 pairs of 2000-image passes:
    // paired medians 1.034, 1.015, 1.017). Since the hidden split is headed, the worker usually
    // ends its share after the main thread, and a sort begun here starts its next share 5–11 µs
    // late on average (per-step timestamps of both threads). Measured since, against these sorts:
    // - none here: 0.953–1.031 (7 runs of 14–20 pairs, median 1.006);
    // - none here once the main thread waits at the step's end, and none started by the main
    //   thread there once the last participant has only its Adam updates left: 0.968–1.034
    //   (6 runs of 16 pairs, median 0.984).
    // So they stay.
    while (Atomics.load(control, Control.generation) === generation && prefetchOne(p));
    spinWhile(control, Control.generation, (g) => g === generation, p.spinReads);
    Atomics.wait(control, Control.generation, generation);
    generation = Atomics.load(control, Control.generation);
    const command = Atomics.load(control, Control.command);
    if (command === Command.exit) break;
    try {
      runCommand(p, command);
    } catch (e) {
      Atomics.add(control, Control.errors, 1);
      parentPort?.postMessage({ error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    }
    Atomics.add(control, Control.done, 1);
    Atomics.notify(control, Control.done);
  }
};
