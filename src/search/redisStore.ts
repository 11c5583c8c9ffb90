/**
 * What a distributed search keeps in Redis, under `spikeline:search:<name>:`
 *
 *     meta        string  the search's space, strategy, seed and budget (JSON)
 *     trials      hash    trial id → trial (JSON)
 *     results     hash    trial id → result (JSON); written with HSETNX: one result per trial
 *     failures    hash    trial id → failure (JSON)
 *     starts      hash    trial id → how many times a worker started it (retries show here)
 *     duplicates  string  results that arrived for a trial that already had one (ignored)
 *
 * Result counting is exactly-once by construction: a result is stored by one atomic Lua script
 * (HSETNX, else INCR duplicates), so a trial retried after a killed worker, or run twice because a
 * lock expired, still has exactly one result. Every value read back is decoded.
 *
 * The connection goes through BullMQ's own client layer (`RedisConnection`), so the search uses
 * whichever Redis driver BullMQ is set up with.
 */
import { type Either, isLeft, left, right } from 'fp-ts/lib/Either.js';
import { RedisConnection } from 'bullmq';
import { InputError } from '../io/inputError.ts';
import { type SearchMeta, type StoredSearch, type TrialFailure, decodeSearchMeta, decodeTrialFailure } from './backend.ts';
import { type Trial, type TrialResult, decodeTrial, decodeTrialResult, encodeTrial } from './trial.ts';

type Client = Awaited<RedisConnection['client']>;

/** The BullMQ queue every search uses (jobs are named per search, so workers serve any search). */
export const DEFAULT_QUEUE = 'spikeline-search';

/** A search name usable in Redis keys and BullMQ job ids (no ':'). */
export const checkSearchName = (name: string): Either<string, string> =>
  /^[A-Za-z0-9_.-]{1,100}$/.test(name)
    ? right(name)
    : left(`--name: expected 1–100 letters, digits, '_', '.' or '-', got ${JSON.stringify(name)}`);

export const jobIdOf = (search: string, trialId: string): string => `${search}.${trialId}`;

/** `redis://[user:password@]host[:port][/db]` → BullMQ connection options. */
export const connectionOptions = (url: string): Either<string, { url: string; host: string; port: number }> => {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return left(`--redis: expected a URL like redis://127.0.0.1:6379, got ${JSON.stringify(url)}`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') {
    return left(`--redis: expected a redis:// or rediss:// URL, got ${JSON.stringify(url)}`);
  }
  const port = u.port === '' ? 6379 : Number(u.port);
  return right({ url, host: u.hostname, port });
};

const RECORD_RESULT = `
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 1 then return 1 end
redis.call('INCR', KEYS[2])
return 0`;
const COUNT_START = `return redis.call('HINCRBY', KEYS[1], ARGV[1], 1)`;
const HASH_LENGTH = `return redis.call('HLEN', KEYS[1])`;

export interface RedisStore {
  readonly prefix: string;
  load(): Promise<StoredSearch & { readonly duplicates: number; readonly starts: Record<string, number> }>;
  saveMeta(meta: SearchMeta): Promise<void>;
  defineTrial(trial: Trial): Promise<void>;
  /** Stores the result unless the trial has one; true when this call stored it. */
  recordResult(result: TrialResult): Promise<boolean>;
  result(trialId: string): Promise<TrialResult | undefined>;
  recordFailure(failure: TrialFailure): Promise<void>;
  countStart(trialId: string): Promise<number>;
  resultCount(): Promise<number>;
  close(): Promise<void>;
}

const parse = (text: string, where: string): unknown => {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InputError(`${where}: not valid JSON (${(e as Error).message})`);
  }
};

const orThrow = <A>(r: Either<string[], A>): A => {
  if (isLeft(r)) throw new InputError(r.left.join('\n'));
  return r.right;
};

/**
 * Opens the store of search `name` on the Redis at `url`. Fails with an InputError naming the URL
 * when there is no connection within `connectTimeoutMs`, and with `signal`'s reason when it is
 * aborted first; either way the connection is closed (it stops retrying), so the process can end.
 */
export const openRedisStore = async (url: string, name: string, connectTimeoutMs = 10_000, signal?: AbortSignal): Promise<RedisStore> => {
  const opts = connectionOptions(url);
  if (isLeft(opts)) throw new InputError(opts.left);
  // disconnectTimeout: after a refused connection ioredis would otherwise hold the process 2 s more
  const conn = new RedisConnection({ url, disconnectTimeout: 200 }, { blocking: false, shared: false });
  let lastError = '';
  conn.on('error', (e: Error) => {
    lastError = e.message;
  });
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const timeout = new Promise<never>((_, fail) => {
    timer = setTimeout(() => fail(new InputError(`--redis ${url}: no connection within ${connectTimeoutMs / 1000} s${lastError ? ` (${lastError})` : ''}; is redis-server running?`)), connectTimeoutMs);
    onAbort = () => fail(signal?.reason);
    if (signal?.aborted === true) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
  let client: Client;
  try {
    client = await Promise.race([conn.client, timeout]);
  } catch (e) {
    // close(force) ends the client even while it is still trying to connect (disconnect() would
    // wait for a connection that never comes, and the client would retry forever)
    await conn.close(true).catch(() => {});
    throw e;
  } finally {
    clearTimeout(timer);
    if (onAbort !== undefined) signal?.removeEventListener('abort', onAbort);
  }
  client.defineCommand('spikelineRecordResult', { numberOfKeys: 2, lua: RECORD_RESULT });
  client.defineCommand('spikelineCountStart', { numberOfKeys: 1, lua: COUNT_START });
  client.defineCommand('spikelineHashLength', { numberOfKeys: 1, lua: HASH_LENGTH });
  const prefix = `spikeline:search:${name}`;
  const key = (k: string) => `${prefix}:${k}`;
  const where = (k: string, field?: string) => `redis ${url} ${key(k)}${field === undefined ? '' : ` ${field}`}`;
  return {
    prefix,
    load: async () => {
      const metaText = await client.get(key('meta'));
      const meta = metaText === null ? undefined : orThrow(decodeSearchMeta(parse(metaText, where('meta')), where('meta')));
      const read = async <A>(k: string, decode: (v: unknown, source: string) => Either<string[], A>): Promise<A[]> =>
        Object.entries(await client.hgetall(key(k))).map(([f, v]) => orThrow(decode(parse(v, where(k, f)), where(k, f))));
      const trials = (await read('trials', decodeTrial)).sort((a, b) => a.index - b.index);
      const results = await read('results', decodeTrialResult);
      const done = new Set(results.map((r) => r.trialId));
      const failures = (await read('failures', decodeTrialFailure)).filter((f) => !done.has(f.trialId));
      const starts = Object.fromEntries(Object.entries(await client.hgetall(key('starts'))).map(([k, v]) => [k, Number(v)]));
      const duplicates = Number((await client.get(key('duplicates'))) ?? 0);
      return { meta, trials, results, failures, starts, duplicates };
    },
    saveMeta: async (meta) => {
      await client.set(key('meta'), JSON.stringify(meta));
    },
    defineTrial: async (trial) => {
      await client.hset(key('trials'), { [trial.id]: JSON.stringify(encodeTrial(trial)) });
    },
    recordResult: async (result) =>
      Number(await client.runCommand('spikelineRecordResult', [key('results'), key('duplicates'), result.trialId, JSON.stringify(result)])) === 1,
    result: async (trialId) => {
      const text = await client.hget(key('results'), trialId);
      return text === null ? undefined : orThrow(decodeTrialResult(parse(text, where('results', trialId)), where('results', trialId)));
    },
    recordFailure: async (failure) => {
      await client.hset(key('failures'), { [failure.trialId]: JSON.stringify(failure) });
    },
    countStart: async (trialId) => Number(await client.runCommand('spikelineCountStart', [key('starts'), trialId])),
    resultCount: async () => Number(await client.runCommand('spikelineHashLength', [key('results')])),
    close: async () => {
      await conn.close();
    },
  };
};
