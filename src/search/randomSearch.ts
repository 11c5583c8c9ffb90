/**
 * Random search: every coordinate uniform on [0, 1), independent of the history. The point of
 * trial i is a function of (seed, i) only.
 */
import { createRng } from '../data/rng.ts';
import type { Strategy } from './strategy.ts';

export const uniformPoint = (seed: number, index: number, dimensions: number): number[] => {
  const rng = createRng(seed, index);
  return Array.from({ length: dimensions }, () => rng.nextFloat());
};

export const randomSearch: Strategy = {
  name: 'random',
  propose: (seed, index, dimensions) => uniformPoint(seed, index, dimensions),
};
