/**
 * Whether a worker thread still runs, asked synchronously: the main thread of parallel training
 * waits for its workers in a blocking loop (`Atomics.wait`), where a Worker's `exit` and `error`
 * events cannot reach it. A worker that stops without a word (out of memory, `process.exit` in
 * the worker, a crash outside its phase's `try`) would leave it waiting for ever. On Linux each
 * worker is an operating-system thread of this process, listed in /proc/self/task while it runs
 * (and gone within milliseconds of its end, whether or not the main thread has looked at its
 * events); elsewhere nothing is known and every thread counts as running.
 *
 * ## Example
 * ```ts
 * const tid = osThreadId();       // in the worker, sent to the main thread when it is ready
 * osThreadAlive(tid);             // in the main thread, while it waits: false once it has ended
 * ```
 */
import { existsSync, readlinkSync } from 'node:fs';

/** This thread's operating-system id, where the system shows it (Linux: /proc/thread-self → "pid/task/tid"), else undefined. */
export const osThreadId = (): number | undefined => {
  try {
    const link = readlinkSync('/proc/thread-self');
    const tid = Number(link.slice(link.lastIndexOf('/') + 1));
    return Number.isInteger(tid) && tid > 0 ? tid : undefined;
  } catch {
    return undefined;
  }
};

/** Whether thread `tid` of this process still runs (true when `tid` is unknown). */
export const osThreadAlive = (tid: number | undefined): boolean => tid === undefined || existsSync(`/proc/self/task/${tid}`);
