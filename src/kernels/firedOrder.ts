/**
 * Orders the neurons a stream step fired, `fired[0..n)`, by (spike time, neuron index) in place:
 * the emission order of both incremental layer kernels. An insertion sort: few neurons fire in one
 * step. Returns `fired`.
 */
export const sortFiredBySpikeTime = (fired: Int32Array, spikeTime: Float64Array, n: number): Int32Array => {
  for (let i = 1; i < n; i++) {
    const k = fired[i];
    let j = i - 1;
    while (j >= 0 && (spikeTime[fired[j]] > spikeTime[k] || (spikeTime[fired[j]] === spikeTime[k] && fired[j] > k))) {
      fired[j + 1] = fired[j];
      j--;
    }
    fired[j + 1] = k;
  }
  return fired;
};
