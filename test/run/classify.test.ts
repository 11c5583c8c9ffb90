/**
 * The classification task through the public `train` and `evaluate`: a small classifier learns a
 * separable synthetic task (a bright quadrant names the class) to high accuracy within seconds;
 * the summary, the epoch records and the saved model carry the task and the accuracy; `layers`
 * that do not fit the data and contradicting task settings are refused before anything is written.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isLeft } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { type TrainingConfig, resolveTrainingConfig } from '../../src/config/config.ts';
import { evaluate } from '../../src/run/evaluate.ts';
import { networkFromParams } from '../../src/model/network.ts';
import { loadModel } from '../../src/run/modelFile.ts';
import { loadRunData } from '../../src/run/runData.ts';
import { train } from '../../src/run/train.ts';
import { trainWorkerScript } from '../../src/cli/packageFiles.ts';
import { writeQuadrantDataset } from './labelledIdx.ts';

const dataDir = writeQuadrantDataset(mkdtempSync(join(tmpdir(), 'spikeline-quadrants-')), { side: 8, train: 400, test: 100 });

const configOf = (flags: Record<string, string>): TrainingConfig => {
  const r = resolveTrainingConfig({ preset: 'mnist-340', flags: { dataDir, validationSize: '100', layers: '64,16,10', ...flags } });
  if (isLeft(r)) throw new Error(r.left.join('\n'));
  return r.right;
};

// the published MNIST settings with a 10× learning rate (the published one needs far more steps)
const config = configOf({ learningRate: '0.01', epochs: '6' });

describe('train --task classify (public API)', () => {
  it('a small classifier learns a separable task: ≥ 90 % test accuracy after 6 short epochs', async () => {
    const seen: number[] = [];
    const { summary, best } = await train(config, { onEpoch: ({ record }) => void seen.push(record.testAccuracy ?? Number.NaN) });
    expect(summary.task).toBe('classify');
    expect(summary.layerSizes).toEqual([64, 16, 10]);
    expect(seen).toHaveLength(6);
    expect(seen.every((a) => a >= 0 && a <= 1)).toBe(true);
    expect(summary.testAccuracy).toBeGreaterThanOrEqual(0.9);
    expect(summary.validationAccuracy).toBeGreaterThanOrEqual(0.9);
    expect(Number.isFinite(summary.testLoss)).toBe(true);
    // evaluate agrees with the summary on the best model, and the matrix accounts for every example
    const r = evaluate(best, loadRunData(config), { config });
    expect(r.accuracy).toBe(summary.testAccuracy);
    const counts = Array.from(r.confusion?.counts ?? []);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(100);
    expect(r.confusion?.classes).toBe(10);
  }, 60_000);

  it('the run directory and the model files record the task and the accuracy', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'spikeline-classify-')), 'run');
    await train({ ...config, epochs: 1 }, { out });
    // (the pictures are drawn by the CLI's epoch hook: test/cli/classify.test.ts)
    expect(readdirSync(out)).toEqual(expect.arrayContaining(['best.model.json', 'latest.model.json', 'summary.json']));
    const m = loadModel(join(out, 'best.model.json'));
    if (isLeft(m)) throw new Error(m.left);
    expect(m.right.config?.task).toBe('classify');
    expect(m.right.config?.layers).toEqual([64, 16, 10]);
    expect(m.right.meta.task).toBe('classify');
    expect(typeof m.right.meta.testAccuracy).toBe('number');
  }, 60_000);

  it('a classifier run resumes (its layers compare by value), and other layers are refused', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'spikeline-classify-')), 'run');
    await train({ ...config, epochs: 1 }, { out });
    const { summary } = await train({ ...config, layers: [64, 16, 10], epochs: 2 }, { out, resume: true });
    expect(summary.epochs).toBe(2);
    await expect(train({ ...config, layers: [64, 12, 10], epochs: 3 }, { out, resume: true })).rejects.toThrow(/layers \(--layers\): the checkpoint was trained with \[64,16,10\], the request says \[64,12,10\]/);
  }, 60_000);

  it('the task option is recorded in the config; a contradicting config task is refused', async () => {
    const { task: _t, ...autoencoderConfig } = config;
    const { summary } = await train({ ...autoencoderConfig, epochs: 1 }, { task: 'classify' });
    expect(summary.task).toBe('classify');
    await expect(train({ ...config, epochs: 1 }, { task: 'autoencode' })).rejects.toThrow(/task: the option says autoencode, the config says classify/);
  }, 60_000);

  it('layers that do not fit the data are refused, naming the field and what fits', async () => {
    await expect(train(configOf({ layers: '784,340,10' }))).rejects.toThrow(/layers: 784,340,10 does not fit .* first layer must have 64 neurons/);
    await expect(train(configOf({ layers: '64,16,12' }))).rejects.toThrow(/the last 10/);
  });

  it('a 3-hidden-layer classifier trains through the same path', async () => {
    const { summary } = await train(configOf({ layers: '64,24,16,12,10', epochs: '1', learningRate: '0.01' }));
    expect(summary.layerSizes).toEqual([64, 24, 16, 12, 10]);
    expect(summary.testAccuracy).toBeGreaterThanOrEqual(0);
    expect(summary.history[0].testAccuracy).toBe(summary.testAccuracy);
  }, 60_000);

  it('augmentShift shifts the training images: same parameters with 0 and 1 worker threads, not those of the plain run', async () => {
    const shifted = { ...config, epochs: 2, augmentShift: 1 };
    const sequential = await train(shifted, { workers: 0 });
    const threaded = await train(shifted, { workers: 1, workerScript: trainWorkerScript() });
    expect(Array.from(threaded.network.params)).toEqual(Array.from(sequential.network.params));
    const unshifted = await train({ ...config, epochs: 2 }, { workers: 0 });
    expect(Array.from(unshifted.network.params)).not.toEqual(Array.from(sequential.network.params));
    expect(sequential.summary.testAccuracy).toBeGreaterThan(0.3); // learns through the shifts (chance: 0.1)
  }, 60_000);

  it('augmentShift is refused for the autoencoder, whose target is its input', async () => {
    const { task: _t, layers: _l, ...autoencoderConfig } = config;
    await expect(train({ ...autoencoderConfig, augmentShift: 1 }, { task: 'autoencode' })).rejects.toThrow(/augmentShift: 1 .* only a classifier/);
  });

  it('weightAverageDecay: training unchanged; epochs are evaluated, and the best model kept, with the average; it resumes exactly and threads agree', async () => {
    const base = { ...config, epochs: 2 };
    const averagedConfig = { ...base, weightAverageDecay: 0.99 };
    const evaluatedNets: Float64Array[] = [];
    const accuracies: number[] = [];
    const out = join(mkdtempSync(join(tmpdir(), 'spikeline-average-')), 'run');
    const averaged = await train(averagedConfig, {
      out,
      onEpoch: ({ network, record }) => {
        evaluatedNets.push(network.params.slice());
        accuracies.push(record.testAccuracy ?? Number.NaN);
      },
    });
    const plain = await train(base);
    // the trained parameters are those of the run without an average, bit for bit
    expect(Array.from(averaged.network.params)).toEqual(Array.from(plain.network.params));
    // each epoch was evaluated on the average, which differs from the trained parameters
    expect(Array.from(evaluatedNets[1])).not.toEqual(Array.from(averaged.network.params));
    const data = loadRunData(averagedConfig);
    const bestAverage = networkFromParams(averaged.best, evaluatedNets[averaged.summary.bestEpoch]);
    expect(evaluate(bestAverage, data, { config: averagedConfig }).accuracy).toBe(accuracies[averaged.summary.bestEpoch]);
    expect(Array.from(averaged.best.params)).toEqual(Array.from(evaluatedNets[averaged.summary.bestEpoch]));
    // the checkpoint holds the trained parameters and, in its meta, the average
    const latest = loadModel(join(out, 'latest.model.json'));
    if (isLeft(latest)) throw new Error(latest.left);
    expect(Array.from(latest.right.network.params)).toEqual(Array.from(averaged.network.params));
    expect(latest.right.meta.weightAverage).toEqual(Array.from(evaluatedNets[1]));
    // one epoch, then a resume, gives the average of two straight epochs
    const split = join(mkdtempSync(join(tmpdir(), 'spikeline-average-')), 'run');
    await train({ ...averagedConfig, epochs: 1 }, { out: split });
    const resumedNets: Float64Array[] = [];
    await train(averagedConfig, { out: split, resume: true, onEpoch: ({ network }) => void resumedNets.push(network.params.slice()) });
    expect(Array.from(resumedNets[0])).toEqual(Array.from(evaluatedNets[1]));
    // a worker thread gives the same average
    const threadedNets: Float64Array[] = [];
    const threaded = await train(averagedConfig, { workers: 1, workerScript: trainWorkerScript(), onEpoch: ({ network }) => void threadedNets.push(network.params.slice()) });
    expect(Array.from(threadedNets[1])).toEqual(Array.from(evaluatedNets[1]));
    // … and the same losses (the worker evaluates with the average swapped into the shared parameters)
    // (equal but for the order of the final sum over examples, as without an average)
    const losses = (h: readonly { validationLoss: number; testLoss: number }[]) => h.flatMap((r) => [r.validationLoss, r.testLoss]);
    const [seq, thr, unaveraged] = [averaged, threaded, plain].map((r) => losses(r.summary.history));
    seq.forEach((l, i) => expect(Math.abs(thr[i] - l)).toBeLessThan(1e-12 * l));
    expect(Math.max(...seq.map((l, i) => Math.abs(l - unaveraged[i])))).toBeGreaterThan(1e-6);
  }, 60_000);

  it('a time limit ends the run early with stoppedBy "time-limit"; a signal says "signal"; a finished run null', async () => {
    const limited = await train({ ...config, epochs: 3 }, { timeLimitSeconds: 1e-3 });
    expect(limited.summary.interrupted).toBe(true);
    expect(limited.summary.stoppedBy).toBe('time-limit');
    expect(limited.summary.epochs).toBeLessThan(3);
    const stop = new AbortController();
    const signalled = await train({ ...config, epochs: 2 }, { signal: stop.signal, onEpoch: () => stop.abort() });
    expect(signalled.summary.stoppedBy).toBe('signal');
    const finished = await train({ ...config, epochs: 1 }, { timeLimitSeconds: 3600 });
    expect(finished.summary.stoppedBy).toBeNull();
    expect(finished.summary.epochs).toBe(1);
    await expect(train(config, { timeLimitSeconds: 0 })).rejects.toThrow(/time limit: expected a positive number of seconds, got 0/);
  }, 60_000);
});
