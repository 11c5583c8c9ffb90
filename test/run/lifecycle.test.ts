/**
 * The life of a run directory as a user meets it through `spikeline train` (issue 12): nothing
 * overwritten or mixed without being asked, one writer at a time, resumes that cannot contradict
 * their checkpoint, every input checked before any output, no non-finite parameters saved,
 * SIGTERM as Ctrl-C, and no claims about files that were not written.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { freshRunDirectory } from '../../src/cli/commands/start.ts';
import { loadCheckpoint } from '../../src/run/checkpoint.ts';
import { decodePng } from '../report/decodePng.ts';
import { writeIdxDataset } from './idxFixture.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const tiny = ['--train-limit', '140', '--validation-size', '60', '--test-limit', '20', '--workers', '0'];

let dir: string;
let stderr: string[];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'spikeline-life-'));
  stderr = [];
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void stderr.push(a.join(' ')));
  vi.spyOn(console, 'log').mockImplementation(() => {});
  vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
    stderr.push(String(s));
    return true;
  });
});
afterEach(() => vi.restoreAllMocks());

const said = () => stderr.join('\n');
const events = (out: string) =>
  readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l).event as string);
const snapshot = (out: string) => Object.fromEntries(readdirSync(out).map((f) => [f, readFileSync(join(out, f), 'utf8')]));

/** Spawns the built CLI, waits for its first epoch, sends `signal`, returns the exit code. */
const interruptAfterFirstEpoch = async (out: string, signal: NodeJS.Signals): Promise<number | null> => {
  const child = spawn(process.execPath, [join(root, 'bin/spikeline.mjs'), 'train', '--epochs', '50', '--out', out, ...tiny], { stdio: 'ignore' });
  const metrics = join(out, 'metrics.jsonl');
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && !(existsSync(metrics) && readFileSync(metrics, 'utf8').includes('"event":"epoch"'))) {
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill(signal);
  return new Promise((r) => child.once('exit', (code) => r(code)));
};

describe('a run directory holds one run', () => {
  it('a directory that holds a run is refused without --resume or --force, and left as it was', async () => {
    const out = join(dir, 'run');
    expect(await main(['train', '--epochs', '1', '--out', out, ...tiny])).toBe(0);
    const before = snapshot(out);
    expect(await main(['train', '--epochs', '1', '--learning-rate', '0.5', '--out', out, ...tiny])).toBe(2);
    expect(said()).toMatch(/already holds a run \(config\.json, metrics\.jsonl, best\.model\.json.*pass --resume to continue it, --force to overwrite it/);
    expect(snapshot(out)).toEqual(before);
  });

  it('--force replaces the earlier run: nothing of it mixes into the new one', async () => {
    const out = join(dir, 'run');
    expect(await main(['train', '--epochs', '1', '--out', out, ...tiny])).toBe(0);
    expect(await main(['train', '--epochs', '1', '--seed', '3', '--force', '--out', out, ...tiny])).toBe(0);
    expect(events(out)).toEqual(['start', 'epoch', 'end']);
    expect(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')).seed).toBe(3);
    expect(await main(['train', '--resume', '--force', '--out', out])).toBe(2);
    expect(said()).toMatch(/--resume and --force contradict/);
  });

  it('npm start picks a fresh directory instead of overwriting an earlier run', async () => {
    const base = join(dir, 'start');
    expect(freshRunDirectory(base)).toBe(base);
    mkdirSync(base);
    writeFileSync(join(base, 'best.model.json'), '{}');
    expect(freshRunDirectory(base)).toBe(`${base}-2`);
    mkdirSync(`${base}-2`);
    writeFileSync(join(`${base}-2`, '.lock'), '1');
    expect(freshRunDirectory(base)).toBe(`${base}-3`);
  });

  it('a lock held by a live process stops a second writer; a stale lock is taken over', async () => {
    const out = join(dir, 'locked');
    mkdirSync(out);
    const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
    try {
      writeFileSync(join(out, '.lock'), `${sleeper.pid}\n`);
      expect(await main(['train', '--epochs', '1', '--out', out, ...tiny])).toBe(2);
      expect(said()).toMatch(new RegExp(`being written by process ${sleeper.pid}`));
      expect(readdirSync(out)).toEqual(['.lock']);
    } finally {
      sleeper.kill('SIGKILL');
    }
    await new Promise((r) => sleeper.once('exit', r));
    expect(await main(['train', '--epochs', '1', '--out', out, ...tiny])).toBe(0); // its owner is dead: stale
    expect(existsSync(join(out, '.lock'))).toBe(false); // released at the end
    expect(events(out)).toEqual(['start', 'epoch', 'end']);
  });
});

describe('--resume cannot contradict its checkpoint', () => {
  it('--preset h8-l1-n0 on an H=32 checkpoint is refused naming the settings; nothing is overwritten', async () => {
    const out = join(dir, 'run');
    expect(await main(['train', '--preset', 'h32-l1-n0', '--epochs', '1', '--out', out, ...tiny])).toBe(0);
    const before = snapshot(out);
    expect(await main(['train', '--resume', '--preset', 'h8-l1-n0', '--epochs', '2', '--out', out])).toBe(2);
    expect(said()).toMatch(/nHidden \(--n-hidden\): the checkpoint was trained with 32, the request says 8/);
    expect(await main(['train', '--resume', '--learning-rate', '0.5', '--epochs', '2', '--out', out])).toBe(2);
    expect(said()).toMatch(/learningRate \(--learning-rate\)/);
    expect(snapshot(out)).toEqual(before);
    expect(await main(['train', '--resume', '--preset', 'h32-l1-n0', '--epochs', '2', '--out', out])).toBe(0);
  });

  it('data of another shape is refused before anything is overwritten', async () => {
    const out = join(dir, 'run');
    expect(await main(['train', '--epochs', '1', '--out', out, ...tiny])).toBe(0);
    const before = snapshot(out);
    const small = writeIdxDataset(join(dir, 'idx10'), { rows: 10, cols: 10, train: 200, test: 20 });
    expect(await main(['train', '--resume', '--epochs', '2', '--data-dir', small, '--out', out])).toBe(2);
    expect(said()).toMatch(/dataDir \(--data-dir\)/);
    expect(snapshot(out)).toEqual(before);
  });

  it('the same --data-dir now holding images of another size is refused before anything is overwritten', async () => {
    const data = writeIdxDataset(join(dir, 'idx'), { rows: 12, cols: 12, train: 200, test: 20 });
    const out = join(dir, 'run');
    expect(await main(['train', '--data-dir', data, '--epochs', '1', '--out', out, ...tiny])).toBe(0);
    const before = snapshot(out);
    writeIdxDataset(data, { rows: 10, cols: 10, train: 200, test: 20 });
    expect(await main(['train', '--resume', '--epochs', '2', '--out', out])).toBe(2);
    expect(said()).toMatch(/the checkpoint's network is 144-32-144, the data and config ask for 100-32-100/);
    expect(snapshot(out)).toEqual(before);
  });

  it('--epochs no larger than the epochs done is refused', async () => {
    const out = join(dir, 'run');
    expect(await main(['train', '--epochs', '1', '--out', out, ...tiny])).toBe(0);
    expect(await main(['train', '--resume', '--epochs', '1', '--out', out])).toBe(2);
    expect(said()).toMatch(/already completed 1 epoch\(s\); ask for more/);
  });
});

describe('input is checked before any output', () => {
  it('10×10 IDX images via --data-dir train a 100-H-100 network with pictures of that size', async () => {
    const small = writeIdxDataset(join(dir, 'idx10'), { rows: 10, cols: 10, train: 200, test: 20 });
    const out = join(dir, 'run');
    expect(await main(['train', '--data-dir', small, '--epochs', '1', '--out', out, ...tiny])).toBe(0);
    expect(said()).toMatch(/autoencode 100-32-100 \(10×10 images\)/);
    const png = decodePng(readFileSync(join(out, 'reconstructions.png')));
    expect(png.height).toBe(2 + 2 * (10 * 4 + 2)); // originals and reconstructions, 10 px × scale 4
    const best = JSON.parse(readFileSync(join(out, 'best.model.json'), 'utf8'));
    expect(best.network.layerSizes).toEqual([100, 32, 100]);
  });

  it('a test set of 0 images is refused with a message, and no directory is created', async () => {
    const empty = writeIdxDataset(join(dir, 'idx0'), { rows: 28, cols: 28, train: 300, test: 0 });
    const out = join(dir, 'run');
    expect(await main(['train', '--data-dir', empty, '--epochs', '1', '--out', out, ...tiny])).toBe(2);
    expect(said()).toMatch(/the test set holds 0 images/);
    expect(existsSync(out)).toBe(false);
  });

  it('--epochs 0 is refused with a message, and no directory is created', async () => {
    const out = join(dir, 'run');
    expect(await main(['train', '--epochs', '0', '--out', out, ...tiny])).toBe(2);
    expect(said()).toMatch(/epochs: expected at least 1, got 0 \(nothing to train\)/);
    expect(existsSync(out)).toBe(false);
  });
});

describe('training never writes non-finite parameters', () => {
  it('a diverging step stops the run naming epoch, batch and setting; the last good checkpoint stays; exit 2', async () => {
    const out = join(dir, 'run');
    // settings that diverge by themselves after a good epoch are refused by config decoding (each
    // field has a range), so: a good first epoch, then its checkpoint's (finite) parameters scaled
    // by 1e300 — the next step overflows
    expect(await main(['train', '--epochs', '1', '--out', out, ...tiny])).toBe(0);
    const file = join(out, 'latest.model.json');
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { params: number[] };
    saved.params = saved.params.map((x) => x * 1e300);
    writeFileSync(file, JSON.stringify(saved));
    expect(await main(['train', '--resume', '--epochs', '3', '--out', out, ...tiny])).toBe(2);
    const m = /diverged at epoch (\d+), batch \d+ of 20: .*Likely at fault: the learning rate/.exec(said());
    expect(m?.[1]).toBe('2');
    const done = 1;
    expect(said()).toMatch(new RegExp(`keeps the last good checkpoint \\(${done} epoch\\(s\\)\\)`));
    const ckpt = loadCheckpoint(file);
    expect(ckpt._tag).toBe('Right');
    if (ckpt._tag === 'Right') {
      expect(ckpt.right.progress.completedEpochs).toBe(done);
      expect(ckpt.right.network.params.every(Number.isFinite)).toBe(true);
    }
    expect(events(out)).toEqual(['start', 'epoch', 'end', 'resume', 'diverged', 'end']);
    expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).diverged).toMatch(new RegExp(`epoch ${done + 1}`));
  });

  it('diverging on the first step says that no checkpoint was written', async () => {
    const out = join(dir, 'run');
    // in range, but e^(decayRate·t) overflows for input times up to 100 at decay rate 10
    expect(await main(['train', '--epochs', '1', '--decay-rate', '10', '--input-range', '100', '--out', out, ...tiny])).toBe(2);
    expect(said()).toMatch(/diverged at epoch 1, batch 1 of 20: .*--decay-rate 10 .*no checkpoint was written/);
    expect(existsSync(join(out, 'latest.model.json'))).toBe(false);
  });
});

describe('signals', () => {
  it('SIGTERM behaves as Ctrl-C: checkpoint and summary written, exit 143', async () => {
    const out = join(dir, 'terminated');
    expect(await interruptAfterFirstEpoch(out, 'SIGTERM')).toBe(143);
    const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(s.interrupted).toBe(true);
    expect(events(out)).toContain('interrupt');
    expect(JSON.parse(readFileSync(join(out, 'latest.model.json'), 'utf8')).meta.completedEpochs).toBe(s.epochs);
    expect(existsSync(join(out, '.lock'))).toBe(false);
  });
});
