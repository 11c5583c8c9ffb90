/**
 * Load balance of parallel training: where the output layer's neurons are split between the
 * participants. Participant p owns output neurons [bounds[p], bounds[p + 1]); any split gives the
 * same results bit for bit (the error terms are summed in neuron order by the relay, see
 * `sharedState.ts`), so the split is free to follow the machine: a thread that a busy host slows
 * down, or that has more of the other work (the forward pass of one example more, the pulses),
 * gets fewer output neurons.
 *
 * After each step every participant reports its *own work*: its share's time less the time it
 * waited for the others. (Not the time its share ended: the threads wait for each other's error
 * terms, so their ends move together whatever the split; balancing those sent 600 of the 784
 * neurons to one thread and slowed the step.) {@link rebalance} smooths the reports over steps and
 * moves each boundary between neighbours toward equal work: by half the estimated gap in neurons
 * (taking all of a share's work as proportional to its neurons, which under-estimates the move),
 * in multiples of a quantum (the scan kernel's group of eight neurons, so the groups stay
 * whole), at most two quanta a step, and not at all within one quantum of balance (so noise does
 * not shake it).
 *
 * ## Example
 * ```ts
 * const b = createBalance(2, 784);      // bounds [0, 392, 784]
 * rebalance(b, [0.9, 1.1]);            // participant 1 worked longer: participant 0 takes more
 * b.bounds;                             // [0, 408, 784] (two quanta, the most a step moves)
 * ```
 */

export interface Balance {
  /** bounds[p]..bounds[p + 1]: participant p's output neurons (P + 1 entries). */
  readonly bounds: Int32Array;
  /** Smoothed own work per participant (the unit of the reports), NaN before the first. */
  readonly work: Float64Array;
  readonly quantum: number;
}

/** Weight of the latest report in the smoothed work. */
const SMOOTHING = 0.2;
/** Largest move of a boundary per step, in quanta. */
const MAX_QUANTA = 2;

/**
 * An even split of n neurons between P participants, into `bounds` when given: boundaries on
 * multiples of `quantum` when every share holds a few (else the quantum is 1).
 */
export const createBalance = (P: number, n: number, quantum = 8, bounds?: Int32Array): Balance => {
  const q = n >= 4 * P * quantum ? quantum : 1;
  const b = bounds ?? new Int32Array(P + 1);
  for (let p = 0; p <= P; p++) b[p] = p === P ? n : Math.round(Math.floor((p * n) / P) / q) * q;
  return { bounds: b, work: new Float64Array(P).fill(Number.NaN), quantum: q };
};

/**
 * Takes one step's reports (own work per participant) and moves the boundaries (see the header).
 * Returns whether a boundary moved.
 */
export const rebalance = (b: Balance, reports: ArrayLike<number>): boolean => {
  const { bounds, work, quantum } = b;
  const P = work.length;
  for (let p = 0; p < P; p++) {
    const r = reports[p];
    if (!Number.isFinite(r) || r < 0) return false; // a participant that did not report: keep the split
    work[p] = Number.isNaN(work[p]) ? r : work[p] + SMOOTHING * (r - work[p]);
  }
  let moved = false;
  for (let p = 0; p + 1 < P; p++) {
    const lo = bounds[p];
    const mid = bounds[p + 1];
    const hi = bounds[p + 2];
    if (hi - lo < 2 * quantum) continue; // no room to move
    const perNeuron = (work[p] + work[p + 1]) / Math.max(1, hi - lo);
    if (!(perNeuron > 0)) continue;
    // neurons to hand from p + 1 to p (negative: the other way), half the estimated gap
    const gap = (work[p + 1] - work[p]) / (2 * perNeuron);
    const quanta = Math.max(-MAX_QUANTA, Math.min(MAX_QUANTA, Math.trunc(gap / 2 / quantum)));
    if (quanta === 0) continue;
    const next = Math.max(lo + quantum, Math.min(hi - quantum, mid + quanta * quantum));
    if (next !== mid) {
      bounds[p + 1] = next;
      moved = true;
    }
  }
  return moved;
};

/**
 * The split of the layer below the output layer, moved so that the participants end their step
 * shares together. The relay makes participant p + 1 hand on each example's error terms after p,
 * so the last one ends the output layer behind the others by its share of an example's reverse
 * pass, and (with one example more to run forward when the batch is odd) it starts it later; the
 * neurons of the layer below, whose work comes after the output layer, can make up for that, where
 * the output layer's split cannot (its boundary moves both ends of the relay alike).
 *
 * Every `window` steps it takes, for each pair of neighbours p and p + 1, the median over the
 * window of how much later p + 1 ended than p, and of what one neuron of the layer below costs
 * (its post-output time per neuron, the smaller of the two); when the gap exceeds twice the cost
 * (moving one neuron closes it by two: one more for p, one less for p + 1), p takes neurons from
 * p + 1, or the other way round: half as many as the gap is worth, one at least, four at most. So
 * it settles where the ends are within a neuron's cost of each other, and a busy host's stalls (a
 * median over 64 steps) do not shake it.
 */
export interface LowerBalance {
  readonly window: number;
  /** Per pair of neighbours and step of the current window: how much later p + 1 ended than p (ms). */
  readonly gaps: Float64Array;
  /** Per pair and step: the cost of one neuron after the output layer (ms). */
  readonly costs: Float64Array;
  steps: number;
}

export const createLowerBalance = (P: number, window = 64): LowerBalance => ({
  window,
  gaps: new Float64Array(window * Math.max(1, P - 1)),
  costs: new Float64Array(window * Math.max(1, P - 1)),
  steps: 0,
});

/** Largest move of a boundary of the lower split per window, in neurons. */
const MAX_LOWER_MOVE = 4;

const median = (xs: Float64Array, from: number, n: number): number => {
  const s = Array.from(xs.subarray(from, from + n)).sort((a, b) => a - b);
  return s[s.length >> 1];
};

/**
 * Takes one step's `ends` (per participant p of P: when its share ended, then at [P + p] its time
 * after the output layer; ms) and, at the end of a window, moves `bounds` (the P + 1 bounds of the
 * layer below the output layer) as {@link LowerBalance} says. Returns whether a boundary moved.
 */
export const rebalanceLower = (b: LowerBalance, bounds: Int32Array, ends: ArrayLike<number>): boolean => {
  const P = bounds.length - 1;
  if (P < 2) return false;
  const { window, gaps, costs } = b;
  for (let p = 0; p + 1 < P; p++) {
    const a = bounds[p + 1] - bounds[p];
    const c = bounds[p + 2] - bounds[p + 1];
    gaps[p * window + b.steps] = ends[p + 1] - ends[p];
    costs[p * window + b.steps] = a > 0 && c > 0 ? Math.min(ends[P + p] / a, ends[P + p + 1] / c) : Number.NaN;
  }
  if (++b.steps < window) return false;
  b.steps = 0;
  let moved = false;
  for (let p = 0; p + 1 < P; p++) {
    const gap = median(gaps, p * window, window);
    const cost = median(costs, p * window, window);
    if (!(cost > 0) || !Number.isFinite(gap)) continue;
    const mid = bounds[p + 1];
    // half the neurons the gap is worth (each closes it by two costs), one at least, four at most
    const by = Math.abs(gap) > 2 * cost ? Math.sign(gap) * Math.min(MAX_LOWER_MOVE, Math.max(1, Math.trunc(Math.abs(gap) / (4 * cost)))) : 0;
    const next = Math.max(bounds[p] + 1, Math.min(bounds[p + 2] - 1, mid + by));
    if (by !== 0 && next !== mid && next > bounds[p] && next < bounds[p + 2]) {
      bounds[p + 1] = next;
      moved = true;
    }
  }
  return moved;
};
