/**
 * `spikeline train`: trains a spiking autoencoder from a preset, a config file and flags.
 * Progress on stderr; per-epoch losses; `--json` prints the final summary on stdout.
 * Ctrl-C stops after the current batch, writes the checkpoint and the summary, and exits 130;
 * `--resume` continues from `latest.model.json` of the run directory.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isLeft } from 'fp-ts/lib/Either.js';
import {
  CONFIG_FIELDS,
  type ConfigSources,
  type TrainingConfig,
  readConfigFile,
  resolveTrainingConfig,
} from '../../config/config.ts';
import { DEFAULT_PRESET } from '../../config/presets.ts';
import { type EpochContext, type RunSummary, loadCheckpoint, runAutoencoder } from '../../experiments/autoencoderRun.ts';
import { ensureBuilt } from '../build.mjs';
import { progressLine } from '../progress.ts';
import { UsageError } from '../usageError.ts';

const kebab = (name: string): string => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

export const trainUsage = `usage: spikeline train [--preset NAME] [--config FILE] [--epochs N] [--seed N]
                      [--workers N] [--out DIR] [--resume] [--json] [--<field> VALUE …]
  --preset NAME   one of \`spikeline presets\` (default ${DEFAULT_PRESET})
  --config FILE   JSON object of config fields (overrides the preset)
  --workers N     worker threads besides the main one (default: cores − 1)
  --out DIR       run directory (default runs/<preset>)
  --resume        continue from DIR/latest.model.json
  --json          print the final summary as JSON on stdout
  any config field as a flag, e.g. --learning-rate 0.001 --dataset fashion-mnist --train-limit 5000
  fields: ${CONFIG_FIELDS.filter((f) => f !== 'preset').map(kebab).join(', ')}`;

export interface TrainArgs {
  readonly config: TrainingConfig;
  readonly presetName: string;
  readonly outDir: string;
  readonly workers: number;
  readonly resume: boolean;
  readonly json: boolean;
}

/** `--name -7` → `--name=-7`: negative numbers are values, not options (parseArgs would refuse). */
export const joinNegativeValues = (argv: readonly string[]): string[] => {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = argv[i + 1];
    if (a.startsWith('--') && !a.includes('=') && next !== undefined && /^-(\d|\.\d|Infinity)/.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
};

/** Parses and decodes everything before any file is touched. */
export const parseTrainArgs = (argv: string[], defaults: { epochs?: number; trainLimit?: number } = {}): TrainArgs | 'help' => {
  const fieldOptions = Object.fromEntries(
    CONFIG_FIELDS.map((f) => [kebab(f), { type: 'string' as const }]),
  );
  const { values, positionals } = parseArgs({
    args: joinNegativeValues(argv),
    options: {
      ...fieldOptions,
      config: { type: 'string' },
      workers: { type: 'string' },
      out: { type: 'string' },
      resume: { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean' },
    },
    allowPositionals: true,
  });
  if (values.help) return 'help';
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"\n${trainUsage}`);
  const v = values as Record<string, string | boolean | undefined>;
  const flags: Record<string, string | number> = {};
  for (const f of CONFIG_FIELDS) {
    const raw = v[kebab(f)];
    if (typeof raw === 'string' && f !== 'preset') flags[f] = raw;
  }
  for (const [k, d] of Object.entries(defaults)) if (d !== undefined && flags[k] === undefined) flags[k] = d;
  const presetName = typeof v.preset === 'string' ? v.preset : undefined;
  const outDir = typeof v.out === 'string' ? v.out : join('runs', presetName ?? DEFAULT_PRESET);
  const resume = v.resume === true;
  const sources: { preset?: string; file?: ConfigSources['file']; flags: typeof flags } = { preset: presetName, flags };
  if (typeof v.config === 'string') {
    const file = readConfigFile(v.config);
    if (isLeft(file)) throw new UsageError(file.left.join('\n'));
    sources.file = { name: v.config, value: file.right };
  } else if (resume && presetName === undefined) {
    const { meta } = loadCheckpoint(outDir);
    const { preset: _p, ...saved } = (meta.config ?? {}) as Record<string, unknown>;
    sources.file = { name: join(outDir, 'latest.model.json (config)'), value: saved };
    sources.preset = DEFAULT_PRESET; // every field comes from the saved config anyway
  }
  const config = resolveTrainingConfig(sources);
  if (isLeft(config)) throw new UsageError(config.left.join('\n'));
  const workersRaw = typeof v.workers === 'string' ? Number(v.workers) : Math.max(0, availableParallelism() - 1);
  if (!Number.isInteger(workersRaw) || workersRaw < 0 || workersRaw > 64) {
    throw new UsageError(`--workers: expected an integer in 0..64, got ${v.workers}`);
  }
  return {
    config: config.right,
    presetName: presetName ?? DEFAULT_PRESET,
    outDir,
    workers: workersRaw,
    resume,
    json: v.json === true,
  };
};

const fmt = (x: number): string => (Number.isFinite(x) ? x.toFixed(5) : String(x));

/** Runs training with a progress line and Ctrl-C handling; returns the summary. */
export const runTraining = async (
  a: TrainArgs,
  onEpochEnd?: (c: EpochContext) => void | Promise<void>,
): Promise<RunSummary> => {
  const { trainWorker } = await ensureBuilt();
  const bar = progressLine();
  let stop = false;
  const onSigint = () => {
    if (stop) process.exit(130);
    stop = true;
    bar.done();
    process.stderr.write('stopping after this batch (Ctrl-C again to quit at once) …\n');
  };
  process.on('SIGINT', onSigint);
  const say = (m: string) => process.stderr.write(`${m}\n`);
  const c = a.config;
  say(
    `training ${c.dataset} autoencoder 784-${c.nHidden}-784, ${c.nPulses} pulses, latency ${c.latency}, noise ${c.noiseFactor}, ` +
      `batch ${c.batchSize}, ${c.epochs} epoch(s), ${a.workers + 1} thread(s) → ${a.outDir}`,
  );
  try {
    return await runAutoencoder({
      config: c,
      outDir: a.outDir,
      workers: a.workers,
      workerScript: trainWorker,
      resume: a.resume,
      log: say,
      onProgress: (p) => bar.update(p, c.epochs),
      shouldStop: () => stop,
      onEpochEnd: async (ctx) => {
        bar.done();
        const r = ctx.record;
        say(
          `epoch ${r.epoch + 1}/${c.epochs}: train ${fmt(r.trainLoss)}  validation ${fmt(r.validationLoss)}  test ${fmt(r.testLoss)}  ` +
            `(${r.seconds.toFixed(1)} s: training ${r.trainSeconds.toFixed(1)} s at ${Math.round(r.trainImagesPerSec)} img/s, then evaluation)`,
        );
        await onEpochEnd?.(ctx);
      },
    });
  } finally {
    process.off('SIGINT', onSigint);
    bar.done();
  }
};

export const trainCommand = async (argv: string[]): Promise<number> => {
  const a = parseTrainArgs(argv);
  if (a === 'help') {
    console.log(trainUsage);
    return 0;
  }
  const { writeRunPictures } = await import('../../report/runPictures.ts');
  const summary = await runTraining(a, (ctx) => writeRunPictures(a.outDir, ctx));
  if (a.json) console.log(JSON.stringify({ ...summary, history: undefined }));
  else {
    process.stderr.write(
      `best validation ${fmt(summary.bestValidationLoss)} at epoch ${summary.bestEpoch + 1}; its test loss ${fmt(summary.testLoss)}\n` +
        `files in ${a.outDir}: best.model.json, latest.model.json, metrics.jsonl, reconstructions.png, loss.svg\n`,
    );
  }
  return summary.interrupted ? 130 : 0;
};
