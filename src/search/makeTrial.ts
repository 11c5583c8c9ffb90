/**
 * A trial from a point of the search space: the space's preset ← its fixed fields ← the point's
 * values ← the budget (epochs, trainLimit, validationSize, testLimit) and the trial seed.
 */
import { isLeft } from 'fp-ts/lib/Either.js';
import { type TrainingConfig, resolveTrainingConfig } from '../config/config.ts';
import { createRng } from '../data/rng.ts';
import { InputError } from '../io/inputError.ts';
import { type SearchSpace, pointToValues } from './space.ts';
import { type Trial, type TrialBudget, trialIdOf } from './trial.ts';

/** Stream of the trial seeds, apart from the proposal streams (index i uses stream i). */
const TRIAL_SEED_STREAM = 2 ** 45;

/** The training seed of trial `index` of a search seeded with `searchSeed`. */
export const trialSeed = (searchSeed: number, index: number): number =>
  createRng(searchSeed, TRIAL_SEED_STREAM + index).nextUint32();

/** Config fields a budget sets (left out of the presets a search writes). */
export const BUDGET_FIELDS = ['epochs', 'trainLimit', 'validationSize', 'testLimit'] as const;

export const budgetPatch = (b: TrialBudget) => ({
  epochs: b.epochs,
  trainLimit: b.trainImages,
  validationSize: b.validationImages,
  testLimit: b.testImages,
});

/** The base config of a space (preset ← fixed), for checking a space before a search starts. */
export const baseConfig = (space: SearchSpace): TrainingConfig => {
  const r = resolveTrainingConfig({ preset: space.preset, file: { name: 'search space (fixed)', value: space.fixed } });
  if (isLeft(r)) throw new InputError(r.left.join('\n'));
  return r.right;
};

export const makeTrial = (
  space: SearchSpace,
  searchSeed: number,
  index: number,
  point: readonly number[],
  budget: TrialBudget,
): Trial => {
  const seed = trialSeed(searchSeed, index);
  const value = { ...space.fixed, ...pointToValues(space, point), ...budgetPatch(budget), seed };
  const r = resolveTrainingConfig({ preset: space.preset, file: { name: `trial ${trialIdOf(index)}`, value } });
  if (isLeft(r)) throw new InputError(r.left.join('\n'));
  return { id: trialIdOf(index), index, seed, point: [...point], config: r.right, budget };
};
