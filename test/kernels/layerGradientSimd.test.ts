/**
 * The reverse pass's WebAssembly SIMD kernel computes, bit for bit, what the scalar kernel
 * computes (tolerance: none — each f64x2 lane does the scalar operations in the scalar order), on
 * any tape, neuron range, clip setting and error-term layout; the dispatching
 * `layerBackwardRange` therefore gives the same results whichever kernel it picks. The
 * checked-in bytes are what the WAT source assembles to.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generate } from '../../scripts/assembleKernels.mjs';
import { allocLayerTape, layerForward } from '../../src/kernels/layer.ts';
import {
  type LayerGradientParams,
  layerBackwardRange,
  layerBackwardRangeScalar,
} from '../../src/kernels/layerGradient.ts';
import { kernelMemory } from '../../src/kernels/wasmKernel.ts';
import { addDeferredInputError, layerBackwardRangeDeferred, layerBackwardRangeSimd } from '../../src/kernels/layerGradientSimd.ts';

const backwardCase = fc
  .record({
    nIn: fc.integer({ min: 1, max: 23 }),
    nOut: fc.integer({ min: 1, max: 9 }),
    decayRate: fc.double({ min: 0.2, max: 3, noNaN: true }),
    threshold: fc.double({ min: 0.05, max: 1.5, noNaN: true }),
    // 0 = off; small clips make clipping common
    clipDerivative: fc.oneof(fc.constant(0), fc.double({ min: 0.01, max: 50, noNaN: true })),
    clipGradient: fc.oneof(fc.constant(0), fc.double({ min: 0.001, max: 5, noNaN: true })),
    penaltyNoSpike: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 10, noNaN: true })),
    rows: fc.boolean(),
  })
  .chain((c) =>
    fc.record({
      c: fc.constant(c),
      times: fc.array(fc.oneof(fc.integer({ min: 0, max: 8 }).map((k) => k / 8), fc.constant(Infinity)), {
        minLength: c.nIn,
        maxLength: c.nIn,
      }),
      weights: fc.array(fc.double({ min: -3, max: 6, noNaN: true }), { minLength: c.nIn * c.nOut, maxLength: c.nIn * c.nOut }),
      deltaOut: fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: c.nOut, maxLength: c.nOut }),
      // gradients and error terms already accumulated before the call
      gradStart: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: c.nIn * c.nOut, maxLength: c.nIn * c.nOut }),
      deltaStart: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: c.nIn * c.nOut, maxLength: c.nIn * c.nOut }),
      range: fc.tuple(fc.nat(c.nOut), fc.nat(c.nOut)).map(([a, b]): [number, number] => (a <= b ? [a, b] : [b, a])),
    }),
  );

type Kernel = typeof layerBackwardRangeScalar;
const simd: Kernel = layerBackwardRangeSimd;

type BackwardCase = typeof backwardCase extends fc.Arbitrary<infer T> ? T : never;

/** The reverse pass's parameters of the case. */
const paramsOf = ({ c }: BackwardCase, inputErrorFrom?: number): LayerGradientParams => ({
  decayRate: c.decayRate,
  clipDerivative: c.clipDerivative,
  clipGradient: c.clipGradient,
  penaltyNoSpike: c.penaltyNoSpike,
  ...(inputErrorFrom === undefined ? {} : { inputErrorFrom }),
});

/** Runs `kernel` on a fresh tape of the case; returns the gradient and error terms it leaves. */
const apply = (kernel: Kernel, v: BackwardCase, inputErrorFrom?: number, resident = false) => {
  const { c } = v;
  const tape = allocLayerTape(c.nIn, c.nOut);
  tape.inputTimes.set(v.times);
  // resident: weights and gradient in the kernel memory, where the SIMD kernel works in place
  const region = resident ? kernelMemory().claimResident(2 * v.weights.length) : undefined;
  const inRegion = (values: number[], at: number) => {
    const a = (region as Float64Array).subarray(at, at + values.length);
    a.set(values);
    return a;
  };
  const w = region ? inRegion(v.weights, 0) : Float64Array.from(v.weights);
  layerForward(tape, w, c.decayRate, c.threshold);
  const p = paramsOf(v, inputErrorFrom);
  const grad = region ? inRegion(v.gradStart, v.weights.length) : Float64Array.from(v.gradStart);
  const delta = c.rows ? Float64Array.from(v.deltaStart) : Float64Array.from(v.deltaStart.slice(0, c.nIn));
  kernel(grad, delta, tape, w, Float64Array.from(v.deltaOut), p, v.range[0], v.range[1], c.rows ? c.nIn : 0);
  return { grad, delta };
};

const sameBits = (a: Float64Array, b: Float64Array): boolean => a.length === b.length && a.every((x, i) => Object.is(x, b[i]));

// inputs early, thresholds high enough that the neurons fire after the last one (or never)
const allCausal = backwardCase.map((v) => ({
  ...v,
  c: { ...v.c, threshold: v.c.threshold + 1 },
  times: v.times.map((t, i) => (t === Infinity ? (i % 8) / 64 : t / 8)),
  weights: v.weights.map((x) => Math.abs(x) / 2 + 0.3),
}));

/**
 * The reverse pass of the case in two halves (`layerBackwardRangeDeferred`, then
 * `addDeferredInputError`), weights, gradient and kept terms in the kernel memory, one shared
 * vector of error terms; whether the first half deferred, and what the two left.
 */
const applyDeferred = (v: BackwardCase, inputErrorFrom?: number) => {
  const { c } = v;
  const n = v.weights.length;
  const tape = allocLayerTape(c.nIn, c.nOut);
  tape.inputTimes.set(v.times);
  const region = kernelMemory().claimResident(3 * n);
  const w = region.subarray(0, n);
  w.set(v.weights);
  const grad = region.subarray(n, 2 * n);
  grad.set(v.gradStart);
  const terms = region.subarray(2 * n, 3 * n);
  terms.fill(Number.NaN); // what the first half does not write, the second must not read
  layerForward(tape, w, c.decayRate, c.threshold);
  const p = paramsOf(v, inputErrorFrom);
  const delta = Float64Array.from(v.deltaStart.slice(0, c.nIn));
  const deltaOut = Float64Array.from(v.deltaOut);
  const [from, to] = v.range;
  const deferred = layerBackwardRangeDeferred(terms, grad, delta, tape, w, deltaOut, p, from, to);
  const deltaBetween = Float64Array.from(delta);
  if (deferred) addDeferredInputError(terms, grad, delta, tape, w, deltaOut, p, from, to);
  return { deferred, grad: Float64Array.from(grad), delta, deltaBetween };
};

describe('reverse-pass SIMD kernel', () => {
  it('layerGradientWasm.ts is what layerGradient.wat assembles to (scripts/assembleKernels.mjs)', async () => {
    const wat = readFileSync(new URL('../../src/kernels/layerGradient.wat', import.meta.url), 'utf8');
    const ts = readFileSync(new URL('../../src/kernels/layerGradientWasm.ts', import.meta.url), 'utf8');
    expect(await generate('layerGradient', wat)).toBe(ts);
  });

  it('SIMD kernel (arrays copied, or weights and gradient resident and used in place) = scalar kernel = the dispatcher, bit for bit (any range, clips, penalty, shared or per-neuron error terms)', () => {
    fc.assert(
      fc.property(backwardCase, (v) => {
        const scalar = apply(layerBackwardRangeScalar, v);
        const vector = apply(simd, v);
        const dispatched = apply(layerBackwardRange, v);
        const inPlace = apply(simd, v, undefined, true);
        return (
          sameBits(scalar.grad, vector.grad) && sameBits(scalar.delta, vector.delta) &&
          sameBits(scalar.grad, inPlace.grad) && sameBits(scalar.delta, inPlace.delta) &&
          sameBits(scalar.grad, dispatched.grad) && sameBits(scalar.delta, dispatched.delta)
        ); // prettier-ignore
      }),
      { numRuns: 400 },
    );
  });

  it('every input causal for every neuron that fires (the kernel takes the inputs in their own order): the same bits as the scalar kernel', () => {
    let natural = 0;
    fc.assert(
      fc.property(allCausal, (v) => {
        const tape = allocLayerTape(v.c.nIn, v.c.nOut);
        tape.inputTimes.set(v.times);
        layerForward(tape, Float64Array.from(v.weights), v.c.decayRate, v.c.threshold);
        const last = Math.max(...v.times);
        const fired = Array.from(tape.post.spikeTime.subarray(v.range[0], v.range[1])).filter((t) => t !== Infinity);
        if (fired.length > 0 && fired.every((t) => t >= last)) natural++;
        const scalar = apply(layerBackwardRangeScalar, v);
        return [apply(simd, v), apply(simd, v, undefined, true), apply(layerBackwardRange, v, undefined, true)].every(
          (r) => sameBits(scalar.grad, r.grad) && sameBits(scalar.delta, r.delta),
        );
      }),
      { numRuns: 400 },
    );
    // about half the cases take that path with neurons that fire (the rest: an empty range, or none fires)
    expect(natural).toBeGreaterThan(120);
  });

  it('in two halves (weight gradients and each neuron\'s error terms kept, then the terms added to the shared vector): the whole call\'s bits, when every input is causal; else the first half declines and changes nothing', () => {
    // error terms of −0 (a neuron with δ = −0) met by a starting value of −0: a term kept as
    // +0 + term would turn the sum into +0
    const signedZeros = allCausal.map((v) => ({
      ...v,
      c: { ...v.c, rows: false },
      deltaOut: v.deltaOut.map((d, k) => (k % 3 === 1 ? -0 : d)),
      deltaStart: v.deltaStart.map((d, j) => (j % 2 === 0 ? -0 : d)),
    }));
    let deferredWithFired = 0;
    const check = (v: BackwardCase, e?: number): boolean => {
      const whole = apply(layerBackwardRangeScalar, v, e);
      const halves = applyDeferred(v, e);
      if (!halves.deferred) {
        // nothing written: the gradient and error terms as they started
        return sameBits(halves.grad, Float64Array.from(v.gradStart)) && sameBits(halves.delta, Float64Array.from(v.deltaStart.slice(0, v.c.nIn)));
      }
      if (v.range[1] > v.range[0]) deferredWithFired++;
      // the first half leaves the error terms alone
      return sameBits(halves.deltaBetween, Float64Array.from(v.deltaStart.slice(0, v.c.nIn))) &&
        sameBits(halves.grad, whole.grad) && sameBits(halves.delta, whole.delta); // prettier-ignore
    };
    fc.assert(fc.property(signedZeros, fc.nat(), (v, r) => check(v) && check(v, r % (v.c.nIn + 1))), { numRuns: 300 });
    expect(deferredWithFired).toBeGreaterThan(150);
    // cases with inputs after some spike: the first half declines on some of them
    let declined = 0;
    fc.assert(
      fc.property(backwardCase, (v) => {
        const shared = { ...v, c: { ...v.c, rows: false } };
        if (!applyDeferred(shared).deferred) declined++;
        return check(shared);
      }),
      { numRuns: 300 },
    );
    expect(declined).toBeGreaterThan(30);
  });

  it('the deferred half wants its kept terms in the kernel memory', () => {
    const tape = allocLayerTape(2, 1);
    const p: LayerGradientParams = { decayRate: 1, clipDerivative: 0, clipGradient: 0, penaltyNoSpike: 0 };
    expect(() => layerBackwardRangeDeferred(new Float64Array(2), new Float64Array(2), new Float64Array(2), tape, new Float64Array(2), new Float64Array(1), p, 0, 1)).toThrow(/kernel memory/);
  });

  it('an input at exactly a neuron\'s spike time is causal (m_k runs past the forward pass\'s count): the same bits as the scalar kernel', () => {
    // neuron 0's spike time from input 0 alone, then input 1 placed at exactly that time
    const one = allocLayerTape(1, 1);
    one.inputTimes.set([0.1]);
    const t1 = layerForward(one, new Float64Array([2]), 1, 0.3)[0];
    expect(Number.isFinite(t1)).toBe(true);
    for (const w1 of [0.5, -0.5, 3]) {
      const tape = allocLayerTape(2, 2);
      tape.inputTimes.set([0.1, t1]);
      const w = new Float64Array([2, w1, 1, 1]);
      layerForward(tape, w, 1, 0.3);
      expect(tape.post.spikeTime[0]).toBe(t1);
      expect(tape.post.causalCount[0]).toBe(1); // the forward pass stopped before input 1
      const p: LayerGradientParams = { decayRate: 1, clipDerivative: 0, clipGradient: 0, penaltyNoSpike: 0 };
      const run = (kernel: Kernel) => {
        const grad = new Float64Array(4);
        const delta = new Float64Array(2);
        kernel(grad, delta, tape, w, new Float64Array([1, 0]), p, 0, 2);
        return { grad, delta };
      };
      const scalar = run(layerBackwardRangeScalar);
      const vector = run(simd);
      expect(sameBits(scalar.grad, vector.grad) && sameBits(scalar.delta, vector.delta)).toBe(true);
      expect(scalar.delta[1]).not.toBe(0); // input 1 took part in neuron 0's reverse pass (the only neuron with an error)
    }
  });

  it('inputErrorFrom e: the same weight gradients and error terms of inputs ≥ e, bit for bit; inputs below e keep their values', () => {
    fc.assert(
      fc.property(backwardCase, fc.nat(), (v, r) => {
        const e = r % (v.c.nIn + 1);
        const full = apply(layerBackwardRangeScalar, v);
        const start = v.c.rows ? Float64Array.from(v.deltaStart) : Float64Array.from(v.deltaStart.slice(0, v.c.nIn));
        // which entries of the error terms belong to input j ≥ e (a row per neuron, or one shared row)
        const wanted = (at: number) => at % v.c.nIn >= e;
        const expected = full.delta.map((x, at) => (wanted(at) ? x : start[at]));
        // the SIMD kernel takes an inputErrorFrom with one shared vector (the dispatcher sends it
        // such calls when weights and gradient are resident)
        const kernels: Kernel[] = v.c.rows ? [layerBackwardRangeScalar, layerBackwardRange] : [layerBackwardRangeScalar, layerBackwardRange, simd];
        const same = (part: { grad: Float64Array; delta: Float64Array }) => sameBits(part.grad, full.grad) && sameBits(part.delta, expected);
        return kernels.every((kernel) => same(apply(kernel, v, e)) && same(apply(kernel, v, e, true)));
      }),
      { numRuns: 400 },
    );
  });

  it('the SIMD kernel refuses an inputErrorFrom with a row of error terms per neuron', () => {
    const tape = allocLayerTape(3, 2);
    const p: LayerGradientParams = { decayRate: 1, clipDerivative: 0, clipGradient: 0, penaltyNoSpike: 0, inputErrorFrom: 1 };
    expect(() => layerBackwardRangeSimd(new Float64Array(6), new Float64Array(6), tape, new Float64Array(6), new Float64Array(2), p, 0, 2, 3)).toThrow(/shared vector/);
  });

  it('the comparison can fail: a kernel that skips clipping differs on some case', () => {
    const unclipped: Kernel = (g, d, tape, w, dOut, p, from, to, stride) =>
      layerBackwardRangeSimd(g, d, tape, w, dOut, { ...p, clipDerivative: 0, clipGradient: 0 }, from, to, stride);
    const found = fc.check(
      fc.property(backwardCase, (v) => {
        const a = apply(layerBackwardRangeScalar, v);
        const b = apply(unclipped, v);
        return sameBits(a.grad, b.grad) && sameBits(a.delta, b.delta);
      }),
      { numRuns: 400, seed: 15 },
    );
    expect(found.failed).toBe(true);
  });

  it('says which array is too short for the neuron range, instead of reading past it', () => {
    const tape = allocLayerTape(3, 2);
    tape.inputTimes.set([0.1, 0.2, Infinity]);
    const w = new Float64Array([2, 2, 0, -1, 3, 3]);
    layerForward(tape, w, 1, 0.2);
    const p: LayerGradientParams = { decayRate: 1, clipDerivative: 0, clipGradient: 0, penaltyNoSpike: 1 };
    expect(() => layerBackwardRangeSimd(new Float64Array(5), new Float64Array(3), tape, w, new Float64Array(2), p, 0, 2)).toThrow(
      /gradWeights has 5 values, neurons \[0, 2\) of a 2 × 3 layer need 6/,
    );
    expect(() => layerBackwardRangeSimd(new Float64Array(6), new Float64Array(3), tape, w, new Float64Array(2), p, 0, 3)).toThrow(
      /outside the layer/,
    );
  });

  it('the same kernel serves one call after another on one tape, across shapes (its memory grows and is rebound)', () => {
    const v1 = fc.sample(backwardCase, { numRuns: 1, seed: 3 })[0];
    const big = { ...v1, c: { ...v1.c, nIn: 300, nOut: 200, rows: false } };
    big.times = Array.from({ length: 300 }, (_, i) => (i % 7 === 0 ? Infinity : (i % 13) / 13));
    big.weights = Array.from({ length: 60000 }, (_, i) => Math.sin(i) * 3 + 1);
    big.deltaOut = Array.from({ length: 200 }, (_, i) => Math.cos(i));
    big.gradStart = Array.from({ length: 60000 }, () => 0);
    big.deltaStart = Array.from({ length: 60000 }, () => 0);
    big.range = [0, 200];
    for (const v of [v1, big, v1]) {
      const a = apply(layerBackwardRangeScalar, v);
      const b = apply(simd, v);
      expect(sameBits(a.grad, b.grad) && sameBits(a.delta, b.delta)).toBe(true);
    }
  });
});
