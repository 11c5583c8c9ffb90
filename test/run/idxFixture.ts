/** Writes a small data set in the IDX layout (four raw files) for tests: rows × cols images. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const header = (magic: number, dims: readonly number[]): Buffer => {
  const b = Buffer.alloc(4 + 4 * dims.length);
  b.writeUInt32BE(magic, 0);
  dims.forEach((d, i) => b.writeUInt32BE(d, 4 + 4 * i));
  return b;
};

/** Images whose pixels are a seeded pattern (a bright blob moving with the index). */
const images = (count: number, rows: number, cols: number): Buffer => {
  const px = Buffer.alloc(count * rows * cols);
  for (let i = 0; i < count; i++) {
    const cr = i % rows;
    const cc = (3 * i) % cols;
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const d2 = (r - cr) ** 2 + (c - cc) ** 2;
        px[i * rows * cols + r * cols + c] = d2 <= 4 ? 255 - 40 * d2 : 0;
      }
    }
  }
  return px;
};

export const writeIdxDataset = (dir: string, o: { rows: number; cols: number; train: number; test: number }): string => {
  mkdirSync(dir, { recursive: true });
  const part = (name: string, count: number) => {
    writeFileSync(join(dir, `${name}-images-idx3-ubyte`), Buffer.concat([header(0x803, [count, o.rows, o.cols]), images(count, o.rows, o.cols)]));
    writeFileSync(join(dir, `${name}-labels-idx1-ubyte`), Buffer.concat([header(0x801, [count]), Buffer.alloc(count, 3)]));
  };
  part('train', o.train);
  part('t10k', o.test);
  return dir;
};
