/**
 * The contract every event-file decoder follows: an incremental, push-style decoder. Bytes
 * arrive in chunks of any size (a file is never read whole); each `push` returns the events the
 * bytes completed, `end` flushes and checks that the input did not stop mid-record.
 *
 * Decoders keep their state inside the object `createXDecoder()` returns; two decoders never
 * share state. Bad input throws {@link EventFormatError} naming the byte offset.
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
  /** Sensor width × height when the file says so (known after its header was pushed). */
  sensorSize(): SensorSize | undefined;
}

export interface SensorSize {
  readonly width: number;
  readonly height: number;
}

export interface DecoderOptions {
  /** Upper bound on events per emitted chunk (default 65 536). */
  readonly maxChunkEvents?: number;
}

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
 * one push to the next and calls `decode(bytes, start, end)` only on whole units. Returns the
 * number of bytes now carried.
 */
export function feedUnits(
  carry: Uint8Array,
  carried: number,
  bytes: Uint8Array,
  offset: number,
  decode: (bytes: Uint8Array, start: number, end: number) => void,
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
    decode(carry, 0, unit);
    at += need;
  }
  const whole = at + Math.floor((bytes.length - at) / unit) * unit;
  if (whole > at) decode(bytes, at, whole);
  const rest = bytes.length - whole;
  if (rest > 0) carry.set(bytes.subarray(whole), 0);
  return rest;
}
