/**
 * AEDAT 4.0 (iniVation DV, `.aedat4`), read incrementally:
 *
 * 1. the 14-byte magic `#!AER-DAT4.0\r\n`;
 * 2. an i32 size and that many bytes of `IOHeader` FlatBuffer (identifier `IOHE`):
 *    field 0 compression (i32 enum: 0 none, 1 LZ4, 2 LZ4 high, 3 ZSTD, 4 ZSTD high),
 *    field 1 dataTablePosition (i64, −1 when absent), field 2 infoNode (XML string naming each
 *    stream and its `typeIdentifier`: `EVTS` polarity events, `FRME`, `IMUS`, `TRIG`, ...);
 * 3. packets: i32 stream id, i32 payload size, payload = one compressed (LZ4 frame or ZSTD
 *    frame) size-prefixed FlatBuffer. Event streams hold an `EventPacket` table (identifier
 *    `EVTS`) whose field 0 is a vector of 16-byte structs `{t: i64 µs, x: i16, y: i16, on: bool}`;
 * 4. from dataTablePosition on, an index of the packets (not needed to read them; skipped).
 *
 * Packets of other streams are skipped by size without decompression. Every event must lie on
 * its stream's sensor (`sizeX`/`sizeY` of the infoNode, else the `sensor` option, else the
 * non-negative i16 range); an event off it fails naming the packet's byte offset, the event's
 * index in the packet, the value and the bound.
 *
 * ## Example
 * ```ts
 * const bytes = encodeAedat4(eventChunkFrom([{ x: 1, y: 2, polarity: 1, timeUs: 3 }]), { compression: 'lz4' });
 * decodeAll(createAedat4Decoder(), bytes).count; // 1
 * ```
 */
import { createRequire } from 'node:module';
import { decompress as zstdDecompress } from 'fzstd';
import { type EventChunk } from '../events.ts';
import { type ChunkSink, createSink, drainSink, rollSink } from './chunkSink.ts';
import { type DecoderOptions, type EventDecoder, type SensorSize, sensorBound } from './eventDecoder.ts';
import { EventFormatError, outsideSensorProblem } from './eventFormatError.ts';
import { FlatBufferError, fbCheck, fbDeref, fbField, fbI32, fbI64, fbRoot, fbString, fbU32 } from './flatbuffer.ts';

interface Lz4js {
  decompressBlock(src: Uint8Array, dst: Uint8Array, sIndex: number, sLength: number, dIndex: number): number;
  compress(src: Uint8Array): Uint8Array;
}
const lz4: Lz4js = createRequire(import.meta.url)('lz4js');

export const AEDAT4_MAGIC = '#!AER-DAT4.0\r\n';
const EVENT_BYTES = 16;
/** The range of AEDAT 4 coordinates (non-negative i16): the bound when nothing states the sensor. */
export const AEDAT4_COORDINATE_RANGE: SensorSize = { width: 0x8000, height: 0x8000 };
const MAX_IO_HEADER_BYTES = 16 << 20;

export type Aedat4Compression = 'none' | 'lz4' | 'zstd';

export interface Aedat4DecoderOptions extends DecoderOptions {
  /** Largest accepted packet, compressed or not (default 64 MiB). */
  readonly maxPacketBytes?: number;
}

export interface Aedat4Stream {
  readonly id: number;
  readonly typeIdentifier: string;
  readonly sensor?: SensorSize;
}

/** Streams described by the infoNode XML (`<node name="ID">` … `typeIdentifier`, sizeX/sizeY). */
export function parseAedat4Streams(infoNode: string): Aedat4Stream[] {
  const streams: Aedat4Stream[] = [];
  const parts = infoNode.split(/<node name="(\d+)"/);
  for (let i = 1; i + 1 < parts.length; i += 2) {
    const body = parts[i + 1];
    const type = /key="typeIdentifier"[^>]*>([^<]*)</.exec(body);
    if (!type) continue;
    const w = /key="sizeX"[^>]*>(\d+)</.exec(body);
    const h = /key="sizeY"[^>]*>(\d+)</.exec(body);
    streams.push({
      id: Number(parts[i]),
      typeIdentifier: type[1],
      ...(w && h ? { sensor: { width: Number(w[1]), height: Number(h[1]) } } : {}),
    });
  }
  return streams;
}

type Phase = 'magic' | 'headerSize' | 'header' | 'packetHeader' | 'payload' | 'dataTable';

/** An incremental AEDAT 4.0 decoder: emits the polarity events of every event stream. */
export function createAedat4Decoder(options: Aedat4DecoderOptions = {}): EventDecoder {
  const sink = createSink(options.maxChunkEvents);
  const maxPacket = options.maxPacketBytes ?? 64 << 20;
  const pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let offset = 0; // stream offset of the first pending byte
  let phase: Phase = 'magic';
  let need = AEDAT4_MAGIC.length;
  let compression = 0;
  let dataTablePosition = -1;
  let eventStreams: Set<number> | undefined; // undefined: unknown, inspect every packet
  let sensor: SensorSize | undefined;
  let streamSensors = new Map<number, SensorSize>();
  let packetStream = 0;

  const fail = (at: number, problem: string): never => {
    throw new EventFormatError('aedat4', at, problem);
  };

  const take = (n: number): Uint8Array => {
    let out: Uint8Array;
    const first = pending[0];
    if (first.length >= n) {
      out = first.subarray(0, n);
      if (first.length === n) pending.shift();
      else pending[0] = first.subarray(n);
    } else {
      out = new Uint8Array(n);
      let at = 0;
      while (at < n) {
        const p = pending[0];
        const k = Math.min(p.length, n - at);
        out.set(p.subarray(0, k), at);
        at += k;
        if (k === p.length) pending.shift();
        else pending[0] = p.subarray(k);
      }
    }
    pendingBytes -= n;
    offset += n;
    return out;
  };

  const readIoHeader = (bytes: Uint8Array, at: number): void => {
    try {
      const root = fbRoot(bytes, 0);
      const cPos = fbField(bytes, root, 0);
      compression = cPos < 0 ? 0 : fbI32(bytes, cPos);
      const dPos = fbField(bytes, root, 1);
      dataTablePosition = dPos < 0 ? -1 : fbI64(bytes, dPos);
      const iPos = fbField(bytes, root, 2);
      if (iPos >= 0) {
        const streams = parseAedat4Streams(fbString(bytes, iPos));
        if (streams.length > 0) {
          eventStreams = new Set(streams.filter((s) => s.typeIdentifier === 'EVTS').map((s) => s.id));
          sensor = streams.find((s) => s.typeIdentifier === 'EVTS')?.sensor;
          streamSensors = new Map(streams.flatMap((s) => (s.sensor ? [[s.id, s.sensor] as const] : [])));
        }
      }
    } catch (e) {
      if (e instanceof FlatBufferError) {
        fail(at + Math.min(Math.max(e.position, 0), bytes.length - 1), `IOHeader: ${e.message}`);
      }
      throw e;
    }
    if (!(compression >= 0 && compression <= 4)) fail(at, `unknown compression ${compression}`);
  };

  const readPacket = (payload: Uint8Array, at: number): void => {
    if (eventStreams !== undefined && !eventStreams.has(packetStream)) return;
    let data: Uint8Array;
    try {
      data = decompressPacket(payload, compression, maxPacket);
    } catch (e) {
      if (e instanceof EventFormatError) throw e;
      return fail(at, `packet of stream ${packetStream}: cannot decompress (${(e as Error).message})`);
    }
    const bound = sensorBound('aedat4', streamSensors.get(packetStream), options, AEDAT4_COORDINATE_RANGE);
    try {
      decodeEventPacket(sink, data, eventStreams === undefined, bound);
    } catch (e) {
      if (e instanceof FlatBufferError) {
        fail(at, `packet of stream ${packetStream}: EventPacket byte ${e.position}: ${e.message}`);
      }
      if (e instanceof RangeError) fail(at, `packet of stream ${packetStream}: ${e.message}`);
      if (e instanceof EventFormatError) fail(at, `packet of stream ${packetStream}: ${e.problem}`);
      throw e;
    }
  };

  return {
    format: 'aedat4',
    push(bytes) {
      if (bytes.length > 0 && phase !== 'dataTable') {
        pending.push(bytes);
        pendingBytes += bytes.length;
      }
      while (phase !== 'dataTable' && pendingBytes >= need) {
        const at = offset;
        const b = take(need);
        switch (phase) {
          case 'magic':
            for (let i = 0; i < AEDAT4_MAGIC.length; i++) {
              if (b[i] !== AEDAT4_MAGIC.charCodeAt(i)) fail(at + i, 'not an AEDAT 4.0 file (bad magic)');
            }
            phase = 'headerSize';
            need = 4;
            break;
          case 'headerSize': {
            const size = fbI32(b, 0);
            if (!(size > 0 && size <= MAX_IO_HEADER_BYTES)) fail(at, `IOHeader size ${size} out of range`);
            phase = 'header';
            need = size;
            break;
          }
          case 'header':
            readIoHeader(b, at);
            phase = 'packetHeader';
            need = 8;
            break;
          case 'packetHeader': {
            if (dataTablePosition >= 0 && at >= dataTablePosition) {
              phase = 'dataTable';
              pending.length = 0;
              pendingBytes = 0;
              break;
            }
            packetStream = fbI32(b, 0);
            const size = fbI32(b, 4);
            if (!(size >= 0 && size <= maxPacket)) fail(at + 4, `packet size ${size} out of range`);
            phase = 'payload';
            need = size;
            break;
          }
          case 'payload':
            readPacket(b, at);
            phase = 'packetHeader';
            need = 8;
            break;
          default:
            break;
        }
        if (phase === 'packetHeader' && dataTablePosition >= 0 && offset >= dataTablePosition) {
          phase = 'dataTable';
          pending.length = 0;
          pendingBytes = 0;
        }
      }
      if (phase === 'dataTable') offset += bytes.length;
      return drainSink(sink);
    },
    end() {
      if (phase === 'packetHeader' && pendingBytes === 0) return drainSink(sink);
      if (phase === 'dataTable') return drainSink(sink);
      return fail(offset + pendingBytes, `input ends inside the ${phase} (${need} bytes needed, ${pendingBytes} present)`);
    },
    sensorSize: () => sensor ?? options.sensor,
  };
}

/** Decompresses one packet payload according to the IOHeader compression enum. */
function decompressPacket(payload: Uint8Array, compression: number, maxBytes: number): Uint8Array {
  if (compression === 0) return payload;
  if (compression === 1 || compression === 2) return lz4DecompressFrame(payload, maxBytes);
  const declared = zstdDeclaredSize(payload);
  if (declared > maxBytes) throw new RangeError(`ZSTD frame declares ${declared} bytes`);
  return zstdDecompress(payload);
}

/** The Frame_Content_Size of a ZSTD frame header, or 0 when absent. */
function zstdDeclaredSize(b: Uint8Array): number {
  if (b.length < 6) return 0;
  const fhd = b[4];
  const fcsFlag = fhd >>> 6;
  const single = (fhd >>> 5) & 1;
  const dictBytes = [0, 1, 2, 4][fhd & 3];
  const at = 5 + (single ? 0 : 1) + dictBytes;
  const size = fcsFlag === 0 ? single : 1 << fcsFlag;
  if (size === 0 || at + size > b.length) return 0;
  let v = 0;
  for (let i = size - 1; i >= 0; i--) v = v * 256 + b[at + i];
  return size === 2 ? v + 256 : v;
}

const LZ4_MAGIC = 0x184d2204;
const LZ4_BLOCK_MAX = [0, 0, 0, 0, 64 << 10, 256 << 10, 1 << 20, 4 << 20];

/** Decodes LZ4 frames (frame format 1.6) with lz4js's block decoder, checking every bound. */
function lz4DecompressFrame(src: Uint8Array, maxBytes: number): Uint8Array {
  let dst = new Uint8Array(Math.min(maxBytes, Math.max(1024, 4 * src.length)));
  let d = 0;
  let s = 0;
  const u32 = (at: number): number => {
    if (at + 4 > src.length) throw new RangeError(`LZ4 frame truncated at byte ${at}`);
    return (src[at] | (src[at + 1] << 8) | (src[at + 2] << 16) | (src[at + 3] << 24)) >>> 0;
  };
  while (s < src.length) {
    if (u32(s) !== LZ4_MAGIC) throw new RangeError(`bad LZ4 magic at byte ${s}`);
    s += 4;
    if (s + 3 > src.length) throw new RangeError('LZ4 frame descriptor truncated');
    const flg = src[s++];
    const bd = src[s++];
    if (flg >>> 6 !== 1) throw new RangeError(`LZ4 frame version ${flg >>> 6}`);
    const blockChecksum = (flg & 0x10) !== 0;
    const contentChecksum = (flg & 0x04) !== 0;
    if (flg & 0x08) s += 8;
    if (flg & 0x01) s += 4;
    s++; // header checksum
    const blockMax = LZ4_BLOCK_MAX[(bd >>> 4) & 7];
    if (blockMax === 0) throw new RangeError(`LZ4 block size id ${(bd >>> 4) & 7}`);
    for (;;) {
      const word = u32(s);
      s += 4;
      if (word === 0) break;
      const size = word & 0x7fffffff;
      if (size > blockMax || s + size > src.length) throw new RangeError(`LZ4 block of ${size} bytes at byte ${s - 4}`);
      if (d + blockMax > dst.length) {
        if (d + blockMax > maxBytes) throw new RangeError(`LZ4 output exceeds ${maxBytes} bytes`);
        const grown = new Uint8Array(Math.min(maxBytes, Math.max(2 * dst.length, d + blockMax)));
        grown.set(dst.subarray(0, d));
        dst = grown;
      }
      if (word & 0x80000000) {
        dst.set(src.subarray(s, s + size), d);
        d += size;
      } else {
        const start = d;
        d = lz4.decompressBlock(src.subarray(s, s + size), dst, 0, size, d);
        if (!(d >= start && d - start <= blockMax)) throw new RangeError(`corrupt LZ4 block at byte ${s}`);
      }
      s += size + (blockChecksum ? 4 : 0);
    }
    if (contentChecksum) s += 4;
  }
  return dst.subarray(0, d);
}

/**
 * Appends the events of one decompressed, size-prefixed EventPacket FlatBuffer to `sink`; an
 * event off `sensor` throws an EventFormatError whose problem names its index in the packet.
 */
function decodeEventPacket(sink: ChunkSink, data: Uint8Array, checkIdentifier: boolean, sensor: SensorSize): void {
  const size = fbU32(data, 0);
  fbCheck(data, 4, size, 'size-prefixed buffer');
  const buf = data.subarray(4, 4 + size);
  if (checkIdentifier) {
    fbCheck(buf, 4, 4, 'identifier');
    if (String.fromCharCode(buf[4], buf[5], buf[6], buf[7]) !== 'EVTS') return;
  }
  const root = fbRoot(buf, 0);
  const ePos = fbField(buf, root, 0);
  if (ePos < 0) return;
  const v = fbDeref(buf, ePos);
  const count = fbU32(buf, v);
  fbCheck(buf, v + 4, count * EVENT_BYTES, 'event vector');
  let n = sink.count;
  const cap = sink.capacity;
  const xs = sink.x;
  const ys = sink.y;
  const ps = sink.polarity;
  const ts = sink.timeUs;
  const width = sensor.width;
  const height = sensor.height;
  for (let k = 0, e = v + 4; k < count; k++, e += EVENT_BYTES) {
    if (n === cap) {
      n = rollSink(sink, n);
    }
    const lo = (buf[e] | (buf[e + 1] << 8) | (buf[e + 2] << 16) | (buf[e + 3] << 24)) >>> 0;
    const hi = buf[e + 4] | (buf[e + 5] << 8) | (buf[e + 6] << 16) | (buf[e + 7] << 24);
    const x = buf[e + 8] | (buf[e + 9] << 8);
    const y = buf[e + 10] | (buf[e + 11] << 8);
    if (x >= width || y >= height) {
      sink.count = n;
      const problem = outsideSensorProblem((x << 16) >> 16, (y << 16) >> 16, width, height);
      throw new EventFormatError('aedat4', e, `event ${k} of the packet: ${problem}`);
    }
    xs[n] = x;
    ys[n] = y;
    ps[n] = buf[e + 12] !== 0 ? 1 : 0;
    ts[n] = hi * 4294967296 + lo;
    n++;
  }
  sink.count = n;
}

// ---------------------------------------------------------------------------------------------
// Writer (tests and export)

export interface Aedat4EncodeOptions {
  readonly compression?: Aedat4Compression;
  /** Events per packet (default 4096). */
  readonly eventsPerPacket?: number;
  readonly sensor?: SensorSize;
  /** Interleave a packet of a non-event stream (id 1, `TRIG`) after each event packet. */
  readonly withOtherStream?: boolean;
}

class ByteWriter {
  bytes = new Uint8Array(256);
  length = 0;
  private ensure(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(2 * this.bytes.length, this.length + n));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }
  u8(v: number): void {
    this.ensure(1);
    this.bytes[this.length++] = v & 0xff;
  }
  u16(v: number): void {
    this.u8(v);
    this.u8(v >>> 8);
  }
  u32(v: number): void {
    this.u16(v & 0xffff);
    this.u16(v >>> 16);
  }
  i64(v: number): void {
    this.u32(v % 4294967296 >>> 0);
    this.u32(Math.floor(v / 4294967296) | 0);
  }
  raw(b: Uint8Array): void {
    this.ensure(b.length);
    this.bytes.set(b, this.length);
    this.length += b.length;
  }
  ascii(s: string): void {
    for (let i = 0; i < s.length; i++) this.u8(s.charCodeAt(i));
  }
  pad(align: number): void {
    while (this.length % align !== 0) this.u8(0);
  }
  done(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }
}

function ioHeaderBytes(compression: number, info: string): Uint8Array {
  const w = new ByteWriter();
  w.u32(16); // root table at 16
  w.u16(10); // vtable at 4: size 10, table size 20, fields compression@4, dataTablePosition@8, infoNode@16
  w.u16(20);
  w.u16(4);
  w.u16(8);
  w.u16(16);
  w.u16(0); // pad to 16
  w.u32(16 - 4); // table at 16: soffset to vtable at 4
  w.u32(compression);
  w.i64(-1);
  w.u32(4); // infoNode string right after this field (at 36)
  w.u32(info.length);
  w.ascii(info);
  w.u8(0);
  w.pad(4);
  return w.done();
}

function eventPacketBytes(chunk: EventChunk, from: number, to: number): Uint8Array {
  const w = new ByteWriter();
  const n = to - from;
  w.u32(0); // size prefix, patched below
  // flatbuffer base = 4
  w.u32(16); // root table at base+16
  w.ascii('EVTS');
  w.u16(6); // vtable at base+8
  w.u16(8);
  w.u16(4);
  w.u16(0); // pad to base+16
  w.u32(8); // table at base+16: soffset to vtable at base+8
  w.u32(8); // elements: vector at base+28
  w.u32(0); // pad
  w.u32(n); // vector length at base+28, elements at base+32 (8-aligned)
  for (let i = from; i < to; i++) {
    w.i64(chunk.timeUs[i]);
    w.u16(chunk.x[i]);
    w.u16(chunk.y[i]);
    w.u8(chunk.polarity[i] ? 1 : 0);
    w.u8(0);
    w.u16(0);
  }
  const out = w.done();
  new DataView(out.buffer).setUint32(0, out.length - 4, true);
  return out;
}

/** A ZSTD frame made of raw (stored) blocks: valid ZSTD without a compressor. */
export function zstdStoredFrame(data: Uint8Array): Uint8Array {
  const w = new ByteWriter();
  w.u32(0xfd2fb528);
  w.u8(0xa0); // FCS 4 bytes, single segment, no checksum, no dictionary
  w.u32(data.length);
  const blockMax = 128 << 10;
  let at = 0;
  do {
    const size = Math.min(blockMax, data.length - at);
    const last = at + size >= data.length ? 1 : 0;
    const header = (size << 3) | last; // block type 0 = raw
    w.u8(header & 0xff);
    w.u8((header >>> 8) & 0xff);
    w.u8((header >>> 16) & 0xff);
    w.raw(data.subarray(at, at + size));
    at += size;
  } while (at < data.length);
  return w.done();
}

function compressWith(compression: Aedat4Compression, data: Uint8Array): Uint8Array {
  if (compression === 'lz4') return Uint8Array.from(lz4.compress(data));
  if (compression === 'zstd') return zstdStoredFrame(data);
  return data;
}

/** Encodes events as an AEDAT 4.0 file with one event stream (id 0) and no data table. */
export function encodeAedat4(chunk: EventChunk, options: Aedat4EncodeOptions = {}): Uint8Array {
  const compression = options.compression ?? 'lz4';
  const perPacket = options.eventsPerPacket ?? 4096;
  const sensor = options.sensor ?? { width: 346, height: 260 };
  for (let i = 0; i < chunk.count; i++) {
    if (!Number.isInteger(chunk.timeUs[i]) || chunk.x[i] > 0x7fff || chunk.y[i] > 0x7fff) {
      throw new RangeError(`encodeAedat4: event ${i}: non-integer time or coordinate > 32767`);
    }
  }
  const info =
    '<dv version="2.0">\n  <node name="outInfo" path="/outInfo/">\n' +
    `    <node name="0" path="/outInfo/0/">\n      <attr key="typeIdentifier" type="string">EVTS</attr>\n` +
    `      <node name="info" path="/outInfo/0/info/">\n        <attr key="sizeX" type="int">${sensor.width}</attr>\n` +
    `        <attr key="sizeY" type="int">${sensor.height}</attr>\n      </node>\n    </node>\n` +
    (options.withOtherStream
      ? '    <node name="1" path="/outInfo/1/">\n      <attr key="typeIdentifier" type="string">TRIG</attr>\n    </node>\n'
      : '') +
    '  </node>\n</dv>\n';
  const code = compression === 'none' ? 0 : compression === 'lz4' ? 1 : 3;
  const w = new ByteWriter();
  w.ascii(AEDAT4_MAGIC);
  const header = ioHeaderBytes(code, info);
  w.u32(header.length);
  w.raw(header);
  for (let from = 0; from < chunk.count; from += perPacket) {
    const payload = compressWith(compression, eventPacketBytes(chunk, from, Math.min(chunk.count, from + perPacket)));
    w.u32(0);
    w.u32(payload.length);
    w.raw(payload);
    if (options.withOtherStream) {
      const junk = compressWith(compression, new Uint8Array(40).fill(0xab));
      w.u32(1);
      w.u32(junk.length);
      w.raw(junk);
    }
  }
  return w.done();
}
