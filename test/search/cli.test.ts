/**
 * `spikeline search` / `spikeline worker` arguments: defaults, and bad input reported with the
 * flag or file and what was expected (a UsageError: exit status 2), before anything runs.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_BUDGET, formatSearchProgress, parseSearchArgs } from '../../src/cli/commands/search.ts';
import { workerCommand } from '../../src/cli/commands/worker.ts';
import { UsageError } from '../../src/cli/usageError.ts';
import { TABLE_1_SPACE } from '../../src/search/space.ts';

const fails = (argv: string[], message: RegExp) => {
  expect(() => parseSearchArgs(argv)).toThrow(UsageError);
  expect(() => parseSearchArgs(argv)).toThrow(message);
};

describe('spikeline search arguments', () => {
  it('defaults: in-process, evolution, Table 1 space, the small budget, name from --out', () => {
    const a = parseSearchArgs(['--out', 'runs/my-search']);
    if (a === 'help') throw new Error('unexpected help');
    expect(a.backend).toBe('inprocess');
    expect(a.strategy).toBe('evolution');
    expect(a.space).toBe(TABLE_1_SPACE);
    expect(a.budget).toEqual(DEFAULT_BUDGET);
    expect(a.name).toBe('my-search');
    const b = parseSearchArgs(['--budget-images', '300', '--epochs', '2', '--validation-images', '100', '--preset', 'h8-l2-n0.4']);
    if (b === 'help') throw new Error('unexpected help');
    expect(b.budget).toEqual({ epochs: 2, trainImages: 300, validationImages: 100, testImages: 100 });
    expect(b.space.preset).toBe('h8-l2-n0.4');
  });

  it('reports bad flags and files naming what and where', () => {
    fails(['--backend', 'k8s'], /--backend: expected inprocess or redis, got k8s/);
    fails(['--strategy', 'tpe'], /--strategy: expected random or evolution, got tpe/);
    fails(['--trials', '0'], /--trials: expected an integer in 1\.\., got 0/);
    fails(['--budget-images', '1.5'], /--budget-images: expected an integer/);
    fails(['--redis', 'localhost:6379', '--backend', 'redis'], /--redis: expected a redis:\/\/ or rediss:\/\/ URL/);
    fails(['--name', 'a:b'], /--name: expected 1–100 letters/);
    fails(['--preset', 'h7-l1-n0'], /unknown preset "h7-l1-n0"/);
    fails(['--space', '/nonexistent/space.json'], /\/nonexistent\/space\.json: cannot read search space file \(no such file\)/);
    const d = mkdtempSync(join(tmpdir(), 'spikeline-space-'));
    const f = join(d, 'space.json');
    writeFileSync(f, JSON.stringify({ params: { learningRate: { min: 0, max: 1, scale: 'log' } } }));
    fails(['--space', f], /space\.json: params\.learningRate\.min: a log scale needs min > 0, got 0/);
    fails(['extra'], /unexpected argument "extra"/);
  });

  it('formats progress: done/running/failed, best so far, ETA', () => {
    const line = formatSearchProgress({
      total: 20, done: 5, failed: 1, inFlight: 2, running: 2, best: { trialId: 't00003', validationLoss: 0.041234 },
      elapsedSeconds: 60, etaSeconds: 168,
    });
    expect(line).toBe('trials 5/20 done, 2 running, 1 failed · best t00003 0.04123 · ETA 2m48s');
  });
});

describe('spikeline worker arguments', () => {
  it('needs --redis and checks its flags before connecting', async () => {
    await expect(workerCommand([])).rejects.toThrow(/--redis URL is required/);
    await expect(workerCommand(['--redis', 'http://x'])).rejects.toThrow(/--redis: expected a redis:\/\//);
    await expect(workerCommand(['--redis', 'redis://127.0.0.1:1', '--concurrency', '0'])).rejects.toThrow(/--concurrency: expected an integer in 1\.\.64, got 0/);
  });
});
