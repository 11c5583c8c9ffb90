/**
 * The output layer's split follows the participants' own work: it starts even, moves toward the
 * participant that worked less, in whole quanta, never empties a share, settles when the work is
 * equal, and keeps still when a report is missing (reports: each participant's own work, its
 * share's time less its waits).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type LowerBalance, createBalance, createLowerBalance, evenSplit, followOutput, headedSplit, rebalance } from '../../src/train/parallel/balance.ts';
import { allocSharedBuffers, lowerBoundsOf } from '../../src/train/parallel/sharedState.ts';

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

describe('evenSplit', () => {
  it('puts the inner bounds on the multiples of the quantum nearest to the even shares', () => {
    expect(Array.from(evenSplit(2, 32, 8))).toEqual([0, 16, 32]);
    expect(Array.from(evenSplit(2, 40, 8))).toEqual([0, 24, 40]);
    expect(Array.from(evenSplit(3, 32, 1))).toEqual([0, 10, 21, 32]);
  });

  it('is the lower layers\' first split in a trainer (whole groups of eight when each participant gets two), with a quantum more for participant 0 below the output layer', () => {
    const bounds = (layerSizes: number[], P: number, l = 0) =>
      Array.from(lowerBoundsOf(allocSharedBuffers({ layerSizes, nPulses: layerSizes.slice(1).map(() => 2), decayRate: 1, threshold: 1 }, 7, P).lowerBounds, l, P));
    expect(bounds([784, 32, 784], 2)).toEqual([0, 24, 32]);
    expect(bounds([784, 40, 784], 2)).toEqual([0, 32, 40]);
    expect(bounds([784, 32, 784], 3)).toEqual([0, 11, 22, 32]); // 32 < 3 · 2 · 8: neuron by neuron
    expect(bounds([20, 12, 30], 2)).toEqual([0, 7, 12]);
    expect(bounds([20, 9, 48, 30], 2, 1)).toEqual([0, 32, 48]);
    expect(bounds([20, 9, 48, 30], 2, 0)).toEqual([0, 4, 9]); // not below the output layer: even
  });
});

describe('followOutput', () => {
  /** Feeds `steps` steps with participant 0 holding `p0` output neurons (of 784, the rest even); returns the moves. */
  const feed = (lb: LowerBalance, lower: Int32Array, p0: number, steps: number, P = 2): number => {
    const rest = (784 - p0) / (P - 1);
    const output = Array.from({ length: P + 1 }, (_, q) => (q === 0 ? 0 : Math.round(p0 + (q - 1) * rest)));
    let moves = 0;
    for (let i = 0; i < steps; i++) if (followOutput(lb, output, lower)) moves++;
    return moves;
  };

  it('keeps the even split while participant 0 holds about its even share of the output layer', () => {
    const lb = createLowerBalance(2, 784, 32);
    const lower = Int32Array.from([0, 16, 32]);
    expect(lb.threshold).toBe(49);
    expect(feed(lb, lower, 392 + 40, 200)).toBe(0);
    expect(feed(lb, lower, 392 - 40, 200)).toBe(0);
    expect(Array.from(lower)).toEqual([0, 16, 32]);
  });

  it('moves a group to participant 0 per window while it holds many more output neurons, until the other has none', () => {
    const lb = createLowerBalance(2, 784, 32);
    const lower = Int32Array.from([0, 16, 32]);
    expect(feed(lb, lower, 510, lb.window - 1)).toBe(0); // not before a window is complete
    expect(feed(lb, lower, 510, 1)).toBe(1);
    expect(Array.from(lower)).toEqual([0, 24, 32]);
    expect(feed(lb, lower, 510, 10 * lb.window)).toBe(1);
    expect(Array.from(lower)).toEqual([0, 32, 32]);
  });

  it('gives groups back while participant 0 holds many fewer, down to its floor (a group above even) and never below', () => {
    const lb = createLowerBalance(2, 784, 32);
    expect(Array.from(lb.floor)).toEqual([0, 24, 32]);
    const lower = Int32Array.from([0, 32, 32]);
    expect(feed(lb, lower, 280, 10 * lb.window)).toBe(1);
    expect(Array.from(lower)).toEqual([0, 24, 32]);
    const even = Int32Array.from([0, 16, 32]);
    expect(feed(lb, even, 200, 10 * lb.window)).toBe(0);
    expect(Array.from(even)).toEqual([0, 16, 32]);
  });

  it('starts the head a quantum above even, taken from the last participant that has two', () => {
    expect(Array.from(headedSplit(2, 32, 8))).toEqual([0, 24, 32]);
    expect(Array.from(headedSplit(3, 48, 8))).toEqual([0, 24, 40, 48]);
    expect(Array.from(headedSplit(3, 40, 8))).toEqual([0, 24, 32, 40]); // 16/8/16 (even on groups): participant 2 gives
    expect(Array.from(headedSplit(2, 6, 1))).toEqual([0, 4, 6]);
    expect(Array.from(headedSplit(2, 2, 1))).toEqual([0, 1, 2]); // nobody has two: even
    expect(Array.from(headedSplit(1, 32, 8))).toEqual([0, 32]);
  });

  it('averages over the window: a few steps far from even do not move it', () => {
    const lb = createLowerBalance(2, 784, 32);
    const lower = Int32Array.from([0, 16, 32]);
    feed(lb, lower, 700, 2);
    expect(feed(lb, lower, 392, lb.window - 2)).toBe(0);
    expect(Array.from(lower)).toEqual([0, 16, 32]);
  });

  it('keeps the bounds ordered, on quanta, the layer whole and participant 0 at its even share at least, for any participants and output splits', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 4 }),
        fc.constantFrom(32, 48, 64, 12),
        fc.array(fc.tuple(fc.integer({ min: 8, max: 776 }), fc.integer({ min: 1, max: 40 })), { maxLength: 12 }),
        (P, n, phases) => {
          const lb = createLowerBalance(P, 784, n);
          const lower = evenSplit(P, n, lb.quantum);
          const even0 = lower[1];
          for (const [p0, steps] of phases) feed(lb, lower, Math.min(p0, 784 - 8 * (P - 1)), steps, P);
          const b = Array.from(lower);
          return b[0] === 0 && b[P] === n && b.every((x, i) => i === 0 || x >= b[i - 1]) &&
            b.every((x) => x % lb.quantum === 0) && b[1] >= even0;
        },
      ),
    );
  });

  it('takes from the last participant that has a group, and gives back to the first below its even share (3 participants)', () => {
    const lb = createLowerBalance(3, 784, 48);
    const lower = Int32Array.from([0, 16, 32, 48]);
    expect(feed(lb, lower, 500, lb.window, 3)).toBe(1);
    expect(Array.from(lower)).toEqual([0, 24, 40, 48]); // participant 2 gave a group; participant 1 kept its size
    feed(lb, lower, 500, lb.window, 3);
    expect(Array.from(lower)).toEqual([0, 32, 48, 48]);
    feed(lb, lower, 500, lb.window, 3);
    expect(Array.from(lower)).toEqual([0, 40, 48, 48]); // then participant 1
    feed(lb, lower, 100, lb.window, 3);
    expect(Array.from(lower)).toEqual([0, 32, 48, 48]); // back to participant 1 (below its even share)
  });
});
