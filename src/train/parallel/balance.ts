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
 * neurons to one thread and slowed the step. Measured again with the hidden split headed, on the
 * golden H=32 network with one worker, 2000-image passes alternated in one process, 9 runs of 16
 * pairs in the normal state: balancing on the time each share ended, paired medians 0.974–1.033
 * (median 0.987); on the mean of that and the own work, 0.987–1.021 (median 1.007).)
 * {@link rebalance} smooths the reports over steps and moves each boundary between neighbours
 * toward equal work: by half the estimated gap in neurons (taking all of a share's work as
 * proportional to its neurons, which under-estimates the move), in multiples of a quantum (the
 * scan kernel's group of eight neurons, so the groups stay whole), at most two quanta a step, and
 * not at all within one quantum of balance (so noise does not shake it).
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

/**
 * The split of the layer below the output layer, moved to follow the output layer's: the output
 * split is the fine knob (eight neurons at a time), this one the coarse knob (a group of the
 * lower layer's neurons, which costs a flush of the threads' moments), and it moves one way only:
 * toward participant 0, the head of the relay in which the output layer's error terms pass the
 * participants (`sharedState.ts`). It starts, and never falls below, {@link headedSplit}: the
 * even split with one quantum more for participant 0. When, over a window of steps, participant 0
 * has held many more output neurons than its even share (the other threads are slower that
 * minute), it takes a quantum of the lower layer from the last participant that has one (the
 * output split then moves back toward even); when it has held many fewer, it gives a quantum back,
 * down to that floor.
 *
 * Measured on the H=32 autoencoder with one worker, 2000-image passes alternated in one process
 * (the host's state changes from minute to minute):
 * - while the worker ran slower (output split about 510/274 with the hidden layer split 16/16),
 *   the hidden layer at 24/8 and 32/0 took the output split back to about 450 and 400, and the
 *   passes took 0.93–0.94× as long (8 pairs);
 * - while the main thread ran slower (output split about 280/504), moving the hidden layer the
 *   other way, to 0/32, took the output split to about 390 and the passes 1.08× as long; so the
 *   follower never gives participant 0's hidden neurons below its floor to the others.
 *
 * Why one quantum more for the head: each example's error terms pass from participant 0 to the
 * next, and a participant that gets there before the one before it has handed them on waits (or
 * keeps its terms for later, at a cost). With the neurons balanced on total work, participant 0,
 * which also runs the step's serial start, held slightly more output neurons (about 400 of 784)
 * and the worker waited 6.5 ms per 2000 images for it. With the hidden split at 24/8 the output
 * split settles near 352/432: a lighter head in the output layer. Same network, 2000-image passes
 * alternated in one process with the host in its usual state (1-core training 6860–6960 img/s),
 * the follower starting from and held above 24/8 against 16/16: paired medians 1.044, 1.054,
 * 1.016 (14 pairs each), 2-core ratios 1.80–1.84 against 1.71–1.80; while the main thread ran
 * slower (1-core 4725–4814 img/s), 1.017 and 1.001. (A fixed 24/8 against 16/16, earlier:
 * 1.007–1.039 in five runs, 0.979 and 0.992 while the main thread ran slower.)
 */
export interface LowerBalance {
  /** The output layer's even share of participant 0. */
  readonly evenOut: number;
  /**
   * The lower layer's floor (P + 1 bounds; {@link headedSplit}): participant 0's share never
   * falls below its first, a participant given back a quantum is the first below its own.
   */
  readonly floor: Int32Array;
  /** Output neurons of participant 0, summed over the current window. */
  held: number;
  /** Steps in the current window. */
  steps: number;
  readonly window: number;
  /** The lower layer's quantum. */
  readonly quantum: number;
  /** Mean output neurons of participant 0 above (below) its even share that move a lower quantum. */
  readonly threshold: number;
}

/**
 * The lower layer's split that {@link followOutput} starts from and keeps participant 0 above: the
 * even split on quanta of q, then one quantum from the last participant that has two to
 * participant 0 (the even split when none has two). See {@link LowerBalance} for why.
 */
export const headedSplit = (P: number, n: number, q: number, bounds: Int32Array = new Int32Array(P + 1)): Int32Array => {
  evenSplit(P, n, q, bounds);
  let from = P - 1;
  while (from > 0 && bounds[from + 1] - bounds[from] < 2 * q) from--;
  if (from > 0) for (let r = 1; r <= from; r++) bounds[r] += q;
  return bounds;
};

/** Steps over which the output split is averaged before the lower split may move. */
const LOWER_WINDOW = 16;

/**
 * A lower balance for P participants, an output layer of nOut neurons (split on `quantum`, as
 * {@link createBalance} splits it) and a lower layer of nLower neurons (split as the trainer's
 * even split: on whole groups of {@link SCAN_GROUP} where each participant gets two).
 */
export const createLowerBalance = (P: number, nOut: number, nLower: number, quantum = SCAN_GROUP): LowerBalance => {
  const even = createBalance(P, nOut, quantum).bounds;
  const q = nLower >= 2 * P * SCAN_GROUP ? SCAN_GROUP : 1;
  return {
    evenOut: even[1] - even[0],
    floor: headedSplit(P, nLower, q),
    held: 0,
    steps: 0,
    window: LOWER_WINDOW,
    quantum: q,
    threshold: Math.max(2 * quantum, nOut / 16),
  };
};

/**
 * Takes the output layer's split after a step and, at the end of a window, moves the lower
 * layer's split `lower` (P + 1 bounds) by one quantum (see {@link LowerBalance}). Returns whether
 * it moved.
 */
export const followOutput = (lb: LowerBalance, output: ArrayLike<number>, lower: Int32Array): boolean => {
  const P = lower.length - 1;
  lb.held += output[1] - output[0];
  if (++lb.steps < lb.window) return false;
  const above = lb.held / lb.steps - lb.evenOut;
  lb.held = 0;
  lb.steps = 0;
  const Q = lb.quantum;
  if (above >= lb.threshold) {
    // from the last participant that has a quantum: the bounds up to its start shift up a quantum
    let from = P - 1;
    while (from > 0 && lower[from + 1] - lower[from] < Q) from--;
    if (from === 0) return false;
    for (let r = 1; r <= from; r++) lower[r] += Q;
    return true;
  }
  if (above <= -lb.threshold && lower[1] - lower[0] >= lb.floor[1] - lb.floor[0] + Q) {
    // back to the first participant below its even share: the bounds up to its start shift down
    let to = 1;
    while (to < P - 1 && lower[to + 1] - lower[to] >= lb.floor[to + 1] - lb.floor[to]) to++;
    for (let r = 1; r <= to; r++) lower[r] -= Q;
    return true;
  }
  return false;
};
