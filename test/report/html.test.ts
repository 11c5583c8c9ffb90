/**
 * Opens a small generated report in headless Chromium (Debian's `chromium`) and checks that every
 * figure renders: each <img> decodes with a positive natural size, each inline SVG plot has drawn
 * marks and a width. The page's own script writes that summary into document.title, read back
 * with --dump-dom; a screenshot is saved beside it. Fails (never skips) without chromium:
 * `apt-get install -y chromium`.
 */
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Report, reportHtml, tableCsv } from '../../src/report/html.ts';
import { imageGrid } from '../../src/report/imageGrid.ts';
import { lineChartSvg } from '../../src/report/lineChart.ts';
import { encodePng } from '../../src/report/png.ts';
import { scatterSvg } from '../../src/report/scatter.ts';
import { CHROMIUM, chromium, renderReport } from './chromium.ts';

const sampleReport = (): Report => {
  const digit = Uint8Array.from({ length: 784 }, (_, i) => ((i % 28) * 9 + Math.floor(i / 28) * 3) & 255);
  return {
    title: 'test report',
    intro: 'a small report with every kind of figure',
    claims: [
      { statement: 'loss falls with H', holds: true, measured: '0.03 → 0.02', href: '#lines' },
      { statement: 'SNN beats <ANN> on inverted images', holds: false, measured: '0.05 vs 0.04', href: '#scatter' },
    ],
    sections: [
      {
        id: 'lines',
        title: 'Lines',
        figures: [{ svg: lineChartSvg([{ name: 'snn', x: [0, 0.2, 0.4], y: [0.02, 0.03, 0.05] }], { title: 'loss' }), caption: 'a line chart' }],
        tables: [{ caption: 'numbers', columns: ['a', 'b'], rows: [['x, "y"', 0.5]], csvName: 't.csv' }],
      },
      { id: 'images', title: 'Images', figures: [{ png: encodePng(imageGrid([[digit, digit]], { scale: 2 })), caption: 'two images' }] },
      { id: 'scatter', title: 'Scatter', figures: [{ svg: scatterSvg(Float64Array.from([0, 0, 1, 1, 2, 0.5]), [0, 1, 2]), caption: 'three points' }] },
    ],
  };
};

describe('report.html', () => {
  it('tables become CSV with quoting', () => {
    expect(tableCsv({ columns: ['a', 'b'], rows: [['x, "y"', 0.5], ['z', Number.NaN]] })).toBe('a,b\n"x, ""y""",0.5\nz,\n');
  });

  it('renders every figure in headless Chromium', () => {
    expect(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium`).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'spikeline-report-'));
    const file = join(dir, 'report.html');
    const html = reportHtml(sampleReport());
    expect(html).not.toMatch(/(src|href)="(https?:|\/\/)/); // self-contained
    writeFileSync(file, html);
    const { dom, summary } = renderReport(dir, file);
    expect(summary.figures).toBe(3);
    // the claims table comes first, one row per claim with its verdict and a link to its figure
    const claimsAt = dom.indexOf('<table id="claims">');
    expect(claimsAt).toBeGreaterThan(0);
    expect(claimsAt).toBeLessThan(dom.indexOf('<section id="lines">'));
    expect(dom).toMatch(/<tr class="holds"><td>loss falls with H<\/td><td class="verdict">✓<\/td>/);
    expect(dom).toMatch(/<tr class="fails"><td>SNN beats &lt;ANN&gt; on inverted images<\/td><td class="verdict">✗<\/td>.*href="#scatter"/);
    expect(dom).toContain('1 of 2 hold');
    expect(summary.imgs).toHaveLength(1);
    // two 28×28 images at scale 2 with 2-pixel gaps: 2·56 + 3·2 by 56 + 2·2
    expect(summary.imgs[0]).toEqual({ w: 118, h: 60, ok: true });
    expect(summary.svgs).toHaveLength(2);
    for (const s of summary.svgs) {
      expect(s.marks).toBeGreaterThan(3);
      expect(s.w).toBeGreaterThan(100);
    }
    const shot = join(dir, 'report.png');
    const r = chromium(dir, ['--window-size=1200,2000', `--screenshot=${shot}`, `file://${file}`]);
    expect(r.status, r.stderr).toBe(0);
    expect(statSync(shot).size).toBeGreaterThan(5000);
    expect(readFileSync(shot).subarray(1, 4).toString()).toBe('PNG');
  });
});
