/**
 * Prophesee EVT 3.0 (`.raw`): a `%` text header, then 16-bit little-endian words whose top
 * 4 bits give the word type. The format is stateful: words update a current y, a current time
 * and a vector base, and only address words produce events.
 *
 * | type | word          | payload (bits)                                   | effect                          |
 * |------|---------------|--------------------------------------------------|---------------------------------|
 * | 0x0  | EVT_ADDR_Y    | y [10:0], system type [11]                       | y ← payload                     |
 * | 0x2  | EVT_ADDR_X    | x [10:0], polarity [11]                          | one event (x, y, p, t)          |
 * | 0x3  | VECT_BASE_X   | x [10:0], polarity [11]                          | base x and polarity of vectors  |
 * | 0x4  | VECT_12       | valid mask [11:0]                                | event at base + k per set bit k; base += 12 |
 * | 0x5  | VECT_8        | valid mask [7:0]                                 | same; base += 8                 |
 * | 0x6  | EVT_TIME_LOW  | time [11:0]                                      | low 12 bits of the 24-bit time  |
 * | 0x8  | EVT_TIME_HIGH | time [23:12]                                     | high 12 bits of the 24-bit time |
 * | 0x7, 0xA, 0xE, 0xF | CONTINUED_4, EXT_TRIGGER, OTHERS, CONTINUED_12 | ignored here (no CD event) |
 *
 * Time in µs = wraps·2^24 + high·2^12 + low. The 24-bit counter wraps every 16.8 s: a time-high
 * word smaller than the previous one by more than half its range (2048) counts as a wrap;
 * smaller steps (non-monotonic time high) are taken as they are.
 *
 * Option `timeLowDecreaseIsOverflow` reproduces another reader (Expelliarmus, which produced
 * the reference `evt3-sample.decoded.npy`): there every decrease of TIME_LOW counts as an
 * overflow of the low 12 bits, and time high = last TIME_HIGH word + overflow count. That rule
 * is not in the Prophesee description; on real recordings (where TIME_LOW may step back a few
 * µs, and where a genuine low wrap is followed by a TIME_HIGH increment) it shifts times by
 * multiples of 4096 µs. It exists only to compare against files that reader wrote.
 *
 * ## Example
 * ```ts
 * const bytes = encodeEvt3(eventChunkFrom([{ x: 5, y: 7, polarity: 1, timeUs: 42 }]));
 * decodeAll(createEvt3Decoder(), bytes).count; // 1
 * ```
 */
import { type EventChunk } from '../events.ts';
import { type ChunkSink, createSink, rollSink } from './chunkSink.ts';
import { type DecoderOptions, type EventDecoder, type SensorSize } from './eventDecoder.ts';
import { outsideSensorError } from './eventFormatError.ts';
import { percentHeaderWordDecoder } from './percentHeader.ts';

/**
 * The range of EVT 3.0 addresses (11-bit x and y): the bound when nothing states the sensor
 * (vector words can still run past it: base x 2047 + 11).
 */
export const EVT3_ADDRESS_RANGE: SensorSize = { width: 2048, height: 2048 };

/** Decoder state between words (explicit, so the step function is pure apart from it). */
export interface Evt3State {
  y: number;
  vectBaseX: number;
  vectPolarity: number;
  timeLow: number;
  timeHigh: number;
  /** wraps · 2^24 µs. */
  timeWrapUs: number;
  /** Count of TIME_LOW decreases (used only with `timeLowDecreaseIsOverflow`). */
  lowOverflows: number;
}

export function initialEvt3State(): Evt3State {
  return { y: 0, vectBaseX: 0, vectPolarity: 0, timeLow: 0, timeHigh: 0, timeWrapUs: 0, lowOverflows: 0 };
}

const TIME_HIGH_WRAP_US = 1 << 24;

/**
 * Decodes the words in bytes[start, end) (end − start even) into `sink`, updating `state`; an
 * event off `sensor` throws, naming its stream offset (`base` = stream offset of bytes[0]).
 */
export function decodeEvt3Words(
  state: Evt3State,
  sink: ChunkSink,
  bytes: Uint8Array,
  start: number,
  end: number,
  base: number,
  sensor: SensorSize,
  timeLowDecreaseIsOverflow: boolean = false,
): void {
  let y = state.y;
  let lowOverflows = state.lowOverflows;
  let baseX = state.vectBaseX;
  let vectP = state.vectPolarity;
  let timeLow = state.timeLow;
  let timeHigh = state.timeHigh;
  let wrapUs = state.timeWrapUs;
  let t = wrapUs + timeHigh * 4096 + timeLow;
  let n = sink.count;
  const cap = sink.capacity - 12;
  const xs = sink.x;
  const ys = sink.y;
  const ps = sink.polarity;
  const ts = sink.timeUs;
  const width = sensor.width;
  const height = sensor.height;
  for (let i = start; i < end; i += 2) {
    const w = bytes[i] | (bytes[i + 1] << 8);
    if (n > cap) {
      n = rollSink(sink, n);
    }
    switch (w >>> 12) {
      case 0x0:
        y = w & 0x7ff;
        break;
      case 0x2: {
        const x = w & 0x7ff;
        if (x >= width || y >= height) {
          sink.count = n;
          throw outsideSensorError('evt3', base + i, x, y, width, height);
        }
        xs[n] = x;
        ys[n] = y;
        ps[n] = (w >>> 11) & 1;
        ts[n] = t;
        n++;
        break;
      }
      case 0x3:
        baseX = w & 0x7ff;
        vectP = (w >>> 11) & 1;
        break;
      case 0x4:
      case 0x5: {
        let mask = w & 0xfff;
        if (w >>> 12 === 0x5) mask &= 0xff;
        // the highest set bit gives the largest x of the vector: one bound test per word
        if (mask !== 0 && (baseX + 31 - Math.clz32(mask) >= width || y >= height)) {
          sink.count = n;
          throw outsideSensorError('evt3', base + i, baseX + 31 - Math.clz32(mask), y, width, height);
        }
        while (mask !== 0) {
          const low = mask & -mask;
          xs[n] = baseX + 31 - Math.clz32(low);
          ys[n] = y;
          ps[n] = vectP;
          ts[n] = t;
          n++;
          mask ^= low;
        }
        baseX += w >>> 12 === 0x4 ? 12 : 8;
        break;
      }
      case 0x6: {
        const low = w & 0xfff;
        if (timeLowDecreaseIsOverflow && low < timeLow) {
          lowOverflows++;
          timeHigh++;
        }
        timeLow = low;
        t = wrapUs + timeHigh * 4096 + timeLow;
        break;
      }
      case 0x8: {
        const high = w & 0xfff;
        if (timeLowDecreaseIsOverflow) {
          timeHigh = high + lowOverflows;
        } else {
          if (timeHigh - high > 2048) wrapUs += TIME_HIGH_WRAP_US;
          timeHigh = high;
        }
        t = wrapUs + timeHigh * 4096 + timeLow;
        break;
      }
      default:
        break;
    }
  }
  sink.count = n;
  state.y = y;
  state.vectBaseX = baseX;
  state.vectPolarity = vectP;
  state.timeLow = timeLow;
  state.timeHigh = timeHigh;
  state.timeWrapUs = wrapUs;
  state.lowOverflows = lowOverflows;
}

export interface Evt3DecoderOptions extends DecoderOptions {
  /** Reproduce the Expelliarmus time rule (see the file comment); default false (Prophesee rule). */
  readonly timeLowDecreaseIsOverflow?: boolean;
}

/** An incremental EVT 3.0 decoder (header included). */
export function createEvt3Decoder(options: Evt3DecoderOptions = {}): EventDecoder {
  const compat = options.timeLowDecreaseIsOverflow === true;
  const sink = createSink(options.maxChunkEvents);
  const state = initialEvt3State();
  return percentHeaderWordDecoder('evt3', 2, sink, options, EVT3_ADDRESS_RANGE, (b, s, e, base, sensor) =>
    decodeEvt3Words(state, sink, b, s, e, base, sensor, compat),
  );
}

export interface Evt3EncodeOptions {
  readonly sensor?: SensorSize;
}

/**
 * Encodes events as an EVT 3.0 file (header + words), for tests and export. Times must be
 * non-negative integers, non-decreasing; x, y < 2048; runs of events sharing time, row and
 * polarity with increasing x become VECT_8/VECT_12 words.
 */
export function encodeEvt3(chunk: EventChunk, options: Evt3EncodeOptions = {}): Uint8Array {
  const words: number[] = [];
  let high24 = 0;
  let low = -1;
  let curY = -1;
  let lastT = 0;
  const n = chunk.count;
  const { x, y, polarity, timeUs } = chunk;
  for (let i = 0; i < n; ) {
    const t = timeUs[i];
    if (!(Number.isInteger(t) && t >= lastT)) {
      throw new RangeError(`encodeEvt3: event ${i}: time ${t} is not an integer ≥ ${lastT}`);
    }
    if (x[i] > 2047 || y[i] > 2047) throw new RangeError(`encodeEvt3: event ${i}: x or y ≥ 2048`);
    lastT = t;
    const h = Math.floor(t / 4096);
    if (h !== high24 || low < 0) {
      while (h - high24 > 2047) {
        high24 += 2047;
        words.push(0x8000 | (high24 & 0xfff));
      }
      high24 = h;
      words.push(0x8000 | (h & 0xfff));
      low = -1;
    }
    if (t % 4096 !== low) {
      low = t % 4096;
      words.push(0x6000 | low);
    }
    if (y[i] !== curY) {
      curY = y[i];
      words.push(curY);
    }
    const p = polarity[i] & 1;
    let j = i + 1;
    while (
      j < n &&
      timeUs[j] === t &&
      y[j] === curY &&
      (polarity[j] & 1) === p &&
      x[j] > x[j - 1] &&
      x[j] - x[i] < 12
    ) {
      j++;
    }
    if (j - i >= 2) {
      words.push(0x3000 | (p << 11) | x[i]);
      let mask = 0;
      for (let k = i; k < j; k++) mask |= 1 << (x[k] - x[i]);
      words.push(x[j - 1] - x[i] < 8 ? 0x5000 | mask : 0x4000 | mask);
      i = j;
    } else {
      words.push(0x2000 | (p << 11) | x[i]);
      i++;
    }
  }
  const sensor = options.sensor;
  const header =
    '% evt 3.0\n' +
    (sensor ? `% format EVT3;height=${sensor.height};width=${sensor.width}\n` : '') +
    '% end\n';
  const out = new Uint8Array(header.length + 2 * words.length);
  for (let k = 0; k < header.length; k++) out[k] = header.charCodeAt(k);
  let at = header.length;
  for (const w of words) {
    out[at++] = w & 0xff;
    out[at++] = w >>> 8;
  }
  return out;
}
