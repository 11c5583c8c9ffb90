/**
 * IDX parsing: valid raw and gzip files, and corrupt ones (wrong magic, wrong element type,
 * truncated header or data, trailing bytes, zero dimensions, broken gzip), each with a message
 * naming the file and the field or byte offset at fault.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { isLeft, isRight, type Either } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import {
  type DataError,
  formatIdx,
  parseIdx,
  parseIdxImages,
  parseIdxLabels,
  readIdxImages,
  readIdxLabels,
} from '../../src/data/idx.ts';

const scratch = mkdtempSync(join(tmpdir(), 'spikeline-idx-'));

/** An IDX header written byte by byte (independently of formatIdx). */
const header = (type: number, dims: number[]): number[] => {
  const h = [0, 0, type, dims.length];
  for (const d of dims) h.push((d >>> 24) & 255, (d >>> 16) & 255, (d >>> 8) & 255, d & 255);
  return h;
};
const imagesFile = (count: number, rows: number, cols: number, pixels: number[]): Uint8Array =>
  Uint8Array.from([...header(8, [count, rows, cols]), ...pixels]);
const labelsFile = (labels: number[]): Uint8Array => Uint8Array.from([...header(8, [labels.length]), ...labels]);

const ramp = (n: number): number[] => Array.from({ length: n }, (_, i) => (i * 37) % 256);

const errorOf = <A>(r: Either<DataError, A>): DataError => {
  if (isRight(r)) throw new Error('expected an error');
  return r.left;
};

describe('parseIdxImages / parseIdxLabels', () => {
  it('reads images as a compact byte view with their dimensions', () => {
    const px = ramp(3 * 2 * 4);
    const r = parseIdxImages(imagesFile(3, 2, 4, px), 'imgs');
    expect(isRight(r)).toBe(true);
    if (isLeft(r)) return;
    expect([r.right.count, r.right.rows, r.right.cols]).toEqual([3, 2, 4]);
    expect(r.right.pixels).toBeInstanceOf(Uint8Array);
    expect(Array.from(r.right.pixels)).toEqual(px);
  });

  it('reads labels', () => {
    const r = parseIdxLabels(labelsFile([7, 2, 1, 0, 4]), 'labels');
    expect(isRight(r) && Array.from(r.right.labels)).toEqual([7, 2, 1, 0, 4]);
    expect(isRight(r) && r.right.count).toBe(5);
  });

  it('inflates gzip input, detected by its magic 1f 8b', () => {
    const px = ramp(2 * 3 * 3);
    const gz = gzipSync(imagesFile(2, 3, 3, px));
    expect([gz[0], gz[1]]).toEqual([0x1f, 0x8b]);
    const r = parseIdxImages(gz, 'imgs.gz');
    expect(isRight(r) && Array.from(r.right.pixels)).toEqual(px);
    const l = parseIdxLabels(gzipSync(labelsFile([1, 2, 3])), 'l.gz');
    expect(isRight(l) && Array.from(l.right.labels)).toEqual([1, 2, 3]);
  });

  it('rejects a label file read as images (and vice versa), naming the magic numbers', () => {
    const e = errorOf(parseIdxImages(labelsFile([1, 2]), 'train-images-idx3-ubyte'));
    expect(e.kind).toBe('corrupt');
    expect(e.file).toBe('train-images-idx3-ubyte');
    expect(e.message).toBe(
      'train-images-idx3-ubyte: magic number 0x00000801 at byte 0, expected 0x00000803 ' +
        '(unsigned-byte images, 3 dimensions) (this is a label file)',
    );
    const e2 = errorOf(parseIdxLabels(imagesFile(1, 1, 1, [0]), 'lbl'));
    expect(e2.message).toMatch(/^lbl: magic number 0x00000803 at byte 0, expected 0x00000801.*image file/);
  });

  it('rejects an arbitrary magic and a non-byte element type', () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]);
    expect(errorOf(parseIdxImages(png, 'x')).message).toMatch(/^x: magic number 0x89504e47 at byte 0/);
    const floats = Uint8Array.from([...header(0x0d, [1, 1, 1]), 0, 0, 0, 0]);
    expect(errorOf(parseIdxImages(floats, 'f')).message).toMatch(/magic number 0x00000d03/);
    expect(errorOf(parseIdx(floats, 'f')).message).toMatch(/element type 0x0d at byte 2 is not supported/);
  });

  it('reports truncated pixel data with the header sizes and the bytes present', () => {
    const full = imagesFile(60000, 28, 28, []);
    const truncated = Uint8Array.from([...full, ...new Array<number>(1234).fill(9)]);
    expect(errorOf(parseIdxImages(truncated, 'train-images-idx3-ubyte')).message).toBe(
      'train-images-idx3-ubyte: header says 60000 images of 28×28 = 47040000 bytes, file has 1234 after the header',
    );
    expect(errorOf(parseIdxLabels(labelsFile([1, 2, 3]).subarray(0, 10), 'l')).message).toBe(
      'l: header says 3 labels = 3 bytes, file has 2 after the header',
    );
  });

  it('rejects trailing bytes after the data', () => {
    const extra = Uint8Array.from([...imagesFile(1, 2, 2, [1, 2, 3, 4]), 5]);
    expect(errorOf(parseIdxImages(extra, 'e')).message).toMatch(/= 4 bytes, file has 5 after the header/);
  });

  it('rejects a short header and zero image dimensions', () => {
    expect(errorOf(parseIdxImages(Uint8Array.from([0, 0]), 'tiny')).message).toMatch(
      /^tiny: file has 2 bytes, too short for the 4-byte IDX magic/,
    );
    const shortHeader = Uint8Array.from(header(8, [1, 28, 28]).slice(0, 12));
    expect(errorOf(parseIdxImages(shortHeader, 'h')).message).toMatch(/^h: file has 12 bytes, shorter than the 16-byte image header/);
    expect(errorOf(parseIdxImages(imagesFile(5, 0, 28, []), 'z')).message).toMatch(
      /images of 0×28 \(rows at byte 8, cols at byte 12\): both must be positive/,
    );
  });

  it('rejects gzip data that does not inflate', () => {
    const gz = gzipSync(imagesFile(1, 2, 2, [1, 2, 3, 4]));
    const broken = gz.subarray(0, gz.length - 6);
    const e = errorOf(parseIdxImages(broken, 'b.gz'));
    expect(e.message).toMatch(/^b\.gz: starts with the gzip magic 1f 8b but does not inflate/);
  });
});

describe('parseIdx / formatIdx', () => {
  it('round-trips any unsigned-byte array and writes the documented header', () => {
    const data = Uint8Array.from(ramp(2 * 3 * 5));
    const bytes = formatIdx([2, 3, 5], data);
    expect(Array.from(bytes.subarray(0, 16))).toEqual(header(8, [2, 3, 5]));
    const r = parseIdx(bytes, 'a');
    expect(isRight(r) && r.right.dims).toEqual([2, 3, 5]);
    expect(isRight(r) && Array.from(r.right.data)).toEqual(Array.from(data));
    expect(() => formatIdx([2, 2], data)).toThrow(RangeError);
    expect(errorOf(parseIdx(bytes.subarray(0, 20), 'a')).message).toMatch(/header says 2×3×5 = 30 bytes, file has 4/);
  });
});

describe('readIdxImages / readIdxLabels', () => {
  it('reads files from disk, gzip or not', () => {
    const raw = join(scratch, 'imgs');
    const gz = join(scratch, 'lbls.gz');
    writeFileSync(raw, imagesFile(2, 2, 2, ramp(8)));
    writeFileSync(gz, gzipSync(labelsFile([4, 5])));
    const i = readIdxImages(raw);
    expect(isRight(i) && Array.from(i.right.pixels)).toEqual(ramp(8));
    const l = readIdxLabels(gz);
    expect(isRight(l) && Array.from(l.right.labels)).toEqual([4, 5]);
  });

  it('reports a missing file by path and names the file in parse errors', () => {
    const path = join(scratch, 'nope-idx3-ubyte');
    const e = errorOf(readIdxImages(path));
    expect(e).toEqual({ kind: 'missing', file: path, message: `${path}: no such file` });
    const bad = join(scratch, 'bad');
    writeFileSync(bad, labelsFile([1]));
    expect(errorOf(readIdxImages(bad)).message.startsWith(`${bad}: magic number 0x00000801`)).toBe(true);
    expect(errorOf(readIdxImages(scratch)).kind).toBe('io');
  });
});
