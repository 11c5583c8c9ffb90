/** Shared test helpers for camera-event operators: arbitraries, chunking, flattening. */
import fc from 'fast-check';
import { type Observable, lastValueFrom, toArray } from 'rxjs';
import { type CameraEvent, type EventChunk, eventChunkFrom } from '../../streams/events.ts';
import { type EventItems, isEventChunk } from '../../streams/sample.ts';

/** Events on a w×h grid in non-decreasing time order (integer µs, gaps up to maxGap). */
export const eventsArb = (w: number, h: number, opts: { maxLength?: number; maxGap?: number } = {}): fc.Arbitrary<CameraEvent[]> =>
  fc
    .array(
      fc.record({ x: fc.nat(w - 1), y: fc.nat(h - 1), polarity: fc.nat(1), gap: fc.nat(opts.maxGap ?? 50) }),
      { maxLength: opts.maxLength ?? 60 },
    )
    .map((list) => {
      let t = 0;
      return list.map(({ x, y, polarity, gap }) => {
        t += gap;
        return { x, y, polarity, timeUs: t };
      });
    });

/** Cut sizes for {@link chopEvents}: 0 = a single event, n > 0 = a chunk of n. */
export const cutsArb = fc.array(fc.nat(6), { minLength: 1, maxLength: 6 });

/** A mix of single events and chunks holding `events` in order. */
export const chopEvents = (events: readonly CameraEvent[], cuts: readonly number[]): EventItems[] => {
  const out: EventItems[] = [];
  let i = 0;
  let c = 0;
  while (i < events.length) {
    const n = cuts[c++ % cuts.length];
    if (n === 0) out.push(events[i++]);
    else {
      out.push(eventChunkFrom(events.slice(i, i + n)));
      i += n;
    }
  }
  return out;
};

/** The events of a list of items, as plain objects. */
export const flatEvents = (items: readonly EventItems[]): CameraEvent[] =>
  items.flatMap((it) =>
    isEventChunk(it)
      ? Array.from({ length: it.count }, (_, i) => ({ x: it.x[i], y: it.y[i], polarity: it.polarity[i], timeUs: it.timeUs[i] }))
      : [{ x: it.x, y: it.y, polarity: it.polarity, timeUs: it.timeUs }],
  );

export const collect = <T>(o: Observable<T>): Promise<T[]> => lastValueFrom(o.pipe(toArray()));

export const chunkEvents = (c: EventChunk): CameraEvent[] => flatEvents([c]);

/** Spikes cut into items (moved to the stream laws, which build their samples with it). */
export { chopSpikes } from '../../laws/streamLaws.ts';
