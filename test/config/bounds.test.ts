/**
 * Every config field has a documented range, checked at decoding (issue 12): sizes that cannot
 * fit in memory and values that make training diverge are refused with the field and the range;
 * every published preset and the search space of Table 1 lie inside.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';
import {
  MAX_HIDDEN,
  configFromPreset,
  decodeConfigFlags,
  decodeConfigPatch,
  decodeTrainingConfig,
  encodeTrainingConfig,
} from '../../src/config/config.ts';
import { PRESETS } from '../../src/config/presets.ts';
import { TABLE_1_SPACE } from '../../src/search/space.ts';

const flagErrors = (flags: Record<string, string>): string[] => {
  const r = decodeConfigFlags(flags);
  return isLeft(r) ? r.left : [];
};

describe('sizes are bounded with the limit named', () => {
  it.each(['10000000', '1000000', String(MAX_HIDDEN + 1)])('--n-hidden %s', (n) => {
    expect(flagErrors({ 'n-hidden': n })).toEqual([`--n-hidden: expected integer in [1, ${MAX_HIDDEN}], got ${Number(n)}`]);
  });

  it('the largest allowed sizes decode', () => {
    expect(isRight(decodeConfigFlags({ 'n-hidden': String(MAX_HIDDEN), 'n-pulses': '64', 'batch-size': '10000' }))).toBe(true);
  });

  it('pulses, batch size and epochs too', () => {
    expect(flagErrors({ 'n-pulses': '100000' })).toEqual(['--n-pulses: expected integer in [0, 64], got 100000']);
    expect(flagErrors({ 'batch-size': '1e9' })).toEqual(['--batch-size: expected integer in [1, 10000], got 1000000000']);
    expect(flagErrors({ epochs: '1e12' })).toEqual(['--epochs: expected integer in [0, 100000], got 1000000000000']);
  });
});

describe('values that make training diverge are refused, naming the field and the range', () => {
  it('--penalty-output-spike-time 1e308 and --latency 1e300', () => {
    expect(flagErrors({ 'penalty-output-spike-time': '1e308' })).toEqual([
      '--penalty-output-spike-time: expected number in [0, 10], got 1e+308',
    ]);
    expect(flagErrors({ latency: '1e300' })).toEqual(['--latency: expected number in (0, 100], got 1e+300']);
  });

  it('in a config file as well, with the file named', () => {
    const r = decodeConfigPatch({ learningRate: 5, decayRate: 1e6, pulseWeightMeanMultiplier: -1e9 }, 'run.json');
    expect(isLeft(r) ? r.left : []).toEqual([
      'run.json: decayRate: expected number in (0, 100], got 1000000',
      'run.json: learningRate: expected number in (0, 1], got 5',
      'run.json: pulseWeightMeanMultiplier: expected number in [-100, 100], got -1000000000',
    ]);
  });

  it('a value of the wrong kind keeps its own message', () => {
    expect(flagErrors({ 'decay-rate': '-1' })).toEqual(['--decay-rate: expected positive number, got -1']);
    expect(flagErrors({ 'n-hidden': '2.5' })).toEqual(['--n-hidden: expected positive integer, got 2.5']);
  });
});

describe('the ranges hold everything published', () => {
  it('every preset decodes as a complete config', () => {
    const bad = PRESETS.map((p) => [p.name, decodeTrainingConfig(encodeTrainingConfig(configFromPreset(p.hyper)), p.name)] as const).filter(
      ([, r]) => isLeft(r),
    );
    expect(bad).toEqual([]);
    expect(PRESETS.length).toBeGreaterThan(70);
  });

  it("Table 1's search ranges lie inside", () => {
    for (const [name, d] of TABLE_1_SPACE.params) {
      expect(isRight(decodeConfigPatch({ [name]: d.min }, 'space')), `${name}.min`).toBe(true);
      expect(isRight(decodeConfigPatch({ [name]: d.max }, 'space')), `${name}.max`).toBe(true);
    }
  });
});

describe('through the command line', () => {
  afterEach(() => vi.restoreAllMocks());

  it('train --n-hidden 10000000: one line, exit 2, no output directory', async () => {
    const lines: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
    vi.spyOn(console, 'log').mockImplementation(() => {});
    const out = join(mkdtempSync(join(tmpdir(), 'spikeline-bounds-')), 'run');
    expect(await main(['train', '--n-hidden', '10000000', '--out', out])).toBe(2);
    expect(lines.join('\n')).toMatch(/--n-hidden: expected integer in \[1, 1024\], got 10000000/);
    expect(existsSync(out)).toBe(false);
  });
});
