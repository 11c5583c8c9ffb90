/**
 * Config decoding and the merge defaults ← preset ← file ← flags: precedence, and messages that
 * name the source, the path and the expected type of every bad value.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Either, isLeft, isRight } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import {
  CONFIG_FIELDS,
  RUN_DEFAULTS,
  type TrainingConfig,
  camelCaseFlag,
  decodeConfigFlags,
  decodeConfigPatch,
  decodeTrainingConfig,
  encodeTrainingConfig,
  readConfigFile,
  resolveTrainingConfig,
} from '../../src/config/config.ts';
import { DEFAULT_PRESET, findPreset, type Hyperparameters } from '../../src/config/presets.ts';

const scratch = mkdtempSync(join(tmpdir(), 'spikeline-config-'));

const hyper = (name: string): Hyperparameters => {
  const p = findPreset(name);
  if (isLeft(p)) throw new Error(p.left);
  return p.right.hyper;
};
const ok = <A>(r: Either<string[], A>): A => {
  if (isLeft(r)) throw new Error(r.left.join('\n'));
  return r.right;
};
const errors = <A>(r: Either<string[], A>): string[] => {
  if (isRight(r)) throw new Error('expected errors');
  return r.left;
};

describe('resolveTrainingConfig', () => {
  it('defaults to the default preset plus the run defaults', () => {
    const cfg = ok(resolveTrainingConfig());
    expect(cfg).toEqual({ ...RUN_DEFAULTS, ...hyper(DEFAULT_PRESET) });
    expect([cfg.dataset, cfg.encoding, cfg.validationSize, cfg.inputRange]).toEqual(['mnist', 'inverted', 6000, 1]);
  });

  it('applies preset ← file ← flags, later sources winning', () => {
    const cfg = ok(
      resolveTrainingConfig({
        preset: 'h8-l2-n0.4',
        file: { name: 'run.json', value: { preset: 'h16-l1-n0', epochs: 5, decayRate: 0.5, seed: 3 } },
        flags: { 'decay-rate': '0.25', seed: 9, trainLimit: '100', dataDir: '/data/x' },
      }),
    );
    const base = hyper('h8-l2-n0.4'); // the command line's preset beats the file's
    expect(cfg.nHidden).toBe(8);
    expect(cfg.latency).toBe(2);
    expect(cfg.noiseFactor).toBe(0.4);
    expect(cfg.batchSize).toBe(base.batchSize);
    expect(cfg.epochs).toBe(5); // file
    expect(cfg.decayRate).toBe(0.25); // flag over file
    expect(cfg.seed).toBe(9);
    expect(cfg.trainLimit).toBe(100);
    expect(cfg.dataDir).toBe('/data/x');
    expect('preset' in cfg).toBe(false);
  });

  it("uses the file's preset when the command line names none", () => {
    const cfg = ok(resolveTrainingConfig({ file: { name: 'f.json', value: { preset: 'good-for-all-l16' } } }));
    expect(cfg).toEqual({ ...RUN_DEFAULTS, ...hyper('good-for-all-l16') });
  });

  it('reports every bad value with source, path, expected type and the value', () => {
    const errs = errors(
      resolveTrainingConfig({
        file: {
          name: 'run.json',
          value: { decayRate: -1, noiseFactor: 1.5, dataset: 'cifar', batchSize: 0, lerningRate: 0.1, seed: -3 },
        },
        flags: { 'learning-rate': 'fast', 'n-hidden': '2.5', encoding: 'upside-down', hiden: '3' },
      }),
    );
    expect(errs).toEqual(
      expect.arrayContaining([
        'run.json: decayRate: expected positive number, got -1',
        'run.json: noiseFactor: expected number in [0, 1], got 1.5',
        'run.json: dataset: expected "mnist" | "fashion-mnist", got "cifar"',
        'run.json: batchSize: expected positive integer, got 0',
        'run.json: seed: expected non-negative safe integer, got -3',
        'run.json: unknown field lerningRate (did you mean learningRate?)',
        '--learning-rate: expected positive number, got "fast"',
        '--n-hidden: expected positive integer, got 2.5',
        '--encoding: expected "inverted" | "plain", got "upside-down"',
        'unknown option --hiden (did you mean --n-hidden?)',
      ]),
    );
    expect(errs.length).toBe(10);
  });

  it('rejects an unknown preset and a file that is not an object', () => {
    expect(errors(resolveTrainingConfig({ preset: 'h64-l1-n0' }))[0]).toMatch(/^unknown preset "h64-l1-n0"/);
    expect(errors(resolveTrainingConfig({ file: { name: 'a.json', value: [1, 2] } }))).toEqual([
      'a.json: expected a JSON object with training config fields, got an array',
    ]);
  });
});

describe('decodeConfigPatch / decodeConfigFlags', () => {
  it('keep only the fields given', () => {
    expect(ok(decodeConfigPatch({ epochs: 2, encoding: 'plain' }, 'f'))).toEqual({ epochs: 2, encoding: 'plain' });
    expect(ok(decodeConfigFlags({ '--noise-factor': '0.2', latency: '16', 'clip-derivative': '1e2' }))).toEqual({
      noiseFactor: 0.2,
      latency: 16,
      clipDerivative: 100,
    });
  });

  it('accept the edges of each domain and reject just beyond them', () => {
    expect(isRight(decodeConfigPatch({ noiseFactor: 0, clipDerivative: 0, penaltyNoSpike: 0, epochs: 0, nPulses: 0 }, 'f'))).toBe(true);
    expect(isRight(decodeConfigPatch({ noiseFactor: 1 }, 'f'))).toBe(true);
    expect(errors(decodeConfigPatch({ noiseFactor: -0.01 }, 'f'))).toEqual(['f: noiseFactor: expected number in [0, 1], got -0.01']);
    expect(errors(decodeConfigPatch({ clipDerivative: -1 }, 'f'))).toEqual(['f: clipDerivative: expected non-negative number, got -1']);
    expect(errors(decodeConfigPatch({ decayRate: 0 }, 'f'))).toEqual(['f: decayRate: expected positive number, got 0']);
    expect(errors(decodeConfigPatch({ nPulses: 1.5 }, 'f'))).toEqual(['f: nPulses: expected non-negative integer, got 1.5']);
    expect(errors(decodeConfigPatch({ dataDir: '' }, 'f'))).toEqual(['f: dataDir: expected non-empty string, got ""']);
    expect(errors(decodeConfigPatch({ decayRate: '0.5' }, 'f'))).toEqual(['f: decayRate: expected positive number, got "0.5"']);
    expect(errors(decodeConfigFlags({ seed: 'Infinity' }))).toEqual(['--seed: expected non-negative safe integer, got "Infinity"']);
  });

  it('name flags in kebab-case', () => {
    expect(camelCaseFlag('--nonpulse-weight-mean-multiplier')).toBe('nonpulseWeightMeanMultiplier');
    expect(camelCaseFlag('decayRate')).toBe('decayRate');
    for (const f of CONFIG_FIELDS) expect(camelCaseFlag(f.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`))).toBe(f);
  });
});

describe('decodeTrainingConfig / encodeTrainingConfig', () => {
  it('round-trip a complete config through JSON', () => {
    const cfg: TrainingConfig = { ...ok(resolveTrainingConfig({ preset: 'h16-l4-n0.6' })), testLimit: 50 };
    const back = ok(decodeTrainingConfig(JSON.parse(JSON.stringify(encodeTrainingConfig(cfg))), 'model.json'));
    expect(back).toEqual(cfg);
  });

  it('require every field of a complete config', () => {
    const { epochs: _e, ...rest } = ok(resolveTrainingConfig());
    expect(errors(decodeTrainingConfig({ ...rest, testLimit: 0 }, 'm.json'))).toEqual([
      'm.json: epochs: expected non-negative integer, got nothing',
      'm.json: testLimit: expected positive integer, got 0',
    ]);
    expect(errors(decodeTrainingConfig({ ...rest, epochs: 1, preset: 'h8-l1-n0' }, 'm.json'))).toEqual([
      'm.json: a complete config has no "preset" field',
    ]);
  });
});

describe('readConfigFile', () => {
  it('parses JSON and names the file when it is missing or malformed', () => {
    const good = join(scratch, 'good.json');
    writeFileSync(good, '{"epochs": 3}');
    expect(ok(readConfigFile(good))).toEqual({ epochs: 3 });
    const bad = join(scratch, 'bad.json');
    writeFileSync(bad, '{"epochs": ');
    expect(errors(readConfigFile(bad))[0]).toMatch(new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not valid JSON`));
    expect(errors(readConfigFile(join(scratch, 'none.json')))[0]).toMatch(/none\.json: cannot read config file \(no such file\)/);
  });
});
