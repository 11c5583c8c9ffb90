/**
 * The exported law suite of a {@link NeuronModel}: `neuronModelLaws(model, options)` returns named
 * fast-check laws that hold for every correct model (alpha, dual-exponential, yours). Each law is
 * data (id, name, description, arbitrary, predicate, property), so each runs in its own `it`.
 *
 * The reference is never the model's own closed form: spike times are checked against a fine
 * time-stepped scan of `model.potential` (laws/scan.ts), derivatives against central finite
 * differences of the spike time.
 *
 * Laws (ids):
 * 1. `thresholdCrossing`: V(t*) = θ within `potentialTolerance`·max(θ, Σ|w_i k_i(t*)|); on the scan
 *    grid V < θ(1 + thresholdMargin) before t*; a silent model's scan stays below θ(1 + margin).
 * 2. `causalSet`: causalCount = #{t_i < t*} (silent: #finite inputs); derivatives exactly 0 for
 *    inputs later than t* and for every input of a silent neuron; derivatives finite otherwise.
 * 3. `finiteDifferences`: ∂t*∂w_i and ∂t*∂t_i equal central differences of t*.
 * 4. `causality`: changing or adding inputs after t* leaves t*, the causal count and the causal
 *    derivatives unchanged, and gives the new inputs derivative 0.
 * 5. `timeShift`: shifting every input by Δ shifts t* by Δ and leaves the derivatives unchanged;
 *    Σ_i ∂t*∂t_i = 1.
 * 6. `scaleInvariance`: weights and θ times c > 0 leave t* and ∂t*∂t_i unchanged, and divide
 *    ∂t*∂w_i by c.
 * 7. `monotonicity` (only when `model.monotoneInWeights`): ∂t*∂w_i ≤ 0 for every causal input,
 *    and raising a weight never delays the spike.
 *
 * Exclusion rules (a value left out entirely is a fast-check skip, `fc.pre`, and counted; a part
 * of a law left out for some values is stated in that law's `description`):
 * - margin rule: with M the highest scan peak that the potential leaves again before t* (spiking;
 *   the rising edge into t* is no peak) or the whole-scan maximum (silent), a value with
 *   θ(1 − thresholdMargin) ≤ M < θ(1 + thresholdMargin) is skipped: there a grazing touch may or
 *   may not count as a crossing, within rounding;
 * - ill-conditioned crossings: when the slope V'(t*) (central difference of the potential) is
 *   below `minSlope`·θ·K the spike time is near-tangential, its rounding error grows like the
 *   square root of the potential's, and laws 3, 5, 6 skip the value;
 * - finite differences (law 3) also skip a value with any input within `tieMargin` of t*, or with
 *   such an earlier peak M above θ(1 − fdMargin) (a perturbation could create an earlier
 *   crossing); the time derivative of an input within `tieMargin` of another input is not
 *   compared (the perturbation would reorder a tie);
 * - changed and added inputs of law 4 lie at least `tieMargin` after t*.
 */
import fc from 'fast-check';
import { NO_SPIKE, type FiringResult, type NeuronModel, type NeuronParams, fire } from '../src/kernels/neuronModel.ts';
import { type NeuronCase, type NeuronCaseOptions, defaultNeuronCaseOptions, neuronCaseArbitrary } from './arbitraries.ts';
import { type Law, expectLaw, makeLaw } from './law.ts';
import { maxBefore, peakBefore, potentialMagnitude, potentialSlope, scanGrid, scanPotential } from './scan.ts';

export interface NeuronLawOptions {
  /** Case generation (see laws/arbitraries.ts). */
  readonly cases: Partial<NeuronCaseOptions>;
  /** Relative margin m around θ of the margin rule. Default 1e-6. */
  readonly thresholdMargin: number;
  /** Relative tolerance of V(t*) = θ, against max(θ, Σ|w_i k_i(t*)|). Default 1e-9. */
  readonly potentialTolerance: number;
  /** Absolute tolerance on spike times (laws 4, 5, 6, 7), in time units. Default 1e-9. */
  readonly timeTolerance: number;
  /** Inputs closer than this to t* or to each other count as ties (time units). Default 1e-4. */
  readonly tieMargin: number;
  /** Minimum relative slope V'(t*)/(θ K) of a well-conditioned crossing. Default 0.02. */
  readonly minSlope: number;
  /** Finite-difference step: fdStep·max(|w_i|, mean|w|) for weights, fdStep/K for times. Default 1e-7. */
  readonly fdStep: number;
  /** Law 3 skips a value with an earlier scan peak (before t*) above θ(1 − fdMargin). Default 1e-3. */
  readonly fdMargin: number;
  /**
   * Law 3 accepts |analytic − fd| ≤ gradientRelTolerance·max(|analytic|, |fd|) + gradientAbsTolerance·s,
   * with s = 1/(K·mean|w|) for ∂t*∂w and s = 1 for ∂t*∂t_i. Defaults 1e-4 and 1e-6.
   */
  readonly gradientRelTolerance: number;
  readonly gradientAbsTolerance: number;
  /** Relative tolerance when two analytic derivatives must agree (laws 4, 5, 6, 7). Default 1e-6. */
  readonly derivativeTolerance: number;
  /** Law 5 draws Δ uniformly in [−shiftRange, shiftRange]. Default 3. */
  readonly shiftRange: number;
  /** Law 6 draws c log-uniformly in this range. Default [1e-3, 1e3]. */
  readonly scaleRange: readonly [number, number];
}

export const defaultNeuronLawOptions: NeuronLawOptions = {
  cases: {},
  thresholdMargin: 1e-6,
  potentialTolerance: 1e-9,
  timeTolerance: 1e-9,
  tieMargin: 1e-4,
  minSlope: 0.02,
  fdStep: 1e-7,
  fdMargin: 1e-3,
  gradientRelTolerance: 1e-4,
  gradientAbsTolerance: 1e-6,
  derivativeTolerance: 1e-6,
  shiftRange: 3,
  scaleRange: [1e-3, 1e3],
};

/** What the laws know about one case: the model's firing and the independent scan. */
interface Analysis {
  readonly firing: FiringResult;
  readonly spikes: boolean;
  /** Scan maximum before t* (spiking) or over the whole scan (silent); −Infinity without inputs. */
  readonly scanMax: number;
  /**
   * Highest local maximum of the scan that the potential leaves again before t* (spiking; the
   * rising edge into t* is not a peak), or the whole-scan maximum (silent).
   */
  readonly earlierPeak: number;
  /** V'(t*)/(θ K) by central difference (0 when silent). */
  readonly relativeSlope: number;
  /** Some finite input lies within tieMargin of t*. */
  readonly inputNearSpike: boolean;
}

const fmt = (x: number): string => (Number.isFinite(x) ? x.toPrecision(17) : String(x));

const meanAbs = (xs: readonly number[]): number => {
  let s = 0;
  for (const x of xs) s += Math.abs(x);
  return xs.length === 0 ? 0 : s / xs.length;
};

const maxAbs = (xs: ArrayLike<number>): number => {
  let m = 0;
  for (let i = 0; i < xs.length; i++) m = Math.max(m, Math.abs(xs[i]));
  return m;
};

export const neuronModelLaws = (model: NeuronModel, options: Partial<NeuronLawOptions> = {}): Law[] => {
  const o: NeuronLawOptions = { ...defaultNeuronLawOptions, ...options };
  const caseOptions: NeuronCaseOptions = { ...defaultNeuronCaseOptions, ...o.cases };
  const cases = neuronCaseArbitrary(model, caseOptions);

  const fireCase = (params: NeuronParams, times: readonly number[], weights: readonly number[]) =>
    fire(model, params, times, weights);

  const analyse = (c: NeuronCase): Analysis => {
    const firing = fireCase(c.params, c.inputTimes, c.weights);
    const t = firing.spikeTime;
    const spikes = t !== NO_SPIKE;
    const grid = scanGrid(c.params, c.inputTimes, caseOptions.scan);
    const values = scanPotential(model, c.params, c.inputTimes, c.weights, grid);
    const scanMax = maxBefore(grid, values, spikes ? t : Infinity);
    const earlierPeak = spikes ? peakBefore(grid, values, t) : scanMax;
    let relativeSlope = 0;
    let inputNearSpike = false;
    if (spikes && Number.isFinite(t)) {
      const h = 1e-6 / c.params.decayRate;
      const slope = potentialSlope(model, c.params, c.inputTimes, c.weights, t, h);
      relativeSlope = slope / (c.params.threshold * c.params.decayRate);
      inputNearSpike = c.inputTimes.some((ti) => Math.abs(ti - t) < o.tieMargin);
    }
    return { firing, spikes, scanMax, earlierPeak, relativeSlope, inputNearSpike };
  };

  /** The margin rule: an earlier peak (silent: the scan maximum) is within thresholdMargin of θ. */
  const grazing = (a: Analysis, threshold: number): boolean =>
    a.earlierPeak >= threshold * (1 - o.thresholdMargin) && a.earlierPeak < threshold * (1 + o.thresholdMargin);

  /** Margin rule or ill-conditioned crossing: a perturbation of rounding size may change t*. */
  const fragile = (a: Analysis, threshold: number): boolean =>
    grazing(a, threshold) || (a.spikes && a.relativeSlope < o.minSlope);

  // Identical values pass even when not finite (the derivatives at an exactly tangential
  // crossing are infinite, and 0·∞ may make them NaN): "unchanged" means unchanged.
  const expectClose = (what: string, actual: number, expected: number, tol: number): void =>
    expectLaw(Object.is(actual, expected) || Math.abs(actual - expected) <= tol, () => `${what}: expected ${fmt(expected)}, got ${fmt(actual)} (tolerance ${tol})`);

  /** Derivative arrays a and b agree within derivativeTolerance relative to their largest entry. */
  const expectSameDerivatives = (what: string, a: ArrayLike<number>, b: ArrayLike<number>, count: number, factor = 1): void => {
    let scale = 0;
    for (let i = 0; i < count; i++) scale = Math.max(scale, Math.abs(a[i]), Math.abs(b[i] * factor));
    for (let i = 0; i < count; i++) {
      expectClose(`${what}[${i}]`, b[i] * factor, a[i], o.derivativeTolerance * scale);
    }
  };

  // 1 ------------------------------------------------------------------------------------------
  const thresholdCrossing = makeLaw(
    'thresholdCrossing',
    `${model.name}: the spike is the first threshold crossing of a time-stepped scan of the potential`,
    'V(t*) = θ within potentialTolerance; on the scan grid V < θ(1 + thresholdMargin) before t*; ' +
      'NO_SPIKE iff the whole scan stays below θ(1 + thresholdMargin). Margin rule applies.',
    cases,
    (c) => {
      const a = analyse(c);
      const theta = c.params.threshold;
      const t = a.firing.spikeTime;
      if (!a.spikes) {
        expectLaw(a.scanMax < theta * (1 + o.thresholdMargin), () =>
          `NO_SPIKE, but the scan of the potential reaches ${fmt(a.scanMax)} ≥ θ = ${fmt(theta)}`,
        );
        fc.pre(!grazing(a, theta));
        return true;
      }
      const firstInput = Math.min(...c.inputTimes);
      expectLaw(Number.isFinite(t) && t >= firstInput, () =>
        `spike time ${fmt(t)} must be finite and not before the first input ${fmt(firstInput)}`,
      );
      expectLaw(a.scanMax < theta * (1 + o.thresholdMargin), () =>
        `the scan reaches ${fmt(a.scanMax)} ≥ θ = ${fmt(theta)} before the spike time ${fmt(t)}`,
      );
      fc.pre(!grazing(a, theta));
      const v = model.potential(c.params, c.inputTimes, c.weights, t);
      const scale = Math.max(theta, potentialMagnitude(model, c.params, c.inputTimes, c.weights, t));
      expectClose(`V(t* = ${fmt(t)})`, v, theta, o.potentialTolerance * scale);
      return true;
    },
  );

  // 2 ------------------------------------------------------------------------------------------
  const causalSet = makeLaw(
    'causalSet',
    `${model.name}: causal count and zero derivatives follow the causal set`,
    'spiking: causalCount = #{t_i < t*} (not checked when an input lies within tieMargin of t*), ' +
      'derivatives exactly 0 for t_i > t*, finite for the others unless the crossing is ill-conditioned; ' +
      'silent: causalCount = #finite inputs and every derivative exactly 0. Exact, no tolerance.',
    cases,
    (c) => {
      const r = fireCase(c.params, c.inputTimes, c.weights);
      const t = r.spikeTime;
      const n = c.inputTimes.length;
      expectLaw(!Number.isNaN(t), () => 'spike time is NaN');
      if (t === NO_SPIKE) {
        const finite = c.inputTimes.filter((ti) => ti !== NO_SPIKE).length;
        expectLaw(r.causalCount === finite, () => `silent: causalCount ${r.causalCount}, expected ${finite} (#finite inputs)`);
        for (let i = 0; i < n; i++) {
          expectLaw(r.dSpikeTime_dWeight[i] === 0 && r.dSpikeTime_dInput[i] === 0, () =>
            `silent: derivatives of input ${i} must be 0, got ${fmt(r.dSpikeTime_dWeight[i])}, ${fmt(r.dSpikeTime_dInput[i])}`,
          );
        }
        return true;
      }
      const near = c.inputTimes.some((ti) => Math.abs(ti - t) < o.tieMargin);
      if (!near) {
        const causal = c.inputTimes.filter((ti) => ti < t).length;
        expectLaw(r.causalCount === causal, () => `causalCount ${r.causalCount}, expected ${causal} inputs before t* = ${fmt(t)}`);
      }
      const slope = potentialSlope(model, c.params, c.inputTimes, c.weights, t, 1e-6 / c.params.decayRate);
      const wellConditioned = slope >= o.minSlope * c.params.threshold * c.params.decayRate;
      for (let i = 0; i < n; i++) {
        const dw = r.dSpikeTime_dWeight[i];
        const dt = r.dSpikeTime_dInput[i];
        if (c.inputTimes[i] > t) {
          expectLaw(dw === 0 && dt === 0, () =>
            `input ${i} at ${fmt(c.inputTimes[i])} is after t* = ${fmt(t)}: derivatives must be 0, got ${fmt(dw)}, ${fmt(dt)}`,
          );
        } else if (wellConditioned) {
          expectLaw(Number.isFinite(dw) && Number.isFinite(dt), () => `derivatives of input ${i} not finite: ${dw}, ${dt}`);
        }
      }
      return true;
    },
  );

  // 3 ------------------------------------------------------------------------------------------
  const finiteDifferences = makeLaw(
    'finiteDifferences',
    `${model.name}: analytic ∂t*/∂w_i and ∂t*/∂t_i equal central finite differences`,
    'central differences of the model spike time with steps fdStep·max(|w_i|, mean|w|) and fdStep/K; ' +
      'tolerance gradientRelTolerance·max(|a|, |fd|) + gradientAbsTolerance·scale. Skips silent neurons, ' +
      'ill-conditioned crossings, inputs within tieMargin of t* and earlier near-crossings; no time ' +
      'derivative for inputs within tieMargin of another input.',
    cases,
    (c) => {
      const a = analyse(c);
      fc.pre(a.spikes);
      const theta = c.params.threshold;
      fc.pre(!a.inputNearSpike && a.relativeSlope >= o.minSlope && a.earlierPeak < theta * (1 - o.fdMargin));
      const K = c.params.decayRate;
      const n = c.inputTimes.length;
      const wUnit = meanAbs(c.weights);
      const times = [...c.inputTimes];
      const weights = [...c.weights];
      const spikeAt = (): number => {
        const t = fireCase(c.params, times, weights).spikeTime;
        expectLaw(t !== NO_SPIKE, () => 'a well-conditioned spike vanished under a finite-difference perturbation');
        return t;
      };
      const compare = (what: string, analytic: number, fd: number, scale: number): void => {
        const tol = o.gradientRelTolerance * Math.max(Math.abs(analytic), Math.abs(fd)) + o.gradientAbsTolerance * scale;
        expectLaw(Math.abs(analytic - fd) <= tol, () =>
          `${what}: analytic ${fmt(analytic)}, central difference ${fmt(fd)} (tolerance ${tol})`,
        );
      };
      for (let i = 0; i < n; i++) {
        const w = c.weights[i];
        const hw = o.fdStep * Math.max(Math.abs(w), wUnit);
        weights[i] = w + hw;
        const tPlus = spikeAt();
        weights[i] = w - hw;
        const tMinus = spikeAt();
        weights[i] = w;
        compare(`∂t*/∂w[${i}]`, a.firing.dSpikeTime_dWeight[i], (tPlus - tMinus) / (2 * hw), 1 / (K * wUnit));
        const ti = c.inputTimes[i];
        if (ti === NO_SPIKE || c.inputTimes.some((tj, j) => j !== i && Math.abs(tj - ti) < o.tieMargin)) continue;
        const ht = o.fdStep / K;
        times[i] = ti + ht;
        const sPlus = spikeAt();
        times[i] = ti - ht;
        const sMinus = spikeAt();
        times[i] = ti;
        compare(`∂t*/∂t[${i}]`, a.firing.dSpikeTime_dInput[i], (sPlus - sMinus) / (2 * ht), 1);
      }
      return true;
    },
  );

  // 4 ------------------------------------------------------------------------------------------
  const change = fc.record({
    weight: fc.double({ min: -3, max: 3, noNaN: true }),
    offset: fc.double({ min: 0, max: 1, noNaN: true }),
    silent: fc.boolean(),
  });
  const causality = makeLaw(
    'causality',
    `${model.name}: changing or adding inputs after t* leaves t* unchanged`,
    'inputs at or after t* + tieMargin get new weights and times in [t* + tieMargin, t* + tieMargin + 2/K] ' +
      '(or NO_SPIKE), and new inputs are added there; t* must move by at most timeTolerance, the causal ' +
      'count must not change, causal derivatives agree within derivativeTolerance, new ones are exactly 0. ' +
      'Skips silent neurons.',
    fc.record({
      case: cases,
      changes: fc.array(change, { maxLength: 8 }),
      added: fc.array(change, { minLength: 1, maxLength: 4 }),
    }),
    ({ case: c, changes, added }) => {
      const r = fireCase(c.params, c.inputTimes, c.weights);
      const t = r.spikeTime;
      fc.pre(t !== NO_SPIKE);
      const span = 2 / c.params.decayRate;
      const wUnit = meanAbs(c.weights);
      const times = [...c.inputTimes];
      const weights = [...c.weights];
      const later = (ch: { weight: number; offset: number; silent: boolean }): [number, number] => [
        ch.silent ? NO_SPIKE : t + o.tieMargin + ch.offset * span,
        ch.weight * wUnit,
      ];
      let k = 0;
      for (let i = 0; i < times.length && k < changes.length; i++) {
        if (times[i] >= t + o.tieMargin) [times[i], weights[i]] = later(changes[k++]);
      }
      for (const ch of added) {
        const [ti, wi] = later(ch);
        times.push(ti);
        weights.push(wi);
      }
      const r2 = fireCase(c.params, times, weights);
      expectClose('spike time after changing later inputs', r2.spikeTime, t, o.timeTolerance);
      expectLaw(r2.causalCount === r.causalCount, () => `causalCount changed from ${r.causalCount} to ${r2.causalCount}`);
      const n = c.inputTimes.length;
      const before = (d: Float64Array) => Float64Array.from({ length: n }, (_, i) => (c.inputTimes[i] < t ? d[i] : 0));
      expectSameDerivatives('∂t*/∂w (causal inputs)', before(r.dSpikeTime_dWeight), before(r2.dSpikeTime_dWeight), n);
      expectSameDerivatives('∂t*/∂t (causal inputs)', before(r.dSpikeTime_dInput), before(r2.dSpikeTime_dInput), n);
      for (let i = n; i < times.length; i++) {
        expectLaw(r2.dSpikeTime_dWeight[i] === 0 && r2.dSpikeTime_dInput[i] === 0, () =>
          `added input ${i} at ${fmt(times[i])} (after t*) must have derivatives 0`,
        );
      }
      return true;
    },
  );

  // 5 ------------------------------------------------------------------------------------------
  const timeShift = makeLaw(
    'timeShift',
    `${model.name}: shifting all inputs by Δ shifts t* by Δ, and Σ ∂t*/∂t_i = 1`,
    'Δ uniform in [−shiftRange, shiftRange]; |t*(t + Δ) − (t* + Δ)| ≤ timeTolerance, derivatives agree within ' +
      'derivativeTolerance, silent stays silent; |Σ ∂t*/∂t_i − 1| ≤ derivativeTolerance·max(1, Σ|∂t*/∂t_i|) ' +
      '(not checked when an input lies within tieMargin of t*). Skips the margin rule and ill-conditioned crossings.',
    fc.record({ case: cases, delta: fc.double({ min: -o.shiftRange, max: o.shiftRange, noNaN: true }) }),
    ({ case: c, delta }) => {
      const a = analyse(c);
      fc.pre(!fragile(a, c.params.threshold));
      const shifted = c.inputTimes.map((ti) => ti + delta);
      const r = a.firing;
      const r2 = fireCase(c.params, shifted, c.weights);
      if (!a.spikes) {
        expectLaw(r2.spikeTime === NO_SPIKE, () => `silent neuron spikes at ${fmt(r2.spikeTime)} after a shift by ${fmt(delta)}`);
        return true;
      }
      expectClose(`spike time after a shift by ${fmt(delta)}`, r2.spikeTime, r.spikeTime + delta, o.timeTolerance);
      const n = c.inputTimes.length;
      expectSameDerivatives('∂t*/∂w after the shift', r.dSpikeTime_dWeight, r2.dSpikeTime_dWeight, n);
      expectSameDerivatives('∂t*/∂t after the shift', r.dSpikeTime_dInput, r2.dSpikeTime_dInput, n);
      if (!a.inputNearSpike) {
        let sum = 0;
        let sumAbs = 0;
        for (let i = 0; i < n; i++) {
          sum += r.dSpikeTime_dInput[i];
          sumAbs += Math.abs(r.dSpikeTime_dInput[i]);
        }
        expectClose('Σ ∂t*/∂t_i', sum, 1, o.derivativeTolerance * Math.max(1, sumAbs));
      }
      return true;
    },
  );

  // 6 ------------------------------------------------------------------------------------------
  const [cLo, cHi] = o.scaleRange;
  const scaleInvariance = makeLaw(
    'scaleInvariance',
    `${model.name}: scaling weights and θ by c > 0 leaves t* unchanged`,
    'c log-uniform in scaleRange; |t*(c) − t*| ≤ timeTolerance, ∂t*/∂t_i unchanged and c·∂t*/∂w_i(c) = ∂t*/∂w_i ' +
      'within derivativeTolerance, silent stays silent. Skips the margin rule and ill-conditioned crossings.',
    fc.record({ case: cases, logScale: fc.double({ min: Math.log10(cLo), max: Math.log10(cHi), noNaN: true }) }),
    ({ case: c, logScale }) => {
      const a = analyse(c);
      fc.pre(!fragile(a, c.params.threshold));
      const s = 10 ** logScale;
      const params = { decayRate: c.params.decayRate, threshold: c.params.threshold * s };
      const r = a.firing;
      const r2 = fireCase(params, c.inputTimes, c.weights.map((w) => w * s));
      if (!a.spikes) {
        expectLaw(r2.spikeTime === NO_SPIKE, () => `silent neuron spikes at ${fmt(r2.spikeTime)} after scaling by ${fmt(s)}`);
        return true;
      }
      expectClose(`spike time after scaling by ${fmt(s)}`, r2.spikeTime, r.spikeTime, o.timeTolerance);
      const n = c.inputTimes.length;
      expectSameDerivatives('c·∂t*/∂w after scaling', r.dSpikeTime_dWeight, r2.dSpikeTime_dWeight, n, s);
      expectSameDerivatives('∂t*/∂t after scaling', r.dSpikeTime_dInput, r2.dSpikeTime_dInput, n);
      return true;
    },
  );

  // 7 ------------------------------------------------------------------------------------------
  const monotonicity = makeLaw(
    'monotonicity',
    `${model.name}: more weight never delays the spike (∂t*/∂w_i ≤ 0)`,
    '∂t*/∂w_i ≤ derivativeTolerance·max|∂t*/∂w| for every input with t_i < t*; raising one weight by ' +
      'bump·mean|w| (bump in [0.01, 1]) gives a spike no later than t* + timeTolerance (not checked for ' +
      'ill-conditioned crossings; a silent neuron may start to spike).',
    fc.record({ case: cases, pick: fc.nat(), bump: fc.double({ min: 0.01, max: 1, noNaN: true }) }),
    ({ case: c, pick, bump }) => {
      const r = fireCase(c.params, c.inputTimes, c.weights);
      const t = r.spikeTime;
      if (t === NO_SPIKE) return true;
      const n = c.inputTimes.length;
      const tol = o.derivativeTolerance * maxAbs(r.dSpikeTime_dWeight);
      for (let i = 0; i < n; i++) {
        if (c.inputTimes[i] < t) {
          expectLaw(r.dSpikeTime_dWeight[i] <= tol, () =>
            `∂t*/∂w[${i}] = ${fmt(r.dSpikeTime_dWeight[i])} > 0 for a causal input (t_i = ${fmt(c.inputTimes[i])} < t* = ${fmt(t)})`,
          );
        }
      }
      const slope = potentialSlope(model, c.params, c.inputTimes, c.weights, t, 1e-6 / c.params.decayRate);
      if (slope < o.minSlope * c.params.threshold * c.params.decayRate) return true;
      const j = pick % n;
      const weights = [...c.weights];
      weights[j] += bump * meanAbs(c.weights);
      const t2 = fireCase(c.params, c.inputTimes, weights).spikeTime;
      expectLaw(t2 <= t + o.timeTolerance, () =>
        `raising weight ${j} by ${fmt(bump * meanAbs(c.weights))} delayed the spike from ${fmt(t)} to ${fmt(t2)}`,
      );
      return true;
    },
  );

  const laws: Law[] = [thresholdCrossing, causalSet, finiteDifferences, causality, timeShift, scaleInvariance];
  if (model.monotoneInWeights) laws.push(monotonicity);
  return laws;
};

/** The law ids, in the order neuronModelLaws returns them. */
export const NEURON_LAW_IDS = [
  'thresholdCrossing',
  'causalSet',
  'finiteDifferences',
  'causality',
  'timeShift',
  'scaleInvariance',
  'monotonicity',
] as const;

export type NeuronLawId = (typeof NEURON_LAW_IDS)[number];
