/**
 * `eventWindow(options)`: cuts a stream of camera events into tumbling windows — samples — in
 * **event time**. A window closes when an event beyond it arrives, or when the stream completes;
 * never on a wall clock, so replaying a file fast or slowly gives the same windows.
 *
 * - By duration: `{ durationUs: D, originUs?: O }`. Window k is [O + k·D, O + (k+1)·D); O defaults
 *   to the first event's time. A window is emitted as soon as the first event at or after its end
 *   arrives (in the same notification), or at completion. Windows without events are not emitted
 *   (their indices are skipped). Events must be in non-decreasing time order; an event earlier than
 *   the current window is late: `late: 'error'` (default) errors with a RangeError naming it,
 *   `late: 'drop'` drops it.
 * - By count: `{ count: N }`. Every N events make a window, emitted with its N-th event; the last
 *   window may be shorter (emitted at completion). Its span is [earliest time, latest time + 1 µs).
 *
 * Each window is an {@link EventWindow} `{ index, startUs, endUs, events }` with a compact chunk of
 * its events, in arrival order. Input: single events and chunks in any mix (chunked ≡ unchunked).
 * State (the open window's buffer) lives in the subscription.
 *
 * ## Example
 * ```ts
 * eventFile$('digit.bin').pipe(eventWindow({ durationUs: 100_000 })) // N-MNIST: one saccade each
 * ```
 */
import { Observable, type OperatorFunction } from 'rxjs';
import { type EventChunk } from '../events.ts';
import { type EventItems, type EventWindow, isEventChunk } from '../sample.ts';

export type EventWindowOptions =
  | { readonly durationUs: number; readonly originUs?: number; readonly late?: 'error' | 'drop' }
  | { readonly count: number };

/** A growable structure-of-arrays buffer of events (doubling capacity). */
interface Buffer {
  n: number;
  x: Uint16Array;
  y: Uint16Array;
  polarity: Uint8Array;
  timeUs: Float64Array;
}

const allocBuffer = (capacity: number): Buffer => ({
  n: 0,
  x: new Uint16Array(capacity),
  y: new Uint16Array(capacity),
  polarity: new Uint8Array(capacity),
  timeUs: new Float64Array(capacity),
});

const grow = (b: Buffer): void => {
  const c = b.x.length * 2;
  const x = new Uint16Array(c);
  x.set(b.x);
  const y = new Uint16Array(c);
  y.set(b.y);
  const p = new Uint8Array(c);
  p.set(b.polarity);
  const t = new Float64Array(c);
  t.set(b.timeUs);
  b.x = x;
  b.y = y;
  b.polarity = p;
  b.timeUs = t;
};

/** A compact copy of the buffered events; empties the buffer. */
const takeChunk = (b: Buffer): EventChunk => {
  const n = b.n;
  b.n = 0;
  return { count: n, x: b.x.slice(0, n), y: b.y.slice(0, n), polarity: b.polarity.slice(0, n), timeUs: b.timeUs.slice(0, n) };
};

export const eventWindow = (options: EventWindowOptions): OperatorFunction<EventItems, EventWindow> => {
  if ('count' in options) {
    const size = options.count;
    if (!(Number.isInteger(size) && size > 0)) throw new RangeError(`eventWindow: count must be a positive integer, got ${size}`);
  } else {
    const d = options.durationUs;
    if (!(d > 0 && Number.isFinite(d))) throw new RangeError(`eventWindow: durationUs must be positive and finite, got ${d}`);
    if (options.originUs !== undefined && !Number.isFinite(options.originUs)) {
      throw new RangeError(`eventWindow: originUs must be finite, got ${options.originUs}`);
    }
  }
  return (source) =>
    new Observable<EventWindow>((subscriber) => {
      const buf = allocBuffer(1024);
      let seen = 0; // events received (for messages)
      let index = 0; // current window index
      let open = false; // a window has begun
      // duration mode
      let origin = 0;
      let start = 0;
      // count mode
      let tMin = Infinity;
      let tMax = -Infinity;

      const push = (x: number, y: number, p: number, t: number): void => {
        if (buf.n === buf.x.length) grow(buf);
        const i = buf.n++;
        buf.x[i] = x;
        buf.y[i] = y;
        buf.polarity[i] = p;
        buf.timeUs[i] = t;
      };

      let onEvent: (x: number, y: number, p: number, t: number) => void;
      let flush: () => void;

      if ('count' in options) {
        const size = options.count;
        flush = () => {
          if (buf.n === 0) return;
          const w: EventWindow = { index: index++, startUs: tMin, endUs: tMax + 1, events: takeChunk(buf) };
          tMin = Infinity;
          tMax = -Infinity;
          subscriber.next(w);
        };
        onEvent = (x, y, p, t) => {
          if (Number.isNaN(t)) throw new RangeError(`eventWindow: event ${seen} at (${x}, ${y}) has time NaN`);
          push(x, y, p, t);
          if (t < tMin) tMin = t;
          if (t > tMax) tMax = t;
          if (buf.n === size) flush();
        };
      } else {
        const d = options.durationUs;
        const dropLate = options.late === 'drop';
        const slotOf = (t: number): number => {
          let k = Math.floor((t - origin) / d);
          while (t < origin + k * d) k--;
          while (t >= origin + (k + 1) * d) k++;
          return k;
        };
        flush = () => {
          if (buf.n === 0) return;
          subscriber.next({ index, startUs: start, endUs: origin + (index + 1) * d, events: takeChunk(buf) });
        };
        onEvent = (x, y, p, t) => {
          if (!Number.isFinite(t)) throw new RangeError(`eventWindow: event ${seen} at (${x}, ${y}) has time ${t}`);
          if (!open) {
            origin = options.originUs ?? t;
            index = slotOf(t);
            start = origin + index * d;
            open = true;
          } else if (t < start) {
            if (dropLate) return;
            throw new RangeError(
              `eventWindow: event ${seen} at (${x}, ${y}) has time ${t} µs, before the open window [${start}, ${origin + (index + 1) * d}) (events must be in time order)`,
            );
          } else if (t >= origin + (index + 1) * d) {
            flush();
            index = slotOf(t);
            start = origin + index * d;
          }
          push(x, y, p, t);
        };
      }

      return source.subscribe({
        next: (item) => {
          try {
            if (isEventChunk(item)) {
              for (let i = 0; i < item.count; i++, seen++) onEvent(item.x[i], item.y[i], item.polarity[i], item.timeUs[i]);
            } else {
              onEvent(item.x, item.y, item.polarity, item.timeUs);
              seen++;
            }
          } catch (e) {
            subscriber.error(e);
          }
        },
        error: (e) => subscriber.error(e),
        complete: () => {
          flush();
          subscriber.complete();
        },
      });
    });
};
