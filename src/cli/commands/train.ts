/**
 * `spikeline train`: trains a spiking autoencoder (or, with `--task classify`, a classifier) from a
 * preset, a config file and flags, through
 * the public `train` (src/run/train.ts). Progress on stderr; per-epoch losses; `--json` prints the
 * final summary on stdout. Ctrl-C or SIGTERM stops after the current batch, writes the checkpoint
 * and the summary, and exits 130 (SIGINT) or 143 (SIGTERM); `--resume` continues from
 * `latest.model.json` of the run directory; a directory that holds a run is refused unless
 * `--resume` or `--force`. A run stopped on non-finite parameters exits 2.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type Either, isLeft, right } from 'fp-ts/lib/Either.js';
import {
  CONFIG_FIELDS,
  type ConfigPatch,
  type ConfigSources,
  type TrainingConfig,
  decodeConfigFlags,
  decodeConfigPatch,
  readConfigFile,
  resolveTrainingConfig,
} from '../../config/config.ts';
import { DEFAULT_PRESET, findPreset } from '../../config/presets.ts';
import { loadCheckpoint } from '../../run/checkpoint.ts';
import { existingRunFiles, runFiles } from '../../run/runFiles.ts';
import { type EpochContext, type RunSummary, train } from '../../run/train.ts';
import { trainWorkerScript } from '../packageFiles.ts';
import { progressLine } from '../progress.ts';
import { UsageError } from '../usageError.ts';

const kebab = (name: string): string => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

export const trainUsage = `usage: spikeline train [--preset NAME] [--config FILE] [--epochs N] [--seed N]
                      [--workers N] [--out DIR] [--resume | --force] [--time-limit MIN] [--json]
                      [--<field> VALUE …]
  --preset NAME   one of \`spikeline presets\` (default ${DEFAULT_PRESET})
  --config FILE   JSON object of config fields (overrides the preset)
  --workers N     worker threads besides the main one (default: cores − 1)
  --out DIR       run directory (default runs/<preset>)
  --resume        continue from DIR/latest.model.json (only --epochs may differ from its settings)
  --force         overwrite the run DIR holds (refused otherwise)
  --time-limit MIN  stop after the last epoch that fits MIN minutes of wall-clock time (exit 0;
                  the summary says stoppedBy "time-limit"; --resume continues)
  --json          print the final summary as JSON on stdout
  any config field as a flag, e.g. --learning-rate 0.001 --dataset fashion-mnist --train-limit 5000
  classify: --task classify [--layers 784,400,200,10], or a classifier preset (--preset mnist-340)
  fields: ${CONFIG_FIELDS.filter((f) => f !== 'preset').map(kebab).join(', ')}`;

export interface TrainArgs {
  readonly config: TrainingConfig;
  readonly presetName: string;
  readonly outDir: string;
  readonly workers: number;
  readonly resume: boolean;
  readonly force: boolean;
  readonly json: boolean;
  /** Wall-clock budget in minutes (absent: none). */
  readonly timeLimitMinutes?: number;
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

const orThrow = <A>(e: Either<string[], A>): A => {
  if (isLeft(e)) throw new UsageError(e.left.join('\n'));
  return e.right;
};

/**
 * The config of a resumed run: the checkpoint's, with what the command line asks on top (a
 * preset's hyperparameters, a config file, flags); `train` then refuses any contradiction.
 */
const resumeConfig = (
  outDir: string,
  presetName: string | undefined,
  file: ConfigSources['file'],
  flags: Record<string, string | number>,
): Either<string[], TrainingConfig> => {
  const latest = runFiles(outDir).latest;
  const ckpt = loadCheckpoint(latest);
  if (isLeft(ckpt)) {
    throw new UsageError(existingRunFiles(outDir).length === 0 ? `--resume: no run in ${outDir} (start without --resume)` : ckpt.left);
  }
  const filePatch: ConfigPatch = file === undefined ? {} : orThrow(decodeConfigPatch(file.value, file.name));
  const flagPatch = orThrow(decodeConfigFlags(flags));
  const preset = presetName ?? flagPatch.preset ?? filePatch.preset;
  const found = preset === undefined ? undefined : findPreset(preset);
  if (found !== undefined && isLeft(found)) throw new UsageError(found.left);
  const hyper = found === undefined ? {} : found.right.hyper;
  const { preset: _f, ...fileFields } = filePatch;
  const { preset: _g, ...flagFields } = flagPatch;
  return right({ ...ckpt.right.config, ...hyper, ...fileFields, ...flagFields });
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
      force: { type: 'boolean' },
      json: { type: 'boolean' },
      'time-limit': { type: 'string' },
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
  const file = typeof v.config === 'string' ? readConfigFile(v.config) : undefined;
  if (file !== undefined && isLeft(file)) throw new UsageError(file.left.join('\n'));
  const fileSource = file !== undefined && typeof v.config === 'string' ? { name: v.config, value: file.right } : undefined;
  const config = resume
    ? resumeConfig(outDir, presetName, fileSource, flags)
    : resolveTrainingConfig({ preset: presetName, file: fileSource, flags });
  if (isLeft(config)) throw new UsageError(config.left.join('\n'));
  const workersRaw = typeof v.workers === 'string' ? Number(v.workers) : Math.max(0, availableParallelism() - 1);
  if (!Number.isInteger(workersRaw) || workersRaw < 0 || workersRaw > 64) {
    throw new UsageError(`--workers: expected an integer in 0..64, got ${v.workers}`);
  }
  const limitRaw = v['time-limit'];
  const timeLimitMinutes = typeof limitRaw === 'string' ? Number(limitRaw) : undefined;
  if (timeLimitMinutes !== undefined && !(timeLimitMinutes > 0 && Number.isFinite(timeLimitMinutes))) {
    throw new UsageError(`--time-limit: expected a positive number of minutes, got ${limitRaw}`);
  }
  return {
    config: config.right,
    presetName: presetName ?? DEFAULT_PRESET,
    ...(timeLimitMinutes !== undefined ? { timeLimitMinutes } : {}),
    outDir,
    workers: workersRaw,
    resume,
    force: v.force === true,
    json: v.json === true,
  };
};

const fmt = (x: number): string => (Number.isFinite(x) ? x.toFixed(5) : String(x));
const pct = (x: number | undefined): string => (x !== undefined && Number.isFinite(x) ? `${(100 * x).toFixed(2)} %` : 'n/a');
/** A classifier's accuracies for the epoch line (empty for other tasks). */
const accuracyText = (r: { validationAccuracy?: number; testAccuracy?: number }): string =>
  r.testAccuracy === undefined ? '' : `accuracy validation ${pct(r.validationAccuracy)}  test ${pct(r.testAccuracy)}  `;

/** How a run ended, for the exit status. */
export interface TrainingOutcome {
  readonly summary: RunSummary;
  /** The signal that stopped the run (Ctrl-C: SIGINT, `timeout`/`docker stop`: SIGTERM). */
  readonly signal: 'SIGINT' | 'SIGTERM' | null;
}

/** 0 for a finished run (or one its time limit ended); 130/143 when a signal stopped it; 2 when it diverged. */
export const exitStatus = (o: TrainingOutcome): number =>
  o.summary.diverged !== null
    ? 2
    : o.signal === 'SIGTERM'
      ? 143
      : o.signal === 'SIGINT' || (o.summary.interrupted && o.summary.stoppedBy !== 'time-limit')
        ? 130
        : 0;

/** Runs training with a progress line and Ctrl-C/SIGTERM handling. */
export const runTraining = async (
  a: TrainArgs,
  onEpochEnd?: (c: EpochContext) => void | Promise<void>,
): Promise<TrainingOutcome> => {
  const trainWorker = trainWorkerScript();
  const bar = progressLine();
  const stop = new AbortController();
  let signal: TrainingOutcome['signal'] = null;
  const onSignal = (name: 'SIGINT' | 'SIGTERM') => () => {
    if (signal !== null) process.exit(name === 'SIGTERM' ? 143 : 130);
    signal = name;
    stop.abort();
    bar.done();
    process.stderr.write(`${name}: stopping after this batch (Ctrl-C again to quit at once) …\n`);
  };
  const onSigint = onSignal('SIGINT');
  const onSigterm = onSignal('SIGTERM');
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);
  const say = (m: string) => process.stderr.write(`${m}\n`);
  const c = a.config;
  try {
    const { summary } = await train(c, {
      out: a.outDir,
      resume: a.resume,
      force: a.force,
      workers: a.workers,
      workerScript: trainWorker,
      signal: stop.signal,
      ...(a.timeLimitMinutes !== undefined ? { timeLimitSeconds: 60 * a.timeLimitMinutes } : {}),
      log: say,
      onStart: (s) =>
        say(
          `training ${c.dataset} ${s.task} ${s.layerSizes.join('-')} (${s.data.rows}×${s.data.cols} images), ${c.nPulses} pulses, ` +
            `latency ${c.latency}, noise ${c.noiseFactor}, batch ${c.batchSize}, ${c.epochs} epoch(s), ${a.workers + 1} thread(s) → ${a.outDir}`,
        ),
      onProgress: (p) => bar.update(p, c.epochs),
      onEpoch: async (ctx) => {
        bar.done();
        const r = ctx.record;
        say(
          `epoch ${r.epoch + 1}/${c.epochs}: train ${fmt(r.trainLoss)}  validation ${fmt(r.validationLoss)}  test ${fmt(r.testLoss)}  ` +
            accuracyText(r) +
            `(${r.seconds.toFixed(1)} s: training ${r.trainSeconds.toFixed(1)} s at ${Math.round(r.trainImagesPerSec)} img/s, then evaluation)`,
        );
        await onEpochEnd?.(ctx);
      },
    });
    if (summary.diverged !== null) {
      const latest = runFiles(a.outDir).latest;
      say(
        `spikeline: ${summary.diverged}; ` +
          (existsSync(latest) ? `${latest} keeps the last good checkpoint (${summary.epochs} epoch(s))` : 'no checkpoint was written (it diverged before the first)'),
      );
    }
    return { summary, signal };
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigterm);
    bar.done();
  }
};

/** The files of the run directory that exist, for the closing message. */
export const writtenFiles = (outDir: string): string =>
  existingRunFiles(outDir).map((f) => f.slice(outDir.length + 1)).filter((f) => f !== 'config.json' && f !== 'summary.json').join(', ');

export const trainCommand = async (argv: string[]): Promise<number> => {
  const a = parseTrainArgs(argv);
  if (a === 'help') {
    console.log(trainUsage);
    return 0;
  }
  const { writeRunPictures } = await import('../../report/runPictures.ts');
  const outcome = await runTraining(a, (ctx) => writeRunPictures(a.outDir, ctx));
  const { summary } = outcome;
  if (a.json) console.log(JSON.stringify({ ...summary, history: undefined }));
  else if (summary.bestEpoch >= 0) {
    process.stderr.write(
      `best validation ${fmt(summary.bestValidationLoss)} at epoch ${summary.bestEpoch + 1}; its test loss ${fmt(summary.testLoss)}\n` +
        `files in ${a.outDir}: ${writtenFiles(a.outDir)}\n`,
    );
  }
  return exitStatus(outcome);
};
