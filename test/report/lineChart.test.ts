/**
 * Loss charts: tick choice, the shared layout (linear and log scales, broken lines), the SVG text
 * and the PNG raster (decoded independently).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  SERIES_COLORS,
  chartLayout,
  formatTick,
  lineChartPng,
  lineChartSvg,
  logTicks,
  niceTicks,
} from '../../src/report/lineChart.ts';
import { decodePng } from './decodePng.ts';

const curves = [
  { name: 'train', y: [0.05, 0.03, 0.02, 0.016, 0.014] },
  { name: 'validation', y: [0.052, 0.031, 0.021, 0.017, 0.015] },
  { name: 'test', y: [0.053, 0.032, Number.NaN, 0.018, 0.016] },
];

describe('ticks', () => {
  it('niceTicks cover the range with a round step (1, 2 or 5 × 10^k)', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.double({ min: 1e-3, max: 1e6, noNaN: true }), (lo, span) => {
        const t = niceTicks(lo, lo + span, 6);
        const step = t[1] - t[0];
        const mant = step / 10 ** Math.floor(Math.log10(step) + 1e-9);
        // covers [lo, lo + span] up to rounding: a millionth of a step plus a few ulps of the values
        const tol = 1e-6 * step + 4 * Number.EPSILON * Math.max(Math.abs(lo), Math.abs(lo + span));
        return (
          t[0] <= lo + tol &&
          t[t.length - 1] >= lo + span - tol &&
          t.length >= 2 &&
          t.length <= 13 &&
          [1, 2, 5, 10].some((m) => Math.abs(mant - m) < 1e-4)
        );
      }),
    );
  });

  it('logTicks are powers of ten around the data, with 2 and 5 when the range is short', () => {
    expect(logTicks(0.012, 0.2)).toEqual([0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1]);
    expect(logTicks(0.003, 0.2)).toEqual([0.001, 0.01, 0.1, 1]);
    expect(logTicks(2e-5, 3)).toEqual([1e-5, 1e-4, 0.001, 0.01, 0.1, 1, 10]);
    expect(logTicks(0.01, 0.01)).toEqual([0.01, 0.02, 0.05, 0.1]);
  });

  it('formatTick writes short labels', () => {
    expect([0, 0.02, 1.5, 100, 1e-5, 2.5e7, -0.001].map(formatTick)).toEqual(['0', '0.02', '1.5', '100', '1e-5', '2.5e7', '-0.001']);
  });
});

describe('chartLayout', () => {
  it('maps larger values higher, keeps points inside the plot, and breaks lines at NaN', () => {
    const L = chartLayout(curves, { width: 500, height: 300 });
    const { left, right, top, bottom } = L.plot;
    for (const s of L.series) for (const seg of s.segments) for (const [x, y] of seg) {
      expect(x >= left && x <= right && y >= top && y <= bottom).toBe(true);
    }
    const train = L.series[0].segments[0];
    for (let i = 1; i < train.length; i++) {
      expect(train[i][1]).toBeGreaterThan(train[i - 1][1]); // falling loss → larger pixel y
      expect(train[i][0]).toBeGreaterThan(train[i - 1][0]);
    }
    expect(L.series[2].segments.map((s) => s.length)).toEqual([2, 2]);
    expect(L.series.map((s) => s.color)).toEqual(SERIES_COLORS.slice(0, 3));
    for (let i = 1; i < L.yTicks.length; i++) expect(L.yTicks[i].px).toBeLessThan(L.yTicks[i - 1].px);
  });

  it('on a log axis equal ratios are equal distances, and non-positive values are skipped', () => {
    const L = chartLayout([{ name: 'a', y: [0.001, 0.01, 0.1, 0, 1] }], { logY: true });
    const seg = L.series[0].segments;
    expect(seg.map((s) => s.length)).toEqual([3, 1]);
    const [p0, p1, p2] = seg[0];
    expect(p0[1] - p1[1]).toBeCloseTo(p1[1] - p2[1], 9);
    expect(p1[1] - p2[1]).toBeCloseTo(p2[1] - seg[1][0][1], 9);
    expect(L.yTicks.map((t) => t.label)).toEqual(['0.001', '0.01', '0.1', '1']);
  });
});

describe('lineChartSvg', () => {
  it('draws one path per series, a legend, tick labels, axis labels and the title', () => {
    const svg = lineChartSvg([...curves, { name: 'a<b & "c"', y: [1, 2] }], { title: 'MNIST H=32', logY: true });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    const paths = [...svg.matchAll(/<path class="series" data-name="([^"]*)" d="([^"]*)"/g)];
    expect(paths.map((m) => m[1])).toEqual(['train', 'validation', 'test', 'a&lt;b &amp; &quot;c&quot;']);
    expect(paths.map((m) => (m[2].match(/M/g) ?? []).length)).toEqual([1, 1, 2, 1]);
    expect(paths[0][2].match(/L/g)?.length).toBe(4);
    const legend = [...svg.matchAll(/<text class="legend"[^>]*>([^<]*)</g)].map((m) => m[1]);
    expect(legend).toEqual(['train', 'validation', 'test', 'a&lt;b &amp; &quot;c&quot;']);
    const yticks = [...svg.matchAll(/<text class="ytick"[^>]*>([^<]*)</g)].map((m) => m[1]);
    expect(yticks).toEqual(['0.01', '0.1', '1', '10']);
    expect(svg).toContain('>MNIST H=32</text>');
    expect(svg).toContain('>loss (log)</text>');
    expect(svg).toContain('>epoch</text>');
  });
});

describe('lineChartPng', () => {
  const opts = { width: 480, height: 320, title: 'MNIST loss', logY: true };
  const png = decodePng(lineChartPng(curves, opts));
  /** Pixels within `tol` of `rgb` in the rectangle [x0, x1) × [y0, y1) (default: everywhere). */
  const count = (rgb: readonly number[], tol = 24, box = [0, 0, png.width, png.height]): number => {
    let n = 0;
    for (let y = box[1]; y < box[3]; y++) {
      for (let x = box[0]; x < box[2]; x++) {
        const o = (y * png.width + x) * png.channels;
        if (Math.abs(png.pixels[o] - rgb[0]) <= tol && Math.abs(png.pixels[o + 1] - rgb[1]) <= tol && Math.abs(png.pixels[o + 2] - rgb[2]) <= tol) n++;
      }
    }
    return n;
  };

  it('is the SVG rasterised: a valid PNG of the requested size, opaque, mostly white paper', () => {
    expect([png.width, png.height, png.bitDepth]).toEqual([480, 320, 8]);
    expect(png.colorType === 2 || png.colorType === 6).toBe(true);
    if (png.channels === 4) for (let i = 3; i < png.pixels.length; i += 4) expect(png.pixels[i]).toBe(255);
    expect(count([255, 255, 255], 0)).toBeGreaterThan(png.width * png.height * 0.5);
  });

  it('draws each series in its colour inside the plot area, and the black frame', () => {
    const L = chartLayout(curves, opts);
    const plot = [Math.ceil(L.plot.left) + 2, Math.ceil(L.plot.top) + 2, Math.floor(L.plot.right) - 2, Math.floor(L.plot.bottom) - 2];
    for (const hex of SERIES_COLORS.slice(0, 3)) {
      const v = parseInt(hex.slice(1), 16);
      expect(count([(v >> 16) & 255, (v >> 8) & 255, v & 255], 24, plot)).toBeGreaterThan(100);
    }
    // a colour no series uses is absent
    expect(count([148, 103, 189], 10, plot)).toBe(0);
    // the left edge of the frame is a dark vertical line over the whole plot height
    const x = Math.round(L.plot.left);
    let dark = 0;
    for (let y = Math.ceil(L.plot.top); y < Math.floor(L.plot.bottom); y++) {
      const o = (y * png.width + x) * png.channels;
      if (Math.max(png.pixels[o], png.pixels[o + 1], png.pixels[o + 2]) < 128) dark++;
    }
    expect(dark).toBeGreaterThan((L.plot.bottom - L.plot.top) * 0.9);
  });

  it('renders text with a real font: the title band has ink, and another title changes it', () => {
    const band = [120, 0, 360, 26]; // centred title; the y-axis label sits at the left
    const ink = count([0, 0, 0], 100, band);
    expect(ink).toBeGreaterThan(40);
    const untitled = decodePng(lineChartPng(curves, { ...opts, title: '' }));
    const other = decodePng(lineChartPng(curves, { ...opts, title: 'Fashion-MNIST loss' }));
    const bandOf = (img: typeof png): number[] => {
      const v: number[] = [];
      for (let y = band[1]; y < band[3]; y++) v.push(...img.pixels.subarray((y * img.width + band[0]) * img.channels, (y * img.width + band[2]) * img.channels));
      return v;
    };
    expect(bandOf(untitled).every((v) => v === 255)).toBe(true);
    expect(bandOf(other)).not.toEqual(bandOf(png));
    expect(() => lineChartPng(curves, { width: 60, height: 60 })).toThrow(/too small/);
  });
});
