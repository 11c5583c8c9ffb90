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

/** Neurons per step of the SIMD scan kernel (`alphaScanRange.ts`): a split keeps its groups whole where it can. */
export const SCAN_GROUP = 8;

/**
 * An even split of n neurons between P participants, into `bounds` when given: boundaries on
 * multiples of `quantum` when every share holds a few (else the quantum is 1).
 */
export const createBalance = (P: number, n: number, quantum = 8, bounds?: Int32Array): Balance => {
  const q = n >= 4 * P * quantum ? quantum : 1;
  const b = evenSplit(P, n, q, bounds);
  return { bounds: b, work: new Float64Array(P).fill(Number.NaN), quantum: q };
};

/**
 * n neurons split evenly between P participants (into `bounds`, P + 1 of them), the inner bounds
 * on multiples of the quantum q (the nearest to the even share).
 */
export const evenSplit = (P: number, n: number, q: number, bounds: Int32Array = new Int32Array(P + 1)): Int32Array => {
  for (let p = 0; p <= P; p++) bounds[p] = p === P ? n : Math.round(Math.floor((p * n) / P) / q) * q;
  return bounds;
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
