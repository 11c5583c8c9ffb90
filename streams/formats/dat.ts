/**
 * Prophesee DAT (`.dat`, e.g. N-CARS): `%` text header lines, then one byte event type and one
 * byte event size (8 for CD events), then 8-byte little-endian records:
 * u32 time stamp (µs), u32 packed address: x in bits [13:0], y in [27:14], polarity in [31:28].
 *
 * Every event must lie on the sensor (`% Width`/`% Height` header lines, else the `sensor`
 * option, else the 14-bit address range) and have polarity 0 or 1. A file that ends inside its
 * text header or before the type/size bytes is truncated (an empty recording still has both).
 *
 * ## Example
 * ```ts
 * const bytes = encodeDat(eventChunkFrom([{ x: 25, y: 8, polarity: 0, timeUs: 0 }]));
 * decodeAll(createDatDecoder(), bytes).x[0]; // 25
 * ```
 */
import { type EventChunk } from '../events.ts';
import { type ChunkSink, createSink, drainSink, rollSink } from './chunkSink.ts';
import { type DecoderOptions, type EventDecoder, type SensorSize, feedUnits, sensorBound } from './eventDecoder.ts';
import { EventFormatError, outsideSensorError } from './eventFormatError.ts';
import { createHeaderScan, headerLines, headerSensorSize, scanHeader, truncatedHeaderError } from './percentHeader.ts';

const RECORD_BYTES = 8;

/** The range of DAT addresses (14-bit x and y): the bound when nothing states the sensor. */
export const DAT_ADDRESS_RANGE: SensorSize = { width: 1 << 14, height: 1 << 14 };

/**
 * Decodes the records in bytes[start, end) (a multiple of 8 bytes) into `sink`; an event off
 * `sensor` or with a polarity other than 0/1 throws, naming its stream offset (`base` = stream
 * offset of bytes[0]).
 */
export function decodeDatRecords(sink: ChunkSink, bytes: Uint8Array, start: number, end: number, base: number, sensor: SensorSize): void {
  let n = sink.count;
  const cap = sink.capacity;
  const xs = sink.x;
  const ys = sink.y;
  const ps = sink.polarity;
  const ts = sink.timeUs;
  const width = sensor.width;
  const height = sensor.height;
  for (let i = start; i < end; i += 8) {
    if (n === cap) {
      n = rollSink(sink, n);
    }
    const t = (bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24)) >>> 0;
    const a = (bytes[i + 4] | (bytes[i + 5] << 8) | (bytes[i + 6] << 16) | (bytes[i + 7] << 24)) >>> 0;
    const x = a & 0x3fff;
    const y = (a >>> 14) & 0x3fff;
    const p = a >>> 28;
    if (x >= width || y >= height || p > 1) {
      sink.count = n;
      if (p > 1) throw new EventFormatError('dat', base + i + 4, `event polarity = ${p} (CD events have 0 or 1)`);
      throw outsideSensorError('dat', base + i + 4, x, y, width, height);
    }
    xs[n] = x;
    ys[n] = y;
    ps[n] = p;
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
  let bound = DAT_ADDRESS_RANGE;
  const decode = (b: Uint8Array, s: number, e: number, base: number): void => decodeDatRecords(sink, b, s, e, base, bound);
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
        bound = sensorBound('dat', headerSensorSize(headerLines(scan)), options, DAT_ADDRESS_RANGE);
        sensor = bound;
      }
      while (typeAndSize.length < 2 && at < bytes.length) {
        typeAndSize.push(bytes[at]);
        if (typeAndSize.length === 2 && typeAndSize[1] !== RECORD_BYTES) {
          throw new EventFormatError('dat', offset + at, `event size ${typeAndSize[1]} (expected ${RECORD_BYTES})`);
        }
        at++;
      }
      if (typeAndSize.length === 2) carried = feedUnits(carry, carried, bytes, at, decode, offset);
      offset += bytes.length;
      return drainSink(sink);
    },
    end() {
      if (!scan.done) throw truncatedHeaderError('dat', scan, offset);
      if (carried !== 0) {
        throw new EventFormatError('dat', offset - carried, 'input ends inside an 8-byte event');
      }
      if (typeAndSize.length < 2) {
        throw new EventFormatError('dat', offset, `input ends ${typeAndSize.length === 0 ? 'before' : 'inside'} the event type/size bytes`);
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
