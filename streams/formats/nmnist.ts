/**
 * N-MNIST / N-Caltech101 binary (`.bin`, Orchard et al. 2015): no header, 5 bytes per event,
 * big-endian: x (u8), y (u8), then 24 bits whose top bit is the polarity and whose low 23 bits
 * are the time stamp in µs.
 *
 * ## Example
 * ```ts
 * decodeAll(createNmnistDecoder(), new Uint8Array([7, 15, 0x80, 0x02, 0x8e])); // x 7, y 15, p 1, t 654
 * ```
 */
import { type EventChunk } from '../events.ts';
import { type ChunkSink, createSink, drainSink, rollSink } from './chunkSink.ts';
import { type DecoderOptions, type EventDecoder, feedUnits } from './eventDecoder.ts';
import { EventFormatError } from './eventFormatError.ts';

/** Decodes the records in bytes[start, end) (a multiple of 5 bytes) into `sink`. */
export function decodeNmnistRecords(sink: ChunkSink, bytes: Uint8Array, start: number, end: number): void {
  let n = sink.count;
  const cap = sink.capacity;
  const xs = sink.x;
  const ys = sink.y;
  const ps = sink.polarity;
  const ts = sink.timeUs;
  for (let i = start; i < end; i += 5) {
    if (n === cap) {
      n = rollSink(sink, n);
    }
    const b2 = bytes[i + 2];
    xs[n] = bytes[i];
    ys[n] = bytes[i + 1];
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
  const decode = (b: Uint8Array, s: number, e: number): void => decodeNmnistRecords(sink, b, s, e);
  return {
    format: 'nmnist',
    push(bytes) {
      carried = feedUnits(carry, carried, bytes, 0, decode);
      offset += bytes.length;
      return drainSink(sink);
    },
    end() {
      if (carried !== 0) {
        throw new EventFormatError('nmnist', offset - carried, 'input ends inside a 5-byte event');
      }
      return drainSink(sink);
    },
    sensorSize: () => undefined,
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
