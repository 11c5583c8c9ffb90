/**
 * A layer's input sort in two parts, for a layer whose first inputs are fixed per example (the
 * first layer: an image's spike times) and whose last ones change with training (its
 * synchronisation pulses): {@link presortInputs} sorts the fixed part once, at any time before it
 * is needed (a thread of parallel training does it while it would otherwise wait); then
 * {@link sortLayerInputsMerged} merges in the pulses. The tape is left exactly as
 * `sortLayerInputs` leaves it (the same stable order, the same e^(K t) and θ e^(K t)), which a
 * law holds bit for bit (test/kernels/presort.test.ts).
 *
 * ## Example
 * ```ts
 * const pre = allocPresortedInputs(3);
 * presortInputs(pre, new Float64Array([0.3, Infinity, 0.1]), 1, 0.5);
 * const tape = allocLayerTape(4, 1);
 * tape.inputTimes[3] = 0.2; // the pulse (the first 3 inputs are not read)
 * sortLayerInputsMerged(tape, pre, 1, 0.5); // tape.sorted.index: 2, 3, 0, 1
 * ```
 */
import { argsortStable } from './argsort.ts';
import type { LayerTape } from './layer.ts';
import { closeSorted, gatherSorted } from './sortedTail.ts';

/** The fixed inputs of one example in time order, with their e^(K t) and θ e^(K t). */
export interface PresortedInputs {
  /** How many inputs the fixed part has. */
  readonly nData: number;
  /** The stable order: the finite inputs by time, then the others in input order. */
  readonly index: Int32Array;
  /** Time, e^(K t) and θ e^(K t) of the finite ones, in that order. */
  readonly time: Float64Array;
  readonly exp: Float64Array;
  readonly threshExp: Float64Array;
  nFinite: number;
  readonly scratch: Int32Array;
}

export const allocPresortedInputs = (nData: number): PresortedInputs => ({
  nData,
  index: new Int32Array(nData),
  time: new Float64Array(nData),
  exp: new Float64Array(nData),
  threshExp: new Float64Array(nData),
  nFinite: 0,
  scratch: new Int32Array(nData),
});

/**
 * Sorts the fixed part `times` (nData values) into `pre`. Returns false, leaving `pre` unusable
 * (`nFinite` −1, which the merge declines), when a time is NaN (the whole sort orders NaN by its
 * bits, which the merge does not follow).
 */
export const presortInputs = (pre: PresortedInputs, times: Float64Array, decayRate: number, threshold: number): boolean => {
  const n = pre.nData;
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(times[i])) {
      pre.nFinite = -1;
      return false;
    }
  }
  const nFinite = argsortStable(pre.index, times, n, pre.scratch);
  gatherSorted(pre.time, pre.exp, pre.threshExp, pre.index, times, nFinite, decayRate, threshold);
  pre.nFinite = nFinite;
  return true;
};

/**
 * `sortLayerInputs` of a tape whose first `pre.nData` inputs are the ones `pre` holds sorted: only
 * the others (`tape.inputTimes` from nData on, the pulses) are read there and sorted, then merged
 * in: at equal times an input of the fixed part comes first (a lower input index), −0 and +0 being
 * equal, as in the whole sort. Returns false, writing nothing, when a pulse time is NaN or `pre` is
 * unusable (then run `sortLayerInputs` on the whole input).
 */
export const sortLayerInputsMerged = (tape: LayerTape, pre: PresortedInputs, decayRate: number, threshold: number): boolean => {
  if (pre.nFinite < 0) return false;
  const { nIn, inputTimes, sorted } = tape;
  const nData = pre.nData;
  const nPulses = nIn - nData;
  // the pulses' order by (time, index): an insertion sort (a few dozen at most), in the scratch
  const order = tape.sortScratch;
  let nFinitePulses = 0;
  let nInfinite = 0;
  for (let q = 0; q < nPulses; q++) {
    const t = inputTimes[nData + q];
    if (Number.isNaN(t)) return false;
    if (t === Infinity) {
      nInfinite++;
      continue;
    }
    let at = nFinitePulses++;
    while (at > 0 && inputTimes[order[at - 1]] > t) {
      order[at] = order[at - 1];
      at--;
    }
    order[at] = nData + q;
  }
  const { index, time, exp, threshExp } = sorted;
  let i = 0;
  let j = 0;
  let out = 0;
  while (i < pre.nFinite || j < nFinitePulses) {
    if (j >= nFinitePulses || (i < pre.nFinite && pre.time[i] <= inputTimes[order[j]])) {
      index[out] = pre.index[i];
      time[out] = pre.time[i];
      exp[out] = pre.exp[i];
      threshExp[out] = pre.threshExp[i];
      i++;
    } else {
      const k = order[j++];
      const t = inputTimes[k];
      index[out] = k;
      time[out] = t;
      const e = Math.exp(decayRate * t);
      exp[out] = e;
      threshExp[out] = threshold * e;
    }
    out++;
  }
  const nFinite = out;
  // the inputs that never spike, in input order: the fixed part's, then the pulses'
  for (let r = pre.nFinite; r < nData; r++) index[out++] = pre.index[r];
  if (nInfinite > 0) for (let q = 0; q < nPulses; q++) if (inputTimes[nData + q] === Infinity) index[out++] = nData + q;
  closeSorted(sorted, nFinite, nIn);
  return true;
};
