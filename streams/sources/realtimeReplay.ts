/**
 * `realtimeReplay(options)`: replays a recorded event stream at the pace of its timestamps. The
 * first event sets the origin: an event with time stamp t (µs) is emitted at scheduler time
 *
 *     now₀ + (t − t₀) / 1000 / speed   (ms),
 *
 * where t₀, now₀ are the first event's time stamp and the scheduler's `now()` when it arrived. The
 * scheduler is a parameter (default `asyncScheduler`): tests pass a `TestScheduler` and run in
 * virtual time. Events already due are emitted at once; a chunk is emitted as sub-chunks, one per
 * instant at which some of its events fall due (views, no copy). Completes when the source has
 * completed and every event was emitted; a source error is passed on at once.
 *
 * The source may run ahead (a file reader emits as fast as it reads): its events wait in a queue
 * until due, so memory grows with how far ahead the source is — replay files, not endless streams.
 *
 * ## Example
 * ```ts
 * eventFile$('recording.raw').pipe(realtimeReplay({ speed: 2 })) // twice as fast as recorded
 * ```
 */
import { Observable, type SchedulerLike, type Subscription, asyncScheduler } from 'rxjs';
import { type CameraEvent, type EventChunk } from '../events.ts';
import { type EventItems, type SameForm, isEventChunk } from '../sample.ts';

export interface RealtimeReplayOptions {
  /** Scheduler giving time and timers (default asyncScheduler). */
  readonly scheduler?: SchedulerLike;
  /** Replay speed: 1 = as recorded, 2 = twice as fast (default 1). */
  readonly speed?: number;
}

const slice = (c: EventChunk, from: number, to: number): EventChunk =>
  from === 0 && to === c.count
    ? c
    : {
        count: to - from,
        x: c.x.subarray(from, to),
        y: c.y.subarray(from, to),
        polarity: c.polarity.subarray(from, to),
        timeUs: c.timeUs.subarray(from, to),
      };

export const realtimeReplay = (
  options: RealtimeReplayOptions = {},
): (<T extends EventItems>(source: Observable<T>) => Observable<SameForm<T>>) => {
  const scheduler = options.scheduler ?? asyncScheduler;
  const speed = options.speed ?? 1;
  if (!(speed > 0 && Number.isFinite(speed))) throw new RangeError(`realtimeReplay: speed must be positive, got ${speed}`);
  return <T extends EventItems>(source: Observable<T>) =>
    new Observable<EventItems>((subscriber) => {
      const queue: EventItems[] = [];
      let cursor = 0; // next event of queue[0] when it is a chunk
      let t0 = NaN;
      let now0 = 0;
      let done = false;
      let timer: Subscription | null = null;
      let timerDue = Infinity;

      const dueOf = (t: number): number => now0 + (t - t0) / 1000 / speed;

      /** Emits everything due by now; returns the due time of the next pending event (or Infinity). */
      const emitDue = (): number => {
        const now = scheduler.now();
        while (queue.length > 0) {
          const head = queue[0];
          if (isEventChunk(head)) {
            let end = cursor;
            while (end < head.count && dueOf(head.timeUs[end]) <= now) end++;
            if (end > cursor) {
              const from = cursor;
              cursor = end;
              if (end === head.count) {
                queue.shift();
                cursor = 0;
              }
              subscriber.next(slice(head, from, end));
              if (subscriber.closed) return Infinity;
              continue;
            }
            if (head.count === 0) {
              queue.shift();
              continue;
            }
            return dueOf(head.timeUs[cursor]);
          }
          const e = head as CameraEvent;
          const due = dueOf(e.timeUs);
          if (due > now) return due;
          queue.shift();
          subscriber.next(e);
          if (subscriber.closed) return Infinity;
        }
        return Infinity;
      };

      const pump = (): void => {
        const next = emitDue();
        if (next === Infinity) {
          if (done && queue.length === 0) subscriber.complete();
          return;
        }
        if (timer !== null && timerDue <= next) return;
        timer?.unsubscribe();
        timerDue = next;
        timer = scheduler.schedule(() => {
          timer = null;
          timerDue = Infinity;
          pump();
        }, Math.max(0, next - scheduler.now()));
      };

      const sub = source.subscribe({
        next: (item) => {
          if (Number.isNaN(t0)) {
            const first = isEventChunk(item) ? (item.count > 0 ? item.timeUs[0] : NaN) : item.timeUs;
            if (!Number.isNaN(first)) {
              t0 = first;
              now0 = scheduler.now();
            }
          }
          if (isEventChunk(item) && item.count === 0) return;
          queue.push(item);
          if (timer === null) pump();
        },
        error: (e) => subscriber.error(e),
        complete: () => {
          done = true;
          if (timer === null) pump();
        },
      });
      return () => {
        sub.unsubscribe();
        timer?.unsubscribe();
        timer = null;
      };
    }) as Observable<SameForm<T>>;
};
