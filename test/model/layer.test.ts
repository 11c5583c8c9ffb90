/**
 * The layer kernel: the four-neuron scan equals single scans, the SIMD range scan equals the
 * scalar loops, the layer equals independent single neurons (the friendly NeuronModel path), and
 * the data-parallel trainer equals the sequential step bit for bit.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocAlphaSolutions, alphaNeuron, alphaScanInto4, alphaSpikeInto } from '../../src/kernels/alpha.ts';
import { allocLayerTape, layerForward } from '../../src/kernels/layer.ts';
import { transposeWeights } from '../../src/kernels/layerStream.ts';
import { generate } from '../../scripts/assembleKernels.mjs';
import { alphaScanRange, alphaScanRangeSimd } from '../../src/kernels/alphaScanRange.ts';
import { kernelMemory } from '../../src/kernels/wasmKernel.ts';

const layerCase = fc
  .record({
    nIn: fc.integer({ min: 1, max: 24 }),
    nOut: fc.integer({ min: 1, max: 11 }),
    decayRate: fc.double({ min: 0.2, max: 3, noNaN: true }),
    threshold: fc.double({ min: 0.05, max: 1.5, noNaN: true }),
    seed: fc.integer(),
  })
  .chain((c) =>
    fc.record({
      c: fc.constant(c),
      // times from a small grid so that ties are common; some inputs never spike
      times: fc.array(
        fc.oneof(fc.integer({ min: 0, max: 8 }).map((k) => k / 8), fc.constant(Infinity)),
        { minLength: c.nIn, maxLength: c.nIn },
      ),
      weights: fc.array(fc.double({ min: -3, max: 6, noNaN: true }), {
        minLength: c.nIn * c.nOut,
        maxLength: c.nIn * c.nOut,
      }),
    }),
  );

describe('layer kernel', () => {
  it('four-neuron scan = single-neuron scans = the NeuronModel, neuron by neuron', () => {
    fc.assert(
      fc.property(layerCase, ({ c, times, weights }) => {
        const tape = allocLayerTape(c.nIn, c.nOut);
        tape.inputTimes.set(times);
        const w = Float64Array.from(weights);
        const out = layerForward(tape, w, c.decayRate, c.threshold).slice();
        const single = allocAlphaSolutions(c.nOut);
        for (let k = 0; k < c.nOut; k++) {
          const t1 = alphaSpikeInto(single, k, c.decayRate, c.threshold, tape.sorted, w, k * c.nIn);
          const row = weights.slice(k * c.nIn, (k + 1) * c.nIn);
          const friendly = alphaNeuron.fire({ decayRate: c.decayRate, threshold: c.threshold }, times, row);
          if (!Object.is(t1, out[k]) || !Object.is(friendly.spikeTime, out[k])) return false;
          if (single.causalCount[k] !== tape.post.causalCount[k]) return false;
          if (friendly.causalCount !== tape.post.causalCount[k]) return false;
        }
        return true;
      }),
      { numRuns: 300 },
    );
  });

  it('four-neuron scan resumed at any cut points over transposed weights (the stream\'s use) = one batch pass', () => {
    fc.assert(
      fc.property(layerCase, fc.array(fc.nat(), { maxLength: 6 }), ({ c, times, weights }, cutSeeds) => {
        const tape = allocLayerTape(c.nIn, c.nOut);
        tape.inputTimes.set(times);
        const w = Float64Array.from(weights);
        const out = layerForward(tape, w, c.decayRate, c.threshold).slice();
        const s = tape.sorted;
        const cuts = [...new Set([0, ...cutSeeds.map((x) => x % (s.nFinite + 1)), s.nFinite])].sort((x, y) => x - y);
        const wT = transposeWeights(w, c.nIn, c.nOut);
        const sol = allocAlphaSolutions(c.nOut);
        const sums = new Float64Array(8);
        for (let k = 0; k + 4 <= c.nOut; k += 4) {
          sums.fill(0);
          let fired = 0;
          for (let p = 0; p + 1 < cuts.length; p++) {
            fired |= alphaScanInto4(sol, k, c.decayRate, c.threshold, s, wT, k, 1, c.nOut, cuts[p], cuts[p + 1], sums, 0);
          }
          for (let q = 0; q < 4; q++) {
            const t = (fired & (1 << q)) !== 0 ? sol.spikeTime[k + q] : Infinity;
            if (!Object.is(t, out[k + q])) return false;
            if ((fired & (1 << q)) !== 0 && sol.causalCount[k + q] !== tape.post.causalCount[k + q]) return false;
          }
        }
        return true;
      }),
      { numRuns: 300 },
    );
  });

  it('range scan: SIMD kernel (weights copied, or resident and read in place) = scalar loops (alphaScanRange on these small calls) over either weight layout, bit for bit, resumed at any cut points, any neuron range', () => {
    type Scan = typeof alphaScanRange;
    /** The scan of neurons [k0, k1) over the segments between cuts: records, fired set, sums. */
    const run = (scan: Scan, tape: ReturnType<typeof allocLayerTape>, w: Float64Array, nIn: number, nOut: number,
      transposed: boolean, k0: number, k1: number, cuts: number[], decayRate: number, threshold: number) => {
      const sol = allocAlphaSolutions(nOut);
      // what the scan must leave alone where a neuron does not fire
      sol.spikeTime.fill(-7);
      sol.sumA.fill(-8);
      sol.sumB.fill(-9);
      sol.lambertW.fill(-10);
      sol.causalCount.fill(-11);
      const sums = new Float64Array(2 * nOut);
      const firedOut = new Int32Array(nOut);
      const fired: number[] = [];
      const sumsAfter: number[][] = [];
      for (let p = 0; p + 1 < cuts.length; p++) {
        const n = transposed
          ? scan(sol, decayRate, threshold, tape.sorted, w, 1, nOut, k0, k1, cuts[p], cuts[p + 1], sums, firedOut)
          : scan(sol, decayRate, threshold, tape.sorted, w, nIn, 1, k0, k1, cuts[p], cuts[p + 1], sums, firedOut);
        fired.push(...Array.from(firedOut.subarray(0, n)).sort((a, b) => a - b), -1);
        // a fired neuron's B is +∞ and its A unspecified; the others' sums resume the next segment
        sumsAfter.push(Array.from({ length: k1 - k0 }, (_, q) => q + k0).flatMap((k) => (sums[2 * k + 1] === Infinity ? [Infinity] : [sums[2 * k], sums[2 * k + 1]])));
      }
      const solutions = [sol.spikeTime, sol.sumA, sol.sumB, sol.lambertW, sol.causalCount].flatMap((a) => Array.from(a));
      return [...fired, ...sumsAfter.flat(), ...solutions];
    };
    fc.assert(
      fc.property(layerCase, fc.array(fc.nat(), { maxLength: 6 }), fc.boolean(), fc.nat(), fc.nat(), ({ c, times, weights }, cutSeeds, transposed, a, b) => {
        const tape = allocLayerTape(c.nIn, c.nOut);
        tape.inputTimes.set(times);
        const w = Float64Array.from(weights);
        layerForward(tape, w, c.decayRate, c.threshold);
        const s = tape.sorted;
        const cuts = [...new Set([0, ...cutSeeds.map((x) => x % (s.nFinite + 1)), s.nFinite])].sort((x, y) => x - y);
        const [k0, k1] = [a % (c.nOut + 1), b % (c.nOut + 1)].sort((x, y) => x - y);
        const wl = transposed ? transposeWeights(w, c.nIn, c.nOut) : w;
        const x = run(alphaScanRange, tape, wl, c.nIn, c.nOut, transposed, k0, k1, cuts, c.decayRate, c.threshold);
        // the SIMD kernel takes whole rows; over transposed weights alphaScanRange always runs the scalar loops
        const y = run(transposed ? alphaScanRange : alphaScanRangeSimd, tape, w, c.nIn, c.nOut, false, k0, k1, cuts, c.decayRate, c.threshold);
        // weights resident in the kernel memory: whole groups of eight read in place, the rest copied
        const resident = kernelMemory().claimResident(w.length);
        resident.set(w);
        const z = run(alphaScanRangeSimd, tape, resident, c.nIn, c.nOut, false, k0, k1, cuts, c.decayRate, c.threshold);
        const same = (u: number[]) => x.length === u.length && x.every((v, i) => Object.is(v, u[i]));
        return same(y) && same(z);
      }),
      { numRuns: 400 },
    );
  });

  it('silent when every input is silent or the layer has only inhibition', () => {
    const tape = allocLayerTape(3, 2);
    tape.inputTimes.set([Infinity, Infinity, Infinity]);
    expect([...layerForward(tape, new Float64Array(6).fill(5), 1, 0.1)]).toEqual([Infinity, Infinity]);
    tape.inputTimes.set([0.1, 0.2, 0.3]);
    expect([...layerForward(tape, new Float64Array(6).fill(-1), 1, 0.1)]).toEqual([Infinity, Infinity]);
    expect([...tape.post.causalCount]).toEqual([3, 3]);
  });
});

describe('alpha scan SIMD kernel bytes', () => {
  it('alphaScanWasm.ts is what alphaScan.wat assembles to (scripts/assembleKernels.mjs)', async () => {
    const wat = readFileSync(new URL('../../src/kernels/alphaScan.wat', import.meta.url), 'utf8');
    const ts = readFileSync(new URL('../../src/kernels/alphaScanWasm.ts', import.meta.url), 'utf8');
    expect(await generate('alphaScan', wat)).toBe(ts);
  });
});
