/**
 * Signals between the threads of a training step: counters in shared memory that only grow
 * within a step (the main thread zeroes them between steps, when no thread waits). A thread
 * raises a signal to say "examples 0..v−1 are done"; another waits until it reaches v.
 *
 * Waiting spins a while (see {@link spinReadsFor}), then sleeps (`Atomics.wait`). A raise wakes
 * sleepers only when there are any: each signal keeps a count of its sleepers beside its value, so
 * the usual case (the waiter is behind and never sleeps) costs one store and one load, no system
 * call. Every access is an
 * `Atomics` operation (sequentially consistent): either the raiser sees the sleeper, or the
 * sleeper sees the new value before it sleeps, so no wake-up is lost.
 *
 * ## Example
 * ```ts
 * const words = new Int32Array(new SharedArrayBuffer(2 * SIGNAL_WORDS * 4));
 * raiseSignal(words, 1, 3);                        // thread A: examples 0..2 done
 * awaitSignal(words, 1, 3, () => undefined);       // thread B: returns at once
 * ```
 */

/** Int32 words per signal: its value, its sleeper count, padding to 64 bytes (its own cache line). */
export const SIGNAL_WORDS = 16;

/**
 * Reads of a word before sleeping on it when threads share cores (and the default): about 0.3 ms
 * (Node 20 on this machine, about 9 ns a read), a quarter of a step of the H=32 autoencoder on two
 * threads. A sleeping thread wakes about
 * 50 µs after it is notified, and a shorter spin (2000 reads, 18 µs) slept through most waits:
 * the worker between steps (it started each step 55–65 µs after the main thread) and the main
 * thread for the worker's `done` (about 40 µs more per step); with this spin both fell to under
 * 15 µs (measured with per-step timestamps of each thread, 286 steps averaged).
 */
export const SPIN_READS = 30000;

/**
 * Reads before sleeping when every thread of the step has a core of its own (see
 * {@link spinReadsFor}): about 27 ms, longer than nearly every stall of a thread on this virtual
 * machine. A thread that the host deschedules for a while (1–4 ms at the median of such events in
 * a 2-thread step, against 0.4–0.7 ms for the one thread of a 1-thread run) leaves its partner
 * waiting; a partner that fell asleep then wakes a further 0.1 to several ms after the notify,
 * when the host is busy. Spinning through the stall, 2-thread training on the golden H=32 network,
 * alternated in one process (2 runs of 16 pairs of 700-image passes): mean pass 83.0 → 77.7 and
 * 85.2 → 80.6 ms, stalls per pass 11–15 → 7–10 (steps more than 0.3 ms over their median).
 */
export const LONG_SPIN_READS = 3_000_000;

/**
 * How long a participant of a step with `threads` threads spins before it sleeps: long when each
 * thread has a core (`cores`), short otherwise, where a spinning thread would hold the core that
 * the thread it waits for needs.
 */
export const spinReadsFor = (threads: number, cores: number): number => (threads <= cores ? LONG_SPIN_READS : SPIN_READS);

/** How long a sleeping thread waits before it asks `abortIfFailed` again (ms). */
const WAIT_MS = 20;

/** Spins briefly (`reads` reads at most) while `keep(words[at])` holds; returns the last value read. */
export const spinWhile = (words: Int32Array, at: number, keep: (v: number) => boolean, reads = SPIN_READS): number => {
  let v = Atomics.load(words, at);
  for (let i = 0; i < reads && keep(v); i++) v = Atomics.load(words, at);
  return v;
};

/** Spins briefly (`reads` reads at most) while words[at] < v; returns the last value read. */
const spinBelow = (words: Int32Array, at: number, v: number, reads: number): number => {
  let x = Atomics.load(words, at);
  for (let i = 0; i < reads && x < v; i++) x = Atomics.load(words, at);
  return x;
};

/** Whether signal s has reached v (no wait). */
export const signalReached = (words: Int32Array, s: number, v: number): boolean => Atomics.load(words, s * SIGNAL_WORDS) >= v;

/** Sets signal s to v and wakes the threads sleeping on it, if any. */
export const raiseSignal = (words: Int32Array, s: number, v: number): void => {
  const at = s * SIGNAL_WORDS;
  Atomics.store(words, at, v);
  if (Atomics.load(words, at + 1) > 0) Atomics.notify(words, at);
};

/**
 * Returns once signal s has reached v. While it sleeps it calls `abortIfFailed` every few ms,
 * which throws when the thread that should raise the signal has failed (so no thread waits
 * forever). With `waited`, a wait (a signal not yet reached at the first look) adds its duration
 * in milliseconds to `waited.ms`. It spins `reads` reads before each sleep (see {@link spinReadsFor}).
 * With `idle`, a wait first calls it while the signal is not reached and it returns true (it did a
 * piece of work that the thread would otherwise do later; its time counts as waited).
 */
export const awaitSignal = (
  words: Int32Array,
  s: number,
  v: number,
  abortIfFailed: () => void,
  waited?: { ms: number },
  reads = SPIN_READS,
  idle?: () => boolean,
): void => {
  const at = s * SIGNAL_WORDS;
  if (Atomics.load(words, at) >= v) return;
  const start = waited === undefined ? 0 : performance.now();
  if (idle !== undefined) while (Atomics.load(words, at) < v && idle());
  for (;;) {
    if (spinBelow(words, at, v, reads) >= v) break;
    abortIfFailed();
    Atomics.add(words, at + 1, 1);
    const seen = Atomics.load(words, at);
    if (seen < v) Atomics.wait(words, at, seen, WAIT_MS);
    Atomics.sub(words, at + 1, 1);
  }
  if (waited !== undefined) waited.ms += performance.now() - start;
};
