/**
 * Grid runs on the BullMQ queue of `spikeline worker`, against a real redis-server: a scaled-down
 * grid served by a worker process gives the same results as the same grid run in one process, and
 * a job delivered twice is trained once (its result stored once).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/data/datasets.ts';
import { PROFILES } from '../../src/experiments/paperRuns.ts';
import { experimentJobHandler, runResultKey } from '../../src/experiments/redisRuns.ts';
import { type RunningRedis, startRedis } from '../search/redisKit.ts';

const root = join(import.meta.dirname, '..', '..');
const cli = join(root, 'bin/spikeline.mjs');
const tiny = ['experiment', 'fig3', '--quick', '--epochs', '1', '--train-size', '100', '--validation-size', '50', '--test-size', '40', '--datasets', 'mnist', '--hiddens', '8', '--noises', '0,0.8'];

const run = (args: string[]) =>
  new Promise<{ code: number | null; stderr: string }>((ok) => {
    const c = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    c.stderr.on('data', (d) => {
      stderr += d;
    });
    c.on('close', (code) => ok({ code, stderr }));
  });

const numbers = (dir: string) => {
  const j = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as { results: Record<string, Record<string, unknown>> };
  return Object.fromEntries(Object.entries(j.results).map(([id, { seconds: _s, secondsPerEpoch: _e, ...rest }]) => [id, rest]));
};

let redis: RunningRedis;
let worker: ChildProcess | undefined;

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  worker?.kill('SIGTERM');
  await redis?.stop();
});

describe('experiment --backend redis', () => {
  it('a grid served by a spikeline worker equals the same grid run in one process', async () => {
    worker = spawn(process.execPath, [cli, 'worker', '--redis', redis.url, '--quiet'], { stdio: 'ignore' });
    const a = mkdtempSync(join(tmpdir(), 'experiment-redis-'));
    const b = mkdtempSync(join(tmpdir(), 'experiment-local-'));
    const [viaQueue, local] = await Promise.all([run([...tiny, '--backend', 'redis', '--redis', redis.url, '--out', a]), run([...tiny, '--parallel', '1', '--out', b])]);
    expect(viaQueue.code, viaQueue.stderr).toBe(0);
    expect(local.code, local.stderr).toBe(0);
    expect(viaQueue.stderr).toContain('on the queue spikeline-search');
    expect(Object.keys(numbers(a))).toHaveLength(4);
    expect(numbers(a)).toEqual(numbers(b));
  }, 300_000);

  it('a job delivered twice trains once: the second delivery finds the stored result', async () => {
    const mnist = loadDataset('mnist');
    if (mnist._tag === 'Left') throw new Error(mnist.left.message);
    const h = experimentJobHandler(redis.url, { dataset: () => mnist.right });
    const settings = { ...PROFILES.quick, epochs: 1, trainSize: 100, validationSize: 50, testSize: 20 };
    const dir = join(mkdtempSync(join(tmpdir(), 'experiment-job-')), 'ann');
    const job = { settings, spec: { kind: 'ann', dataset: 'mnist', h: 8, noise: 0, encoding: 'plain', encoder: 'relu', decoder: 'sigmoid' }, dir, resume: false };
    try {
      expect(await h.handle(job)).toEqual({ dir, recorded: true });
      expect(await h.handle(job)).toEqual({ dir, reused: true });
      await expect(h.handle({ ...job, spec: { kind: 'cnn' } })).rejects.toThrow(/spec.kind/);
    } finally {
      await h.close();
    }
    expect(runResultKey(dir)).toMatch(/^spikeline:experiment:[0-9a-f]{24}:result$/);
  }, 120_000);
});
