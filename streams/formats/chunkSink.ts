/**
 * Output buffer shared by the decoders: events are written into preallocated typed arrays of
 * `capacity` events; full buffers are handed out as chunks (no copy) and replaced; the partial
 * buffer is copied out at the end of each `push`.
 *
 * Hot loops copy the arrays into locals, write events, and call {@link rollSink} when fewer
 * than the events a single input word can produce remain free.
 */
import { type EventChunk } from '../events.ts';

export interface ChunkSink {
  readonly capacity: number;
  count: number;
  x: Uint16Array;
  y: Uint16Array;
  polarity: Uint8Array;
  timeUs: Float64Array;
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

/** Hands the current arrays (with `sink.count` events) out as a chunk and starts fresh ones. */
export function rollSink(sink: ChunkSink): void {
  if (sink.count === 0) return;
  const n = sink.count;
  sink.done.push({
    count: n,
    x: sink.x.subarray(0, n),
    y: sink.y.subarray(0, n),
    polarity: sink.polarity.subarray(0, n),
    timeUs: sink.timeUs.subarray(0, n),
  });
  const c = sink.capacity;
  sink.x = new Uint16Array(c);
  sink.y = new Uint16Array(c);
  sink.polarity = new Uint8Array(c);
  sink.timeUs = new Float64Array(c);
  sink.count = 0;
}

/** The completed chunks plus a compact copy of the partial one; the sink is left empty. */
export function drainSink(sink: ChunkSink): EventChunk[] {
  const n = sink.count;
  if (n > 0) {
    sink.done.push({
      count: n,
      x: sink.x.slice(0, n),
      y: sink.y.slice(0, n),
      polarity: sink.polarity.slice(0, n),
      timeUs: sink.timeUs.slice(0, n),
    });
    sink.count = 0;
  }
  return sink.done.splice(0, sink.done.length);
}
