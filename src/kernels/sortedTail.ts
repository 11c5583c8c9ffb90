/**
 * Pieces of a layer's input sort shared by the whole sort (`layer.ts`) and the one in two parts
 * (`presort.ts`): the sorted inputs' times, e^(K t) and θ e^(K t) gathered in their order; and the
 * end, where the inputs that never spike, and the sentinel at nIn, get +∞ ones (their values are
 * never combined with a weight, only compared or bounded).
 */
import type { SortedInputs } from './alpha.ts';

/**
 * time[i], exp[i], threshExp[i] = t, e^(K t), θ e^(K t) of input order[i], t = times[order[i]],
 * for i < n.
 */
export const gatherSorted = (
  time: Float64Array, exp: Float64Array, threshExp: Float64Array, order: Int32Array, times: Float64Array,
  n: number, decayRate: number, threshold: number,
): void => { // prettier-ignore
  for (let i = 0; i < n; i++) {
    const t = times[order[i]];
    time[i] = t;
    const e = Math.exp(decayRate * t);
    exp[i] = e;
    threshExp[i] = threshold * e;
  }
};

/** Closes `sorted` after its first `nFinite` inputs (of nIn) and records that count. */
export const closeSorted = (sorted: SortedInputs, nFinite: number, nIn: number): void => {
  sorted.time.fill(Infinity, nFinite, nIn + 1);
  sorted.exp.fill(Infinity, nFinite, nIn + 1);
  sorted.threshExp.fill(Infinity, nFinite, nIn + 1);
  sorted.index[nIn] = 0;
  sorted.nFinite = nFinite;
};
