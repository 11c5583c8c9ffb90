/**
 * Steady-state evolution with tournament selection and ageing ("regularized evolution", Real et
 * al. 2019), in the unit cube. It learns from finished trials and suits asynchronous workers:
 * every proposal needs only the results that exist at that moment.
 *
 * - The first `initialRandom` trials (and any trial while fewer than two have finished) are
 *   uniform random.
 * - Otherwise the population is the `population` most recently finished trials (by index, so
 *   old good trials age out); `tournament` of them are drawn at random and the best (lowest loss,
 *   diverged last) is the parent.
 * - The child moves each coordinate of the parent, with probability max(1/d, `mutationRate`), by
 *   N(0, σ²) with σ = `sigma`, reflected back into [0, 1]; at least one coordinate moves.
 *
 * Seeded: the draws of trial i come from `createRng(seed, i)`.
 */
import { createRng } from '../data/rng.ts';
import { uniformPoint } from './randomSearch.ts';
import type { Observation, Strategy } from './strategy.ts';

export interface EvolutionOptions {
  readonly initialRandom: number;
  readonly population: number;
  readonly tournament: number;
  readonly sigma: number;
  readonly mutationRate: number;
}

export const DEFAULT_EVOLUTION: EvolutionOptions = {
  initialRandom: 8,
  population: 32,
  tournament: 4,
  sigma: 0.15,
  mutationRate: 0.3,
};

/** Folds x into [0, 1] by reflection at both ends. */
export const reflectUnit = (x: number): number => {
  const m = ((x % 2) + 2) % 2; // [0, 2)
  return m <= 1 ? m : 2 - m;
};

const lossKey = (o: Observation): number => o.loss ?? Infinity;

export const evolution = (opts: Partial<EvolutionOptions> = {}): Strategy => {
  const o = { ...DEFAULT_EVOLUTION, ...opts };
  return {
    name: 'evolution',
    propose: (seed, index, dimensions, history) => {
      if (index < o.initialRandom || history.length < 2) return uniformPoint(seed, index, dimensions);
      const rng = createRng(seed, index);
      const population = [...history].sort((a, b) => a.index - b.index).slice(-o.population);
      let parent = population[rng.nextInt(population.length)];
      for (let k = 1; k < o.tournament; k++) {
        const c = population[rng.nextInt(population.length)];
        if (lossKey(c) < lossKey(parent) || (lossKey(c) === lossKey(parent) && c.index < parent.index)) parent = c;
      }
      const p = Math.max(1 / dimensions, o.mutationRate);
      const child = parent.point.slice(0, dimensions);
      const forced = rng.nextInt(dimensions);
      for (let i = 0; i < dimensions; i++) {
        if (i === forced || rng.nextFloat() < p) child[i] = reflectUnit(child[i] + o.sigma * rng.nextGaussian());
      }
      return child;
    },
  };
};
