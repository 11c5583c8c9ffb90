/**
 * The text header of Prophesee files (`.raw` EVT 2.0/3.0 and `.dat`): lines that start with
 * `%`, each ending in `\n`, optionally closed by a `% end` line. The binary data starts at the
 * first line that does not start with `%` (or right after `% end`).
 *
 * The scanner is incremental: it accepts the header in pieces of any size. An input that ends
 * inside the header (mid-line, or after whole lines with neither `% end` nor data) is truncated,
 * not an empty recording: Prophesee tools end an empty recording's header with `% end`.
 */
import { type ChunkSink, drainSink } from './chunkSink.ts';
import { type DecoderOptions, type EventDecoder, type SensorSize, feedUnits, sensorBound } from './eventDecoder.ts';
import { EventFormatError, type EventFormatName } from './eventFormatError.ts';

/** A header larger than this is treated as corrupt input. */
export const MAX_HEADER_BYTES = 1 << 20;

export interface PercentHeaderScan {
  done: boolean;
  atLineStart: boolean;
  /** The first characters of the current line, enough to recognise `% end`. */
  linePrefix: string;
  length: number;
  readonly pieces: Uint8Array[];
}

export function createHeaderScan(): PercentHeaderScan {
  return { done: false, atLineStart: true, linePrefix: '', length: 0, pieces: [] };
}

const PERCENT = 0x25;
const NEWLINE = 0x0a;
const PREFIX_CHARS = 8;

/**
 * Consumes header bytes of `bytes` from `offset`; returns the index of the first data byte, or
 * -1 when every byte belonged to the header (push more). `base` is the stream offset of
 * `bytes[0]`, for error messages.
 */
export function scanHeader(
  scan: PercentHeaderScan,
  format: EventFormatName,
  bytes: Uint8Array,
  offset: number,
  base: number,
): number {
  let i = offset;
  let dataAt = -1;
  while (i < bytes.length) {
    if (scan.atLineStart) {
      if (bytes[i] !== PERCENT) {
        dataAt = i;
        break;
      }
      scan.atLineStart = false;
      scan.linePrefix = '';
    }
    const nl = bytes.indexOf(NEWLINE, i);
    const segmentEnd = nl < 0 ? bytes.length : nl;
    for (let k = i; k < segmentEnd && scan.linePrefix.length < PREFIX_CHARS; k++) {
      scan.linePrefix += String.fromCharCode(bytes[k]);
    }
    if (nl < 0) {
      i = bytes.length;
      break;
    }
    i = nl + 1;
    scan.atLineStart = true;
    if (/^% ?end\r?$/.test(scan.linePrefix)) {
      dataAt = i;
      break;
    }
  }
  const headerEnd = dataAt < 0 ? bytes.length : dataAt;
  scan.pieces.push(bytes.slice(offset, headerEnd));
  scan.length += headerEnd - offset;
  if (scan.length > MAX_HEADER_BYTES) {
    throw new EventFormatError(format, base + headerEnd, `text header longer than ${MAX_HEADER_BYTES} bytes`);
  }
  if (dataAt >= 0) scan.done = true;
  return dataAt;
}

/** The header text (latin-1). */
export function headerText(scan: PercentHeaderScan): string {
  let s = '';
  for (const p of scan.pieces) for (let i = 0; i < p.length; i++) s += String.fromCharCode(p[i]);
  return s;
}

/** Header lines without their leading `%` and surrounding blanks. */
export function headerLines(scan: PercentHeaderScan): string[] {
  return headerText(scan)
    .split('\n')
    .filter((l) => l.startsWith('%'))
    .map((l) => l.slice(1).trim());
}

/**
 * Sensors of Prophesee camera plugins, for headers that name the plugin but not the geometry
 * (files written before Metavision added `% geometry`/`% format` lines): Gen3/Gen3.1 are VGA,
 * Gen4/Gen4.1 (IMX636) are HD.
 */
const PLUGIN_SENSORS: readonly (readonly [RegExp, SensorSize])[] = [
  [/^hal_plugin_gen3(1)?_/i, { width: 640, height: 480 }],
  [/^hal_plugin_(gen4(1)?|imx636)_/i, { width: 1280, height: 720 }],
];

/**
 * Sensor size from the header, if stated: `% geometry 640x480`, `% format EVT3;height=720;width=1280`,
 * or `% Width 304` with `% Height 240`; else from a known `% plugin_name` (see PLUGIN_SENSORS).
 */
export function headerSensorSize(lines: readonly string[]): SensorSize | undefined {
  let width: number | undefined;
  let height: number | undefined;
  let plugin: SensorSize | undefined;
  for (const l of lines) {
    const name = /^plugin_name\s+(\S+)/i.exec(l);
    if (name) plugin = PLUGIN_SENSORS.find(([re]) => re.test(name[1]))?.[1];
    const geo = /^geometry\s+(\d+)\s*x\s*(\d+)/i.exec(l);
    if (geo) return { width: Number(geo[1]), height: Number(geo[2]) };
    const w = /(?:^|[\s;])width[\s=]+(\d+)/i.exec(l);
    const h = /(?:^|[\s;])height[\s=]+(\d+)/i.exec(l);
    if (w) width = Number(w[1]);
    if (h) height = Number(h[1]);
  }
  return width !== undefined && height !== undefined ? { width, height } : plugin;
}

/** The error for an input that ended inside a `%` text header (see the file comment). */
export function truncatedHeaderError(format: EventFormatName, scan: PercentHeaderScan, offset: number): EventFormatError {
  if (scan.length === 0) return new EventFormatError(format, offset, 'input is empty (no text header, no data)');
  const where = scan.atLineStart ? 'after the text header, with no `% end` line and no data' : 'inside a text header line';
  return new EventFormatError(format, offset, `input ends ${where} (truncated header)`);
}

/**
 * The incremental decoder shell shared by the Prophesee `.raw` formats: a `% ` text header, then
 * little-endian words of `unitBytes` bytes handed to `decodeWords(bytes, start, end, base, sensor)`
 * (which writes events into `sink`, each checked against `sensor`, the bound from the header,
 * `options.sensor` or `fallback`); words split across pushes are carried over.
 */
export function percentHeaderWordDecoder(
  format: EventFormatName,
  unitBytes: number,
  sink: ChunkSink,
  options: DecoderOptions,
  fallback: SensorSize,
  decodeWords: (bytes: Uint8Array, start: number, end: number, base: number, sensor: SensorSize) => void,
): EventDecoder {
  const scan = createHeaderScan();
  const carry = new Uint8Array(unitBytes);
  let carried = 0;
  let offset = 0;
  let sensor: SensorSize | undefined;
  let bound = fallback;
  const decode = (b: Uint8Array, s: number, e: number, base: number): void => decodeWords(b, s, e, base, bound);
  return {
    format,
    push(bytes) {
      let at = 0;
      if (!scan.done) {
        at = scanHeader(scan, format, bytes, 0, offset);
        if (at < 0) {
          offset += bytes.length;
          return [];
        }
        bound = sensorBound(format, headerSensorSize(headerLines(scan)), options, fallback);
        sensor = bound;
      }
      carried = feedUnits(carry, carried, bytes, at, decode, offset);
      offset += bytes.length;
      return drainSink(sink);
    },
    end() {
      if (!scan.done) throw truncatedHeaderError(format, scan, offset);
      if (carried !== 0) {
        throw new EventFormatError(format, offset - carried, `input ends inside a ${unitBytes * 8}-bit word`);
      }
      return drainSink(sink);
    },
    sensorSize: () => sensor,
  };
}
