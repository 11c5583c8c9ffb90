/**
 * Stable argsort of `keys[0..n)` ascending into `out`, using `scratch` (length ≥ n) as workspace.
 * Allocation-free. +∞ keys ("never spikes", often most of a layer's inputs) are partitioned to the
 * end first, in index order; the finite keys are then merge-sorted (bottom-up, insertion-sorted
 * runs of 16). Equal keys keep their original order, exactly like a stable sort of
 * (key, index) pairs. NaN keys are not allowed (callers validate at the boundary).
 * Returns the number of finite keys.
 */
export const argsortStable = (
  out: Int32Array,
  keys: Float64Array,
  n: number,
  scratch: Int32Array,
): number => {
  let finite = 0;
  let infinite = 0;
  for (let i = 0; i < n; i++) {
    if (keys[i] === Infinity) scratch[infinite++] = i;
    else out[finite++] = i;
  }
  for (let i = 0; i < infinite; i++) out[finite + i] = scratch[i];
  sortIndexPrefix(out, keys, finite, scratch);
  return finite;
};

/** Stable merge sort of the indices out[0..n) by their keys. */
const sortIndexPrefix = (out: Int32Array, keys: Float64Array, n: number, scratch: Int32Array): void => {
  const RUN = 16;
  // insertion sort of each run
  for (let start = 0; start < n; start += RUN) {
    const end = Math.min(start + RUN, n);
    for (let i = start + 1; i < end; i++) {
      const idx = out[i];
      const key = keys[idx];
      let j = i - 1;
      while (j >= start && keys[out[j]] > key) {
        out[j + 1] = out[j];
        j--;
      }
      out[j + 1] = idx;
    }
  }
  let src = out;
  let dst = scratch;
  for (let width = RUN; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let i = lo;
      let j = mid;
      let k = lo;
      if (mid >= hi || keys[src[mid - 1]] <= keys[src[mid]]) {
        // already ordered: copy through
        for (; i < hi; i++) dst[k++] = src[i];
        continue;
      }
      while (i < mid && j < hi) {
        // take from the left on ties: stability
        if (keys[src[j]] < keys[src[i]]) dst[k++] = src[j++];
        else dst[k++] = src[i++];
      }
      while (i < mid) dst[k++] = src[i++];
      while (j < hi) dst[k++] = src[j++];
    }
    const t = src;
    src = dst;
    dst = t;
  }
  if (src !== out) for (let i = 0; i < n; i++) out[i] = src[i];
};
