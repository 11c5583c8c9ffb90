/**
 * Test helper: a labelled IDX data set (four raw files) whose class is visible: an image of class
 * k ∈ 0..3 has a bright block in quadrant k, with seeded variation of its brightness and a few
 * dim background pixels, so a small classifier can separate the classes quickly.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const header = (magic: number, dims: readonly number[]): Buffer => {
  const b = Buffer.alloc(4 + 4 * dims.length);
  b.writeUInt32BE(magic, 0);
  dims.forEach((d, i) => b.writeUInt32BE(d, 4 + 4 * i));
  return b;
};

/** The label of image i (classes 0..3 in turn, shuffled by a fixed stride). */
export const quadrantLabel = (i: number): number => (i * 7 + Math.floor(i / 4)) % 4;

const quadrantImages = (count: number, side: number, seed: number): { images: Buffer; labels: Buffer } => {
  const images = Buffer.alloc(count * side * side);
  const labels = Buffer.alloc(count);
  let s = seed >>> 0;
  const next = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const half = side / 2;
  for (let i = 0; i < count; i++) {
    const k = quadrantLabel(i);
    labels[i] = k;
    const r0 = k < 2 ? 0 : half;
    const c0 = k % 2 === 0 ? 0 : half;
    for (let r = 0; r < side; r++) {
      for (let c = 0; c < side; c++) {
        const inside = r >= r0 && r < r0 + half && c >= c0 && c < c0 + half;
        const v = inside ? 160 + Math.floor(95 * next()) : next() < 0.1 ? Math.floor(60 * next()) : 0;
        images[i * side * side + r * side + c] = v;
      }
    }
  }
  return { images, labels };
};

/** Writes train and test files of `side`×`side` quadrant images into `dir`; returns `dir`. */
export const writeQuadrantDataset = (dir: string, o: { side: number; train: number; test: number }): string => {
  mkdirSync(dir, { recursive: true });
  const part = (name: string, count: number, seed: number) => {
    const { images, labels } = quadrantImages(count, o.side, seed);
    writeFileSync(join(dir, `${name}-images-idx3-ubyte`), Buffer.concat([header(0x803, [count, o.side, o.side]), images]));
    writeFileSync(join(dir, `${name}-labels-idx1-ubyte`), Buffer.concat([header(0x801, [count]), labels]));
  };
  part('train', o.train, 1);
  part('t10k', o.test, 2);
  return dir;
};
