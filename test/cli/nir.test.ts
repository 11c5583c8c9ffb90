/**
 * `spikeline nir` as a user meets it: export a saved model, import it back (the same file
 * content), inspect real files from other frameworks, refuse with reasons, verify by simulation.
 */
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { gaussianSampler } from '../../src/data/rng.ts';
import { savedModelOf } from '../../src/model/codecs.ts';
import { initNetwork } from '../../src/model/init.ts';
import { quickClassifierArgs } from '../nir/quickClassifier.ts';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'nir');

let dir: string;
let stdout: string[];
let stderr: string[];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'spikeline-nir-'));
  stdout = [];
  stderr = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void stdout.push(a.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void stderr.push(a.join(' ')));
});
afterEach(() => vi.restoreAllMocks());

const modelFile = (): string => {
  const net = initNetwork({ layerSizes: [784, 16, 10], nPulses: [3, 2], decayRate: 0.634647, threshold: 0.505478 }, { nonpulseWeightMeanMultiplier: 1, pulseWeightMeanMultiplier: 2 }, gaussianSampler(3));
  const path = join(dir, 'small.model.json');
  writeFileSync(path, JSON.stringify(savedModelOf(net, { note: 'cli test' })));
  return path;
};

describe('spikeline nir', () => {
  it('export then import gives back the same parameters, bit for bit', async () => {
    const model = modelFile();
    const nir = join(dir, 'small.nir');
    const back = join(dir, 'back.model.json');
    expect(await main(['nir', 'export', model, nir])).toBe(0);
    expect(await main(['nir', 'import', nir, back])).toBe(0);
    const [a, b] = [model, back].map((f) => JSON.parse(readFileSync(f, 'utf8')) as { network: unknown; params: number[] });
    expect(b.network).toEqual(a.network);
    expect(b.params).toEqual(a.params);
    expect(stdout.join('\n')).toContain('784-16-10 (pulses 3, 2; decay rate 0.634647, threshold 0.505478)');
  });

  it('inspect lists a Norse file and says why spikeline cannot run it; import refuses it (exit 2)', async () => {
    const norse = join(fixtures, 'lif_norse.nir');
    expect(await main(['nir', 'inspect', norse])).toBe(0);
    const text = stdout.join('\n');
    expect(text).toContain('NIR 0.1.1, 4 nodes');
    expect(text).toContain('node "0" Affine');
    expect(text).toContain('  tau          [1] <f  0.00250000');
    expect(text).toMatch(/spikeline cannot run this graph:\n {2}node "1" \(LIF\): unsupported/);
    const out = join(dir, 'never.model.json');
    expect(await main(['nir', 'import', norse, out])).toBe(2);
    expect(stderr.join('\n')).toMatch(/lif_norse\.nir: spikeline cannot run this graph:\n {2}node "1" \(LIF\)/);
    expect(existsSync(out)).toBe(false);
    stdout.length = 0;
    expect(await main(['nir', 'inspect', join(fixtures, 'braille_noDelay_bias_zero.nir'), '--json'])).toBe(0);
    const j = JSON.parse(stdout[0]) as { version: string; nodes: Record<string, string>; edges: string[][]; runnable: boolean; refusal: string[] };
    expect(j).toMatchObject({ version: '0.2.0', runnable: false, nodes: { 'lif1.lif': 'CubaLIF', 'lif1.w_rec': 'Affine' } });
    expect(j.edges).toContainEqual(['lif1.w_rec', 'lif1.lif']);
    expect(j.refusal).toHaveLength(6);
  });

  it('verify: round trip and the simulated graph agree on MNIST test images', async () => {
    expect(await main(['nir', 'verify', modelFile(), '--samples', '3', '--json'])).toBe(0);
    const r = JSON.parse(stdout[0]) as { roundTripBitForBit: boolean; disagreements: string[]; worstDifference: number; spikes: number; ok: boolean };
    expect(r).toMatchObject({ roundTripBitForBit: true, disagreements: [], ok: true });
    expect(r.worstDifference).toBeLessThanOrEqual(1e-3);
    expect(r.spikes).toBeGreaterThan(0);
  });

  it('a trained classifier: export, import (bit for bit, still a classifier), verify compares the class of every image', async () => {
    const run = join(dir, 'run');
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true); // the training's progress
    expect(await main(['train', '--preset', 'mnist-340', ...quickClassifierArgs(), '--layers', '784,32,10', '--learning-rate', '0.003', '--workers', '0', '--out', run])).toBe(0);
    const model = join(run, 'best.model.json');
    const nir = join(dir, 'classifier.nir');
    const back = join(dir, 'classifier.model.json');
    expect(await main(['nir', 'export', model, nir])).toBe(0);
    expect(await main(['nir', 'import', nir, back])).toBe(0);
    const [a, b] = [model, back].map((f) => JSON.parse(readFileSync(f, 'utf8')) as { network: unknown; params: number[]; meta: { task?: string } });
    expect(b.network).toEqual(a.network);
    expect(b.params).toEqual(a.params);
    expect(b.meta.task).toBe('classify');
    for (const m of [model, back]) {
      stdout.length = 0;
      expect(await main(['nir', 'verify', m, '--samples', '10'])).toBe(0);
      const text = stdout.join('\n');
      expect(text).toContain('export → import bit for bit');
      expect(text).toMatch(/on 10 mnist test images \(dt 0\.001\): \d+ of 420 neurons spike in both, worst \|Δt\| [\d.]+e-\d+, 0 disagree/);
      expect(text).toMatch(/classes: the graph names the network's class on 10 of 10 images \(accuracy: network (\d+\.\d) %, graph \1 %\)$/m);
    }
    stdout.length = 0;
    expect(await main(['nir', 'verify', model, '--samples', '4', '--json'])).toBe(0);
    const r = JSON.parse(stdout[0]) as { ok: boolean; classes: { samples: number; same: number; disagreements: string[] } };
    expect(r.ok).toBe(true);
    expect(r.classes).toMatchObject({ samples: 4, same: 4, disagreements: [] });
  }, 120_000);

  it('an autoencoder\'s verify says nothing of classes', async () => {
    const net = initNetwork({ layerSizes: [784, 8, 784], nPulses: 2, decayRate: 0.634647, threshold: 0.505478 }, { nonpulseWeightMeanMultiplier: 1, pulseWeightMeanMultiplier: 2 }, gaussianSampler(5));
    const path = join(dir, 'auto.model.json');
    writeFileSync(path, JSON.stringify(savedModelOf(net)));
    expect(await main(['nir', 'verify', path, '--samples', '2', '--json'])).toBe(0);
    expect(JSON.parse(stdout[0])).not.toHaveProperty('classes');
  });

  it('bad use: unknown action, missing file, not a NIR file (exit 2, naming the file)', async () => {
    expect(await main(['nir', 'frob'])).toBe(2);
    expect(await main(['nir', 'inspect', join(dir, 'missing.nir')])).toBe(2);
    const junk = join(dir, 'junk.nir');
    writeFileSync(junk, 'hello');
    expect(await main(['nir', 'inspect', junk])).toBe(2);
    expect(stderr.join('\n')).toMatch(/junk\.nir: not an HDF5 file/);
    expect(await main(['nir', 'verify', modelFile(), '--dt', '0'])).toBe(2);
    expect(stderr.join('\n')).toMatch(/--dt: expected a positive number, got 0/);
  });
});
