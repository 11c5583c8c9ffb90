/**
 * The `neuron` config field end to end: `spikeline train --neuron dual-exponential` trains a
 * dual-exponential autoencoder (on the main thread even when workers are asked for: the parallel
 * trainer's kernels are alpha-only, and it refuses other models), records the model in the saved
 * file; bad names are refused with the field and the choices.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { decodeConfigFlags, resolveTrainingConfig } from '../../src/config/config.ts';

const tiny = ['--train-limit', '140', '--validation-size', '50', '--test-limit', '20', '--epochs', '1'];

let dir: string;
let stderr: string[];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'spikeline-neuron-'));
  stderr = [];
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void stderr.push(a.join(' ')));
  vi.spyOn(console, 'log').mockImplementation(() => {});
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterEach(() => vi.restoreAllMocks());

describe('config field neuron', () => {
  it('decodes from a flag, defaults to none (alpha), refuses unknown models naming the choices', () => {
    const ok = decodeConfigFlags({ neuron: 'dual-exponential' });
    expect(isRight(ok) && ok.right.neuron).toBe('dual-exponential');
    const bad = decodeConfigFlags({ neuron: 'lif' });
    expect(isLeft(bad) && bad.left.join('\n')).toMatch(/--neuron: expected "alpha" \| "dual-exponential", got "lif"/);
    const cfg = resolveTrainingConfig({});
    expect(isRight(cfg) && cfg.right.neuron).toBeUndefined();
  });
});

describe('spikeline train --neuron dual-exponential', () => {
  it('trains and records the model; asking for a worker gives the same parameters bit for bit', async () => {
    const seq = join(dir, 'seq');
    const par = join(dir, 'par');
    expect(await main(['train', '--neuron', 'dual-exponential', '--out', seq, '--workers', '0', ...tiny])).toBe(0);
    expect(await main(['train', '--neuron', 'dual-exponential', '--out', par, '--workers', '1', ...tiny])).toBe(0);
    const a = JSON.parse(readFileSync(join(seq, 'latest.model.json'), 'utf8'));
    const b = JSON.parse(readFileSync(join(par, 'latest.model.json'), 'utf8'));
    expect(a.network.neuron).toBe('dual-exponential');
    expect(b.params).toEqual(a.params);
    const history = a.meta.history as { trainLoss: number; validationLoss: number }[];
    expect(history).toHaveLength(1);
    expect(Number.isFinite(history[0].validationLoss)).toBe(true);
  }, 120_000);

  it('--resume refuses a config whose neuron contradicts the checkpoint', async () => {
    const out = join(dir, 'run');
    expect(await main(['train', '--neuron', 'dual-exponential', '--out', out, '--workers', '0', ...tiny])).toBe(0);
    expect(await main(['train', '--resume', '--neuron', 'alpha', '--out', out, '--workers', '0', ...tiny.slice(0, -2), '--epochs', '2'])).toBe(2);
    expect(stderr.join('\n')).toMatch(/neuron \(--neuron\): the checkpoint was trained with "dual-exponential", the request says "alpha"/);
  }, 120_000);
});
