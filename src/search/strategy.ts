/**
 * A search strategy proposes the next point of the unit cube [0, 1)^d from the trials finished so
 * far. Proposals are seeded: `propose` gets the search seed and the trial index and draws from
 * the stream `createRng(seed, index)`, so the same seed, index and history give the same point.
 * (With several trials running at once, the history a proposal sees depends on which trials have
 * finished by then; a sequential search is reproducible end to end.)
 */
export interface Observation {
  readonly index: number;
  readonly point: readonly number[];
  /** Validation loss; null for a diverged trial (worst). */
  readonly loss: number | null;
}

export interface Strategy {
  readonly name: string;
  propose(seed: number, index: number, dimensions: number, history: readonly Observation[]): number[];
}

export const STRATEGY_NAMES = ['random', 'evolution'] as const;
export type StrategyName = (typeof STRATEGY_NAMES)[number];
