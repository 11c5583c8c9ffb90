/**
 * One grid run in its own process, so that independent runs use one core each: the run is sent as
 * data (`RunRequest`: settings + spec + directory) on the child's command line, the child
 * (`spikeline experiment --run-request JSON`) trains single-threaded and prints its result as one
 * `RESULT {…}` line; the parent's grid stores it once. Stopping the grid sends the child SIGTERM;
 * the child then stops after its batch (its checkpoint lets the next invocation resume).
 *
 * ## Example
 * ```ts
 * const task = inChildProcess(snnTask(s, env, 'mnist', 32, 1, 0), s, { command: process.execPath, args: ['src/cli/spikeline.mjs', 'experiment'] });
 * await runGrid([task, …], { root, concurrency: 2 });
 * ```
 */
import { spawn } from 'node:child_process';
import { InputError } from '../io/inputError.ts';
import type { ExperimentSettings, PaperTask, RunResult, RunSpec } from './paperRuns.ts';

export interface RunRequest {
  readonly settings: ExperimentSettings;
  readonly spec: RunSpec;
  readonly dir: string;
  readonly resume: boolean;
}

/** How to start a child that serves `--run-request JSON` (the request is appended). */
export interface ChildLauncher {
  readonly command: string;
  readonly args: readonly string[];
}

export const RESULT_PREFIX = 'RESULT ';
export const RUN_REQUEST_FLAG = '--run-request';

/** Parses a run request (a boundary between processes: checked, errors name the field). */
export const parseRunRequest = (raw: string): RunRequest => {
  let j: unknown;
  try {
    j = JSON.parse(raw);
  } catch (e) {
    throw new InputError(`${RUN_REQUEST_FLAG}: not JSON (${(e as Error).message})`);
  }
  const r = j as Partial<RunRequest>;
  if (typeof r !== 'object' || r === null) throw new InputError(`${RUN_REQUEST_FLAG}: expected an object`);
  if (typeof r.dir !== 'string' || r.dir === '') throw new InputError(`${RUN_REQUEST_FLAG}: "dir" must be a non-empty string`);
  if (typeof r.resume !== 'boolean') throw new InputError(`${RUN_REQUEST_FLAG}: "resume" must be a boolean`);
  if (typeof r.settings !== 'object' || r.settings === null || typeof r.settings.epochs !== 'number') throw new InputError(`${RUN_REQUEST_FLAG}: "settings" must be experiment settings`);
  const kind = (r.spec as { kind?: unknown } | undefined)?.kind;
  if (kind !== 'snn' && kind !== 'ann') throw new InputError(`${RUN_REQUEST_FLAG}: "spec.kind" must be "snn" or "ann", got ${JSON.stringify(kind)}`);
  return r as RunRequest;
};

/** The child's result line, or undefined when its output holds none. */
export const resultOfOutput = (stdout: string): RunResult | undefined => {
  const line = stdout.split('\n').reverse().find((l) => l.startsWith(RESULT_PREFIX));
  return line === undefined ? undefined : (JSON.parse(line.slice(RESULT_PREFIX.length)) as RunResult);
};

/** The same task, run by a child process. */
export const inChildProcess = (task: PaperTask, settings: ExperimentSettings, launcher: ChildLauncher): PaperTask => ({
  ...task,
  run: (ctx) =>
    new Promise((resolve, reject) => {
      const request: RunRequest = { settings, spec: task.spec, dir: ctx.dir, resume: ctx.resume };
      const child = spawn(launcher.command, [...launcher.args, RUN_REQUEST_FLAG, JSON.stringify(request)], { stdio: ['ignore', 'pipe', 'inherit'] });
      let stdout = '';
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (d: string) => {
        stdout += d;
      });
      const poll = setInterval(() => {
        if (ctx.shouldStop() && child.exitCode === null) child.kill('SIGTERM');
      }, 250);
      child.on('error', (e) => {
        clearInterval(poll);
        reject(new Error(`${task.title}: cannot start ${launcher.command}: ${e.message}`));
      });
      child.on('close', (code, signal) => {
        clearInterval(poll);
        const r = resultOfOutput(stdout);
        if (r !== undefined) resolve(r);
        else if (ctx.shouldStop()) resolve(null);
        else reject(new Error(`${task.title}: the run's process ended (${signal ?? `exit code ${code}`}) without a result`));
      });
    }),
});
