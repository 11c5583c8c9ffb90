/**
 * The public training API (`spikeline`): train, evaluate, saveModel/loadModel, checkpoints, on a
 * small 10×10 data set written by the test (seconds, no MNIST needed) and on MNIST for the example.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  type Dataset,
  allFinite,
  type TrainingConfig,
  configFromPreset,
  evaluate,
  findPreset,
  fit,
  loadCheckpoint,
  loadDataset,
  loadModel,
  loadRunData,
  saveModel,
  train,
} from '../../src/index.ts';
import type { Trainer } from '../../src/train/trainer.ts';
import { main as quickAutoencoder } from '../../examples/quickAutoencoder.ts';
import { writeIdxDataset } from './idxFixture.ts';

const dir = mkdtempSync(join(tmpdir(), 'spikeline-api-'));
const dataDir = writeIdxDataset(join(dir, 'idx10'), { rows: 10, cols: 10, train: 160, test: 16 });
const preset = findPreset('h8-l1-n0');
if (preset._tag === 'Left') throw new Error(preset.left);
const config: TrainingConfig = { ...configFromPreset(preset.right.hyper), dataDir, validationSize: 40, epochs: 2, batchSize: 8 };
const loaded = loadDataset('mnist', { dataDir });
if (loaded._tag === 'Left') throw new Error(loaded.left.message);
const dataset: Dataset = loaded.right;

describe('train', () => {
  it('without out: trains, writes nothing, returns the summary, the last and the best network', async () => {
    const epochs: number[] = [];
    const { summary, network, best } = await train(config, { dataset, onEpoch: ({ record }) => void epochs.push(record.epoch) });
    expect(epochs).toEqual([0, 1]);
    expect(summary.outDir).toBeNull();
    // the process's peak resident memory in MB: positive, and no more than the peak read after the run
    expect(summary.peakRssMB).toBeGreaterThan(10);
    expect(summary.peakRssMB).toBeLessThanOrEqual(process.resourceUsage().maxRSS / 1024);
    expect(summary.layerSizes).toEqual([100, 8, 100]);
    expect(summary.history.map((r) => r.epoch)).toEqual([0, 1]);
    expect(network.layerSizes).toEqual([100, 8, 100]);
    // evaluate gives the best network's test loss of its epoch, exactly
    const data = loadRunData(config, dataset);
    const e = evaluate(best, data, { config });
    expect(e.examples).toBe(16);
    expect(e.loss).toBe(summary.testLoss);
    expect(evaluate(network, data, { config }).loss).toBe(summary.history[1].testLoss);
  });

  it('resuming a checkpoint gives the parameters of the uninterrupted run, bit for bit', async () => {
    const straight = await train(config, { dataset, out: join(dir, 'straight') });
    const out = join(dir, 'halves');
    await train({ ...config, epochs: 1 }, { dataset, out });
    const resumed = await train(config, { dataset, out, resume: true });
    expect(Array.from(resumed.network.params)).toEqual(Array.from(straight.network.params));
    expect(resumed.summary.history.map((r) => r.testLoss)).toEqual(straight.summary.history.map((r) => r.testLoss));
  });

  it('an aborted signal stops after the current epoch, interrupted', async () => {
    const stop = new AbortController();
    const { summary } = await train({ ...config, epochs: 3 }, { dataset, signal: stop.signal, onEpoch: () => stop.abort() });
    expect(summary.interrupted).toBe(true);
    expect(summary.epochs).toBe(1);
  });

  it('decodes the config it is given: a bad value or an unknown field is refused by name', async () => {
    await expect(train({ ...config, decayRate: -1 }, { dataset })).rejects.toThrow(/decayRate: expected positive number, got -1/);
    await expect(train({ ...config, learningRat: 1 } as TrainingConfig, { dataset })).rejects.toThrow(/unknown field learningRat/);
    await expect(train(config, { dataset, resume: true })).rejects.toThrow(/need a run directory/);
  });

  it('evaluate refuses a network that does not fit the data', async () => {
    const { network } = await train({ ...config, epochs: 1 }, { dataset });
    const mnistShaped = { ...config, dataDir: undefined };
    const mnist = loadDataset('mnist');
    if (mnist._tag === 'Left') throw new Error(mnist.left.message);
    expect(() => evaluate(network, loadRunData({ ...mnistShaped, testLimit: 5 }, mnist.right), { config })).toThrow(
      /takes 100 inputs .* needs 784/,
    );
  });
});

describe('model files', () => {
  it('saveModel / loadModel round-trip the network bit for bit and decode the config', async () => {
    const { best } = await train({ ...config, epochs: 1 }, { dataset });
    const file = join(dir, 'm.model.json');
    saveModel(file, best, { config, meta: { note: 'x' } });
    const m = loadModel(file);
    expect(m._tag).toBe('Right');
    if (m._tag === 'Right') {
      expect(Array.from(m.right.network.params)).toEqual(Array.from(best.params));
      expect(m.right.config).toEqual(config);
      expect(m.right.meta.note).toBe('x');
    }
    // a gzipped model file (how the shipped pretrained models are stored) reads the same
    writeFileSync(`${file}.gz`, gzipSync(readFileSync(file)));
    const z = loadModel(`${file}.gz`);
    expect(z._tag === 'Right' && Array.from(z.right.network.params)).toEqual(Array.from(best.params));
  });

  it('loadModel names what is wrong: a missing file, an invalid saved config', async () => {
    const missing = loadModel(join(dir, 'nope.json'));
    expect(missing._tag === 'Left' && missing.left).toMatch(/nope\.json: cannot read a model \(no such file\)/);
    const file = join(dir, 'bad-config.model.json');
    saveModel(file, (await train({ ...config, epochs: 1 }, { dataset })).network, { config });
    const json = JSON.parse(readFileSync(file, 'utf8'));
    json.meta.config.latency = -2;
    writeFileSync(file, JSON.stringify(json));
    const bad = loadModel(file);
    expect(bad._tag === 'Left' && bad.left).toMatch(/meta\.config: latency: expected positive number, got -2/);
  });

  it('a checkpoint is decoded, not cast: progress with NaN/Infinity round-trips, a bad field is named', async () => {
    const out = join(dir, 'ckpt');
    await train({ ...config, epochs: 1, validationSize: 0 }, { dataset, out });
    const file = join(out, 'latest.model.json');
    const c = loadCheckpoint(file);
    expect(c._tag).toBe('Right');
    if (c._tag === 'Right') {
      expect(c.right.progress.completedEpochs).toBe(1);
      expect(Number.isNaN(c.right.progress.history[0].validationLoss)).toBe(true); // no validation set
      expect(c.right.adam?.step).toBeGreaterThan(0);
    }
    const json = JSON.parse(readFileSync(file, 'utf8'));
    json.meta.completedEpochs = '1';
    writeFileSync(file, JSON.stringify(json));
    const bad = loadCheckpoint(file);
    expect(bad._tag === 'Left' && bad.left).toMatch(/meta\.completedEpochs: expected non-negative integer, got "1"/);
    expect(existsSync(join(out, '.lock'))).toBe(false);
  });
});

describe('fit stops on non-finite state', () => {
  it('names the epoch and batch of the first step that made a parameter NaN', async () => {
    const params = new Float64Array(4);
    let steps = 0;
    const trainer: Trainer = {
      network: { params } as unknown as Trainer['network'],
      adam: { step: 0, m: new Float64Array(4), v: new Float64Array(4) },
      step: () => {
        if (++steps === 7) params[2] = Number.NaN;
        return 0;
      },
      evaluate: () => 0,
      setLearningRates: () => {},
      close: async () => {},
    };
    const order = Int32Array.from({ length: 20 }, (_, i) => i);
    const r = await fit(trainer, { epochs: 3, startEpoch: 0, batchSize: 4, trainCount: 20, orderOf: () => order, validationSet: -1, testSet: -1 });
    expect(r.diverged).toEqual({ epoch: 1, batch: 1, batches: 5 });
    expect(r.epochs.length).toBe(1);
    expect(steps).toBe(7);
  });
});

describe('examples/quickAutoencoder.ts (public imports only)', () => {
  it('trains a 784-32-784 spiking autoencoder in seconds', async () => {
    const lines: string[] = [];
    const net = await quickAutoencoder(300, (s) => lines.push(s));
    expect(net.layerSizes).toEqual([784, 32, 784]);
    expect(lines[0]).toMatch(/^epoch 1: train loss \d\.\d{4}, test loss \d\.\d{4}/);
    const source = readFileSync(new URL('../../examples/quickAutoencoder.ts', import.meta.url), 'utf8');
    const imports = [...source.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
    expect(imports.every((s) => s === 'spikeline' || s.startsWith('node:'))).toBe(true);
  });
});

describe('allFinite', () => {
  it('is false exactly when some entry is NaN or ±Infinity, wherever it sits', () => {
    for (const n of [0, 1, 3, 4, 5, 9]) {
      const a = Float64Array.from({ length: n }, (_, i) => (i % 2 ? -1e308 : 1e308));
      expect(allFinite(a)).toBe(true);
      for (let k = 0; k < n; k++) {
        for (const bad of [Number.NaN, Infinity, -Infinity]) {
          const b = a.slice();
          b[k] = bad;
          expect(allFinite(b), `n=${n} k=${k} ${bad}`).toBe(false);
        }
      }
    }
  });
});
