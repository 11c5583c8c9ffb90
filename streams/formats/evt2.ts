/**
 * Prophesee EVT 2.0 (`.raw`): a `%` text header, then 32-bit little-endian words whose top
 * 4 bits give the word type.
 *
 * | type | word          | payload (bits)                                       |
 * |------|---------------|------------------------------------------------------|
 * | 0x0  | CD_OFF        | time low [27:22] (6 bits), x [21:11], y [10:0]; polarity 0 |
 * | 0x1  | CD_ON         | same; polarity 1                                     |
 * | 0x8  | EVT_TIME_HIGH | time high [27:0] (bits 33..6 of the time)            |
 * | 0xA, 0xE, 0xF, others | EXT_TRIGGER, OTHERS, CONTINUED, reserved | ignored (no CD event) |
 *
 * Time in µs = wraps·2^34 + (time high · 64) + time low. A time-high word smaller than the
 * previous one by more than half its 28-bit range counts as a wrap of the 34-bit counter.
 *
 * ## Example
 * ```ts
 * const bytes = encodeEvt2(eventChunkFrom([{ x: 5, y: 7, polarity: 1, timeUs: 42 }]));
 * decodeAll(createEvt2Decoder(), bytes).count; // 1
 * ```
 */
import { type EventChunk } from '../events.ts';
import { type ChunkSink, createSink, rollSink } from './chunkSink.ts';
import { type DecoderOptions, type EventDecoder, type SensorSize } from './eventDecoder.ts';
import { outsideSensorError } from './eventFormatError.ts';
import { percentHeaderWordDecoder } from './percentHeader.ts';

/** The range of EVT 2.0 addresses (11-bit x and y): the bound when nothing states the sensor. */
export const EVT2_ADDRESS_RANGE: SensorSize = { width: 2048, height: 2048 };

export interface Evt2State {
  timeHigh: number;
  /** wraps · 2^34 µs. */
  timeWrapUs: number;
}

export function initialEvt2State(): Evt2State {
  return { timeHigh: 0, timeWrapUs: 0 };
}

const HIGH_RANGE = 2 ** 28;
const WRAP_US = 2 ** 34;

/**
 * Decodes the words in bytes[start, end) (a multiple of 4 bytes) into `sink`, updating `state`;
 * an event off `sensor` throws, naming its stream offset (`base` = stream offset of bytes[0]).
 */
export function decodeEvt2Words(
  state: Evt2State,
  sink: ChunkSink,
  bytes: Uint8Array,
  start: number,
  end: number,
  base: number,
  sensor: SensorSize,
): void {
  let timeHigh = state.timeHigh;
  let wrapUs = state.timeWrapUs;
  let timeBase = wrapUs + timeHigh * 64;
  let n = sink.count;
  const cap = sink.capacity;
  const xs = sink.x;
  const ys = sink.y;
  const ps = sink.polarity;
  const ts = sink.timeUs;
  const width = sensor.width;
  const height = sensor.height;
  for (let i = start; i < end; i += 4) {
    const w = (bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24)) >>> 0;
    const type = w >>> 28;
    if (type <= 1) {
      if (n === cap) {
        n = rollSink(sink, n);
      }
      const x = (w >>> 11) & 0x7ff;
      const y = w & 0x7ff;
      if (x >= width || y >= height) {
        sink.count = n;
        throw outsideSensorError('evt2', base + i, x, y, width, height);
      }
      xs[n] = x;
      ys[n] = y;
      ps[n] = type;
      ts[n] = timeBase + ((w >>> 22) & 0x3f);
      n++;
    } else if (type === 0x8) {
      const high = w & 0x0fffffff;
      if (timeHigh - high > HIGH_RANGE / 2) wrapUs += WRAP_US;
      timeHigh = high;
      timeBase = wrapUs + timeHigh * 64;
    }
  }
  sink.count = n;
  state.timeHigh = timeHigh;
  state.timeWrapUs = wrapUs;
}

/** An incremental EVT 2.0 decoder (header included). */
export function createEvt2Decoder(options: DecoderOptions = {}): EventDecoder {
  const sink = createSink(options.maxChunkEvents);
  const state = initialEvt2State();
  return percentHeaderWordDecoder('evt2', 4, sink, options, EVT2_ADDRESS_RANGE, (b, s, e, base, sensor) =>
    decodeEvt2Words(state, sink, b, s, e, base, sensor),
  );
}

export interface Evt2EncodeOptions {
  readonly sensor?: SensorSize;
}

/**
 * Encodes events as an EVT 2.0 file (header + words). Times must be non-negative integers,
 * non-decreasing; x, y < 2048.
 */
export function encodeEvt2(chunk: EventChunk, options: Evt2EncodeOptions = {}): Uint8Array {
  const words: number[] = [];
  let high = 0;
  let haveHigh = false;
  let lastT = 0;
  const { x, y, polarity, timeUs } = chunk;
  for (let i = 0; i < chunk.count; i++) {
    const t = timeUs[i];
    if (!(Number.isInteger(t) && t >= lastT)) {
      throw new RangeError(`encodeEvt2: event ${i}: time ${t} is not an integer ≥ ${lastT}`);
    }
    if (x[i] > 2047 || y[i] > 2047) throw new RangeError(`encodeEvt2: event ${i}: x or y ≥ 2048`);
    lastT = t;
    const h = Math.floor(t / 64);
    if (h !== high || !haveHigh) {
      const step = HIGH_RANGE / 2 - 1;
      while (h - high > step) {
        high += step;
        words.push((0x80000000 | (high % HIGH_RANGE)) >>> 0);
      }
      high = h;
      haveHigh = true;
      words.push((0x80000000 | (h % HIGH_RANGE)) >>> 0);
    }
    words.push((((polarity[i] & 1) << 28) | ((t % 64) << 22) | (x[i] << 11) | y[i]) >>> 0);
  }
  const sensor = options.sensor;
  const header = '% evt 2.0\n' + (sensor ? `% geometry ${sensor.width}x${sensor.height}\n` : '') + '% end\n';
  const out = new Uint8Array(header.length + 4 * words.length);
  for (let k = 0; k < header.length; k++) out[k] = header.charCodeAt(k);
  const view = new DataView(out.buffer);
  let at = header.length;
  for (const w of words) {
    view.setUint32(at, w, true);
    at += 4;
  }
  return out;
}
