/**
 * `spikeline worker --redis URL`: serves the trials of distributed searches
 * (`spikeline search --backend redis`) until stopped. Ctrl-C / SIGTERM, in any state: while
 * connecting, stop at once; while a trial runs, finish it, then exit; when idle, exit. Exit status
 * 130 (SIGINT) or 143 (SIGTERM). A second signal exits at once (the trial goes back to the queue
 * after its lock expires). No Redis within --connect-timeout: one line, exit 2.
 */
import { parseArgs } from 'node:util';
import { isLeft } from 'fp-ts/lib/Either.js';
import { type Dataset, type DatasetName, loadDataset } from '../../data/datasets.ts';
import { EXPERIMENT_JOB, experimentJobHandler } from '../../experiments/redisRuns.ts';
import { InputError } from '../../io/inputError.ts';
import { connectionOptions } from '../../search/redisStore.ts';
import { type WorkerEvent, startSearchWorker } from '../../search/searchWorker.ts';
import { trainWorkerScript } from '../packageFiles.ts';
import { UsageError } from '../usageError.ts';

export const workerUsage = `usage: spikeline worker --redis URL [--concurrency N] [--threads N] [--queue NAME]
                       [--lock-ms MS] [--stalled-ms MS] [--connect-timeout S] [--quiet]
  --redis URL        the Redis of the searches, e.g. redis://127.0.0.1:6379
  --concurrency N    trials at once in this process (default 1)
  --threads N        worker threads per trial besides the main one (default 0)
  --queue NAME       BullMQ queue (default spikeline-search)
  --lock-ms MS       job lock; a killed worker's trial is retried after it (default 30000)
  --stalled-ms MS    interval of the stalled-job check (default 30000)
  --connect-timeout S  seconds to wait for Redis at start (default 10), then exit 2`;

/** Exit status of a process stopped by a signal (128 + its number), as shells report it. */
export const SIGNAL_STATUS = { SIGINT: 130, SIGTERM: 143 } as const;

/** How long closing may wait for Redis once no trial runs, before the connections are dropped. */
const CLOSE_BOUND_MS = 5_000;

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
      'connect-timeout': { type: 'string' },
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
  const concurrency = intFlag('concurrency', values.concurrency, 1, 1, 64);
  const lockMs = intFlag('lock-ms', values['lock-ms'], 30_000, 100, 3_600_000);
  const stalledMs = intFlag('stalled-ms', values['stalled-ms'], 30_000, 100, 3_600_000);
  const connectTimeoutMs = 1000 * intFlag('connect-timeout', values['connect-timeout'], 10, 1, 3600);
  const workerScript = threads > 0 ? trainWorkerScript() : undefined;

  // the runs of `spikeline experiment --backend redis`, single-threaded, on the same queue
  const loaded = new Map<DatasetName, Dataset>();
  const experiments = experimentJobHandler(values.redis, {
    dataset: (name) => {
      const hit = loaded.get(name);
      if (hit !== undefined) return hit;
      const d = loadDataset(name);
      if (isLeft(d)) throw new InputError(d.left.message);
      loaded.set(name, d.right);
      return d.right;
    },
  });

  // the signals are ours from here on, in every state: connecting, idle, training, closing
  const connecting = new AbortController();
  let signal: keyof typeof SIGNAL_STATUS | undefined;
  let requestStop = () => {};
  const stopRequested = new Promise<void>((r) => {
    requestStop = r;
  });
  const onSignal = (name: keyof typeof SIGNAL_STATUS) => {
    if (signal !== undefined) process.exit(SIGNAL_STATUS[name]);
    signal = name;
    connecting.abort(new Error(name));
    requestStop();
  };
  const onInt = () => onSignal('SIGINT');
  const onTerm = () => onSignal('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  try {
    let worker: Awaited<ReturnType<typeof startSearchWorker>>;
    say(`worker: connecting to ${values.redis} (at most ${connectTimeoutMs / 1000} s) …`);
    try {
      worker = await startSearchWorker({
        handlers: {
          [EXPERIMENT_JOB]: async (data) => {
            say(`experiment run ${(data as { dir?: string }).dir ?? '?'}: training`);
            const r = await experiments.handle(data);
            say(`experiment run ${(data as { dir?: string }).dir ?? '?'}: done`);
            return r;
          },
        },
        url: values.redis,
        queue: values.queue,
        concurrency,
        threads,
        workerScript,
        lockMs,
        stalledMs,
        connectTimeoutMs,
        signal: connecting.signal,
        onEvent: (e) => say(describeWorkerEvent(e)),
      });
    } catch (e) {
      if (signal === undefined) throw e;
      say(`worker: ${signal} while connecting to ${values.redis}; stopped`);
      return SIGNAL_STATUS[signal];
    }
    say(`worker ${process.pid} serving ${values.queue ?? 'spikeline-search'} on ${values.redis} (Ctrl-C to stop)`);
    await stopRequested;
    say(`worker: ${signal}: finishing the running trial, if any, then exiting (again to quit at once) …`);
    await worker.drain();
    const closed = await Promise.race([
      worker.close().then(() => true),
      new Promise<false>((r) => setTimeout(() => r(false), CLOSE_BOUND_MS).unref()),
    ]);
    if (!closed) {
      say(`worker: ${values.redis} did not answer within ${CLOSE_BOUND_MS / 1000} s while closing; connections dropped`);
      worker.abandon();
      // the Redis clients keep retrying in the background whatever we tell them: end here
      process.exit(SIGNAL_STATUS[signal ?? 'SIGTERM']);
    }
    return SIGNAL_STATUS[signal ?? 'SIGTERM'];
  } finally {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
    await experiments.close();
  }
};
