/**
 * Robust summaries for benchmarks on a shared, noisy machine: the median of repeated
 * measurements with their spread (extremes and quartiles), and paired ratios (two figures
 * measured in the same repetition, so a load change hits both alike).
 */

/** Median, extremes and quartiles of n ≥ 1 samples (quartiles by linear interpolation). */
export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly q1: number;
  readonly q3: number;
  readonly n: number;
}

/** The q-quantile (0 ≤ q ≤ 1) of ascending samples, linear between order statistics. */
const quantile = (sorted: readonly number[], q: number): number => {
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
};

export const spreadOf = (samples: readonly number[]): Spread => {
  if (samples.length === 0) throw new RangeError('spreadOf: no samples');
  const s = [...samples].sort((a, b) => a - b);
  return {
    median: quantile(s, 0.5),
    min: s[0],
    max: s[s.length - 1],
    q1: quantile(s, 0.25),
    q3: quantile(s, 0.75),
    n: s.length,
  };
};

/** Ratios a[i] / b[i] of measurements paired by repetition. */
export const pairedRatios = (a: readonly number[], b: readonly number[]): number[] => {
  if (a.length !== b.length) throw new RangeError(`pairedRatios: ${a.length} vs ${b.length} samples`);
  return a.map((x, i) => x / b[i]);
};

/** Runs f n times and collects its results (e.g. rates of timed passes). */
export const repeat = <T>(n: number, f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i));

/** Wall-clock seconds of f(). */
export const seconds = (f: () => void): number => {
  const t0 = process.hrtime.bigint();
  f();
  return Number(process.hrtime.bigint() - t0) / 1e9;
};

/** Wall-clock seconds of f() and the CPU seconds (user + system, every thread) this process spent in it. */
export const wallAndCpuSeconds = (f: () => void): { readonly wall: number; readonly cpu: number } => {
  const c0 = process.cpuUsage();
  const wall = seconds(f);
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1e6 };
};

/** CPU seconds (user + system) this process spent in f(): unlike wall time, not inflated by other processes. */
export const cpuSeconds = (f: () => void): number => {
  const c0 = process.cpuUsage();
  f();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1e6;
};
