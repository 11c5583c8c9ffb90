/**
 * `createPauseGate()`: backpressure for a push source. A source checks `gate.held()` before it
 * delivers and calls `gate.onResume(cb)` to hear when it may go on; a consumer takes a hold while
 * it is busy. `pausingConcatMap(gate, fn)` is the consumer side as an operator: `concatMap(fn)`
 * for a promise-returning `fn`, holding the gate while `fn` runs, so the source keeps its backlog
 * (and drops and counts at its own bound) instead of RxJS queueing it behind the consumer.
 *
 * Only values that arrive while a step runs wait in the operator: with a gated source that is
 * what one delivery produces synchronously (e.g. the windows one chunk closes), a bounded number.
 *
 * ## Example
 * ```ts
 * const gate = createPauseGate();
 * // source: if (!gate.held()) deliver(); gate.onResume(deliverSoon);
 * values$.pipe(pausingConcatMap(gate, async (v) => await slowWork(v)));
 * ```
 */
import { Observable, type OperatorFunction } from 'rxjs';

export interface PauseGate {
  /** True while any hold is taken. */
  held(): boolean;
  /** Takes a hold; the returned function releases it (once; later calls do nothing). */
  hold(): () => void;
  /** Sets what runs when the last hold is released (one listener: the source). */
  onResume(listener: () => void): void;
  /** Drops every hold (a source starting a new subscription); releases of old holds are ignored. */
  reset(): void;
}

export const createPauseGate = (): PauseGate => {
  let generation = 0;
  let holds = 0;
  let resume: () => void = () => {};
  return {
    held: () => holds > 0,
    hold: () => {
      const mine = generation;
      holds++;
      let released = false;
      return () => {
        if (released || mine !== generation) return;
        released = true;
        holds--;
        if (holds === 0) resume();
      };
    },
    onResume: (listener) => {
      resume = listener;
    },
    reset: () => {
      generation++;
      holds = 0;
    },
  };
};

/** `concatMap(fn)` for a promise-returning `fn` that holds `gate` while `fn` runs (see above). */
export const pausingConcatMap =
  <T, R>(gate: PauseGate, fn: (value: T) => Promise<R> | R): OperatorFunction<T, R> =>
  (source) =>
    new Observable<R>((subscriber) => {
      const queue: T[] = [];
      let release: (() => void) | null = null;
      let sourceDone = false;
      let stopped = false;
      const pump = (): void => {
        if (release !== null || stopped) return;
        if (queue.length === 0) {
          if (sourceDone) subscriber.complete();
          return;
        }
        const value = queue[0];
        queue.shift();
        const done = gate.hold();
        release = done;
        const settle = (): void => {
          release = null;
          done();
        };
        Promise.resolve()
          .then(() => fn(value))
          .then(
            (result) => {
              settle();
              if (stopped) return;
              subscriber.next(result);
              pump();
            },
            (err: unknown) => {
              settle();
              if (!stopped) subscriber.error(err);
            },
          );
      };
      const upstream = source.subscribe({
        next: (v) => {
          queue.push(v);
          pump();
        },
        error: (e: unknown) => subscriber.error(e),
        complete: () => {
          sourceDone = true;
          pump();
        },
      });
      return () => {
        stopped = true;
        queue.length = 0;
        release?.();
        release = null;
        upstream.unsubscribe();
      };
    });
