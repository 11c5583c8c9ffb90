/**
 * The in-process backend on a tiny budget (300 training images, 1 epoch, 100 validation and 100
 * test images): a search runs every trial once, stores each result once, writes best configs that
 * `spikeline train --config` accepts, resumes from its JSONL file, and is reproducible.
 */
import { appendFileSync, existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseTrainArgs } from '../../src/cli/commands/train.ts';
import { inProcessBackend, searchFile } from '../../src/search/inProcessBackend.ts';
import { datasetCache } from '../../src/search/runTrial.ts';
import { type SearchSummary, runSearch } from '../../src/search/search.ts';
import { TABLE_1_SPACE, pointToValues } from '../../src/search/space.ts';
import type { StrategyName } from '../../src/search/strategy.ts';
import type { TrialBudget } from '../../src/search/trial.ts';
import { jsonlStore } from '../../src/search/jsonlStore.ts';

const budget: TrialBudget = { epochs: 1, trainImages: 300, validationImages: 100, testImages: 100 };
const datasets = datasetCache();

const search = (outDir: string, trials: number, o: { seed?: number; strategy?: StrategyName; shouldStop?: () => boolean } = {}) =>
  runSearch({
    space: TABLE_1_SPACE,
    strategy: o.strategy ?? 'random',
    seed: o.seed ?? 7,
    trials,
    budget,
    backend: inProcessBackend({ outDir, datasets, shouldStop: o.shouldStop }),
    outDir,
    shouldStop: o.shouldStop,
  });

let dir: string;
let first: SearchSummary;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'spikeline-search-'));
  first = await search(join(dir, 'a'), 3);
});

describe('in-process search', () => {
  it('runs every trial exactly once and stores one result per trial', () => {
    expect(first.done).toBe(3);
    expect(first.failed).toBe(0);
    const stored = jsonlStore(searchFile(join(dir, 'a'))).load();
    expect(stored.results.map((r) => r.trialId).sort()).toEqual(['t00000', 't00001', 't00002']);
    expect(stored.trials.map((t) => t.id)).toEqual(['t00000', 't00001', 't00002']);
    expect(stored.duplicates).toBe(0);
    for (const r of stored.results) expect(r.epochs).toBe(1);
    // each trial trained in its own run directory with the budget applied
    for (const t of stored.trials) {
      expect(t.config.trainLimit).toBe(300);
      expect(t.config.validationSize).toBe(100);
      expect(t.config.seed).toBe(t.seed);
      expect(existsSync(join(dir, 'a', 'trials', t.id, 'summary.json'))).toBe(true);
      // the config holds the values of the trial's point
      const values = pointToValues(TABLE_1_SPACE, t.point);
      for (const [k, v] of Object.entries(values)) expect(t.config[k as keyof typeof t.config]).toBe(v);
    }
  });

  it('writes the best trials as configs that `spikeline train --config` accepts', () => {
    const ranked = first.results.filter((r) => r.validationLoss !== null);
    expect(first.best.length).toBe(Math.min(3, ranked.length));
    expect(first.best[0].trialId).toBe(ranked[0].trialId);
    const stored = jsonlStore(searchFile(join(dir, 'a'))).load();
    const trial = stored.trials.find((t) => t.id === first.best[0].trialId);
    const args = parseTrainArgs(['--config', first.best[0].configFile, '--workers', '0']);
    if (args === 'help') throw new Error('unexpected help');
    expect(args.config.learningRate).toBe(trial?.config.learningRate);
    expect(args.config.batchSize).toBe(trial?.config.batchSize);
    expect(args.config.nPulses).toBe(trial?.config.nPulses);
    expect(args.config.seed).toBe(trial?.seed);
    // the search budget is not part of the preset: full data and default epochs
    expect(args.config.trainLimit).toBeUndefined();
    expect(args.config.epochs).toBe(100);
    const board = JSON.parse(readFileSync(join(dir, 'a', 'leaderboard.json'), 'utf8')) as { trialId: string }[];
    expect(board[0].trialId).toBe(first.best[0].trialId);
  });

  it('resumes: stored results are reused, only the missing trials run', async () => {
    const out = join(dir, 'a');
    const ran: string[] = [];
    const more = await runSearch({
      space: TABLE_1_SPACE,
      strategy: 'random',
      seed: 7,
      trials: 4,
      budget,
      backend: inProcessBackend({ outDir: out, datasets, onBatch: () => {} }),
      outDir: out,
      onOutcome: (t) => ran.push(t.id),
    });
    expect(more.reused).toBe(3);
    expect(ran).toEqual(['t00003']);
    expect(more.done).toBe(4);
    expect(jsonlStore(searchFile(out)).load().results.length).toBe(4);
    expect(readdirSync(join(out, 'trials')).sort()).toEqual(['t00000', 't00001', 't00002', 't00003']);
  });

  it('is reproducible: the same seed gives the same trials and losses', async () => {
    const again = await search(join(dir, 'b'), 2);
    const a = jsonlStore(searchFile(join(dir, 'a'))).load();
    const b = jsonlStore(searchFile(join(dir, 'b'))).load();
    expect(b.trials.map((t) => t.config)).toEqual(a.trials.slice(0, 2).map((t) => t.config));
    const loss = (s: typeof a, id: string) => s.results.find((r) => r.trialId === id)?.validationLoss;
    expect(loss(b, 't00000')).toBe(loss(a, 't00000'));
    expect(loss(b, 't00001')).toBe(loss(a, 't00001'));
    expect(again.done).toBe(2);
  });

  it('a stopped search resumes and then runs each trial once', async () => {
    const out = join(dir, 'c');
    let outcomes = 0;
    const stopped = await runSearch({
      space: TABLE_1_SPACE,
      strategy: 'evolution',
      seed: 3,
      trials: 3,
      budget,
      backend: inProcessBackend({ outDir: out, datasets }),
      outDir: out,
      onOutcome: () => outcomes++,
      shouldStop: () => outcomes >= 1,
    });
    expect(stopped.interrupted).toBe(true);
    expect(stopped.done).toBe(1);
    const resumed = await search(out, 3, { seed: 3, strategy: 'evolution' });
    expect(resumed.reused).toBe(1);
    expect(resumed.done).toBe(3);
    const stored = jsonlStore(searchFile(out)).load();
    expect(stored.results.length).toBe(3);
    expect(new Set(stored.results.map((r) => r.trialId)).size).toBe(3);
  });

  it('refuses to resume a stored search with other options, naming the file and the difference', async () => {
    await expect(search(join(dir, 'a'), 4, { seed: 8 })).rejects.toThrow(/search\.jsonl: holds a search with another seed/);
  });
});

describe('JSONL store', () => {
  it('counts a result once per trial id, tolerates a cut last line, and names a bad line', () => {
    const d = mkdtempSync(join(tmpdir(), 'spikeline-store-'));
    const store = jsonlStore(join(d, 'search.jsonl'));
    const r = {
      trialId: 't00000', validationLoss: 0.1, testLoss: 0.2, trainLoss: 0.3, epochs: 1,
      seconds: 1, trainImagesPerSec: 100, worker: 'w', finishedAt: '2024-01-01T00:00:00Z',
    };
    expect(store.appendResult(r)).toBe(true);
    expect(store.appendResult({ ...r, validationLoss: 0.05 })).toBe(false);
    appendFileSync(store.path, `${JSON.stringify({ type: 'result', result: { ...r, validationLoss: 0.01 } })}\n`);
    const loaded = store.load();
    expect(loaded.results).toEqual([r]);
    expect(loaded.duplicates).toBe(1);
    appendFileSync(store.path, '{"type":"resu');
    expect(store.load().results.length).toBe(1);
    // the next append (a fresh store, as after a restart) drops the cut line first
    const restarted = jsonlStore(store.path);
    expect(restarted.appendResult({ ...r, trialId: 't00001' })).toBe(true);
    expect(restarted.load().results.map((x) => x.trialId)).toEqual(['t00000', 't00001']);
    expect(readFileSync(store.path, 'utf8')).not.toMatch(/resu\{/);
    appendFileSync(store.path, 'garbage\n');
    appendFileSync(store.path, `${JSON.stringify({ type: 'result', result: { ...r, trialId: 't00002' } })}\n`);
    expect(() => store.load()).toThrow(/search\.jsonl:4: not valid JSON/);
  });

  it('names the field of a bad record', () => {
    const d = mkdtempSync(join(tmpdir(), 'spikeline-store-'));
    const store = jsonlStore(join(d, 'search.jsonl'));
    appendFileSync(store.path, `${JSON.stringify({ type: 'failure', failure: { trialId: 't1', error: 'x', attempts: -2 } })}\n`);
    expect(() => store.load()).toThrow(/search\.jsonl:1: failure: attempts: expected non-negative integer, got -2/);
  });
});
