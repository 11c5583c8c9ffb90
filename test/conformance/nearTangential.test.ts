/**
 * Conformance on a near-tangential golden file (test/fixtures/golden-near-tangential.json, made
 * by test/fixtures/nearTangential.py, an independent Python implementation of the original
 * algorithm with its approximate Lambert W): output 0 on image 0 crosses its threshold with a
 * W argument within 1e-4 of −1/e. It passes in both Lambert W modes — in exact mode with the
 * differences on their own row — and the same file with one value moved by 1e-9 fails in both.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isRight } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { conformanceCommand } from '../../src/cli/commands/conformance.ts';
import { AutoencoderGoldenFile, goldenNetwork } from '../../src/conformance/autoencoderGolden.ts';
import { EXPLAINED_ROW } from '../../src/conformance/compare.ts';
import { referenceLambertW0 } from '../../src/conformance/referenceLambertW.ts';
import { LAMBERT_W_BRANCH_POINT, lambertW0 } from '../../src/kernels/lambertW.ts';
import { forward } from '../../src/model/forward.ts';
import { fixturePath, readFixtureJson } from '../fixtures/fixtures.ts';

const file = fixturePath('golden-near-tangential.json');
const scratch = mkdtempSync(join(tmpdir(), 'spikeline-near-tangential-'));

const run = async (argv: string[]): Promise<{ status: number; out: string }> => {
  const lines: string[] = [];
  const log = console.log;
  console.log = (...a: unknown[]) => void lines.push(a.join(' '));
  try {
    return { status: await conformanceCommand(argv), out: lines.join('\n') };
  } finally {
    console.log = log;
  }
};

interface Golden {
  networks: { states: { examples: { output_times: (number | null)[] }[] }[] }[];
}

/** The file with output 0 of image 0 (the near-tangential crossing) moved by 1e-9. */
const perturbed = (): string => {
  const g = readFixtureJson('golden-near-tangential.json') as Golden;
  const ex = g.networks[0].states[0].examples[0];
  ex.output_times[0] = (ex.output_times[0] ?? Number.NaN) + 1e-9;
  const f = join(scratch, 'perturbed.json');
  writeFileSync(f, JSON.stringify(g));
  return f;
};

describe('near-tangential golden file', () => {
  it("is near-tangential: output 0's Lambert W argument on image 0 lies within 1e-4 of −1/e", () => {
    const decoded = AutoencoderGoldenFile.decode(readFixtureJson('golden-near-tangential.json'));
    if (!isRight(decoded)) throw new Error('does not decode');
    const net = goldenNetwork(decoded.right, decoded.right.networks[0].name, 'constructed');
    if (net === null) throw new Error('no state');
    const { tape } = forward(net, decoded.right.images[0].input_times);
    const post = tape.layers[1].post;
    const x = -((net.decayRate * net.threshold) / post.sumA[0]) * Math.exp((net.decayRate * post.sumB[0]) / post.sumA[0]);
    expect(x - LAMBERT_W_BRANCH_POINT).toBeGreaterThan(0);
    expect(x - LAMBERT_W_BRANCH_POINT).toBeLessThan(1e-4);
    // training's forward pass keeps the exact W: its spike time is B/A − W0(x)/K with the exact
    // W0, not the original's approximation (which differs here)
    const ba = post.sumB[0] / post.sumA[0];
    expect(post.lambertW[0]).toBe(lambertW0(x));
    expect(tape.layers[1].post.spikeTime[0]).toBe(ba - lambertW0(x) / net.decayRate);
    expect(referenceLambertW0(x)).not.toBe(lambertW0(x));
  });

  it('passes with the exact W, the differences the original W explains on their own row', async () => {
    const r = await run([file]);
    const explainedLine = r.out.split('\n').find((l) => l.startsWith(EXPLAINED_ROW));
    expect(explainedLine).toMatch(/: [1-9]\d* values, max abs/);
    expect(r.out).not.toMatch(/ FAIL/);
    expect(r.out.split('\n').at(-1)).toBe('PASS');
    expect(r.status).toBe(0);
  });

  it('passes strictly with the original program’s Lambert W', async () => {
    const r = await run(['--lambert-w', 'reference', file]);
    expect(r.out).not.toContain(EXPLAINED_ROW);
    expect(r.out.split('\n').at(-1)).toBe('PASS');
    expect(r.status).toBe(0);
  });

  it('passes through the RxJS operators too, with the same explanation', async () => {
    const r = await run(['--streams', file]);
    expect(r.out).toMatch(/differs from the original's approximate W: [1-9]\d* values/);
    expect(r.out.split('\n').at(-1)).toBe('PASS');
    expect(r.status).toBe(0);
  });

  for (const mode of ['exact', 'reference'] as const) {
    it(`fails with one value moved by 1e-9 (Lambert W: ${mode})`, async () => {
      const r = await run(['--lambert-w', mode, perturbed()]);
      expect(r.out).toMatch(/output spike times .* 1 FAIL/);
      expect(r.out.split('\n').at(-1)).toBe('FAIL');
      expect(r.status).toBe(1);
    });
  }

  it('fails through the RxJS operators too when a value is moved by 1e-9', async () => {
    const r = await run(['--streams', perturbed()]);
    expect(r.out.split('\n').at(-1)).toBe('FAIL');
    expect(r.status).toBe(1);
  });
});
