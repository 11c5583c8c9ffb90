/**
 * What two threads can get out of this machine at the moment: a fixed job of pure arithmetic
 * (registers only: no memory traffic, nothing shared) timed on one thread, then on two at once
 * (the main thread and a worker). `2 · t1 / t2` is about 2 on two free cores, and nearer 1 when
 * the host gives the process one core's worth of time (a virtual machine whose host is busy, or
 * two threads of one physical core). No program scales better than this job, so
 * `trainSpeedup2Cores` is read against it, measured in the same repetition.
 *
 * ## Example
 * ```ts
 * const probe = await createCeilingProbe();
 * const ceiling = probe.measure(); // e.g. 1.93
 * await probe.close();
 * ```
 */
import { Worker } from 'node:worker_threads';

/** The job, as source so that both threads compile the same code: four independent chains. */
const JOB = `(n) => {
  let a = 1, b = 2, c = 3, d = 4;
  for (let i = 0; i < n; i++) {
    a = a * 0.9999999 + 1e-7; b = b * 0.9999998 + 2e-7; c = c * 0.9999997 + 3e-7; d = d * 0.9999996 + 4e-7;
  }
  return a + b + c + d;
}`;

/** Iterations of the job: about 20–40 ms on this machine's cores. */
const ITERATIONS = 20_000_000;

/** Control words: [0] generation (main → worker: start), [1] done (worker → main). */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const job = ${JOB};
const words = new Int32Array(workerData.control);
let seen = 0;
for (;;) {
  Atomics.wait(words, 0, seen);
  seen = Atomics.load(words, 0);
  if (seen < 0) break;
  job(workerData.iterations);
  Atomics.store(words, 1, seen);
  Atomics.notify(words, 1);
}`;

export interface CeilingProbe {
  /** One measurement: 2 · (the job's time alone) / (the time of two jobs at once). */
  measure(): number;
  close(): Promise<void>;
}

export const createCeilingProbe = async (): Promise<CeilingProbe> => {
  const control = new SharedArrayBuffer(8);
  const words = new Int32Array(control);
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { control, iterations: ITERATIONS } });
  await new Promise<void>((resolve, reject) => {
    worker.once('online', resolve);
    worker.once('error', reject);
  });
  const job = new Function(`return ${JOB}`)() as (n: number) => number;
  job(ITERATIONS / 10); // compile it
  const now = () => Number(process.hrtime.bigint()) / 1e9;
  let generation = 0;
  const both = (): number => {
    generation++;
    const t0 = now();
    Atomics.store(words, 0, generation);
    Atomics.notify(words, 0);
    job(ITERATIONS);
    while (Atomics.load(words, 1) !== generation) Atomics.wait(words, 1, Atomics.load(words, 1), 1000);
    return now() - t0;
  };
  both(); // the worker compiles its copy
  return {
    measure: () => {
      const t0 = now();
      job(ITERATIONS);
      const one = now() - t0;
      return (2 * one) / both();
    },
    close: async () => {
      Atomics.store(words, 0, -1);
      Atomics.notify(words, 0);
      await worker.terminate();
    },
  };
};
