/**
 * `spikeline search`: hyperparameter search for the spiking autoencoder. Trials run in this
 * process (default) or as BullMQ jobs on Redis served by `spikeline worker` processes; results
 * are stored (`<out>/search.jsonl`, or Redis) and a restarted search resumes from them. The best
 * trials are written as `<out>/best-N.config.json` for `spikeline train --config`.
 */
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isLeft } from 'fp-ts/lib/Either.js';
import { readConfigFile } from '../../config/config.ts';
import type { Backend, TrialOutcome } from '../../search/backend.ts';
import { inProcessBackend } from '../../search/inProcessBackend.ts';
import { baseConfig } from '../../search/makeTrial.ts';
import { redisBackend } from '../../search/redisBackend.ts';
import { checkSearchName, connectionOptions } from '../../search/redisStore.ts';
import { type SearchProgress, type SearchSummary, runSearch } from '../../search/search.ts';
import { type SearchSpace, TABLE_1_SPACE, decodeSearchSpace } from '../../search/space.ts';
import { STRATEGY_NAMES, type StrategyName } from '../../search/strategy.ts';
import type { Trial, TrialBudget } from '../../search/trial.ts';
import { trainWorkerScript } from '../packageFiles.ts';
import { UsageError } from '../usageError.ts';

/** The default budget of a trial: small, to rank configurations quickly. */
export const DEFAULT_BUDGET: TrialBudget = { epochs: 1, trainImages: 2000, validationImages: 500, testImages: 500 };

export const searchUsage = `usage: spikeline search [--backend inprocess|redis] [--redis URL] [--name NAME] [--trials N]
                       [--strategy random|evolution] [--budget-images N] [--validation-images N]
                       [--epochs N] [--space FILE] [--preset NAME] [--out DIR] [--seed N]
                       [--parallel N] [--threads N] [--top K] [--connect-timeout S] [--json]
  --backend B          inprocess (default: trials one after another in this process) or redis
  --redis URL          Redis of the BullMQ queue (default redis://127.0.0.1:6379); start workers
                       with \`spikeline worker --redis URL\`
  --name NAME          the search's name in Redis (default: the last part of --out)
  --trials N           trials to finish, stored ones included (default 20)
  --strategy S         random, or evolution (default: tournament selection and mutation)
  --budget-images N    training images per trial (default ${DEFAULT_BUDGET.trainImages})
  --validation-images N  held-out images that score a trial (default ${DEFAULT_BUDGET.validationImages}; also test images)
  --epochs N           epochs per trial (default ${DEFAULT_BUDGET.epochs})
  --space FILE         JSON {"preset", "fixed": {config fields}, "params": {field: {min, max, scale, integer}}}
                       (default: the ranges of Comsa et al. 2021, Table 1, on preset h32-l1-n0)
  --preset NAME        base preset of every trial (overrides the space file's)
  --out DIR            results, best-N.config.json, leaderboard.json (default runs/search)
  --seed N             seed of the proposals and of every trial's training (default 0)
  --parallel N         redis: trials queued or running at once (default 4)
  --threads N          inprocess: worker threads per trial besides the main one (default 0)
  --top K              best trials written as config files (default 3)
  --connect-timeout S  redis: seconds to wait for Redis at start (default 10), then exit 2
  --json               print the final summary as JSON on stdout`;

export interface SearchArgs {
  readonly backend: 'inprocess' | 'redis';
  readonly redis: string;
  readonly name: string;
  readonly trials: number;
  readonly strategy: StrategyName;
  readonly budget: TrialBudget;
  readonly space: SearchSpace;
  readonly outDir: string;
  readonly seed: number;
  readonly parallel: number;
  readonly threads: number;
  readonly top: number;
  readonly json: boolean;
  /** Milliseconds to wait for Redis at start. */
  readonly connectTimeoutMs: number;
}

const intFlag = (name: string, raw: string | undefined, dflt: number, min: number, max = Number.MAX_SAFE_INTEGER): number => {
  if (raw === undefined) return dflt;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`--${name}: expected an integer in ${min}..${max === Number.MAX_SAFE_INTEGER ? '' : max}, got ${raw}`);
  }
  return n;
};

export const parseSearchArgs = (argv: string[]): SearchArgs | 'help' => {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      backend: { type: 'string' },
      redis: { type: 'string' },
      name: { type: 'string' },
      trials: { type: 'string' },
      strategy: { type: 'string' },
      'budget-images': { type: 'string' },
      'validation-images': { type: 'string' },
      epochs: { type: 'string' },
      space: { type: 'string' },
      preset: { type: 'string' },
      out: { type: 'string' },
      seed: { type: 'string' },
      parallel: { type: 'string' },
      threads: { type: 'string' },
      top: { type: 'string' },
      'connect-timeout': { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean' },
    },
    allowPositionals: true,
  });
  if (values.help) return 'help';
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"\n${searchUsage}`);
  const backend = values.backend ?? 'inprocess';
  if (backend !== 'inprocess' && backend !== 'redis') {
    throw new UsageError(`--backend: expected inprocess or redis, got ${backend}`);
  }
  const strategy = values.strategy ?? 'evolution';
  if (!(STRATEGY_NAMES as readonly string[]).includes(strategy)) {
    throw new UsageError(`--strategy: expected ${STRATEGY_NAMES.join(' or ')}, got ${strategy}`);
  }
  const redis = values.redis ?? 'redis://127.0.0.1:6379';
  const conn = connectionOptions(redis);
  if (isLeft(conn)) throw new UsageError(conn.left);
  const outDir = values.out ?? 'runs/search';
  const name = values.name ?? basename(resolve(outDir));
  const checked = checkSearchName(name);
  if (isLeft(checked)) throw new UsageError(values.name === undefined ? `${checked.left} (from --out; pass --name)` : checked.left);
  let space = TABLE_1_SPACE;
  if (values.space !== undefined) {
    const file = readConfigFile(values.space);
    if (isLeft(file)) throw new UsageError(file.left.join('\n').replace('config file', 'search space file'));
    const decoded = decodeSearchSpace(file.right, values.space);
    if (isLeft(decoded)) throw new UsageError(decoded.left.join('\n'));
    space = decoded.right;
  }
  if (values.preset !== undefined) space = { ...space, preset: values.preset };
  baseConfig(space); // a bad preset or fixed field: report it before anything starts
  const validationImages = intFlag('validation-images', values['validation-images'], DEFAULT_BUDGET.validationImages, 1, 59_000);
  const budget: TrialBudget = {
    epochs: intFlag('epochs', values.epochs, DEFAULT_BUDGET.epochs, 1),
    trainImages: intFlag('budget-images', values['budget-images'], DEFAULT_BUDGET.trainImages, 1),
    validationImages,
    testImages: validationImages,
  };
  return {
    backend,
    redis,
    name,
    trials: intFlag('trials', values.trials, 20, 1),
    strategy: strategy as StrategyName,
    budget,
    space,
    outDir,
    seed: intFlag('seed', values.seed, 0, 0),
    parallel: intFlag('parallel', values.parallel, 4, 1, 10_000),
    threads: intFlag('threads', values.threads, 0, 0, 64),
    top: intFlag('top', values.top, 3, 1, 1000),
    json: values.json === true,
    connectTimeoutMs: 1000 * intFlag('connect-timeout', values['connect-timeout'], 10, 1, 3600),
  };
};

const fmtSeconds = (s: number): string => {
  if (!Number.isFinite(s)) return '?';
  if (s < 60) return `${Math.round(s)}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
};

/** `trials 5/20 done, 1 running, 0 failed · best t00003 0.04123 · ETA 1m20s` */
export const formatSearchProgress = (p: SearchProgress): string =>
  `trials ${p.done}/${p.total} done, ${p.running} running, ${p.failed} failed` +
  ` · best ${p.best === null ? '–' : `${p.best.trialId} ${p.best.validationLoss.toFixed(5)}`}` +
  ` · ETA ${fmtSeconds(p.etaSeconds)}`;

const describeOutcome = (t: Trial, o: TrialOutcome): string =>
  o.kind === 'result'
    ? `${t.id}: validation ${o.result.validationLoss === null ? 'diverged' : o.result.validationLoss.toFixed(5)} (${o.result.seconds.toFixed(1)} s, ${o.result.worker})`
    : o.kind === 'failed'
      ? `${t.id}: failed after ${o.failure.attempts} attempt(s): ${o.failure.error}`
      : `${t.id}: interrupted (runs again on resume)`;

/** A search summary and the signal that stopped it (Ctrl-C: SIGINT; `timeout`, `docker stop`: SIGTERM). */
export interface SearchOutcome extends SearchSummary {
  readonly signal: 'SIGINT' | 'SIGTERM' | null;
}

export const runSearchCommand = async (a: SearchArgs, say: (m: string) => void = (m) => process.stderr.write(`${m}\n`)): Promise<SearchOutcome> => {
  let signal: 'SIGINT' | 'SIGTERM' | null = null;
  const onSignal = (name: 'SIGINT' | 'SIGTERM') => () => {
    if (signal !== null) process.exit(name === 'SIGTERM' ? 143 : 130);
    signal = name;
    say(`stopping (${name}): no new trials; stored results stay for a resume (${name === 'SIGINT' ? 'Ctrl-C' : 'the signal'} again to quit at once) …`);
  };
  const onSigint = onSignal('SIGINT');
  const onSigterm = onSignal('SIGTERM');
  const unlisten = () => {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigterm);
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);
  const shouldStop = () => signal !== null;
  let backend: Backend;
  try {
    if (a.backend === 'redis') {
      backend = await redisBackend({ url: a.redis, name: a.name, capacity: a.parallel, shouldStop, connectTimeoutMs: a.connectTimeoutMs });
    } else {
      const workerScript = a.threads > 0 ? trainWorkerScript() : undefined;
      backend = inProcessBackend({ outDir: a.outDir, threads: a.threads, workerScript, shouldStop });
    }
  } catch (e) {
    unlisten();
    throw e;
  }
  say(
    `search: ${a.trials} trials, ${a.strategy}, ${a.space.params.length} hyperparameters on ${a.space.preset}, budget ${a.budget.epochs} epoch(s) × ` +
      `${a.budget.trainImages} images (validation ${a.budget.validationImages}), seed ${a.seed}, backend ${backend.kind} → ${backend.location}`,
  );
  let lastLine = 0;
  try {
    const summary = await runSearch({
      space: a.space,
      strategy: a.strategy,
      seed: a.seed,
      trials: a.trials,
      budget: a.budget,
      backend,
      outDir: a.outDir,
      top: a.top,
      shouldStop,
      onProgress: (p) => {
        if (p.elapsedSeconds - lastLine >= 10) {
          lastLine = p.elapsedSeconds;
          say(formatSearchProgress(p));
        }
      },
      onOutcome: (t, o, p) => {
        lastLine = p.elapsedSeconds;
        say(`${describeOutcome(t, o)}\n${formatSearchProgress(p)}`);
      },
    });
    return { ...summary, signal };
  } finally {
    unlisten();
    await backend.close();
  }
};

export const searchCommand = async (argv: string[]): Promise<number> => {
  const a = parseSearchArgs(argv);
  if (a === 'help') {
    console.log(searchUsage);
    return 0;
  }
  const s = await runSearchCommand(a);
  if (a.json) console.log(JSON.stringify({ ...s, results: undefined }));
  else {
    process.stderr.write(
      `${s.done} trial(s) done, ${s.failed} failed (${s.reused} reused) in ${s.seconds.toFixed(1)} s\n` +
        s.best.map((b) => `  #${b.rank} ${b.trialId} validation ${b.validationLoss?.toFixed(5)} → ${b.configFile}\n`).join('') +
        (s.best.length > 0 ? `train the best with: spikeline train --config ${s.best[0].configFile} --out runs/best\n` : ''),
    );
  }
  if (s.signal === 'SIGTERM') return 143;
  if (s.interrupted || s.signal === 'SIGINT') return 130;
  return s.done === 0 && s.failed > 0 ? 1 : 0;
};
