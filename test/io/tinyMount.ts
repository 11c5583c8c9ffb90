/**
 * Real full and read-only file systems for tests: a 64 KiB tmpfs (full after one write) or a
 * read-only tmpfs, mounted on a fresh temporary directory. Mounting needs root; `canMount` says
 * whether this process can, so the tests that need it are skipped (and say so) elsewhere.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const tryMount = (options: string): string | null => {
  const dir = mkdtempSync(join(tmpdir(), 'spikeline-mount-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'ignore' });
    return dir;
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return null;
  }
};

export const unmount = (dir: string): void => {
  execFileSync('umount', [dir], { stdio: 'ignore' });
  rmSync(dir, { recursive: true, force: true });
};

export const canMount: boolean = (() => {
  if (process.getuid?.() !== 0) return false;
  const d = tryMount('size=4k');
  if (d === null) return false;
  unmount(d);
  return true;
})();

/** A tmpfs with no free byte left (a file fills it). */
export const mountFull = (): string => {
  const dir = tryMount('size=64k');
  if (dir === null) throw new Error('mount tmpfs failed');
  try {
    writeFileSync(join(dir, 'filler'), Buffer.alloc(64 * 1024));
  } catch {
    // ENOSPC: full, as wanted
  }
  return dir;
};

/** A read-only tmpfs. */
export const mountReadOnly = (): string => {
  const dir = tryMount('ro,size=4k');
  if (dir === null) throw new Error('mount tmpfs failed');
  return dir;
};
