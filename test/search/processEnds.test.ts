/**
 * Every process ends (issue 12): `spikeline search --backend redis` and `spikeline worker` with no
 * Redis exit 2 after their connect timeout with one line naming the URL; a worker ends on SIGTERM
 * in every state — while connecting, idle, and after its Redis went away — with status 143.
 * Each runs the real command line in a subprocess (through src/cli/main.ts).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningRedis, freePort, startRedis } from './redisKit.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const entry = join(here, '../cli/mainEntry.ts');

interface Spawned {
  readonly proc: ChildProcess;
  readonly stderr: () => string;
  /** Resolves at exit with the status and the seconds since `since()` was last called (or spawn). */
  readonly exit: Promise<{ status: number | null; signal: string | null; seconds: number }>;
  readonly waitFor: (pattern: RegExp) => Promise<void>;
  readonly since: () => void;
}

const children: ChildProcess[] = [];
const servers: RunningRedis[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const s of servers.splice(0)) await s.stop();
});

const spikeline = (...args: string[]): Spawned => {
  const proc = spawn(process.execPath, ['--import', 'tsx', entry, ...args], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(proc);
  let err = '';
  let t0 = performance.now();
  const waiters: { pattern: RegExp; ok: () => void }[] = [];
  proc.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
    for (const w of waiters.filter((w) => w.pattern.test(err))) w.ok();
  });
  const exit = new Promise<{ status: number | null; signal: string | null; seconds: number }>((ok) =>
    proc.once('exit', (status, signal) => ok({ status, signal, seconds: (performance.now() - t0) / 1000 })),
  );
  return {
    proc,
    stderr: () => err,
    exit,
    since: () => {
      t0 = performance.now();
    },
    waitFor: (pattern) =>
      new Promise<void>((ok, fail) => {
        if (pattern.test(err)) return ok();
        waiters.push({ pattern, ok });
        void exit.then((e) => fail(new Error(`exited (${e.status}) before ${pattern}: ${err}`)));
      }),
  };
};

const oneLine = (text: string): string[] => text.trim().split('\n');

/** SIGTERM: the process must exit by itself with 143 within `maxSeconds`. */
const endsOnTerm = async (p: Spawned, maxSeconds: number): Promise<void> => {
  p.since();
  p.proc.kill('SIGTERM');
  const e = await p.exit;
  expect(e).toMatchObject({ status: 143, signal: null });
  expect(e.seconds).toBeLessThan(maxSeconds);
};

/** A worker subprocess serving a fresh Redis. */
const servingWorker = async (): Promise<{ p: Spawned; redis: RunningRedis }> => {
  const redis = await startRedis();
  servers.push(redis);
  const p = spikeline('worker', '--redis', redis.url);
  await p.waitFor(/^worker \d+ serving/m);
  return { p, redis };
};

describe('no Redis there: exit 2 after the timeout, with the message', () => {
  it('spikeline search --backend redis', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const out = mkdtempSync(join(tmpdir(), 'spikeline-noredis-'));
    const p = spikeline('search', '--backend', 'redis', '--redis', url, '--connect-timeout', '1', '--out', join(out, 's'));
    const e = await p.exit;
    expect(e.status).toBe(2);
    expect(oneLine(p.stderr())).toEqual([`spikeline search: --redis ${url}: no connection within 1 s (connect ECONNREFUSED ${url.slice(8)}); is redis-server running?`]);
    // startup (a few seconds on a loaded machine) + 1 s timeout; it used to run forever
    expect(e.seconds).toBeLessThan(30);
  });

  it('spikeline worker --redis', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const p = spikeline('worker', '--redis', url, '--connect-timeout', '1');
    const e = await p.exit;
    expect(e.status).toBe(2);
    expect(oneLine(p.stderr()).slice(1)).toEqual([`spikeline worker: --redis ${url}: no connection within 1 s (connect ECONNREFUSED ${url.slice(8)}); is redis-server running?`]);
  });
});

describe('a worker ends on SIGTERM in every state (status 143)', () => {
  it('while connecting to a Redis that is not there', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const p = spikeline('worker', '--redis', url, '--connect-timeout', '600');
    await p.waitFor(/^worker: connecting to /m);
    await new Promise((r) => setTimeout(r, 500));
    await endsOnTerm(p, 5);
    expect(p.stderr()).toMatch(/SIGTERM while connecting/);
  });

  it('idle, serving a live Redis', async () => {
    const { p } = await servingWorker();
    await endsOnTerm(p, 5);
  });

  it('training a trial: finishes and stores it, then exits', async () => {
    const { p, redis } = await servingWorker();
    const out = mkdtempSync(join(tmpdir(), 'spikeline-termtrial-'));
    const search = spikeline(
      'search', '--backend', 'redis', '--redis', redis.url, '--name', 'termtest', '--trials', '1', '--strategy', 'random',
      '--budget-images', '200', '--validation-images', '20', '--epochs', '1', '--parallel', '1', '--out', join(out, 's'),
    );
    await p.waitFor(/termtest\/t00000: training/);
    await endsOnTerm(p, 60);
    expect(p.stderr()).toMatch(/termtest\/t00000: validation [\d.]+ in/);
    const s = await search.exit;
    expect(s.status).toBe(0);
    expect(search.stderr()).toMatch(/1 trial\(s\) done, 0 failed/);
  });

  it('idle, after its Redis went away', async () => {
    const { p, redis } = await servingWorker();
    await redis.stop();
    await new Promise((r) => setTimeout(r, 1500));
    await endsOnTerm(p, 10);
  });
});

describe('a search ends on SIGTERM as on Ctrl-C (status 143, results kept for a resume)', () => {
  it('in-process backend: stops starting trials, stores what finished, exits 143; a resume reuses them', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'spikeline-termsearch-')), 's');
    const flags = ['--trials', '40', '--strategy', 'random', '--budget-images', '100', '--validation-images', '20', '--epochs', '1', '--threads', '0', '--out', out];
    const search = spikeline('search', ...flags);
    await search.waitFor(/t00000: validation/);
    await endsOnTerm(search, 30);
    expect(search.stderr()).toMatch(/stopping \(SIGTERM\): no new trials/);
    const done = (search.stderr().match(/: validation /g) ?? []).length;
    expect(done).toBeGreaterThanOrEqual(1);
    expect(done).toBeLessThan(40);
    const again = spikeline('search', ...flags.map((f) => (f === '40' ? String(done) : f)));
    const e = await again.exit;
    expect(e.status).toBe(0);
    expect(again.stderr()).toMatch(new RegExp(`${done} trial\\(s\\) done, 0 failed \\(${done} reused\\)`));
  });
});
