/**
 * Arbitraries for the law suites. They deliberately produce the awkward cases:
 * - ties: an input may copy the time of an earlier input exactly;
 * - NO_SPIKE inputs (time = Infinity), including neurons whose inputs never spike at all;
 * - inhibitory (negative) and zero weights;
 * - near-threshold cases: about two cases in three are rescaled so that the scan maximum of the
 *   potential is θ(1 + ε), with |ε| log-uniform in [1e-4, 0.05], positive three times in four (a
 *   near-tangential crossing) and otherwise negative (a near miss), and now and then ε = 0 exactly (a grazing touch, which the laws'
 *   margin rule must exclude).
 * Weights are drawn in units of θ/κ, with κ the peak of the model's own unit kernel (measured by a
 * scan of `model.potential`), so the same arbitrary suits models of any kernel scale.
 */
import fc from 'fast-check';
import { LAMBERT_W_BRANCH_POINT } from '../src/kernels/lambertW.ts';
import { NO_SPIKE, type NeuronModel, type NeuronParams } from '../src/kernels/neuronModel.ts';
import { type ScanOptions, defaultScanOptions, kernelPeak, scanGrid, scanPotential } from './scan.ts';

/** One neuron's inputs: times (NO_SPIKE = Infinity allowed) and weights, in the caller's order. */
export interface NeuronCase {
  readonly params: NeuronParams;
  readonly inputTimes: readonly number[];
  readonly weights: readonly number[];
}

export interface NeuronCaseOptions {
  readonly minInputs: number;
  readonly maxInputs: number;
  /** Range of the decay rate K. Default [0.5, 2.5]. */
  readonly decayRate: readonly [number, number];
  /** Range of the threshold θ. Default [0.1, 1.5]. */
  readonly threshold: readonly [number, number];
  /** Range of finite input times. Default [0, 1]. */
  readonly timeRange: readonly [number, number];
  /** Relative frequencies of a fresh time, a tie with an earlier input, and NO_SPIKE. */
  readonly timeKinds: { readonly fresh: number; readonly tie: number; readonly noSpike: number };
  /** Relative frequencies of excitatory, inhibitory and zero weights. */
  readonly weightKinds: { readonly excitatory: number; readonly inhibitory: number; readonly zero: number };
  /** Relative frequency of near-threshold rescaling (versus raw weights). */
  readonly nearThreshold: number;
  readonly raw: number;
  readonly scan: ScanOptions;
}

export const defaultNeuronCaseOptions: NeuronCaseOptions = {
  minInputs: 1,
  maxInputs: 8,
  decayRate: [0.5, 2.5],
  threshold: [0.1, 1.5],
  timeRange: [0, 1],
  timeKinds: { fresh: 6, tie: 2, noSpike: 1 },
  weightKinds: { excitatory: 8, inhibitory: 2, zero: 1 },
  nearThreshold: 2,
  raw: 1,
  scan: defaultScanOptions,
};

/** Near-threshold rescaling factors outside [1/50, 50] are not applied (the weights stay raw). */
const maxRescale = 50;

type TimeKind = 'fresh' | 'tie' | 'none';

interface Slot {
  readonly kind: TimeKind;
  readonly time: number;
  readonly ref: number;
  readonly weight: number;
}

const STEPS = 2 ** 53;

/**
 * Uniform in value on [lo, hi]. (fc.double draws uniformly over the doubles of the range, which
 * piles almost every value near 0, and biases towards the ends.) Shrinks towards lo.
 */
export const uniformDouble = (lo: number, hi: number): fc.Arbitrary<number> =>
  fc.noBias(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER })).map((k) => Math.min(hi, lo + ((hi - lo) * k) / STEPS));

/** 10^U(lo, hi): log-uniform on [10^lo, 10^hi]. */
export const logUniform = (lo: number, hi: number): fc.Arbitrary<number> => uniformDouble(lo, hi).map((e) => 10 ** e);

const range = (r: readonly [number, number]) => uniformDouble(r[0], r[1]);

/** ε for the near-threshold rescaling: ±10^U(−4, −1.3) (+ three times in four), or exactly 0. */
const magnitude = logUniform(-4, -1.3);
const epsilonArbitrary = fc.oneof(
  { weight: 9, arbitrary: magnitude },
  { weight: 3, arbitrary: magnitude.map((m) => -m) },
  { weight: 1, arbitrary: fc.constant(0) },
);

/** Random neurons for `model` (see the module comment for what they contain). */
export const neuronCaseArbitrary = (
  model: NeuronModel,
  options: Partial<NeuronCaseOptions> = {},
): fc.Arbitrary<NeuronCase> => {
  const o: NeuronCaseOptions = { ...defaultNeuronCaseOptions, ...options };
  const kind = fc.oneof(
    { weight: o.timeKinds.fresh, arbitrary: fc.constant<TimeKind>('fresh') },
    { weight: o.timeKinds.tie, arbitrary: fc.constant<TimeKind>('tie') },
    { weight: o.timeKinds.noSpike, arbitrary: fc.constant<TimeKind>('none') },
  );
  const weight = fc.oneof(
    { weight: o.weightKinds.excitatory, arbitrary: uniformDouble(0.05, 4) },
    { weight: o.weightKinds.inhibitory, arbitrary: uniformDouble(-3, -0.05) },
    { weight: o.weightKinds.zero, arbitrary: fc.constant(0) },
  );
  const slot: fc.Arbitrary<Slot> = fc.record({ kind, time: range(o.timeRange), ref: fc.nat(), weight });
  const mode = fc.oneof(
    { weight: o.raw, arbitrary: fc.constant(null) },
    { weight: o.nearThreshold, arbitrary: epsilonArbitrary },
  );
  return fc
    .record({
      decayRate: range(o.decayRate),
      threshold: range(o.threshold),
      slots: fc.array(slot, { minLength: o.minInputs, maxLength: o.maxInputs }),
      epsilon: mode,
    })
    .map(({ decayRate, threshold, slots, epsilon }) => {
      const params: NeuronParams = { decayRate, threshold };
      const inputTimes: number[] = [];
      for (let i = 0; i < slots.length; i++) {
        const s = slots[i];
        inputTimes.push(
          s.kind === 'none' ? NO_SPIKE : s.kind === 'tie' && i > 0 ? inputTimes[s.ref % i] : s.time,
        );
      }
      const peak = kernelPeak(model, params, o.scan);
      const unit = peak > 0 ? threshold / peak : 1;
      let weights = slots.map((s) => s.weight * unit);
      if (epsilon !== null) {
        const grid = scanGrid(params, inputTimes, o.scan);
        const max = scanPotential(model, params, inputTimes, weights, grid).reduce((a, b) => Math.max(a, b), 0);
        const c = (threshold * (1 + epsilon)) / max;
        // Rescale moderately only: a huge factor would turn cancelling weights into a case
        // dominated by rounding error.
        if (max > 0 && c <= maxRescale && c >= 1 / maxRescale) weights = weights.map((w) => w * c);
      }
      return { params, inputTimes, weights };
    });
};

/**
 * Arguments of Lambert W0 on its whole domain [−1/e, 1e308], with emphasis near the branch
 * point: −1/e + 10^U(−17, 0) (rounded to a double ≥ the branch point), the branch point itself,
 * uniform on [−1/e, 0] and [0, 10], log-uniform on [1e-300, 1e308], and 0, 1, e, the largest double.
 */
export const lambertWArgumentArbitrary: fc.Arbitrary<number> = fc.oneof(
  {
    weight: 4,
    arbitrary: logUniform(-17, 0).map((d) => LAMBERT_W_BRANCH_POINT + d),
  },
  { weight: 1, arbitrary: fc.constant(LAMBERT_W_BRANCH_POINT) },
  { weight: 2, arbitrary: uniformDouble(LAMBERT_W_BRANCH_POINT, 0) },
  { weight: 2, arbitrary: uniformDouble(0, 10) },
  { weight: 2, arbitrary: logUniform(-300, 308) },
  { weight: 1, arbitrary: fc.constantFrom(0, 1, Math.E, 1.7976931348623157e308) },
);
