/**
 * `spikeline worker --redis URL`: serves the trials of distributed searches
 * (`spikeline search --backend redis`) until stopped. Ctrl-C / SIGTERM: finish the running trial,
 * then exit; a second Ctrl-C exits at once (the trial goes back to the queue after its lock expires).
 */
import { parseArgs } from 'node:util';
import { isLeft } from 'fp-ts/lib/Either.js';
import { connectionOptions } from '../../search/redisStore.ts';
import { type WorkerEvent, startSearchWorker } from '../../search/searchWorker.ts';
import { ensureBuilt } from '../build.mjs';
import { UsageError } from '../usageError.ts';

export const workerUsage = `usage: spikeline worker --redis URL [--concurrency N] [--threads N] [--queue NAME]
                       [--lock-ms MS] [--stalled-ms MS] [--quiet]
  --redis URL        the Redis of the searches, e.g. redis://127.0.0.1:6379
  --concurrency N    trials at once in this process (default 1)
  --threads N        worker threads per trial besides the main one (default 0)
  --queue NAME       BullMQ queue (default spikeline-search)
  --lock-ms MS       job lock; a killed worker's trial is retried after it (default 30000)
  --stalled-ms MS    interval of the stalled-job check (default 30000)`;

const intFlag = (name: string, raw: string | undefined, dflt: number, min: number, max: number): number => {
  if (raw === undefined) return dflt;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name}: expected an integer in ${min}..${max}, got ${raw}`);
  return n;
};

export const describeWorkerEvent = (e: WorkerEvent): string => {
  switch (e.kind) {
    case 'start':
      return `${e.search}/${e.trialId}: training (start #${e.attempt})`;
    case 'done':
      return `${e.search}/${e.result.trialId}: validation ${e.result.validationLoss?.toFixed(5) ?? 'diverged'} in ${e.result.seconds.toFixed(1)} s${e.recorded ? '' : ' (already stored; not counted again)'}`;
    case 'reused':
      return `${e.search}/${e.trialId}: result already stored, nothing to do`;
    case 'failed':
      return `${e.search}/${e.trialId}: failed: ${e.error}`;
  }
};

export const workerCommand = async (argv: string[]): Promise<number> => {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      redis: { type: 'string' },
      concurrency: { type: 'string' },
      threads: { type: 'string' },
      queue: { type: 'string' },
      'lock-ms': { type: 'string' },
      'stalled-ms': { type: 'string' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean' },
    },
    allowPositionals: true,
  });
  if (values.help) {
    console.log(workerUsage);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"\n${workerUsage}`);
  if (values.redis === undefined) throw new UsageError(`--redis URL is required\n${workerUsage}`);
  const conn = connectionOptions(values.redis);
  if (isLeft(conn)) throw new UsageError(conn.left);
  const threads = intFlag('threads', values.threads, 0, 0, 64);
  const say = values.quiet ? () => {} : (m: string) => process.stderr.write(`${m}\n`);
  const worker = await startSearchWorker({
    url: values.redis,
    queue: values.queue,
    concurrency: intFlag('concurrency', values.concurrency, 1, 1, 64),
    threads,
    workerScript: threads > 0 ? (await ensureBuilt()).trainWorker : undefined,
    lockMs: intFlag('lock-ms', values['lock-ms'], 30_000, 100, 3_600_000),
    stalledMs: intFlag('stalled-ms', values['stalled-ms'], 30_000, 100, 3_600_000),
    onEvent: (e) => say(describeWorkerEvent(e)),
  });
  say(`worker ${process.pid} serving ${values.queue ?? 'spikeline-search'} on ${values.redis} (Ctrl-C to stop)`);
  await new Promise<void>((resolveStop) => {
    let stopping = false;
    const stop = () => {
      if (stopping) process.exit(130);
      stopping = true;
      say('worker: finishing the running trial, then exiting (Ctrl-C again to quit at once) …');
      resolveStop();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await worker.close();
  return 0;
};
