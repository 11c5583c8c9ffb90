/**
 * Camera events: what an event camera (DVS, ATIS, Prophesee, N-MNIST saccades) reports.
 *
 * A pixel at column `x`, row `y` reports a brightness change of sign `polarity`
 * (1 = ON, brighter; 0 = OFF, darker) at time `timeUs`, in microseconds since the start of the
 * recording clock. Times are stored as doubles: every integer microsecond count up to 2^53
 * (285 years) is exact.
 *
 * For throughput, decoders emit {@link EventChunk}s: a structure of arrays holding `count`
 * events, field `i` of event `k` in `field[k]`. The arrays may be longer than `count`; only the
 * first `count` entries are events.
 *
 * ## Example
 * ```ts
 * const chunk = eventChunkFrom([{ x: 3, y: 4, polarity: 1, timeUs: 10 }]);
 * eventAt(chunk, 0); // { x: 3, y: 4, polarity: 1, timeUs: 10 }
 * ```
 */

/** One camera event (the friendly, allocating form). */
export interface CameraEvent {
  /** Column of the pixel, 0-based. */
  readonly x: number;
  /** Row of the pixel, 0-based. */
  readonly y: number;
  /** 1 = ON (brightness increase), 0 = OFF (decrease). */
  readonly polarity: number;
  /** Time stamp in microseconds. */
  readonly timeUs: number;
}

/** `count` camera events as a structure of typed arrays (the fast form). */
export interface EventChunk {
  readonly count: number;
  readonly x: Uint16Array;
  readonly y: Uint16Array;
  readonly polarity: Uint8Array;
  readonly timeUs: Float64Array;
}

/** A chunk with room for `capacity` events and `count` = 0 (caller-owned output). */
export function allocEventChunk(capacity: number): EventChunk {
  return {
    count: 0,
    x: new Uint16Array(capacity),
    y: new Uint16Array(capacity),
    polarity: new Uint8Array(capacity),
    timeUs: new Float64Array(capacity),
  };
}

/** A chunk holding exactly `events`, in order. */
export function eventChunkFrom(events: readonly CameraEvent[]): EventChunk {
  const n = events.length;
  const x = new Uint16Array(n);
  const y = new Uint16Array(n);
  const polarity = new Uint8Array(n);
  const timeUs = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const e = events[i];
    x[i] = e.x;
    y[i] = e.y;
    polarity[i] = e.polarity;
    timeUs[i] = e.timeUs;
  }
  return { count: n, x, y, polarity, timeUs };
}

/** Event `index` (0 ≤ index < chunk.count) as an object. */
export function eventAt(chunk: EventChunk, index: number): CameraEvent {
  if (!(index >= 0 && index < chunk.count)) {
    throw new RangeError(`eventAt: index ${index} outside [0, ${chunk.count})`);
  }
  return {
    x: chunk.x[index],
    y: chunk.y[index],
    polarity: chunk.polarity[index],
    timeUs: chunk.timeUs[index],
  };
}

/** All events of `chunks`, in order, as objects (tests and small data only). */
export function eventsOf(chunks: readonly EventChunk[]): CameraEvent[] {
  const out: CameraEvent[] = [];
  for (const c of chunks) for (let i = 0; i < c.count; i++) out.push(eventAt(c, i));
  return out;
}

/** The events of several chunks concatenated into one compact chunk. */
export function concatEventChunks(chunks: readonly EventChunk[]): EventChunk {
  let n = 0;
  for (const c of chunks) n += c.count;
  const out = allocEventChunk(n);
  let at = 0;
  for (const c of chunks) {
    const k = c.count;
    out.x.set(c.x.subarray(0, k), at);
    out.y.set(c.y.subarray(0, k), at);
    out.polarity.set(c.polarity.subarray(0, k), at);
    out.timeUs.set(c.timeUs.subarray(0, k), at);
    at += k;
  }
  return { ...out, count: n };
}
