/**
 * `eval` and `reconstruct` as a hostile but realistic user meets them (issue 12): models whose
 * shape does not fit the data, outputs that cannot be written, small data sets, a corrupt saved
 * config. Each ends with one message naming what and where, exit 2, and nothing left behind.
 */
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { configFromPreset, encodeTrainingConfig } from '../../src/config/config.ts';
import { findPreset } from '../../src/config/presets.ts';
import { gaussianSampler } from '../../src/data/rng.ts';
import { IDX_FILES } from '../../src/data/datasets.ts';
import { formatIdx } from '../../src/data/idx.ts';
import { savedModelOf } from '../../src/model/codecs.ts';
import { initNetwork } from '../../src/model/init.ts';
import { canMount, mountFull, mountReadOnly, unmount } from '../io/tinyMount.ts';

let dir: string;
let stderr: string[];
const mounts: string[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'spikeline-evalrec-'));
  stderr = [];
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void stderr.push(a.join(' ')));
  vi.spyOn(console, 'log').mockImplementation(() => {});
});
afterEach(() => {
  vi.restoreAllMocks();
  for (const m of mounts.splice(0)) unmount(m);
});

const preset = (() => {
  const p = findPreset('h8-l1-n0');
  if (p._tag === 'Left') throw new Error(p.left);
  return p.right;
})();

/** A saved model of layer sizes `sizes` (with a valid saved config, unless `config` is given). */
const modelFile = (sizes: number[], config: unknown = encodeTrainingConfig(configFromPreset(preset.hyper))): string => {
  const net = initNetwork(
    { layerSizes: sizes, nPulses: 2, decayRate: 0.2, threshold: 1 },
    { nonpulseWeightMeanMultiplier: 1, pulseWeightMeanMultiplier: 1 },
    gaussianSampler(1, 0),
  );
  const f = join(dir, `model-${sizes.join('-')}-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(f, JSON.stringify(savedModelOf(net, { config })));
  return f;
};

/** A directory with the four IDX files: `train` and `test` images of side×side pixels. */
const idxDir = (side: number, train: number, test: number): string => {
  const d = join(dir, `idx-${side}-${train}-${test}`);
  mkdirSync(d);
  const images = (n: number) => formatIdx([n, side, side], Uint8Array.from({ length: n * side * side }, (_, i) => (i * 37) % 256));
  const labels = (n: number) => formatIdx([n], Uint8Array.from({ length: n }, (_, i) => i % 10));
  writeFileSync(join(d, IDX_FILES.trainImages), images(train));
  writeFileSync(join(d, IDX_FILES.trainLabels), labels(train));
  writeFileSync(join(d, IDX_FILES.testImages), images(test));
  writeFileSync(join(d, IDX_FILES.testLabels), labels(test));
  return d;
};

const run = async (...argv: string[]): Promise<{ status: number; message: string }> => {
  const status = await main(argv);
  return { status, message: stderr.join('\n') };
};

const expectOneLine = (r: { status: number; message: string }, pattern: RegExp): void => {
  expect(r.status).toBe(2);
  expect(r.message).toMatch(pattern);
  expect(r.message.split('\n')).toHaveLength(1);
  expect(r.message).not.toMatch(/\n\s+at |RangeError|TypeError/);
};

const tmpLeft = (d: string): string[] => readdirSync(d).filter((f) => f.endsWith('.tmp'));

describe('model shape against data shape', () => {
  it('eval: a model whose output size differs from its input (784-32-100)', async () => {
    const data = idxDir(28, 50, 10);
    expectOneLine(
      await run('eval', modelFile([784, 32, 100]), '--data-dir', data),
      /model-784-32-100.*\(784-32-100\) takes 784 inputs and gives 100 outputs; the images of mnist in .* are 28×28 = 784 pixels/,
    );
  });

  it('reconstruct: a model whose input is not 784 (100-16-100) on MNIST-sized images', async () => {
    const data = idxDir(28, 50, 10);
    const out = join(dir, 'pics', 'r.png');
    expectOneLine(await run('reconstruct', modelFile([100, 16, 100]), '--data-dir', data, '--out', out), /takes 100 inputs .* 28×28 = 784 pixels/);
    expect(existsSync(join(dir, 'pics'))).toBe(false);
  });

  it("reconstruct: a 784 model on data of another image size (10×10)", async () => {
    const data = idxDir(10, 50, 10);
    expectOneLine(await run('reconstruct', modelFile([784, 8, 784]), '--data-dir', data, '--out', join(dir, 'r.png')), /10×10 = 100 pixels/);
  });

  it('eval --data-dir with a small set does not trip over validationSize (an option eval lacks)', async () => {
    const data = idxDir(28, 50, 12);
    const r = await run('eval', modelFile([784, 8, 784]), '--data-dir', data);
    expect(r.message).toBe('');
    expect(r.status).toBe(0);
    const v = await run('eval', modelFile([784, 8, 784]), '--data-dir', data, '--split', 'validation');
    expectOneLine(v, /--split validation: the model was validated on 6000 training images, mnist in .* has only 50; use --split test/);
  });

  it("a saved model's invalid meta.config is an error naming the field", async () => {
    const cfg = { ...encodeTrainingConfig(configFromPreset(preset.hyper)), latency: -3 };
    const f = modelFile([784, 8, 784], cfg);
    expectOneLine(await run('eval', f, '--data-dir', idxDir(28, 50, 10)), /meta\.config: latency: expected positive number, got -3/);
  });
});

describe('reconstruct --out', () => {
  it('an existing directory: message, exit 2, no .tmp left, directory intact', async () => {
    const out = join(dir, 'existing');
    mkdirSync(out);
    expectOneLine(await run('reconstruct', modelFile([784, 8, 784]), '--data-dir', idxDir(28, 50, 10), '--out', out), /--out .*existing: is a directory/);
    expect(readdirSync(out)).toEqual([]);
    expect(tmpLeft(dir)).toEqual([]);
  });

  it("'' : message, exit 2, nothing written in the working directory", async () => {
    const before = readdirSync(process.cwd());
    expectOneLine(await run('reconstruct', modelFile([784, 8, 784]), '--data-dir', idxDir(28, 50, 10), '--out', ''), /--out: expected a file name, got ""/);
    expect(readdirSync(process.cwd())).toEqual(before);
  });

  it('a path through a file: one line naming it', async () => {
    const file = join(dir, 'plain');
    writeFileSync(file, 'x');
    expectOneLine(await run('reconstruct', modelFile([784, 8, 784]), '--data-dir', idxDir(28, 50, 10), '--out', join(file, 'r.png')), /plain is a file, not a directory/);
  });

  it('writes the picture when all is well', async () => {
    const out = join(dir, 'new', 'r.png');
    const r = await run('reconstruct', modelFile([784, 8, 784]), '--data-dir', idxDir(28, 50, 10), '--out', out, '--count', '3');
    expect(r).toEqual({ status: 0, message: '' });
    expect(existsSync(out)).toBe(true);
    expect(tmpLeft(join(dir, 'new'))).toEqual([]);
  });

  describe.skipIf(!canMount)('on real read-only and full file systems (needs root to mount a tmpfs)', () => {
    it('a read-only --out: one line, exit 2', async () => {
      const ro = mountReadOnly();
      mounts.push(ro);
      expectOneLine(await run('reconstruct', modelFile([784, 8, 784]), '--data-dir', idxDir(28, 50, 10), '--out', join(ro, 'r.png')), /read-only file system, EROFS/);
    });

    it('a full disk: one line, exit 2, no .tmp left', async () => {
      const full = mountFull();
      mounts.push(full);
      const out = join(full, 'r.png');
      expectOneLine(await run('reconstruct', modelFile([784, 8, 784]), '--data-dir', idxDir(28, 50, 10), '--out', out), /r\.png: cannot write \(no space left on device, ENOSPC\)/);
      expect(tmpLeft(full)).toEqual([]);
    });
  });
});
