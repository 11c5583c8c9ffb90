/**
 * The claims table is computed from run records: each claim on synthetic records where it holds,
 * and where it does not (✗), with the numbers that decide it in `measured`.
 */
import { describe, expect, it } from 'vitest';
import { type ClaimsInput, type RunRecord, claimsFile, computeClaims } from '../../src/experiments/claims.ts';

const run = (kind: 'snn' | 'ann', h: number, noise: number, testMse: number, extra: Partial<RunRecord> = {}): RunRecord => ({
  kind,
  dataset: 'mnist',
  h,
  noise,
  latency: 1,
  encoding: kind === 'snn' ? 'inverted' : 'plain',
  ...(kind === 'ann' ? { activations: 'relu/sigmoid' } : {}),
  testMse,
  meanImageMse: 0.0669,
  epochs: 2,
  seconds: 10,
  ...extra,
});

/** A grid where every claim holds: SNN slightly worse than ANN, losses falling with H, rising with noise. */
const good: ClaimsInput = {
  runs: [
    run('snn', 8, 0, 0.03), run('snn', 32, 0, 0.012), run('snn', 8, 0.8, 0.05), run('snn', 32, 0.8, 0.03),
    run('ann', 8, 0, 0.028), run('ann', 32, 0, 0.011), run('ann', 8, 0.8, 0.045), run('ann', 32, 0.8, 0.027),
    run('ann', 32, 0, 0.02, { encoding: 'inverted', activations: 'relu/relu' }),
    run('ann', 32, 0, 0.016, { encoding: 'inverted', activations: 'tanh/sigmoid' }),
    run('ann', 8, 0, 0.05, { encoding: 'inverted', activations: 'relu/relu' }),
  ],
  svm: [
    { dataset: 'mnist', noise: 0.8, features: 'pixels', h: 784, accuracy: 0.51 },
    { dataset: 'mnist', noise: 0.8, features: 'snn', h: 32, accuracy: 0.62 },
    { dataset: 'mnist', noise: 0.8, features: 'snn', h: 8, accuracy: 0.3 }, // H < 16: not part of the claim
    { dataset: 'mnist', noise: 0, features: 'pixels', h: 784, accuracy: 0.9 },
  ],
  dynamics: [
    { latency: 1, meanHiddenSpikeTime: 0.9, meanDecoderPulseTime: 0.8 },
    { latency: 4, meanHiddenSpikeTime: 1.0, meanDecoderPulseTime: 3.1 },
    { latency: 16, meanHiddenSpikeTime: 1.2, meanDecoderPulseTime: 14 },
  ],
  weights: [{ label: 'latency 1', encoderRegular: -0.1, encoderPulse: 0.4, decoderRegular: -0.2, decoderPulse: 0.9 }],
  curves: [
    { dataset: 'mnist', h: 32, testLoss: [0.0205, 0.0137, 0.0125] },
    { dataset: 'mnist', h: 8, testLoss: [0.06, 0.045] },
  ],
};

const byId = (input: ClaimsInput) => new Map(computeClaims(input).map((c) => [c.id, c]));

describe('computeClaims', () => {
  it('marks every claim ✓ on a grid where each holds, with the deciding numbers', () => {
    const c = byId(good);
    for (const [id, claim] of c) expect(claim.holds, `${id}: ${claim.measured}`).toBe(true);
    expect(c.get('fig3-on-par-mnist')?.measured).toContain('worst 1.111'); // 0.05 / 0.045
    expect(c.get('fig7-svm-noise')?.measured).toBe('mnist noise 0.8 H=32: 0.6200 vs pixels 0.5100');
    expect(c.get('fig11-inverted')?.measured).toContain('SNN 0.01200 vs best of 2 ANNs 0.01600 (tanh/sigmoid)');
    expect(c.get('curve-h32')?.measured).toBe('epoch 1: 0.02050 vs 0.02249; epoch 2: 0.01370 vs 0.01380');
    expect(c.get('snn-leaves-plateau')?.measured).toContain('0.7474 × mean image'); // 0.05 / 0.0669
    expect(c.get('fig3-on-par-mnist')?.figure).toBe('#figure-3');
  });

  it('marks ✗ where a claim fails, naming what broke it', () => {
    const bad: ClaimsInput = {
      ...good,
      runs: [
        ...good.runs.filter((r) => !(r.kind === 'snn' && r.h === 32 && r.noise === 0)),
        run('snn', 32, 0, 0.06), // worse than ANN ×1.25 and than H=8, near the mean image, loses to inverted ANNs, below its noisy twin
      ],
      svm: good.svm?.map((s) => (s.features === 'snn' && s.h === 32 ? { ...s, accuracy: 0.4 } : s)),
      dynamics: good.dynamics?.map((d) => (d.latency === 16 ? { ...d, meanHiddenSpikeTime: 8 } : d)),
      weights: [{ label: 'latency 1', encoderRegular: 0.1, encoderPulse: 0.4, decoderRegular: -0.2, decoderPulse: 0.9 }],
      curves: [{ dataset: 'mnist', h: 32, testLoss: [0.03, 0.0137] }],
    };
    const c = byId(bad);
    const failing = [...c.values()].filter((x) => !x.holds).map((x) => x.id).sort();
    expect(failing).toEqual([
      'curve-h32', 'curve-h8', 'fig10-weights', 'fig11-inverted', 'fig3-falls-with-h', 'fig3-on-par-mnist', 'fig3-rises-with-noise', 'fig7-svm-noise', 'fig8-dynamics', 'snn-leaves-plateau',
    ]);
    expect(c.get('fig3-on-par-mnist')?.measured).toContain('1 above 1.25');
    expect(c.get('fig3-falls-with-h')?.measured).toContain('mnist SNN noise=0: 0.03000 → 0.06000');
    expect(c.get('curve-h8')?.measured).toMatch(/^not measured/);
    expect(c.get('fig3-rises-with-noise')?.measured).toContain('mnist SNN H=32: 0.06000 → 0.03000'); // falls with noise
  });

  it('a loss that falls with noise breaks the noise trend', () => {
    const c = byId({ runs: [run('snn', 32, 0, 0.03), run('snn', 32, 0.8, 0.02)] });
    expect(c.get('fig3-rises-with-noise')?.holds).toBe(false);
    expect(c.get('fig3-rises-with-noise')?.measured).toContain('1 of 1 series do not');
  });

  it('a claim without its inputs does not hold and says so', () => {
    const c = byId({ runs: [] });
    for (const claim of c.values()) {
      expect(claim.holds).toBe(false);
      expect(claim.measured).toMatch(/^not measured in this profile/);
    }
  });

  it('claims.json carries the profile, the verdicts and the runs', () => {
    const f = claimsFile('quick', computeClaims(good), good.runs);
    expect(f.profile).toBe('quick');
    expect(f.claims.every((x) => Object.keys(x).sort().join() === 'holds,id,measured,statement')).toBe(true);
    expect(f.runs).toHaveLength(good.runs.length);
    expect(JSON.parse(JSON.stringify(f))).toEqual(f);
  });
});
