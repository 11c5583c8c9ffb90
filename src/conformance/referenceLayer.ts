/**
 * Puts the original program's Lambert W into one layer's forward record, after the engine's
 * kernel has run with the exact W (conformance `--lambert-w reference`; the kernel itself stays
 * untouched, so training and the default path cost nothing).
 *
 * For a neuron the kernel fired, its tape holds the sums A, B of the crossing; the W argument is
 * x = −(Kθ/A)·e^(KB/A), computed with the kernel's own expression, so W_ref = W_ref(x) and
 * t_ref = B/A − W_ref/K are what the program computes from the same sums. The reverse pass reads
 * spike time, A, B, W and causal count from the tape, so it then runs with the reference W too.
 *
 * The program's rule keeps a candidate only if it lies in [t_i, t_next] (t_i the last input
 * added). Where t_ref leaves that interval, or for a neuron the kernel left silent (its
 * candidates could be accepted by the other W), the neuron is re-scanned here input by input
 * exactly as the program does (reference README §1, step 2), over the kernel's sorted inputs
 * and with the kernel's sums.
 */
import { type AlphaSolutions } from '../kernels/alpha.ts';
import type { LayerTape } from '../kernels/layer.ts';
import { LAMBERT_W_BRANCH_POINT } from '../kernels/lambertW.ts';
import { NO_SPIKE } from '../kernels/neuronModel.ts';
import { referenceLambertW0 } from './referenceLambertW.ts';

/** The largest W argument the program hands to its Lambert W (reference README §1). */
const MAX_LAMBERT_ARG = 1.7976131e308;

const record = (out: AlphaSolutions, k: number, t: number, a: number, b: number, w: number, count: number): void => {
  out.spikeTime[k] = t;
  out.sumA[k] = a;
  out.sumB[k] = b;
  out.lambertW[k] = w;
  out.causalCount[k] = count;
};

/** The program's loop for neuron k over the layer's sorted inputs, with the reference W. */
const scanNeuron = (lt: LayerTape, weights: Float64Array, k: number, decayRate: number, threshold: number): void => {
  const { time, exp, index, nFinite } = lt.sorted;
  const row = k * lt.nIn;
  let a = 0;
  let b = 0;
  for (let i = 0; i < nFinite; i++) {
    const we = weights[row + index[i]] * exp[i];
    a += we;
    b += we * time[i];
    if (!(a > 0)) continue;
    const x = -((decayRate * threshold) / a) * Math.exp((decayRate * b) / a);
    if (!(x >= LAMBERT_W_BRANCH_POINT && x <= MAX_LAMBERT_ARG)) continue;
    const w = referenceLambertW0(x);
    const t = b / a - w / decayRate;
    if (t >= time[i] && t <= time[i + 1]) {
      record(lt.post, k, t, a, b, w, i + 1);
      return;
    }
  }
  record(lt.post, k, NO_SPIKE, 0, 0, 0, nFinite);
};

/**
 * Replaces the exact-W solutions of every post neuron of `lt` (after `layerForward`) by the
 * reference program's. Returns how many neurons changed spike time. Runs in O(fired + silent·nIn).
 */
export const applyReferenceLambertW = (
  lt: LayerTape,
  weights: Float64Array,
  decayRate: number,
  threshold: number,
): number => {
  const { post, sorted } = lt;
  let changed = 0;
  for (let k = 0; k < lt.nOut; k++) {
    const before = post.spikeTime[k];
    if (before === NO_SPIKE) {
      scanNeuron(lt, weights, k, decayRate, threshold);
    } else {
      const a = post.sumA[k];
      const b = post.sumB[k];
      const count = post.causalCount[k];
      const x = -((decayRate * threshold) / a) * Math.exp((decayRate * b) / a);
      const w = referenceLambertW0(x);
      const t = b / a - w / decayRate;
      if (t >= sorted.time[count - 1] && t <= sorted.time[count]) record(post, k, t, a, b, w, count);
      else scanNeuron(lt, weights, k, decayRate, threshold);
    }
    if (post.spikeTime[k] !== before) changed++;
  }
  return changed;
};
