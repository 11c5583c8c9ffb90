/**
 * Checks an output file path before any work is done, so a run that cannot write its result
 * fails at once with one line naming the flag, the path and why — not after minutes of work
 * with a raw EISDIR/ENOTDIR/EACCES trace. (The write itself may still fail, e.g. on a full disk:
 * `writeFileAtomic` reports that the same way.)
 */
import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describeFsError, isExpectedFsError } from '../io/fsError.ts';
import { UsageError } from './usageError.ts';

const statOrNull = (p: string) => {
  try {
    return statSync(p);
  } catch (e) {
    if (isExpectedFsError(e) && (e.code === 'ENOENT' || e.code === 'ENOTDIR')) return null;
    throw e;
  }
};

/** Throws a UsageError unless `path` can be created or replaced as a file. */
export const checkOutputFile = (flag: string, path: string): void => {
  if (path.trim() === '') throw new UsageError(`${flag}: expected a file name, got ${JSON.stringify(path)}`);
  const self = statOrNull(path);
  if (self?.isDirectory()) throw new UsageError(`${flag} ${path}: is a directory; name a file inside it, e.g. ${path.replace(/\/$/, '')}/out.png`);
  // the nearest existing ancestor must be a writable directory (missing ones are created)
  let dir = dirname(resolve(path));
  let st = statOrNull(dir);
  while (st === null && dirname(dir) !== dir) {
    dir = dirname(dir);
    st = statOrNull(dir);
  }
  if (st !== null && !st.isDirectory()) throw new UsageError(`${flag} ${path}: ${dir} is a file, not a directory`);
  try {
    accessSync(self === null ? dir : path, constants.W_OK);
  } catch (e) {
    if (isExpectedFsError(e)) throw new UsageError(`${flag} ${path}: ${describeFsError(e, self === null ? dir : path, 'write')}`);
    throw e;
  }
};
