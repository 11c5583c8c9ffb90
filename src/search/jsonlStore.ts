/**
 * The store of an in-process search: one JSONL file, appended as things happen, one record per
 * line: `{"type":"meta",…}`, `{"type":"trial","trial":…}`, `{"type":"result","result":…}`,
 * `{"type":"failure","failure":…}`.
 *
 * Reading is idempotent by trial id: the first result of a trial counts, later ones are ignored
 * (and counted in `duplicates`). A last line cut short by a crash is ignored on reading and
 * dropped before the next append; any other bad line is an error naming the file and line.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, truncateSync } from 'node:fs';
import { dirname } from 'node:path';
import { isLeft } from 'fp-ts/lib/Either.js';
import { InputError } from '../io/inputError.ts';
import { type SearchMeta, type StoredSearch, type TrialFailure, decodeSearchMeta, decodeTrialFailure } from './backend.ts';
import { type Trial, type TrialResult, decodeTrial, decodeTrialResult, encodeTrial } from './trial.ts';

export interface JsonlStore {
  readonly path: string;
  load(): StoredSearch & { readonly duplicates: number };
  appendMeta(meta: SearchMeta): void;
  appendTrial(trial: Trial): void;
  /** Appends the result unless the trial already has one; true when appended. */
  appendResult(result: TrialResult): boolean;
  appendFailure(failure: TrialFailure): void;
}

export const jsonlStore = (path: string): JsonlStore => {
  let tailChecked = false;
  const append = (record: Record<string, unknown>) => {
    mkdirSync(dirname(path), { recursive: true });
    if (!tailChecked) {
      // a line cut short by a crash is dropped before anything is appended after it
      if (existsSync(path)) {
        const text = readFileSync(path, 'utf8');
        if (text.length > 0 && !text.endsWith('\n')) truncateSync(path, Buffer.byteLength(text.slice(0, text.lastIndexOf('\n') + 1)));
      }
      tailChecked = true;
    }
    appendFileSync(path, `${JSON.stringify(record)}\n`);
  };
  const load = () => {
    let meta: SearchMeta | undefined;
    const trials = new Map<string, Trial>();
    const results = new Map<string, TrialResult>();
    const failures = new Map<string, TrialFailure>();
    let duplicates = 0;
    if (existsSync(path)) {
      const lines = readFileSync(path, 'utf8').split('\n');
      lines.forEach((line, i) => {
        if (line.trim() === '') return;
        const where = `${path}:${i + 1}`;
        let rec: { type?: unknown; [k: string]: unknown };
        try {
          rec = JSON.parse(line) as typeof rec;
        } catch (e) {
          if (i >= lines.length - 2) return; // the last line, cut short by a crash
          throw new InputError(`${where}: not valid JSON (${(e as Error).message})`);
        }
        const fail = (errors: string[]): never => {
          throw new InputError(errors.join('\n'));
        };
        switch (rec.type) {
          case 'meta': {
            const m = decodeSearchMeta(rec.meta, `${where}: meta`);
            if (isLeft(m)) fail(m.left);
            else meta ??= m.right;
            break;
          }
          case 'trial': {
            const t = decodeTrial(rec.trial, `${where}: trial`);
            if (isLeft(t)) fail(t.left);
            else if (!trials.has(t.right.id)) trials.set(t.right.id, t.right);
            break;
          }
          case 'result': {
            const r = decodeTrialResult(rec.result, `${where}: result`);
            if (isLeft(r)) fail(r.left);
            else if (results.has(r.right.trialId)) duplicates++;
            else results.set(r.right.trialId, r.right);
            break;
          }
          case 'failure': {
            const f = decodeTrialFailure(rec.failure, `${where}: failure`);
            if (isLeft(f)) fail(f.left);
            else failures.set(f.right.trialId, f.right);
            break;
          }
          default:
            throw new InputError(`${where}: type: expected "meta" | "trial" | "result" | "failure", got ${JSON.stringify(rec.type)}`);
        }
      });
    }
    for (const id of results.keys()) failures.delete(id);
    return {
      meta,
      trials: [...trials.values()].sort((a, b) => a.index - b.index),
      results: [...results.values()],
      failures: [...failures.values()],
      duplicates,
    };
  };
  return {
    path,
    load,
    appendMeta: (meta) => append({ type: 'meta', meta }),
    appendTrial: (trial) => append({ type: 'trial', trial: encodeTrial(trial) }),
    appendResult: (result) => {
      if (load().results.some((r) => r.trialId === result.trialId)) return false;
      append({ type: 'result', result });
      return true;
    },
    appendFailure: (failure) => append({ type: 'failure', failure }),
  };
};
