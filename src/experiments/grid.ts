/**
 * A resumable, idempotent grid of runs. Each task owns the directory `<root>/<id>`; when it
 * finishes, its JSON result is written atomically to `<root>/<id>/result.json`, and from then on
 * the task is skipped and its stored result returned. A task killed half-way (Ctrl-C, a crash,
 * a reboot) has no result file: the next invocation runs it again with `resume: true` when its
 * directory already exists, so a task that checkpoints (the spiking runs keep
 * `latest.model.json`) continues where it stopped.
 *
 * Task ids should encode every setting that changes the result (e.g.
 * `snn-mnist-h32-l1-n0.4-e2-t2000`), so that different settings never share a directory.
 *
 * ## Example
 * ```ts
 * const results = await runGrid([{ id: 'ann-h8', title: 'ANN h=8', run: async () => ({ loss: 0.03 }) }], { root: 'out/runs' });
 * results.get('ann-h8'); // { loss: 0.03 }, computed once, read from disk afterwards
 * ```
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../io/atomicWrite.ts';
import { InputError } from '../io/inputError.ts';

export interface TaskContext {
  /** The task's own directory (created before `run`). */
  readonly dir: string;
  /** True when the directory existed already (an earlier attempt was interrupted). */
  readonly resume: boolean;
  readonly shouldStop: () => boolean;
}

export interface GridTask<R> {
  readonly id: string;
  readonly title: string;
  /** Returns the JSON-serialisable result, or `null` when stopped before finishing. */
  run(ctx: TaskContext): Promise<R | null>;
}

export interface GridEvents {
  /** Before a task runs (index counts all tasks, skipped ones included). */
  readonly onStart?: (task: GridTask<unknown>, index: number, total: number) => void;
  readonly onSkip?: (task: GridTask<unknown>, index: number, total: number) => void;
  readonly onDone?: (task: GridTask<unknown>, index: number, total: number, seconds: number) => void;
}

export interface GridOptions extends GridEvents {
  readonly root: string;
  readonly shouldStop?: () => boolean;
  /**
   * Tasks run at once (default 1: one after another). Tasks are independent, so a task that runs
   * in its own process (or on another machine) makes this one run per core.
   */
  readonly concurrency?: number;
}

export interface GridOutcome<R> {
  readonly results: Map<string, R>;
  /** Tasks run (not skipped) in this invocation. */
  readonly ran: readonly string[];
  readonly skipped: readonly string[];
  /** True when stopped before every task finished. */
  readonly interrupted: boolean;
}

const SAFE_ID = /^[A-Za-z0-9._-]+$/;

export const resultFile = (root: string, id: string): string => join(root, id, 'result.json');

/** The stored result of a finished task, or undefined. */
export const readResult = <R>(root: string, id: string): R | undefined => {
  const file = resultFile(root, id);
  if (!existsSync(file)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new InputError(`${file}: not valid JSON (${(e as Error).message}); delete it to rerun the task`);
  }
  if (typeof parsed !== 'object' || parsed === null || (parsed as { id?: unknown }).id !== id || !('result' in parsed)) {
    throw new InputError(`${file}: expected {"id": "${id}", "result": …}; delete it to rerun the task`);
  }
  return (parsed as { result: R }).result;
};

/**
 * Stores a task's result unless one is stored already (a retried or duplicated run, e.g. a queue
 * job delivered twice): the first result stays. Returns the stored result.
 */
export const storeResultOnce = <R>(root: string, task: Pick<GridTask<R>, 'id' | 'title'>, r: R): R => {
  const stored = readResult<R>(root, task.id);
  if (stored !== undefined) return stored;
  writeFileAtomic(resultFile(root, task.id), `${JSON.stringify({ id: task.id, title: task.title, result: r })}\n`);
  return r;
};

export const runGrid = async <R>(tasks: readonly GridTask<R>[], o: GridOptions): Promise<GridOutcome<R>> => {
  const seen = new Set<string>();
  for (const t of tasks) {
    if (!SAFE_ID.test(t.id)) throw new RangeError(`grid: task id "${t.id}" must match ${SAFE_ID}`);
    if (seen.has(t.id)) throw new RangeError(`grid: duplicate task id "${t.id}"`);
    seen.add(t.id);
  }
  const concurrency = o.concurrency ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`grid: concurrency must be a positive integer, got ${concurrency}`);
  const stop = o.shouldStop ?? (() => false);
  const found = new Map<string, R>();
  const ran: string[] = [];
  const skipped: string[] = [];
  let interrupted = false;
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < tasks.length && !interrupted) {
      const index = next++;
      const task = tasks[index];
      const stored = readResult<R>(o.root, task.id);
      if (stored !== undefined) {
        found.set(task.id, stored);
        skipped.push(task.id);
        o.onSkip?.(task, index, tasks.length);
        continue;
      }
      if (stop()) {
        interrupted = true;
        return;
      }
      const dir = join(o.root, task.id);
      const resume = existsSync(dir);
      mkdirSync(dir, { recursive: true });
      o.onStart?.(task, index, tasks.length);
      const t0 = performance.now();
      const r = await task.run({ dir, resume, shouldStop: stop });
      if (r === null) {
        interrupted = true;
        return;
      }
      found.set(task.id, storeResultOnce(o.root, task, r));
      ran.push(task.id);
      o.onDone?.(task, index, tasks.length, (performance.now() - t0) / 1000);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(1, tasks.length)) }, lane));
  // Results in task order, whatever order the lanes finished in.
  const results = new Map<string, R>();
  for (const t of tasks) if (found.has(t.id)) results.set(t.id, found.get(t.id) as R);
  return { results, ran, skipped, interrupted };
};
