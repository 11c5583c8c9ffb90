/**
 * A search worker (`spikeline worker --redis URL`): a BullMQ worker that takes trial jobs of any
 * search from the queue, trains them, stores each result in Redis (once per trial: see
 * `redisStore`) and reports progress on the job.
 *
 * A trial whose result is already stored (it ran before, and the worker that ran it died or lost
 * its lock before completing the job) is not trained again: the job completes at once. Locks are
 * renewed while training (the training loop yields to the event loop every 50 ms); a worker killed
 * with SIGKILL stops renewing, and after `lockMs` another worker's stalled-job check (every
 * `stalledMs`) puts the job back in the queue.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isLeft } from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { type Job, UnrecoverableError, Worker } from 'bullmq';
import { formatDecodeErrors } from '../io/decode.ts';
import { InputError } from '../io/inputError.ts';
import type { TrialJobData } from './redisBackend.ts';
import { DEFAULT_QUEUE, type RedisStore, openRedisStore } from './redisStore.ts';
import { datasetCache, runTrial } from './runTrial.ts';
import { type Trial, type TrialResult, decodeTrial } from './trial.ts';

export interface SearchWorkerOptions {
  readonly url: string;
  readonly queue?: string;
  /** Trials trained at once by this process (default 1). */
  readonly concurrency?: number;
  /** Job lock duration in ms (default 30 000); a killed worker's trial restarts after this. */
  readonly lockMs?: number;
  /** Milliseconds between stalled-job checks (default 30 000). */
  readonly stalledMs?: number;
  /** Worker threads per trial (0 = train on this thread). */
  readonly threads?: number;
  readonly workerScript?: string;
  /** Where trial run directories go while training (default: a fresh temporary directory). */
  readonly workDir?: string;
  readonly onEvent?: (e: WorkerEvent) => void;
  /** How long to wait for Redis at start (default 10 s). */
  readonly connectTimeoutMs?: number;
  /** Aborting it while connecting ends the start at once (rejects with its reason). */
  readonly signal?: AbortSignal;
  /** Other job kinds on the same queue, by job name (e.g. the runs of `spikeline experiment --backend redis`). */
  readonly handlers?: Readonly<Record<string, (data: unknown) => Promise<unknown>>>;
}

export type WorkerEvent =
  | { readonly kind: 'start'; readonly search: string; readonly trialId: string; readonly attempt: number }
  | { readonly kind: 'done'; readonly search: string; readonly result: TrialResult; readonly recorded: boolean }
  | { readonly kind: 'reused'; readonly search: string; readonly trialId: string }
  | { readonly kind: 'failed'; readonly search: string; readonly trialId: string; readonly error: string };

export interface SearchWorker {
  /** Stops taking jobs, waits for the running ones, disconnects. */
  close(): Promise<void>;
  /** Stops taking jobs and resolves when no trial is running (at once when none is). */
  drain(): Promise<void>;
  /** Ends every connection now, without waiting for Redis (which may be gone). */
  abandon(): void;
  readonly worker: Worker<TrialJobData>;
}

const JobDataCodec = t.type({ search: t.string, trial: t.unknown });

const decodeJob = (job: Job<TrialJobData>): { search: string; trial: Trial } => {
  const d = JobDataCodec.decode(job.data);
  if (isLeft(d)) throw new UnrecoverableError(`job ${job.id}: ${formatDecodeErrors(d.left).join('; ')}`);
  const trial = decodeTrial(d.right.trial, `job ${job.id}: trial`);
  if (isLeft(trial)) throw new UnrecoverableError(trial.left.join('; '));
  return { search: d.right.search, trial: trial.right };
};

export const startSearchWorker = async (o: SearchWorkerOptions): Promise<SearchWorker> => {
  const stores = new Map<string, Promise<RedisStore>>();
  const storeOf = (search: string) => {
    let s = stores.get(search);
    if (s === undefined) {
      s = openRedisStore(o.url, search);
      stores.set(search, s);
    }
    return s;
  };
  const datasets = datasetCache();
  const workDir = o.workDir ?? mkdtempSync(join(tmpdir(), 'spikeline-worker-'));
  const emit = o.onEvent ?? (() => {});

  let running = 0;
  const whenIdle: (() => void)[] = [];
  const processor = async (job: Job<TrialJobData>) => {
    running++;
    try {
      return await serve(job);
    } finally {
      running--;
      if (running === 0) for (const f of whenIdle.splice(0)) f();
    }
  };
  const serve = async (job: Job<TrialJobData>) => {
    if (job.name !== 'trial') {
      const handle = o.handlers?.[job.name];
      if (handle === undefined) throw new UnrecoverableError(`job ${job.id}: this worker does not serve "${job.name}" jobs`);
      try {
        return await handle(job.data);
      } catch (e) {
        throw e instanceof InputError ? new UnrecoverableError((e as Error).message) : e;
      }
    }
    const { search, trial } = decodeJob(job);
    const store = await storeOf(search);
    const attempt = await store.countStart(trial.id);
    if ((await store.result(trial.id)) !== undefined) {
      emit({ kind: 'reused', search, trialId: trial.id });
      return { trialId: trial.id, reused: true };
    }
    emit({ kind: 'start', search, trialId: trial.id, attempt });
    const outDir = join(workDir, search, trial.id);
    let lastReport = 0;
    try {
      const result = await runTrial(trial, {
        outDir,
        threads: o.threads,
        workerScript: o.workerScript,
        datasets,
        onProgress: (p) => {
          if (p.elapsedSeconds - lastReport >= 2 || p.elapsedSeconds < lastReport) {
            lastReport = p.elapsedSeconds;
            job.updateProgress({ epoch: p.epoch, done: p.done, total: p.total, imagesPerSec: Math.round(p.imagesPerSec) }).catch(() => {});
          }
        },
      });
      const recorded = await store.recordResult(result);
      emit({ kind: 'done', search, result, recorded });
      return { trialId: trial.id, recorded };
    } catch (e) {
      const error = (e as Error).message ?? String(e);
      emit({ kind: 'failed', search, trialId: trial.id, error });
      // a missing data set fails on every worker alike: do not retry
      throw e instanceof InputError ? new UnrecoverableError(error) : e;
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  };

  // fail fast with a clear message when Redis is not there (BullMQ itself would retry forever)
  await (await openRedisStore(o.url, 'connection-check', o.connectTimeoutMs, o.signal)).close();
  const worker = new Worker<TrialJobData>(o.queue ?? DEFAULT_QUEUE, processor, {
    connection: { url: o.url },
    concurrency: o.concurrency ?? 1,
    lockDuration: o.lockMs ?? 30_000,
    stalledInterval: o.stalledMs ?? 30_000,
    maxStalledCount: 2,
    autorun: true,
  });
  worker.on('error', () => {});
  await worker.waitUntilReady();
  return {
    worker,
    drain: async () => {
      worker.pause(true).catch(() => {});
      if (running > 0) await new Promise<void>((r) => whenIdle.push(r));
    },
    abandon: () => {
      worker.close(true).catch(() => {});
      worker.disconnect().catch(() => {});
      for (const s of stores.values()) s.then((st) => st.close()).catch(() => {});
      if (o.workDir === undefined) rmSync(workDir, { recursive: true, force: true });
    },
    close: async () => {
      await worker.close();
      for (const s of stores.values()) await (await s).close();
      if (o.workDir === undefined) rmSync(workDir, { recursive: true, force: true });
    },
  };
};
