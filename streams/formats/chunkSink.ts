/**
 * Output buffer shared by the decoders: events are written into preallocated typed arrays of
 * `capacity` events, allocated once per decoder; a full buffer is copied out as a chunk and
 * reused, and the partial buffer is copied out at the end of each `push`.
 *
 * Hot loops keep the arrays in locals (they never change), write events, and when fewer than the
 * events a single input word can produce remain free write `n = rollSink(sink, n)`.
 */
import { type EventChunk } from '../events.ts';

export interface ChunkSink {
  readonly capacity: number;
  count: number;
  readonly x: Uint16Array;
  readonly y: Uint16Array;
  readonly polarity: Uint8Array;
  readonly timeUs: Float64Array;
  /** Chunks completed since the last {@link drainSink}. */
  readonly done: EventChunk[];
}

/** Default number of events per emitted chunk. */
export const DEFAULT_CHUNK_EVENTS = 65_536;

export function createSink(capacity: number = DEFAULT_CHUNK_EVENTS): ChunkSink {
  if (!(Number.isInteger(capacity) && capacity >= 16)) {
    throw new RangeError(`maxChunkEvents: expected an integer ≥ 16, got ${capacity}`);
  }
  return {
    capacity,
    count: 0,
    x: new Uint16Array(capacity),
    y: new Uint16Array(capacity),
    polarity: new Uint8Array(capacity),
    timeUs: new Float64Array(capacity),
    done: [],
  };
}

/** A compact copy of the sink's first `n` events. */
const copyOut = (sink: ChunkSink, n: number): EventChunk => ({
  count: n,
  x: sink.x.slice(0, n),
  y: sink.y.slice(0, n),
  polarity: sink.polarity.slice(0, n),
  timeUs: sink.timeUs.slice(0, n),
});

/**
 * Hands the first `n` events out as a chunk (a copy) and empties the buffer for reuse. Returns
 * the new event count, 0, so that hot loops write `n = rollSink(sink, n)`.
 */
export function rollSink(sink: ChunkSink, n: number): number {
  if (n > 0) sink.done.push(copyOut(sink, n));
  sink.count = 0;
  return 0;
}

/** The completed chunks plus a compact copy of the partial one; the sink is left empty. */
export function drainSink(sink: ChunkSink): EventChunk[] {
  rollSink(sink, sink.count);
  return sink.done.splice(0, sink.done.length);
}
