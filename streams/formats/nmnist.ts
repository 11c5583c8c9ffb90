/**
 * N-MNIST / N-Caltech101 binary (`.bin`, Orchard et al. 2015): no header, 5 bytes per event,
 * big-endian: x (u8), y (u8), then 24 bits whose top bit is the polarity and whose low 23 bits
 * are the time stamp in µs.
 *
 * The format has no header and no magic, so any length that is a multiple of 5 parses; what
 * tells a recording from other bytes is the sensor: every event must lie on it (N-MNIST: 34×34,
 * the default; pass `sensor` for N-Caltech101's 240×180). A PNG renamed `.bin` fails at byte 0.
 *
 * ## Example
 * ```ts
 * decodeAll(createNmnistDecoder(), new Uint8Array([7, 15, 0x80, 0x02, 0x8e])); // x 7, y 15, p 1, t 654
 * ```
 */
import { type EventChunk } from '../events.ts';
import { type ChunkSink, createSink, drainSink, rollSink } from './chunkSink.ts';
import { type DecoderOptions, type EventDecoder, type SensorSize, feedUnits, sensorBound } from './eventDecoder.ts';
import { EventFormatError, outsideSensorError } from './eventFormatError.ts';

/** The N-MNIST sensor (an ATIS cropped to 34×34). */
export const NMNIST_SENSOR: SensorSize = { width: 34, height: 34 };

/**
 * Decodes the records in bytes[start, end) (a multiple of 5 bytes) into `sink`; an event off
 * `sensor` throws, naming its stream offset (`base` = stream offset of bytes[0]).
 */
export function decodeNmnistRecords(sink: ChunkSink, bytes: Uint8Array, start: number, end: number, base: number, sensor: SensorSize): void {
  let n = sink.count;
  const cap = sink.capacity;
  const xs = sink.x;
  const ys = sink.y;
  const ps = sink.polarity;
  const ts = sink.timeUs;
  const width = sensor.width;
  const height = sensor.height;
  for (let i = start; i < end; i += 5) {
    if (n === cap) {
      n = rollSink(sink, n);
    }
    const x = bytes[i];
    const y = bytes[i + 1];
    if (x >= width || y >= height) {
      sink.count = n;
      throw outsideSensorError('nmnist', base + i, x, y, width, height);
    }
    const b2 = bytes[i + 2];
    xs[n] = x;
    ys[n] = y;
    ps[n] = b2 >>> 7;
    ts[n] = ((b2 & 0x7f) << 16) | (bytes[i + 3] << 8) | bytes[i + 4];
    n++;
  }
  sink.count = n;
}

export function createNmnistDecoder(options: DecoderOptions = {}): EventDecoder {
  const sink = createSink(options.maxChunkEvents);
  const carry = new Uint8Array(5);
  let carried = 0;
  let offset = 0;
  const sensor = sensorBound('nmnist', undefined, options, NMNIST_SENSOR);
  const decode = (b: Uint8Array, s: number, e: number, base: number): void => decodeNmnistRecords(sink, b, s, e, base, sensor);
  return {
    format: 'nmnist',
    push(bytes) {
      carried = feedUnits(carry, carried, bytes, 0, decode, offset);
      offset += bytes.length;
      return drainSink(sink);
    },
    end() {
      if (carried !== 0) {
        throw new EventFormatError('nmnist', offset - carried, 'input ends inside a 5-byte event');
      }
      return drainSink(sink);
    },
    sensorSize: () => sensor,
  };
}

/** Encodes events as N-MNIST binary; requires x, y < 256 and integer times in [0, 2^23). */
export function encodeNmnist(chunk: EventChunk): Uint8Array {
  const out = new Uint8Array(5 * chunk.count);
  for (let i = 0; i < chunk.count; i++) {
    const t = chunk.timeUs[i];
    if (!(Number.isInteger(t) && t >= 0 && t < 1 << 23)) {
      throw new RangeError(`encodeNmnist: event ${i}: time ${t} outside the 23-bit range`);
    }
    if (chunk.x[i] > 255 || chunk.y[i] > 255) throw new RangeError(`encodeNmnist: event ${i}: x or y > 255`);
    const o = 5 * i;
    out[o] = chunk.x[i];
    out[o + 1] = chunk.y[i];
    out[o + 2] = ((chunk.polarity[i] & 1) << 7) | (t >>> 16);
    out[o + 3] = (t >>> 8) & 0xff;
    out[o + 4] = t & 0xff;
  }
  return out;
}
