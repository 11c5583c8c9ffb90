/**
 * The contract every event-file decoder follows: an incremental, push-style decoder. Bytes
 * arrive in chunks of any size (a file is never read whole); each `push` returns the events the
 * bytes completed, `end` flushes and checks that the input did not stop mid-record.
 *
 * Decoders keep their state inside the object `createXDecoder()` returns; two decoders never
 * share state. Bad input throws {@link EventFormatError} naming the byte offset: a record that
 * does not parse, an input that ends inside a record or inside the text header, and an event
 * outside the sensor. Every event is checked against the sensor size the file states (Prophesee
 * `% geometry`/`% format …;width=…;height=…`/`% Width`+`% Height` lines, or the plugin name of
 * known cameras; AEDAT 4 `sizeX`/`sizeY`), else the `sensor` option, else the format's own bound
 * (N-MNIST: its 34×34 sensor; the others: the range of their address fields, where the check
 * can only catch what the format cannot express, such as an EVT 3.0 vector past x = 2047).
 *
 * ## Example
 * ```ts
 * const decoder = createEvt3Decoder();
 * const chunks = [...decoder.push(firstBytes), ...decoder.push(moreBytes), ...decoder.end()];
 * ```
 */
import { type EventChunk, concatEventChunks } from '../events.ts';
import { type EventFormatName } from './eventFormatError.ts';

export interface EventDecoder {
  readonly format: EventFormatName;
  /** Decodes `bytes` (the next bytes of the input); returns the completed chunks, maybe none. */
  push(bytes: Uint8Array): EventChunk[];
  /** Signals the end of input; returns the last events or throws if the input is truncated. */
  end(): EventChunk[];
  /**
   * The sensor events are checked against (see above): known after the header was pushed;
   * undefined before, and for a format whose files state it when none was found yet.
   */
  sensorSize(): SensorSize | undefined;
}

export interface SensorSize {
  readonly width: number;
  readonly height: number;
}

export interface DecoderOptions {
  /** Upper bound on events per emitted chunk (default 65 536). */
  readonly maxChunkEvents?: number;
  /**
   * The sensor events are checked against when the file does not state its size (e.g.
   * N-Caltech101 `.bin` files: 240×180; N-CARS `.dat` files: 304×240).
   */
  readonly sensor?: SensorSize;
}

/**
 * The sensor events must lie on: the size the file states, else the caller's `sensor` option,
 * else the format's bound `fallback`. Throws a RangeError for a non-positive or non-integer size.
 */
export function sensorBound(format: EventFormatName, stated: SensorSize | undefined, options: DecoderOptions, fallback: SensorSize): SensorSize {
  const given = options.sensor;
  if (given !== undefined && !(Number.isInteger(given.width) && given.width > 0 && Number.isInteger(given.height) && given.height > 0)) {
    throw new RangeError(`${format} decoder: sensor must be positive integers, got ${given.width}×${given.height}`);
  }
  return stated ?? given ?? fallback;
}

/** Decodes whole units in bytes[start, end); `base` is the stream offset of bytes[0]. */
export type UnitDecoder = (bytes: Uint8Array, start: number, end: number, base: number) => void;

/** Decodes a whole in-memory input with `decoder`, pushing it in pieces of `pieceBytes`. */
export function decodeAll(
  decoder: EventDecoder,
  bytes: Uint8Array,
  pieceBytes: number = bytes.length,
): EventChunk {
  const chunks: EventChunk[] = [];
  const step = Math.max(1, pieceBytes);
  for (let at = 0; at < bytes.length; at += step) {
    for (const c of decoder.push(bytes.subarray(at, at + step))) chunks.push(c);
  }
  for (const c of decoder.end()) chunks.push(c);
  return concatEventChunks(chunks);
}

/**
 * Framing for formats made of fixed-size units (words, records): carries a partial unit from
 * one push to the next and calls `decode(bytes, start, end, base)` only on whole units, where
 * `base` is the stream offset of `bytes[0]` (for error messages); `base` here is the stream
 * offset of this piece. Returns the number of bytes now carried.
 */
export function feedUnits(
  carry: Uint8Array,
  carried: number,
  bytes: Uint8Array,
  offset: number,
  decode: UnitDecoder,
  base: number,
): number {
  const unit = carry.length;
  let at = offset;
  if (carried > 0) {
    const need = unit - carried;
    const avail = bytes.length - at;
    if (avail < need) {
      carry.set(bytes.subarray(at), carried);
      return carried + avail;
    }
    carry.set(bytes.subarray(at, at + need), carried);
    decode(carry, 0, unit, base + at - carried);
    at += need;
  }
  const whole = at + Math.floor((bytes.length - at) / unit) * unit;
  if (whole > at) decode(bytes, at, whole, base);
  const rest = bytes.length - whole;
  if (rest > 0) carry.set(bytes.subarray(whole), 0);
  return rest;
}
