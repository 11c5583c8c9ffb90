/**
 * The distributed backend against a real Redis: this file starts `redis-server` on a free
 * loopback port (no persistence) and stops it afterwards; it FAILS when redis-server is missing
 * (Debian package redis-server). Two worker processes serve a search; one is killed with SIGKILL
 * in the middle of a trial; every trial must still finish exactly once, and the number of stored
 * results must equal the number of trials.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTrainArgs } from '../../src/cli/commands/train.ts';
import { parseSearchArgs, runSearchCommand } from '../../src/cli/commands/search.ts';
import { openRedisStore } from '../../src/search/redisStore.ts';
import type { TrialResult } from '../../src/search/trial.ts';
import { type RunningRedis, freePort, sleep, startRedis } from './redisKit.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const entry = join(here, 'cliEntry.ts');

let redis: RunningRedis | undefined;
let url = '';
let redisError: Error | undefined;
const workers: ChildProcess[] = [];

beforeAll(async () => {
  // a missing redis-server fails every test below (never skips them)
  redisError = await startRedis().then(
    (r) => {
      redis = r;
      url = r.url;
      return undefined;
    },
    (e: Error) => e,
  );
});

/** Throws the reason Redis could not be started, if any. */
const needRedis = () => {
  if (redisError !== undefined) throw redisError;
};

afterAll(async () => {
  for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
  await redis?.stop();
});

/** A `spikeline worker` subprocess; `lines` collects its stderr lines. */
const startWorker = (): { proc: ChildProcess; lines: string[]; ready: Promise<void> } => {
  const proc = spawn(process.execPath, ['--import', 'tsx', entry, 'worker', '--redis', url, '--lock-ms', '1500', '--stalled-ms', '500'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  workers.push(proc);
  const lines: string[] = [];
  let buffer = '';
  const ready = new Promise<void>((ok, fail) => {
    proc.stderr?.on('data', (d: Buffer) => {
      buffer += d.toString();
      const parts = buffer.split('\n');
      buffer = parts.pop() ?? '';
      for (const l of parts) {
        lines.push(l);
        if (l.startsWith('worker ')) ok();
      }
    });
    proc.once('exit', (code) => fail(new Error(`worker exited with ${code}: ${lines.join('\n')}${buffer}`)));
  });
  return { proc, lines, ready };
};

describe('redis store', () => {
  it('stores one result per trial id, however often it arrives', async () => {
    needRedis();
    const store = await openRedisStore(url, 'store-test');
    try {
      const r: TrialResult = {
        trialId: 't00000', validationLoss: 0.1, testLoss: 0.2, trainLoss: 0.3, epochs: 1,
        seconds: 1, trainImagesPerSec: 100, worker: 'w', finishedAt: '2024-01-01T00:00:00Z',
      };
      expect(await store.recordResult(r)).toBe(true);
      expect(await store.recordResult({ ...r, validationLoss: 0.01 })).toBe(false);
      expect(await store.recordResult({ ...r, trialId: 't00001' })).toBe(true);
      expect(await store.resultCount()).toBe(2);
      const loaded = await store.load();
      expect(loaded.duplicates).toBe(1);
      expect(loaded.results.find((x) => x.trialId === 't00000')?.validationLoss).toBe(0.1);
    } finally {
      await store.close();
    }
  });
});

describe('no Redis', () => {
  it('opening a store fails within its timeout, naming the URL', async () => {
    needRedis();
    const port = await freePort();
    await expect(openRedisStore(`redis://127.0.0.1:${port}`, 'x', 500)).rejects.toThrow(
      new RegExp(`--redis redis://127\\.0\\.0\\.1:${port}: no connection within 0\\.5 s.*is redis-server running\\?`),
    );
  });
});

describe('search on BullMQ with two workers, one killed mid-trial', () => {
  it('finishes every trial exactly once, resumes, and writes a trainable preset', async () => {
    needRedis();
    const a = startWorker();
    const b = startWorker();
    await Promise.all([a.ready, b.ready]);
    const out = mkdtempSync(join(tmpdir(), 'spikeline-redis-search-'));
    const trials = 5;
    const args = (n: number) => {
      const p = parseSearchArgs([
        '--backend', 'redis', '--redis', url, '--name', 'killtest', '--trials', String(n), '--strategy', 'evolution',
        '--budget-images', '2000', '--validation-images', '100', '--epochs', '1', '--seed', '11', '--parallel', '2', '--out', out,
      ]);
      if (p === 'help') throw new Error('unexpected help');
      return p;
    };
    // kill worker A with SIGKILL as soon as it starts training a trial
    let killedTrial: string | undefined;
    const killer = (async () => {
      while (killedTrial === undefined) {
        const line = a.lines.find((l) => l.includes(': training'));
        if (line !== undefined) {
          a.proc.kill('SIGKILL');
          killedTrial = /\/(t\d+): training/.exec(line)?.[1];
          return;
        }
        await sleep(10);
      }
    })();
    const messages: string[] = [];
    const summary = await runSearchCommand(args(trials), (m) => messages.push(m));
    await killer;
    expect(a.proc.signalCode ?? (await new Promise((r) => a.proc.once('exit', (_c, s) => r(s))))).toBe('SIGKILL');
    expect(killedTrial).toMatch(/^t\d{5}$/);

    expect(summary.done).toBe(trials);
    expect(summary.failed).toBe(0);
    const store = await openRedisStore(url, 'killtest');
    try {
      const stored = await store.load();
      // exactly once: one result per trial, as many results as trials
      expect(await store.resultCount()).toBe(trials);
      expect(stored.results.map((r) => r.trialId).sort()).toEqual(stored.trials.map((t) => t.id).sort());
      expect(stored.trials.length).toBe(trials);
      // the killed trial was started again (by worker B) and its one result is B's
      expect(stored.starts[killedTrial as string]).toBeGreaterThanOrEqual(2);
      const killedResult = stored.results.find((r) => r.trialId === killedTrial);
      expect(killedResult?.worker.endsWith(`:${a.proc.pid}`)).toBe(false);
      expect(killedResult?.worker.endsWith(`:${b.proc.pid}`)).toBe(true);
      expect(b.lines.some((l) => l.includes(`${killedTrial}: training`))).toBe(true);

      // resume: the stored results are reused, only the one new trial runs
      const more = await runSearchCommand(args(trials + 1), (m) => messages.push(m));
      expect(more.reused).toBe(trials);
      expect(more.done).toBe(trials + 1);
      expect(await store.resultCount()).toBe(trials + 1);
      const trained = b.lines.filter((l) => l.includes(': training')).map((l) => /\/(t\d+):/.exec(l)?.[1]);
      expect(trained.filter((id) => id === 't00005').length).toBe(1);
    } finally {
      await store.close();
    }
    expect(messages.some((m) => /trials \d+\/5 done, \d+ running, 0 failed · best t\d{5} [\d.]+ · ETA/.test(m))).toBe(true);

    // the best trial as a preset for `spikeline train --config`
    const t = parseTrainArgs(['--config', summary.best[0].configFile, '--workers', '0']);
    if (t === 'help') throw new Error('unexpected help');
    expect(t.config.trainLimit).toBeUndefined();
    expect(summary.best[0].validationLoss).toBe(summary.results[0].validationLoss);
  });
});
