/**
 * `spikeline eval MODEL [--split test|validation] [--limit N] [--dataset D] [--data-dir DIR]
 * [--noise-factor F] [--json]`: the reconstruction loss of a saved model on a data set (the
 * settings it was trained with, unless overridden).
 */
import { parseArgs } from 'node:util';
import { autoencoderObjective } from '../../train/objective.ts';
import { evaluate } from '../../train/trainStep.ts';
import { type TrainingConfig, resolveTrainingConfig } from '../../config/config.ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import { dataForModel, readModelFile } from '../modelFile.ts';
import { UsageError } from '../usageError.ts';

export const evalUsage = `usage: spikeline eval MODEL [--split test|validation] [--limit N] [--dataset mnist|fashion-mnist]
                     [--data-dir DIR] [--noise-factor F] [--json]`;

/** The model's saved config with command-line overrides (data set, noise, limits). */
export const configForModel = (
  saved: TrainingConfig | null,
  overrides: Record<string, string | undefined>,
): TrainingConfig => {
  const flags: Record<string, string> = {};
  for (const [k, v] of Object.entries(overrides)) if (v !== undefined) flags[k] = v;
  const r = resolveTrainingConfig({ file: saved ? { name: 'model config', value: saved } : undefined, flags });
  if (isLeft(r)) throw new UsageError(r.left.join('\n'));
  return r.right;
};

export const evalCommand = async (argv: string[]): Promise<number> => {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      split: { type: 'string', default: 'test' },
      limit: { type: 'string' },
      dataset: { type: 'string' },
      'data-dir': { type: 'string' },
      'noise-factor': { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(evalUsage);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(evalUsage);
  if (values.split !== 'test' && values.split !== 'validation') {
    throw new UsageError(`--split: expected "test" or "validation", got "${values.split}"`);
  }
  const model = readModelFile(positionals[0]);
  const cfg = configForModel(model.config, {
    dataset: values.dataset,
    dataDir: values['data-dir'],
    noiseFactor: values['noise-factor'],
  });
  const data = dataForModel(positionals[0], model, cfg, values.split);
  const set = values.split === 'test' ? data.test : data.validation;
  const limit = values.limit === undefined ? set.count : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`--limit: expected a positive integer, got ${values.limit}`);
  const n = Math.min(limit, set.count);
  const t0 = performance.now();
  const loss = evaluate(model.network, autoencoderObjective(cfg.latency, cfg.penaltyOutputSpikeTime), set, n);
  const seconds = (performance.now() - t0) / 1000;
  const result = { model: positionals[0], dataset: cfg.dataset, split: values.split, images: n, noiseFactor: cfg.noiseFactor, loss, seconds };
  if (values.json) console.log(JSON.stringify(result));
  else console.log(`${cfg.dataset} ${values.split} (${n} images, noise ${cfg.noiseFactor}): loss ${loss.toFixed(6)}  (${seconds.toFixed(1)} s)`);
  return 0;
};
