/**
 * writeFileAtomic on every failure leaves no temporary file behind and reports the target with
 * the reason, as one line, in an InputError (exit 2 in the CLI).
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/io/atomicWrite.ts';
import { InputError } from '../../src/io/inputError.ts';
import { canMount, mountFull, mountReadOnly, unmount } from './tinyMount.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'spikeline-atomic-'));
});

const failure = (f: () => void): InputError => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    expect((e as Error).message).not.toMatch(/\n/);
    return e as InputError;
  }
  throw new Error('expected a failure');
};

const tmpFiles = (d: string): string[] => readdirSync(d).filter((f) => f.endsWith('.tmp'));

describe('writeFileAtomic', () => {
  it('writes, and replaces an existing file whole', () => {
    const f = join(dir, 'a', 'b.txt');
    writeFileAtomic(f, 'one');
    writeFileAtomic(f, new Uint8Array([0x74, 0x77, 0x6f]));
    expect(readFileSync(f, 'utf8')).toBe('two');
    expect(tmpFiles(join(dir, 'a'))).toEqual([]);
  });

  it('a directory at the target: EISDIR named, no .tmp left, directory intact', () => {
    const target = join(dir, 'out');
    mkdirSync(target);
    writeFileSync(join(target, 'keep'), 'x');
    expect(failure(() => writeFileAtomic(target, 'data')).message).toBe(`${target}: cannot write (is a directory, EISDIR)`);
    expect(tmpFiles(dir)).toEqual([]);
    expect(readdirSync(target)).toEqual(['keep']);
  });

  it('an empty path is refused before anything is created', () => {
    const before = readdirSync(process.cwd());
    expect(failure(() => writeFileAtomic('', 'data')).message).toMatch(/empty path/);
    expect(readdirSync(process.cwd())).toEqual(before);
  });

  it('a file where a directory should be: ENOTDIR or EEXIST named', () => {
    const file = join(dir, 'plain');
    writeFileSync(file, 'x');
    expect(failure(() => writeFileAtomic(join(file, 'sub', 'a.png'), 'data')).message).toMatch(
      new RegExp(`^${join(file, 'sub', 'a.png')}: cannot write \\((a part of the path is not a directory, ENOTDIR|a file is in the way, EEXIST)\\)$`),
    );
    expect(readFileSync(file, 'utf8')).toBe('x');
  });

  describe.skipIf(!canMount)('on real full and read-only file systems (needs root to mount a tmpfs)', () => {
    const mounts: string[] = [];
    afterEach(() => {
      for (const m of mounts.splice(0)) unmount(m);
    });

    it('a full disk: ENOSPC named, no .tmp left', () => {
      const full = mountFull();
      mounts.push(full);
      const target = join(full, 'big.bin');
      expect(failure(() => writeFileAtomic(target, new Uint8Array(200_000))).message).toBe(
        `${target}: cannot write (no space left on device, ENOSPC)`,
      );
      expect(tmpFiles(full)).toEqual([]);
    });

    it('a read-only file system: EROFS named', () => {
      const ro = mountReadOnly();
      mounts.push(ro);
      expect(failure(() => writeFileAtomic(join(ro, 'a.png'), 'x')).message).toBe(
        `${join(ro, 'a.png')}: cannot write (read-only file system, EROFS)`,
      );
    });
  });
});
