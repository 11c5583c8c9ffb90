/**
 * The SIMD Adam kernel (adam.wat) gives adamUpdateRange's results bit for bit, on any range of
 * any values (NaN, ±0, ±∞ and huge gradients included) and both floors; the resident training
 * step uses it. The kernel memory's arrays stay usable when V8 renews the memory's buffer object
 * (as it does when another shared memory of the thread grows). The checked-in bytes are what the
 * WAT source assembles to.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generate } from '../../scripts/assembleKernels.mjs';
import { adamUpdateResident, adamUpdateResidentFinite, zeroResident } from '../../src/kernels/adamResident.ts';
import { kernelMemory } from '../../src/kernels/wasmKernel.ts';
import { DEFAULT_ADAM, NO_FLOOR, adamUpdateRange } from '../../src/train/adam.ts';

const sameBits = (a: ArrayLike<number>, b: ArrayLike<number>): boolean =>
  a.length === b.length && Array.from(a).every((x, i) => Object.is(x, b[i]));

const value = fc.oneof(
  fc.double({ min: -5, max: 5 }),
  fc.double(), // ±∞, NaN, ±0, huge and tiny
  fc.constantFrom(0, -0),
);

const adamCase = fc.record({
  len: fc.integer({ min: 0, max: 41 }),
  from: fc.integer({ min: 0, max: 7 }),
  cut: fc.integer({ min: 0, max: 7 }),
  n: fc.integer({ min: 1, max: 9 }),
  step: fc.integer({ min: 1, max: 3000 }),
  lr: fc.double({ min: 1e-6, max: 1, noNaN: true }),
  floor: fc.constantFrom(NO_FLOOR, 0),
  seed: fc.array(value, { minLength: 4 * 48, maxLength: 4 * 48 }),
});

/** Four arrays of `len` in the kernel memory (from the resident region), filled from `seed`. */
const residentArrays = (len: number, seed: readonly number[]): Float64Array[] => {
  const region = kernelMemory().claimResident(4 * len);
  return [0, 1, 2, 3].map((k) => {
    const a = region.subarray(k * len, (k + 1) * len);
    for (let i = 0; i < len; i++) a[i] = seed[k * 48 + i];
    // v is a sum of squares: never negative in use (a negative one only makes NaN either way)
    if (k === 3) for (let i = 0; i < len; i++) a[i] = Math.abs(a[i]);
    return a;
  });
};

describe('adamUpdateResident (SIMD Adam over the kernel memory)', () => {
  it('equals adamUpdateRange bit for bit on any range, values, step and floor', () => {
    fc.assert(
      fc.property(adamCase, (c) => {
        const [p, g, m, v] = residentArrays(c.len, c.seed);
        const [p0, g0, m0, v0] = [p, g, m, v].map((a) => Float64Array.from(a));
        const from = Math.min(c.from, c.len);
        const to = Math.max(from, c.len - c.cut);
        adamUpdateRange(p0, g0, m0, v0, from, to, c.n, c.step, c.lr, DEFAULT_ADAM, c.floor);
        adamUpdateResident(p, g, m, v, from, to, c.n, c.step, c.lr, DEFAULT_ADAM, c.floor);
        return sameBits(p, p0) && sameBits(m, m0) && sameBits(v, v0) && sameBits(g, g0);
      }),
      { numRuns: 400 },
    );
  });

  it('adamUpdateResidentFinite says whether every parameter and moment it wrote is finite, as a check of them finds', () => {
    const finite = (a: Float64Array, from: number, to: number) => a.subarray(from, to).every(Number.isFinite);
    let nonFinite = 0;
    fc.assert(
      fc.property(adamCase, (c) => {
        const [p, g, m, v] = residentArrays(c.len, c.seed);
        const from = Math.min(c.from, c.len);
        const to = Math.max(from, c.len - c.cut);
        const said = adamUpdateResidentFinite(p, g, m, v, from, to, c.n, c.step, c.lr, DEFAULT_ADAM, c.floor);
        const found = finite(p, from, to) && finite(m, from, to) && finite(v, from, to);
        if (!found) nonFinite++;
        return said === found;
      }),
      { numRuns: 400 },
    );
    expect(nonFinite).toBeGreaterThan(20); // the cases hold non-finite values often enough
  });

  it('changes exactly the range it is given (from and to on odd positions too)', () => {
    const [p, g, m, v] = residentArrays(9, Array.from({ length: 4 * 48 }, (_, i) => (i % 7) - 3.5));
    const before = Float64Array.from(p);
    adamUpdateResident(p, g, m, v, 3, 6, 1, 1, 0.1, DEFAULT_ADAM, NO_FLOOR);
    const changed = Array.from(p, (x, i) => (Object.is(x, before[i]) ? '.' : 'x')).join('');
    expect(changed).toBe('...xxx...');
  });

  it('refuses an array outside the kernel memory or a range outside an array, naming it', () => {
    const [p, g, m, v] = residentArrays(4, Array.from({ length: 4 * 48 }, () => 1));
    const outside = new Float64Array(4);
    expect(() => adamUpdateResident(p, g, outside, v, 0, 4, 1, 1, 0.1, DEFAULT_ADAM, NO_FLOOR)).toThrow(/Adam m is not in this thread's kernel memory/);
    expect(() => adamUpdateResident(p, g, m, v, 0, 5, 1, 1, 0.1, DEFAULT_ADAM, NO_FLOOR)).toThrow(/params: \[0, 5\) is outside its 4 entries/);
    expect(() => zeroResident(outside)).toThrow(/zeroResident: the array is not in this thread's kernel memory/);
  });
});

describe('zeroResident', () => {
  it('sets exactly [from, to) to +0', () => {
    const a = kernelMemory().claimResident(10).fill(-0).fill(7, 0, 10);
    a[5] = -0;
    zeroResident(a, 2, 8);
    expect(Array.from(a, (x) => (Object.is(x, 0) ? '0' : x === 7 ? '7' : '?')).join('')).toBe('7700000077');
  });
});

describe('the kernel memory', () => {
  it('keeps its arrays usable in place when V8 renews its buffer object (another shared memory grows)', () => {
    const region = kernelMemory().claimResident(64);
    const Wasm = (globalThis as unknown as { WebAssembly: { Memory: new (d: object) => { grow(n: number): number } } }).WebAssembly;
    const other = new Wasm.Memory({ initial: 1, maximum: 8, shared: true });
    other.grow(2);
    const again = kernelMemory().claimResident(64);
    expect(kernelMemory().holds(region) && kernelMemory().holds(again)).toBe(true);
    again.fill(3);
    zeroResident(again, 0, 32);
    expect(again[31] === 0 && again[32] === 3 && region[0] === 0).toBe(true);
  });

  it('tells the holder of the region of the next claim by anybody else, before that claim, while the region still holds what it left', () => {
    const seen: string[] = [];
    const holder = {
      evict: () => {
        seen.push(`evict ${region[3]}`);
      },
    };
    const region = kernelMemory().claimResident(16, holder);
    region[3] = 42;
    kernelMemory().claimResident(16, holder); // the same holder again: nothing to tell
    expect(seen).toEqual([]);
    const other = kernelMemory().claimResident(4096); // larger: the memory may grow, the holder hears first
    expect(seen).toEqual(['evict 42']);
    other.fill(0);
    kernelMemory().claimResident(16); // the holder was told once: no longer the holder
    expect(seen).toEqual(['evict 42']);
  });
});

describe('adam.wat', () => {
  it('the checked-in adamWasm.ts is what adam.wat assembles to', async () => {
    const wat = readFileSync(new URL('../../src/kernels/adam.wat', import.meta.url), 'utf8');
    const ts = readFileSync(new URL('../../src/kernels/adamWasm.ts', import.meta.url), 'utf8');
    expect(await generate('adam', wat)).toBe(ts);
  });
});
