/**
 * The end of a layer's input sort, shared by the whole sort (`layer.ts`) and the merged one
 * (`presort.ts`): the inputs that never spike, and the sentinel at nIn, get +∞ times, e^(K t) and
 * θ e^(K t) (their values are never combined with a weight, only compared or bounded).
 */
import type { SortedInputs } from './alpha.ts';

/** Closes `sorted` after its first `nFinite` inputs (of nIn) and records that count. */
export const closeSorted = (sorted: SortedInputs, nFinite: number, nIn: number): void => {
  sorted.time.fill(Infinity, nFinite, nIn + 1);
  sorted.exp.fill(Infinity, nFinite, nIn + 1);
  sorted.threshExp.fill(Infinity, nFinite, nIn + 1);
  sorted.index[nIn] = 0;
  sorted.nFinite = nFinite;
};
