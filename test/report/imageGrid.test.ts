/**
 * Reconstruction pictures: scaled-up tiles at the right places, times back to gray levels, and the
 * originals / noisy / reconstruction rows of an autoencoder grid.
 */
import { describe, expect, it } from 'vitest';
import { encodeTimes } from '../../src/data/encode.ts';
import { autoencoderGrid, grayFromTimes, grayFromTimesInto, imageGrid } from '../../src/report/imageGrid.ts';
import { encodePng } from '../../src/report/png.ts';
import { NO_SPIKE } from '../../src/kernels/neuronModel.ts';
import { decodePng } from './decodePng.ts';

const allBytes = Uint8Array.from({ length: 256 }, (_, b) => b);

describe('grayFromTimes', () => {
  it('turns encoded bytes back into the same bytes, for both encodings', () => {
    for (const enc of ['inverted', 'plain'] as const) {
      expect(Array.from(grayFromTimes(encodeTimes(allBytes, enc), enc))).toEqual(Array.from(allBytes));
    }
  });

  it('shifts output times by the latency and shows silent pixels as background', () => {
    const out = grayFromTimesInto(new Uint8Array(4), Float64Array.from([1.25, 1.75, NO_SPIKE, 0.5]), 'inverted', 1);
    expect(Array.from(out)).toEqual([192, 64, 0, 255]); // 1 - 0.25, 1 - 0.75, background, early → white
    expect(() => grayFromTimesInto(new Uint8Array(3), new Float64Array(4), 'plain')).toThrow(RangeError);
  });
});

describe('imageGrid', () => {
  it('places each image, scaled, in its cell, with gaps of background', () => {
    const a = Uint8Array.from([10, 20, 30, 40, 50, 60]); // 3 wide, 2 high
    const b = Uint8Array.from([1, 2, 3, 4, 5, 6]);
    const img = imageGrid([[a, b], [b]], { imageWidth: 3, imageHeight: 2, scale: 2, gap: 1, background: 200 });
    expect([img.width, img.height, img.channels]).toEqual([1 + 2 * (6 + 1), 1 + 2 * (4 + 1), 1]);
    const at = (x: number, y: number): number => img.pixels[y * img.width + x];
    // cell (row 0, col 1) starts at x = 1 + 7 = 8, y = 1; source pixel (2, 1) covers x 12..13, y 3..4
    expect([at(12, 3), at(13, 3), at(12, 4), at(13, 4)]).toEqual([6, 6, 6, 6]);
    expect(at(1, 1)).toBe(10);
    expect(at(0, 0)).toBe(200);
    expect(at(7, 2)).toBe(200);
    // row 1 has one image; the rest of the row is background
    expect(at(1, 6)).toBe(1);
    expect(at(8, 6)).toBe(200);
    // the PNG file holds the same raster
    expect(Array.from(decodePng(encodePng(img)).pixels)).toEqual(Array.from(img.pixels));
  });

  it('rejects images of the wrong size and an empty grid', () => {
    expect(() => imageGrid([[new Uint8Array(5)]], { imageWidth: 2, imageHeight: 2 })).toThrow(/image \[0\]\[0\] has 5 pixels, expected 2×2/);
    expect(() => imageGrid([])).toThrow(RangeError);
  });
});

describe('autoencoderGrid', () => {
  it('shows originals, noisy inputs and latency-shifted reconstructions in three rows', () => {
    const px = Uint8Array.from({ length: 784 }, (_, i) => (i % 28 < 14 ? 0 : 200));
    const clean = encodeTimes(px, 'inverted');
    const noisy = clean.map((t) => (t === NO_SPIKE ? 0.5 : t));
    const output = clean.map((t) => (t === NO_SPIKE ? NO_SPIKE : t + 2));
    const img = autoencoderGrid(
      { originals: [px], noisyInputs: [noisy], outputTimes: [output], encoding: 'inverted', latency: 2 },
      { scale: 1, gap: 1 },
    );
    expect([img.width, img.height]).toEqual([30, 1 + 3 * 29]);
    const at = (x: number, y: number): number => img.pixels[y * img.width + x];
    const rowTop = (r: number): number => 1 + r * 29;
    expect([at(1, rowTop(0)), at(20, rowTop(0))]).toEqual([0, 200]);
    expect([at(1, rowTop(1)), at(20, rowTop(1))]).toEqual([128, 200]);
    expect([at(1, rowTop(2)), at(20, rowTop(2))]).toEqual([0, 200]);
    const twoRows = autoencoderGrid({ originals: [px], outputTimes: [output], encoding: 'inverted', latency: 2 }, { scale: 1 });
    expect(twoRows.height).toBe(2 + 2 * 30);
  });
});
