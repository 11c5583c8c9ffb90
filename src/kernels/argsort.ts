/**
 * Stable argsort of `keys[0..n)` ascending into `out`, using `scratch` (length ≥ n) as workspace.
 * Allocation-free once warm (the radix sort's buffers are module-level, grown to the largest n
 * seen). +∞ keys ("never spikes", often most of a layer's inputs) are partitioned to the end
 * first, in index order. The finite keys are then sorted: fewer than 64 by a merge sort
 * (bottom-up, insertion-sorted runs of 16); more by a least-significant-digit radix sort on the
 * high word of each double (sign, exponent and the top 20 bits of the mantissa, mapped to an
 * unsigned order), a byte at a time, skipping the bytes that every key shares, then an insertion
 * pass that orders the keys whose high words tie by their full value (on image inputs there are
 * none, or a few). Equal keys keep their original order, exactly like a stable sort of
 * (key, index) pairs. NaN keys are not allowed (callers validate at the boundary).
 * Returns the number of finite keys.
 *
 * (An MNIST image's 794 inputs, about 152 of them finite: the merge sort took 10.2 µs, the radix
 * sort 7.4; inference over 2000 images, 4 pairs of separate processes: 12 100 → 12 500 img/s.)
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
  if (finite < RADIX_MIN) sortIndexPrefix(out, keys, finite, scratch);
  else radixSortPrefix(out, keys, finite, scratch);
  return finite;
};

/** From this many finite keys on, the radix sort (below, its 4 × 256 counts cost more than they save). */
const RADIX_MIN = 64;

/** One double and its two words (little-endian: [1] is the high word). */
const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);

let radixKeys = new Uint32Array(0);
let radixKeys2 = new Uint32Array(0);
/** Counts of the four bytes of the high words, 256 each. */
const counts = new Int32Array(1024);

/**
 * Stable sort of the indices out[0..n) by their (finite) keys, `scratch` (length ≥ n) as the other
 * buffer: by the keys' high words as unsigned integers in the keys' order (negative keys with
 * every bit flipped, the others with the sign bit set; −0 as +0), a byte at a time from the
 * lowest, then by the full keys where high words tie.
 */
const radixSortPrefix = (out: Int32Array, keys: Float64Array, n: number, scratch: Int32Array): void => {
  if (radixKeys.length < n) {
    radixKeys = new Uint32Array(n);
    radixKeys2 = new Uint32Array(n);
  }
  const hiKeys = radixKeys;
  counts.fill(0);
  for (let i = 0; i < n; i++) {
    F64[0] = keys[out[i]] + 0; // −0 + 0 = +0
    const hi = U32[1];
    const k = (hi & 0x80000000) !== 0 ? ~hi >>> 0 : (hi | 0x80000000) >>> 0;
    hiKeys[i] = k;
    counts[k & 255]++;
    counts[256 + ((k >>> 8) & 255)]++;
    counts[512 + ((k >>> 16) & 255)]++;
    counts[768 + (k >>> 24)]++;
  }
  let srcK = hiKeys;
  let srcI = out;
  let dstK = radixKeys2;
  let dstI = scratch;
  for (let d = 0; d < 4; d++) {
    const base = 256 * d;
    const shift = 8 * d;
    if (counts[base + ((srcK[0] >>> shift) & 255)] === n) continue; // every key has this byte
    let sum = 0;
    for (let b = base; b < base + 256; b++) {
      const c = counts[b];
      counts[b] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const k = srcK[i];
      const at = counts[base + ((k >>> shift) & 255)]++;
      dstK[at] = k;
      dstI[at] = srcI[i];
    }
    const tk = srcK;
    const ti = srcI;
    srcK = dstK;
    srcI = dstI;
    dstK = tk;
    dstI = ti;
  }
  if (srcI !== out) for (let i = 0; i < n; i++) out[i] = srcI[i];
  // keys whose high words tie, by their full value (in index order so far): insertion, stable
  for (let i = 1; i < n; i++) {
    const idx = out[i];
    const key = keys[idx];
    let j = i - 1;
    while (j >= 0 && keys[out[j]] > key) {
      out[j + 1] = out[j];
      j--;
    }
    out[j + 1] = idx;
  }
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
