/**
 * `spikeline experiment <name|all> [--quick] [--epochs N] [--train-size N] [--datasets a,b] [--out DIR]`:
 * the runs behind the paper's figures 3–11 (a resumable grid: finished runs are skipped, a
 * killed grid continues), then the figures, CSV tables and one self-contained `report.html` in
 * DIR (default `runs/experiments`). Names: fig3 (also figure 4), fig5, fig6, fig7, dynamics
 * (figures 8–10), fig11, all.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isLeft } from 'fp-ts/lib/Either.js';
import { DATASET_NAMES, type Dataset, type DatasetName, loadDataset } from '../../data/datasets.ts';
import { type GridTask, runGrid } from '../../experiments/grid.ts';
import {
  type ExperimentSettings,
  FULL_SETTINGS,
  QUICK_SETTINGS,
  type RunResult,
  annTask,
  snnTask,
} from '../../experiments/paperRuns.ts';
import { writeFileAtomic } from '../../io/atomicWrite.ts';
import { InputError } from '../../io/inputError.ts';
import { type ReportSection, reportHtml, tableCsv } from '../../report/html.ts';
import { trainWorkerScript } from '../packageFiles.ts';
import { progressLine } from '../progress.ts';

export const EXPERIMENTS = ['fig3', 'fig5', 'fig6', 'fig7', 'dynamics', 'fig11', 'all'] as const;
type Experiment = (typeof EXPERIMENTS)[number];

export const experimentUsage = `usage: spikeline experiment <${EXPERIMENTS.join('|')}> [--quick] [--epochs N] [--train-size N]
                           [--datasets mnist,fashion-mnist] [--out DIR]
  fig3      reconstruction loss SNN vs ANN over noise × embedding size (and figure 4)
  fig5      t-SNE of embeddings      fig6  interpolation      fig7  SVM on embeddings vs pixels
  dynamics  figures 8–10 (spike times, membrane potentials, weights across latencies)
  fig11     SNN vs ANN activation variants on inverted images
  --quick   small data and 2 epochs: every figure in minutes (default: the paper's 100 epochs)`;

const positiveInt = (flag: string, raw: string): number => {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new InputError(`--${flag}: expected a positive integer, got "${raw}"`);
  return n;
};

export interface ExperimentArgs {
  readonly experiment: Experiment;
  readonly settings: ExperimentSettings;
  readonly outDir: string;
}

export const parseExperimentArgs = (argv: string[]): ExperimentArgs | 'help' => {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean' },
      epochs: { type: 'string' },
      'train-size': { type: 'string' },
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
  let s: ExperimentSettings = values.quick ? QUICK_SETTINGS : FULL_SETTINGS;
  if (values.epochs !== undefined) s = { ...s, epochs: positiveInt('epochs', values.epochs) };
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
  return { experiment: name as Experiment, settings: s, outDir: values.out ?? join('runs', 'experiments') };
};

/** The grid tasks an experiment needs (deduplicated, in a stable order). */
export const tasksFor = (a: ExperimentArgs, env: Parameters<typeof snnTask>[1]): GridTask<RunResult>[] => {
  const s = a.settings;
  const want = (e: Experiment) => a.experiment === 'all' || a.experiment === e;
  const tasks = new Map<string, GridTask<RunResult>>();
  const add = (t: GridTask<RunResult>) => tasks.set(t.id, t);
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

export const experimentCommand = async (argv: string[]): Promise<number> => {
  const a = parseExperimentArgs(argv);
  if (a === 'help') {
    console.log(experimentUsage);
    return 0;
  }
  const s = a.settings;
  const cache = new Map<DatasetName, Dataset>();
  const dataset = (name: DatasetName): Dataset => {
    const hit = cache.get(name);
    if (hit) return hit;
    const d = loadDataset(name);
    if (isLeft(d)) throw new InputError(d.left.message);
    cache.set(name, d.right);
    return d.right;
  };
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
  let current = '';
  const env = { dataset, workerScript: trainWorker, onProgress: (p: Parameters<typeof bar.update>[0], epochs: number) => bar.update(p, epochs) };
  const tasks = tasksFor(a, env).map((t) => ({
    ...t,
    run: async (ctx: Parameters<typeof t.run>[0]) => {
      const r = await t.run(ctx);
      if (r !== null) say(`    ${t.title}: test MSE ${r.testLoss.toFixed(5)} (best epoch ${r.bestEpoch + 1}, ${r.parameters} parameters)`);
      return r;
    },
  }));
  say(`experiment ${a.experiment}: ${tasks.length} runs, ${s.epochs} epoch(s), ${s.trainSize} training images, datasets ${s.datasets.join(', ')} → ${a.outDir}`);
  try {
    const outcome = await runGrid(tasks, {
      root,
      shouldStop: () => stop,
      onSkip: (t, i, n) => say(`[${i + 1}/${n}] ${t.title}: done earlier, skipped`),
      onStart: (t, i, n) => {
        current = t.title;
        const el = (performance.now() - t0) / 1000;
        say(`[${i + 1}/${n}] ${current} (overall ${Math.round((100 * i) / n)}%, ${el.toFixed(0)} s elapsed)`);
      },
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
    if (want('fig3')) sections.push(fig.figure3(f), fig.figure4(f));
    if (want('fig5')) sections.push(fig.figure5(f));
    if (want('fig6')) sections.push(fig.figure6(f));
    if (want('fig7')) sections.push(await fig.figure7(f));
    if (want('dynamics')) sections.push(fig.dynamicsFigures(f));
    if (want('fig11')) sections.push(fig.figure11(f));
    for (const sec of sections) {
      sec.figures?.forEach((g, k) => {
        if (g.svg !== undefined) writeFileAtomic(join(a.outDir, `${sec.id}-${k + 1}.svg`), g.svg);
        if (g.png !== undefined) writeFileAtomic(join(a.outDir, `${sec.id}-${k + 1}.png`), g.png);
      });
      for (const t of sec.tables ?? []) writeFileAtomic(join(a.outDir, t.csvName), tableCsv(t));
    }
    writeFileAtomic(join(a.outDir, 'results.json'), `${JSON.stringify({ settings: s, results: Object.fromEntries(outcome.results) }, null, 1)}\n`);
    const html = reportHtml({
      title: `spikeline: Comsa et al. 2021 experiments (${a.experiment}${s.quick ? ', --quick' : ''})`,
      intro: `Settings: ${s.epochs} epoch(s), ${s.trainSize} training, ${s.validationSize} validation and ${s.testSize} test images, datasets ${s.datasets.join(', ')}, seed ${s.seed}. Spiking runs use the published hyperparameter presets; ANN baselines use the same data, epochs, batch size and Adam (learning rate ${s.annLearningRate}). Total wall time ${((performance.now() - t0) / 1000).toFixed(0)} s.`,
      sections,
    });
    writeFileAtomic(join(a.outDir, 'report.html'), html);
    say(`report: ${join(a.outDir, 'report.html')} (${sections.length} sections, ${((performance.now() - t0) / 1000).toFixed(0)} s)`);
    return 0;
  } finally {
    process.off('SIGINT', onSigint);
    bar.done();
  }
};
