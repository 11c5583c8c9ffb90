/**
 * `spikeline experiment <name|all> [--quick|--standard] [--parallel N] [overrides] [--out DIR]`:
 * the runs behind the paper's figures 3–11 (a resumable grid: finished runs are skipped, a
 * killed grid continues; independent runs go one per core, each in its own single-threaded
 * process), then the figures, CSV tables, `claims.json` and one self-contained `report.html`
 * with the claims table on top in DIR (default `runs/experiments`). Names: fig3 (also figure 4),
 * fig5, fig6, fig7, dynamics (figures 8–10), fig11, all.
 */
import { mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isLeft } from 'fp-ts/lib/Either.js';
import { DATASET_NAMES, type Dataset, type DatasetName, loadDataset } from '../../data/datasets.ts';
import { type GridTask, runGrid } from '../../experiments/grid.ts';
import { type ClaimsInput, claimsFile, computeClaims } from '../../experiments/claims.ts';
import { runRecords, snnCurves } from '../../experiments/claimInputs.ts';
import { RESULT_PREFIX, RUN_REQUEST_FLAG, inChildProcess, parseRunRequest } from '../../experiments/childRun.ts';
import { type RunQueue, openRunQueue } from '../../experiments/redisRuns.ts';
import { DEFAULT_QUEUE, connectionOptions } from '../../search/redisStore.ts';
import {
  type ExperimentSettings,
  type PaperTask,
  PROFILES,
  type RunResult,
  type TaskEnv,
  annTask,
  snnTask,
  specTask,
} from '../../experiments/paperRuns.ts';
import { writeFileAtomic } from '../../io/atomicWrite.ts';
import { InputError } from '../../io/inputError.ts';
import { type ReportSection, reportHtml, tableCsv } from '../../report/html.ts';
import { svgToPng } from '../../report/svgToPng.ts';
import { packageRoot, trainWorkerScript } from '../packageFiles.ts';
import { progressLine } from '../progress.ts';

export const EXPERIMENTS = ['fig3', 'fig5', 'fig6', 'fig7', 'dynamics', 'fig11', 'all'] as const;
type Experiment = (typeof EXPERIMENTS)[number];

export const experimentUsage = `usage: spikeline experiment <${EXPERIMENTS.join('|')}> [--quick|--standard] [--parallel N] [--out DIR]
                           [--epochs N] [--train-size N] [--validation-size N] [--test-size N]
                           [--datasets mnist,fashion-mnist] [--hiddens 8,32] [--noises 0,0.8] [--latencies 1,4]
  fig3      reconstruction loss SNN vs ANN over noise × embedding size (and figure 4)
  fig5      t-SNE of embeddings      fig6  interpolation      fig7  SVM on embeddings vs pixels
  dynamics  figures 8–10 (spike times, membrane potentials, weights across latencies)
  fig11     SNN vs ANN activation variants on inverted images
  --quick      ≤ 15 min on 2 cores: 2 epochs on the full training set (batch ≤ 20), H 8/32, noise 0/0.8, latencies 1/4
  --standard   ≤ 2 h on 2 cores: 5 epochs, H 8/16/32, noise 0/0.4/0.8, latencies 1..16
               (default: the paper's protocol, 100 epochs on the full grid)
  --parallel N runs at once, each in its own single-threaded process (default: the cores, ${availableParallelism()};
               with --backend redis: runs in flight, default all)
  --backend redis --redis URL [--queue NAME]
               the runs become jobs on the BullMQ queue that \`spikeline worker --redis URL\` serves
               (default queue ${DEFAULT_QUEUE}); put --out on a file system the workers share`;

const positiveInt = (flag: string, raw: string): number => {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new InputError(`--${flag}: expected a positive integer, got "${raw}"`);
  return n;
};

const numberList = (flag: string, raw: string, ok: (n: number) => boolean, what: string): number[] => {
  const xs = raw.split(',').map((x) => x.trim());
  const ns = xs.map(Number);
  if (xs.length === 0 || xs.some((x) => x === '') || !ns.every(ok)) throw new InputError(`--${flag}: expected a comma-separated list of ${what}, got "${raw}"`);
  return [...new Set(ns)].sort((a, b) => a - b);
};

export interface ExperimentArgs {
  readonly experiment: Experiment;
  readonly settings: ExperimentSettings;
  readonly outDir: string;
  /** Runs at once (1: in this process, one after another; more: one child process per run; redis: jobs in flight). */
  readonly parallel: number;
  /** Where runs execute: here, or as jobs on a BullMQ queue. */
  readonly backend: { readonly kind: 'local' } | { readonly kind: 'redis'; readonly url: string; readonly queue: string };
}

export const parseExperimentArgs = (argv: string[]): ExperimentArgs | 'help' => {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean' },
      standard: { type: 'boolean' },
      parallel: { type: 'string' },
      backend: { type: 'string' },
      redis: { type: 'string' },
      queue: { type: 'string' },
      epochs: { type: 'string' },
      'train-size': { type: 'string' },
      'validation-size': { type: 'string' },
      'test-size': { type: 'string' },
      hiddens: { type: 'string' },
      noises: { type: 'string' },
      latencies: { type: 'string' },
      datasets: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean' },
    },
    allowPositionals: true,
  });
  if (values.help) return 'help';
  if (positionals.length !== 1) throw new InputError(`expected one experiment name, got ${positionals.length}\n${experimentUsage}`);
  const name = positionals[0];
  if (!(EXPERIMENTS as readonly string[]).includes(name)) throw new InputError(`unknown experiment "${name}" (one of ${EXPERIMENTS.join(', ')})`);
  if (values.quick && values.standard) throw new InputError('--quick and --standard: choose one profile');
  let s: ExperimentSettings = PROFILES[values.quick ? 'quick' : values.standard ? 'standard' : 'full'];
  if (values.epochs !== undefined) s = { ...s, epochs: positiveInt('epochs', values.epochs) };
  if (values['validation-size'] !== undefined) s = { ...s, validationSize: positiveInt('validation-size', values['validation-size']) };
  if (values['test-size'] !== undefined) s = { ...s, testSize: positiveInt('test-size', values['test-size']) };
  if (values.hiddens !== undefined) s = { ...s, hiddens: numberList('hiddens', values.hiddens, (n) => Number.isInteger(n) && n >= 1, 'positive integers') };
  if (values.noises !== undefined) s = { ...s, noises: numberList('noises', values.noises, (n) => n >= 0 && n <= 1, 'noise factors in [0, 1]') };
  if (values.latencies !== undefined) s = { ...s, latencies: numberList('latencies', values.latencies, (n) => [1, 2, 4, 8, 16].includes(n), 'published latencies (1, 2, 4, 8, 16)') };
  if (values['train-size'] !== undefined) {
    const n = positiveInt('train-size', values['train-size']);
    if (n > 60_000 - s.validationSize) throw new InputError(`--train-size: at most ${60_000 - s.validationSize}, got ${n}`);
    s = { ...s, trainSize: n };
  }
  if (values.datasets !== undefined) {
    const ds = values.datasets.split(',').map((x) => x.trim()).filter((x) => x !== '');
    const bad = ds.filter((x) => !(DATASET_NAMES as readonly string[]).includes(x));
    if (bad.length > 0 || ds.length === 0) throw new InputError(`--datasets: expected a comma-separated list of ${DATASET_NAMES.join(', ')}, got "${values.datasets}"`);
    s = { ...s, datasets: ds as DatasetName[] };
  }
  const kind = values.backend ?? 'local';
  if (kind !== 'local' && kind !== 'redis') throw new InputError(`--backend: expected local or redis, got "${kind}"`);
  if (kind === 'redis' && values.redis === undefined) throw new InputError('--backend redis: needs --redis URL (e.g. redis://127.0.0.1:6379)');
  if (kind === 'local' && (values.redis !== undefined || values.queue !== undefined)) throw new InputError('--redis/--queue: only with --backend redis');
  if (values.redis !== undefined) {
    const c = connectionOptions(values.redis);
    if (isLeft(c)) throw new InputError(c.left);
  }
  const backend: ExperimentArgs['backend'] = kind === 'redis' ? { kind, url: values.redis as string, queue: values.queue ?? DEFAULT_QUEUE } : { kind };
  const parallel = values.parallel !== undefined ? positiveInt('parallel', values.parallel) : kind === 'redis' ? Number.MAX_SAFE_INTEGER : availableParallelism();
  return { experiment: name as Experiment, settings: s, outDir: values.out ?? join('runs', 'experiments'), parallel, backend };
};

/** The grid tasks an experiment needs (deduplicated, in a stable order). */
export const tasksFor = (a: Pick<ExperimentArgs, 'experiment' | 'settings'>, env: TaskEnv): PaperTask[] => {
  const s = a.settings;
  const want = (e: Experiment) => a.experiment === 'all' || a.experiment === e;
  const tasks = new Map<string, PaperTask>();
  const add = (t: PaperTask) => tasks.set(t.id, t);
  const hMax = s.hiddens[s.hiddens.length - 1];
  for (const d of s.datasets) {
    if (want('fig3') || want('fig5') || want('fig7')) {
      for (const h of s.hiddens) for (const n of s.noises) add(snnTask(s, env, d, h, 1, n));
    }
    if (want('fig3') || want('fig7')) for (const h of s.hiddens) for (const n of s.noises) add(annTask(s, env, d, h, n, 'plain', ['relu', 'sigmoid']));
    if (want('fig6')) add(snnTask(s, env, d, hMax, 1, 0));
    if (want('fig11')) {
      for (const h of s.hiddens) {
        add(snnTask(s, env, d, h, 1, 0));
        add(annTask(s, env, d, h, 0, 'plain', ['relu', 'sigmoid']));
        for (const pair of s.annVariants) add(annTask(s, env, d, h, 0, 'inverted', pair));
      }
    }
  }
  if (want('dynamics')) for (const l of s.latencies) add(snnTask(s, env, 'mnist', hMax, l, 0));
  return [...tasks.values()];
};

const datasetLoader = (): ((name: DatasetName) => Dataset) => {
  const cache = new Map<DatasetName, Dataset>();
  return (name) => {
    const hit = cache.get(name);
    if (hit) return hit;
    const d = loadDataset(name);
    if (isLeft(d)) throw new InputError(d.left.message);
    cache.set(name, d.right);
    return d.right;
  };
};

/** The child side of a parallel grid: one run, its result printed as a `RESULT {…}` line. */
const serveRunRequest = async (raw: string): Promise<number> => {
  const q = parseRunRequest(raw);
  const trainWorker = trainWorkerScript();
  let stop = false;
  const onSignal = () => {
    stop = true;
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const task = specTask(q.settings, { dataset: datasetLoader(), workerScript: trainWorker }, q.spec);
    const r = await task.run({ dir: q.dir, resume: q.resume, shouldStop: () => stop });
    if (r === null) return 130;
    process.stdout.write(`\n${RESULT_PREFIX}${JSON.stringify(r)}\n`);
    return 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
};

export const experimentCommand = async (argv: string[]): Promise<number> => {
  if (argv[0] === RUN_REQUEST_FLAG) {
    if (argv.length !== 2) throw new InputError(`${RUN_REQUEST_FLAG}: expected one JSON argument`);
    return serveRunRequest(argv[1]);
  }
  const a = parseExperimentArgs(argv);
  if (a === 'help') {
    console.log(experimentUsage);
    return 0;
  }
  const s = a.settings;
  const dataset = datasetLoader();
  const needed: DatasetName[] = a.experiment === 'dynamics' ? ['mnist'] : [...s.datasets];
  for (const d of needed) dataset(d); // fail early on a missing data set
  const trainWorker = trainWorkerScript();
  const root = join(a.outDir, 'runs');
  mkdirSync(root, { recursive: true });
  const bar = progressLine();
  const say = (m: string) => {
    bar.done();
    process.stderr.write(`${m}\n`);
  };
  let stop = false;
  const onSigint = () => {
    if (stop) process.exit(130);
    stop = true;
    say('stopping after this batch (Ctrl-C again to quit at once); rerun the same command to continue …');
  };
  process.on('SIGINT', onSigint);
  const t0 = performance.now();
  const b = a.backend;
  const parallel = a.parallel > 1 && b.kind === 'local';
  const env: TaskEnv = { dataset, workerScript: trainWorker, onProgress: a.parallel > 1 ? undefined : (p, epochs) => bar.update(p, epochs) };
  const launcher = { command: process.execPath, args: [join(packageRoot, 'bin', 'spikeline.mjs'), 'experiment'] };
  const queue: RunQueue | undefined = b.kind === 'redis' ? await openRunQueue({ url: b.url, queue: b.queue }) : undefined;
  const tasks = tasksFor(a, env).map((t0): GridTask<RunResult> => {
    const t = queue !== undefined ? queue.task(t0, s) : parallel ? inChildProcess(t0, s, launcher) : t0;
    return {
      ...t,
      run: async (ctx) => {
        const r = await t.run(ctx);
        if (r !== null) say(`    ${t.title}: test MSE ${r.testMse.toFixed(5)} = ${(r.testMse / r.meanImageMse).toFixed(3)} × mean image (best epoch ${r.bestEpoch + 1}, ${r.parameters} parameters)`);
        return r;
      },
    };
  });
  const atOnce = b.kind === 'redis' ? `on the queue ${b.queue} at ${b.url}` : `${a.parallel} at once`;
  say(`experiment ${a.experiment} (${s.profile} profile): ${tasks.length} runs, ${atOnce}, ${s.epochs} epoch(s), ${s.trainSize} training images, datasets ${s.datasets.join(', ')} → ${a.outDir}`);
  try {
    const outcome = await runGrid(tasks, {
      root,
      concurrency: a.parallel,
      shouldStop: () => stop,
      onSkip: (t, i, n) => say(`[${i + 1}/${n}] ${t.title}: done earlier, skipped`),
      onStart: (t, i, n) => say(`[${i + 1}/${n}] ${t.title} (${((performance.now() - t0) / 1000).toFixed(0)} s elapsed)`),
      onDone: (t, _i, _n, sec) => say(`    ${t.title}: ${sec.toFixed(1)} s`),
    });
    if (outcome.interrupted) {
      say(`stopped: ${outcome.results.size}/${tasks.length} runs finished; rerun the same command to continue`);
      return 130;
    }
    const f = { settings: s, root, results: outcome.results, dataset, log: say };
    const fig = await import('../../experiments/figures.ts');
    const want = (e: Experiment) => a.experiment === 'all' || a.experiment === e;
    const sections: ReportSection[] = [];
    const results = [...outcome.results.values()];
    const measured: { -readonly [K in keyof ClaimsInput]: ClaimsInput[K] } = { runs: runRecords(results), curves: snnCurves(results) };
    if (want('fig3')) sections.push(fig.figure3(f), fig.figure4(f));
    if (want('fig5')) sections.push(fig.figure5(f));
    if (want('fig6')) sections.push(fig.figure6(f));
    if (want('fig7')) {
      const r = await fig.figure7(f);
      sections.push(r.section);
      measured.svm = r.svm;
    }
    if (want('dynamics')) {
      const r = fig.dynamicsFigures(f);
      sections.push(r.section);
      measured.dynamics = r.dynamics;
      measured.weights = r.weights;
    }
    if (want('fig11')) sections.push(fig.figure11(f));
    for (const sec of sections) {
      sec.figures?.forEach((g, k) => {
        if (g.svg !== undefined) {
          writeFileAtomic(join(a.outDir, `${sec.id}-${k + 1}.svg`), g.svg);
          writeFileAtomic(join(a.outDir, `${sec.id}-${k + 1}.png`), svgToPng(g.svg));
        }
        if (g.png !== undefined) writeFileAtomic(join(a.outDir, `${sec.id}-${k + 1}.png`), g.png);
      });
      for (const t of sec.tables ?? []) writeFileAtomic(join(a.outDir, t.csvName), tableCsv(t));
    }
    const claims = computeClaims(measured);
    writeFileAtomic(join(a.outDir, 'claims.json'), `${JSON.stringify(claimsFile(s.profile, claims, measured.runs), null, 1)}\n`);
    writeFileAtomic(join(a.outDir, 'results.json'), `${JSON.stringify({ settings: s, results: Object.fromEntries(outcome.results) }, null, 1)}\n`);
    const seconds = (performance.now() - t0) / 1000;
    const html = reportHtml({
      title: `spikeline: Comsa et al. 2021 experiments (${a.experiment}, ${s.profile} profile)`,
      intro:
        `Settings: ${s.epochs} epoch(s), ${s.trainSize} training, ${s.validationSize} validation and ${s.testSize} test images, datasets ${s.datasets.join(', ')}, embedding sizes ${s.hiddens.join('/')}, noise ${s.noises.join('/')}, latencies ${s.latencies.join('/')}, seed ${s.seed}. ` +
        `${s.leavesOut === '' ? 'This is the paper’s protocol.' : s.leavesOut} ` +
        `Spiking runs use the published hyperparameter presets; ANN baselines use the same data, epochs, batch size and Adam (learning rate ${s.annLearningRate}). Every MSE is per pixel in [0, 1], output spike times decoded to pixels. ` +
        `${outcome.ran.length} runs made now (${atOnce}), ${outcome.skipped.length} reused; total wall time ${seconds.toFixed(0)} s.`,
      claims: claims.map((c) => ({ statement: c.statement, holds: c.holds, measured: c.measured, href: c.figure })),
      sections,
    });
    writeFileAtomic(join(a.outDir, 'report.html'), html);
    say(`claims: ${claims.filter((c) => c.holds).length} of ${claims.length} hold (${join(a.outDir, 'claims.json')})`);
    say(`report: ${join(a.outDir, 'report.html')} (${sections.length} sections, ${seconds.toFixed(0)} s)`);
    return 0;
  } finally {
    process.off('SIGINT', onSigint);
    bar.done();
    await queue?.close();
  }
};
