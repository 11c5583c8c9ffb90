/**
 * The text header of Prophesee files (`.raw` EVT 2.0/3.0 and `.dat`): lines that start with
 * `%`, each ending in `\n`, optionally closed by a `% end` line. The binary data starts at the
 * first line that does not start with `%` (or right after `% end`).
 *
 * The scanner is incremental: it accepts the header in pieces of any size.
 */
import { type ChunkSink, drainSink } from './chunkSink.ts';
import { type EventDecoder, type SensorSize, feedUnits } from './eventDecoder.ts';
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
 * Sensor size from the header, if stated: `% geometry 640x480`, `% format EVT3;height=720;width=1280`,
 * or `% Width 304` with `% Height 240`.
 */
export function headerSensorSize(lines: readonly string[]): SensorSize | undefined {
  let width: number | undefined;
  let height: number | undefined;
  for (const l of lines) {
    const geo = /^geometry\s+(\d+)\s*x\s*(\d+)/i.exec(l);
    if (geo) return { width: Number(geo[1]), height: Number(geo[2]) };
    const w = /(?:^|[\s;])width[\s=]+(\d+)/i.exec(l);
    const h = /(?:^|[\s;])height[\s=]+(\d+)/i.exec(l);
    if (w) width = Number(w[1]);
    if (h) height = Number(h[1]);
  }
  return width !== undefined && height !== undefined ? { width, height } : undefined;
}

/**
 * The incremental decoder shell shared by the Prophesee `.raw` formats: a `% ` text header, then
 * little-endian words of `unitBytes` bytes handed to `decodeWords(bytes, start, end)` (which
 * writes events into `sink`); words split across pushes are carried over.
 */
export function percentHeaderWordDecoder(
  format: EventFormatName,
  unitBytes: number,
  sink: ChunkSink,
  decodeWords: (bytes: Uint8Array, start: number, end: number) => void,
): EventDecoder {
  const scan = createHeaderScan();
  const carry = new Uint8Array(unitBytes);
  let carried = 0;
  let offset = 0;
  let sensor: SensorSize | undefined;
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
        sensor = headerSensorSize(headerLines(scan));
      }
      carried = feedUnits(carry, carried, bytes, at, decodeWords);
      offset += bytes.length;
      return drainSink(sink);
    },
    end() {
      if (carried !== 0) {
        throw new EventFormatError(format, offset - carried, `input ends inside a ${unitBytes * 8}-bit word`);
      }
      return drainSink(sink);
    },
    sensorSize: () => sensor,
  };
}
