/**
 * Test helper: a small PNG reader written from the specification (not from src/report/png.ts),
 * for 8-bit gray/RGB/RGBA, non-interlaced files with any of the five scanline filters. It checks the
 * signature, every chunk CRC (bitwise CRC-32, no table) and inflates IDAT with node:zlib.
 */
import { inflateSync } from 'node:zlib';

export interface DecodedPng {
  readonly width: number;
  readonly height: number;
  readonly bitDepth: number;
  readonly colorType: number;
  readonly interlace: number;
  readonly channels: number;
  readonly chunkTypes: string[];
  readonly pixels: Uint8Array;
}

const crcBitwise = (bytes: Uint8Array): number => {
  let c = 0xffffffff;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return (c ^ 0xffffffff) >>> 0;
};

const paeth = (a: number, b: number, c: number): number => {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
};

export const decodePng = (file: Uint8Array): DecodedPng => {
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (!sig.every((b, i) => file[i] === b)) throw new Error('bad PNG signature');
  const view = new DataView(file.buffer, file.byteOffset, file.length);
  let o = 8;
  const types: string[] = [];
  const idat: Uint8Array[] = [];
  let ihdr: Uint8Array | null = null;
  while (o < file.length) {
    const len = view.getUint32(o, false);
    const type = String.fromCharCode(...file.subarray(o + 4, o + 8));
    const data = file.subarray(o + 8, o + 8 + len);
    const crc = view.getUint32(o + 8 + len, false);
    if (crc !== crcBitwise(file.subarray(o + 4, o + 8 + len))) throw new Error(`bad CRC in ${type}`);
    types.push(type);
    if (type === 'IHDR') ihdr = data;
    if (type === 'IDAT') idat.push(data);
    o += 12 + len;
  }
  if (ihdr === null) throw new Error('no IHDR');
  const hv = new DataView(ihdr.buffer, ihdr.byteOffset, 13);
  const width = hv.getUint32(0, false);
  const height = hv.getUint32(4, false);
  const [bitDepth, colorType, , , interlace] = [ihdr[8], ihdr[9], ihdr[10], ihdr[11], ihdr[12]];
  const channels = colorType === 0 ? 1 : colorType === 2 ? 3 : colorType === 6 ? 4 : 0;
  if (bitDepth !== 8 || channels === 0 || interlace !== 0) throw new Error('unsupported PNG variant');
  const all = new Uint8Array(idat.reduce((n, d) => n + d.length, 0));
  idat.reduce((off, d) => (all.set(d, off), off + d.length), 0);
  const raw = inflateSync(all);
  const stride = width * channels;
  if (raw.length !== (stride + 1) * height) throw new Error(`IDAT inflates to ${raw.length} bytes`);
  const px = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const v = raw[y * (stride + 1) + 1 + x];
      const a = x >= channels ? px[y * stride + x - channels] : 0;
      const b = y > 0 ? px[(y - 1) * stride + x] : 0;
      const c = x >= channels && y > 0 ? px[(y - 1) * stride + x - channels] : 0;
      const pred = f === 0 ? 0 : f === 1 ? a : f === 2 ? b : f === 3 ? (a + b) >> 1 : paeth(a, b, c);
      px[y * stride + x] = (v + pred) & 255;
    }
  }
  return { width, height, bitDepth, colorType, interlace, channels, chunkTypes: types, pixels: px };
};
