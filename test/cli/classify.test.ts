/**
 * `spikeline train --task classify` and `spikeline eval` on a classifier, as a user meets them:
 * --json gives testAccuracy; the run directory holds the confusion-matrix and accuracy pictures
 * (PNG files that decode); eval reports the accuracy and the confusion matrix; worker threads
 * give the same run as the main thread alone.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { writtenFiles } from '../../src/cli/commands/train.ts';
import { main } from '../../src/cli/main.ts';
import { decodePng } from '../report/decodePng.ts';
import { writeQuadrantDataset } from '../run/labelledIdx.ts';

const dataDir = writeQuadrantDataset(mkdtempSync(join(tmpdir(), 'spikeline-quadrants-')), { side: 8, train: 400, test: 100 });
const small = ['--data-dir', dataDir, '--validation-size', '100', '--layers', '64,16,10', '--learning-rate', '0.01'];

let dir: string;
let stdout: string[];
let stderr: string[];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'spikeline-classify-cli-'));
  stdout = [];
  stderr = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void stdout.push(a.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void stderr.push(a.join(' ')));
  vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
    stderr.push(String(s));
    return true;
  });
});
afterEach(() => vi.restoreAllMocks());

const lastJson = (): Record<string, unknown> => JSON.parse(stdout[stdout.length - 1]) as Record<string, unknown>;

describe('spikeline train --task classify', () => {
  it('--json gives testAccuracy; epochs print accuracy; the pictures exist and decode', async () => {
    const out = join(dir, 'run');
    expect(await main(['train', '--preset', 'mnist-340', ...small, '--epochs', '3', '--workers', '0', '--out', out, '--json'])).toBe(0);
    const s = lastJson();
    expect(s.task).toBe('classify');
    expect(s.testAccuracy).toBeGreaterThan(0.25); // better than chance (4 classes); learning itself: test/run/classify.test.ts
    expect(s.testAccuracy).toBeLessThanOrEqual(1);
    expect(stderr.join('')).toMatch(/epoch 3\/3: .*accuracy validation \d+\.\d\d %  test \d+\.\d\d %/);
    for (const f of ['confusion.png', 'accuracy.png', 'loss.png']) {
      const png = decodePng(new Uint8Array(readFileSync(join(out, f))));
      expect(png.width).toBeGreaterThan(200);
      expect(png.height).toBeGreaterThan(200);
    }
    expect(readFileSync(join(out, 'confusion.svg'), 'utf8')).toMatch(/accuracy \d+\.\d\d % of 100/);
    expect(existsSync(join(out, 'reconstructions.png'))).toBe(false);
    // the closing message names the pictures, and --force clears them with the rest of the run
    expect(writtenFiles(out)).toMatch(/accuracy\.svg, accuracy\.png, confusion\.svg, confusion\.png/);
    const autoencoder = ['--preset', 'h32-l1-n0', '--data-dir', dataDir, '--validation-size', '100', '--n-hidden', '8', '--train-limit', '100'];
    expect(await main(['train', ...autoencoder, '--epochs', '1', '--workers', '0', '--out', out, '--force'])).toBe(0);
    expect(existsSync(join(out, 'reconstructions.png'))).toBe(true);
    for (const f of ['confusion.png', 'confusion.svg', 'accuracy.png', 'accuracy.svg']) expect(existsSync(join(out, f))).toBe(false);
  }, 120_000);

  it('the progress line shows the running training accuracy beside the running loss', async () => {
    // a clock that advances 1 s per reading, so that the (non-terminal) progress line prints every few batches
    let clock = 0;
    vi.spyOn(performance, 'now').mockImplementation(() => (clock += 1000));
    expect(await main(['train', '--preset', 'mnist-340', ...small, '--epochs', '1', '--workers', '0', '--out', join(dir, 'p')])).toBe(0);
    const lines = stderr.join('').split('\n').filter((l) => l.startsWith('epoch 1/1 '));
    const progress = lines.filter((l) => / img\/s /.test(l));
    expect(progress.length).toBeGreaterThan(0);
    for (const l of progress) expect(l).toMatch(/ loss \d+\.\d{5}  acc \d{1,3}\.\d %$/);
  }, 60_000);

  it('--task classify works from any preset (flags on top)', async () => {
    expect(await main(['train', '--task', 'classify', ...small, '--epochs', '1', '--workers', '0', '--out', join(dir, 'r'), '--json'])).toBe(0);
    expect(lastJson().layerSizes).toEqual([64, 16, 10]);
  }, 60_000);

  it('--layers that do not fit: exit 2 naming the flag', async () => {
    expect(await main(['train', '--task', 'classify', ...small, '--layers', '64,16,9', '--out', join(dir, 'bad')])).toBe(2);
    expect(stderr.join('\n')).toMatch(/layers: 64,16,9 does not fit/);
    expect(await main(['train', '--task', 'classify', '--layers', '784,x,10', '--out', join(dir, 'bad')])).toBe(2);
    expect(stderr.join('\n')).toMatch(/--layers: expected at least 2 positive integers/);
  }, 60_000);

  it('one worker thread gives the same run as the main thread alone', async () => {
    await main(['train', '--preset', 'mnist-340', ...small, '--epochs', '1', '--workers', '0', '--out', join(dir, 'w0'), '--json']);
    const alone = lastJson();
    await main(['train', '--preset', 'mnist-340', ...small, '--epochs', '1', '--workers', '1', '--out', join(dir, 'w1'), '--json']);
    const threaded = lastJson();
    expect(threaded.testAccuracy).toBe(alone.testAccuracy);
    expect(threaded.testLoss).toBeCloseTo(alone.testLoss as number, 12); // evaluation sums per thread, then the partial sums
    expect(threaded.finalTrainLoss).toBe(alone.finalTrainLoss);
  }, 120_000);
});

describe('spikeline eval on a classifier', () => {
  it('reports the accuracy and the confusion matrix (text and --json)', async () => {
    const out = join(dir, 'run');
    await main(['train', '--preset', 'mnist-340', ...small, '--epochs', '2', '--workers', '0', '--out', out, '--json']);
    const trained = lastJson();
    const model = join(out, 'best.model.json');
    expect(await main(['eval', model, '--json'])).toBe(0);
    const e = lastJson();
    expect(e.accuracy).toBe(trained.testAccuracy);
    const rows = e.confusion as number[][];
    expect(rows).toHaveLength(10);
    expect(rows.every((r) => r.length === 11)).toBe(true);
    expect(rows.flat().reduce((a, b) => a + b, 0)).toBe(100);
    expect(await main(['eval', model])).toBe(0);
    const text = stdout.join('\n');
    expect(text).toMatch(/accuracy \d+\.\d\d %/);
    expect(text).toMatch(/confusion matrix/);
    expect(text).toMatch(/^label\s+0\s+1\s+2\s+3\s+4\s+5\s+6\s+7\s+8\s+9\s+none$/m);
  }, 120_000);
});
