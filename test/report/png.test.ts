/**
 * The PNG encoder, checked by an independent reader (signature, chunk CRCs, zlib inflate,
 * header fields, pixels).
 */
import { crc32 as zlibCrc32 } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc32, encodePng, rasterImage } from '../../src/report/png.ts';
import { decodePng } from './decodePng.ts';

describe('crc32', () => {
  it('gives the standard check value and agrees with node:zlib', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (b) => crc32(b) === zlibCrc32(b)));
  });
});

describe('encodePng', () => {
  it('writes a grayscale image that decodes to the same pixels', () => {
    const img = rasterImage(7, 5, 1);
    for (let i = 0; i < img.pixels.length; i++) img.pixels[i] = (i * 41) % 256;
    const png = decodePng(encodePng(img));
    expect([png.width, png.height, png.bitDepth, png.colorType, png.interlace]).toEqual([7, 5, 8, 0, 0]);
    expect(png.chunkTypes).toEqual(['IHDR', 'IDAT', 'IEND']);
    expect(Array.from(png.pixels)).toEqual(Array.from(img.pixels));
  });

  it('writes RGB images of any size that decode to the same pixels', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), fc.integer(), (w, h, seed) => {
        const img = rasterImage(w, h, 3);
        for (let i = 0; i < img.pixels.length; i++) img.pixels[i] = (seed + i * 97) & 255;
        const png = decodePng(encodePng(img));
        return png.colorType === 2 && png.width === w && png.height === h && png.pixels.every((v, i) => v === img.pixels[i]);
      }),
      { numRuns: 50 },
    );
  });

  it('rejects a pixel buffer of the wrong size and empty rasters', () => {
    expect(() => encodePng({ width: 2, height: 2, channels: 3, pixels: new Uint8Array(11) })).toThrow(RangeError);
    expect(() => rasterImage(0, 3, 1)).toThrow(RangeError);
  });
});
