/**
 * Samples: one input presentation to a network (one image, one event-camera window).
 *
 * A sample is either
 * - a finite `Observable` of spikes ({@link Spike}s and {@link SpikeChunk}s in any mix), in
 *   non-decreasing time order (equal times in any order) — completion ends the sample; or
 * - a single {@link SpikeChunk} holding the whole sample, in the same order.
 *
 * A stream of samples is then an `Observable<Sample>`; {@link eachSample} runs per-sample
 * operators (a `spikingNetwork`, {@link latencyDecode}, {@link embedding}) on each in turn.
 *
 * Event-camera data has its own sample form, {@link EventWindow}: the camera events of one time
 * window (from `eventWindow`), turned into spikes by `toLatencyCode`. Event operators take
 * {@link CameraEvent}s and {@link EventChunk}s in any mix ({@link EventItems}); {@link mapEvents}
 * builds the per-event ones (crop, downsample, denoise).
 *
 * ## Example
 * ```ts
 * images$.pipe(latencyEncode(), eachSample(firstSpikeTimes(784))).subscribe((times) => …);
 * ```
 */
import { Observable, type ObservableInput, type OperatorFunction, concatMap, from, of } from 'rxjs';
import { type CameraEvent, type EventChunk, allocEventChunk } from './events.ts';
import {
  type SpikeChunk,
  type Spikes,
  concatSpikes,
  firstSpikeTimesInto,
  isSpikeChunk,
} from './spike.ts';

/** One sample: a finite stream of spikes, or one chunk with all of them. */
export type Sample = Observable<Spikes> | SpikeChunk;

/** True if `s` is a whole sample held in one {@link SpikeChunk}. */
export const isChunkSample = (s: Sample): s is SpikeChunk => !(s instanceof Observable) && isSpikeChunk(s);

/** The spikes of a sample as an Observable (a chunk sample emits itself once, then completes). */
export const sampleSpikes$ = (s: Sample): Observable<Spikes> => (isChunkSample(s) ? of(s) : s);

/** A finite array/iterable of spikes or chunks as a sample. */
export const sampleOf = (items: ObservableInput<Spikes>): Observable<Spikes> => from(items);

/**
 * `eachSample(op)`: runs `op` on each sample of a stream of samples, one after the other (the next
 * sample starts when the previous one's result completed); emits what `op` emits.
 */
export const eachSample =
  <R>(op: OperatorFunction<Spikes, R>): OperatorFunction<Sample, R> =>
  (samples) =>
    samples.pipe(concatMap((s) => sampleSpikes$(s).pipe(op)));

/**
 * `reduceSample(init, step, finish)`: a whole-sample operator. For each subscription it creates
 * its state with `init()`, calls `step(state, neuron, time)` for every spike in arrival order
 * (chunks are unrolled, so chunked ≡ unchunked), and on completion emits `finish(state)` once.
 * An exception in `step` errors the output.
 */
export const reduceSample =
  <S, R>(
    init: () => S,
    step: (state: S, neuron: number, time: number) => void,
    finish: (state: S) => R,
  ): OperatorFunction<Spikes, R> =>
  (source) =>
    new Observable<R>((subscriber) => {
      const state = init();
      return source.subscribe({
        next: (x) => {
          try {
            if (isSpikeChunk(x)) for (let i = 0; i < x.count; i++) step(state, x.neuron[i], x.time[i]);
            else step(state, x.neuron, x.time);
          } catch (e) {
            subscriber.error(e);
          }
        },
        error: (e) => subscriber.error(e),
        complete: () => {
          let r: R;
          try {
            r = finish(state);
          } catch (e) {
            subscriber.error(e);
            return;
          }
          subscriber.next(r);
          subscriber.complete();
        },
      });
    });

/**
 * `collectSample()`: gathers one sample's spikes into one compact {@link SpikeChunk}, emitted
 * when the sample completes (the chunk form of a sample).
 */
export const collectSample = (): OperatorFunction<Spikes, SpikeChunk> => (source) =>
  new Observable<SpikeChunk>((subscriber) => {
    const items: Spikes[] = [];
    return source.subscribe({
      next: (x) => {
        // chunks may be reused by their producer: keep a compact copy
        items.push(isSpikeChunk(x) ? concatSpikes([x]) : x);
      },
      error: (e) => subscriber.error(e),
      complete: () => {
        subscriber.next(concatSpikes(items));
        subscriber.complete();
      },
    });
  });

/**
 * `firstSpikeTimes(size)`: each neuron's first spike time of one sample (`NO_SPIKE` for the
 * silent) as a `Float64Array` of `size` entries, emitted when the sample completes. A spike of a
 * neuron outside 0..size−1 errors the output with a RangeError naming the neuron.
 */
export const firstSpikeTimes = (size: number): OperatorFunction<Spikes, Float64Array> => {
  if (!(Number.isInteger(size) && size >= 0)) {
    throw new RangeError(`firstSpikeTimes: size must be a non-negative integer, got ${size}`);
  }
  return reduceSample(
    () => new Float64Array(size).fill(Infinity),
    (times, k, t) => {
      if (!(k >= 0 && k < size)) throw new RangeError(`firstSpikeTimes: neuron ${k} outside 0..${size - 1}`);
      if (times[k] === Infinity) times[k] = t;
    },
    (times) => times,
  );
};

/** The first spike times of a chunk sample (synchronous form of {@link firstSpikeTimes}). */
export const firstSpikeTimesOf = (chunk: SpikeChunk, size: number): Float64Array =>
  firstSpikeTimesInto(new Float64Array(size), [chunk]);

// ---------------------------------------------------------------------------------------------
// Camera events

/** Either form of camera events: one event or a chunk of them. */
export type EventItems = CameraEvent | EventChunk;

/** True for an {@link EventChunk}, false for a single {@link CameraEvent}. */
export const isEventChunk = (x: EventItems): x is EventChunk => typeof (x as EventChunk).count === 'number';

/**
 * The camera events of one window [startUs, endUs) — the sample form of event data. `index` numbers
 * the windows of a stream (for duration windows: the window's slot, so gaps show as skipped
 * indices). `events` is a compact chunk owned by the receiver.
 */
export interface EventWindow {
  readonly index: number;
  readonly startUs: number;
  readonly endUs: number;
  readonly events: EventChunk;
}

/** The output form of a per-event operator for input form T: chunks stay chunks, events stay events. */
export type SameForm<T extends EventItems> = T extends EventChunk ? EventChunk : CameraEvent;

/** A writable event: what a {@link mapEvents} step reads and writes. */
export interface MutableEvent {
  x: number;
  y: number;
  polarity: number;
  timeUs: number;
}

/**
 * A per-event step: reads the event in `e`, may rewrite its fields, and returns whether to keep it.
 * It must not keep a reference to `e` (one scratch object is reused).
 */
export type EventStep = (e: MutableEvent) => boolean;

/**
 * `mapEvents(create)`: an operator applying a per-event step to every event, in order. `create` is
 * called once per subscription (its closure is the operator's state). A single event in gives a
 * single event out (or nothing); a chunk in gives one chunk out with the kept events (nothing if
 * none was kept), so chunked ≡ unchunked. An exception in the step errors the output.
 */
export const mapEvents =
  (create: () => EventStep) =>
  <T extends EventItems>(source: Observable<T>): Observable<SameForm<T>> =>
    new Observable<EventItems>((subscriber) => {
      const step = create();
      const e: MutableEvent = { x: 0, y: 0, polarity: 0, timeUs: 0 };
      return source.subscribe({
        next: (item) => {
          try {
            if (isEventChunk(item)) {
              const n = item.count;
              const out = allocEventChunk(n);
              let k = 0;
              for (let i = 0; i < n; i++) {
                e.x = item.x[i];
                e.y = item.y[i];
                e.polarity = item.polarity[i];
                e.timeUs = item.timeUs[i];
                if (!step(e)) continue;
                out.x[k] = e.x;
                out.y[k] = e.y;
                out.polarity[k] = e.polarity;
                out.timeUs[k] = e.timeUs;
                k++;
              }
              if (k > 0) {
                subscriber.next({
                  count: k,
                  x: out.x.subarray(0, k),
                  y: out.y.subarray(0, k),
                  polarity: out.polarity.subarray(0, k),
                  timeUs: out.timeUs.subarray(0, k),
                });
              }
            } else {
              e.x = item.x;
              e.y = item.y;
              e.polarity = item.polarity;
              e.timeUs = item.timeUs;
              if (step(e)) subscriber.next({ x: e.x, y: e.y, polarity: e.polarity, timeUs: e.timeUs });
            }
          } catch (err) {
            subscriber.error(err);
          }
        },
        error: (err) => subscriber.error(err),
        complete: () => subscriber.complete(),
      });
    }) as Observable<SameForm<T>>;
