/**
 * One writer per run directory: `DIR/.lock` holds the process id of the writer, created with
 * O_EXCL so that two processes cannot both take it. A lock whose process no longer exists (a run
 * killed with SIGKILL) is stale and taken over.
 */
import { mkdirSync, openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { InputError } from '../io/inputError.ts';
import { runFiles } from './runFiles.ts';

/** True when a process with this id exists (signal 0 tests without sending anything). */
export const processAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const tryCreate = (file: string): boolean => {
  try {
    const fd = openSync(file, 'wx');
    writeSync(fd, `${process.pid}\n`);
    closeSync(fd);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
};

const ownerOf = (file: string): number | null => {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
};

/**
 * Takes the lock of `outDir` (creating the directory) and returns its release. Throws an
 * InputError naming the process when another live process holds it.
 */
export const acquireRunLock = (outDir: string): (() => void) => {
  const file = runFiles(outDir).lock;
  mkdirSync(outDir, { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    if (tryCreate(file)) return () => rmSync(file, { force: true });
    const owner = ownerOf(file);
    if (owner !== null && owner !== process.pid && processAlive(owner)) {
      throw new InputError(`${outDir} is being written by process ${owner} (lock file ${file}); wait for it or stop it`);
    }
    if (owner === process.pid) throw new InputError(`${outDir} is already being written by this process (lock file ${file})`);
    rmSync(file, { force: true }); // stale: its process is gone
  }
  throw new InputError(`${file}: cannot take the lock (another process keeps replacing it)`);
};
