/**
 * Grid runs as BullMQ jobs on the queue that `spikeline worker --redis URL` serves, so a grid
 * spreads over machines. A job (name `experiment-run`, id derived from the run's directory, so
 * adding it twice is a no-op) carries the run as data (`RunRequest`); the worker trains it in
 * that directory and stores the result in Redis with SET NX: once, however often the job is
 * retried (a worker killed mid-run loses its lock, BullMQ hands the job to another worker, which
 * resumes from the run's checkpoint). The grid side polls for the result and stores it in
 * `result.json` as any other run.
 *
 * The run directories are paths the workers write to: with workers on other machines, put the
 * output directory on a file system they share (same path everywhere), so the figures find the
 * trained models.
 *
 * ## Example
 * ```ts
 * const q = await openRunQueue({ url: 'redis://127.0.0.1:6379', queue: 'spikeline-search' });
 * await runGrid(tasks.map((t) => q.task(t, settings)), { root, concurrency: 8 });
 * await q.close();
 * ```
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { InputError } from '../io/inputError.ts';
import { type RunRequest, parseRunRequest } from './childRun.ts';
import { type ExperimentSettings, type PaperTask, type RunResult, type TaskEnv, specTask } from './paperRuns.ts';

export const EXPERIMENT_JOB = 'experiment-run';

const digest = (dir: string): string => createHash('sha256').update(resolve(dir)).digest('hex').slice(0, 24);
/** Redis key of a run's stored result. */
export const runResultKey = (dir: string): string => `spikeline:experiment:${digest(dir)}:result`;
export const runJobId = (dir: string): string => `experiment.${digest(dir)}`;

export interface RunQueueOptions {
  readonly url: string;
  readonly queue: string;
  /** Attempts per run before it fails (default 3). */
  readonly attempts?: number;
  /** Milliseconds between polls for a result (default 500). */
  readonly pollMs?: number;
}

export interface RunQueue {
  /** The same task, run by a queue worker. */
  task(t: PaperTask, settings: ExperimentSettings): PaperTask;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

const connect = async (url: string): Promise<Redis> => {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2, retryStrategy: () => null });
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (e) {
    client.disconnect();
    throw new InputError(`--redis ${url}: cannot connect (${(e as Error).message}); is redis-server running?`);
  }
  return client;
};

export const openRunQueue = async (o: RunQueueOptions): Promise<RunQueue> => {
  const client = await connect(o.url);
  const queue = new Queue<RunRequest>(o.queue, { connection: { url: o.url } });
  queue.on('error', () => {});
  const pollMs = o.pollMs ?? 500;
  const stored = async (dir: string): Promise<RunResult | undefined> => {
    const raw = await client.get(runResultKey(dir));
    return raw === null ? undefined : (JSON.parse(raw) as RunResult);
  };
  return {
    task: (t, settings) => ({
      ...t,
      run: async (ctx) => {
        const dir = resolve(ctx.dir);
        const jobId = runJobId(dir);
        const add = () =>
          queue.add(EXPERIMENT_JOB, { settings, spec: t.spec, dir, resume: ctx.resume }, { jobId, attempts: o.attempts ?? 3, removeOnComplete: true, removeOnFail: false });
        if ((await stored(dir)) === undefined) await add();
        while (true) {
          const r = await stored(dir);
          if (r !== undefined) return r;
          if (ctx.shouldStop()) return null;
          const job = await queue.getJob(jobId);
          const state = job === undefined ? 'missing' : await job.getState();
          if (state === 'failed' && job !== undefined) throw new Error(`${t.title}: failed on the queue after ${job.attemptsMade} attempt(s): ${job.failedReason}`);
          // completed and removed: the result is stored before completion, so look once more before re-adding
          if ((state === 'missing' || state === 'unknown') && (await stored(dir)) === undefined) await add();
          await sleep(pollMs);
        }
      },
    }),
    close: async () => {
      await queue.close();
      client.disconnect();
    },
  };
};

/**
 * The worker side: serves `experiment-run` jobs (see `startSearchWorker`'s `handlers`). Connects to
 * Redis at the first job, so a worker that only serves searches starts as before.
 */
export const experimentJobHandler = (url: string, env: TaskEnv): { handle: (data: unknown) => Promise<unknown>; close: () => Promise<void> } => {
  let client: Promise<Redis> | undefined;
  return {
    handle: async (data) => {
      const q = parseRunRequest(JSON.stringify(data));
      client ??= connect(url);
      const redis = await client;
      const key = runResultKey(q.dir);
      if ((await redis.get(key)) !== null) return { dir: q.dir, reused: true };
      const resume = existsSync(q.dir);
      mkdirSync(q.dir, { recursive: true });
      const r = await specTask(q.settings, env, q.spec).run({ dir: q.dir, resume, shouldStop: () => false });
      if (r === null) throw new Error(`${q.dir}: the run stopped before finishing`);
      const recorded = (await redis.set(key, JSON.stringify(r), 'NX')) === 'OK';
      return { dir: q.dir, recorded };
    },
    close: async () => {
      if (client !== undefined) (await client.catch(() => undefined))?.disconnect();
    },
  };
};
