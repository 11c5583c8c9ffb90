/**
 * Deliberately broken neuron models (and Lambert W functions), each wrapping a correct one with
 * one realistic mistake. Every law suite must fail on them: a suite that passes a broken model
 * proves nothing. Each entry names the laws expected to catch its break (`caughtBy`); the tests
 * assert that every one of those laws fails.
 *
 * A wrapper keeps the inner model's `potential` (the laws' independent reference) and corrupts
 * only what `fireSortedInto` reports (sorted order, as the contract defines).
 */
import { lambertW0 } from '../src/kernels/lambertW.ts';
import { NO_SPIKE, type NeuronFiring, type NeuronModel, type NeuronParams } from '../src/kernels/neuronModel.ts';
import type { NeuronLawId } from './neuronModelLaws.ts';

export interface BrokenModel {
  readonly name: string;
  /** What is wrong, in words. */
  readonly break: string;
  readonly model: NeuronModel;
  /** The laws that must fail on this model. */
  readonly caughtBy: readonly NeuronLawId[];
}

type Corruption = (
  out: NeuronFiring,
  params: NeuronParams,
  sortedTimes: ArrayLike<number>,
  sortedWeights: ArrayLike<number>,
  n: number,
) => void;

const corrupt = (inner: NeuronModel, name: string, after: Corruption): NeuronModel => ({
  name: `${inner.name}/${name}`,
  monotoneInWeights: inner.monotoneInWeights,
  potential: inner.potential,
  fireSortedInto: (out, params, sortedTimes, sortedWeights, n) => {
    inner.fireSortedInto(out, params, sortedTimes, sortedWeights, n);
    after(out, params, sortedTimes, sortedWeights, n);
    return out;
  },
});

/** The broken variants of `inner` (see each `break`). */
export const brokenModels = (inner: NeuronModel): BrokenModel[] => [
  {
    name: 'flippedWeightDerivative',
    break: '∂t*/∂w_i with the wrong sign',
    model: corrupt(inner, 'flippedWeightDerivative', (out, _p, _t, _w, n) => {
      for (let i = 0; i < n; i++) out.dSpikeTime_dWeight[i] = -out.dSpikeTime_dWeight[i];
    }),
    caughtBy: ['finiteDifferences', 'monotonicity'],
  },
  {
    name: 'dropsLastCausalInput',
    break: 'causal set off by one: the last causal input is left out of the count and the derivatives',
    model: corrupt(inner, 'dropsLastCausalInput', (out) => {
      if (out.spikeTime === NO_SPIKE || out.causalCount === 0) return;
      const last = out.causalCount - 1;
      out.causalCount = last;
      out.dSpikeTime_dWeight[last] = 0;
      out.dSpikeTime_dInput[last] = 0;
    }),
    caughtBy: ['causalSet', 'finiteDifferences', 'timeShift'],
  },
  {
    name: 'swappedDerivatives',
    break: 'the derivatives of the first two inputs (in time order) are swapped',
    model: corrupt(inner, 'swappedDerivatives', (out, _p, _t, _w, n) => {
      if (n < 2) return;
      const { dSpikeTime_dWeight: dw, dSpikeTime_dInput: dt } = out;
      [dw[0], dw[1]] = [dw[1], dw[0]];
      [dt[0], dt[1]] = [dt[1], dt[0]];
    }),
    caughtBy: ['finiteDifferences'],
  },
  {
    name: 'lateSpike',
    break: 'the spike time is reported 1e-3/K too late',
    model: corrupt(inner, 'lateSpike', (out, params) => {
      if (out.spikeTime !== NO_SPIKE) out.spikeTime += 1e-3 / params.decayRate;
    }),
    caughtBy: ['thresholdCrossing'],
  },
  {
    name: 'peeksAtFutureInputs',
    break: 'the spike time depends (by 1e-6/K per input) on inputs later than the spike',
    model: corrupt(inner, 'peeksAtFutureInputs', (out, params, sortedTimes, _w, n) => {
      if (out.spikeTime === NO_SPIKE) return;
      let later = 0;
      for (let i = out.causalCount; i < n; i++) if (sortedTimes[i] !== NO_SPIKE) later++;
      out.spikeTime += (1e-6 * later) / params.decayRate;
    }),
    caughtBy: ['causality'],
  },
  {
    name: 'clampsNegativeTimes',
    break: 'input times before 0 are treated as 0 (breaks time-shift equivariance)',
    model: {
      name: `${inner.name}/clampsNegativeTimes`,
      monotoneInWeights: inner.monotoneInWeights,
      potential: inner.potential,
      fireSortedInto: (out, params, sortedTimes, sortedWeights, n) =>
        inner.fireSortedInto(out, params, Float64Array.from({ length: n }, (_, i) => Math.max(0, sortedTimes[i])), sortedWeights, n),
    },
    caughtBy: ['timeShift'],
  },
  {
    name: 'absoluteThresholdOffset',
    break: 'the threshold is θ + 0.01 (an absolute offset: breaks scale invariance)',
    model: {
      name: `${inner.name}/absoluteThresholdOffset`,
      monotoneInWeights: inner.monotoneInWeights,
      potential: inner.potential,
      fireSortedInto: (out, params, sortedTimes, sortedWeights, n) =>
        inner.fireSortedInto(out, { decayRate: params.decayRate, threshold: params.threshold + 0.01 }, sortedTimes, sortedWeights, n),
    },
    caughtBy: ['thresholdCrossing', 'scaleInvariance'],
  },
];

export interface BrokenLambertW {
  readonly name: string;
  readonly break: string;
  readonly w0: (x: number) => number;
  /** Ids of the Lambert W laws that must fail. */
  readonly caughtBy: readonly ('inverse' | 'range' | 'derivative')[];
}

/** Broken Lambert W0 functions, to show that `lambertWLaws` can fail. */
export const brokenLambertWs: BrokenLambertW[] = [
  {
    name: 'startingGuessOnly',
    break: "Winitzki's starting guess only (about 2 % off), no refinement",
    w0: (x) => {
      if (x <= 0) return lambertW0(x);
      const l = Math.log1p(x);
      return l * (1 - Math.log1p(l) / (2 + l));
    },
    caughtBy: ['inverse', 'derivative'],
  },
  {
    name: 'lowerBranchNearBranchPoint',
    break: 'near the branch point returns −2 − W0(x), below −1 like the lower branch W−1',
    w0: (x) => (x < -0.3 ? -2 - lambertW0(x) : lambertW0(x)),
    caughtBy: ['range', 'inverse'],
  },
  {
    name: 'relativeBias',
    break: 'a relative error of 1e-9 everywhere',
    w0: (x) => lambertW0(x) * (1 + 1e-9),
    caughtBy: ['inverse', 'range'], // range: W(−1/e) = −1 − 1e-9
  },
];
