/**
 * The search space: coordinates map into the published ranges (log scale and integers where
 * Table 1 says so), the inverse map agrees, and a bad space file is reported by field.
 */
import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Dimension, TABLE_1_SPACE, decodeSearchSpace, encodeSearchSpace, unitOf, valueAt } from '../../src/search/space.ts';

const dims = Object.fromEntries(TABLE_1_SPACE.params);

describe('dimensions', () => {
  it('Table 1: ten fields, log scale for batch size and learning rates, integers for batch size and pulses', () => {
    expect(TABLE_1_SPACE.params.length).toBe(10);
    expect(dims.batchSize).toEqual({ min: 1, max: 1000, scale: 'log', integer: true });
    expect(dims.nPulses).toEqual({ min: 0, max: 10, scale: 'linear', integer: true });
    expect(dims.learningRate).toEqual({ min: 1e-5, max: 1, scale: 'log', integer: false });
    expect(dims.learningRatePulses.scale).toBe('log');
    expect(dims.decayRate).toEqual({ min: 0.1, max: 2, scale: 'linear', integer: false });
  });

  it('every coordinate maps into the range, integers to integers, monotonically', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TABLE_1_SPACE.params), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), ([, d], u, w) => {
        const v = valueAt(d, u);
        const inRange = v >= d.min && v <= d.max && (!d.integer || Number.isInteger(v));
        const monotone = u <= w ? v <= valueAt(d, w) : v >= valueAt(d, w);
        return inRange && monotone;
      }),
      { seed: 1, numRuns: 500 },
    );
  });

  it('unitOf inverts valueAt (exactly for integers, to rounding for reals)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TABLE_1_SPACE.params), fc.double({ min: 0, max: 0.999999, noNaN: true }), ([, d], u) => {
        const v = valueAt(d, u);
        const back = valueAt(d, unitOf(d, v));
        return d.integer ? back === v : Math.abs(back - v) <= 1e-9 * Math.max(1, Math.abs(v));
      }),
      { seed: 2, numRuns: 500 },
    );
  });

  it('log scale: the middle coordinate is the geometric mean; integer shares are equal on the line', () => {
    expect(valueAt(dims.learningRate, 0.5)).toBeCloseTo(Math.sqrt(1e-5), 12);
    const pulses: Dimension = dims.nPulses;
    const counts = new Array(11).fill(0);
    for (let i = 0; i < 1100; i++) counts[valueAt(pulses, (i + 0.5) / 1100)]++;
    expect(counts).toEqual(new Array(11).fill(100));
    expect(valueAt(dims.batchSize, 0)).toBe(1);
    expect(valueAt(dims.batchSize, 1)).toBe(1000);
  });
});

describe('space files', () => {
  it('decodes a space with fixed fields, defaults scale and integer, and round-trips', () => {
    const r = decodeSearchSpace(
      { preset: 'h8-l2-n0.4', fixed: { noiseFactor: 0.2 }, params: { batchSize: { min: 1, max: 64, scale: 'log' }, decayRate: { min: 0.2, max: 1 } } },
      'space.json',
    );
    if (isLeft(r)) throw new Error(r.left.join('\n'));
    expect(r.right.preset).toBe('h8-l2-n0.4');
    expect(r.right.fixed).toEqual({ noiseFactor: 0.2 });
    expect(r.right.params).toEqual([
      ['batchSize', { min: 1, max: 64, scale: 'log', integer: true }],
      ['decayRate', { min: 0.2, max: 1, scale: 'linear', integer: false }],
    ]);
    expect(decodeSearchSpace(encodeSearchSpace(r.right), 'again')).toEqual(r);
    expect(isRight(decodeSearchSpace(encodeSearchSpace(TABLE_1_SPACE), 'table'))).toBe(true);
  });

  it('names the file and field of every mistake', () => {
    const r = decodeSearchSpace(
      {
        params: {
          learningRate: { min: 0, max: 1, scale: 'log' },
          decayRat: { min: 0.1, max: 2 },
          batchSize: { min: 1.5, max: 10 },
          fireThreshold: { min: 2, max: 1 },
          decayRate: { min: -1, max: 1 },
          dataset: { min: 0, max: 1 },
        },
        fixed: { epochs: -1 },
        extra: 1,
      },
      'space.json',
    );
    if (!isLeft(r)) throw new Error('expected errors');
    const text = r.left.join('\n');
    expect(text).toMatch(/space\.json: params\.learningRate\.min: a log scale needs min > 0, got 0/);
    expect(text).toMatch(/space\.json: params\.decayRat: unknown hyperparameter \(did you mean decayRate\?\)/);
    expect(text).toMatch(/space\.json: params\.batchSize: an integer range needs integer bounds/);
    expect(text).toMatch(/space\.json: params\.fireThreshold: expected min ≤ max, got min 2 and max 1/);
    expect(text).toMatch(/space\.json: params\.decayRate\.min: expected positive number, got -1/);
    expect(text).toMatch(/space\.json: params\.dataset: unknown hyperparameter \(not a searchable numeric hyperparameter/);
    expect(text).toMatch(/space\.json: fixed: epochs: expected non-negative integer, got -1/);
    expect(text).toMatch(/space\.json: unknown field extra/);
  });
});
