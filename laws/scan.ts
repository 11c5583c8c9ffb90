/**
 * The independent reference of the laws: a fine time-stepped scan of `model.potential`. It never
 * calls the model's closed-form spike time.
 *
 * Grid (for decay rate K, finite input times in [t_first, t_last]): `steps` equal steps on the
 * fine span [t_first, t_last + fineSpan/K], then `tailSteps` equal steps on
 * (t_last + fineSpan/K, t_last + horizon/K], plus every finite input time. With no finite input
 * the grid is empty (the potential is 0 everywhere).
 */
import { NO_SPIKE, type NeuronModel, type NeuronParams } from '../src/kernels/neuronModel.ts';

export interface ScanOptions {
  /** Steps on the fine span. Default 4000. */
  readonly steps: number;
  /** Fine span after the last input, in units of 1/K. Default 8. */
  readonly fineSpan: number;
  /** Steps on the tail. Default 1000. */
  readonly tailSteps: number;
  /** End of the scan after the last input, in units of 1/K. Default 40. */
  readonly horizon: number;
}

export const defaultScanOptions: ScanOptions = { steps: 4000, fineSpan: 8, tailSteps: 1000, horizon: 40 };

/** The scan grid for these inputs (ascending). */
export const scanGrid = (
  params: NeuronParams,
  inputTimes: ArrayLike<number>,
  options: ScanOptions = defaultScanOptions,
): Float64Array => {
  let first = Infinity;
  let last = -Infinity;
  for (let i = 0; i < inputTimes.length; i++) {
    const t = inputTimes[i];
    if (t === Infinity) continue;
    if (t < first) first = t;
    if (t > last) last = t;
  }
  if (first === Infinity) return new Float64Array(0);
  const unit = 1 / params.decayRate;
  const fineEnd = last + options.fineSpan * unit;
  const end = last + options.horizon * unit;
  const points: number[] = [];
  for (let k = 0; k <= options.steps; k++) points.push(first + ((fineEnd - first) * k) / options.steps);
  for (let k = 1; k <= options.tailSteps; k++) points.push(fineEnd + ((end - fineEnd) * k) / options.tailSteps);
  for (let i = 0; i < inputTimes.length; i++) if (inputTimes[i] !== Infinity) points.push(inputTimes[i]);
  return Float64Array.from(points).sort();
};

/** V at every grid point. */
export const scanPotential = (
  model: NeuronModel,
  params: NeuronParams,
  inputTimes: ArrayLike<number>,
  weights: ArrayLike<number>,
  grid: Float64Array,
): Float64Array => grid.map((t) => model.potential(params, inputTimes, weights, t));

/** Largest value at grid points strictly before `until` (−Infinity if none). */
export const maxBefore = (grid: Float64Array, values: Float64Array, until: number): number => {
  let m = -Infinity;
  for (let k = 0; k < grid.length && grid[k] < until; k++) if (values[k] > m) m = values[k];
  return m;
};

/**
 * Highest grid local maximum that the potential leaves again before `until`: values[k] ≥ both
 * neighbours, with grid[k + 1] < until (−Infinity if none). A rising edge into `until` is no peak.
 */
export const peakBefore = (grid: Float64Array, values: Float64Array, until: number): number => {
  let m = -Infinity;
  for (let k = 1; k + 1 < grid.length && grid[k + 1] < until; k++) {
    if (values[k] >= values[k - 1] && values[k] >= values[k + 1] && values[k] > m) m = values[k];
  }
  return m;
};

/** First grid time where V ≥ level, or Infinity. */
export const firstReaching = (grid: Float64Array, values: Float64Array, level: number): number => {
  for (let k = 0; k < grid.length; k++) if (values[k] >= level) return grid[k];
  return Infinity;
};

/**
 * The magnitude against which potential errors are measured: Σ_i |w_i · k_i(t)|, each kernel
 * k_i(t) obtained from `model.potential` with input i alone and weight 1.
 */
export const potentialMagnitude = (
  model: NeuronModel,
  params: NeuronParams,
  inputTimes: ArrayLike<number>,
  weights: ArrayLike<number>,
  t: number,
): number => {
  let m = 0;
  for (let i = 0; i < inputTimes.length; i++) {
    m += Math.abs(weights[i] * model.potential(params, [inputTimes[i]], [1], t));
  }
  return m;
};

/** Peak of a single unit-weight kernel, max over the scan of V for one input at time 0. */
export const kernelPeak = (model: NeuronModel, params: NeuronParams, options: ScanOptions = defaultScanOptions): number => {
  const grid = scanGrid(params, [0], options);
  return scanPotential(model, params, [0], [1], grid).reduce((a, b) => Math.max(a, b), -Infinity);
};

/** V'(t) by a central difference of `model.potential` with step h. */
export const potentialSlope = (
  model: NeuronModel,
  params: NeuronParams,
  inputTimes: ArrayLike<number>,
  weights: ArrayLike<number>,
  t: number,
  h: number,
): number =>
  (model.potential(params, inputTimes, weights, t + h) - model.potential(params, inputTimes, weights, t - h)) / (2 * h);

/**
 * The first time in [from, to] at which `model.potential` reaches θ — a fine grid of `steps`
 * points, then 80 bisection steps — or NO_SPIKE. It uses the potential only, never the model's
 * closed form, so tests can hold a spike time against it.
 */
export const firstCrossingByBisection = (
  model: NeuronModel,
  params: NeuronParams,
  inputTimes: ArrayLike<number>,
  weights: ArrayLike<number>,
  from: number,
  to: number,
  steps = 20000,
): number => {
  const reaches = (t: number) => model.potential(params, inputTimes, weights, t) >= params.threshold;
  let prev = from;
  for (let k = 1; k <= steps; k++) {
    const t = from + ((to - from) * k) / steps;
    if (reaches(t)) {
      let lo = prev;
      let hi = t;
      for (let j = 0; j < 80; j++) {
        const mid = (lo + hi) / 2;
        if (reaches(mid)) hi = mid;
        else lo = mid;
      }
      return hi;
    }
    prev = t;
  }
  return NO_SPIKE;
};
