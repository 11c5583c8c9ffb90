/**
 * Training-set augmentation by random shifts (src/data/augment.ts): the shift against a naive
 * pixel-by-pixel definition, the drawn shifts cover exactly {−s, …, s}², and an augmented example
 * set reads visit v as example v mod count shifted by the visit's own, reproducible shift, while
 * targets, validation/test sets and shift 0 stay untouched.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_AUGMENT_SHIFT, drawShiftInto, shiftImageInto } from '../../src/data/augment.ts';
import type { ImageSet } from '../../src/data/datasets.ts';
import { encodeTimes } from '../../src/data/encode.ts';
import { encodedExamples } from '../../src/data/noise.ts';
import { createRng } from '../../src/data/rng.ts';

/** out(x, y) = src(x − dx, y − dy) inside the image, 0 outside: the definition, pixel by pixel. */
const naiveShift = (src: Uint8Array, w: number, dx: number, dy: number): Uint8Array => {
  const h = src.length / w;
  const out = new Uint8Array(src.length);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const sx = x - dx;
      const sy = y - dy;
      out[y * w + x] = sx >= 0 && sx < w && sy >= 0 && sy < h ? src[sy * w + sx] : 0;
    }
  }
  return out;
};

const imageArb = fc
  .record({ w: fc.integer({ min: 1, max: 9 }), h: fc.integer({ min: 1, max: 9 }) })
  .chain(({ w, h }) =>
    fc.record({
      w: fc.constant(w),
      pixels: fc.uint8Array({ minLength: w * h, maxLength: w * h }),
      dx: fc.integer({ min: -10, max: 10 }),
      dy: fc.integer({ min: -10, max: 10 }),
    }),
  );

describe('shiftImageInto', () => {
  it('moves every pixel by (dx, dy), fills the uncovered border with 0 (property, against the definition)', () => {
    fc.assert(
      fc.property(imageArb, ({ w, pixels, dx, dy }) => {
        const out = new Uint8Array(pixels.length).fill(77); // stale contents must not survive
        expect(shiftImageInto(out, pixels, w, dx, dy)).toEqual(naiveShift(pixels, w, dx, dy));
      }),
    );
  });

  it('(0, 0) is the identity; a shift and its inverse restore the interior', () => {
    const img = Uint8Array.from({ length: 6 * 5 }, (_, i) => i + 1);
    expect(shiftImageInto(new Uint8Array(30), img, 6, 0, 0)).toEqual(img);
    const there = shiftImageInto(new Uint8Array(30), img, 6, 1, -1);
    const back = shiftImageInto(new Uint8Array(30), there, 6, -1, 1);
    // pixels not pushed out by the first shift come back: columns 0..4, rows 1..4
    for (let y = 1; y < 5; y++) for (let x = 0; x < 5; x++) expect(back[y * 6 + x]).toBe(img[y * 6 + x]);
    expect(back[0]).toBe(0); // row 0 left the image
  });

  it('refuses sizes that are not rows of the width', () => {
    expect(() => shiftImageInto(new Uint8Array(10), new Uint8Array(10), 3, 0, 0)).toThrow(/rows of 3/);
    expect(() => shiftImageInto(new Uint8Array(9), new Uint8Array(10), 5, 0, 0)).toThrow(/10 pixels into 9/);
  });
});

describe('drawShiftInto', () => {
  it('draws every (dx, dy) of {−s, …, s}² and nothing else', () => {
    for (const s of [1, 2]) {
      const rng = createRng(3);
      const seen = new Set<string>();
      const out = new Int32Array(2);
      for (let i = 0; i < 400; i++) {
        const [dx, dy] = drawShiftInto(out, rng, s);
        expect(Math.abs(dx)).toBeLessThanOrEqual(s);
        expect(Math.abs(dy)).toBeLessThanOrEqual(s);
        seen.add(`${dx},${dy}`);
      }
      expect(seen.size).toBe((2 * s + 1) ** 2);
    }
  });
});

describe('an augmented example set', () => {
  const W = 6;
  const N = 5;
  // images with a 2×2 bright block at distinct places, well inside the border
  const images = new Uint8Array(N * W * W);
  for (let k = 0; k < N; k++) {
    const at = (2 + (k % 2)) * W + 2 + (k >> 1) % 2;
    for (const o of [0, 1, W, W + 1]) images[k * W * W + at + o] = 200 + k;
  }
  const set: ImageSet = { images, labels: Uint8Array.from([0, 1, 2, 3, 4]), count: N };
  const opts = { encoding: 'inverted' as const, noiseFactor: 0, noiseSeed: 11, part: 'train' as const, classes: 5 };
  const indices = Uint32Array.from([4, 2, 0]);
  const plain = encodedExamples(set, W * W, { ...opts, indices });
  const shifted = encodedExamples(set, W * W, { ...opts, indices, augment: { maxShift: 1, width: W } });

  /** The (dx, dy) by which visit v's input is the example's image shifted (exactly one fits). */
  const shiftOfVisit = (v: number): string => {
    const input = shifted.inputInto(new Float64Array(W * W), v);
    const k = indices[v % indices.length];
    const img = images.subarray(k * W * W, (k + 1) * W * W);
    const fits: string[] = [];
    for (let dx = -1; dx <= 1; dx++) {
      for (let dy = -1; dy <= 1; dy++) {
        if (encodeTimes(naiveShift(img, W, dx, dy), 'inverted').every((t, i) => Object.is(t, input[i]))) fits.push(`${dx},${dy}`);
      }
    }
    expect(fits).toHaveLength(1);
    return fits[0];
  };

  it('visit v reads example v mod count, shifted by at most s, with the label unchanged', () => {
    const shifts = new Set<string>();
    for (let v = 0; v < 60; v++) {
      shifts.add(shiftOfVisit(v));
      expect(shifted.targetInto(new Float64Array(5), v)).toEqual(plain.targetInto(new Float64Array(5), v % 3));
      expect(shifted.imageIndex(v)).toBe(indices[v % 3]);
    }
    expect(shifts.size).toBe(9); // the visits of one image do not all share a shift
  });

  it('the shift of a visit is a function of (seed, visit): any reader, any order', () => {
    const other = encodedExamples(set, W * W, { ...opts, indices, augment: { maxShift: 1, width: W } });
    for (const v of [17, 3, 1000, 3, 0]) {
      expect(other.inputInto(new Float64Array(W * W), v)).toEqual(shifted.inputInto(new Float64Array(W * W), v));
    }
    const reseeded = encodedExamples(set, W * W, { ...opts, noiseSeed: 12, indices, augment: { maxShift: 1, width: W } });
    const differs = [...Array(20).keys()].some(
      (v) => !reseeded.inputInto(new Float64Array(W * W), v).every((t, i) => Object.is(t, shifted.inputInto(new Float64Array(W * W), v)[i])),
    );
    expect(differs).toBe(true);
  });

  it('shift 0 reads the images unchanged; without augmentation visits past the set are refused', () => {
    const zero = encodedExamples(set, W * W, { ...opts, indices, augment: { maxShift: 0, width: W } });
    for (let v = 0; v < 9; v++) expect(zero.inputInto(new Float64Array(W * W), v)).toEqual(plain.inputInto(new Float64Array(W * W), v % 3));
    expect(() => plain.inputInto(new Float64Array(W * W), 3)).toThrow(/example 3 outside 0\.\.2/);
  });

  it('refuses a shift beyond the maximum and a width that does not divide the image', () => {
    expect(() => encodedExamples(set, W * W, { ...opts, augment: { maxShift: MAX_AUGMENT_SHIFT + 1, width: W } })).toThrow(/integer in 0\.\.4/);
    expect(() => encodedExamples(set, W * W, { ...opts, augment: { maxShift: 1, width: 5 } })).toThrow(/not rows of 5/);
  });
});
