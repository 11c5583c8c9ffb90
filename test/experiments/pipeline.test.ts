/**
 * The whole experiment pipeline, scaled down (1 epoch on 100 images): every figure, claims.json
 * and report.html with the claims table on top, with runs in 2 child processes; and a grid run on
 * 2 processes gives the same results as the same grid run one after another in one process
 * (each run is single-threaded and seeded, so the numbers are equal, not close).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ClaimsFile } from '../../src/experiments/claims.ts';
import type { RunResult } from '../../src/experiments/paperRuns.ts';
import { renderReport } from '../report/chromium.ts';

const root = join(import.meta.dirname, '..', '..');
const tiny = ['--quick', '--epochs', '1', '--train-size', '100', '--validation-size', '50', '--test-size', '40', '--datasets', 'mnist', '--hiddens', '8', '--noises', '0'];

const experiment = (args: string[]) => {
  const r = spawnSync(process.execPath, [join(root, 'bin/spikeline.mjs'), 'experiment', ...args], { encoding: 'utf8', timeout: 280_000 });
  expect(r.status, r.stderr).toBe(0);
  return r;
};

/** Results without wall-clock fields. */
const numbers = (dir: string): Record<string, unknown> => {
  const j = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as { results: Record<string, RunResult> };
  return Object.fromEntries(
    Object.entries(j.results).map(([id, r]) => {
      const { seconds: _s, ...rest } = r as RunResult & { secondsPerEpoch?: number };
      delete (rest as { secondsPerEpoch?: number }).secondsPerEpoch;
      return [id, rest];
    }),
  );
};

describe('spikeline experiment (scaled down)', () => {
  it('all on 2 processes: every figure, claims.json beside report.html, the claims table first', () => {
    const out = mkdtempSync(join(tmpdir(), 'experiment-all-'));
    const r = experiment(['all', ...tiny, '--hiddens', '16', '--parallel', '2', '--out', out]); // H ≥ 16: the SVM claim's
    expect(r.stderr).toMatch(/9 runs, 2 at once/);
    const claims = JSON.parse(readFileSync(join(out, 'claims.json'), 'utf8')) as ClaimsFile;
    expect(claims.profile).toBe('quick');
    expect(claims.claims.map((c) => c.id)).toEqual(expect.arrayContaining(['snn-leaves-plateau', 'fig3-on-par-mnist', 'fig7-svm-noise', 'fig8-dynamics', 'fig10-weights', 'fig11-inverted', 'curve-h32', 'curve-h8']));
    // measured, not "not measured": the inputs of these claims were collected from the figures
    for (const id of ['fig7-svm-noise', 'fig8-dynamics', 'fig10-weights', 'fig11-inverted', 'fig3-on-par-mnist', 'snn-leaves-plateau']) {
      expect(claims.claims.find((c) => c.id === id)?.measured, id).not.toMatch(/not measured/);
    }
    expect(claims.runs).toHaveLength(9); // SNN latency 1 and 4, ANN plain, 6 inverted ANN pairs
    for (const run of claims.runs) {
      expect(run.testMse).toBeGreaterThanOrEqual(0);
      expect(run.testMse).toBeLessThanOrEqual(1); // pixel units whatever the latency
      expect(run.meanImageMse).toBeGreaterThan(0.05);
      expect(run.meanImageMse).toBeLessThan(0.09);
    }
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html.indexOf('<table id="claims">')).toBeGreaterThan(0);
    expect(html.indexOf('<table id="claims">')).toBeLessThan(html.indexOf('<section id="figure-3">'));
    expect(html).toContain('leaves out');
    expect(existsSync(join(out, 'figure-4-1.svg'))).toBe(true);
    expect(readFileSync(join(out, 'figure-4-1.svg'), 'utf8')).toContain('H=16');
    expect(readFileSync(join(out, 'figure-3-1.png')).subarray(1, 4).toString()).toBe('PNG'); // charts rasterised too
    // the report as a browser shows it: the claims table, every picture decoded, every chart drawn
    const { dom, summary } = renderReport(out, join(out, 'report.html'));
    expect(dom).toMatch(/<h2>The paper’s claims: \d+ of \d+ hold<\/h2>/);
    expect(summary.figures).toBeGreaterThan(10);
    for (const img of summary.imgs) expect(img.ok).toBe(true);
    for (const svg of summary.svgs) {
      expect(svg.w).toBeGreaterThan(100);
      expect(svg.marks).toBeGreaterThan(0); // the Figure 4 matrix draws its pictures as <image>: only its frames count
    }
  }, 300_000);

  it('a grid on 2 processes equals the same grid run sequentially in one process', () => {
    const a = mkdtempSync(join(tmpdir(), 'experiment-p2-'));
    const b = mkdtempSync(join(tmpdir(), 'experiment-p1-'));
    const grid = ['fig3', ...tiny, '--noises', '0,0.8'];
    experiment([...grid, '--parallel', '2', '--out', a]);
    experiment([...grid, '--parallel', '1', '--out', b]);
    const pa = numbers(a);
    expect(Object.keys(pa)).toHaveLength(4);
    expect(pa).toEqual(numbers(b));
    // rerun: every run's result is stored once and reused
    const again = experiment([...grid, '--parallel', '2', '--out', a]);
    expect(again.stderr.match(/done earlier, skipped/g)).toHaveLength(4);
    expect(numbers(a)).toEqual(pa);
  }, 300_000);
});
