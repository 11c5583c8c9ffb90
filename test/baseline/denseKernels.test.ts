/**
 * The WebAssembly SIMD kernels of the ANN baseline compute, bit for bit, what the plain scalar
 * loops compute (tolerance: none — each f64x2 lane does the scalar operations in the scalar
 * order); the checked-in bytes are what the WAT source assembles to.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generate } from '../../scripts/assembleAnnKernels.mjs';
import { ACTIVATIONS, activate, activateRange, activationSlope, scaleBySlopeRange } from '../../src/baseline/activations.ts';
import { createDenseWorkspace } from '../../src/baseline/denseKernels.ts';
import { createRng } from '../../src/data/rng.ts';
import { DEFAULT_ADAM, NO_FLOOR, adamUpdateRange } from '../../src/train/adam.ts';

const fillGaussian = (x: Float64Array, seed: number) => {
  const rng = createRng(seed);
  for (let i = 0; i < x.length; i++) x[i] = rng.nextGaussian();
  return x;
};

describe('dense SIMD kernels', () => {
  it('annKernelsWasm.ts is what annKernels.wat assembles to (scripts/assembleAnnKernels.mjs)', async () => {
    const wat = readFileSync(new URL('../../src/baseline/annKernels.wat', import.meta.url), 'utf8');
    const ts = readFileSync(new URL('../../src/baseline/annKernelsWasm.ts', import.meta.url), 'utf8');
    expect(await generate(wat)).toBe(ts);
  });

  // shapes inside and outside the 4 × 4 blocks, plain and transposed operands
  it.each([
    [1, 1, 1], [4, 4, 3], [5, 7, 3], [8, 12, 9], [9, 6, 1], [3, 2, 17],
  ])('gemmAdd equals the scalar loop bit for bit: m %i, n %i, k %i', (m, n, k) => {
    for (const transposedA of [false, true]) {
      const ws = createDenseWorkspace([m * n, m * k, k * n + 3]);
      const [c, a, b] = ws.views;
      fillGaussian(c, 1);
      fillGaussian(a, 2);
      fillGaussian(b, 3);
      const [aI, aP] = transposedA ? [1, m] : [k, 1];
      const expected = c.slice();
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          let s = expected[i * n + j];
          for (let p = 0; p < k; p++) s += a[i * aI + p * aP] * b[p * n + j];
          expected[i * n + j] = s;
        }
      }
      expect(ws.gemmAdd(c, a, aI, aP, b, n, m, n, k)).toEqual(expected);
    }
  });

  it.each([
    [3, 5], [4, 6], [2, 3], [6, 2],
  ])('transpose %i × %i', (rows, cols) => {
    const ws = createDenseWorkspace([rows * cols, rows * cols]);
    const [dst, src] = ws.views;
    src.set(Array.from({ length: rows * cols }, (_, i) => i));
    ws.transpose(dst, src, rows, cols);
    expect(Array.from(dst)).toEqual(Array.from({ length: rows * cols }, (_, q) => src[(q % rows) * cols + Math.floor(q / rows)]));
  });

  it.each([
    [7, NO_FLOOR],
    [10, 0],
  ])('adam equals adamUpdateRange bit for bit over %i parameters, floor %d, several steps', (len, floor) => {
    const ws = createDenseWorkspace([len, len, len, len]);
    const [p, g, m, v] = ws.views;
    fillGaussian(p, 4);
    const [p2, m2, v2] = [p.slice(), m.slice(), v.slice()];
    for (let s = 1; s <= 3; s++) {
      fillGaussian(g, 10 + s);
      ws.adam(p, g, m, v, 3, s, 0.01, DEFAULT_ADAM, floor);
      adamUpdateRange(p2, g, m2, v2, 0, len, 3, s, 0.01, DEFAULT_ADAM, floor);
    }
    expect([p, m, v]).toEqual([p2, m2, v2]);
    expect(p.some((x, i) => x !== fillGaussian(new Float64Array(len), 4)[i])).toBe(true);
  });

  it('sigmoid equals activate(\'sigmoid\') bit for bit (exp as V8\'s Math.exp), every branch of fdlibm exp', () => {
    const special = [0, -0, 1, -1, 1e-9, -1e-9, 0.3465, 0.3466, -0.3466, 1.0397, 1.0398, -1.0398, 707.5, 708, 709.78, 709.79, -708, -745.1, -745.2, -800, 800, Infinity, -Infinity, NaN];
    const rng = createRng(12);
    const z = [...special, ...Array.from({ length: 3000 }, (_, i) => (rng.nextFloat() - 0.5) * [2, 40, 1600][i % 3])];
    const ws = createDenseWorkspace([z.length, z.length]);
    const [a, zs] = ws.views;
    zs.set(z);
    // every length mod 4 (the kernel takes fours, then a pair, then an odd last value), from an
    // odd start too; a special value anywhere in a four sends all four down the scalar path
    for (const [from, len] of [[0, z.length], [0, z.length - 1], [1, z.length - 2], [3, z.length - 6], [2, 3], [1, 5]]) {
      a.fill(-1);
      ws.sigmoid(a.subarray(from), zs.subarray(from), len);
      expect(Array.from(a.subarray(from, from + len))).toEqual(z.slice(from, from + len).map((v) => activate('sigmoid', v)));
      expect(a[from + len] ?? -1).toBe(-1);
    }
    ws.sigmoid(a, zs, z.length);
    expect(a[special.length - 1]).toBeNaN();
  });

  it('refuses an array from outside its memory, naming it', () => {
    const ws = createDenseWorkspace([4, 4, 4]);
    const [c, a] = ws.views;
    expect(() => ws.gemmAdd(c, a, 2, 1, new Float64Array(4), 2, 2, 2, 2)).toThrow(/B is not a view into this workspace/);
    expect(() => ws.gemmAdd(c, a, 2, 1, ws.views[2], 2, 2, 2, 3)).toThrow(/A needs 5 elements, has 4/);
  });
});

describe('activations over ranges', () => {
  it.each(ACTIVATIONS)('%s: activateRange and scaleBySlopeRange equal activate and activationSlope', (f) => {
    const z = fillGaussian(new Float64Array(40), 6);
    z[0] = 0;
    const a = new Float64Array(40);
    activateRange(f, a, z, 39);
    const d = fillGaussian(new Float64Array(40), 7);
    const d0 = d.slice();
    scaleBySlopeRange(f, d, z, a, 39);
    for (let q = 0; q < 39; q++) {
      expect(a[q]).toBe(activate(f, z[q]));
      expect(d[q]).toBe(d0[q] * activationSlope(f, z[q], a[q]));
    }
    expect([a[39], d[39]]).toEqual([0, d0[39]]);
  });
});
