/**
 * `spikeline eval MODEL [--split test|validation] [--limit N] [--dataset D] [--data-dir DIR]
 * [--noise-factor F] [--json]`: the reconstruction loss of a saved model on a data set (the
 * settings it was trained with, unless overridden). For a classifier (its config says `task:
 * classify`): the first-spike cross-entropy, the accuracy and the confusion matrix (rows: true
 * label; columns: predicted class, then "none" for no output spike).
 */
import { parseArgs } from 'node:util';
import type { Network } from '../../model/network.ts';
import { evaluate as evaluateModel } from '../../run/evaluate.ts';
import type { RunData } from '../../run/runData.ts';
import type { ConfusionMatrix } from '../../train/confusion.ts';
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

/** The confusion matrix as text: one row per label, counts per predicted class and "none". */
export const confusionText = (m: ConfusionMatrix): string => {
  const k = m.classes;
  const w = Math.max(5, String(m.examples).length + 1);
  const head = `${'label'.padEnd(6)}${Array.from({ length: k }, (_, j) => String(j).padStart(w)).join('')}${'none'.padStart(w)}`;
  const rows = Array.from({ length: k }, (_, r) =>
    `${String(r).padEnd(6)}${Array.from(m.counts.subarray(r * (k + 1), (r + 1) * (k + 1)), (n) => String(n).padStart(w)).join('')}`,
  );
  return [head, ...rows].join('\n');
};

const limitOf = (raw: string | undefined): number | undefined => {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--limit: expected a positive integer, got ${raw}`);
  return n;
};

const evalClassifier = (
  file: string,
  network: Network,
  cfg: TrainingConfig,
  data: RunData,
  split: 'test' | 'validation',
  limit: string | undefined,
  json: boolean,
): number => {
  const t0 = performance.now();
  const r = evaluateModel(network, data, { config: cfg, split, limit: limitOf(limit) });
  const seconds = (performance.now() - t0) / 1000;
  const m = r.confusion;
  if (m === undefined || r.accuracy === undefined) throw new Error(`${file}: a classifier's evaluation gave no accuracy`);
  const k = m.classes;
  const rows = Array.from({ length: k }, (_, i) => Array.from(m.counts.subarray(i * (k + 1), (i + 1) * (k + 1))));
  if (json) {
    console.log(JSON.stringify({ model: file, dataset: cfg.dataset, task: 'classify', split, images: r.examples, loss: r.loss, accuracy: r.accuracy, confusion: rows, seconds }));
  } else {
    console.log(`${cfg.dataset} ${split} (${r.examples} images): accuracy ${(100 * r.accuracy).toFixed(2)} %  loss ${r.loss.toFixed(6)}  (${seconds.toFixed(1)} s)`);
    console.log('confusion matrix (rows: true label; columns: predicted class, none = no output spike):');
    console.log(confusionText(m));
  }
  return 0;
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
  if (cfg.task === 'classify') return evalClassifier(positionals[0], model.network, cfg, data, values.split, values.limit, values.json === true);
  const set = values.split === 'test' ? data.test : data.validation;
  const n = Math.min(limitOf(values.limit) ?? set.count, set.count);
  const t0 = performance.now();
  const loss = evaluate(model.network, autoencoderObjective(cfg.latency, cfg.penaltyOutputSpikeTime), set, n);
  const seconds = (performance.now() - t0) / 1000;
  const result = { model: positionals[0], dataset: cfg.dataset, split: values.split, images: n, noiseFactor: cfg.noiseFactor, loss, seconds };
  if (values.json) console.log(JSON.stringify(result));
  else console.log(`${cfg.dataset} ${values.split} (${n} images, noise ${cfg.noiseFactor}): loss ${loss.toFixed(6)}  (${seconds.toFixed(1)} s)`);
  return 0;
};
