/**
 * The output layer's split follows the participants' own work: it starts even, moves toward the
 * participant that worked less, in whole quanta, never empties a share, settles when the work is
 * equal, and keeps still when a report is missing (reports: each participant's own work, its
 * share's time less its waits).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBalance, createLowerBalance, rebalance, rebalanceLower } from '../../src/train/parallel/balance.ts';

describe('createBalance', () => {
  it('splits evenly on quanta where they fit, else neuron by neuron', () => {
    expect(Array.from(createBalance(2, 784).bounds)).toEqual([0, 392, 784]);
    expect(Array.from(createBalance(3, 784).bounds)).toEqual([0, 264, 520, 784]);
    expect(Array.from(createBalance(2, 10).bounds)).toEqual([0, 5, 10]);
    expect(createBalance(2, 10).quantum).toBe(1);
  });
});

describe('rebalance', () => {
  it('gives more neurons to the participant that worked less, in quanta, and settles when the work is equal', () => {
    const b = createBalance(2, 784);
    expect(rebalance(b, [1.0, 1.4])).toBe(true);
    expect(b.bounds[1]).toBeGreaterThan(392);
    expect((b.bounds[1] - 392) % 8).toBe(0);
    const moved = b.bounds[1];
    expect(rebalance(createBalance(2, 784), [1.4, 1.0])).toBe(true);
    // equal work from now on: the smoothed gap closes and the boundary stops
    for (let i = 0; i < 60; i++) rebalance(b, [1.2, 1.2]);
    const settled = b.bounds[1];
    expect(rebalance(b, [1.2, 1.2])).toBe(false);
    expect(b.bounds[1]).toBe(settled);
    expect(settled).toBeGreaterThanOrEqual(392);
    expect(moved).toBeLessThanOrEqual(392 + 16); // at most two quanta a step
  });

  it('follows a steady imbalance toward equal work (work proportional to neurons, one thread slower)', () => {
    // participant 1 runs at 0.8 of participant 0's speed: equal work at 784 · 1/1.8 ≈ 436 … for p0
    const b = createBalance(2, 784);
    for (let i = 0; i < 200; i++) {
      const n0 = b.bounds[1];
      rebalance(b, [n0 / 1, (784 - n0) / 0.8]);
    }
    expect(Math.abs(b.bounds[1] - 784 / 1.8)).toBeLessThan(24);
  });

  it('keeps every share at least a quantum, the bounds ordered and on quanta, whatever the reports', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 4 }),
        fc.array(fc.array(fc.oneof(fc.double({ min: 0, max: 1e3, noNaN: true }), fc.constant(Number.NaN)), { minLength: 4, maxLength: 4 }), { maxLength: 40 }),
        (P, reports) => {
          const b = createBalance(P, 784);
          for (const r of reports) rebalance(b, r.slice(0, P));
          const bounds = Array.from(b.bounds);
          return bounds[0] === 0 && bounds[P] === 784 &&
            bounds.every((x, i) => i === 0 || x - bounds[i - 1] >= 8) &&
            bounds.every((x) => x % 8 === 0);
        },
      ),
    );
  });

  it('keeps still when a participant did not report', () => {
    const b = createBalance(2, 784);
    expect(rebalance(b, [1, Number.NaN])).toBe(false);
    expect(rebalance(b, [1, -1])).toBe(false);
    expect(Array.from(b.bounds)).toEqual([0, 392, 784]);
  });
});

/**
 * The lower layer's split follows the ends of the participants' shares: per pair of neighbours,
 * once a window, toward the participant that ended earlier when the gap exceeds two neurons' cost
 * (`ends`: P end times, then P post-output times, ms).
 */
describe('rebalanceLower', () => {
  /** ends for two participants: p1 ends `gap` ms after p0; each took `post` ms after the output layer. */
  const ends2 = (gap: number, post: number): Float64Array => Float64Array.from([100, 100 + gap, post, post]);

  it('moves a neuron to the participant that ended earlier, once a window, and not within two neurons\' cost', () => {
    const b = createLowerBalance(2, 8);
    const bounds = Int32Array.from([0, 16, 32]);
    // post 0.16 ms over 16 neurons: 0.01 ms a neuron; p1 ends 0.05 ms later: p0 takes one
    for (let i = 0; i < 7; i++) expect(rebalanceLower(b, bounds, ends2(0.05, 0.16))).toBe(false);
    expect(rebalanceLower(b, bounds, ends2(0.05, 0.16))).toBe(true);
    expect(Array.from(bounds)).toEqual([0, 17, 32]);
    // p1 ends earlier: p0 hands one on
    for (let i = 0; i < 8; i++) rebalanceLower(b, bounds, ends2(-0.05, 0.16));
    expect(Array.from(bounds)).toEqual([0, 16, 32]);
    // within two neurons' cost (0.02 ms): still
    for (let i = 0; i < 8; i++) expect(rebalanceLower(b, bounds, ends2(0.015, 0.16))).toBe(false);
    expect(Array.from(bounds)).toEqual([0, 16, 32]);
  });

  it('moves by half the neurons a wide gap is worth, four at most', () => {
    const b = createLowerBalance(2, 4);
    const bounds = Int32Array.from([0, 16, 32]);
    // 0.01 ms a neuron: a gap of 0.1 ms is worth 5 neurons, half of it 2 (rounded down)
    for (let i = 0; i < 4; i++) rebalanceLower(b, bounds, ends2(0.1, 0.16));
    expect(Array.from(bounds)).toEqual([0, 18, 32]);
    for (let i = 0; i < 4; i++) rebalanceLower(b, bounds, ends2(-1, 0.16));
    expect(Array.from(bounds)).toEqual([0, 14, 32]);
  });

  it('takes the median over the window, so a stalled step does not move it', () => {
    const b = createLowerBalance(2, 8);
    const bounds = Int32Array.from([0, 16, 32]);
    for (let i = 0; i < 8; i++) rebalanceLower(b, bounds, ends2(i === 3 ? 5 : 0, 0.16));
    expect(Array.from(bounds)).toEqual([0, 16, 32]);
  });

  it('settles where the ends meet (post-output work proportional to neurons, a fixed lag of the last participant)', () => {
    // p1 ends the output layer 0.06 ms behind p0; 0.01 ms a neuron after it; 32 neurons:
    // the ends meet at p0 = 16 + 3
    const b = createLowerBalance(2, 4);
    const bounds = Int32Array.from([0, 16, 32]);
    for (let i = 0; i < 400; i++) {
      const n0 = bounds[1];
      const n1 = 32 - n0;
      rebalanceLower(b, bounds, Float64Array.from([n0 * 0.01, 0.06 + n1 * 0.01, n0 * 0.01, n1 * 0.01]));
    }
    expect(Math.abs(bounds[1] - 19)).toBeLessThanOrEqual(1);
  });

  it('keeps the bounds ordered, the ends fixed and no share emptied by a move, whatever the reports', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 4 }),
        fc.integer({ min: 0, max: 40 }),
        fc.array(fc.array(fc.oneof(fc.double({ min: -10, max: 1e3, noNaN: true }), fc.constant(Number.NaN)), { minLength: 8, maxLength: 8 }), { maxLength: 40 }),
        (P, n, reports) => {
          const b = createLowerBalance(P, 3);
          const bounds = Int32Array.from({ length: P + 1 }, (_, p) => Math.floor((p * n) / P));
          const empty = Array.from({ length: P }, (_, p) => bounds[p + 1] === bounds[p]);
          for (const r of reports) rebalanceLower(b, bounds, r.slice(0, 2 * P));
          const x = Array.from(bounds);
          return x[0] === 0 && x[P] === n && x.every((v, i) => i === 0 || v >= x[i - 1]) &&
            x.every((v, i) => i === P || empty[i] || x[i + 1] > v);
        },
      ),
    );
  });
});
