/**
 * A minimal PNG encoder (8-bit grayscale or RGB, no interlace) on node:zlib.
 *
 * File = signature `89 50 4E 47 0D 0A 1A 0A`, then chunks `length(4, big-endian) type(4) data
 * crc(4)`, where the CRC-32 (polynomial 0xEDB88320) covers type and data: IHDR (width, height,
 * bit depth 8, colour type 0 = gray or 2 = RGB, compression 0, filter 0, interlace 0), one IDAT
 * (zlib stream of the scanlines, each prefixed with filter byte 0 = none) and IEND.
 *
 * ## Example
 * ```ts
 * const img = rasterImage(2, 1, 1);
 * img.pixels.set([0, 255]);
 * writeFileSync('pair.png', encodePng(img));
 * ```
 */
import { deflateSync } from 'node:zlib';

/** Channels per pixel: 1 = gray, 3 = RGB. */
export type Channels = 1 | 3;

/** A raster: `pixels` holds height rows of width·channels bytes, top row first. */
export interface RasterImage {
  readonly width: number;
  readonly height: number;
  readonly channels: Channels;
  readonly pixels: Uint8Array;
}

/** A new raster filled with `fill` (a byte, written to every channel). */
export const rasterImage = (width: number, height: number, channels: Channels, fill = 0): RasterImage => {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`rasterImage: size must be positive integers, got ${width}×${height}`);
  }
  return { width, height, channels, pixels: new Uint8Array(width * height * channels).fill(fill) };
};

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (as in PNG, zlib and gzip) of `bytes`. */
export const crc32 = (bytes: Uint8Array): number => {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};

export const PNG_SIGNATURE = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const chunk = (type: string, data: Uint8Array): Uint8Array => {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length, false);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)), false);
  return out;
};

/** The PNG file of a raster. */
export const encodePng = (img: RasterImage): Uint8Array => {
  const { width, height, channels, pixels } = img;
  const stride = width * channels;
  if (pixels.length !== stride * height) {
    throw new RangeError(`encodePng: ${pixels.length} bytes for ${width}×${height}×${channels}`);
  }
  const ihdr = new Uint8Array(13);
  const hv = new DataView(ihdr.buffer);
  hv.setUint32(0, width, false);
  hv.setUint32(4, height, false);
  ihdr[8] = 8;
  ihdr[9] = channels === 1 ? 0 : 2;
  // bytes 10..12: compression 0, filter method 0, interlace 0
  const raw = new Uint8Array((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = 0; // filter type: none
    raw.set(pixels.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  }
  const idat = deflateSync(raw, { level: 9 });
  const parts = [PNG_SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', new Uint8Array(0))];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};
