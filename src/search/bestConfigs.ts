/**
 * Writes the best trials of a search as config files that `spikeline train --config FILE`
 * accepts: `<dir>/best-1.config.json` (the best), `best-2.config.json`, …, each the trial's
 * complete training config without the search budget (epochs, trainLimit, validationSize,
 * testLimit), so that training with it uses the full data by default. The trial id, its losses
 * and its budget go to `<dir>/leaderboard.json`.
 */
import { join } from 'node:path';
import { encodeTrainingConfig } from '../config/config.ts';
import { writeFileAtomic } from '../io/atomicWrite.ts';
import { BUDGET_FIELDS } from './makeTrial.ts';
import { type Trial, type TrialResult, compareResults } from './trial.ts';

export interface RankedTrial {
  readonly rank: number;
  readonly trialId: string;
  readonly validationLoss: number | null;
  readonly testLoss: number | null;
  readonly configFile: string;
}

/** The config fields of a trial to train it for real (the budget removed). */
export const presetConfigOf = (trial: Trial): Record<string, unknown> => {
  const out = encodeTrainingConfig(trial.config);
  for (const f of BUDGET_FIELDS) delete out[f];
  return out;
};

export const writeBestConfigs = (
  dir: string,
  trials: readonly Trial[],
  results: readonly TrialResult[],
  top: number,
): RankedTrial[] => {
  const byId = new Map(trials.map((t) => [t.id, t]));
  const ranked = results.filter((r) => r.validationLoss !== null && byId.has(r.trialId)).sort(compareResults).slice(0, top);
  const out = ranked.map((r, i): RankedTrial => {
    const file = join(dir, `best-${i + 1}.config.json`);
    writeFileAtomic(file, `${JSON.stringify(presetConfigOf(byId.get(r.trialId) as Trial), null, 2)}\n`);
    return { rank: i + 1, trialId: r.trialId, validationLoss: r.validationLoss, testLoss: r.testLoss, configFile: file };
  });
  writeFileAtomic(
    join(dir, 'leaderboard.json'),
    `${JSON.stringify(
      out.map((o) => ({ ...o, budget: byId.get(o.trialId)?.budget, result: results.find((r) => r.trialId === o.trialId) })),
      null,
      2,
    )}\n`,
  );
  return out;
};
