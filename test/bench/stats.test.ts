import { describe, expect, it } from 'vitest';
import { pairedRatios, spreadOf, wallAndCpuSeconds } from '../../src/bench/stats.ts';

describe('bench statistics', () => {
  it('gives median, extremes and interpolated quartiles, whatever the sample order', () => {
    expect(spreadOf([5, 1, 4, 2, 3])).toEqual({ median: 3, min: 1, max: 5, q1: 2, q3: 4, n: 5 });
    expect(spreadOf([4, 1, 3, 2])).toEqual({ median: 2.5, min: 1, max: 4, q1: 1.75, q3: 3.25, n: 4 });
    expect(spreadOf([7])).toEqual({ median: 7, min: 7, max: 7, q1: 7, q3: 7, n: 1 });
  });

  it('refuses no samples and unpaired ratios', () => {
    expect(() => spreadOf([])).toThrow(/no samples/);
    expect(() => pairedRatios([1, 2], [1])).toThrow(/2 vs 1/);
  });

  it('pairs ratios by repetition', () => {
    expect(pairedRatios([4, 9], [2, 3])).toEqual([2, 3]);
  });

  it('times a busy loop in wall-clock and CPU seconds (one thread: CPU time at most the wall time)', () => {
    let x = 0;
    const t = wallAndCpuSeconds(() => {
      const end = performance.now() + 30;
      while (performance.now() < end) x += Math.sqrt(x + 1);
    });
    expect(x).toBeGreaterThan(0);
    expect(t.wall).toBeGreaterThanOrEqual(0.029);
    expect(t.cpu).toBeGreaterThan(0);
    expect(t.cpu).toBeLessThanOrEqual(t.wall + 0.01); // cpuUsage has microsecond, not exact, resolution
  });
});
