/**
 * Equality with the reference program on the shared golden files (../shared/reference), through
 * the same code path as `npm run conformance`, and clear errors for malformed files.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runConformance } from '../../src/cli/commands/conformance.ts';
import { UsageError } from '../../src/cli/usageError.ts';

const reference = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/reference');
const alphaFile = join(reference, 'golden-alpha-neuron.json');
const aeFile = join(reference, 'golden-autoencoder.json');
const scratch = mkdtempSync(join(tmpdir(), 'spikeline-conformance-'));

const writeJson = (name: string, value: unknown): string => {
  const f = join(scratch, name);
  writeFileSync(f, typeof value === 'string' ? value : JSON.stringify(value));
  return f;
};

describe('conformance with the reference program', () => {
  it('passes on all 2000 single-neuron cases', () => {
    const r = runConformance(alphaFile);
    expect(r.cases).toBe(2000);
    expect(r.quantities.every((q) => q.count > 0 && q.failures === 0)).toBe(true);
    expect(r.pass).toBe(true);
  });

  it('passes on both golden autoencoder networks, both states', () => {
    const r = runConformance(aeFile);
    expect(r.cases).toBe(80); // 2 networks × 2 states × 20 images
    const byName = Object.fromEntries(r.quantities.map((q) => [q.name, q]));
    expect(byName['weight gradients (full)'].count).toBeGreaterThan(300_000);
    expect(byName['weights after Adam step'].count).toBeGreaterThan(70_000);
    expect(r.pass).toBe(true);
  });

  it('passes through the RxJS operators too (conformance --streams)', async () => {
    const { conformanceCommand } = await import('../../src/cli/commands/conformance.ts');
    const lines: string[] = [];
    const log = console.log;
    console.log = (...a: unknown[]) => void lines.push(a.join(' '));
    try {
      expect(await conformanceCommand(['--streams', aeFile])).toBe(0);
    } finally {
      console.log = log;
    }
    expect(lines.join('\n')).toMatch(/output spike times \(streams\)\s+62720/);
    expect(lines.join('\n')).toMatch(/PASS$/);
  });

  it('fails (does not pass) when a golden value is perturbed', () => {
    const g = JSON.parse(readFileSync(alphaFile, 'utf8'));
    const c = g.cases.find((x: { spike_time: number | null }) => x.spike_time !== null);
    c.spike_time_exact_lambertw += 1e-9;
    c.d_spike_d_w[0] = c.d_spike_d_w[0] * 1.001 + 1e-6;
    const r = runConformance(writeJson('perturbed.json', g));
    expect(r.pass).toBe(false);
    const failed = r.quantities.filter((q) => q.failures > 0).map((q) => q.name);
    expect(failed).toContain('spike time (vs exact-W reference)');
    expect(failed).toContain('dSpikeTime/dWeight');
  });

  it('names the field and case of a malformed file, and rejects truncated JSON', () => {
    const g = JSON.parse(readFileSync(alphaFile, 'utf8'));
    g.cases = g.cases.slice(0, 20);
    g.cases[7].weights[2] = 'heavy';
    expect(() => runConformance(writeJson('bad-field.json', g))).toThrow(/cases\[7\]\.weights\[2\]/);
    g.cases[7].weights[2] = 1;
    g.cases[3].weights.pop();
    expect(() => runConformance(writeJson('bad-length.json', g))).toThrow(/cases\[3\]\.weights: expected/);
    expect(() => runConformance(writeJson('truncated.json', '{"cases": [{"case": 0,'))).toThrow(UsageError);
    expect(() => runConformance(writeJson('other.json', { hello: 1 }))).toThrow(/expected an object with "cases"/);
    expect(() => runConformance(join(scratch, 'missing.json'))).toThrow(/cannot read/);
  });
});
