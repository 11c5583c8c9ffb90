/**
 * Atomic file writes: the content goes to a temporary file beside the target, is flushed to disk,
 * then renamed over the target. A reader sees the old file or the new one, never a half-written
 * one, and an interrupted write leaves the old file intact. On any failure (a directory or a file
 * in the way, no permission, a full disk) the temporary file is removed and the error is an
 * `InputError` naming the target, e.g. `out.png: cannot write (no space left on device, ENOSPC)`.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { describeFsError, isExpectedFsError } from './fsError.ts';
import { InputError } from './inputError.ts';

/** An expected fs failure becomes an `InputError` naming `path`; anything else passes through. */
const named = (e: unknown, path: string): unknown =>
  isExpectedFsError(e) ? Object.assign(new InputError(describeFsError(e, path, 'write')), { code: e.code }) : e;

export const writeFileAtomic = (path: string, data: string | Uint8Array): void => {
  if (path === '') throw new InputError('cannot write to an empty path');
  const isDir = (() => {
    try {
      return statSync(path).isDirectory();
    } catch {
      return false;
    }
  })();
  if (isDir) throw Object.assign(new InputError(`${path}: cannot write (is a directory, EISDIR)`), { code: 'EISDIR' });
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  let fd: number | undefined;
  try {
    mkdirSync(dir, { recursive: true });
    fd = openSync(tmp, 'w');
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (e) {
    try {
      if (fd !== undefined) closeSync(fd);
      rmSync(tmp, { force: true });
    } catch {
      // nothing was created, or the directory refuses even that: the first error is the story
    }
    throw named(e, path);
  }
};
