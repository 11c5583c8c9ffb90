/**
 * The distributed backend: each trial is a BullMQ job on the queue `spikeline-search` (job id
 * `<search>.<trial id>`, so adding a trial twice is a no-op), served by any number of
 * `spikeline worker --redis URL` processes on any machines. Results live in Redis (see
 * `redisStore`); this side polls for them.
 *
 * Robustness comes from BullMQ and the store together: a worker killed mid-trial stops renewing
 * its job lock, another worker's stalled-job check puts the job back in the queue and it is
 * trained again; the result is stored once (HSETNX) however many times a trial ran. A trial whose
 * job failed on every attempt is recorded as failed. A search restarted after a crash re-adds its
 * unfinished trials under the same job ids (a job still queued or running is not duplicated).
 */
import { Queue } from 'bullmq';
import type { Backend, TrialOutcome } from './backend.ts';
import { DEFAULT_QUEUE, type RedisStore, jobIdOf, openRedisStore } from './redisStore.ts';
import { encodeTrial } from './trial.ts';

export interface RedisBackendOptions {
  readonly url: string;
  /** The search's name: its keys in Redis and the prefix of its job ids. */
  readonly name: string;
  readonly queue?: string;
  /** Trials in flight (queued or running) at once; default 4. */
  readonly capacity?: number;
  /** Attempts per trial before it counts as failed (default 2). */
  readonly attempts?: number;
  /** Milliseconds between polls for results (default 250). */
  readonly pollMs?: number;
  readonly shouldStop?: () => boolean;
  /** How long to wait for Redis at start (default 10 s), then fail naming the URL. */
  readonly connectTimeoutMs?: number;
}

/** The data of a trial job. */
export interface TrialJobData {
  readonly search: string;
  readonly trial: Record<string, unknown>;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export const redisBackend = async (o: RedisBackendOptions): Promise<Backend & { readonly store: RedisStore }> => {
  const store = await openRedisStore(o.url, o.name, o.connectTimeoutMs);
  const queue = new Queue<TrialJobData>(o.queue ?? DEFAULT_QUEUE, { connection: { url: o.url } });
  queue.on('error', () => {});
  const pollMs = o.pollMs ?? 250;
  return {
    kind: 'redis',
    capacity: o.capacity ?? 4,
    location: `redis ${o.url} ${store.prefix}`,
    store,
    load: () => store.load(),
    saveMeta: (meta) => store.saveMeta(meta),
    run: async (trial, events): Promise<TrialOutcome> => {
      await store.defineTrial(trial);
      const jobId = jobIdOf(o.name, trial.id);
      const add = () =>
        queue.add(
          'trial',
          { search: o.name, trial: encodeTrial(trial) },
          { jobId, attempts: o.attempts ?? 2, removeOnComplete: true, removeOnFail: false },
        );
      const stored = await store.result(trial.id);
      if (stored !== undefined) return { kind: 'result', result: stored };
      await add();
      let started = false;
      while (true) {
        const result = await store.result(trial.id);
        if (result !== undefined) return { kind: 'result', result };
        if (o.shouldStop?.() === true) return { kind: 'interrupted', trialId: trial.id };
        const job = await queue.getJob(jobId);
        const state = job === undefined ? 'missing' : await job.getState();
        if (state === 'active' && !started) {
          started = true;
          events?.onStart?.(trial.id);
        }
        if (state === 'failed' && job !== undefined) {
          const failure = { trialId: trial.id, error: job.failedReason ?? 'failed', attempts: job.attemptsMade };
          await store.recordFailure(failure);
          return { kind: 'failed', failure };
        }
        if (state === 'missing' || state === 'unknown') {
          // completed and removed: its result is stored first, so look once more before re-adding
          if ((await store.result(trial.id)) === undefined) await add();
        }
        await sleep(pollMs);
      }
    },
    close: async () => {
      await queue.close();
      await store.close();
    },
  };
};
