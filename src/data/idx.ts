/**
 * IDX files (the MNIST / Fashion-MNIST container), raw or gzip-compressed.
 *
 * Layout: a 4-byte big-endian magic number `0x0000TTDD` (TT = element type, 0x08 = unsigned
 * byte; DD = number of dimensions), then DD big-endian uint32 sizes, then the elements,
 * row-major. Label files are `0x00000801` (one dimension: count), image files `0x00000803`
 * (count × rows × cols). A file that starts with the gzip magic `1f 8b` is inflated first.
 *
 * Images stay compact: `pixels` is a `Uint8Array` view of the file's bytes (one byte per pixel,
 * no copy to doubles). Errors never throw: every reader returns `Either<DataError, …>` whose
 * message names the file and the byte offset or header field at fault, e.g.
 * `train-images-idx3-ubyte: header says 60000 images of 28×28 = 47040000 bytes, file has 1234
 * after the header`.
 *
 * ## Example
 * ```ts
 * const r = readIdxImages('/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz');
 * if (isRight(r)) console.log(r.right.count, r.right.rows, r.right.cols);
 * ```
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { type Either, left, right, isLeft } from 'fp-ts/lib/Either.js';

/** What went wrong with external data: a missing file, a corrupt one, or a read failure. */
export interface DataError {
  readonly kind: 'missing' | 'corrupt' | 'io';
  /** The file (path as given) the error is about, or the directory for a missing data set. */
  readonly file: string;
  /** A complete human-readable message that names the file. */
  readonly message: string;
}

export const dataError = (kind: DataError['kind'], file: string, message: string): DataError => ({
  kind,
  file,
  message,
});

export const IDX_LABELS_MAGIC = 0x00000801;
export const IDX_IMAGES_MAGIC = 0x00000803;
/** IDX element type code for unsigned bytes. */
export const IDX_UBYTE = 0x08;

/** An IDX array of unsigned bytes: its sizes and its elements (a view, row-major). */
export interface IdxArray {
  readonly dims: readonly number[];
  readonly data: Uint8Array;
}

export interface IdxImages {
  readonly count: number;
  readonly rows: number;
  readonly cols: number;
  /** count × rows × cols bytes, image-major then row-major; image i is pixels[i·rows·cols …]. */
  readonly pixels: Uint8Array;
}

export interface IdxLabels {
  readonly count: number;
  readonly labels: Uint8Array;
}

const hex8 = (n: number): string => `0x${n.toString(16).padStart(8, '0')}`;

const corrupt = (name: string, msg: string): Either<DataError, never> =>
  left(dataError('corrupt', name, `${name}: ${msg}`));

/** True when `bytes` start with the gzip magic 1f 8b. */
export const isGzip = (bytes: Uint8Array): boolean =>
  bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;

/** Inflates gzip data (detected by its magic); other bytes are returned as they are. */
export const gunzipIfNeeded = (bytes: Uint8Array, name: string): Either<DataError, Uint8Array> => {
  if (!isGzip(bytes)) return right(bytes);
  try {
    const out = gunzipSync(bytes);
    return right(new Uint8Array(out.buffer, out.byteOffset, out.length));
  } catch (e) {
    return corrupt(name, `starts with the gzip magic 1f 8b but does not inflate: ${(e as Error).message}`);
  }
};

/**
 * Parses an IDX array of unsigned bytes (raw or gzip). `name` is used in error messages. The element count
 * must match the header exactly (missing bytes and trailing bytes are both errors).
 */
export const parseIdx = (input: Uint8Array, name: string): Either<DataError, IdxArray> => {
  const raw = gunzipIfNeeded(input, name);
  if (isLeft(raw)) return raw;
  const bytes = raw.right;
  if (bytes.length < 4) {
    return corrupt(name, `file has ${bytes.length} bytes, too short for the 4-byte IDX magic number`);
  }
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    const magic = ((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]) >>> 0;
    return corrupt(name, `magic number ${hex8(magic)} at byte 0 is not an IDX magic (must start with two zero bytes)`);
  }
  const type = bytes[2];
  const nDims = bytes[3];
  if (type !== IDX_UBYTE) {
    return corrupt(
      name,
      `IDX element type 0x${type.toString(16).padStart(2, '0')} at byte 2 is not supported (expected 0x08, unsigned byte)`,
    );
  }
  if (nDims === 0) return corrupt(name, 'IDX header at byte 3 declares 0 dimensions');
  const headerSize = 4 + 4 * nDims;
  if (bytes.length < headerSize) {
    return corrupt(
      name,
      `file has ${bytes.length} bytes, shorter than its ${headerSize}-byte header (${nDims} dimensions)`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const dims: number[] = [];
  let n = 1;
  for (let d = 0; d < nDims; d++) {
    const size = view.getUint32(4 + 4 * d, false);
    dims.push(size);
    n *= size;
  }
  const have = bytes.length - headerSize;
  if (have !== n) {
    return corrupt(
      name,
      `header says ${dims.join('×')} = ${n} bytes, file has ${have} after the header (${headerSize} bytes)`,
    );
  }
  return right({ dims, data: new Uint8Array(bytes.buffer, bytes.byteOffset + headerSize, n) });
};

const checkMagic = (
  bytes: Uint8Array,
  name: string,
  expected: number,
  what: string,
): Either<DataError, void> => {
  if (bytes.length < 4) {
    return corrupt(name, `file has ${bytes.length} bytes, too short for the 4-byte IDX magic number`);
  }
  const magic = ((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]) >>> 0;
  if (magic === expected) return right(undefined);
  const hint =
    magic === IDX_LABELS_MAGIC
      ? ' (this is a label file)'
      : magic === IDX_IMAGES_MAGIC
        ? ' (this is an image file)'
        : '';
  return corrupt(name, `magic number ${hex8(magic)} at byte 0, expected ${hex8(expected)} (${what})${hint}`);
};

/** Parses an IDX image file (magic 0x00000803; raw or gzip). */
export const parseIdxImages = (input: Uint8Array, name: string): Either<DataError, IdxImages> => {
  const raw = gunzipIfNeeded(input, name);
  if (isLeft(raw)) return raw;
  const bytes = raw.right;
  const magic = checkMagic(bytes, name, IDX_IMAGES_MAGIC, 'unsigned-byte images, 3 dimensions');
  if (isLeft(magic)) return magic;
  if (bytes.length < 16) {
    return corrupt(name, `file has ${bytes.length} bytes, shorter than the 16-byte image header`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const count = view.getUint32(4, false);
  const rows = view.getUint32(8, false);
  const cols = view.getUint32(12, false);
  if (rows === 0 || cols === 0) {
    return corrupt(name, `header says images of ${rows}×${cols} (rows at byte 8, cols at byte 12): both must be positive`);
  }
  const expected = count * rows * cols;
  const have = bytes.length - 16;
  if (have !== expected) {
    return corrupt(
      name,
      `header says ${count} images of ${rows}×${cols} = ${expected} bytes, file has ${have} after the header`,
    );
  }
  return right({ count, rows, cols, pixels: new Uint8Array(bytes.buffer, bytes.byteOffset + 16, expected) });
};

/** Parses an IDX label file (magic 0x00000801; raw or gzip). */
export const parseIdxLabels = (input: Uint8Array, name: string): Either<DataError, IdxLabels> => {
  const raw = gunzipIfNeeded(input, name);
  if (isLeft(raw)) return raw;
  const bytes = raw.right;
  const magic = checkMagic(bytes, name, IDX_LABELS_MAGIC, 'unsigned-byte labels, 1 dimension');
  if (isLeft(magic)) return magic;
  if (bytes.length < 8) {
    return corrupt(name, `file has ${bytes.length} bytes, shorter than the 8-byte label header`);
  }
  const count = new DataView(bytes.buffer, bytes.byteOffset, bytes.length).getUint32(4, false);
  const have = bytes.length - 8;
  if (have !== count) {
    return corrupt(name, `header says ${count} labels = ${count} bytes, file has ${have} after the header`);
  }
  return right({ count, labels: new Uint8Array(bytes.buffer, bytes.byteOffset + 8, count) });
};

/** Reads a whole file; ENOENT becomes a `missing` error, anything else an `io` error. */
export const readFileBytes = (path: string): Either<DataError, Uint8Array> => {
  try {
    const buf = readFileSync(path);
    return right(new Uint8Array(buf.buffer, buf.byteOffset, buf.length));
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return err.code === 'ENOENT'
      ? left(dataError('missing', path, `${path}: no such file`))
      : left(dataError('io', path, `${path}: cannot read (${err.code ?? err.message})`));
  }
};

/** Reads and parses an IDX image file (raw or gzip). */
export const readIdxImages = (path: string): Either<DataError, IdxImages> => {
  const bytes = readFileBytes(path);
  return isLeft(bytes) ? bytes : parseIdxImages(bytes.right, path);
};

/** Reads and parses an IDX label file (raw or gzip). */
export const readIdxLabels = (path: string): Either<DataError, IdxLabels> => {
  const bytes = readFileBytes(path);
  return isLeft(bytes) ? bytes : parseIdxLabels(bytes.right, path);
};

/**
 * Serialises an unsigned-byte IDX array (header + data); the inverse of `parseIdx`. Used to
 * write subsets and test fixtures.
 */
export const formatIdx = (dims: readonly number[], data: Uint8Array): Uint8Array => {
  const n = dims.reduce((a, b) => a * b, 1);
  if (dims.length < 1 || dims.length > 255 || n !== data.length) {
    throw new RangeError(`formatIdx: dims ${dims.join('×')} do not match ${data.length} bytes`);
  }
  const out = new Uint8Array(4 + 4 * dims.length + n);
  const view = new DataView(out.buffer);
  out[2] = IDX_UBYTE;
  out[3] = dims.length;
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(data, 4 + 4 * dims.length);
  return out;
};
