/**
 * File-system failures the user can act on (a path that cannot be written, a full disk): their
 * errno codes, and a one-line description naming the path, e.g.
 * `runs/a.png: cannot write (permission denied, EACCES)`.
 */

/** What each expected errno code means, in words. */
const EXPECTED: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  EEXIST: 'a file is in the way',
  EISDIR: 'is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  ENOENT: 'no such file or directory',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  ENAMETOOLONG: 'file name too long',
  EMFILE: 'too many open files',
};

export interface ErrnoLike {
  readonly code: string;
  readonly path?: string;
  readonly syscall?: string;
}

/** True for a Node.js file-system error whose code is a user-fixable condition (above). */
export const isExpectedFsError = (e: unknown): e is Error & ErrnoLike => {
  const code = e instanceof Error ? (e as { code?: unknown }).code : undefined;
  return typeof code === 'string' && code in EXPECTED;
};

/** `permission denied, EACCES` */
export const fsReason = (e: ErrnoLike): string => `${EXPECTED[e.code] ?? 'failed'}, ${e.code}`;

/** `PATH: cannot ACTION (reason, CODE)`; the path is the error's own unless one is given. */
export const describeFsError = (e: ErrnoLike, path = e.path, action = e.syscall ?? 'access'): string =>
  `${path === undefined ? '' : `${path}: `}cannot ${action} (${fsReason(e)})`;
