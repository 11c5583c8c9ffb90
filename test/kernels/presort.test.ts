/**
 * The input sort in two parts (the fixed inputs sorted ahead, the pulses merged in) leaves the tape
 * exactly as the whole sort does: the same order (stable, −0 = +0, +∞ last in input order), the
 * same times, e^(K t) and θ e^(K t), bit for bit.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocLayerTape, sortLayerInputs } from '../../src/kernels/layer.ts';
import { allocPresortedInputs, presortInputs, sortLayerInputsMerged } from '../../src/kernels/presort.ts';

const sameBits = (a: ArrayLike<number>, b: ArrayLike<number>): boolean =>
  a.length === b.length && Array.from(a).every((x, i) => Object.is(x, b[i]));

// few distinct values (ties between the parts common), signed zeros, ±∞, arbitrary doubles
const time = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: -2, max: 10 }).map((k) => k / 8) },
  { weight: 2, arbitrary: fc.constant(Infinity) },
  { weight: 1, arbitrary: fc.constantFrom(0, -0, -Infinity) },
  { weight: 1, arbitrary: fc.double({ noNaN: true }) },
);

const both = (data: number[], pulses: number[], decayRate: number, threshold: number) => {
  const nIn = data.length + pulses.length;
  const whole = allocLayerTape(nIn, 1);
  whole.inputTimes.set([...data, ...pulses]);
  sortLayerInputs(whole, decayRate, threshold);
  const pre = allocPresortedInputs(data.length);
  const presorted = presortInputs(pre, Float64Array.from(data), decayRate, threshold);
  const merged = allocLayerTape(nIn, 1);
  merged.sorted.time.fill(7); // whatever an earlier sort left
  merged.sorted.index.fill(-1);
  merged.inputTimes.set(pulses, data.length); // the fixed part is not read
  const ok = presorted && sortLayerInputsMerged(merged, pre, decayRate, threshold);
  return { whole: whole.sorted, merged: merged.sorted, ok };
};

describe('presortInputs + sortLayerInputsMerged', () => {
  it('= sortLayerInputs of the whole input, bit for bit (order, times, e^(K t), θ e^(K t), count of finite ones)', () => {
    fc.assert(
      fc.property(
        fc.array(time, { maxLength: 200 }),
        fc.array(time, { maxLength: 12 }),
        fc.double({ min: 0.2, max: 3, noNaN: true }),
        fc.double({ min: 0.05, max: 1.5, noNaN: true }),
        (data, pulses, k, theta) => {
          const { whole, merged, ok } = both(data, pulses, k, theta);
          return ok && merged.nFinite === whole.nFinite && sameBits(merged.index, whole.index) &&
            sameBits(merged.time, whole.time) && sameBits(merged.exp, whole.exp) && sameBits(merged.threshExp, whole.threshExp); // prettier-ignore
        },
      ),
      { numRuns: 600 },
    );
  });

  it('ties between the parts: the fixed input first, whatever the signs of zero', () => {
    const { whole, merged } = both([0.5, -0, 0.25], [0, 0.5, 0.25], 1, 0.5);
    expect(Array.from(merged.index)).toEqual(Array.from(whole.index));
    expect(Array.from(merged.index.subarray(0, 6))).toEqual([1, 3, 2, 5, 0, 4]);
  });

  it('declines NaN times (the whole sort orders them by their bits): a NaN pulse writes nothing', () => {
    const pre = allocPresortedInputs(2);
    expect(presortInputs(pre, new Float64Array([0.1, Number.NaN]), 1, 0.5)).toBe(false);
    expect(presortInputs(pre, new Float64Array([0.1, 0.2]), 1, 0.5)).toBe(true);
    const tape = allocLayerTape(3, 1);
    tape.inputTimes[2] = Number.NaN;
    tape.sorted.time.fill(7);
    expect(sortLayerInputsMerged(tape, pre, 1, 0.5)).toBe(false);
    expect(Array.from(tape.sorted.time)).toEqual([7, 7, 7, 7]);
  });
});
