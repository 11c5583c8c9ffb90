/** The strategy called `name` (`random` or `evolution`). */
import { evolution } from './evolution.ts';
import { randomSearch } from './randomSearch.ts';
import type { Strategy, StrategyName } from './strategy.ts';

export const strategyByName = (name: StrategyName): Strategy => (name === 'random' ? randomSearch : evolution());
