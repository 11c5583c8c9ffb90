/**
 * Presets: the 75 shipped reference sets equal test/fixtures/hyperparameters.json, the
 * generated module is up to date, the names follow h{H}-l{l}-n{η}, the README configuration
 * matches the golden file's hyperparameters, and the Table 1 presets equal the paper's table.
 */
import { CLASSIFIER_PRESETS } from '../../src/config/classifierPresets.ts';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { decodeReferenceRows, renderPresetsModule } from '../../src/config/generatePresets.ts';
import { resolveTrainingConfig } from '../../src/config/config.ts';
import {
  DEFAULT_PRESET,
  PRESETS,
  type Hyperparameters,
  editDistance,
  findPreset,
  presetNameFor,
  presetNames,
} from '../../src/config/presets.ts';
import { readFixtureJson, readFixtureText } from '../fixtures/fixtures.ts';
import { REFERENCE_HYPERPARAMETERS } from '../../src/config/presetsData.ts';

const here = dirname(fileURLToPath(import.meta.url));
const readJson = readFixtureJson;

const hyperOf = (name: string): Hyperparameters => {
  const p = findPreset(name);
  if (isLeft(p)) throw new Error(p.left);
  return p.right.hyper;
};

describe('shipped reference presets', () => {
  it('equal the reference hyperparameters.json exactly, in file order', () => {
    const ref = readJson('hyperparameters.json') as Record<string, number>[];
    expect(ref.length).toBe(75);
    expect(REFERENCE_HYPERPARAMETERS).toEqual(ref);
  });

  it('are what the generator makes of the reference file today', () => {
    const rows = decodeReferenceRows(readJson('hyperparameters.json'), 'hyperparameters.json');
    if (isLeft(rows)) throw new Error(rows.left.join('\n'));
    const shipped = readFileSync(resolve(here, '../../src/config/presetsData.ts'), 'utf8');
    expect(renderPresetsModule(rows.right)).toBe(shipped);
  });

  it('cover every (H, latency, noise) of the paper once, named h{H}-l{l}-n{noise}', () => {
    const expected: string[] = [];
    for (const h of [8, 16, 32]) for (const l of [1, 2, 4, 8, 16]) for (const n of ['0', '0.2', '0.4', '0.6', '0.8']) expected.push(`h${h}-l${l}-n${n}`);
    const names = presetNames();
    expect(names.length).toBe(77 + CLASSIFIER_PRESETS.length);
    expect(new Set(names).size).toBe(names.length);
    expect(names.slice(0, 75).sort()).toEqual(expected.sort());
    for (const p of PRESETS.slice(0, 75)) {
      expect(p.name).toBe(presetNameFor(p.hyper.nHidden, p.hyper.latency, p.hyper.noiseFactor));
    }
  });

  it('map the reference fields to camelCase (spot check of a row read from the text file)', () => {
    // the row of hyperparameters.txt for noise 0.4, latency 8, H = 16
    const txt = readFixtureText('hyperparameters.txt').split('\n');
    const line = txt.find((l) => l.includes('-noise_factor_ae=0.4 ') && l.includes('-latency_ae=8 ') && l.includes('-n_hidden=16 '));
    expect(line).toBeDefined();
    const flags = Object.fromEntries(
      (line ?? '').trim().split(/\s+/).map((f) => {
        const [k, v] = f.replace(/^-/, '').split('=');
        return [k, Number(v)];
      }),
    );
    expect(hyperOf('h16-l8-n0.4')).toEqual({
      nHidden: flags.n_hidden,
      nPulses: flags.n_pulses,
      latency: flags.latency_ae,
      noiseFactor: flags.noise_factor_ae,
      batchSize: flags.batch_size,
      clipDerivative: flags.clip_derivative,
      decayRate: flags.decay_rate,
      fireThreshold: flags.fire_threshold,
      learningRate: flags.learning_rate,
      learningRatePulses: flags.learning_rate_pulses,
      nonpulseWeightMeanMultiplier: flags.nonpulse_weight_mean_multiplier,
      pulseWeightMeanMultiplier: flags.pulse_weight_mean_multiplier,
      penaltyNoSpike: flags.penalty_no_spike,
    });
  });

  it('the default preset is the README configuration used by the golden autoencoder file', () => {
    const g = (readJson('golden-autoencoder-images.json') as { hyperparameters: Record<string, number> }).hyperparameters;
    const h = hyperOf(DEFAULT_PRESET);
    expect([h.nHidden, h.latency, h.noiseFactor]).toEqual([32, g.latency_ae, g.noise_factor_ae]);
    expect(h.decayRate).toBe(g.decay_rate);
    expect(h.fireThreshold).toBe(g.fire_threshold);
    expect(h.learningRate).toBe(g.learning_rate);
    expect(h.learningRatePulses).toBe(g.learning_rate_pulses);
    expect(h.penaltyNoSpike).toBe(g.penalty_no_spike);
    expect(h.clipDerivative).toBe(g.clip_derivative);
    expect(h.batchSize).toBe(g.batch_size_for_training_state);
    expect(h.nonpulseWeightMeanMultiplier).toBe(g.nonpulse_weight_mean_multiplier);
    expect(h.pulseWeightMeanMultiplier).toBe(g.pulse_weight_mean_multiplier);
  });
});

describe('Table 1 presets', () => {
  it('equal the values printed in the paper', () => {
    const paper = readFixtureText('paper-table1.txt');
    const field: Record<string, keyof Hyperparameters> = {
      decay_constant: 'decayRate',
      fire_threshold: 'fireThreshold',
      n_pulses: 'nPulses',
      nonpulse_init_multiplier: 'nonpulseWeightMeanMultiplier',
      pulse_init_multiplier: 'pulseWeightMeanMultiplier',
      batch_size: 'batchSize',
      clip_derivative: 'clipDerivative',
      penalty_no_spike: 'penaltyNoSpike',
      learning_rate: 'learningRate',
      learning_rate_pulses: 'learningRatePulses',
    };
    const l1 = hyperOf('good-for-all-l1');
    const l16 = hyperOf('good-for-all-l16');
    let rows = 0;
    for (const line of paper.split('\n')) {
      const cells = line.split('\t');
      const key = cells[0]?.split(/\s/)[0];
      if (cells.length !== 4 || key === undefined || !(key in field)) continue;
      rows++;
      expect(l1[field[key]]).toBe(Number(cells[2]));
      expect(l16[field[key]]).toBe(Number(cells[3]));
    }
    expect(rows).toBe(10);
    expect([l1.latency, l16.latency]).toEqual([1, 16]);
  });
});

describe('findPreset', () => {
  it('finds every preset by name and suggests close names for a typo', () => {
    for (const n of presetNames()) expect(isRight(findPreset(n))).toBe(true);
    const r = findPreset('h32-l1-n0.1');
    expect(isLeft(r) && r.left).toMatch(/^unknown preset "h32-l1-n0\.1" \(did you mean "h32-l1-n0\.2", /);
    const far = findPreset('zzzzzzzzzzzzzz');
    expect(isLeft(far) && far.left).not.toContain('did you mean');
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
});

describe('decodeReferenceRows', () => {
  it('names the row and field of a bad value', () => {
    const ref = readJson('hyperparameters.json') as Record<string, number>[];
    const bad = ref.slice(0, 4).map((r, i) => (i === 3 ? { ...r, latency: 1.5 } : r));
    const r = decodeReferenceRows(bad, 'h.json');
    expect(isLeft(r) && r.left).toEqual(['h.json: [3].latency: expected non-negative integer, got 1.5']);
    expect(isLeft(decodeReferenceRows({}, 'h.json'))).toBe(true);
  });
});

describe('classifier presets', () => {
  it('mnist-340 carries the published flags of Comsa et al. 2020 exactly (google/ihmehimmeli README)', () => {
    const p = findPreset('mnist-340');
    if (isLeft(p)) throw new Error(p.left);
    expect(p.right.hyper).toEqual({
      task: 'classify',
      nHidden: 340,
      layers: [784, 340, 10],
      nPulses: 10,
      latency: 1,
      noiseFactor: 0,
      batchSize: 32,
      clipDerivative: 539.69973904211679,
      decayRate: 0.18176949150701854,
      fireThreshold: 1.1673205005788956,
      learningRate: 0.0010186407877494507,
      learningRatePulses: 0.09537534860701444,
      nonpulseWeightMeanMultiplier: -0.2754188425913906,
      pulseWeightMeanMultiplier: 7.8391245503824578,
      penaltyNoSpike: 48.374830659132556,
    });
  });

  it('the deeper presets have 2 and 3 hidden layers, 784 inputs and 10 outputs', () => {
    const layers = CLASSIFIER_PRESETS.map((p) => p.hyper.layers ?? []);
    expect(layers.map((l) => l.length - 2)).toEqual([1, 1, 1, 1, 2, 3]);
    for (const l of layers) expect([l[0], l[l.length - 1]]).toEqual([784, 10]);
    for (const p of CLASSIFIER_PRESETS) expect(p.hyper.task).toBe('classify');
  });

  it('the deeper presets start each layer after the one below: weaker pulses, excitatory regular weights', () => {
    for (const name of ['mnist-400-200', 'mnist-400-200-100']) {
      const p = findPreset(name);
      if (isLeft(p)) throw new Error(p.left);
      expect(p.right.hyper).toMatchObject({ pulseWeightMeanMultiplier: 2, nonpulseWeightMeanMultiplier: 0.5, augmentShift: 1, learningRateMultiplier: 0.97, nPulses: 10, batchSize: 32 });
    }
  });

  it('the shifted presets are mnist-340 plus the shift and a 0.97 per-epoch learning-rate decay', () => {
    const base = findPreset('mnist-340');
    if (isLeft(base)) throw new Error(base.left);
    for (const s of [1, 2]) {
      const p = findPreset(`mnist-340-shift${s}`);
      if (isLeft(p)) throw new Error(p.left);
      expect(p.right.hyper).toEqual({ ...base.right.hyper, augmentShift: s, learningRateMultiplier: 0.97 });
      const c = resolveTrainingConfig({ preset: `mnist-340-shift${s}` });
      if (isLeft(c)) throw new Error(c.left.join('\n'));
      expect([c.right.augmentShift, c.right.learningRateMultiplier, c.right.task]).toEqual([s, 0.97, 'classify']);
    }
  });

  it('mnist-340-avg is mnist-340-shift1 with a 0.98 decay, a 0.9998 parameter average and 150 epochs', () => {
    const shift1 = findPreset('mnist-340-shift1');
    const avg = findPreset('mnist-340-avg');
    if (isLeft(shift1) || isLeft(avg)) throw new Error('preset missing');
    expect(avg.right.hyper).toEqual({ ...shift1.right.hyper, learningRateMultiplier: 0.98, weightAverageDecay: 0.9998, epochs: 150 });
    const c = resolveTrainingConfig({ preset: 'mnist-340-avg', flags: { weightAverageDecay: '0.999' } });
    if (isLeft(c)) throw new Error(c.left.join('\n'));
    expect([c.right.weightAverageDecay, c.right.epochs, c.right.learningRateMultiplier]).toEqual([0.999, 150, 0.98]);
    const bad = resolveTrainingConfig({ preset: 'mnist-340-avg', flags: { weightAverageDecay: '1' } });
    expect(isLeft(bad) && bad.left.join('\n')).toMatch(/--weight-average-decay: .*\[0, 1\)/);
  });
});
