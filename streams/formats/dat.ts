/**
 * Prophesee DAT (`.dat`, e.g. N-CARS): `%` text header lines, then one byte event type and one
 * byte event size (8 for CD events), then 8-byte little-endian records:
 * u32 time stamp (µs), u32 packed address: x in bits [13:0], y in [27:14], polarity in [31:28].
 *
 * ## Example
 * ```ts
 * const bytes = encodeDat(eventChunkFrom([{ x: 25, y: 8, polarity: 0, timeUs: 0 }]));
 * decodeAll(createDatDecoder(), bytes).x[0]; // 25
 * ```
 */
import { type EventChunk } from '../events.ts';
import { type ChunkSink, createSink, drainSink, rollSink } from './chunkSink.ts';
import { type DecoderOptions, type EventDecoder, type SensorSize, feedUnits } from './eventDecoder.ts';
import { EventFormatError } from './eventFormatError.ts';
import { createHeaderScan, headerLines, headerSensorSize, scanHeader } from './percentHeader.ts';

const RECORD_BYTES = 8;

/** Decodes the records in bytes[start, end) (a multiple of 8 bytes) into `sink`. */
export function decodeDatRecords(sink: ChunkSink, bytes: Uint8Array, start: number, end: number): void {
  let n = sink.count;
  const cap = sink.capacity;
  const xs = sink.x;
  const ys = sink.y;
  const ps = sink.polarity;
  const ts = sink.timeUs;
  for (let i = start; i < end; i += 8) {
    if (n === cap) {
      n = rollSink(sink, n);
    }
    const t = (bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24)) >>> 0;
    const a = (bytes[i + 4] | (bytes[i + 5] << 8) | (bytes[i + 6] << 16) | (bytes[i + 7] << 24)) >>> 0;
    xs[n] = a & 0x3fff;
    ys[n] = (a >>> 14) & 0x3fff;
    ps[n] = a >>> 28;
    ts[n] = t;
    n++;
  }
  sink.count = n;
}

export function createDatDecoder(options: DecoderOptions = {}): EventDecoder {
  const sink = createSink(options.maxChunkEvents);
  const scan = createHeaderScan();
  const carry = new Uint8Array(RECORD_BYTES);
  const typeAndSize: number[] = [];
  let carried = 0;
  let offset = 0;
  let sensor: SensorSize | undefined;
  const decode = (b: Uint8Array, s: number, e: number): void => decodeDatRecords(sink, b, s, e);
  return {
    format: 'dat',
    push(bytes) {
      let at = 0;
      if (!scan.done) {
        at = scanHeader(scan, 'dat', bytes, 0, offset);
        if (at < 0) {
          offset += bytes.length;
          return [];
        }
        sensor = headerSensorSize(headerLines(scan));
      }
      while (typeAndSize.length < 2 && at < bytes.length) {
        typeAndSize.push(bytes[at]);
        if (typeAndSize.length === 2 && typeAndSize[1] !== RECORD_BYTES) {
          throw new EventFormatError('dat', offset + at, `event size ${typeAndSize[1]} (expected ${RECORD_BYTES})`);
        }
        at++;
      }
      if (typeAndSize.length === 2) carried = feedUnits(carry, carried, bytes, at, decode);
      offset += bytes.length;
      return drainSink(sink);
    },
    end() {
      if (carried !== 0) {
        throw new EventFormatError('dat', offset - carried, 'input ends inside an 8-byte event');
      }
      if (scan.done && typeAndSize.length === 1) {
        throw new EventFormatError('dat', offset, 'input ends inside the event type/size bytes');
      }
      return drainSink(sink);
    },
    sensorSize: () => sensor,
  };
}

export interface DatEncodeOptions {
  readonly sensor?: SensorSize;
}

/** Encodes events as a DAT file; requires x, y < 2^14, polarity < 16, integer times in [0, 2^32). */
export function encodeDat(chunk: EventChunk, options: DatEncodeOptions = {}): Uint8Array {
  const sensor = options.sensor;
  const header =
    '% Data file containing Event2D events.\n% Version 2\n' +
    (sensor ? `% Width ${sensor.width}\n% Height ${sensor.height}\n` : '');
  const out = new Uint8Array(header.length + 2 + RECORD_BYTES * chunk.count);
  for (let k = 0; k < header.length; k++) out[k] = header.charCodeAt(k);
  out[header.length] = 0;
  out[header.length + 1] = RECORD_BYTES;
  const view = new DataView(out.buffer);
  let at = header.length + 2;
  for (let i = 0; i < chunk.count; i++) {
    const t = chunk.timeUs[i];
    if (!(Number.isInteger(t) && t >= 0 && t < 2 ** 32)) {
      throw new RangeError(`encodeDat: event ${i}: time ${t} outside [0, 2^32)`);
    }
    if (chunk.x[i] >= 1 << 14 || chunk.y[i] >= 1 << 14 || chunk.polarity[i] > 15) {
      throw new RangeError(`encodeDat: event ${i}: field out of range`);
    }
    view.setUint32(at, t, true);
    view.setUint32(at + 4, ((chunk.polarity[i] << 28) | (chunk.y[i] << 14) | chunk.x[i]) >>> 0, true);
    at += RECORD_BYTES;
  }
  return out;
}
