/**
 * The signals between training threads: a wait returns once the value is reached (also when it is
 * raised by another thread while the waiter sleeps), gives up through `abortIfFailed`, and leaves
 * no sleeper counted behind.
 */
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { LONG_SPIN_READS, SIGNAL_WORDS, SPIN_READS, awaitSignal, raiseSignal, spinReadsFor } from '../../src/train/parallel/signals.ts';

const signals = (count: number) => new Int32Array(new SharedArrayBuffer(count * SIGNAL_WORDS * 4));
const sleepers = (words: Int32Array, s: number) => Atomics.load(words, s * SIGNAL_WORDS + 1);

describe('training signals', () => {
  it('returns at once for a value already reached, without asking abortIfFailed', () => {
    const words = signals(3);
    raiseSignal(words, 2, 5);
    let asked = 0;
    awaitSignal(words, 2, 5, () => void asked++);
    awaitSignal(words, 2, 3, () => void asked++);
    expect(asked).toBe(0);
    expect(Atomics.load(words, 2 * SIGNAL_WORDS)).toBe(5);
    expect(Atomics.load(words, 1 * SIGNAL_WORDS)).toBe(0); // other signals untouched
  });

  it('stops waiting with the error of abortIfFailed, and no sleeper is left counted', () => {
    const words = signals(2);
    let asked = 0;
    const abort = () => {
      asked++;
      if (asked === 3) throw new Error('participant 0 failed');
    };
    expect(() => awaitSignal(words, 1, 1, abort)).toThrow('participant 0 failed');
    expect(asked).toBe(3);
    expect(sleepers(words, 1)).toBe(0);
  });

  it('wakes a sleeping waiter when another thread raises the signal', async () => {
    const words = signals(2);
    // a thread that raises signal 1 to 4 after 50 ms, as raiseSignal does (store, then wake the counted sleepers)
    const raiser = new Worker(
      `const { workerData: words } = require('node:worker_threads');
       setTimeout(() => {
         Atomics.store(words, ${SIGNAL_WORDS}, 4);
         if (Atomics.load(words, ${SIGNAL_WORDS} + 1) > 0) Atomics.notify(words, ${SIGNAL_WORDS});
       }, 50);`,
      { eval: true, workerData: words },
    );
    try {
      const t0 = performance.now();
      let asked = 0;
      awaitSignal(words, 1, 3, () => void asked++);
      expect(Atomics.load(words, SIGNAL_WORDS)).toBe(4);
      expect(asked).toBeGreaterThan(0); // it slept (asking before each sleep) …
      expect(performance.now() - t0).toBeGreaterThanOrEqual(40); // … until the raise
      expect(sleepers(words, 1)).toBe(0);
    } finally {
      await raiser.terminate();
    }
  });

  it('spins long only when every thread of the step has a core (else the spinner holds the core the other needs)', () => {
    expect(spinReadsFor(2, 2)).toBe(LONG_SPIN_READS);
    expect(spinReadsFor(1, 8)).toBe(LONG_SPIN_READS);
    expect(spinReadsFor(3, 2)).toBe(SPIN_READS);
    expect(LONG_SPIN_READS).toBeGreaterThan(SPIN_READS);
  });
});
